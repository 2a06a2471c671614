// workerd (Cloudflare Workers): the bundle takes the `workerd` export condition, whose .wasm
// imports miniflare turns into CompiledWasm modules.
import * as lib from 'simdloss';
import { smoke } from './smoke.js';
import { cases } from './smoke-cases.js';

export default {
  async fetch() {
    // workerd refuses to compile wasm from bytes at run time; recording that here makes a passing
    // smoke run the proof that the workerd entry never needs to.
    let compileFromBytes;
    try {
      new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
      compileFromBytes = 'allowed';
    } catch (e) {
      compileFromBytes = `refused: ${e.message}`;
    }
    return Response.json({ compileFromBytes, ...(await smoke(lib, { cases })) });
  },
};
