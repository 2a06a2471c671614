// The worked examples of the lesson the project grew from, reproduced exactly: each expected value is a figure it prints.
import { beforeAll, expect, test } from 'vitest';
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  categoricalCrossEntropy,
  init,
  mse,
  softmaxCrossEntropy,
  sparseCategoricalAccuracy,
  sparseSoftmaxCrossEntropy,
} from '../../src/node.js';

beforeAll(async () => {
  await init();
});

test('exam scores: y = [85, 72, 90, 60], ŷ = [80, 75, 88, 65] → squared errors 25, 9, 4, 25 and MSE 63 / 4 = 15.75', () => {
  for (const Ctor of [Float32Array, Float64Array]) {
    const y = Ctor.from([85, 72, 90, 60]);
    const yHat = Ctor.from([80, 75, 88, 65]);
    expect(Array.from(mse(y, yHat, { reduction: 'none' }))).toEqual([25, 9, 4, 25]);
    expect(mse(y, yHat, { reduction: 'sum' })).toBe(63);
    expect(mse(y, yHat)).toBe(15.75);
    // The seed's derivative, −2(y − ŷ), averaged over the 4 students.
    expect(Array.from(mse.grad(y, yHat))).toEqual([-2.5, 1.5, -1, 2.5]);
  }
});

test('y = 100: the model predicting 110 has the higher MSE (100 against 25), squaring punishes the larger miss', () => {
  const y = Float64Array.of(100);
  const near = mse(y, Float64Array.of(95));
  const far = mse(y, Float64Array.of(110));
  expect(near).toBe(25);
  expect(far).toBe(100);
  expect(far).toBeGreaterThan(near);
});

test('a prediction 10 units off contributes 100, one unit off only 1', () => {
  expect(Array.from(mse(Float32Array.of(0, 0), Float32Array.of(10, 1), { reduction: 'none' }))).toEqual([100, 1]);
});

// Binary cross-entropy (the lesson's "Binary Cross-Entropy" and "Design a Loss Scenario").
test('BCE, y = 1: p = 0.95 → −ln 0.95 ≈ 0.051 (confident and right); p = 0.05 → −ln 0.05 ≈ 3.00 (confident and wrong)', () => {
  for (const Ctor of [Float32Array, Float64Array]) {
    const l = binaryCrossEntropy(Ctor.of(1, 1), Ctor.of(0.95, 0.05), { reduction: 'none' });
    expect(l[0]).toBeCloseTo(0.051, 3);
    expect(l[1]).toBeCloseTo(3.0, 2);
    expect(l[0]).toBeCloseTo(-Math.log(0.95), Ctor === Float32Array ? 6 : 14);
    expect(l[1]).toBeCloseTo(-Math.log(0.05), Ctor === Float32Array ? 5 : 14);
  }
});

test('BCE, y = 0: p = 0.05 → −ln(1 − 0.05) ≈ 0.051; p = 0.95 → −ln 0.05 ≈ 3.00 (the mirror of y = 1)', () => {
  const l = binaryCrossEntropy(Float64Array.of(0, 0), Float64Array.of(0.05, 0.95), { reduction: 'none' });
  expect(l[0]).toBeCloseTo(0.051, 3);
  expect(l[1]).toBeCloseTo(3.0, 2);
  const mirrored = binaryCrossEntropy(Float64Array.of(1, 1), Float64Array.of(0.95, 0.05), { reduction: 'none' });
  expect(l[0]).toBeCloseTo(mirrored[0]!, 13); // 1 − 0.95 is not 0.05 in float64
  expect(l[1]).toBeCloseTo(mirrored[1]!, 13);
  // On logits, the same losses: σ(z) = 0.05 and 0.95.
  const z = Float64Array.of(Math.log(0.05 / 0.95), Math.log(0.95 / 0.05));
  const fromLogits = binaryCrossEntropyWithLogits(Float64Array.of(0, 0), z, { reduction: 'none' });
  expect(fromLogits[0]).toBeCloseTo(l[0]!, 14);
  expect(fromLogits[1]).toBeCloseTo(l[1]!, 14);
});

test('p = 0.9 for a true label y = 0: loss −ln(0.1) ≈ 2.303 — a confident wrong answer, punished hard; the seed’s derivative −y/p + (1 − y)/(1 − p) = 10', () => {
  for (const Ctor of [Float32Array, Float64Array]) {
    const { loss, grad } = binaryCrossEntropy.withGrad(Ctor.of(0), Ctor.of(0.9));
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: the lesson's printed figure, checked as printed
    expect(loss).toBeCloseTo(2.303, 3);
    expect(loss).toBeCloseTo(-Math.log(0.1), Ctor === Float32Array ? 5 : 14);
    expect(grad[0]).toBeCloseTo(10, Ctor === Float32Array ? 4 : 12);
    expect(binaryCrossEntropy.withGrad(Ctor.of(0), Ctor.of(0.9), { accuracy: true }).accuracy).toBe(0);
  }
});

