// One test per loss family through tf.customGrad: the bridge's loss and tf.grad of it against the
// same loss written in TensorFlow.js (its own tf.losses where it has one, else the formula in tf
// ops) and tf.grad of that. Tolerance: both are float32; TensorFlow.js's gradient is a chain of at
// most ~10 float32 ops per element whose rounding scales with the size A of the intermediates (an
// error of u·A in z before an exp is a relative error of u·A after it), so each element agrees
// within 32·u·(A + 1)·g, g the gradient's scale (its largest element, or 1/n for a mean over n).
import { describe, expect, test } from 'vitest';
import * as simdloss from '../../src/node.js';
import { tfLoss } from '../../src/tfjs.js';
import { random } from '../random.js';
import { BACKENDS, tf, useBackend } from '../tfjs-backends.js';

const U = 2 ** -24;
type Fn = (y: tf.Tensor, p: tf.Tensor) => tf.Scalar;

interface Case {
  family: string;
  bridge: Fn;
  tfjs: Fn;
  y: () => tf.Tensor;
  p: () => tf.Tensor;
}

const uniform = (shape: number[], lo: number, hi: number, seed: number) => {
  const rand = random(seed);
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => lo + (hi - lo) * rand()),
    shape,
  );
};
const binary = (shape: number[], seed: number) => tf.tidy(() => tf.cast(tf.greater(uniform(shape, 0, 1, seed), 0.5), 'float32'));
const norm = (x: tf.Tensor) => tf.sqrt(tf.sum(tf.square(x), -1));

const CASES: Case[] = [
  {
    family: 'elementwise: mse = tf.losses.meanSquaredError',
    bridge: tfLoss(simdloss.mse),
    tfjs: (y, p) => tf.losses.meanSquaredError(y, p) as tf.Scalar,
    y: () => uniform([8, 5], -3, 3, 1),
    p: () => uniform([8, 5], -3, 3, 2),
  },
  {
    family: 'elementwise: huber δ = 0.5 = tf.losses.huberLoss',
    bridge: tfLoss(simdloss.huber, { delta: 0.5 }),
    tfjs: (y, p) => tf.losses.huberLoss(y, p, undefined, 0.5) as tf.Scalar,
    y: () => uniform([37], -3, 3, 3),
    p: () => uniform([37], -3, 3, 4),
  },
  {
    family: 'elementwise: binaryCrossEntropyWithLogits = tf.losses.sigmoidCrossEntropy, labels [batch] for logits [batch, 1]',
    bridge: tfLoss(simdloss.binaryCrossEntropyWithLogits),
    tfjs: (y, z) => tf.losses.sigmoidCrossEntropy(tf.reshape(y, [-1, 1]), z) as tf.Scalar,
    y: () => binary([21], 5),
    p: () => uniform([21, 1], -4, 4, 6),
  },
  {
    family: 'rows, dense: softmaxCrossEntropy with label smoothing = tf.losses.softmaxCrossEntropy',
    bridge: tfLoss(simdloss.softmaxCrossEntropy, { labelSmoothing: 0.1 }),
    tfjs: (y, z) => tf.losses.softmaxCrossEntropy(y, z, undefined, 0.1) as tf.Scalar,
    y: () => tf.cast(tf.oneHot(tf.tensor1d([0, 3, 1, 2, 4, 4, 0], 'int32'), 5), 'float32'),
    p: () => uniform([7, 5], -3, 3, 7),
  },
  {
    family: 'rows, labels (int32 [batch]): sparseSoftmaxCrossEntropy = softmaxCrossEntropy of the one-hot',
    bridge: tfLoss(simdloss.sparseSoftmaxCrossEntropy),
    tfjs: (y, z) => tf.losses.softmaxCrossEntropy(tf.oneHot(y as tf.Tensor1D, 4), z) as tf.Scalar,
    y: () => tf.tensor1d([3, 0, 2, 1, 1, 2], 'int32'),
    p: () => uniform([6, 4], -3, 3, 8),
  },
  {
    family: 'rows, labels (float32 [batch, 1]): sparseSoftmaxCrossEntropy',
    bridge: tfLoss(simdloss.sparseSoftmaxCrossEntropy),
    tfjs: (y, z) => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.cast(tf.reshape(y, [-1]), 'int32'), 4), z) as tf.Scalar,
    y: () => tf.tensor2d([[3], [0], [2], [1], [1]]),
    p: () => uniform([5, 4], -3, 3, 9),
  },
  {
    family: 'embedding, no label: triplet on [anchor | positive | negative] = its formula in tf ops',
    bridge: tfLoss(simdloss.triplet, { margin: 0.5 }),
    tfjs: (_y, e) => {
      const [a, p, n] = tf.split(e, 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
      return tf.mean(tf.relu(tf.add(tf.sub(norm(tf.sub(a, p)), norm(tf.sub(a, n))), 0.5))) as tf.Scalar;
    },
    y: () => tf.zeros([9]),
    p: () => uniform([9, 3 * 4], -1, 1, 10),
  },
  {
    family: 'embedding, labels: contrastive on [a | b] = its formula in tf ops',
    bridge: tfLoss(simdloss.contrastive, { margin: 2 }),
    tfjs: (y, e) => {
      const [a, b] = tf.split(e, 2, -1) as [tf.Tensor, tf.Tensor];
      const d = norm(tf.sub(a, b));
      const similar = tf.mul(tf.sub(1, y), tf.mul(0.5, tf.square(d)));
      return tf.mean(tf.add(similar, tf.mul(y, tf.mul(0.5, tf.square(tf.relu(tf.sub(2, d))))))) as tf.Scalar;
    },
    y: () => binary([10], 11),
    p: () => uniform([10, 2 * 3], -1, 1, 12),
  },
  {
    family: 'ternary: gaussianNLL on [mean | variance] = its formula in tf ops',
    bridge: tfLoss(simdloss.gaussianNLL),
    tfjs: (y, mv) => {
      const [m, v] = tf.split(mv, 2, -1) as [tf.Tensor, tf.Tensor];
      const vc = tf.maximum(v, 1e-6);
      return tf.mean(tf.mul(0.5, tf.add(tf.log(vc), tf.div(tf.square(tf.sub(m, y)), vc)))) as tf.Scalar;
    },
    y: () => uniform([6, 3], -2, 2, 13),
    p: () => tf.concat([uniform([6, 3], -2, 2, 14), uniform([6, 3], 0.2, 2, 15)], -1),
  },
];

