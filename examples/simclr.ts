/**
 * SimCLR in miniature on iris, shared by the Node demo: an encoder (4 → 16, tanh → 2) sees two
 * noisy views of every training row and learns, from ntXent alone (no labels), to map the two views
 * of a row together and other rows apart. The labels are only used afterwards, to measure whether
 * the 2-D embeddings cluster by species: leave-one-out nearest-neighbour accuracy by cosine.
 */
import type * as Simdloss from '../src/api.js';
import { random } from '../test/random.js';
import { FEATURES, type Split } from './iris.js';

const HIDDEN = 16;
const OUT = 2;

/** A two-layer encoder with its own SGD step; weights seeded. */
class Encoder {
  readonly w1: Float64Array;
  readonly b1 = new Float64Array(HIDDEN);
  readonly w2: Float64Array;
  readonly b2 = new Float64Array(OUT);
  constructor(seed: number) {
    const rand = random(seed);
    this.w1 = Float64Array.from({ length: FEATURES * HIDDEN }, () => (rand() - 0.5) * 1);
    this.w2 = Float64Array.from({ length: HIDDEN * OUT }, () => (rand() - 0.5) * 1);
  }

  /** Embeddings of `rows` rows of x, and the hidden activations the backward pass needs. */
  forward(x: Float64Array, rows: number): { h: Float64Array; z: Float64Array } {
    const h = new Float64Array(rows * HIDDEN);
    const z = new Float64Array(rows * OUT);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < HIDDEN; j++) {
        let s = this.b1[j]!;
        for (let f = 0; f < FEATURES; f++) s += x[r * FEATURES + f]! * this.w1[f * HIDDEN + j]!;
        h[r * HIDDEN + j] = Math.tanh(s);
      }
      for (let k = 0; k < OUT; k++) {
        let s = this.b2[k]!;
        for (let j = 0; j < HIDDEN; j++) s += h[r * HIDDEN + j]! * this.w2[j * OUT + k]!;
        z[r * OUT + k] = s;
      }
    }
    return { h, z };
  }

  /** One SGD step from dL/dz of one batch of views. */
  step(x: Float64Array, rows: number, h: Float64Array, gz: Float64Array, lr: number): void {
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < HIDDEN; j++) {
        let gh = 0;
        for (let k = 0; k < OUT; k++) {
          gh += gz[r * OUT + k]! * this.w2[j * OUT + k]!;
          this.w2[j * OUT + k]! -= lr * h[r * HIDDEN + j]! * gz[r * OUT + k]!;
        }
        const ga = gh * (1 - h[r * HIDDEN + j]! ** 2);
        this.b1[j]! -= lr * ga;
        for (let f = 0; f < FEATURES; f++) this.w1[f * HIDDEN + j]! -= lr * x[r * FEATURES + f]! * ga;
      }
      for (let k = 0; k < OUT; k++) this.b2[k]! -= lr * gz[r * OUT + k]!;
    }
  }
}

/** A view of the rows: each feature jittered by Gaussian noise of deviation `sigma` (Box–Muller). */
function view(x: Float32Array, sigma: number, rand: () => number): Float64Array {
  return Float64Array.from(x, (v) => v + sigma * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
}

/** Leave-one-out nearest-neighbour accuracy by cosine of the embeddings. */
export function neighbourAccuracy(z: Float64Array, labels: Int32Array): number {
  const rows = labels.length;
  const unit = (r: number) => {
    const n = Math.hypot(z[r * OUT]!, z[r * OUT + 1]!) || 1;
    return [z[r * OUT]! / n, z[r * OUT + 1]! / n] as const;
  };
  let right = 0;
  for (let r = 0; r < rows; r++) {
    const [a, b] = unit(r);
    let best = -Infinity;
    let label = -1;
    for (let s = 0; s < rows; s++) {
      if (s === r) continue;
      const [c, d] = unit(s);
      if (a * c + b * d > best) [best, label] = [a * c + b * d, labels[s]!];
    }
    if (label === labels[r]) right++;
  }
  return right / rows;
}

export interface ContrastiveRun {
  /** ntXent (mean over the 2n views) per epoch, before the step. */
  losses: number[];
  /** Nearest-neighbour accuracy of the training rows' embeddings, before training and after. */
  before: number;
  after: number;
  /** The final 2-D embeddings of the training rows (row-major). */
  embeddings: Float64Array;
}

/** `epochs` full-batch steps of ntXent over two noisy views of every training row. */
export function simclr(
  lib: Pick<typeof Simdloss, 'ntXent'>,
  data: Split,
  epochs: number,
  { lr = 0.1, temperature = 0.2, seed = 11 } = {},
): ContrastiveRun {
  const rows = data.yTrain.length;
  const encoder = new Encoder(seed);
  const rand = random(seed + 1);
  const clean = Float64Array.from(data.xTrain);
  const before = neighbourAccuracy(encoder.forward(clean, rows).z, data.yTrain);
  const losses: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const [x1, x2] = [view(data.xTrain, 0.3, rand), view(data.xTrain, 0.3, rand)];
    const f1 = encoder.forward(x1, rows);
    const f2 = encoder.forward(x2, rows);
    const { loss, grad } = lib.ntXent.withGrad(f1.z, f2.z, { dim: OUT, temperature });
    losses.push(loss);
    encoder.step(x1, rows, f1.h, grad.a, lr);
    encoder.step(x2, rows, f2.h, grad.b, lr);
  }
  const embeddings = encoder.forward(clean, rows).z;
  return { losses, before, after: neighbourAccuracy(embeddings, data.yTrain), embeddings };
}

/** The embeddings' directions as a text scatter plot: one letter per row (its species), on the unit circle's angle. */
export function scatter(z: Float64Array, labels: Int32Array, width = 60, height = 15): string {
  const grid = Array.from({ length: height }, () => new Array<string>(width).fill(' '));
  const marks = ['s', 'c', 'g']; // setosa, versicolor, virginica
  for (let r = 0; r < labels.length; r++) {
    const n = Math.hypot(z[r * OUT]!, z[r * OUT + 1]!) || 1;
    const [u, v] = [z[r * OUT]! / n, z[r * OUT + 1]! / n];
    const col = Math.round(((u + 1) / 2) * (width - 1));
    const row = Math.round(((1 - v) / 2) * (height - 1));
    grid[row]![col] = marks[labels[r]!]!;
  }
  return grid.map((line) => `    │${line.join('')}`.trimEnd()).join('\n');
}
