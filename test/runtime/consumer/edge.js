// Vercel Edge (edge-light): bundled as a script for edge-runtime, the .wasm imports bound to the
// modules the platform precompiles. A loss called before init() must say what to do.
import * as lib from 'simdloss';
import { smoke } from './smoke.js';
import { cases } from './smoke-cases.js';

let beforeInit = 'no error';
try {
  lib.mse(Float32Array.of(1), Float32Array.of(2));
} catch (e) {
  beforeInit = e.message;
}
globalThis.result = smoke(lib, { cases }).then((result) => ({ beforeInit, ...result }));
