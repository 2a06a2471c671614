/**
 * Whole training epochs, where a loss is one step among others: softmax regression on iris (the
 * demo's trainer, batch 16, 4 features, 3 classes) and on synthetic data shaped like MNIST (batch
 * 64, 784 features, 10 classes), each timed per epoch with simdloss's sparseSoftmaxCrossEntropy
 * and with the same loss written in plain JS. The forward pass and the SGD step are the same
 * plain-JS loops in both, so the ratio says what the loss is worth in a real loop, not alone.
 */
import * as lib from '../dist/node.js';
import { type Lib, loadIris, softmaxTrainer } from '../examples/iris.js';
import { random } from '../test/random.js';
import { measure, medianOf } from './measure.js';
import { ownCopy } from './own-copy.js';
import { plain } from './plain.js';

// A copy of its own: the main tables time the same function with other call shapes.
const softmaxLoop = ownCopy(plain.sparseSoftmaxCrossEntropy!);

interface SoftmaxResult {
  loss: number;
  grad: Float32Array;
  accuracy: number;
}

/** The plain-JS softmax cross-entropy of the main tables (bench/plain.ts), and the argmax accuracy a user counts beside it. */
function plainSoftmax(labels: Int32Array, z: Float32Array, classes: number, out?: Float32Array): SoftmaxResult {
  const { loss, grad } = softmaxLoop(labels, z, { classes }, out);
  let right = 0;
  for (let r = 0; r < labels.length; r++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (z[r * classes + k]! > z[r * classes + best]!) best = k;
    if (best === labels[r]) right++;
  }
  return { loss, grad, accuracy: labels.length > 0 ? right / labels.length : 0 };
}

/** The three functions the iris trainer calls, in plain JS. */
const plainLib = {
  sparseSoftmaxCrossEntropy: Object.assign(
    (labels: Int32Array, z: Float32Array, { classes }: { classes: number }) => plainSoftmax(labels, z, classes).loss,
    { withGrad: (labels: Int32Array, z: Float32Array, { classes }: { classes: number }) => plainSoftmax(labels, z, classes) },
  ),
  sparseCategoricalAccuracy: (labels: Int32Array, z: Float32Array, { classes }: { classes: number }) =>
    plainSoftmax(labels, z, classes).accuracy,
} as unknown as Lib;

const [FEATURES, CLASSES, BATCH, BATCHES] = [784, 10, 64, 20];

/** Rows near one of CLASSES random centres, drawn once: an epoch reads them, as a loop over a dataset does. */
function syntheticData(): { x: Float32Array; labels: Int32Array } {
  const rand = random(784);
  const centres = Float32Array.from({ length: CLASSES * FEATURES }, () => rand() - 0.5);
  const labels = Int32Array.from({ length: BATCH * BATCHES }, () => Math.floor(rand() * CLASSES));
  const x = new Float32Array(labels.length * FEATURES);
  labels.forEach((c, r) => {
    for (let f = 0; f < FEATURES; f++) x[r * FEATURES + f] = centres[c * FEATURES + f]! + rand() - 0.5;
  });
  return { x, labels };
}

type WithGrad = (labels: Int32Array, z: Float32Array, out: Float32Array) => { loss: number; grad: Float32Array };

/** One epoch of softmax regression over the synthetic rows: logits = x·W + b, plain SGD, a reused gradient array. */
function syntheticTrainer(data: { x: Float32Array; labels: Int32Array }, withGrad: WithGrad): () => { loss: number } {
  const w = new Float32Array(FEATURES * CLASSES);
  const b = new Float32Array(CLASSES);
  const z = new Float32Array(BATCH * CLASSES);
  const out = new Float32Array(BATCH * CLASSES);
  const lr = 0.1;
  return () => {
    let loss = 0;
    for (let step = 0; step < BATCHES; step++) {
      const x = data.x.subarray(step * BATCH * FEATURES, (step + 1) * BATCH * FEATURES);
      const labels = data.labels.subarray(step * BATCH, (step + 1) * BATCH);
      for (let r = 0; r < BATCH; r++) {
        for (let j = 0; j < CLASSES; j++) {
          let s = b[j]!;
          for (let f = 0; f < FEATURES; f++) s += x[r * FEATURES + f]! * w[f * CLASSES + j]!;
          z[r * CLASSES + j] = s;
        }
      }
      const { loss: l, grad } = withGrad(labels, z, out);
      loss += l;
      for (let r = 0; r < BATCH; r++) {
        for (let j = 0; j < CLASSES; j++) {
          const g = lr * grad[r * CLASSES + j]!;
          b[j]! -= g;
          for (let f = 0; f < FEATURES; f++) w[f * CLASSES + j]! -= g * x[r * FEATURES + f]!;
        }
      }
    }
    return { loss: loss / BATCHES };
  };
}

export async function benchTraining(timeMs: number): Promise<void> {
  console.log('\ntraining epochs: softmax regression, forward pass and SGD step in plain JS, the loss from simdloss or plain JS');
  console.log(['task'.padEnd(40), 'simdloss'.padStart(10), 'plain JS'.padStart(10), 'plain ÷ simdloss'].join('  '));
  const iris = loadIris();
  const synthetic = syntheticData();
  const irisEpoch = (l: Lib) => () => {
    const trainer = softmaxTrainer(l, iris, { batch: 16 });
    return () => ({ loss: trainer.next().trainLoss });
  };
  const tasks = [
    { what: 'iris, batch 16 (120 rows, 4 → 3)', simdloss: irisEpoch(lib as unknown as Lib), plain: irisEpoch(plainLib) },
    {
      what: `synthetic, batch ${BATCH} (${BATCHES} batches, ${FEATURES} → ${CLASSES})`,
      simdloss: () =>
        syntheticTrainer(synthetic, (labels, z, out) => lib.sparseSoftmaxCrossEntropy.withGrad(labels, z, { classes: CLASSES, out })),
      plain: () => syntheticTrainer(synthetic, (labels, z, out) => softmaxLoop(labels, z, { classes: CLASSES }, out)),
    },
  ];
  for (const t of tasks) {
    const pooled = await measure(
      [
        { name: 'simdloss', prepare: () => ({ call: t.simdloss() }) },
        { name: 'plain JS', prepare: () => ({ call: t.plain() }) },
      ],
      1,
      t.what,
      timeMs,
      2, // an epoch is long enough to time alone
    );
    const [own, base] = ['simdloss', 'plain JS'].map((v) => medianOf(pooled.get(v)!));
    const ms = (x: number) => `${x.toFixed(3)} ms`;
    console.log(
      [t.what.padEnd(40), ms(own!).padStart(10), ms(base!).padStart(10), `${(base! / own!).toFixed(2)}×`.padStart(16)].join('  '),
    );
  }
}
