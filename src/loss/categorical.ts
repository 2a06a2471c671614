/** Multi-class losses and metrics: an example is one row of `classes` values (kernels: assembly/loss/categorical/). */
import { classification } from '../core/classification.js';
import type { F32, F64 } from '../core/elementwise.js';
import type { Labels, RowwiseLoss, RowwiseMetric } from '../core/types.js';

/** Class weights: one finite weight ≥ 0 per class (any array of numbers, `classes` long). */
export type ClassWeights = ArrayLike<number>;

/** Options of {@link sparseSoftmaxCrossEntropy}, besides classes, reduction, weights, out and accuracy. */
export interface SparseSoftmaxOptions {
  /**
   * Rows whose label equals it contribute no loss and no gradient, and are left out of the mean
   * (PyTorch's `ignore_index`). An integer in the int32 range; unset, no label is ignored.
   */
  ignoreIndex?: number;
  /**
   * One weight ≥ 0 per class, scaling each row's loss by its label's weight; `'mean'` then divides
   * by Σ of the weights of the rows' labels (PyTorch's `weight`). Unset, every class weighs 1.
   */
  classWeights?: ClassWeights;
  /**
   * α: the target becomes (1 − α)·onehot + α/classes. In [0, 1].
   * @defaultValue 0
   */
  labelSmoothing?: number;
}

/**
 * −log softmax(z)_label per row, from logits by log-sum-exp; labels an Int32Array, one per row.
 * Gradient softmax(z) − onehot (smoothed, class-weighted), from the same pass.
 *
 * Every multi-class loss and metric takes `classes` (values per row, required); an example is one
 * row, `weights` has one weight per row, and the gradient has the shape of `pred`.
 *
 * @example
 * ```ts
 * import { sparseSoftmaxCrossEntropy, softmaxCrossEntropy } from 'simdloss';
 *
 * const logits = Float32Array.of(2, 0.5, -1,   0.1, 0.2, 3);   // 2 rows of 3 classes
 * const labels = Int32Array.of(0, 2);
 * sparseSoftmaxCrossEntropy(labels, logits, { classes: 3 });   // 0.1755
 * const { loss, grad, accuracy } = sparseSoftmaxCrossEntropy.withGrad(labels, logits, { classes: 3, accuracy: true });
 * accuracy;   // 1: both rows' largest logit is the label
 * // The same from one-hot targets, with class weights and label smoothing:
 * const onehot = Float32Array.of(1, 0, 0,   0, 0, 1);
 * softmaxCrossEntropy(onehot, logits, { classes: 3, classWeights: [1, 1, 2], labelSmoothing: 0.1 });   // 0.3004
 * ```
 */
export const sparseSoftmaxCrossEntropy = classification({
  name: 'sparseSoftmaxCrossEntropy',
  kernel: 'sparseSoftmaxCrossEntropy',
  target: 'labels',
  abi: 'softmax',
  options: [{ name: 'labelSmoothing', default: 0, min: 0, max: 1 }],
  param: 'labelSmoothing',
  denominator: 'sparseDenominator',
  classWeights: true,
  ignoreIndex: true,
}) as RowwiseLoss<SparseSoftmaxOptions, Labels, Labels>;

/** Options of {@link softmaxCrossEntropy}, besides classes, reduction, weights, out and accuracy. */
export interface SoftmaxOptions {
  /**
   * One weight ≥ 0 per class: the row's loss is −Σₖ wₖ ỹₖ log softmax(z)ₖ and `'mean'` divides by
   * Σₙ Σₖ wₖ yₙₖ on the unsmoothed targets (PyTorch's `weight`). Unset, every class weighs 1.
   */
  classWeights?: ClassWeights;
  /**
   * α: the target becomes (1 − α)·y + α/classes. In [0, 1].
   * @defaultValue 0
   */
  labelSmoothing?: number;
}

