/**
 * Default entry (browsers, bundlers, Deno by URL): fetches the .wasm file beside the package.
 * No `node:` import here. Each URL is written out in full so bundlers can see and copy the asset.
 */
import { type InitInfo, type InitOptions, initWith } from './core/init.js';

export * from './api.js';

/** Loads the SIMD build where the runtime supports it, else the scalar build. */
export function init(opts?: InitOptions): Promise<InitInfo> {
  return initWith(opts, (simd) =>
    compile(simd ? new URL('../wasm/simdloss-simd.wasm', import.meta.url) : new URL('../wasm/simdloss-scalar.wasm', import.meta.url)),
  );
}

async function compile(url: URL): Promise<WebAssembly.Module> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`simdloss: fetching ${url} failed with HTTP ${response.status}`);
  // compileStreaming needs the server to say application/wasm; fall back to bytes when it does not.
  if (typeof WebAssembly.compileStreaming === 'function' && response.headers.get('content-type')?.startsWith('application/wasm')) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}
