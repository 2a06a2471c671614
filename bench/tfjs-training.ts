/**
 * One TensorFlow.js training step — forward, loss, backward, SGD update, the loss read back — with
 * TensorFlow.js's own loss and with simdloss's through simdloss/tfjs, on the cpu and wasm
 * backends: a wide softmax head (batch 256, 32 features, 1000 classes) and a logistic model (batch
 * 4096, 32 features). The bridge reads the logits with dataSync() and hands the gradient back as a
 * new tensor; its step pays those copies where TensorFlow.js's loss stays inside the backend
 * ('copies': the two alone, at the logits' size).
 */
import * as tf from '@tensorflow/tfjs';
import * as lib from '../dist/node.js';
import { tfLoss } from '../dist/tfjs.js';
import { random } from '../test/random.js';
import { measure, medianOf, ROUNDS } from './measure.js';

type Loss = (y: tf.Tensor, z: tf.Tensor) => tf.Scalar;

interface Model {
  name: string;
  batch: number;
  features: number;
  outputs: number;
  target(rand: () => number): Float32Array;
  tfjs: Loss;
  bridge: Loss;
}

const MODELS: Model[] = [
  {
    name: 'softmax head, batch 256, 1000 classes',
    batch: 256,
    features: 32,
    outputs: 1000,
    target: (rand) => {
      const y = new Float32Array(256 * 1000);
      for (let r = 0; r < 256; r++) y[r * 1000 + Math.floor(rand() * 1000)] = 1;
      return y;
    },
    tfjs: (y, z) => tf.losses.softmaxCrossEntropy(y, z) as tf.Scalar,
    bridge: tfLoss(lib.softmaxCrossEntropy),
  },
  {
    name: 'logistic, batch 4096',
    batch: 4096,
    features: 32,
    outputs: 1,
    target: (rand) => Float32Array.from({ length: 4096 }, () => (rand() < 0.5 ? 0 : 1)),
    tfjs: (y, z) => tf.losses.sigmoidCrossEntropy(y, z) as tf.Scalar,
    bridge: tfLoss(lib.binaryCrossEntropyWithLogits),
  },
];

const BACKENDS = ['cpu', 'wasm'] as const;
const VARIANTS = ['tfjs loss', 'simdloss/tfjs', 'copies'] as const;

/** What the bridge adds to a step besides the loss: yPred read with dataSync() and the gradient made a tensor. */
function copiesOn(m: Model) {
  const rand = random(m.batch);
  const z = tf.tensor2d(
    Float32Array.from({ length: m.batch * m.outputs }, () => rand() - 0.5),
    [m.batch, m.outputs],
  );
  const g = new Float32Array(m.batch * m.outputs);
  return {
    call: () => {
      const read = z.dataSync();
      const back = tf.tensor(g, z.shape);
      back.dispose();
      return { loss: read[0]! };
    },
    free: () => z.dispose(),
  };
}

/** The step's tensors, made on the current backend (outside the timing) and freed after. */
function stepOn(m: Model, loss: Loss) {
  const rand = random(m.batch + m.outputs);
  const x = tf.tensor2d(
    Float32Array.from({ length: m.batch * m.features }, () => 2 * rand() - 1),
    [m.batch, m.features],
  );
  const y = tf.tensor2d(m.target(rand), [m.batch, m.outputs]);
  const w = tf.variable(
    tf.tensor2d(
      Float32Array.from({ length: m.features * m.outputs }, () => 0.1 * (rand() - 0.5)),
      [m.features, m.outputs],
    ),
  );
  const b = tf.variable(tf.zeros([m.outputs]));
  const sgd = tf.train.sgd(0.01);
  return {
    call: () => {
      const cost = sgd.minimize(() => loss(y, tf.add(tf.matMul(x, w), b)), true)!;
      const value = cost.dataSync()[0]!;
      cost.dispose();
      return { loss: value };
    },
    free: () => tf.dispose([x, y, w, b]),
  };
}

export async function benchTfjsTraining(timeMs: number, setBackend: (name: 'cpu' | 'wasm') => Promise<void>): Promise<void> {
  console.log(
    `\nOne training step (forward, loss, backward, SGD update, loss read back), TensorFlow.js ${tf.version.tfjs}: ms per step (median of ${ROUNDS} interleaved rounds)`,
  );
  console.log(['model'.padEnd(38), 'backend'.padEnd(7), ...VARIANTS.map((v) => v.padStart(14)), 'bridge ÷ tfjs'.padStart(14)].join('  '));
  for (const m of MODELS) {
    for (const backend of BACKENDS) {
      await setBackend(backend);
      const pooled = await measure(
        VARIANTS.map((v) => ({
          name: v,
          prepare: async () => {
            await setBackend(backend);
            return v === 'copies' ? copiesOn(m) : stepOn(m, v === 'tfjs loss' ? m.tfjs : m.bridge);
          },
        })),
        1,
        `${m.name} ${backend}`,
        timeMs,
        // one timed step a round at the least: a cpu softmax step takes ~0.2–0.7 s here
        1,
      );
      const [theirs, ours, copies] = VARIANTS.map((v) => medianOf(pooled.get(v)!)) as [number, number, number];
      console.log(
        [
          m.name.padEnd(38),
          backend.padEnd(7),
          theirs.toFixed(2).padStart(14),
          ours.toFixed(2).padStart(14),
          copies.toFixed(3).padStart(14),
          `${(ours / theirs).toFixed(2)}×`.padStart(14),
        ].join('  '),
      );
    }
  }
}
