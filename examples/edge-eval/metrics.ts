// The evaluation every node runs: which accumulators a shard's predictions feed, and how merged
// states become the metrics served. One line per accumulator: its metric, options, the arguments
// it reads from a batch, and what its result reports. A new metric is
// one more line in ACCUMULATORS; scoring, merging, storing and serving follow from the table.
import { calibration, confusionMatrix, precisionRecallF1, rocAuc } from '../../src/api.js';

export const CLASSES = 3;

/** One shard's predictions, and what the accumulators read from them. */
export interface Batch {
  /** True class of each example. */
  labels: Int32Array;
  /** The model's class probabilities, CLASSES a row. */
  scores: Float32Array;
  /** 1 where the top class is the true one (ties to the lower class, as confusionMatrix's argmax). */
  correct: Int32Array;
  /** The top class's probability: top-label calibration compares it with `correct`. */
  confidence: Float32Array;
}

export function batchOf(labels: Int32Array, scores: Float32Array): Batch {
  const correct = new Int32Array(labels.length);
  const confidence = new Float32Array(labels.length);
  for (let r = 0; r < labels.length; r++) {
    let top = 0;
    for (let k = 1; k < CLASSES; k++) if (scores[r * CLASSES + k]! > scores[r * CLASSES + top]!) top = k;
    correct[r] = Number(top === labels[r]);
    confidence[r] = scores[r * CLASSES + top]!;
  }
  return { labels, scores, correct, confidence };
}

interface Accumulator<R> {
  update(...args: never[]): unknown;
  merge(other: never): unknown;
  result(): R;
  toJSON(): unknown;
}

/** How one accumulator takes part: created, fed a batch, restored from a state, reported. */
interface Entry {
  create(): Accumulator<unknown>;
  fromJSON(state: unknown): Accumulator<unknown>;
  feed(acc: Accumulator<unknown>, batch: Batch): void;
  report(acc: Accumulator<unknown>): unknown;
}

function entry<R>(
  metric: { create(opts: never): Accumulator<R>; fromJSON(state: unknown): Accumulator<R> },
  opts: object,
  args: (b: Batch) => unknown[],
  report: (result: R) => unknown,
): Entry {
  return {
    create: () => metric.create(opts as never),
    fromJSON: (state) => metric.fromJSON(state),
    feed: (acc, batch) => (acc.update as (...a: unknown[]) => unknown)(...args(batch)),
    report: (acc) => report(acc.result() as R),
  };
}

export const ACCUMULATORS: Record<string, Entry> = {
  confusion: entry(
    confusionMatrix,
    { classes: CLASSES },
    (b) => [b.labels, b.scores],
    (m) => ({ matrix: [...m], f1: macroF1(m) }),
  ),
  calibration: entry(
    calibration,
    { bins: 10 },
    (b) => [b.correct, b.confidence],
    (c) => ({ ece: c.ece, mce: c.mce, count: [...c.bins.count] }),
  ),
  // How well the top class's probability tells right answers from wrong ones: ROC AUC over 4096 bins.
  confidenceAuc: entry(
    rocAuc,
    { bins: 4096 },
    (b) => [b.correct, b.confidence],
    (auc) => auc,
  ),
};

function macroF1(m: Float64Array): { macro: number; micro: number; perClass: number[] } {
  const micro = precisionRecallF1(m, { average: 'micro' }).f1;
  return { macro: precisionRecallF1(m, { average: 'macro' }).f1, micro, perClass: [...precisionRecallF1(m).f1] };
}

/** Each accumulator's state after one batch: what a node sends on. */
export function score(batch: Batch): Record<string, unknown> {
  const states: Record<string, unknown> = {};
  for (const [name, e] of Object.entries(ACCUMULATORS)) {
    const acc = e.create();
    e.feed(acc, batch);
    states[name] = acc.toJSON();
  }
  return states;
}

/** The metrics of the merged states (any order: the counts are exact), as plain JSON. */
export function report(shards: readonly Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, e] of Object.entries(ACCUMULATORS)) {
    const merged = e.create();
    for (const states of shards) (merged.merge as (o: unknown) => unknown)(e.fromJSON(states[name]));
    out[name] = e.report(merged);
  }
  return { shards: shards.length, ...out };
}

/**
 * Shard k of a synthetic evaluation set (size examples): labels and a model's probabilities, each a
 * function of the example's index alone, so that any node can produce any shard. The model is
 * right about 70% of the time and overconfident, so F1 and ECE are far from their ends. Its
 * probabilities are multiples of 2⁻¹⁶, so the merged calibration is exact as the counts are (with
 * probabilities of full precision it is within a few ulps of the one-call value, whatever the order).
 */
export function shard(k: number, size: number): { labels: Int32Array; scores: Float32Array } {
  const labels = new Int32Array(size);
  const scores = new Float32Array(size * CLASSES);
  for (let j = 0; j < size; j++) {
    const i = k * size + j;
    const u = hash(i, 1);
    labels[j] = Math.floor(hash(i, 2) * CLASSES);
    const guess = u < 0.7 ? labels[j]! : Math.floor(hash(i, 3) * CLASSES);
    const logits = [0, 1, 2].map((c) => (c === guess ? 2.5 : 0) + 2 * hash(i, 4 + c));
    const total = logits.reduce((a, z) => a + Math.exp(z), 0);
    // rounded to multiples of 2⁻¹⁶, as scores sent with 5 decimals would be: every sum of them is then exact in float64
    for (let c = 0; c < CLASSES; c++) scores[j * CLASSES + c] = Math.round((Math.exp(logits[c]!) / total) * 65536) / 65536;
  }
  return { labels, scores };
}

function hash(i: number, salt: number): number {
  let h = Math.imul((i * 8 + salt) ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}
