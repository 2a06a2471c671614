// The bridge's own rules: every export of the library goes through it by its family (none is named
// here), the layouts of yTrue and yPred, per-example weights as a third tensor, the upstream
// gradient, metrics, and the inputs it refuses with a SimdlossError naming the argument.
import { describe, expect, test } from 'vitest';
import { SHAPE } from '../../src/core/shape.js';
import * as simdloss from '../../src/node.js';
import { type BridgedLoss, type BridgedMetric, tfLoss, tfMetric, tfWithGradAsync } from '../../src/tfjs.js';
import { random } from '../random.js';
import { tf, useBackend } from '../tfjs-backends.js';

const exported = Object.entries(simdloss).filter(([, v]) => typeof v === 'function' && typeof (v as BridgedMetric).lossName === 'string');
const withGrad = exported.filter(([, v]) => typeof (v as BridgedLoss).withGrad === 'function');
const rand = random(5);
const floats = (shape: number[], lo = -1, hi = 1) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => lo + (hi - lo) * rand()),
    shape,
  );

// tensors are made while the tests are collected
await useBackend('cpu');

describe('every export', () => {
  // A family whose wiring declares no shape has no (yTrue, yPred) layout: refused, by the same rule.
  const laidOut = (f: unknown) => (f as { [SHAPE]?: unknown })[SHAPE] !== undefined;

  test('the library exports losses with gradients and metrics, every family of today with a layout', () => {
    expect(withGrad.length).toBeGreaterThan(20);
    expect(exported.length).toBeGreaterThan(withGrad.length);
    const { mse, softmaxCrossEntropy, sparseSoftmaxCrossEntropy, triplet, contrastive, gaussianNLL } = simdloss;
    for (const f of [mse, softmaxCrossEntropy, sparseSoftmaxCrossEntropy, triplet, contrastive, gaussianNLL]) {
      expect(laidOut(f), f.lossName).toBe(true);
    }
  });

  test.each(withGrad)('%s: tfLoss and tfMetric take it, or refuse it for want of a layout', (name, f) => {
    if (!laidOut(f)) {
      expect(() => tfLoss(f as BridgedLoss)).toThrow(`${name}'s arguments have no (yTrue, yPred) layout`);
      return;
    }
    expect(tfLoss(f as BridgedLoss).name).toBe(name);
    expect(tfMetric(f as BridgedMetric).name).toBe(name);
  });

  test.each(exported.filter((e) => !withGrad.includes(e)))('%s (a metric): tfMetric takes it, tfLoss refuses it', (name, m) => {
    if (!laidOut(m)) {
      expect(() => tfMetric(m as BridgedMetric)).toThrow(`${name}'s arguments have no (yTrue, yPred) layout`);
      return;
    }
    expect(tfMetric(m as BridgedMetric).name).toBe(name);
    expect(() => tfLoss(m as BridgedLoss)).toThrow(
      new RegExp(`tfLoss\\(${name}\\): ${name} has no gradient \\(a metric\\): compile it with tfMetric`),
    );
  });
});

