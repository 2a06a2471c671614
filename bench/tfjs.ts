/**
 * simdloss against TensorFlow.js, the library users would otherwise pick: forward + gradient with
 * respect to the prediction, float32, 'mean'. TensorFlow.js runs `tf.valueAndGrad` on its wasm and
 * cpu backends, with what a user pays included: tensors made from the typed arrays, `dataSync()`
 * of the loss and the gradient, and the tensors disposed. Also the relative error of each loss
 * against a float64 sum of the same per-example formula at N = 1e6.
 *
 * Then one training step through simdloss/tfjs against TensorFlow.js's own loss (bench/tfjs-training.ts).
 *
 * Run by `npm run bench` after the losses (unless --only), or alone: `npm run bench:tfjs`
 * [-- --sizes 1e3,1e5,1e6] [--time 300] [--only dice,tversky] (kernels by name, or by the name's first word).
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as simdloss from '../dist/node.js';
import { random } from '../test/random.js';
import { measure, medianOf, type Prepared, ROUNDS } from './measure.js';
import { benchTfjsTraining } from './tfjs-training.js';

type Arrays = { target: Float32Array; pred: Float32Array };
interface Kernel {
  name: string;
  classes?: number;
  /** Target and prediction of n elements. */
  data(n: number, rand: () => number, classes: number): Arrays;
  simdloss(a: Arrays, classes: number): { loss: number; grad: Float32Array };
  /** The same loss as a function of the prediction tensor, as a TensorFlow.js user would write it. */
  tfjs(target: tf.Tensor, pred: tf.Tensor): tf.Scalar;
  /** Per-example float64 loss, summed and divided by the number of examples. */
  reference(a: Arrays, classes: number): number;
  /** Its own size (whole rows) for the largest of --sizes, which it is timed at alone. */
  size?(largest: number): number;
  /** How its N column reads (rows × values), where a power of ten would round its size. */
  label?(n: number): string;
}

const uniform = (n: number, lo: number, hi: number, rand: () => number) => Float32Array.from({ length: n }, () => lo + (hi - lo) * rand());
const labels01 = (n: number, rand: () => number) => Float32Array.from({ length: n }, () => (rand() < 0.5 ? 0 : 1));
function oneHot(n: number, classes: number, rand: () => number): Float32Array {
  const y = new Float32Array(n);
  for (let row = 0; row < n / classes; row++) y[row * classes + Math.floor(rand() * classes)] = 1;
  return y;
}
const EPS = Math.fround(1e-7);

function softmaxKernel(classes: number): Kernel {
  return {
    name: `softmaxCrossEntropy C=${classes}`,
    classes,
    data: (n, rand) => ({ target: oneHot(n, classes, rand), pred: uniform(n, -5, 5, rand) }),
    simdloss: ({ target, pred }) => simdloss.softmaxCrossEntropy.withGrad(target, pred, { classes }),
    tfjs: (y, z) => tf.losses.softmaxCrossEntropy(y.reshape([-1, classes]), z.reshape([-1, classes])) as tf.Scalar,
    reference({ target, pred }) {
      let sum = 0;
      for (let r = 0; r < pred.length; r += classes) {
        let max = -Infinity;
        for (let k = 0; k < classes; k++) max = Math.max(max, pred[r + k]!);
        let s = 0;
        for (let k = 0; k < classes; k++) s += Math.exp(pred[r + k]! - max);
        const lse = max + Math.log(s);
        for (let k = 0; k < classes; k++) sum += target[r + k]! * (lse - pred[r + k]!);
      }
      return sum / (pred.length / classes);
    },
  };
}

