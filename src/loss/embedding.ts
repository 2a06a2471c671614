/**
 * Embedding losses over batches of rows of `dim` values (kernels: assembly/loss/embedding.ts).
 * Distances and dot products are summed in float64 lanes, float32 rows included; where the math
 * has no gradient (a zero distance, a zero-norm vector) the gradient is 0.
 */
import { MODE_SQUARED, MODE_SWAP } from '../core/abi.js';
import { type PairLoss, type TripletLoss, rows } from '../core/rows.js';

/**
 * Contrastive loss (the seed's form): (1 − y)·½D² + y·½max(0, m − D)², D = ‖a − b‖, y = 0 for a
 * similar pair, 1 for a dissimilar one (values in between weigh the two terms linearly).
 */
export const contrastive = rows<PairLoss<{ margin?: number }>>({
  name: 'contrastive',
  kernel: 'contrastive',
  inputs: ['a', 'b'],
  label: 'in [0, 1] (0 similar, 1 dissimilar)',
  options: [{ name: 'margin', default: 1, min: 0 }],
  flags: [],
});

/**
 * Triplet margin loss: max(0, d(a, p) − d(a, n) + α), d the Euclidean distance (its square with
 * `squared`); `swap` uses min(d(a, n), d(p, n)) as the negative distance (PyTorch's swap).
 */
export const triplet = rows<TripletLoss<{ margin?: number; squared?: boolean; swap?: boolean }>>({
  name: 'triplet',
  kernel: 'triplet',
  inputs: ['anchor', 'positive', 'negative'],
  options: [{ name: 'margin', default: 1, min: 0 }],
  flags: [{ name: 'squared', bit: MODE_SQUARED }, { name: 'swap', bit: MODE_SWAP }],
});

/** Cosine embedding loss: 1 − cos(a, b) where y = 1, max(0, cos(a, b) − m) where y = −1. */
export const cosineEmbedding = rows<PairLoss<{ margin?: number }>>({
  name: 'cosineEmbedding',
  kernel: 'cosineEmbedding',
  inputs: ['a', 'b'],
  label: '1 or -1',
  options: [{ name: 'margin', default: 0, min: 0 }],
  flags: [],
});
