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
}) as ClassifierLoss<{ eps?: number; posWeight?: number }>;

/**
 * Binary cross-entropy on logits z: w₊ỹ·softplus(−z) + (1 − ỹ)·softplus(z) (PyTorch's
 * BCEWithLogits with pos_weight), ỹ = y(1 − α) + α/2 with α = labelSmoothing.
 * Gradient (1 − ỹ)σ(z) − w₊ỹσ(−z). Finite for any finite logit.
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
}) as ClassifierLoss<{ posWeight?: number; labelSmoothing?: number }>;

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
}) as ClassifierLoss<{ gamma?: number; alpha?: number }>;

const LABEL = 'a label −1, 0 (read as −1) or 1';

/** Hinge: max(0, 1 − y·ŷ), y ∈ {−1, 1} (0 read as −1). Gradient −y where 1 − y·ŷ ≥ 0 (the kink included). */
export const hinge = elementwise({
  name: 'hinge', kernel: 'hinge', options: [], params: () => [0, 0], domain: { target: LABEL }, accuracy: true,
}) as ClassifierLoss;

/** Squared hinge: max(0, 1 − y·ŷ)², y ∈ {−1, 1} (0 read as −1). Gradient −2y·max(0, 1 − y·ŷ). */
export const squaredHinge = elementwise({
  name: 'squaredHinge', kernel: 'squaredHinge', options: [], params: () => [0, 0], domain: { target: LABEL }, accuracy: true,
}) as ClassifierLoss;

/**
 * Binary accuracy: 1 where (p > threshold) agrees with (y > ½), else 0; 'mean' is the fraction
 * right (Σ wᵢ·rightᵢ / Σ wᵢ with weights), 'sum' the count, 'none' each example's 0 or 1 (× wᵢ).
 * Target and probability in [0, 1].
 */
export const binaryAccuracy: ElementwiseMetric<{ threshold?: number }> = metric({
  name: 'binaryAccuracy',
  kernel: 'binaryAccuracy',
  options: [{ name: 'threshold', default: 0.5, min: 0, max: 1 }],
  params: ([threshold]) => [threshold!, 0],
  domain: { target: UNIT, pred: 'a probability in [0, 1]' },
});
