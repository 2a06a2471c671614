/**
 * simdloss inside TensorFlow.js: a simdloss loss as a tfjs loss function, for
 * `model.compile({ loss })`, `tf.customGrad` / `tf.grad` and custom training loops, its gradient
 * simdloss's own; and a metric for `model.compile({ metrics })`. `@tensorflow/tfjs-core` (which
 * `@tensorflow/tfjs` installs and re-exports) is imported from here, so the gradient is registered
 * with the engine the user's models run on; the main entry never imports it.
 */
import { customGrad, mul, type Scalar, scalar, type Tensor, tensor, zeros } from '@tensorflow/tfjs-core';
import { SimdlossError } from './core/errors.js';
import { SHAPE, type Shape } from './core/shape.js';
import { layOut } from './tfjs/layout.js';
import { bridgeOptions, type TfBridgeOptions } from './tfjs/options.js';
import { floats, tensorArg } from './tfjs/read.js';

export type { TfBridgeOptions } from './tfjs/options.js';

/** A simdloss loss: any export with a gradient (`.withGrad`). */
export interface BridgedLoss {
  /** The loss itself. */
  (...args: never[]): unknown;
  /** The loss and its gradient from one pass. */
  withGrad(...args: never[]): unknown;
  /** The name it is exported under. */
  readonly lossName: string;
}

/** A simdloss metric, or a loss used as a metric. */
export interface BridgedMetric {
  /** The metric itself. */
  (...args: never[]): unknown;
  /** The name it is exported under. */
  readonly lossName: string;
}

/**
 * A loss or metric function as TensorFlow.js takes it: (yTrue, yPred) → one scalar for the batch,
 * with optional per-example weights as a third tensor (model.fit passes two).
 */
export type TfLossFunction = (yTrue: Tensor, yPred: Tensor, weights?: Tensor) => Scalar;

/**
 * The simdloss loss `f` as a TensorFlow.js loss: (yTrue, yPred) → the batch's loss, whose gradient
 * with respect to yPred is `f`'s own (one fused `withGrad` pass, through `tf.customGrad`); yTrue and
 * the weights get a zero gradient. Every tensor is float32 (sparse labels may be int32); yPred is
 * read with `dataSync()`. How yTrue and yPred map onto `f`'s arguments depends on its family: see
 * the guide "Using simdloss with TensorFlow.js".
 *
 * @param f - any simdloss loss (an export with `.withGrad`).
 * @param opts - the loss's options, fixed for every batch; `classes` / `dim` default to yPred's last axis.
 * @returns `(yTrue, yPred, weights?) => tf.Scalar`, for `model.compile({ loss })`, `tf.grad` and custom loops.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { softmaxCrossEntropy, sparseSoftmaxCrossEntropy } from 'simdloss';
 * import { tfLoss } from 'simdloss/tfjs';
 *
 * const loss = tfLoss(softmaxCrossEntropy);   // classes: yPred's last axis
 * const y = tf.tensor2d([[0, 1, 0], [0, 0, 1]]);
 * const z = tf.tensor2d([[2, 0.5, -1], [0.1, 0.2, 3]]);
 * loss(y, z).dataSync()[0];   // 0.9255
 * const grad = tf.grad((logits) => loss(y, logits))(z);   // (softmax(z) − y) / 2, simdloss's gradient
 * // Sparse labels ([batch] or [batch, 1], int32 or whole float32), in a model:
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] });
 * model.compile({ optimizer: tf.train.sgd(0.1), loss: tfLoss(sparseSoftmaxCrossEntropy, { labelSmoothing: 0.1 }) });
 * ```
 */
export function tfLoss(f: BridgedLoss, opts?: TfBridgeOptions): TfLossFunction {
  const { name, shape } = described(f, 'tfLoss');
  const fn = `tfLoss(${name})`;
  if (typeof f.withGrad !== 'function') {
    throw new SimdlossError(`${fn}: ${name} has no gradient (a metric): compile it with tfMetric(${name})`, 'f');
  }
  const options = bridgeOptions(fn, opts);
  const withGrad = f.withGrad as (...args: unknown[]) => { loss: number; grad: unknown };
  const lossAndGrad = customGrad((...args) => {
    // customGrad passes its save function after the tensors
    const inputs = args.filter((a) => typeof a !== 'function') as Tensor[];
    const [yTrue, yPred, weights] = inputs;
    const layout = layOut(shape, fn, yTrue!, yPred!, weighted(fn, options, weights));
    const { loss, grad } = withGrad(...layout.args, layout.opts);
    const g = layout.gradient(grad);
    const shapes = inputs.map((t) => t.shape);
    return {
      value: scalar(loss),
      gradFunc: (dy: Tensor) => shapes.map((s, i) => (i === 1 ? mul(tensor(g, s, 'float32'), dy) : zeros(s))),
    };
  });
  return named(name, (yTrue, yPred, weights) => lossAndGrad(...(tensors(fn, yTrue, yPred, weights) as Tensor[])) as Scalar);
}

