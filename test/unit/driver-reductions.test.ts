// What a call returns from what its pass added up, worked out by hand in float64 for one loss of
// each family: 'mean' Σ wᵢlᵢ / Σ wᵢ with its gradient scaled by 1 / Σ wᵢ, 'sum', 'none' wᵢlᵢ;
// a mean over no weight at all (all weights 0, or no examples) is 0 with a zero gradient, never
// NaN; the weighted fraction classified right is 0 over no weight.
import { beforeAll, describe, expect, test } from 'vitest';
import { binaryCrossEntropy, init, mse, softmaxCrossEntropy, triplet } from '../../src/node.js';

beforeAll(async () => {
  await init();
});

type Out = { loss: number | Float64Array; grad: Float64Array; accuracy?: number };
const list = (a: ArrayLike<number>) => Array.from(a);
/** Each element within 10^-digits of the value worked out by hand. */
function closeTo(actual: ArrayLike<number>, want: readonly number[], digits: number): void {
  expect(actual.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(actual[i], `[${i}]`).toBeCloseTo(want[i]!, digits);
}
/** n zeros (either sign: a zero weight times a negative gradient is −0). */
function zeros(actual: ArrayLike<number>, n: number): void {
  expect(Array.from(actual, (v) => v === 0)).toEqual(new Array(n).fill(true));
}

describe('elementwise (mse)', () => {
  // l = (p − y)² = [1, 0, 4]; w = [2, 0, 0.5]: Σ wl = 4, Σ w = 2.5
  const y = Float64Array.of(0, 1, 2);
  const p = Float64Array.of(1, 1, 4);
  const weights = Float64Array.of(2, 0, 0.5);

  test('weighted mean, sum and none, and their gradients w·2(p − y)·scale', () => {
    expect(mse(y, p, { weights })).toBeCloseTo(4 / 2.5, 15);
    expect(mse(y, p, { weights, reduction: 'sum' })).toBe(4);
    expect(list(mse(y, p, { weights, reduction: 'none' }))).toEqual([2, 0, 2]);
    closeTo(mse.grad(y, p, { weights }), [4 / 2.5, 0, 2 / 2.5], 15);
    expect(list(mse.grad(y, p, { weights, reduction: 'sum' }))).toEqual([4, 0, 2]);
    expect(list(mse.grad(y, p, { weights, reduction: 'none' }))).toEqual([4, 0, 2]);
    const both = mse.withGrad(y, p, { weights, reduction: 'sum' }) as Out;
    expect(both.loss).toBe(4);
    expect(list(both.grad)).toEqual([4, 0, 2]);
  });

  test('unweighted: the mean divides by the count', () => {
    expect(mse(y, p)).toBeCloseTo(5 / 3, 15);
    closeTo(mse.grad(y, p), [2 / 3, 0, 4 / 3], 15);
  });

  test('all weights 0: the mean and its gradient are 0', () => {
    const zero = new Float64Array(3);
    expect(mse(y, p, { weights: zero })).toBe(0);
    expect(mse(y, p, { weights: zero, reduction: 'sum' })).toBe(0);
    zeros(mse.grad(y, p, { weights: zero }), 3);
    const both = mse.withGrad(y, p, { weights: zero }) as Out;
    expect(both.loss).toBe(0);
    zeros(both.grad, 3);
  });

  test('no examples: 0, and empty arrays where arrays are returned', () => {
    const none = new Float64Array(0);
    expect(mse(none, none)).toBe(0);
    expect(mse(none, none, { reduction: 'sum' })).toBe(0);
    expect(list(mse(none, none, { reduction: 'none' }))).toEqual([]);
    expect(list(mse.grad(none, none))).toEqual([]);
  });

  test('the weighted fraction classified right, and 0 over no weight', () => {
    // p ≥ 0.5 is class 1: right, right, wrong; weights 1, 2, 3 → 3 / 6
    const t = Float64Array.of(0, 1, 1);
    const q = Float64Array.of(0.25, 0.75, 0.25);
    const out = binaryCrossEntropy.withGrad(t, q, { weights: Float64Array.of(1, 2, 3), accuracy: true }) as Out;
    expect(out.accuracy).toBe(0.5);
    expect((binaryCrossEntropy.withGrad(t, q, { accuracy: true }) as Out).accuracy).toBeCloseTo(2 / 3, 15);
    expect((binaryCrossEntropy.withGrad(t, q, { weights: new Float64Array(3), accuracy: true }) as Out).accuracy).toBe(0);
    expect((binaryCrossEntropy.withGrad(t, q, { weights: new Float64Array(3), accuracy: true, reduction: 'sum' }) as Out).loss).toBe(0);
  });
});

describe('classification (softmaxCrossEntropy)', () => {
  // row 0: logits (0, 0), target (1, 0): ln 2, gradient (−1/2, 1/2);
  // row 1: logits (0, ln 3), target (0, 1): softmax (1/4, 3/4), loss ln(4/3), gradient (1/4, −1/4)
  const target = Float64Array.of(1, 0, 0, 1);
  const logits = Float64Array.of(0, 0, 0, Math.log(3));
  const weights = Float64Array.of(3, 1);

  test('weighted mean and sum, and the gradient scaled by 1 / Σ w', () => {
    const sum = 3 * Math.LN2 + Math.log(4 / 3);
    expect(softmaxCrossEntropy(target, logits, { classes: 2, weights })).toBeCloseTo(sum / 4, 14);
    expect(softmaxCrossEntropy(target, logits, { classes: 2, weights, reduction: 'sum' })).toBeCloseTo(sum, 14);
    closeTo(softmaxCrossEntropy.grad(target, logits, { classes: 2, weights }), [-3 / 8, 3 / 8, 1 / 16, -1 / 16], 14);
  });

  test('all weights 0: loss and gradient 0', () => {
    const zero = new Float64Array(2);
    expect(softmaxCrossEntropy(target, logits, { classes: 2, weights: zero })).toBe(0);
    zeros(softmaxCrossEntropy.grad(target, logits, { classes: 2, weights: zero }), 4);
  });

  test('the weighted fraction classified right (argmax of the logits = argmax of the target), and 0 over no weight', () => {
    // rows: logits (1, 0) for class 0: right; (0, 2) for class 1: right; (3, 0) for class 1: wrong.
    // Weights 1, 2, 3 → 3 / 6; unweighted 2 / 3; all weights 0, or no rows → 0
    const t = Float64Array.of(1, 0, 0, 1, 0, 1);
    const z = Float64Array.of(1, 0, 0, 2, 3, 0);
    const accuracyOf = (y: Float64Array, p: Float64Array, w?: Float64Array) =>
      (softmaxCrossEntropy.withGrad(y, p, { classes: 2, weights: w, accuracy: true }) as Out).accuracy;
    expect(accuracyOf(t, z, Float64Array.of(1, 2, 3))).toBe(0.5);
    expect(accuracyOf(t, z)).toBe(2 / 3);
    expect(accuracyOf(t, z, new Float64Array(3))).toBe(0);
    expect(accuracyOf(new Float64Array(0), new Float64Array(0))).toBe(0);
  });

  test('no rows: 0', () => {
    const none = new Float64Array(0);
    expect(softmaxCrossEntropy(none, none, { classes: 2 })).toBe(0);
    expect(list(softmaxCrossEntropy.grad(none, none, { classes: 2 }))).toEqual([]);
  });
});

describe('embedding (triplet)', () => {
  const anchor = Float64Array.of(0, 0);
  const positive = Float64Array.of(1, 0);
  // d(a, p) = 1, d(a, n) = 0.5: the margin is missed by 1.5
  const negative = Float64Array.of(0, 0.5);

  test('all weights 0: loss and gradients 0', () => {
    // both rows miss the margin (losses 2 − 0.5 + 1 and 0 − 0.5 + 1 unweighted): only the zero weights make it 0
    const zero = new Float64Array(2);
    const a = Float64Array.of(0, 0, 0, 0);
    const pos = Float64Array.of(2, 0, 0, 0);
    const neg = Float64Array.of(0, 0.5, 0, 0.5);
    const out = triplet.withGrad(a, pos, neg, { dim: 2, weights: zero }) as unknown as {
      loss: number;
      grad: { anchor: Float64Array; positive: Float64Array; negative: Float64Array };
    };
    expect(out.loss).toBe(0);
    for (const g of [out.grad.anchor, out.grad.positive, out.grad.negative]) zeros(g, 4);
    expect(triplet(anchor, positive, negative, { dim: 2 })).toBeCloseTo(1.5, 6);
    expect(triplet(anchor, positive, negative, { dim: 2, weights: Float64Array.of(0) })).toBe(0);
  });

  test('no rows: 0', () => {
    const none = new Float64Array(0);
    expect(triplet(none, none, none, { dim: 2 })).toBe(0);
  });
});
