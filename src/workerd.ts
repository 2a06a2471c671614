/**
 * Entry for Cloudflare Workers (workerd) and Vercel Edge (edge-light): these runtimes refuse to
 * compile wasm from bytes at run time, so the .wasm files are imported as precompiled modules and
 * the bundler of the platform ships them as such.
 */

import scalarModule from '../wasm/simdloss-scalar.wasm';
import simdModule from '../wasm/simdloss-simd.wasm';
import { type InitInfo, type InitOptions, initWith } from './core/init.js';

export * from './api.js';

/** Instantiates the SIMD build where the runtime supports it, else the scalar build. */
export function init(opts?: InitOptions): Promise<InitInfo> {
  return initWith(opts, async (simd) => (simd ? simdModule : scalarModule));
}
