// The worked examples of the lesson (../shared/seeds), reproduced exactly.
import { beforeAll, expect, test } from 'vitest';
import { init, mse } from '../src/node.js';

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
