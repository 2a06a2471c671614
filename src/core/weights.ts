/** The weight pass every family runs before its loss pass: each weight checked, Σ w returned. */
import { SLOT } from './abi.js';
import type { FloatArray } from './args.js';
import { SimdlossError, show } from './errors.js';
import { KernelPair } from './kernels.js';
import { chunkAt } from './staging.js';
import { wasm } from './wasm.js';

const WEIGHTS = new KernelPair('weights');

/**
 * Σ w over the n weights of `w` (wasm pointer `zw`, or -1), `chunk` at a time: every weight must be
 * finite and ≥ 0. The chunking is the caller's, because the sum is rounded per chunk.
 */
export function weightSum(fn: string, w: FloatArray, zw: number, n: number, chunk: number): number {
  const kernel = WEIGHTS.of(w instanceof Float32Array);
  let sum = 0;
  for (let i = 0; i < n; i += chunk) {
    const m = Math.min(chunk, n - i);
    const bad = kernel(m, chunkAt(w, zw, SLOT.weights, i, m));
    if (bad >= 0) {
      throw new SimdlossError(
        `${fn}: opts.weights[${i + bad}] must be a finite number ≥ 0; got ${show(w[i + bad])}`,
        'opts.weights',
        i + bad,
      );
    }
    sum += wasm.f64[wasm.result]!;
  }
  return sum;
}
