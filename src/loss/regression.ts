/** Regression losses on the residual r = pred − target (kernels: assembly/loss/regression.ts). */
import { type ElementwiseLoss, elementwise } from '../core/elementwise.js';

/** Options of {@link huber}, besides reduction, weights and out. */
export interface HuberOptions {
  /**
   * δ: where the loss turns from quadratic (½r² for |r| ≤ δ) to linear (δ(|r| − ½δ)), and the
   * largest gradient magnitude. A finite number > 0.
   * @defaultValue 1
   */
  delta?: number;
}

/** Options of {@link smoothL1}, besides reduction, weights and out. */
export interface SmoothL1Options {
  /**
   * β: the width of the quadratic zone (½r²/β for |r| ≤ β, |r| − ½β beyond), PyTorch's `beta`.
   * A finite number > 0.
   * @defaultValue 1
   */
  beta?: number;
}

/**
 * Mean squared error: (y − ŷ)² per example. Gradient 2(ŷ − y).
 *
 * Every regression loss (`mse`, `mae`, `huber`, `smoothL1`, `logCosh`) is called the same way:
 * `(target, pred, opts?)`, float32 or float64 arrays of the same length.
 *
 * @example
 * ```ts
 * import { mse, huber } from 'simdloss';
 *
 * const target = Float32Array.of(85, 72, 90, 60);
 * const pred = Float32Array.of(80, 75, 88, 65);
 * mse(target, pred);                                   // 15.75
 * mse(target, pred, { reduction: 'none' });            // Float32Array [25, 9, 4, 25]
 * const { loss, grad } = mse.withGrad(target, pred);   // 15.75, [-2.5, 1.5, -1, 2.5]
 * huber.grad(target, pred, { delta: 2, out: grad });   // [-0.5, 0.5, -0.5, 0.5], written into grad
 * mse(target, pred, { weights: Float32Array.of(1, 1, 0, 0) });   // (25 + 9) / 2 = 17
 * ```
 */
export const mse = elementwise({ name: 'mse', kernel: 'mse', options: [], params: () => [0, 0] });

/** Mean absolute error: |y − ŷ|. Gradient sign(ŷ − y), 0 where ŷ = y (PyTorch's subgradient). */
export const mae = elementwise({ name: 'mae', kernel: 'mae', options: [], params: () => [0, 0] });

/** Huber: ½r² where |r| ≤ δ, else δ(|r| − ½δ). Gradient clamp(r, −δ, δ). */
export const huber: ElementwiseLoss<HuberOptions> = elementwise<HuberOptions>({
  name: 'huber',
  kernel: 'huber',
  options: [{ name: 'delta', default: 1, min: 0, minOpen: true }],
  params: ([delta]) => [delta!, 1],
});

/** Smooth L1 (PyTorch): huber with δ = β, divided by β: ½r²/β where |r| ≤ β, else |r| − ½β. */
export const smoothL1: ElementwiseLoss<SmoothL1Options> = elementwise<SmoothL1Options>({
  name: 'smoothL1',
  kernel: 'huber',
  options: [{ name: 'beta', default: 1, min: 0, minOpen: true }],
  params: ([beta]) => [beta!, 1 / beta!],
});

/**
 * Log-cosh: ln cosh(ŷ − y), ≈ r²/2 near 0 and |r| − ln 2 far out (finite for any finite residual).
 * Gradient tanh(ŷ − y). Accurate to ~0.5 ulp in float32 (computed in float64 lanes).
 */
export const logCosh = elementwise({ name: 'logCosh', kernel: 'logCosh', options: [], params: () => [0, 0] });

/** Options of {@link quantile}, besides reduction, weights and out. */
export interface QuantileOptions {
  /**
   * q: the quantile the prediction is pulled towards. An under-prediction costs q per unit, an
   * over-prediction 1 − q. A finite number in (0, 1).
   * @defaultValue 0.5
   */
  q?: number;
}

/**
 * Quantile (pinball) loss: max(q·(y − ŷ), (q − 1)·(y − ŷ)). Gradient −q where ŷ < y, 1 − q where
 * ŷ > y, 0 at ŷ = y. With q = 0.5 it is half of {@link mae}.
 *
 * @example
 * ```ts
 * import { quantile } from 'simdloss';
 *
 * const target = Float32Array.of(10, 10);
 * const pred = Float32Array.of(8, 13);
 * quantile(target, pred, { q: 0.9, reduction: 'none' });   // [1.8, 0.3]: 0.9·2 and 0.1·3
 * quantile.grad(target, pred, { q: 0.9, reduction: 'sum' }); // [-0.9, 0.1]
 * ```
 */
export const quantile: ElementwiseLoss<QuantileOptions> = elementwise<QuantileOptions>({
  name: 'quantile',
  kernel: 'quantile',
  options: [{ name: 'q', default: 0.5, min: 0, minOpen: true, max: 1, maxOpen: true }],
  params: ([q]) => [q!, 0],
});

/** Options of {@link mape}, besides reduction, weights and out. */
export interface MapeOptions {
  /**
   * ε: the smallest |y| divided by (Keras's `epsilon`), so that a zero target gives a finite loss. A finite
   * number in (0, 0.5); below 2⁻¹²⁰ (float64: 2⁻¹⁰¹⁶) it is taken as that, where 100/ε would overflow.
   * @defaultValue 1e-7
   */
  eps?: number;
}

