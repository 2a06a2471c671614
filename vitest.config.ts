import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import type { Reporter } from 'vitest/node';

/** One plain closing line, 'N passed, N failed', that any CI log reader understands. */
const plainSummary: Reporter = {
  onTestRunEnd(modules) {
    const count = { passed: 0, failed: 0, skipped: 0 };
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed' || state === 'failed') count[state]++;
        else count.skipped++;
      }
    }
    // a suite whose setup threw (a browser that is not installed) skips its tests: say so
    const broken = modules.flatMap((m) => [m, ...m.children.allSuites()]).filter((s) => s.errors().length > 0).length;
    console.log(
      `\n${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped${broken > 0 ? `, ${broken} suites failed in setup` : ''}`,
    );
  },
};

export default defineConfig({
  plugins: [
    {
      // What workerd and edge-light do with `import m from './x.wasm'`: a compiled WebAssembly.Module.
      name: 'wasm-as-module',
      enforce: 'pre',
      load(id) {
        if (!id.endsWith('.wasm')) return null;
        const base64 = readFileSync(id).toString('base64');
        return `export default new WebAssembly.Module(Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0)));`;
      },
    },
  ],
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', plainSummary],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
