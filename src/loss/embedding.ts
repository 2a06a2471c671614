/**
 * Embedding losses over batches of rows of `dim` values (kernels: assembly/loss/embedding/).
 * Distances and dot products are summed in float64 lanes, float32 rows included; where the math
 * has no gradient (a zero distance, a zero-norm vector) the gradient is 0.
 */
import { MODE_SQUARED, MODE_SWAP } from '../core/abi.js';
import { embedding } from '../core/embedding.js';
import type { PairLoss, TripletLoss } from '../core/types.js';

/** Options of {@link contrastive}, besides dim, reduction, weights and out. */
export interface ContrastiveOptions {
  /**
   * m: dissimilar pairs (y = 1) closer than m are pushed apart by ½max(0, m − D)². A finite number ≥ 0.
   * @defaultValue 1
   */
  margin?: number;
}

/** Options of {@link triplet}, besides dim, reduction, weights and out. */
export interface TripletOptions {
  /**
   * α: the negative must be farther from the anchor than the positive by at least α. A finite
   * number ≥ 0.
   * @defaultValue 1
   */
  margin?: number;
  /**
   * Use squared Euclidean distances ‖·‖² instead of distances.
   * @defaultValue false
   */
  squared?: boolean;
  /**
   * PyTorch's distance swap: the negative distance is min(d(a, n), d(p, n)) (on a tie d(a, n)).
   * @defaultValue false
   */
  swap?: boolean;
}

/** Options of {@link cosineEmbedding}, besides dim, reduction, weights and out. */
export interface CosineEmbeddingOptions {
  /**
   * m: dissimilar pairs (y = −1) cost max(0, cos(a, b) − m). A finite number ≥ 0 (PyTorch also
   * allows negative margins; simdloss does not); m ≥ 1 leaves only pairs with cos = 1 active.
   * @defaultValue 0
   */
  margin?: number;
}

/**
 * Contrastive loss (the seed's form): (1 − y)·½D² + y·½max(0, m − D)², D = ‖a − b‖, y = 0 for a
 * similar pair, 1 for a dissimilar one (values in between weigh the two terms linearly).
 */
export const contrastive = embedding<PairLoss<ContrastiveOptions>>({
  name: 'contrastive',
  kernel: 'contrastive',
  inputs: ['a', 'b'],
  label: 'in [0, 1] (0 similar, 1 dissimilar)',
  options: [{ name: 'margin', default: 1, min: 0 }],
  param: 'margin',
  flags: [],
});

/**
 * Triplet margin loss: max(0, d(a, p) − d(a, n) + α), d the Euclidean distance (its square with
 * `squared`); `swap` uses min(d(a, n), d(p, n)) as the negative distance (PyTorch's swap).
 *
 * The embedding losses take batches of rows of `dim` values (required); an example is one row,
 * and `grad` returns one gradient per embedding input.
 *
 * @example
 * ```ts
 * import { triplet, contrastive } from 'simdloss';
 *
 * const anchor = Float32Array.of(0, 0,   1, 1);     // 2 rows of dim 2
 * const positive = Float32Array.of(0, 1,   1, 1);
 * const negative = Float32Array.of(3, 4,   1, 2);
 * triplet(anchor, positive, negative, { dim: 2 });   // rows max(0, 1 − 5 + 1) and max(0, 0 − 1 + 1): 0
 * const { loss, grad } = triplet.withGrad(anchor, positive, negative, { dim: 2, margin: 2 });
 * loss;                                              // (0 + 1) / 2 = 0.5
 * grad.anchor; grad.positive; grad.negative;         // each the type and length of its input
 * contrastive(Float32Array.of(0, 1), anchor, negative, { dim: 2 });   // (½·25 + ½·0²) / 2 = 6.25
 * ```
 */
export const triplet = embedding<TripletLoss<TripletOptions>>({
  name: 'triplet',
  kernel: 'triplet',
  inputs: ['anchor', 'positive', 'negative'],
  options: [{ name: 'margin', default: 1, min: 0 }],
  param: 'margin',
  flags: [
    { name: 'squared', bit: MODE_SQUARED },
    { name: 'swap', bit: MODE_SWAP },
  ],
});

/** Cosine embedding loss: 1 − cos(a, b) where y = 1, max(0, cos(a, b) − m) where y = −1. */
export const cosineEmbedding = embedding<PairLoss<CosineEmbeddingOptions>>({
  name: 'cosineEmbedding',
  kernel: 'cosineEmbedding',
  inputs: ['a', 'b'],
  label: '1 or -1',
  options: [{ name: 'margin', default: 0, min: 0 }],
  param: 'margin',
  flags: [],
});
