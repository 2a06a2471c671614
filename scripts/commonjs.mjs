// The CommonJS build, for `require('simdloss')` in every supported Node and for TypeScript
// consumers compiled to CommonJS: each CommonJS entry is one file bundled from the ES module
// build, and dist/cjs/ holds the declarations again under a package.json that says commonjs, so
// that TypeScript reads them as CommonJS.
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

for (const entry of ['node', 'inline']) {
  await build({
    entryPoints: [join(dist, `${entry}.js`)],
    outfile: join(dist, `${entry}.cjs`),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    external: ['@assemblyscript/loader'],
    // import.meta.url in CommonJS: this file's URL, so the wasm/ folder is found as from dist/node.js.
    define: { 'import.meta.url': '__simdlossUrl' },
    banner: { js: 'var __simdlossUrl = require("node:url").pathToFileURL(__filename).href;' },
    logLevel: 'warning',
  });
}

const cjs = join(dist, 'cjs');
rmSync(cjs, { recursive: true, force: true });
const entries = readdirSync(dist, { withFileTypes: true });
mkdirSync(cjs);
for (const entry of entries) {
  if (entry.isDirectory()) cpSync(join(dist, entry.name), join(cjs, entry.name), { recursive: true, filter: (f) => !f.endsWith('.js') });
  else if (entry.name.endsWith('.d.ts')) cpSync(join(dist, entry.name), join(cjs, entry.name));
}
writeFileSync(join(cjs, 'package.json'), '{ "type": "commonjs" }\n');

// simdloss/tfjs: tfjs-core stays the user's (a peer), and SimdlossError is the one require('simdloss')
// exports, so that instanceof holds across the two entries.
await build({
  entryPoints: [join(dist, 'tfjs.js')],
  outfile: join(dist, 'tfjs.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node18',
  external: ['@tensorflow/tfjs-core'],
  plugins: [
    {
      name: 'simdloss-errors',
      setup(b) {
        b.onResolve({ filter: /\/core\/errors\.js$/ }, () => ({ path: 'simdloss', external: true }));
      },
    },
  ],
  logLevel: 'warning',
});
