// What the TypeScript layer and the kernels must agree on, defined here once and exported from the
// wasm as immutable globals (src/core/abi.ts holds the same values; test/unit/abi.test.ts compares them).

// Mode bits: what a call asks of a kernel. Every family reads the first three; the rest are its own.
export const MODE_GRAD: i32 = 1;
export const MODE_WEIGHTED: i32 = 2;
export const MODE_LOSSES: i32 = 4;
/** Classifiers and row-wise losses: count the examples classified right in the same pass. */
export const MODE_ACCURACY: i32 = 8;
/** Sparse softmax cross-entropy: label smoothing (every class weight enters each row). */
export const MODE_SMOOTH: i32 = 16;
/** Dense softmax cross-entropy: add Σ y log y per row (KL divergence from logits: KL(P‖softmax z) = CE(P, z) + Σ P log P). */
export const MODE_ENTROPY: i32 = 32;
/** Sparse: rows whose label is `ignore` are skipped (without it every i32 label is checked). */
export const MODE_IGNORE: i32 = 64;
/** Triplet: the squared distance. */
export const MODE_SQUARED: i32 = 8;
/** Binary metrics: the target is read as the scores' float type (0 or 1), not as Int32 labels. */
export const MODE_FLOAT_TARGET: i32 = 8;
/** Triplet: the negative distance is min(d(a, n), d(p, n)). */
export const MODE_SWAP: i32 = 16;
/** Similarity rows wider than a slot, streamed a segment at a time: add this segment to the row's sums. */
export const MODE_SEGMENT_SUMS: i32 = 8;
/** With MODE_SEGMENT_SUMS: the row's first segment (its sums start from 0). */
export const MODE_SEGMENT_FIRST: i32 = 16;
/** Similarity: the row's loss from the sums of its segments, and this segment's gradient. */
export const MODE_SEGMENT_GRAD: i32 = 32;
/** infoNCE: the mean of both directions, anchors → positives and positives → anchors (CLIP). */
export const MODE_SYMMETRIC: i32 = 8;

// float32 lanes are flushed into a float64 total every BLOCK elements: 256 additions per lane at
// most, so a block's rounding error stays near 2⁻²⁴·256 relative, independent of n.
export const BLOCK: i32 = 1024;

// The result block: what a kernel cannot return. Byte offsets from RESULT.
/** Σ wᵢ·lᵢ (weights: Σ wᵢ). */
export const RESULT_SUM: i32 = 0;
/** A second float64: a denominator, the elementwise classifiers' count right, or a refused embedding label. */
export const RESULT_SUM2: i32 = 8;
/** i32: which argument held the value a kernel refused (ARGUMENT_*). */
export const RESULT_ARGUMENT: i32 = 16;
/** Row-wise: Σ w·[row classified right] and its denominator. */
export const RESULT_CORRECT: i32 = 24;
export const RESULT_COUNTED: i32 = 32;

export const RESULT: usize = memory.data(48, 16);

/** Argument codes left at RESULT_ARGUMENT with the index of a value outside the domain. */
export const ARGUMENT_TARGET: i32 = 0;
export const ARGUMENT_PRED: i32 = 1;
export const ARGUMENT_WEIGHTS: i32 = 2;
/** The second input of a three-input elementwise loss (its first is ARGUMENT_PRED's place): variance, x2. */
export const ARGUMENT_SECOND: i32 = 3;

// Scratch slots above the heap base through which ordinary arrays are streamed (the kernels never
// see them: the TypeScript layer lays them out and passes their addresses). 32 KiB keeps a chunk's
// three streams (target, pred, grad) in L2 while a chunk is long enough (8192 float32) that the
// per-chunk JS overhead stays small.
export const SLOT_BYTES: i32 = 32768;
export const SLOTS: i32 = 12;
export const SLOT_TARGET: i32 = 0;
export const SLOT_PRED: i32 = 1;
export const SLOT_WEIGHTS: i32 = 2;
export const SLOT_LOSSES: i32 = 3;
export const SLOT_GRAD: i32 = 4;
/** Classification: the labels and the class weights. */
export const SLOT_LABELS: i32 = 5;
export const SLOT_CLASS_WEIGHTS: i32 = 6;
/** Embedding: the first of three input slots, the first of their three gradient slots, the labels. */
export const SLOT_INPUTS: i32 = 5;
export const SLOT_INPUT_GRADS: i32 = 8;
export const LABEL_SLOT: i32 = 11;