/**
 * Mean absolute percentage error (Keras): 100·|y − ŷ| / max(|y|, ε). Gradient ±100 / max(|y|, ε),
 * 0 at ŷ = y.
 *
 * @example
 * ```ts
 * import { mape } from 'simdloss';
 *
 * const target = Float32Array.of(200, -50);
 * const pred = Float32Array.of(150, -40);
 * mape(target, pred);                           // 22.5: the mean of 25 % and 20 %
 * mape.grad(target, pred, { reduction: 'sum' }); // [-0.5, 2]: 100/|y|, the sign of ŷ − y
 * ```
 */
export const mape: ElementwiseLoss<MapeOptions> = elementwise<MapeOptions>({
  name: 'mape',
  kernel: 'mape',
  options: [{ name: 'eps', default: 1e-7, min: 0, minOpen: true, max: 0.5, maxOpen: true }],
  params: ([eps]) => [eps!, 0],
});

/** Options of {@link msle}, besides reduction, weights and out. */
export interface MsleOptions {
  /**
   * ε: predictions and targets below it are taken as ε (Keras's `epsilon`); the gradient is 0 where
   * ŷ < ε. A finite number in (0, 0.5).
   * @defaultValue 1e-7
   */
  eps?: number;
}

/**
 * Mean squared logarithmic error (Keras 3): (ln(1 + max(ŷ, ε)) − ln(1 + max(y, ε)))². Gradient
 * 2·(that difference) / (1 + ŷ), 0 where ŷ < ε. Accurate where ŷ ≈ y too (computed as one ln1p of
 * the ratio, not as a difference of logs).
 *
 * @example
 * ```ts
 * import { msle } from 'simdloss';
 *
 * const target = Float64Array.of(3, 0);
 * const pred = Float64Array.of(7, -2);
 * msle(target, pred, { reduction: 'none' });   // [0.48045, 0]: ln(8/4)², and both below ε are ε
 * msle.grad(target, pred, { reduction: 'sum' }); // [0.17329, 0]: 2·ln 2 / 8, and 0 where ŷ < ε
 * ```
 */
export const msle: ElementwiseLoss<MsleOptions> = elementwise<MsleOptions>({
  name: 'msle',
  kernel: 'msle',
  options: [{ name: 'eps', default: 1e-7, min: 0, minOpen: true, max: 0.5, maxOpen: true }],
  params: ([eps]) => [eps!, 0],
});

/** Options of {@link poissonNLL}, besides reduction, weights and out. */
export interface PoissonNLLOptions {
  /**
   * true: pred is the log of the rate, ln λ (any real); false: pred is the rate λ itself, ≥ 0
   * (a negative or NaN rate is refused: PyTorch would return NaN for it).
   * @defaultValue true
   */
  logInput?: boolean;
  /**
   * Adds Stirling's approximation of ln y!, y·ln y − y + ½·ln(2πy), where y > 1: the loss becomes the
   * full negative log-likelihood. It does not depend on pred, so the gradient is the same.
   * @defaultValue false
   */
  full?: boolean;
  /**
   * ε in ln(λ + ε), with logInput false: a zero rate gives a finite loss. A finite number in (0, 0.5),
   * taken in the dtype of the arrays and at least the smallest normal number.
   * @defaultValue 1e-8
   */
  eps?: number;
}

// The kernel's b: 1 for logInput, 2 for full (assembly/loss/poisson.ts)
const LOG_INPUT = 1;
const FULL = 2;

/**
 * Poisson negative log-likelihood (PyTorch's `poisson_nll_loss`) of counts y ≥ 0: with `logInput`,
 * e^ŷ − y·ŷ (gradient e^ŷ − y); without, ŷ − y·ln(ŷ + ε) (gradient 1 − y/(ŷ + ε)). A target < 0 or
 * NaN is refused.
 *
 * @example
 * ```ts
 * import { poissonNLL } from 'simdloss';
 *
 * const counts = Float64Array.of(0, 2, 5);
 * const logRate = Float64Array.of(0, 0, Math.log(5));
 * poissonNLL(counts, logRate, { reduction: 'none' });   // [1, 1, -3.047]: the last 5 − 5·ln 5
 * poissonNLL.grad(counts, logRate, { reduction: 'sum' }); // [1, -1, 0]: e^ŷ − y
 * poissonNLL(counts, Float64Array.of(1, 1, 5), { logInput: false, reduction: 'none' }); // [1, 1, -3.047]: the same, as rates
 * ```
 */
export const poissonNLL: ElementwiseLoss<PoissonNLLOptions> = elementwise<PoissonNLLOptions>({
  name: 'poissonNLL',
  kernel: 'poissonNLL',
  options: [{ name: 'eps', default: 1e-8, min: 0, minOpen: true, max: 0.5, maxOpen: true }],
  flags: [
    { name: 'logInput', default: true },
    { name: 'full', default: false },
  ],
  params: ([eps], [logInput, full]) => [eps!, (logInput ? LOG_INPUT : 0) + (full ? FULL : 0)],
  domain: { target: 'a count ≥ 0', pred: '≥ 0 (a rate: logInput is false)' },
});