describe('layouts', () => {
  test('an embedding stack [batch, 2, dim] with opts.dim is the same layout as [a | b]', () => {
    const label = tf.tensor1d([-1, 1, 1, -1]);
    const e = floats([4, 2, 3]);
    const flat = tf.reshape(e, [4, 6]);
    const stacked = tf.valueAndGrad((x: tf.Tensor) => tfLoss(simdloss.cosineEmbedding, { dim: 3 })(label, x))(e);
    const side = tf.valueAndGrad((x: tf.Tensor) => tfLoss(simdloss.cosineEmbedding)(label, x))(flat);
    expect(stacked.value.dataSync()[0]).toBe(side.value.dataSync()[0]);
    expect(stacked.grad.dataSync()).toEqual(side.grad.dataSync());
    const [a, b] = [0, 3].map((o) => Float32Array.from({ length: 12 }, (_, i) => flat.dataSync()[Math.floor(i / 3) * 6 + o + (i % 3)]!));
    const { loss, grad } = simdloss.cosineEmbedding.withGrad(label.dataSync() as Float32Array, a!, b!, { dim: 3 });
    expect(side.value.dataSync()[0]).toBe(Math.fround(loss));
    expect(side.grad.dataSync().slice(0, 3)).toEqual(grad.a.slice(0, 3));
    expect(side.grad.dataSync().slice(3, 6)).toEqual(grad.b.slice(0, 3));
  });

  test('a three-input loss: yPred [batch, 2] is [x1 | x2] for targets [batch]', () => {
    const y = tf.tensor1d([1, -1, 1]);
    const x = tf.tensor2d([
      [0.5, 1],
      [0.2, -0.3],
      [2, 1],
    ]);
    const { value, grad } = tf.valueAndGrad((p: tf.Tensor) => tfLoss(simdloss.marginRanking, { margin: 0.1 })(y, p))(x);
    const want = simdloss.marginRanking.withGrad(Float32Array.of(1, -1, 1), Float32Array.of(0.5, 0.2, 2), Float32Array.of(1, -0.3, 1), {
      margin: 0.1,
    });
    expect(value.dataSync()[0]).toBe(Math.fround(want.loss));
    expect(Array.from(grad.dataSync())).toEqual([0, 1, 2, 3, 4, 5].map((i) => (i % 2 === 0 ? want.grad.x1 : want.grad.x2)[i >> 1]));
  });

  test("classes defaults to yPred's last axis; opts.classes reads another row width", () => {
    const labels = tf.tensor1d([1, 0, 2, 1, 0, 2], 'int32');
    const z = floats([2, 3, 3]);
    const want = simdloss.sparseSoftmaxCrossEntropy(labels.dataSync() as Int32Array, z.dataSync() as Float32Array, { classes: 3 });
    expect(tfLoss(simdloss.sparseSoftmaxCrossEntropy)(tf.reshape(labels, [2, 3]), z).dataSync()[0]).toBe(Math.fround(want));
    const wide = tfLoss(simdloss.sparseSoftmaxCrossEntropy, { classes: 9 })(tf.tensor1d([4, 8], 'int32'), z);
    expect(wide.dataSync()[0]).toBe(
      Math.fround(simdloss.sparseSoftmaxCrossEntropy(Int32Array.of(4, 8), z.dataSync() as Float32Array, { classes: 9 })),
    );
  });
});

describe('reductions, weights, the upstream gradient, metrics', () => {
  const y = floats([12]);
  const p = floats([12]);
  const w = floats([12], 0, 2);
  const [ya, pa, wa] = [y, p, w].map((t) => t.dataSync() as Float32Array) as [Float32Array, Float32Array, Float32Array];

  test("weights as the third tensor: Σ w·l / Σ w, simdloss's weighted mean", () => {
    const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => tfLoss(simdloss.mse)(y, x, w))(p);
    const want = simdloss.mse.withGrad(ya, pa, { weights: wa });
    expect(value.dataSync()[0]).toBe(Math.fround(want.loss));
    expect(grad.dataSync()).toEqual(want.grad);
  });

  test("reduction 'sum', and an upstream gradient dy ≠ 1 scales the gradient", () => {
    const g = tf.grad((x: tf.Tensor) => tf.mul(3, tfLoss(simdloss.huber, { reduction: 'sum' })(y, x)))(p);
    const want = simdloss.huber.grad(ya, pa, { reduction: 'sum' });
    expect(g.dataSync()).toEqual(want.map((v) => Math.fround(3 * v)));
  });

  test('tfMetric gives the metric as a scalar, named after it', () => {
    const labels = tf.tensor2d([[2], [0], [1], [1]]);
    const z = floats([4, 3]);
    const acc = tfMetric(simdloss.sparseCategoricalAccuracy);
    expect(acc.name).toBe('sparseCategoricalAccuracy');
    const want = tf.metrics.sparseCategoricalAccuracy(labels, z);
    expect(acc(labels, z).dataSync()[0]).toBe(tf.mean(want).dataSync()[0]);
  });

  test('a training step leaves no tensor behind', () => {
    const x = floats([6, 4]);
    const labels = tf.tensor1d([0, 1, 2, 2, 1, 0], 'int32');
    const w = tf.variable(floats([4, 3]));
    const loss = tfLoss(simdloss.sparseSoftmaxCrossEntropy);
    const sgd = tf.train.sgd(0.1);
    const step = () => sgd.minimize(() => loss(labels, tf.matMul(x, w)));
    step(); // the optimizer's own state, once
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
  });

  test('the gradient of yTrue and of the weights is zero (they are data)', () => {
    const [gy, , gw] = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tfLoss(simdloss.mse)(a, b, c))([y, p, w]);
    expect(Array.from(gy!.dataSync())).toEqual(new Array(12).fill(0));
    expect(Array.from(gw!.dataSync())).toEqual(new Array(12).fill(0));
  });
});

