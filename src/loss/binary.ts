/**
 * Binary classification losses and the binary accuracy metric (kernels: assembly/loss/binary/).
 * Targets of the cross-entropy and focal losses lie in [0, 1] (soft labels allowed), probabilities
 * in [0, 1]; hinge labels are −1 and 1, with 0 read as −1. Anything else is a SimdlossError naming
 * the index and the value, found by the kernel in the same pass.
 * `withGrad(target, pred, { accuracy: true })` adds the fraction classified right: prob > ½,
 * logit > 0 or ŷ > 0 predicts the positive class (a tie predicts the negative one), a target > ½
 * (hinge: 1) is positive; with weights, Σ wᵢ·rightᵢ / Σ wᵢ.
 */
import { type ClassifierLoss, type ElementwiseMetric, elementwise, metric } from '../core/elementwise.js';

const UNIT = 'in [0, 1]';

/** Options of {@link binaryCrossEntropy}, besides reduction, weights, out and accuracy. */
export interface BinaryCrossEntropyOptions {
  /**
   * ε: probabilities are clamped to [ε, 1 − ε] (both bounds rounded to the dtype) before the log,
   * so a confidently wrong prediction costs a finite loss with a non-zero gradient. In (0, 0.5).
   * @defaultValue 1e-7
   */
  eps?: number;
  /**
   * w₊: the weight of the positive term, −w₊·y·ln p (PyTorch's `pos_weight`); above 1 a missed
   * positive costs more than a false alarm. A finite number ≥ 0.
   * @defaultValue 1
   */
  posWeight?: number;
}

/** Options of {@link binaryCrossEntropyWithLogits}, besides reduction, weights, out and accuracy. */
export interface BinaryCrossEntropyWithLogitsOptions {
  /**
   * w₊: the weight of the positive term, w₊·ỹ·softplus(−z) (PyTorch's `pos_weight`). A finite
   * number ≥ 0.
   * @defaultValue 1
   */
  posWeight?: number;
  /**
   * α: targets become ỹ = y(1 − α) + α/2 (Keras' `label_smoothing`). In [0, 1].
   * @defaultValue 0
   */
  labelSmoothing?: number;
}

/** Options of {@link binaryFocal}, besides reduction, weights, out and accuracy. */
export interface BinaryFocalOptions {
  /**
   * γ: the focusing exponent of (1 − pₜ)^γ, which down-weights examples already classified well;
   * 0 gives the αₜ-weighted binary cross-entropy. A finite number ≥ 0.
   * @defaultValue 2
   */
  gamma?: number;
  /**
   * α: the weight of the positive class, αₜ = α·y + (1 − α)(1 − y) (torchvision's `alpha`). In [0, 1].
   * @defaultValue 0.25
   */
  alpha?: number;
}

/** Options of {@link binaryAccuracy}, besides reduction and weights. */
export interface BinaryAccuracyOptions {
  /**
   * A probability above it predicts the positive class (a tie predicts the negative one). In [0, 1].
   * @defaultValue 0.5
   */
  threshold?: number;
}

/**
 * Binary cross-entropy on probabilities: −[w₊·y·ln p + (1 − y)·ln(1 − p)], p clamped to [ε, 1 − ε]
 * with both bounds rounded to the dtype (float32, default ε: [1.00000001e-7, 1 − 2⁻²³ = 0.99999988]).
 * Gradient at the clamped p: [(1 − y)p − w₊y(1 − p)] / (p(1 − p)), finite and non-zero.
 */
export const binaryCrossEntropy = elementwise({
  name: 'binaryCrossEntropy',
  kernel: 'binaryCrossEntropy',
  options: [
    { name: 'eps', default: 1e-7, min: 0, minOpen: true, max: 0.5, maxOpen: true },
    { name: 'posWeight', default: 1, min: 0 },
  ],
  params: ([eps, posWeight]) => [eps!, posWeight!],
  domain: { target: UNIT, pred: 'a probability in [0, 1]' },
  accuracy: true,
}) as ClassifierLoss<BinaryCrossEntropyOptions>;