/** Options of {@link categoricalCrossEntropy}, besides classes, reduction, weights, out and accuracy. */
export interface CategoricalCrossEntropyOptions {
  /**
   * ε: probabilities are clamped to [ε, 1] before the log (not renormalised). In (0, 0.5).
   * @defaultValue 1e-7
   */
  eps?: number;
}

/** Options of {@link klDivergence}, besides classes, reduction, weights, out and accuracy. */
export interface KLDivergenceOptions {
  /**
   * ε: the predicted Q is clamped to [ε, 1] before the log (not used with `fromLogits`). In (0, 0.5).
   * @defaultValue 1e-7
   */
  eps?: number;
  /**
   * The prediction is logits: Q = softmax(pred), through log-softmax (no clamp; gradient
   * softmax(z)·ΣP − P).
   * @defaultValue false
   */
  fromLogits?: boolean;
  /**
   * The target is given as log P (PyTorch's `log_target`): each value ≤ 0, −∞ for P = 0 (a
   * value above 0 or NaN is refused; rows are not checked to sum to 1, as P is not). The term is
   * e^y·(y − log Q), 0 where e^y = 0; the gradient is the same as for the target e^y.
   * @defaultValue false
   */
  logTarget?: boolean;
}

/** Options of {@link topKAccuracy}, besides classes, reduction and weights. */
export interface TopKAccuracyOptions {
  /**
   * How many of the largest predictions the label may be among. An integer ≥ 1 and ≤ classes;
   * the default is capped at `classes`.
   * @defaultValue 5
   */
  k?: number;
}

/**
 * −Σₖ yₖ log softmax(z)ₖ per row, dense one-hot or soft targets in [0, 1] (rows are not checked to
 * sum to 1: the loss and its exact gradient softmax(z)·Σy − y are those of the formula as written).
 */
export const softmaxCrossEntropy = classification({
  name: 'softmaxCrossEntropy',
  kernel: 'softmaxCrossEntropy',
  target: 'dense',
  abi: 'softmax',
  options: [{ name: 'labelSmoothing', default: 0, min: 0, max: 1 }],
  param: 'labelSmoothing',
  denominator: 'denseDenominator',
  classWeights: true,
}) as RowwiseLoss<SoftmaxOptions, F32, F64>;

/** Fraction of rows whose argmax(pred) is argmax(target); ties go to the first index, a NaN counts as the largest. */
export const categoricalAccuracy = classification({
  name: 'categoricalAccuracy',
  kernel: 'categoricalAccuracy',
  target: 'dense',
  abi: 'argmax',
  options: [],
}) as RowwiseMetric<object, F32, F64>;

/** Fraction of rows whose argmax(pred) is the label; ties go to the first index, a NaN counts as the largest. */
export const sparseCategoricalAccuracy = classification({
  name: 'sparseCategoricalAccuracy',
  kernel: 'topKAccuracy',
  target: 'labels',
  abi: 'topk',
  options: [],
  topK: 1,
}) as RowwiseMetric<object, Labels, Labels>;

/**
 * Fraction of rows whose label is among the k largest logits. Classes that tie with the label's
 * rank ahead of it when their index is lower (so k = 1 is argmax with ties to the first index);
 * a NaN counts as the largest. The default k = 5 is capped at `classes`; an explicit k must be ≤ classes.
 *
 * @example
 * ```ts
 * import { topKAccuracy, sparseCategoricalAccuracy } from 'simdloss';
 *
 * const logits = Float32Array.of(2, 0.5, -1,   0.1, 3, 0.2);   // 2 rows of 3 classes
 * const labels = Int32Array.of(0, 2);
 * sparseCategoricalAccuracy(labels, logits, { classes: 3 });   // 0.5: row 2's argmax is class 1
 * topKAccuracy(labels, logits, { classes: 3, k: 2 });          // 1: label 2 is row 2's second largest
 * ```
 */