/** Segmentation masks: rows of 256×256 values, 16 of them; MONAI's soft Dice and Tversky written with tf ops. */
const MASK = 65536;
const SMOOTH = 1e-5;
const masks = (n: number, rand: () => number): Arrays => ({
  target: Float32Array.from({ length: n }, () => (rand() < 0.3 ? 1 : 0)),
  pred: uniform(n, 0, 1, rand),
});
/** Whole masks, at least as many values as `largest`: 16 masks (1,048,576 values) for 1e6. */
const masksFor = (largest: number): number => Math.max(1, Math.ceil(largest / MASK)) * MASK;
const maskLabel = (n: number): string => `${n / MASK}×${MASK}`;
/** N as 1e5 where that is exact, else every digit. */
const sizeLabel = (n: number): string => (Number(n.toExponential(0)) === n ? n.toExponential(0).replace('+', '') : String(n));
/** Σ over each row of y·p, y and p (float64), for the overlap references. */
function rowSums({ target, pred }: Arrays, dim: number, f: (tp: number, sy: number, sp: number) => number): number {
  let total = 0;
  for (let r = 0; r < pred.length; r += dim) {
    let tp = 0;
    let sy = 0;
    let sp = 0;
    for (let k = r; k < r + dim; k++) {
      tp += target[k]! * pred[k]!;
      sy += target[k]!;
      sp += pred[k]!;
    }
    total += f(tp, sy, sp);
  }
  return total / (pred.length / dim);
}
const overlapKernels: Kernel[] = [
  {
    name: 'dice 256×256 masks',
    classes: MASK,
    size: masksFor,
    label: maskLabel,
    data: masks,
    simdloss: ({ target, pred }) => simdloss.dice.withGrad(target, pred, { dim: MASK }),
    tfjs: (y, p) => {
      const [y2, p2] = [y.reshape([-1, MASK]), p.reshape([-1, MASK])];
      const overlap = tf.add(tf.mul(2, tf.sum(tf.mul(y2, p2), 1)), SMOOTH);
      return tf.mean(tf.sub(1, tf.div(overlap, tf.add(tf.add(tf.sum(y2, 1), tf.sum(p2, 1)), SMOOTH)))) as tf.Scalar;
    },
    reference: (a) => rowSums(a, MASK, (tp, sy, sp) => 1 - (2 * tp + SMOOTH) / (sy + sp + SMOOTH)),
  },
  {
    name: 'tversky 256×256 masks',
    classes: MASK,
    size: masksFor,
    label: maskLabel,
    data: masks,
    simdloss: ({ target, pred }) => simdloss.tversky.withGrad(target, pred, { dim: MASK }),
    tfjs: (y, p) => {
      const [y2, p2] = [y.reshape([-1, MASK]), p.reshape([-1, MASK])];
      const tp = tf.sum(tf.mul(y2, p2), 1);
      const fp = tf.sum(tf.mul(tf.sub(1, y2), p2), 1);
      const fn = tf.sum(tf.mul(y2, tf.sub(1, p2)), 1);
      const den = tf.add(tf.add(tf.add(tp, tf.mul(0.5, fp)), tf.mul(0.5, fn)), SMOOTH);
      return tf.mean(tf.sub(1, tf.div(tf.add(tp, SMOOTH), den))) as tf.Scalar;
    },
    reference: (a) => rowSums(a, MASK, (tp, sy, sp) => 1 - (tp + SMOOTH) / (tp + 0.5 * (sp - tp) + 0.5 * (sy - tp) + SMOOTH)),
  },
];

