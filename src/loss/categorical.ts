/** Multi-class losses and metrics: an example is one row of `classes` values (kernels: assembly/loss/categorical/). */
import type { F32, F64 } from '../core/elementwise.js';
import { type Labels, type RowwiseLoss, type RowwiseMetric, rowwise } from '../core/rowwise.js';

/** Class weights: one finite weight ≥ 0 per class. */
export type ClassWeights = ArrayLike<number>;

export interface SparseSoftmaxOptions {
  /** Labels equal to it contribute no loss and no gradient, and are left out of the mean. */
  ignoreIndex?: number;
  /** PyTorch's: the mean divides by Σ of the weights of the rows' labels. */
  classWeights?: ClassWeights;
  /** α in [0, 1]: the target becomes (1 − α)·onehot + α/classes. */
  labelSmoothing?: number;
}

/**
 * −log softmax(z)_label per row, from logits by log-sum-exp; labels an Int32Array, one per row.
 * Gradient softmax(z) − onehot (smoothed, class-weighted), from the same pass.
 */
export const sparseSoftmaxCrossEntropy = rowwise({
  name: 'sparseSoftmaxCrossEntropy',
  kernel: 'sparseSoftmaxCrossEntropy',
  target: 'labels',
  kind: 'softmax',
  options: [{ name: 'labelSmoothing', default: 0, min: 0, max: 1 }],
  classWeights: true,
  ignoreIndex: true,
}) as RowwiseLoss<SparseSoftmaxOptions, Labels, Labels>;

export interface SoftmaxOptions {
  /** PyTorch's: the mean divides by Σₙ Σₖ wₖ yₙₖ (the unsmoothed targets). */
  classWeights?: ClassWeights;
  /** α in [0, 1]: the target becomes (1 − α)·y + α/classes. */
  labelSmoothing?: number;
}

/**
 * −Σₖ yₖ log softmax(z)ₖ per row, dense one-hot or soft targets in [0, 1] (rows are not checked to
 * sum to 1: the loss and its exact gradient softmax(z)·Σy − y are those of the formula as written).
 */
export const softmaxCrossEntropy = rowwise({
  name: 'softmaxCrossEntropy',
  kernel: 'softmaxCrossEntropy',
  target: 'dense',
  kind: 'softmax',
  options: [{ name: 'labelSmoothing', default: 0, min: 0, max: 1 }],
  classWeights: true,
}) as RowwiseLoss<SoftmaxOptions, F32, F64>;

/** Fraction of rows whose argmax(pred) is argmax(target); ties go to the first index, a NaN counts as the largest. */
export const categoricalAccuracy = rowwise({
  name: 'categoricalAccuracy',
  kernel: 'categoricalAccuracy',
  target: 'dense',
  kind: 'metric',
  options: [],
}) as RowwiseMetric<object, F32, F64>;

/** Fraction of rows whose argmax(pred) is the label; ties go to the first index, a NaN counts as the largest. */
export const sparseCategoricalAccuracy = rowwise({
  name: 'sparseCategoricalAccuracy',
  kernel: 'topKAccuracy',
  target: 'labels',
  kind: 'metric',
  options: [],
}) as RowwiseMetric<object, Labels, Labels>;

/**
 * Fraction of rows whose label is among the k largest logits. Classes that tie with the label's
 * rank ahead of it when their index is lower (so k = 1 is argmax with ties to the first index);
 * a NaN counts as the largest. The default k = 5 is capped at `classes`; an explicit k must be ≤ classes.
 */
export const topKAccuracy = rowwise({
  name: 'topKAccuracy',
  kernel: 'topKAccuracy',
  target: 'labels',
  kind: 'metric',
  options: [{ name: 'k', default: 5, min: 1 }],
}) as RowwiseMetric<{ k?: number }, Labels, Labels>;

/** −Σₖ yₖ log pₖ per row on probabilities, p clamped to [ε, 1] and not renormalised; gradient −y/p at the clamped p. */
export const categoricalCrossEntropy = rowwise({
  name: 'categoricalCrossEntropy',
  kernel: 'categoricalCrossEntropy',
  target: 'dense',
  kind: 'rowsum',
  options: [{ name: 'eps', default: 1e-7, min: 0, minOpen: true, max: 0.5, maxOpen: true }],
}) as RowwiseLoss<{ eps?: number }, F32, F64>;

/**
 * KL(P‖Q) = Σ P log(P/Q) per row, 0·log 0 = 0; P the target, Q the prediction clamped to [ε, 1]
 * (gradient −P/Q at the clamped Q). With fromLogits, Q = softmax(pred) through log-softmax (no
 * clamp; gradient softmax(z)·ΣP − P). 'mean' divides by the rows: PyTorch's 'batchmean'.
 */
export const klDivergence = rowwise({
  name: 'klDivergence',
  kernel: 'klDivergence',
  target: 'dense',
  kind: 'rowsum',
  fromLogits: true,
  options: [{ name: 'eps', default: 1e-7, min: 0, minOpen: true, max: 0.5, maxOpen: true }],
}) as RowwiseLoss<{ eps?: number; fromLogits?: boolean }, F32, F64>;

/**
 * max(0, 1 + max_{k≠t} ŷₖ − ŷₜ) per row, t = argmax of the target row (its one-hot class; ties to
 * the first). Gradient −1 at t and +1 at the first largest other class where the margin is ≥ 0
 * (the active side at the kink); 0 for a single class.
 */
export const categoricalHinge = rowwise({
  name: 'categoricalHinge',
  kernel: 'categoricalHinge',
  target: 'dense',
  kind: 'rowsum',
  options: [],
}) as RowwiseLoss<object, F32, F64>;