export const topKAccuracy = classification({
  name: 'topKAccuracy',
  kernel: 'topKAccuracy',
  target: 'labels',
  abi: 'topk',
  options: [{ name: 'k', default: 5, min: 1 }],
  topK: 'k',
}) as RowwiseMetric<TopKAccuracyOptions, Labels, Labels>;

/** −Σₖ yₖ log pₖ per row on probabilities, p clamped to [ε, 1] and not renormalised; gradient −y/p at the clamped p. */
export const categoricalCrossEntropy = classification({
  name: 'categoricalCrossEntropy',
  kernel: 'categoricalCrossEntropy',
  target: 'dense',
  abi: 'rowsum',
  options: [{ name: 'eps', default: 1e-7, min: 0, minOpen: true, max: 0.5, maxOpen: true }],
  param: 'eps',
}) as RowwiseLoss<CategoricalCrossEntropyOptions, F32, F64>;

/**
 * KL(P‖Q) = Σ P log(P/Q) per row, 0·log 0 = 0; P the target, Q the prediction clamped to [ε, 1]
 * (gradient −P/Q at the clamped Q). With fromLogits, Q = softmax(pred) through log-softmax (no
 * clamp; gradient softmax(z)·ΣP − P). 'mean' divides by the rows: PyTorch's 'batchmean'. With
 * logTarget the target is log P (≤ 0, −∞ allowed) and each term e^y·(y − log Q), with or without fromLogits.
 */
export const klDivergence = classification({
  name: 'klDivergence',
  kernel: 'klDivergence',
  target: 'dense',
  abi: 'rowsum',
  options: [{ name: 'eps', default: 1e-7, min: 0, minOpen: true, max: 0.5, maxOpen: true }],
  param: 'eps',
  logits: 'softmaxCrossEntropy',
  logTarget: { kernel: 'klDivergenceLogTarget', logits: 'klDivergenceLogTargetLogits' },
}) as RowwiseLoss<KLDivergenceOptions, F32, F64>;

/**
 * max(0, 1 + max_{k≠t} ŷₖ − ŷₜ) per row, t = argmax of the target row (its one-hot class; ties to
 * the first). Gradient −1 at t and +1 at the first largest other class where the margin is ≥ 0
 * (the active side at the kink); 0 for a single class.
 */
export const categoricalHinge = classification({
  name: 'categoricalHinge',
  kernel: 'categoricalHinge',
  target: 'dense',
  abi: 'rowsum',
  options: [],
}) as RowwiseLoss<object, F32, F64>;

/** Options of {@link multiMargin}, besides classes, reduction, weights, out and accuracy. */
export interface MultiMarginOptions {
  /**
   * The exponent of each hinge: 1 (the Weston–Watkins hinge) or 2 (squared). Only 1 or 2.
   * @defaultValue 1
   */
  p?: number;
  /**
   * m: the score of the label must exceed every other by m for a zero loss. ≥ 0.
   * @defaultValue 1
   */
  margin?: number;
  /**
   * One weight ≥ 0 per class: each row's terms are scaled by its label's weight (PyTorch's `weight`);
   * `'mean'` still divides by the rows (Σ of the row weights). Unset, every class weighs 1.
   */
  classWeights?: ClassWeights;
}

/**
 * Multi-class margin loss (Weston–Watkins; PyTorch's `multi_margin_loss`): per row with label t,
 * (w_t/C)·Σ_{k≠t} max(0, m − ŷ_t + ŷ_k)^p; labels an Int32Array, one per row. Gradient w_t/C·p·max(0, ·)^(p−1)
 * at each other class where the hinge is active, minus their sum at t; 0 at the kink (m − ŷ_t + ŷ_k = 0), as PyTorch.
 *
 * @example
 * ```ts
 * import { multiMargin } from 'simdloss';
 *
 * const scores = Float32Array.of(0.1, 0.2, 0.4, 0.8,   2, -1, 0, 0.5);   // 2 rows of 4 classes
 * const labels = Int32Array.of(3, 0);
 * multiMargin(labels, scores, { classes: 4 });   // 0.1625: row 1 (0.3 + 0.4 + 0.6)/4, row 2 0
 * multiMargin.withGrad(labels, scores, { classes: 4, p: 2, margin: 0.5, classWeights: [1, 1, 1, 2] });
 * ```
 */
