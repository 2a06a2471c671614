/** Entry for Node, Deno and Bun: reads the .wasm file beside the package from disk. */
import { readFile } from 'node:fs/promises';
import { type InitInfo, type InitOptions, initWith, wasmFile } from './core/init.js';

export * from './api.js';

/** Loads the SIMD build where the runtime supports it, else the scalar build. */
export function init(opts?: InitOptions): Promise<InitInfo> {
  return initWith(opts, (simd) => readFile(new URL(`../wasm/${wasmFile(simd)}`, import.meta.url)));
}
