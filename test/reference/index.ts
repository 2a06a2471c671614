// float64 references for every loss in the registry, and the reductions of the contract.
import * as regression from './regression.js';
export { rowReferences, type RowReference } from './categorical.js';

export interface ElementReference {
  /** Loss of one example, in float64. */
  loss(y: number, p: number, opts: Record<string, number>): number;
  /** dl/dp of one example, in float64. */
  grad(y: number, p: number, opts: Record<string, number>): number;
}

export const references: Record<string, ElementReference> = { ...regression };

export interface Expected {
  /** wᵢ·lᵢ per example. */
  losses: Float64Array;
  mean: number;
  sum: number;
  /** Gradients of the mean, the sum, and of Σ wᵢlᵢ (= 'none'). */
  gradMean: Float64Array;
  gradSum: Float64Array;
}

/** What every reduction of the contract must give, from the float64 reference. */
export function expected(ref: ElementReference, y: ArrayLike<number>, p: ArrayLike<number>,
                         opts: Record<string, number>, w?: ArrayLike<number>): Expected {
  const n = p.length;
  const losses = new Float64Array(n);
  const gradSum = new Float64Array(n);
  let sum = 0;
  let weightSum = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    losses[i] = wi * ref.loss(y[i]!, p[i]!, opts);
    gradSum[i] = wi * ref.grad(y[i]!, p[i]!, opts);
    sum += losses[i]!;
    weightSum += wi;
  }
  const mean = weightSum > 0 ? sum / weightSum : 0;
  const gradMean = gradSum.map((g) => (weightSum > 0 ? g / weightSum : 0));
  return { losses, mean, sum, gradMean, gradSum };
}