export const multiMargin = classification({
  name: 'multiMargin',
  kernel: 'multiMargin',
  target: 'labels',
  abi: 'terms',
  options: [
    { name: 'p', default: 1, min: 1, max: 2, values: [1, 2] },
    { name: 'margin', default: 1, min: 0 },
  ],
  param: 'margin',
  second: 'p',
  classWeights: true,
}) as RowwiseLoss<MultiMarginOptions, Labels, Labels>;

/** Options of {@link multilabelSoftMargin}, besides classes, reduction, weights, out and accuracy. */
export interface MultilabelSoftMarginOptions {
  /**
   * One weight ≥ 0 per class, scaling that class's logistic term (PyTorch's `weight`); `'mean'`
   * still divides by the rows (Σ of the row weights). Unset, every class weighs 1.
   */
  classWeights?: ClassWeights;
}

/**
 * Multi-label soft margin loss (PyTorch's `multilabel_soft_margin_loss`): per row of logits z and
 * targets y in [0, 1], −(1/C)·Σₖ wₖ[yₖ log σ(zₖ) + (1 − yₖ) log σ(−zₖ)], from softplus forms (finite
 * for any finite logit); gradient (wₖ/C)·(σ(zₖ) − yₖ). The `accuracy` option compares argmaxes, as
 * for the other dense row losses.
 *
 * @example
 * ```ts
 * import { multilabelSoftMargin } from 'simdloss';
 *
 * const logits = Float32Array.of(2, -1, 0.5,   -3, 4, 0);   // 2 rows of 3 labels
 * const target = Float32Array.of(1, 0, 1,   0, 1, 0);
 * multilabelSoftMargin(target, logits, { classes: 3 });   // 0.2790
 * ```
 */
export const multilabelSoftMargin = classification({
  name: 'multilabelSoftMargin',
  kernel: 'multilabelSoftMargin',
  target: 'dense',
  abi: 'terms',
  options: [],
  classWeights: true,
}) as RowwiseLoss<MultilabelSoftMarginOptions, F32, F64>;

/** Options of {@link nll}, besides classes, reduction, weights, out and accuracy. */
export interface NLLOptions {
  /**
   * Rows whose label equals it contribute no loss and no gradient, and are left out of the mean
   * (PyTorch's `ignore_index`). An integer in the int32 range; unset, no label is ignored.
   */
  ignoreIndex?: number;
  /**
   * One weight ≥ 0 per class, scaling each row's loss by its label's weight; `'mean'` then divides
   * by Σ of the weights of the rows' labels (PyTorch's `weight`). Unset, every class weighs 1.
   */
  classWeights?: ClassWeights;
}

/**
 * −x_label per row on log-probabilities x (PyTorch's `nll_loss`), for models that end in
 * log-softmax; labels an Int32Array, one per row. Gradient −w_label at the label, 0 elsewhere.
 * Only the label's value enters: as in PyTorch the log-probabilities are not checked (a value
 * above 0 gives a negative loss, a NaN at the label a NaN loss).
 *
 * @example
 * ```ts
 * import { nll } from 'simdloss';
 *
 * const logProbs = Float32Array.of(-0.2, -1.8, -3,   -2.5, -2.4, -0.2);   // 2 rows of 3 classes
 * nll(Int32Array.of(0, 2), logProbs, { classes: 3 });   // 0.2
 * nll(Int32Array.of(0, 2), logProbs, { classes: 3, classWeights: [1, 1, 3] });   // (0.2 + 0.6) / 4 = 0.2
 * ```
 */