/** The largest intermediate of the loss's evaluation: the inputs' size, and e^{|x|} where a log-sum-exp or softplus subtracts it out. */
const scaleOf = (y: tf.Tensor, p: tf.Tensor) => Math.max(1, ...(y.dataSync() as Float32Array).map(Math.abs), ...p.dataSync().map(Math.abs));

for (const backend of BACKENDS) {
  describe(`tf.customGrad on the ${backend} backend`, () => {
    for (const c of CASES) {
      test(c.family, async () => {
        await useBackend(backend);
        const [y, p] = [c.y(), c.p()];
        const A = scaleOf(y, p) ** 2;
        const [got, want] = [c.bridge, c.tfjs].map((f) => tf.valueAndGrad((x: tf.Tensor) => f(y, x))(p));
        const g = Math.max(...(want!.grad.dataSync() as Float32Array).map(Math.abs), 1 / p.size);
        expect(Math.abs(got!.value.dataSync()[0]! - want!.value.dataSync()[0]!)).toBeLessThanOrEqual((p.size + 12) * U * A);
        const [gg, gw] = [got!.grad.dataSync(), want!.grad.dataSync()];
        expect(got!.grad.shape).toEqual(p.shape);
        gw.forEach((w, i) => {
          expect(Math.abs(gg[i]! - w), `grad[${i}]`).toBeLessThanOrEqual(32 * U * (A + 1) * g);
        });
        // and the gradient is not zero: the comparison has something to compare
        expect(Math.max(...gw.map(Math.abs))).toBeGreaterThan(1e-3 * g);
      });
    }
  });
}