export const KERNELS: Kernel[] = [
  {
    name: 'mse',
    data: (n, rand) => ({ target: uniform(n, -10, 10, rand), pred: uniform(n, -10, 10, rand) }),
    simdloss: ({ target, pred }) => simdloss.mse.withGrad(target, pred),
    tfjs: (y, p) => tf.losses.meanSquaredError(y, p) as tf.Scalar,
    reference: ({ target, pred }) => pred.reduce((s, p, i) => s + (p - target[i]!) ** 2, 0) / pred.length,
  },
  {
    name: 'binaryCrossEntropy',
    data: (n, rand) => ({ target: labels01(n, rand), pred: uniform(n, 0.001, 0.999, rand) }),
    simdloss: ({ target, pred }) => simdloss.binaryCrossEntropy.withGrad(target, pred),
    // Keras' binary cross-entropy: p clipped to [ε, 1 − ε], as simdloss does
    tfjs: (y, p) => tf.metrics.binaryCrossentropy(y, p) as tf.Scalar,
    reference: ({ target, pred }) =>
      pred.reduce((s, p, i) => {
        const q = Math.min(Math.max(p, EPS), 1 - EPS);
        return s - (target[i]! * Math.log(q) + (1 - target[i]!) * Math.log(1 - q));
      }, 0) / pred.length,
  },
  {
    name: 'binaryCrossEntropyWithLogits',
    data: (n, rand) => ({ target: labels01(n, rand), pred: uniform(n, -10, 10, rand) }),
    simdloss: ({ target, pred }) => simdloss.binaryCrossEntropyWithLogits.withGrad(target, pred),
    tfjs: (y, z) => tf.losses.sigmoidCrossEntropy(y, z) as tf.Scalar,
    reference: ({ target, pred }) =>
      pred.reduce((s, z, i) => s + Math.max(z, 0) - z * target[i]! + Math.log1p(Math.exp(-Math.abs(z))), 0) / pred.length,
  },
  {
    name: 'mape',
    data: (n, rand) => ({ target: uniform(n, 0.5, 10, rand), pred: uniform(n, -10, 10, rand) }),
    simdloss: ({ target, pred }) => simdloss.mape.withGrad(target, pred),
    tfjs: (y, p) => tf.metrics.meanAbsolutePercentageError(y, p) as tf.Scalar,
    reference: ({ target, pred }) =>
      pred.reduce((s, p, i) => s + (100 * Math.abs(target[i]! - p)) / Math.max(Math.abs(target[i]!), EPS), 0) / pred.length,
  },
  {
    // (tfjs-layers' meanSquaredLogarithmicError, written with the same ops: the layers do not export it)
    name: 'msle',
    data: (n, rand) => ({ target: uniform(n, 0, 8, rand), pred: uniform(n, 0, 8, rand) }),
    simdloss: ({ target, pred }) => simdloss.msle.withGrad(target, pred),
    tfjs: (y, p) => {
      const clip = (x: tf.Tensor) => tf.log(tf.add(1, tf.clipByValue(x, 1e-7, Number.MAX_VALUE)));
      return tf.mean(tf.square(tf.sub(clip(p), clip(y)))) as tf.Scalar;
    },
    reference: ({ target, pred }) =>
      pred.reduce((s, p, i) => s + (Math.log1p(Math.max(p, EPS)) - Math.log1p(Math.max(target[i]!, EPS))) ** 2, 0) / pred.length,
  },
  {
    // tfjs-layers' poisson takes rates, ŷ − y·ln(ŷ + ε) (written with its ops: the layers do not export it);
    // simdloss with logInput false and the same ε
    name: 'poissonNLL (rates)',
    data: (n, rand) => ({
      target: Float32Array.from({ length: n }, () => Math.floor(rand() * 10)),
      pred: uniform(n, 0.1, 10, rand),
    }),
    simdloss: ({ target, pred }) => simdloss.poissonNLL.withGrad(target, pred, { logInput: false, eps: 1e-7 }),
    tfjs: (y, p) => tf.mean(tf.sub(p, tf.mul(y, tf.log(tf.add(1e-7, p))))) as tf.Scalar,
    reference: ({ target, pred }) => pred.reduce((s, p, i) => s + p - target[i]! * Math.log(p + 1e-7), 0) / pred.length,
  },
  softmaxKernel(10),
  softmaxKernel(1000),
  ...overlapKernels,
];

