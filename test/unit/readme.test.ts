// The numbers the README states are what the code gives: the quick start against the float64 formulas,
// and in "Coming from another library" simdloss from the library, TensorFlow.js by running it, Keras
// from its documented reduction (Σ wᵢlᵢ / N), the gradients from the formula 2(ŷ − y)/N.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, test } from 'vitest';
import { huber, initSync, mse, sparseSoftmaxCrossEntropy } from '../../src/node.js';
import { BUILDS } from '../helpers.js';

const whole = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = (heading: string): string => {
  const start = whole.indexOf(`\n## ${heading}\n`);
  expect(start, heading).toBeGreaterThan(0);
  return whole.slice(start, whole.indexOf('\n## ', start + 1));
};
const readme = section('Coming from another library');
/** The number a README line `<code>   // <number>` states for that code. */
function stated(code: string): number {
  const line = readme.split('\n').find((l) => l.trimStart().startsWith(code));
  expect(line, `README has a line starting ${code}`).toBeDefined();
  return Number(/(?:\/\/|#)\s*(-?[\d.]+)/.exec(line!.slice(code.length))?.[1]);
}
function statedArray(code: string): number[] {
  const line = readme.split('\n').find((l) => l.trimStart().startsWith(code));
  expect(line, `README has a line starting ${code}`).toBeDefined();
  return JSON.parse(/\/\/\s*(\[[^\]]*\])/.exec(line!)![1]!);
}

beforeAll(async () => {
  initSync(BUILDS[0]!.bytes);
  await tf.setBackend('cpu');
});

test('argument order: swapped arguments give the same loss and the gradient with the opposite sign', () => {
  const target = Float32Array.of(3, 5);
  const pred = Float32Array.of(4, 3);
  expect(readme).toContain('const target = Float32Array.of(3, 5);\nconst pred = Float32Array.of(4, 3);');
  const formula = Array.from(pred, (p, i) => (2 * (p - target[i]!)) / pred.length);
  expect(Array.from(mse.grad(target, pred))).toEqual(formula);
  expect(Array.from(mse.grad(pred, target))).toEqual(formula.map((g) => -g));
  expect(statedArray('mse.grad(target, pred);')).toEqual(formula);
  expect(statedArray('mse.grad(pred, target);')).toEqual(formula.map((g) => -g));
  const loss = ((4 - 3) ** 2 + (3 - 5) ** 2) / 2;
  expect(mse(target, pred)).toBe(loss);
  expect(mse(pred, target)).toBe(loss);
  expect(stated('mse(target, pred);')).toBe(loss);
  expect(stated('mse(pred, target);')).toBe(loss);
});

test("weighted mean: simdloss Σwl/Σw, TensorFlow.js's default Σwl/(non-zero weights), Keras Σwl/N", () => {
  const y = [3, 5, 2];
  const p = [4, 5, 6];
  const w = [0.5, 0.5, 0];
  expect(readme).toContain('const y = Float32Array.of(3, 5, 2), p = Float32Array.of(4, 5, 6), w = Float32Array.of(0.5, 0.5, 0);');
  const weighted = y.reduce((s, yi, i) => s + w[i]! * (p[i]! - yi) ** 2, 0);

  const ours = mse(Float32Array.from(y), Float32Array.from(p), { weights: Float32Array.from(w) });
  expect(ours).toBe(weighted / w.reduce((a, b) => a + b));
  expect(stated('mse(y, p, { weights: w });')).toBe(ours);

  const theirs = tf.tidy(() => tf.losses.meanSquaredError(tf.tensor1d(y), tf.tensor1d(p), tf.tensor1d(w)).dataSync()[0]!);
  expect(theirs).toBe(weighted / w.filter((x) => x !== 0).length);
  expect(stated('tf.losses.meanSquaredError(y, p, w);')).toBe(theirs);

  const keras = weighted / y.length;
  expect(stated('keras.losses.MeanSquaredError()(y, p, sample_weight=w)')).toBeCloseTo(keras, 4);
  expect(new Set([ours, theirs, keras]).size).toBe(3);
});

test('the quick start states what the calls return', () => {
  const text = section('Quick start');
  /** The numbers in the comment of the README line that starts with `code`. */
  const numbers = (code: string): number[] => {
    const line = text.split('\n').find((l) => l.startsWith(code));
    expect(line, `the quick start has a line starting ${code}`).toBeDefined();
    return (
      line!
        .slice(line!.indexOf('//'))
        .replace(/[A-Za-z_]\w*/g, '')
        .match(/-?\d+(?:\.\d+)?/g) ?? []
    ).map(Number);
  };
  const y = [85, 72, 90, 60];
  const p = [80, 75, 88, 65];
  const target = Float32Array.from(y);
  const pred = Float32Array.from(p);
  const r = p.map((pi, i) => pi - y[i]!);
  const squares = r.map((x) => x * x);
  const mean = squares.reduce((a, b) => a + b) / 4;
  const grad = r.map((x) => (2 * x) / 4);
  expect(numbers('mse(target, pred);')).toEqual([mean]);
  expect(mse(target, pred)).toBe(mean);
  expect(numbers("mse(target, pred, { reduction: 'none' });")).toEqual(squares);
  expect(Array.from(mse(target, pred, { reduction: 'none' }))).toEqual(squares);
  expect(numbers('const { loss, grad } = mse.withGrad(target, pred);')).toEqual([mean, ...grad]);
  const huberGrad = r.map((x) => Math.max(-2, Math.min(2, x)) / 4);
  expect(numbers('huber.grad(target, pred, { delta: 2, out: grad });')).toEqual(huberGrad);
  expect(Array.from(huber.grad(target, pred, { delta: 2 }))).toEqual(huberGrad);
  const rows = [
    [2, 0.5, -1],
    [0.1, 0.2, 3],
  ];
  const labels = [0, 2];
  const ce = rows.reduce((s, z, i) => s + Math.log(z.reduce((a, zk) => a + Math.exp(zk), 0)) - z[labels[i]!]!, 0) / rows.length;
  const [stated] = numbers('sparseSoftmaxCrossEntropy(Int32Array.of(0, 2), logits, { classes: 3 });');
  expect(stated).toBeCloseTo(ce, 4);
  expect(sparseSoftmaxCrossEntropy(Int32Array.of(0, 2), Float32Array.from(rows.flat()), { classes: 3 })).toBeCloseTo(ce, 6);
});