export const nll = classification({
  name: 'nll',
  kernel: 'nll',
  target: 'labels',
  abi: 'softmax',
  options: [],
  denominator: 'sparseDenominator',
  classWeights: true,
  ignoreIndex: true,
}) as RowwiseLoss<NLLOptions, Labels, Labels>;

/** Options of {@link softmaxFocal}, besides classes, reduction, weights, out and accuracy. */
export interface SoftmaxFocalOptions {
  /**
   * γ ≥ 0, the focusing exponent of (1 − pₖ)^γ; 0 gives α-weighted softmax cross-entropy.
   * @defaultValue 2
   */
  gamma?: number;
  /**
   * αₖ: one number ≥ 0 for every class, or one per class (an array of `classes` numbers ≥ 0,
   * e.g. inverse class frequencies), scaling each class's term.
   * @defaultValue 0.25
   */
  alpha?: number | ClassWeights;
  /**
   * The target becomes (1 − labelSmoothing)·y + labelSmoothing/classes. In [0, 1].
   * @defaultValue 0
   */
  labelSmoothing?: number;
}

/** Options of {@link sparseSoftmaxFocal}, besides classes, reduction, weights, out and accuracy. */
export interface SparseSoftmaxFocalOptions extends SoftmaxFocalOptions {
  /**
   * Rows whose label equals it contribute no loss and no gradient, and are left out of the mean
   * and of Σ weights (label smoothing applies to the other rows). An integer in the int32 range;
   * unset, no label is ignored.
   */
  ignoreIndex?: number;
}

const focalOptions = [
  { name: 'gamma', default: 2, min: 0 },
  { name: 'alpha', default: 0.25, min: 0 },
  { name: 'labelSmoothing', default: 0, min: 0, max: 1 },
] as const;

/**
 * −Σₖ αₖ(1 − pₖ)^γ yₖ log pₖ per row, p = softmax(z), from logits and dense targets in [0, 1]
 * (Keras's `CategoricalFocalCrossentropy(from_logits=True)`, without its clip of p): log pₖ by
 * log-sum-exp and 1 − pₖ from the same sums (not 1 − eˣ), finite and accurate for logits of ±1e4
 * and for pₖ → 1. `'mean'` averages over rows.
 *
 * @example
 * ```ts
 * import { softmaxFocal, sparseSoftmaxFocal } from 'simdloss';
 *
 * const logits = Float32Array.of(2, 0.5, -1,   0.1, 0.2, 3);   // 2 rows of 3 classes
 * softmaxFocal(Float32Array.of(1, 0, 0,   0, 0, 1), logits, { classes: 3 });   // 0.001534
 * sparseSoftmaxFocal(Int32Array.of(0, 2), logits, { classes: 3, gamma: 1, alpha: [1, 1, 2] });   // 0.03725
 * ```
 */
export const softmaxFocal = classification({
  name: 'softmaxFocal',
  kernel: 'softmaxFocal',
  target: 'dense',
  abi: 'focal',
  options: focalOptions,
  param: 'gamma',
  second: 'labelSmoothing',
  perClass: 'alpha',
}) as RowwiseLoss<SoftmaxFocalOptions, F32, F64>;

/** {@link softmaxFocal} with labels (an Int32Array, one per row) for one-hot targets, and `ignoreIndex`. */
export const sparseSoftmaxFocal = classification({
  name: 'sparseSoftmaxFocal',
  kernel: 'sparseSoftmaxFocal',
  target: 'labels',
  abi: 'focal',
  options: focalOptions,
  param: 'gamma',
  second: 'labelSmoothing',
  perClass: 'alpha',
  denominator: 'sparseRowCount',
  ignoreIndex: true,
}) as RowwiseLoss<SparseSoftmaxFocalOptions, Labels, Labels>;
