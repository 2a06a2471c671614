// esbuild leaves `new URL('…wasm', import.meta.url)` alone, so an esbuild bundle takes the .wasm
// files through the package's `./wasm/*` export and its file loader, and hands init a module.
import * as lib from 'simdloss';
import scalarUrl from 'simdloss/wasm/simdloss-scalar.wasm';
import simdUrl from 'simdloss/wasm/simdloss-simd.wasm';
import { smoke } from '../smoke.js';
import { cases } from '../smoke-cases.js';

const compile = (url) => WebAssembly.compileStreaming(fetch(url));
window.result = smoke(lib, { cases, init: async (simd) => lib.init({ module: await compile(simd ? simdUrl : scalarUrl) }) });