describe('tfWithGradAsync', () => {
  const labels = tf.tensor1d([2, 0, 1, 1], 'int32');
  const z = floats([4, 3]);

  test("gives tfLoss's loss and gradient, read with await data()", async () => {
    const { loss, grad } = await tfWithGradAsync(simdloss.sparseSoftmaxCrossEntropy)(labels, z);
    const want = tf.valueAndGrad((x: tf.Tensor) => tfLoss(simdloss.sparseSoftmaxCrossEntropy)(labels, x))(z);
    expect(Math.fround(loss)).toBe(want.value.dataSync()[0]);
    expect(grad.shape).toEqual(z.shape);
    expect(grad.dataSync()).toEqual(want.grad.dataSync());
  });

  test('a step of a custom loop through a second forward pass moves the weights as tfLoss in optimizer.minimize does', async () => {
    const x = floats([4, 5]);
    const start = floats([5, 3]);
    const [viaMinimize, viaAsync] = [tf.variable(start.clone()), tf.variable(start.clone())];
    tf.train.sgd(0.5).minimize(() => tfLoss(simdloss.sparseSoftmaxCrossEntropy)(labels, tf.matMul(x, viaMinimize)));
    const { grad } = await tfWithGradAsync(simdloss.sparseSoftmaxCrossEntropy)(labels, tf.matMul(x, viaAsync));
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(tf.matMul(x, viaAsync), grad)) as tf.Scalar, [viaAsync]);
    tf.train.sgd(0.5).applyGradients(grads);
    // both are Jᵀ·g of the same g, through the same matMul gradient: the same float32 operations
    expect(viaAsync.dataSync()).toEqual(viaMinimize.dataSync());
    expect(viaAsync.dataSync()).not.toEqual(start.dataSync());
  });
});