test('medical scenario: a false negative and a false positive at a confidence of 0.05 each cost −ln 0.05 ≈ 3.00 — symmetric; posWeight makes the missed disease cost w₊ times more', () => {
  // y = 1 (disease) predicted at p = 0.05: false negative, L = −ln p. y = 0 predicted at p = 0.95
  // (the model gives the right answer only 0.05): false positive, L = −ln(1 − p).
  const y = Float64Array.of(1, 0);
  const p = Float64Array.of(0.05, 0.95);
  const [fn, fp] = binaryCrossEntropy(y, p, { reduction: 'none' });
  expect(fn).toBeCloseTo(-Math.log(0.05), 14);
  expect(fp).toBeCloseTo(-Math.log(1 - 0.95), 12);
  expect(fn).toBeCloseTo(3.0, 2);
  expect(fp).toBeCloseTo(3.0, 2);
  // The weighted loss of step 5: a positive weight of 10 on the disease class.
  const [fn10, fp10] = binaryCrossEntropy(y, p, { reduction: 'none', posWeight: 10 });
  expect(fn10).toBeCloseTo(10 * fn!, 12);
  expect(fn10).toBeCloseTo(29.96, 2);
  expect(fp10).toBe(fp);
  // Per-example weights say the same for a whole batch: weight the positives.
  expect(binaryCrossEntropy(y, p, { reduction: 'sum', weights: Float64Array.of(10, 1) })).toBeCloseTo(fn10! + fp10!, 12);
  // And on logits, PyTorch's pos_weight.
  const z = Float64Array.of(Math.log(0.05 / 0.95), Math.log(0.95 / 0.05));
  expect(binaryCrossEntropyWithLogits(y, z, { reduction: 'none', posWeight: 10 })[0]).toBeCloseTo(fn10!, 12);
});

test('loss and accuracy can move differently: training lowers the loss while accuracy stays put — track both', () => {
  const y = Float32Array.of(1, 1, 0, 0);
  const before = binaryCrossEntropy.withGrad(y, Float32Array.of(0.55, 0.45, 0.45, 0.55), { accuracy: true });
  const after = binaryCrossEntropy.withGrad(y, Float32Array.of(0.95, 0.49, 0.05, 0.51), { accuracy: true });
  expect(after.loss).toBeLessThan(before.loss);
  expect(after.accuracy).toBe(0.5);
  expect(before.accuracy).toBe(0.5);
});

// Cross-entropy for multiple classes: cat, dog, bird; the true class is dog (index 1). The network's
// outputs p are softmax(z): logits z = log p give back exactly those probabilities.
const outputs = [
  [0.1, 0.7, 0.2],
  [0.05, 0.9, 0.05],
  [0.05, 0.1, 0.85],
];
const lessonLosses = [0.357, 0.105, 2.3]; // −log 0.7, −log 0.9, −log 0.1 as the lesson rounds them

test('cat/dog/bird: L = −log p(dog) ≈ 0.357, 0.105 and 2.30 for the three outputs of the lesson', () => {
  for (const Ctor of [Float32Array, Float64Array]) {
    const logits = Ctor.from(outputs.flat().map(Math.log));
    const dog = Int32Array.of(1, 1, 1);
    const oneHot = Ctor.from([0, 1, 0, 0, 1, 0, 0, 1, 0]);
    const tol = Ctor === Float32Array ? 1e-6 : 1e-14;
    // On the probabilities themselves: L = −Σ y_k log p_k with y one-hot is −log p(dog).
    const probabilities = Ctor.from(outputs.flat());
    for (const losses of [
      categoricalCrossEntropy(oneHot, probabilities, { classes: 3, reduction: 'none' }),
      sparseSoftmaxCrossEntropy(dog, logits, { classes: 3, reduction: 'none' }),
      softmaxCrossEntropy(oneHot, logits, { classes: 3, reduction: 'none' }),
    ]) {
      expect(losses).toBeInstanceOf(Ctor);
      losses.forEach((l, i) => {
        expect(l).toBeCloseTo(lessonLosses[i]!, 2); // the lesson's rounding
        expect(Math.abs(l - -Math.log(outputs[i]![1]!))).toBeLessThan(tol * 3);
      });
    }
    // "More confident and correct, less loss; confident and wrong, much more."
    const [a, b, c] = sparseSoftmaxCrossEntropy(dog, logits, { classes: 3, reduction: 'none' });
    expect(b!).toBeLessThan(a!);
    expect(c!).toBeGreaterThan(a!);
    // The training loss is the average over the examples.
    expect(sparseSoftmaxCrossEntropy(dog, logits, { classes: 3 })).toBeCloseTo(
      -(Math.log(0.7) + Math.log(0.9) + Math.log(0.1)) / 3,
      Ctor === Float32Array ? 6 : 14,
    );
  }
});

test('cat/dog/bird: with softmax, dL/dz = ŷ − y (the reference’s simplification)', () => {
  const logits = Float64Array.from(outputs.flat().map(Math.log));
  const y = Float64Array.from([0, 1, 0, 0, 1, 0, 0, 1, 0]);
  const grad = softmaxCrossEntropy.grad(y, logits, { classes: 3, reduction: 'sum' });
  const expected = outputs.flat().map((p, i) => p - y[i]!);
  grad.forEach((g, i) => void expect(Math.abs(g - expected[i]!)).toBeLessThan(1e-15));
  expectElementsNear(sparseSoftmaxCrossEntropy.grad(Int32Array.of(1, 1, 1), logits, { classes: 3, reduction: 'sum' }), expected);
});

function expectElementsNear(actual: Float64Array, expected: number[]): void {
  actual.forEach((g, i) => void expect(Math.abs(g - expected[i]!)).toBeLessThan(1e-15));
}

test('track both loss and accuracy: the third output (bird at 0.85) is the one wrong prediction', () => {
  const logits = Float32Array.from(outputs.flat().map(Math.log));
  const dog = Int32Array.of(1, 1, 1);
  const { loss, accuracy } = sparseSoftmaxCrossEntropy.withGrad(dog, logits, { classes: 3, accuracy: true });
  expect(accuracy).toBe(2 / 3);
  expect(sparseCategoricalAccuracy(dog, logits, { classes: 3 })).toBe(2 / 3);
  expect(loss).toBeCloseTo((0.357 + 0.105 + 2.3) / 3, 2);
});