const VARIANTS = ['simdloss', 'tfjs wasm', 'tfjs cpu'] as const;
type VariantName = (typeof VARIANTS)[number];
// Calls per timed sample: ~1e4 elements' worth, so that at N = 1e3 a sample outlasts the timer's cost.
const BATCH_ELEMENTS = 1e4;

/** The call to time for one variant, on its backend (switching to a started backend is synchronous). */
async function prepare(variant: VariantName, k: Kernel, a: Arrays): Promise<Prepared<{ loss: number; grad: Float32Array }>> {
  if (variant === 'simdloss') return { call: () => k.simdloss(a, k.classes ?? 1) };
  await backend(variant === 'tfjs wasm' ? 'wasm' : 'cpu');
  return { call: tfjsCall(k, a) };
}

/** Loss and gradient from TensorFlow.js, paying for tensor creation and readback as a user does. */
function tfjsCall(k: Kernel, a: Arrays) {
  const valueAndGrad = tf.valueAndGrad((p: tf.Tensor) => k.tfjs(tf.tensor1d(a.target), p));
  return () => {
    const p = tf.tensor1d(a.pred);
    const { value, grad } = valueAndGrad(p);
    const loss = value.dataSync()[0]!;
    const g = grad.dataSync() as Float32Array;
    tf.dispose([p, value, grad]);
    return { loss, grad: g };
  };
}

export async function backend(name: 'wasm' | 'cpu'): Promise<void> {
  if (tf.getBackend() === name) return;
  if (tf.engine().registry[name]) {
    // started already: the switch is synchronous, no banner
    if (!(await tf.setBackend(name))) throw new Error(`TensorFlow.js backend '${name}' did not switch`);
    return;
  }
  // TensorFlow.js prints a banner recommending tfjs-node (a native addon) when a backend starts in Node.
  const { log, warn } = console;
  console.log = console.warn = () => {};
  try {
    if (!(await tf.setBackend(name))) throw new Error(`TensorFlow.js backend '${name}' did not start`);
    await tf.ready();
  } finally {
    console.log = log;
    console.warn = warn;
  }
}

