/**
 * What this layer and the kernels agree on: mode bits, the block size, the result block, argument
 * codes and the scratch slots. The kernels define each value once (assembly/abi.ts) and export it as an
 * immutable wasm global of the same name; test/unit/abi.test.ts checks that every value here equals it.
 * The values are constants here rather than read from the instance, so that they cost nothing per call.
 */

// Mode bits: what a call asks of a kernel.
export const MODE_GRAD = 1;
export const MODE_WEIGHTED = 2;
export const MODE_LOSSES = 4;
/** Classifiers and row-wise losses: the fraction classified right, from the same pass. */
export const MODE_ACCURACY = 8;
/** Sparse softmax cross-entropy with label smoothing. */
export const MODE_SMOOTH = 16;
/** Dense softmax cross-entropy plus Σ y log y per row (KL divergence from logits). */
export const MODE_ENTROPY = 32;
/** Sparse targets: rows whose label is ignoreIndex are skipped. */
export const MODE_IGNORE = 64;
/** Triplet: the squared distance. */
export const MODE_SQUARED = 8;
/** Triplet: the negative distance is min(d(a, n), d(p, n)). */
export const MODE_SWAP = 16;
/** Similarity rows wider than a slot, streamed a segment at a time: add this segment to the row's sums. */
export const MODE_SEGMENT_SUMS = 8;
/** With MODE_SEGMENT_SUMS: the row's first segment (its sums start from 0). */
export const MODE_SEGMENT_FIRST = 16;
/** Similarity: the row's loss from the sums of its segments, and this segment's gradient. */
export const MODE_SEGMENT_GRAD = 32;
/** Binary metrics: the target is read as the scores' float type (0 or 1), not as Int32 labels. */
export const MODE_FLOAT_TARGET = 8;
/** infoNCE: the mean of both directions (CLIP). */
export const MODE_SYMMETRIC = 8;

/** Elements per block: float32 lane sums are flushed into a float64 total every BLOCK elements. */
export const BLOCK = 1024;

// The result block (exported by the wasm as RESULT, its address): byte offsets.
export const RESULT_SUM = 0;
export const RESULT_SUM2 = 8;
export const RESULT_ARGUMENT = 16;
export const RESULT_CORRECT = 24;
export const RESULT_COUNTED = 32;
// The same, as indices into Float64Array / Int32Array views from the block's start.
// Stryker disable next-line ArithmeticOperator: RESULT_SUM is 0, so / 8 and * 8 give the same index
export const R_SUM = RESULT_SUM / 8;
export const R_SUM2 = RESULT_SUM2 / 8;
export const R_CORRECT = RESULT_CORRECT / 8;
export const R_COUNTED = RESULT_COUNTED / 8;
export const R_ARGUMENT_I32 = RESULT_ARGUMENT / 4;

/** Argument codes at RESULT_ARGUMENT: which argument held the value a kernel refused. */
export const ARGUMENT_TARGET = 0;
export const ARGUMENT_PRED = 1;
export const ARGUMENT_WEIGHTS = 2;
/** The second input of a three-input elementwise loss (variance, x2). */
export const ARGUMENT_SECOND = 3;

/** Bytes per scratch slot. 32 KiB keeps a chunk's three streams (target, pred, grad) in L2 while a
 * chunk is long enough (8192 float32) that the per-chunk JS overhead stays small. */
export const SLOT_BYTES = 32768;
/** Scratch slots: target, pred, weights, per-example losses, gradient; 5–11 for losses with more
 * inputs and gradients (embedding: a third input, three gradients; classification: labels). */
export const SLOTS = 12;
export const SLOT_TARGET = 0;
export const SLOT_PRED = 1;
export const SLOT_WEIGHTS = 2;
export const SLOT_LOSSES = 3;
export const SLOT_GRAD = 4;
export const SLOT = { target: SLOT_TARGET, pred: SLOT_PRED, weights: SLOT_WEIGHTS, losses: SLOT_LOSSES, grad: SLOT_GRAD } as const;
/** Classification: the labels and the class weights. */
export const SLOT_LABELS = 5;
export const SLOT_CLASS_WEIGHTS = 6;
/** Embedding: three input slots, their three gradient slots, the labels. */
export const SLOT_INPUTS = 5;
export const SLOT_INPUT_GRADS = 8;
export const LABEL_SLOT = 11;
export const IN_SLOTS = [SLOT_INPUTS, SLOT_INPUTS + 1, SLOT_INPUTS + 2] as const;
export const GRAD_SLOTS = [SLOT_INPUT_GRADS, SLOT_INPUT_GRADS + 1, SLOT_INPUT_GRADS + 2] as const;

/** The argument codes at RESULT_ARGUMENT, in code order: the names error messages give them. */
export const ARGUMENTS = ['target', 'pred', 'opts.weights'] as const;

/** The ranking sort's histograms: six 11-bit radix digits of 2048 u32 counters each. */
export const RANK_HISTOGRAM_BYTES = 6 * 2048 * 4;