describe('refused, with a SimdlossError naming the argument', () => {
  const z = floats([3, 4]);
  const cases: [string, () => unknown, string, RegExp][] = [
    [
      'a tensor that is not one',
      () => tfLoss(simdloss.mse)([1, 2] as never, z),
      'yTrue',
      /yTrue must be a TensorFlow\.js tensor; got object/,
    ],
    ['an int32 yPred', () => tfLoss(simdloss.mse)(z, tf.cast(z, 'int32')), 'yPred', /yPred must be a float32 tensor .* got int32/],
    ['int32 dense targets', () => tfLoss(simdloss.softmaxCrossEntropy)(tf.cast(z, 'int32'), z), 'yTrue', /yTrue must be a float32 tensor/],
    [
      'sizes that differ',
      () => tfLoss(simdloss.mse)(floats([4, 3]), floats([3, 3])),
      'yTrue',
      /yTrue \[4,3\] must have the size of yPred \(9\) for yPred \[3,3\]; got 12/,
    ],
    [
      'the same size in another shape',
      () => tfLoss(simdloss.mse)(floats([4, 3]), floats([3, 4])),
      'yTrue',
      /yTrue \[4,3\] must have the shape of yPred \[3,4\]/,
    ],
    [
      'a dim that does not divide yPred',
      () => tfLoss(simdloss.triplet, { dim: 5 })(z, floats([2, 12])),
      'opts.dim',
      /each opts\.dim = 5 wide/,
    ],
    [
      'one label too many',
      () => tfLoss(simdloss.sparseSoftmaxCrossEntropy)(tf.tensor1d([0, 1, 2, 3]), z),
      'yTrue',
      /one label per row of yPred \(3\)/,
    ],
    [
      'a label that is not whole',
      () => tfLoss(simdloss.sparseSoftmaxCrossEntropy)(tf.tensor1d([0, 1.5, 2]), z),
      'yTrue',
      /yTrue\[1\] must be a whole class index .* got 1\.5/,
    ],
    [
      'an odd last axis for two inputs',
      () => tfLoss(simdloss.gaussianNLL)(floats([3, 1]), floats([3, 3])),
      'yPred',
      /side by side on its last axis \(\[mean \| variance\]/,
    ],
    [
      'an int32 yTrue of an elementwise loss',
      () => tfLoss(simdloss.mse)(tf.cast(z, 'int32'), z),
      'yTrue',
      /yTrue must be a float32 tensor/,
    ],
    [
      'an int32 yPred of a row-wise loss',
      () => tfLoss(simdloss.softmaxCrossEntropy)(z, tf.cast(z, 'int32')),
      'yPred',
      /yPred must be a float32 tensor .* got int32/,
    ],
    ['opts null', () => tfLoss(simdloss.mse, null as never), 'opts', /: opts must be an object of the loss's options; got null$/],
    ['opts a number', () => tfLoss(simdloss.mse, 7 as never), 'opts', /: opts must be an object of the loss's options; got number$/],
    ['opts an array', () => tfMetric(simdloss.mae, [] as never), 'opts', /: opts must be an object of the loss's options; got object$/],
    [
      'classes that do not divide yPred: the loss says so, not the label count',
      () => tfLoss(simdloss.sparseSoftmaxCrossEntropy, { classes: 5 })(tf.tensor1d([0, 1, 2]), z),
      'opts.classes',
      /opts\.classes must divide the length of pred; got 5 for 12 elements/,
    ],
    [
      'a negative dim that divides yPred',
      () => tfLoss(simdloss.triplet, { dim: -4 })(z, floats([1, 12])),
      'opts.dim',
      /: yPred \[1,12\] must hold its 3 inputs side by side on its last axis \(\[anchor \| positive \| negative\], each opts\.dim = -4 wide\); got a last axis of 12$/,
    ],
    [
      'an odd last axis for two inputs, behind an axis of 1',
      () => tfLoss(simdloss.gaussianNLL)(floats([2, 1, 1]), floats([2, 1, 3])),
      'yPred',
      /: yPred \[2,1,3\] must hold its 2 inputs side by side on its last axis \(\[mean \| variance\], each 1\/2 of it\); got a last axis of 3$/,
    ],
    [
      'an int32 yPred of an embedding loss',
      () => tfLoss(simdloss.triplet)(z, tf.cast(floats([2, 12]), 'int32')),
      'yPred',
      /yPred must be a float32 tensor/,
    ],
    [
      'one label too many for pairs side by side',
      () => tfLoss(simdloss.contrastive)(tf.tensor1d([0, 1, 1, 0]), floats([3, 8])),
      'yTrue',
      /: yTrue \[4\] must have one label per row \(3\) for yPred \[3,8\]; got 4$/,
    ],
    [
      'a target of the wrong size for two inputs side by side',
      () => tfLoss(simdloss.gaussianNLL)(floats([3, 3]), floats([3, 4])),
      'yTrue',
      /: yTrue \[3,3\] must have one per element of an input \(6\) for yPred \[3,4\]; got 9$/,
    ],
    [
      'an int32 yTrue of two inputs side by side',
      () => tfLoss(simdloss.gaussianNLL)(tf.cast(floats([3, 2]), 'int32'), z),
      'yTrue',
      /yTrue must be a float32 tensor/,
    ],
    [
      'a scalar yPred of a row-wise loss',
      () => tfLoss(simdloss.softmaxCrossEntropy)(tf.scalar(1), tf.scalar(1)),
      'yPred',
      /: yPred must have at least one axis; got a scalar$/,
    ],
    [
      'the same size in another shape whose digits read alike ([26,5] and [2,65])',
      () => tfLoss(simdloss.mse)(floats([26, 5]), floats([2, 65])),
      'yTrue',
      /yTrue \[26,5\] must have the shape of yPred \[2,65\]/,
    ],
    ['a null yPred', () => tfLoss(simdloss.mse)(z, null as never), 'yPred', /: yPred must be a TensorFlow\.js tensor; got null$/],
    [
      'a float label beyond int32',
      () => tfLoss(simdloss.sparseSoftmaxCrossEntropy)(tf.tensor1d([0, 3e9, 1]), z),
      'yTrue',
      /: yTrue\[1\] must be a whole class index \(an int32\); got 3000000000$/,
    ],
    ['null given to tfLoss', () => tfLoss(null as never), 'f', /^tfLoss: f must be a loss or metric exported by simdloss; got object$/],
    [
      'weights that are not a tensor',
      () => tfLoss(simdloss.mse)(z, z, [1, 1, 1] as never),
      'weights',
      /: weights must be a TensorFlow\.js tensor; got object$/,
    ],
    [
      'int32 weights',
      () => tfLoss(simdloss.mse)(z, z, tf.ones([3, 4], 'int32')),
      'weights',
      /: weights must be a float32 tensor .* got int32$/,
    ],
    [
      'a metric given to tfLoss',
      () => tfLoss(simdloss.binaryAccuracy as never),
      'f',
      /^tfLoss\(binaryAccuracy\): binaryAccuracy has no gradient/,
    ],
    ['a number given to tfLoss', () => tfLoss(7 as never), 'f', /^tfLoss: f must be a loss or metric exported by simdloss; got number$/],
    [
      'a number given to tfMetric',
      () => tfMetric(7 as never),
      'f',
      /^tfMetric: f must be a loss or metric exported by simdloss; got number$/,
    ],
    [
      'an int32 yPred of a metric',
      () => tfMetric(simdloss.mae)(z, tf.cast(z, 'int32')),
      'yPred',
      /^tfMetric\(mae\): yPred must be a float32 tensor/,
    ],
    [
      'a number given to tfWithGradAsync',
      () => tfWithGradAsync(7 as never),
      'f',
      /^tfWithGradAsync: f must be a loss or metric exported by simdloss; got number$/,
    ],
    [
      'a metric given to tfWithGradAsync',
      () => tfWithGradAsync(simdloss.binaryAccuracy as never),
      'f',
      /^tfWithGradAsync\(binaryAccuracy\): binaryAccuracy has no gradient \(a metric\): use tfMetric\(binaryAccuracy\)$/,
    ],
    ["reduction 'none'", () => tfLoss(simdloss.mse, { reduction: 'none' } as never), 'opts.reduction', /'mean' or 'sum'/],
    ['opts.weights', () => tfLoss(simdloss.mse, { weights: new Float32Array(3) }), 'opts.weights', /third tensor/],
    ['opts.out', () => tfLoss(simdloss.mse, { out: new Float32Array(3) }), 'opts.out', /as a tensor/],
    ['opts.accuracy', () => tfLoss(simdloss.softmaxCrossEntropy, { accuracy: true }), 'opts.accuracy', /tfMetric/],
    ['a function that is not a simdloss export', () => tfLoss((() => 0) as never), 'f', /f must be a loss or metric exported by simdloss/],
    [
      'an export without a layout',
      () => tfLoss(Object.assign(() => 0, { lossName: 'x', withGrad: () => 0 })),
      'f',
      /x's arguments have no \(yTrue, yPred\) layout/,
    ],
  ];
  test.each(cases)('%s', (_what, call, argument, message) => {
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(simdloss.SimdlossError);
    expect((error as simdloss.SimdlossError).argument).toBe(argument);
    expect((error as Error).message).toMatch(message);
  });

  test('tfWithGradAsync rejects an int32 yPred, naming itself', async () => {
    await expect(tfWithGradAsync(simdloss.mse)(z, tf.cast(z, 'int32'))).rejects.toThrow(
      /^tfWithGradAsync\(mse\): yPred must be a float32 tensor/,
    );
  });

  test("the loss's own checks still hold (an option out of range, on the first batch)", () => {
    expect(() => tfLoss(simdloss.huber, { delta: -1 })(z, z)).toThrow(/huber.withGrad: opts.delta/);
  });
});