export async function benchTfjs(sizes = [1e3, 1e5, 1e6], timeMs = 300, only?: string[]): Promise<void> {
  const kernels = only === undefined ? KERNELS : KERNELS.filter((k) => only.some((o) => k.name === o || k.name.startsWith(`${o} `)));
  await simdloss.init();
  // Production mode: what a user timing TensorFlow.js would run (no debug checks), and it keeps the
  // cpu backend from printing its tfjs-node banner into the table.
  tf.enableProdMode();
  await backend('cpu');
  await backend('wasm');
  // Warm-up before any timing: V8 compiles TensorFlow.js's large wasm module in the background,
  // and on a 2-core machine that stole the CPU from whatever ran first (simdloss mse read 0.58
  // el/ns right after the backend started, 3.0 in a quiet process). Every kernel's call on every
  // variant runs for warmMs first; then the variants are timed in interleaved rounds (measure.ts).
  const warmMs = 2 * timeMs;
  for (const k of kernels) {
    const n = k.size?.(Math.max(...sizes)) ?? Math.min(1e5, Math.max(...sizes));
    const a = k.data(n, random(n + k.name.length), k.classes ?? 1);
    for (const variant of VARIANTS) {
      const { call } = await prepare(variant, k, a);
      for (const t0 = performance.now(); performance.now() - t0 < warmMs; ) call();
    }
  }
  console.log(
    `\nsimdloss vs TensorFlow.js ${tf.version.tfjs}: withGrad / tf.valueAndGrad, float32, mean; el/ns (median of ${ROUNDS} interleaved rounds), and simdloss's speed-up`,
  );
  console.log(
    ['kernel'.padEnd(34), 'N'.padStart(8), ...VARIANTS.map((v) => v.padStart(10)), '÷ wasm'.padStart(7), '÷ cpu'.padStart(7)].join('  '),
  );
  const errors: string[] = [];
  for (const k of kernels) {
    for (const n of k.size ? [k.size(Math.max(...sizes))] : sizes) {
      const rand = random(n + k.name.length);
      const a = k.data(n, rand, k.classes ?? 1);
      const want = k.reference(a, k.classes ?? 1);
      for (const variant of VARIANTS) {
        const first = (await prepare(variant, k, a)).call();
        if (!(Math.abs(first.loss - want) <= 1e-3 * Math.abs(want)))
          throw new Error(`${k.name} N=${n} ${variant}: loss ${first.loss}, float64 reference ${want}`);
        if (n === 1e6)
          errors.push(`${k.name.padEnd(34)} ${variant.padEnd(10)} ${(Math.abs(first.loss - want) / Math.abs(want)).toExponential(1)}`);
      }
      const reps = Math.max(1, Math.round(BATCH_ELEMENTS / n));
      const pooled = await measure(
        VARIANTS.map((v) => ({ name: v, prepare: () => prepare(v, k, a) })),
        reps,
        `${k.name} N=${n}`,
        timeMs,
      );
      const rates = VARIANTS.map((v) => n / (medianOf(pooled.get(v)!) * 1e6));
      const [mine, wasm, cpu] = rates as [number, number, number];
      const fmt = (x: number) => (x >= 1 ? x.toFixed(2) : x.toPrecision(2));
      console.log(
        [
          k.name.padEnd(34),
          (k.label?.(n) ?? sizeLabel(n)).padStart(8),
          ...rates.map((r) => fmt(r).padStart(10)),
          `${(mine / wasm).toFixed(1)}×`.padStart(7),
          `${(mine / cpu).toFixed(1)}×`.padStart(7),
        ].join('  '),
      );
    }
  }
  if (errors.length) {
    console.log('\nrelative error of the loss against a float64 sum of the same formula, N = 1e6:');
    for (const line of errors) console.log(line);
  }
  await benchTfjsTraining(timeMs, backend);
}

/**
 * infoNCE (anchors → positives, mean) as a TensorFlow.js user writes it with tf ops: rows divided by
 * max(‖x‖, 1e-8), `matMul` of the two batches, `logSoftmax`, the diagonal picked by a one-hot mask,
 * and `tf.valueAndGrads` for both inputs. The call makes the tensors from the typed arrays and reads
 * the loss and both gradients back (`dataSync`), as a training step must.
 */
export function tfjsInfoNCE(n: number, dim: number, tau: number): (a: Float32Array, b: Float32Array) => Prepared<{ loss: number }> {
  const f = (x: tf.Tensor, y: tf.Tensor): tf.Scalar => {
    const xn = tf.div(x, tf.maximum(tf.norm(x, 'euclidean', 1, true), 1e-8));
    const yn = tf.div(y, tf.maximum(tf.norm(y, 'euclidean', 1, true), 1e-8));
    const logits = tf.div(tf.matMul(xn, yn, false, true), tau);
    const eye = tf.oneHot(tf.range(0, n, 1, 'int32'), n);
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), eye), 1))) as tf.Scalar;
  };
  const valueAndGrads = tf.valueAndGrads(f as (...xs: tf.Tensor[]) => tf.Scalar);
  return (a, b) => ({
    call: () => {
      const { value, grads } = tf.tidy(() => valueAndGrads([tf.tensor2d(a, [n, dim]), tf.tensor2d(b, [n, dim])]));
      const loss = value.dataSync()[0]!;
      grads[0]!.dataSync();
      grads[1]!.dataSync();
      tf.dispose([value, ...grads]);
      return { loss };
    },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { sizes: { type: 'string', default: '1e3,1e5,1e6' }, time: { type: 'string', default: '300' }, only: { type: 'string' } },
  });
  await benchTfjs(values.sizes.split(',').map(Number), Number(values.time), values.only?.split(','));
}