/**
 * The simdloss metric `m` (or a loss used as a metric) as a TensorFlow.js metric: (yTrue, yPred) →
 * the batch's value as a scalar, for `model.compile({ metrics })` or logging; no gradient. The
 * tensors map onto `m`'s arguments as in {@link tfLoss}. The function is named after `m`, the key
 * model.fit's history uses.
 *
 * @param m - any simdloss metric or loss.
 * @param opts - its options, fixed for every batch; `classes` / `dim` default to yPred's last axis.
 * @returns `(yTrue, yPred, weights?) => tf.Scalar`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { softmaxCrossEntropy, sparseCategoricalAccuracy, topKAccuracy } from 'simdloss';
 * import { tfLoss, tfMetric } from 'simdloss/tfjs';
 *
 * const accuracy = tfMetric(sparseCategoricalAccuracy);
 * accuracy(tf.tensor1d([1, 2]), tf.tensor2d([[2, 0.5, -1], [0.1, 0.2, 3]])).dataSync()[0];   // 0.5
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 10, inputShape: [4] })] });
 * model.compile({ optimizer: 'adam', loss: tfLoss(softmaxCrossEntropy), metrics: [tfMetric(topKAccuracy, { k: 3 })] });
 * ```
 */
export function tfMetric(m: BridgedMetric, opts?: TfBridgeOptions): TfLossFunction {
  const { name, shape } = described(m, 'tfMetric');
  const fn = `tfMetric(${name})`;
  const options = bridgeOptions(fn, opts);
  const metric = m as unknown as (...args: unknown[]) => number;
  return named(name, (yTrue, yPred, weights) => {
    const [t, p, w] = tensors(fn, yTrue, yPred, weights);
    const layout = layOut(shape, fn, t, p, weighted(fn, options, w));
    return scalar(metric(...layout.args, layout.opts));
  });
}

/**
 * The loss and dL/dyPred of `f` without blocking: the tensors are read with `await data()` (on
 * webgl, the download no longer stalls the page), then `f.withGrad` runs as in {@link tfLoss}. For a
 * custom loop: tf.customGrad needs its value at once, so a gradient computed this way reaches the
 * weights through a second forward pass, `tf.variableGrads(() => tf.sum(tf.mul(model.apply(x), grad)))`,
 * whose gradient is Jᵀ·grad: the chain rule with simdloss's gradient. The caller disposes `grad`.
 *
 * @param f - any simdloss loss (an export with `.withGrad`).
 * @param opts - the loss's options, as for {@link tfLoss}.
 * @returns `async (yTrue, yPred, weights?) => ({ loss, grad })`: the loss as a number, the gradient a tensor of yPred's shape.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { binaryCrossEntropyWithLogits } from 'simdloss';
 * import { tfWithGradAsync } from 'simdloss/tfjs';
 *
 * const lossAndGrad = tfWithGradAsync(binaryCrossEntropyWithLogits);
 * const { loss, grad } = await lossAndGrad(tf.tensor1d([1, 0]), tf.tensor1d([2, -1]));
 * loss;   // 0.2201
 * grad.dataSync();   // [-0.0596, 0.1345]: (σ(z) − y) / 2
 * ```
 */
export function tfWithGradAsync(
  f: BridgedLoss,
  opts?: TfBridgeOptions,
): (yTrue: Tensor, yPred: Tensor, weights?: Tensor) => Promise<{ loss: number; grad: Tensor }> {
  const { name, shape } = described(f, 'tfWithGradAsync');
  const fn = `tfWithGradAsync(${name})`;
  if (typeof f.withGrad !== 'function') {
    throw new SimdlossError(`${fn}: ${name} has no gradient (a metric): use tfMetric(${name})`, 'f');
  }
  const options = bridgeOptions(fn, opts);
  const withGrad = f.withGrad as (...args: unknown[]) => { loss: number; grad: unknown };
  return async (yTrue, yPred, weights) => {
    const inputs = tensors(fn, yTrue, yPred, weights);
    // once downloaded, a backend answers dataSync() from the copy it keeps (webgl caches it on the CPU)
    await Promise.all(inputs.map((t) => t?.data()));
    const [t, p, w] = inputs;
    const layout = layOut(shape, fn, t, p, weighted(fn, options, w));
    const { loss, grad } = withGrad(...layout.args, layout.opts);
    return { loss, grad: tensor(layout.gradient(grad), p.shape, 'float32') };
  };
}

/** The export's name and shape, or an error for anything that is not a simdloss loss or metric the bridge can lay out. */
function described(f: unknown, bridge: string): { name: string; shape: Shape } {
  const name = typeof f === 'function' ? (f as { lossName?: unknown }).lossName : undefined;
  if (typeof name !== 'string') {
    throw new SimdlossError(`${bridge}: f must be a loss or metric exported by simdloss; got ${typeof f}`, 'f');
  }
  const shape = (f as unknown as { [SHAPE]?: Shape })[SHAPE];
  if (shape === undefined) {
    throw new SimdlossError(`${bridge}: ${name}'s arguments have no (yTrue, yPred) layout in simdloss/tfjs; call it on arrays`, 'f');
  }
  return { name, shape };
}

function tensors(fn: string, yTrue: unknown, yPred: unknown, weights: unknown): [Tensor, Tensor, Tensor?] {
  const t = tensorArg(fn, 'yTrue', yTrue);
  const p = tensorArg(fn, 'yPred', yPred);
  return weights === undefined ? [t, p] : [t, p, tensorArg(fn, 'weights', weights)];
}

function weighted(fn: string, options: Record<string, unknown>, weights: Tensor | undefined): Record<string, unknown> {
  return weights === undefined ? options : { ...options, weights: floats(fn, 'weights', weights) };
}

/** Named through a computed key: tfjs-layers keys a metric's history by the function's name. */
function named(name: string, f: TfLossFunction): TfLossFunction {
  Object.defineProperty(f, 'name', { value: name });
  return f;
}