/**
 * Binary cross-entropy on logits z: w₊ỹ·softplus(−z) + (1 − ỹ)·softplus(z) (PyTorch's
 * BCEWithLogits with pos_weight), ỹ = y(1 − α) + α/2 with α = labelSmoothing.
 * Gradient (1 − ỹ)σ(z) − w₊ỹσ(−z). Finite for any finite logit.
 *
 * The binary losses take targets in [0, 1] (hinge: −1, 0 or 1) and, with `accuracy: true` in
 * `withGrad`, also return the fraction classified right from the same pass.
 *
 * @example
 * ```ts
 * import { binaryCrossEntropy, binaryCrossEntropyWithLogits } from 'simdloss';
 *
 * // A missed disease and a false alarm, each 95% confident, cost the same…
 * binaryCrossEntropy(Float32Array.of(1), Float32Array.of(0.05));                    // 3.00
 * binaryCrossEntropy(Float32Array.of(0), Float32Array.of(0.95));                    // 3.00
 * // …unless the positive class weighs more.
 * binaryCrossEntropy(Float32Array.of(1), Float32Array.of(0.05), { posWeight: 10 }); // 29.96
 *
 * const target = Float32Array.of(1, 0, 1, 0);
 * const logits = Float32Array.of(2.5, -1, -0.5, 0.3);
 * const { loss, grad, accuracy } = binaryCrossEntropyWithLogits.withGrad(target, logits, { accuracy: true });
 * loss;       // 0.555
 * accuracy;   // 0.5: a logit > 0 predicts 1
 * ```
 */
export const binaryCrossEntropyWithLogits = elementwise({
  name: 'binaryCrossEntropyWithLogits',
  kernel: 'binaryCrossEntropyWithLogits',
  options: [
    { name: 'posWeight', default: 1, min: 0 },
    { name: 'labelSmoothing', default: 0, min: 0, max: 1 },
  ],
  params: ([posWeight, labelSmoothing]) => [posWeight!, labelSmoothing!],
  domain: { target: UNIT },
  accuracy: true,
}) as ClassifierLoss<BinaryCrossEntropyWithLogitsOptions>;

/**
 * Binary focal loss on logits: αₜ(1 − pₜ)^γ·ce, p = σ(z), pₜ = py + (1 − p)(1 − y),
 * αₜ = αy + (1 − α)(1 − y), ce = −ln pₜ for targets 0 and 1 (the cross-entropy for soft targets, as
 * torchvision's sigmoid_focal_loss); γ = 0 is the αₜ-weighted binary cross-entropy.
 */
export const binaryFocal = elementwise({
  name: 'binaryFocal',
  kernel: 'binaryFocal',
  options: [
    { name: 'gamma', default: 2, min: 0 },
    { name: 'alpha', default: 0.25, min: 0, max: 1 },
  ],
  params: ([gamma, alpha]) => [gamma!, alpha!],
  domain: { target: UNIT },
  accuracy: true,
}) as ClassifierLoss<BinaryFocalOptions>;

const LABEL = 'a label −1, 0 (read as −1) or 1';

/** Hinge: max(0, 1 − y·ŷ), y ∈ {−1, 1} (0 read as −1). Gradient −y where 1 − y·ŷ ≥ 0 (the kink included). */
export const hinge = elementwise({
  name: 'hinge',
  kernel: 'hinge',
  options: [],
  params: () => [0, 0],
  domain: { target: LABEL },
  accuracy: true,
}) as ClassifierLoss;

/** Squared hinge: max(0, 1 − y·ŷ)², y ∈ {−1, 1} (0 read as −1). Gradient −2y·max(0, 1 − y·ŷ). */
export const squaredHinge = elementwise({
  name: 'squaredHinge',
  kernel: 'squaredHinge',
  options: [],
  params: () => [0, 0],
  domain: { target: LABEL },
  accuracy: true,
}) as ClassifierLoss;

/**
 * Binary accuracy: 1 where (p > threshold) agrees with (y > ½), else 0; 'mean' is the fraction
 * right (Σ wᵢ·rightᵢ / Σ wᵢ with weights), 'sum' the count, 'none' each example's 0 or 1 (× wᵢ).
 * Target and probability in [0, 1].
 *
 * Metrics (`binaryAccuracy`, `categoricalAccuracy`, `sparseCategoricalAccuracy`, `topKAccuracy`)
 * have the reductions and weights of a loss and no gradient.
 *
 * @example
 * ```ts
 * import { binaryAccuracy } from 'simdloss';
 *
 * const target = Float32Array.of(1, 0, 1, 1);
 * const prob = Float32Array.of(0.9, 0.2, 0.4, 0.7);
 * binaryAccuracy(target, prob);                              // 0.75
 * binaryAccuracy(target, prob, { threshold: 0.3 });          // 1
 * binaryAccuracy(target, prob, { reduction: 'sum' });        // 3
 * binaryAccuracy(target, prob, { reduction: 'none' });       // Float32Array [1, 1, 0, 1]
 * ```
 */
export const binaryAccuracy: ElementwiseMetric<BinaryAccuracyOptions> = metric({
  name: 'binaryAccuracy',
  kernel: 'binaryAccuracy',
  options: [{ name: 'threshold', default: 0.5, min: 0, max: 1 }],
  params: ([threshold]) => [threshold!, 0],
  domain: { target: UNIT, pred: 'a probability in [0, 1]' },
});
