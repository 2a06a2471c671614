/**
 * Entry for Node, Deno and Bun: reads the .wasm file beside the package from disk, synchronously
 * on the first call when `init()` was not awaited.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { SimdlossError } from './core/errors.js';
import { type InitInfo, type InitOptions, initWith, loadOnFirstUse, wasmFile } from './core/init.js';

export * from './api.js';

/** Loads the SIMD build where the runtime supports it, else the scalar build. */
export function init(opts?: InitOptions): Promise<InitInfo> {
  return initWith(opts, async (simd) => wasmBytes(simd));
}

loadOnFirstUse(wasmBytes);

function wasmBytes(simd: boolean): BufferSource {
  const tried = places(simd);
  for (const place of tried) {
    try {
      return readFileSync(place);
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOENT') throw e;
    }
  }
  throw new SimdlossError(
    `simdloss: ${wasmFile(simd)} not found (looked for ${tried.map((u) => u.pathname).join(', ')}); ` +
      'a bundle needs the .wasm files of simdloss/wasm/ copied beside it, or import simdloss/inline instead',
  );
}

/**
 * The package's wasm/ folder, then beside this file: where a bundle (esbuild, Rollup) needs the
 * files copied. The first URL is written out in full so that webpack sees it and emits the file.
 * A CommonJS bundle made from this ES module has no import.meta.url, but has __filename.
 */
function places(simd: boolean): URL[] {
  const file = wasmFile(simd);
  if (import.meta.url) {
    const inPackage = simd
      ? new URL('../wasm/simdloss-simd.wasm', import.meta.url)
      : new URL('../wasm/simdloss-scalar.wasm', import.meta.url);
    return [inPackage, new URL(file, import.meta.url)];
  }
  if (typeof __filename !== 'string') return [];
  const here = pathToFileURL(__filename);
  return [new URL(`../wasm/${file}`, here), new URL(file, here)];
}
