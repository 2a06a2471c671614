// The worked examples of the lesson (../shared/seeds), reproduced exactly.
import { beforeAll, expect, test } from 'vitest';
import { categoricalCrossEntropy, init, mse, softmaxCrossEntropy, sparseCategoricalAccuracy, sparseSoftmaxCrossEntropy } from '../src/node.js';

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

// Cross-entropy for multiple classes: cat, dog, bird; the true class is dog (index 1). The network's
// outputs p are softmax(z): logits z = log p give back exactly those probabilities.
const outputs = [[0.1, 0.7, 0.2], [0.05, 0.9, 0.05], [0.05, 0.1, 0.85]];
const lessonLosses = [0.357, 0.105, 2.30]; // −log 0.7, −log 0.9, −log 0.1 as the lesson rounds them

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
    expect(sparseSoftmaxCrossEntropy(dog, logits, { classes: 3 })).toBeCloseTo(-(Math.log(0.7) + Math.log(0.9) + Math.log(0.1)) / 3, Ctor === Float32Array ? 6 : 14);
  }
});

test('cat/dog/bird: with softmax, dL/dz = ŷ − y (the reference’s simplification)', () => {
  const logits = Float64Array.from(outputs.flat().map(Math.log));
  const y = Float64Array.from([0, 1, 0, 0, 1, 0, 0, 1, 0]);
  const grad = softmaxCrossEntropy.grad(y, logits, { classes: 3, reduction: 'sum' });
  const expected = outputs.flat().map((p, i) => p - y[i]!);
  grad.forEach((g, i) => expect(Math.abs(g - expected[i]!)).toBeLessThan(1e-15));
  expectElementsNear(sparseSoftmaxCrossEntropy.grad(Int32Array.of(1, 1, 1), logits, { classes: 3, reduction: 'sum' }), expected);
});

function expectElementsNear(actual: Float64Array, expected: number[]): void {
  actual.forEach((g, i) => expect(Math.abs(g - expected[i]!)).toBeLessThan(1e-15));
}

test('track both loss and accuracy: the third output (bird at 0.85) is the one wrong prediction', () => {
  const logits = Float32Array.from(outputs.flat().map(Math.log));
  const dog = Int32Array.of(1, 1, 1);
  const { loss, accuracy } = sparseSoftmaxCrossEntropy.withGrad(dog, logits, { classes: 3, accuracy: true });
  expect(accuracy).toBe(2 / 3);
  expect(sparseCategoricalAccuracy(dog, logits, { classes: 3 })).toBe(2 / 3);
  expect(loss).toBeCloseTo((0.357 + 0.105 + 2.30) / 3, 2);
});
