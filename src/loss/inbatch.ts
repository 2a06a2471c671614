/**
 * In-batch contrastive losses (kernels: assembly/loss/inbatch.ts): every row of a batch against
 * every other, by the cosine similarity of rows normalised as x / max(‖x‖, 1e-8). The batch's
 * similarity matrix is computed strip by strip in wasm memory and never stored whole.
 */
import { MODE_SYMMETRIC } from '../core/abi.js';
import { type InbatchLoss, inbatch } from '../core/inbatch.js';

/** Options of {@link infoNCE}, besides dim, reduction and out (`out: { anchors?, positives? }`). */
export interface InfoNCEOptions {
  /**
   * τ: the cosine similarities are divided by τ before the softmax. A finite number > 0.
   * @defaultValue 0.1
   */
  temperature?: number;
  /**
   * Average with the reverse direction, each positive against every anchor (CLIP's loss): row i's
   * loss is ½(ℓ(aᵢ → p) + ℓ(pᵢ → a)).
   * @defaultValue false
   */
  symmetric?: boolean;
}

/** Options of {@link ntXent}, besides dim, reduction and out (`out: { a?, b? }`). */
export interface NTXentOptions {
  /**
   * τ: the cosine similarities are divided by τ before the softmax. A finite number > 0.
   * @defaultValue 0.5
   */
  temperature?: number;
}

/**
 * InfoNCE (CLIP's loss with `symmetric`): row i of anchors against every row of positives, its
 * own positive the target: ℓᵢ = −log softmaxⱼ(cos(aᵢ, pⱼ)/τ) at j = i. Cosines are of rows divided
 * by max(‖x‖, 1e-8): a zero row has cosine 0 with everything, a finite loss and a gradient g/1e-8
 * (the normalisation is linear below the floor). A batch of one row has no negatives: loss 0,
 * gradients 0 (the softmax over one candidate is 1, as PyTorch's cross-entropy gives). 'mean'
 * divides by n; 'none' returns n losses (with `symmetric`, row i is ½(forward + reverse)). No weights.
 *
 * Memory: the whole batch is in wasm memory during the call: per row 3·dim values of the dtype
 * and dim float64 (normalised rows, column partials, gradient sums), plus copies of the arguments
 * that are not WasmArrays: for n = 4096, dim = 512, float32, 64.6 MiB of workspace, 96.6 MiB with
 * ordinary arrays in and gradients out. Wasm memory keeps its size after the call (it is reused).
 *
 * @example
 * ```ts
 * import { infoNCE } from 'simdloss';
 *
 * const anchors = Float32Array.of(1, 0, 0, 1);     // 2 rows of dim 2
 * const positives = Float32Array.of(2, 0, 0, 3);   // the same directions
 * infoNCE(anchors, positives, { dim: 2 });         // 4.54e-5: log(1 + e^−10), each row's cosines 1 and 0 over τ = 0.1
 * const { loss, grad } = infoNCE.withGrad(anchors, positives, { dim: 2, symmetric: true });
 * grad.anchors; grad.positives;                    // each 2 × 2
 * ```
 */
export const infoNCE = inbatch<InbatchLoss<InfoNCEOptions, 'anchors' | 'positives'>>({
  name: 'infoNCE',
  kernel: 'infoNCE',
  inputs: ['anchors', 'positives'],
  options: [{ name: 'temperature', default: 0.1, min: 0, minOpen: true }],
  flags: [{ name: 'symmetric', default: false, bit: MODE_SYMMETRIC }],
  rowsPerPair: 1,
});

/**
 * NT-Xent (SimCLR): the 2n rows of [a; b], row k's positive its pair (aᵢ ↔ bᵢ), its negatives the
 * other 2n − 2 rows: ℓₖ = −log(e^{s(k,pair)/τ} / Σ_{j≠k} e^{s(k,j)/τ}), s the cosine of rows divided
 * by max(‖x‖, 1e-8). 'mean' divides by 2n; 'none' returns 2n losses, a's rows then b's. One pair
 * (n = 1) has no negatives: loss 0, gradients 0. No weights. Memory as {@link infoNCE}'s.
 *
 * @example
 * ```ts
 * import { ntXent } from 'simdloss';
 *
 * const a = Float32Array.of(1, 0, 0, 1);
 * const b = Float32Array.of(1, 0.1, 0.1, 1);
 * ntXent(a, b, { dim: 2, reduction: 'none' });     // [0.265, 0.265, 0.3147, 0.3147]: a₀, a₁, b₀, b₁
 * const { grad } = ntXent.withGrad(a, b, { dim: 2, temperature: 0.2 });
 * grad.a; grad.b;
 * ```
 */
export const ntXent = inbatch<InbatchLoss<NTXentOptions, 'a' | 'b'>>({
  name: 'ntXent',
  kernel: 'ntXent',
  inputs: ['a', 'b'],
  options: [{ name: 'temperature', default: 0.5, min: 0, minOpen: true }],
  flags: [],
  rowsPerPair: 2,
});
