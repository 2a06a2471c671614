/**
 * Entry with both builds inside the JS, for targets with no file beside the code (single-file
 * bundles, serverless zips): no fetch, no file system, loaded synchronously on the first call
 * wherever the runtime compiles wasm from bytes (everywhere but Workers and Vercel Edge).
 */
import { type InitInfo, type InitOptions, initWith, loadOnFirstUse } from './core/init.js';
import { scalar, simd as simdBuild } from './wasm-inline.js';

export * from './api.js';

/** Instantiates the SIMD build where the runtime supports it, else the scalar build. */
export function init(opts?: InitOptions): Promise<InitInfo> {
  return initWith(opts, async (simd) => wasmBytes(simd));
}

loadOnFirstUse(wasmBytes);

function wasmBytes(simd: boolean): BufferSource {
  return Uint8Array.from(atob(simd ? simdBuild : scalar), (c) => c.charCodeAt(0));
}
