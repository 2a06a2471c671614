/**
 * Similarity losses over rows of `dim` values of target and pred (kernels: assembly/loss/similarity.ts):
 * soft Dice and Tversky for segmentation masks (MONAI's), cosine similarity (Keras's). Each row's
 * sums are taken in float64; rows of any width (a 256×256 mask is a row of 65,536) run at full
 * speed from ordinary arrays, streamed through the scratch slots without growing memory.
 */
import { type SimilarityLoss, similarity } from '../core/similarity.js';

/** Options of {@link dice}, besides dim, reduction, weights and out. */
export interface DiceOptions {
  /**
   * s, added to the numerator and the denominator (MONAI's smooth_nr = smooth_dr): an empty target
   * and prediction give loss 0, not 0/0. A finite number > 0.
   * @defaultValue 1e-5
   */
  smooth?: number;
}

/** Options of {@link tversky}, besides dim, reduction, weights and out. */
export interface TverskyOptions {
  /**
   * α, the weight of false positives Σ (1 − y)·p. A finite number ≥ 0.
   * @defaultValue 0.5
   */
  alpha?: number;
  /**
   * β, the weight of false negatives Σ y·(1 − p). A finite number ≥ 0.
   * @defaultValue 0.5
   */
  beta?: number;
  /**
   * s, added to the numerator and the denominator. A finite number > 0.
   * @defaultValue 1e-5
   */
  smooth?: number;
}

const OVERLAP_DOMAIN = 'in [0, 1]';

/**
 * Soft Dice loss (MONAI's `DiceLoss`): per row of `dim` values, 1 − (2·Σ y·p + s)/(Σ y + Σ p + s).
 * Target and pred are probabilities, each value in [0, 1] (MONAI does not check; outside [0, 1] the
 * denominator can vanish and the loss leave [0, 1]): a SimdlossError names the first one outside.
 *
 * @example
 * ```ts
 * import { dice } from 'simdloss';
 *
 * const mask = Float32Array.of(1, 1, 0, 0,   0, 1, 1, 0);   // 2 rows of dim 4
 * const prob = Float32Array.of(1, 0.5, 0, 0,   0, 1, 1, 0);
 * // row 0: 1 − (2·1.5 + s)/(2 + 1.5 + s); row 1 matches its mask exactly
 * dice(mask, prob, { dim: 4, reduction: 'none' });        // [0.1429, 0]
 * const { loss, grad } = dice.withGrad(mask, prob, { dim: 4 });
 * loss;                                                   // 0.07143
 * ```
 */
export const dice = similarity<SimilarityLoss<DiceOptions>>({
  name: 'dice',
  kernel: 'dice',
  options: [{ name: 'smooth', default: 1e-5, min: 0, minOpen: true }],
  params: ([smooth]) => [smooth!, 0, 0],
  domain: OVERLAP_DOMAIN,
  // Stryker disable next-line BooleanLiteral: pred staged again for the gradient pass, which does not read it: only slower
  gradReadsPred: false,
});

/**
 * Tversky loss (MONAI's `TverskyLoss`): per row, 1 − (TP + s)/(TP + α·FP + β·FN + s) with
 * TP = Σ y·p, FP = Σ (1 − y)·p, FN = Σ y·(1 − p); target and pred in [0, 1] as for {@link dice}.
 * α = β = 0.5 is the Dice loss with twice the smoothing term.
 */
export const tversky = similarity<SimilarityLoss<TverskyOptions>>({
  name: 'tversky',
  kernel: 'tversky',
  options: [
    { name: 'alpha', default: 0.5, min: 0 },
    { name: 'beta', default: 0.5, min: 0 },
    { name: 'smooth', default: 1e-5, min: 0, minOpen: true },
  ],
  params: ([alpha, beta, smooth]) => [smooth!, alpha!, beta!],
  domain: OVERLAP_DOMAIN,
  // Stryker disable next-line BooleanLiteral: pred staged again for the gradient pass, which does not read it: only slower
  gradReadsPred: false,
});

/**
 * Cosine similarity loss (Keras's `CosineSimilarity`): per row, −cos(y, ŷ) = −Σ y·ŷ / (‖y‖·‖ŷ‖),
 * each norm taken as max(‖x‖, 1e-6); in [−1, 1], −1 where the rows point the same way. A zero
 * target row gives loss 0 and gradient 0.
 */
export const cosineSimilarity = similarity<SimilarityLoss<Record<never, never>>>({
  name: 'cosineSimilarity',
  kernel: 'cosineSimilarity',
  options: [],
  params: () => [0, 0, 0],
  gradReadsPred: true,
});
