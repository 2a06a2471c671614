import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

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
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
