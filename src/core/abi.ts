/**
 * The kernels' calling convention as this side assumes it: mode bits, scratch slots, result areas
 * and the block sizes they imply. Every number the TypeScript side shares with the wasm lives
 * here, so that a test can compare them with what the module itself declares.
 */

/** Mode bits every loss kernel reads. */
export const MODE_GRAD = 1;
export const MODE_WEIGHTED = 2;
export const MODE_LOSSES = 4;
/** Classifiers and classification kernels: count the examples predicted right (withGrad only). */
export const MODE_ACCURACY = 8;

/** Classification kernels: sparse targets smoothed by labelSmoothing. */
export const MODE_SMOOTH = 16;
/** Classification kernels: dense targets through the softmax kernel, plus Σ y log y (KL divergence on logits). */
export const MODE_ENTROPY = 32;
/** Classification kernels: labels equal to ignoreIndex contribute nothing. */
export const MODE_IGNORE = 64;

/** Triplet kernel: squared distances. */
export const MODE_SQUARED = 8;
/** Triplet kernel: the negative distance is min(d(a, n), d(p, n)). */
export const MODE_SWAP = 16;

/** Bytes per scratch slot. 32 KiB keeps a chunk's three streams (target, pred, grad) in L2 while a
 * chunk is long enough (8192 float32) that the per-chunk JS overhead stays small. */
export const SLOT_BYTES = 32768;
/** Scratch slots: the five below, then the extra streams of the classification and embedding families. */
export const SLOTS = 12;
export const SLOT = {
  target: 0,
  pred: 1,
  weights: 2,
  losses: 3,
  grad: 4,
  /** Classification: the labels (Int32Array) and the class weights (one row). */
  labels: 5,
  classWeights: 6,
  /** Embedding: up to three input streams and their gradients, and the per-row label. */
  inputs: [5, 6, 7],
  grads: [8, 9, 10],
  label: 11,
} as const;

/** A row wider than a slot is staged in a temporary block of this many rows: target, pred, gradient, class weights. */
export const WIDE_ROWS = 4;

/**
 * RESULT (every elementwise and embedding kernel), in float64 units: the sum, a second sum (the
 * classifiers' count right; the embedding kernels' refused label), and in int32 units the code of
 * the argument a refused element belongs to.
 */
export const RESULT_SUM = 0;
export const RESULT_SUM2 = 1;
export const RESULT_ARGUMENT_I32 = 4;
/** The argument codes, in code order. */
export const ARGUMENTS = ['target', 'pred', 'opts.weights'] as const;

/** ROW_RESULT (classification kernels), in float64 units, and the argument code in int32 units (0: the target). */
export const ROW_SUM = 0;
export const ROW_SUM2 = 1;
export const ROW_CORRECT = 2;
export const ROW_COUNTED = 3;
export const ROW_ARGUMENT_I32 = 8;
