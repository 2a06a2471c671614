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
