// float64 references for every loss in the registry, and the reductions of the contract.
import * as binary from './binary.js';
import * as regression from './regression.js';

export { type RowReference, rowReferences } from './categorical.js';

export interface ElementReference {
  /** Loss of one example, in float64 (`f32`: for the float32 kernel, where its constants differ). */
  loss(y: number, p: number, opts: Record<string, number>, f32?: boolean): number;
  /** dl/dp of one example, in float64. */
  grad(y: number, p: number, opts: Record<string, number>, f32?: boolean): number;
  /**
   * For a gradient that is a difference of terms (and so cancels near its zero): the sum of their
   * magnitudes, the scale its rounding error is relative to. Absent: |grad| itself.
   */
  gradScale?(y: number, p: number, opts: Record<string, number>, f32?: boolean): number;
}

export const references: Record<string, ElementReference> = { ...regression, ...binary };

export interface Expected {
  /** wᵢ·lᵢ per example. */
  losses: Float64Array;
  mean: number;
  sum: number;
  /** Gradients of the mean, the sum, and of Σ wᵢlᵢ (= 'none'). */
  gradMean: Float64Array;
  gradSum: Float64Array;
  /** The scale of each gradient's rounding error (ElementReference.gradScale), for the mean and the sum. */
  gradMeanScale: Float64Array;
  gradSumScale: Float64Array;
}

/** What every reduction of the contract must give, from the float64 reference. */
export function expected(
  ref: ElementReference,
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  opts: Record<string, number>,
  w?: ArrayLike<number>,
  f32 = false,
): Expected {
  const n = p.length;
  const losses = new Float64Array(n);
  const gradSum = new Float64Array(n);
  const gradSumScale = new Float64Array(n);
  let sum = 0;
  let weightSum = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    losses[i] = wi * ref.loss(y[i]!, p[i]!, opts, f32);
    gradSum[i] = wi * ref.grad(y[i]!, p[i]!, opts, f32);
    gradSumScale[i] = wi * (ref.gradScale ? ref.gradScale(y[i]!, p[i]!, opts, f32) : 0);
    sum += losses[i]!;
    weightSum += wi;
  }
  const mean = weightSum > 0 ? sum / weightSum : 0;
  const gradMean = gradSum.map((g) => (weightSum > 0 ? g / weightSum : 0));
  const gradMeanScale = gradSumScale.map((g) => (weightSum > 0 ? g / weightSum : 0));
  return { losses, mean, sum, gradMean, gradSum, gradMeanScale, gradSumScale };
}
