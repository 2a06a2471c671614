/**
 * Elementwise losses of three inputs, (target, a, b): one element of each per example, a gradient
 * for each of a and b (kernels: assembly/loss/ternary.ts).
 */
import { ternary } from '../core/ternary.js';
import type { TernaryLoss } from '../core/types.js';

/** Options of {@link gaussianNLL}, besides reduction, weights and out (`out: { mean?, variance? }`). */
export interface GaussianNLLOptions {
  /**
   * ε: the variance is clamped to v = max(variance, ε) (in float32, to ε rounded, and no lower than
   * the smallest normal float32, 2⁻¹²⁶, so that 1/v stays finite). A finite number in (0, 0.5).
   * @defaultValue 1e-6
   */
  eps?: number;
  /**
   * Adds the constant ½·ln 2π to every example's loss (PyTorch's `full`): the exact negative
   * log-likelihood. The gradients do not change.
   * @defaultValue false
   */
  full?: boolean;
}

/** Options of {@link marginRanking}, besides reduction, weights and out (`out: { x1?, x2? }`). */
export interface MarginRankingOptions {
  /**
   * m: a pair ranked right by less than m still costs m − y·(x₁ − x₂). A finite number ≥ 0.
   * @defaultValue 0
   */
  margin?: number;
}

/**
 * Gaussian negative log-likelihood (PyTorch's `gaussian_nll_loss`, the variance the same shape as
 * the mean): ½(ln v + (ŷ − y)²/v), v = max(variance, ε), plus ½·ln 2π with `full`. Gradients
 * dl/dŷ = (ŷ − y)/v and dl/dvariance = ½(1/v − (ŷ − y)²/v²), the latter taken at the clamped v
 * even where the variance is below ε (PyTorch clamps under no_grad). A variance < 0 is refused.
 *
 * The three-input losses (`gaussianNLL`, `marginRanking`) are called `(target, a, b, opts?)`, float32
 * or float64 arrays of one length; `grad` returns one gradient per input, by name.
 *
 * @example
 * ```ts
 * import { gaussianNLL } from 'simdloss';
 *
 * const target = Float32Array.of(1, 2);
 * const mean = Float32Array.of(1, 4);
 * const variance = Float32Array.of(1, 4);
 * gaussianNLL(target, mean, variance);            // (½(0 + 0) + ½(ln 4 + 1)) / 2 = 0.5966
 * const { loss, grad } = gaussianNLL.withGrad(target, mean, variance, { reduction: 'sum' });
 * grad.mean;                                      // [0, 0.5]: (ŷ − y)/v
 * grad.variance;                                  // [0.5, 0]: ½(1/v − (ŷ − y)²/v²)
 * gaussianNLL(target, mean, variance, { full: true });   // ½·ln 2π more: 1.5155
 * ```
 */
export const gaussianNLL = ternary<TernaryLoss<GaussianNLLOptions, 'mean' | 'variance'>>({
  name: 'gaussianNLL',
  kernel: 'gaussianNLL',
  inputs: ['mean', 'variance'],
  options: [{ name: 'eps', default: 1e-6, min: 0, minOpen: true, max: 0.5, maxOpen: true }],
  flags: [{ name: 'full', default: false }],
  params: ([eps], [full]) => [eps!, full ? 0.5 * Math.log(2 * Math.PI) : 0],
  domain: { variance: '≥ 0' },
});

/**
 * Margin ranking (PyTorch's `margin_ranking_loss`): max(0, −y·(x₁ − x₂) + m) for labels y ∈ {−1, 1}
 * (1: x₁ should rank higher). Gradients −y for x₁ and y for x₂ where the loss is active, 0 elsewhere;
 * at the kink (−y·(x₁ − x₂) + m = 0) the active side, as PyTorch. Any other label is refused.
 *
 * @example
 * ```ts
 * import { marginRanking } from 'simdloss';
 *
 * const y = Float32Array.of(1, -1, 1);
 * const x1 = Float32Array.of(3, 3, 0);
 * const x2 = Float32Array.of(1, 1, 2);
 * marginRanking(y, x1, x2, { reduction: 'none' });             // [0, 2, 2]
 * marginRanking(y, x1, x2, { margin: 1, reduction: 'sum' });   // 6: 0 + 3 + 3
 * const { x1: g1, x2: g2 } = marginRanking.grad(y, x1, x2, { reduction: 'sum' });
 * g1;                                                          // [0, 1, -1]
 * g2;                                                          // [0, -1, 1]
 * ```
 */
export const marginRanking = ternary<TernaryLoss<MarginRankingOptions, 'x1' | 'x2'>>({
  name: 'marginRanking',
  kernel: 'marginRanking',
  inputs: ['x1', 'x2'],
  options: [{ name: 'margin', default: 0, min: 0 }],
  flags: [],
  params: ([margin]) => [margin!, 0],
  domain: { target: '-1 or 1' },
});
