// Writes dist/wasm-inline.js: both wasm builds as base64 strings, the payload of simdloss/inline.
import { readFileSync, writeFileSync } from 'node:fs';

const base64 = (build) => readFileSync(new URL(`../wasm/simdloss-${build}.wasm`, import.meta.url)).toString('base64');
const dist = (file) => new URL(`../dist/${file}`, import.meta.url);

writeFileSync(
  dist('wasm-inline.js'),
  `export const simd = ${JSON.stringify(base64('simd'))};\nexport const scalar = ${JSON.stringify(base64('scalar'))};\n`,
);
writeFileSync(dist('wasm-inline.d.ts'), readFileSync(new URL('../src/wasm-inline.d.ts', import.meta.url)));
