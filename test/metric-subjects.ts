// Every evaluation metric as a "subject" the generic metric tests drive (the metric bad-input matrix):
// its array arguments, the options of its call and of its accumulator with their bad values, valid
// seeded data in either dtype, where single elements may be out of domain, and its float64 reference
// (test/reference/) — the metrics' counterpart of subjects.ts, whose losses share one call shape.
// A new metric is one more entry in METRIC_SUBJECTS. (No test-runner import.)

import * as lib from '../src/node.js';
import { random } from './random.js';
import { binaryRef, calibrationRef, confusionRef, prfRef } from './reference/confusion.js';
import { averagePrecisionRef, precisionRecallCurveRef, rocAucRef, rocCurveRef } from './reference/ranking.js';

export type MetricArgs = unknown[];
type FloatCtor = Float32ArrayConstructor | Float64ArrayConstructor;
type Floats = Float32Array | Float64Array;

/** An option's bad values and the text every refusal of them holds (its range). */
export interface BadOption {
  values: readonly unknown[];
  expected: string;
}

export interface MetricSubject {
  name: string;
  /** How tests name it (the name, and the form of its arguments when a metric takes two). */
  label: string;
  /** The one-shot call: f(...args, opts). */
  f: (...a: unknown[]) => unknown;
  /** `create` / `fromJSON`, for the metrics with accumulators. */
  accumulator?: { create(opts?: unknown): Accumulator; fromJSON(state: unknown): Accumulator };
  /** Names of the array arguments in call order; `ref` is the one the others' dtype and length are checked against. */
  args: readonly string[];
  ref: number;
  /** What the message refusing a non-array at each argument says it must be. */
  types: readonly string[];
  /** Whether a plain array of numbers is an argument it takes (precisionRecallF1's matrix). */
  plainArrays?: boolean;
  /** Whether argument j is compared to the ref's dtype (float32 and float64 not mixed). */
  dtyped: readonly boolean[];
  /** Elements of argument j per example. */
  width(j: number): number;
  /** Options every call needs. */
  base: Record<string, unknown>;
  /** The one-shot call's options besides `weights`, and create()'s, with bad values. */
  options: Record<string, BadOption>;
  createOptions: Record<string, BadOption>;
  weights: boolean;
  /** Whether the weights must have the ref's dtype. */
  weightsDtyped: boolean;
  /** Where single elements may be out of domain: argument index, bad values, the text naming the domain. */
  domains: readonly { arg: number; values: readonly number[]; expected: string }[];
  /** The refusal of examples of zero length, where they are refused. */
  empty?: { argument: string; contains: string };
  /** Valid arguments for n examples (floats of dtype F). */
  data(n: number, seed: number, F: FloatCtor): MetricArgs;
  /** The reference's result for the valid arguments (no weights), as numbers to compare. */
  reference(args: MetricArgs): number[];
  /** The library's result (of f or of an accumulator) as the same numbers. */
  numbers(result: unknown): number[];
}

export interface Accumulator {
  update(...a: unknown[]): Accumulator;
  result(): unknown;
  toJSON(): Record<string, unknown>;
}

export const CLASSES = 3;

const BINS_RANKING: BadOption = { values: [0, -1, 2.5, NaN, Infinity, '8', null, 2 ** 20 + 1], expected: '[1, 1048576]' };
const RANGE: BadOption = {
  values: [[1, 0], [0, 0], [0, Infinity], [NaN, 1], [0, 1, 2], [0], ['0', 1], 1, null],
  expected: 'finite numbers with lo < hi',
};

/** Binary targets (both classes) in floats of F, scores apart (no ties) in [0, 1). */
function binary(n: number, seed: number, F: FloatCtor): [Floats, Floats] {
  const rand = random(seed);
  const y = new F(n);
  const s = new F(n);
  for (let i = 0; i < n; i++) {
    y[i] = i < 2 ? 1 - i : rand() < 0.4 ? 1 : 0;
    s[i] = (i + rand() * 0.5) / n;
  }
  return [y, s];
}

const flat = (o: object) => Object.values(o) as number[];

function ranking(name: string, f: typeof lib.rocAuc): MetricSubject {
  return {
    name,
    label: name,
    f: f as never,
    accumulator: { create: (o) => f.create(o as never) as never, fromJSON: (s) => f.fromJSON(s as never) as never },
    args: ['target', 'scores'],
    ref: 1,
    types: ['Int32Array of 0/1 labels', 'Float32Array or a Float64Array'],
    dtyped: [true, false],
    width: () => 1,
    base: {},
    options: {},
    createOptions: { bins: BINS_RANKING, range: RANGE },
    weights: true,
    weightsDtyped: true,
    domains: [
      { arg: 0, values: [2, -1, 0.5, NaN, Infinity], expected: '0 or 1' },
      { arg: 1, values: [NaN], expected: 'a number, not NaN' },
    ],
    empty: { argument: 'target', contains: 'no positive example' },
    data: binary,
    reference: ([y, s]) => [(name === 'rocAuc' ? rocAucRef : averagePrecisionRef)(y as Floats, s as Floats)],
    // An accumulator's result is over binned scores: compared through its own call, not here.
    numbers: (r) => [r as number],
  };
}

function curve(name: string, g: typeof lib.rocCurve | typeof lib.precisionRecallCurve): MetricSubject {
  const roc = name === 'rocCurve';
  return {
    ...ranking('rocAuc', lib.rocAuc),
    name,
    label: name,
    f: g as never,
    accumulator: undefined,
    createOptions: {},
    reference: ([y, s]) => {
      const c = roc ? rocCurveRef(y as Floats, s as Floats) : precisionRecallCurveRef(y as Floats, s as Floats);
      return roc ? [...(c as { tpr: number[] }).tpr] : [...(c as { precision: number[] }).precision];
    },
    numbers: (r) => [...(roc ? (r as lib.RocCurve).tpr : (r as lib.PrecisionRecallCurve).precision)],
  };
}

function counting(): MetricSubject[] {
  const binaryConfusion: MetricSubject = {
    name: 'binaryConfusion',
    label: 'binaryConfusion',
    f: lib.binaryConfusion as never,
    accumulator: {
      create: (o) => lib.binaryConfusion.create(o as never) as never,
      fromJSON: (s) => lib.binaryConfusion.fromJSON(s) as never,
    },
    args: ['target', 'scores'],
    ref: 1,
    types: ['Int32Array of 0/1 labels', 'Float32Array or a Float64Array'],
    dtyped: [true, false],
    width: () => 1,
    base: {},
    options: { threshold: { values: [NaN, Infinity, -Infinity, '0.5', null, true], expected: 'a finite number' } },
    createOptions: { threshold: { values: [NaN, Infinity, '0.5', null], expected: 'a finite number' } },
    weights: true,
    weightsDtyped: true,
    domains: [
      { arg: 0, values: [2, -1, 0.5, NaN, Infinity], expected: '0 or 1' },
      { arg: 1, values: [NaN], expected: 'a score, not NaN' },
    ],
    data: binary,
    reference: ([y, s]) => flat(binaryRef(y as Floats, s as Floats, 0.5)),
    numbers: (r) => flat(r as lib.BinaryCounts),
  };
  const bins: BadOption = { values: [0, -1, 2.5, NaN, Infinity, '8', null, 65537], expected: '[1, 65536]' };
  const calibration: MetricSubject = {
    ...binaryConfusion,
    name: 'calibration',
    label: 'calibration',
    f: lib.calibration as never,
    accumulator: { create: (o) => lib.calibration.create(o as never) as never, fromJSON: (s) => lib.calibration.fromJSON(s) as never },
    args: ['target', 'probs'],
    options: { bins },
    createOptions: { bins },
    domains: [
      { arg: 0, values: [2, -1, 0.5, NaN], expected: '0 or 1' },
      { arg: 1, values: [-0.25, 1.5, NaN, Infinity, -Infinity], expected: 'a probability in [0, 1]' },
    ],
    reference: ([y, p]) => {
      const c = calibrationRef(y as Floats, p as Floats, 15);
      return [c.ece, c.mce, ...c.bins.count, ...c.bins.confidence, ...c.bins.accuracy];
    },
    numbers: (r) => {
      const c = r as lib.Calibration;
      return [c.ece, c.mce, ...c.bins.count, ...c.bins.confidence, ...c.bins.accuracy];
    },
  };
  return [binaryConfusion, calibration, ...confusion()];
}

function confusion(): MetricSubject[] {
  const C = CLASSES;
  const classes: BadOption = { values: [0, -1, 2.5, NaN, Infinity, '3', null, 4097, undefined], expected: '[1, 4096]' };
  const labels = (n: number, rand: () => number) => Int32Array.from({ length: n }, () => Math.floor(rand() * C));
  const scores: MetricSubject = {
    name: 'confusionMatrix',
    label: 'confusionMatrix (rows of scores)',
    f: lib.confusionMatrix as never,
    accumulator: {
      create: (o) => lib.confusionMatrix.create(o as never) as never,
      fromJSON: (s) => lib.confusionMatrix.fromJSON(s) as never,
    },
    args: ['labels', 'pred'],
    ref: 0,
    types: ['Int32Array', 'Int32Array of predicted labels, or a Float32Array or Float64Array'],
    dtyped: [false, false],
    width: (j) => (j === 1 ? C : 1),
    base: { classes: C },
    options: { classes },
    createOptions: { classes },
    weights: true,
    weightsDtyped: true,
    domains: [
      { arg: 0, values: [-1, C, 2147483647, -2147483648], expected: `an integer in [0, ${C})` },
      { arg: 1, values: [NaN], expected: 'a score, not NaN' },
    ],
    data: (n, seed, F) => {
      const rand = random(seed);
      // Rows of distinct scores: no tie for the argmax to break.
      const p = new F(n * C);
      for (let i = 0; i < n * C; i++) p[i] = (i % C) / C + rand() * 0.25;
      return [labels(n, rand), p];
    },
    reference: ([y, p]) => [...confusionRef(y as Int32Array, p as Floats, C)],
    numbers: (r) => [...(r as Float64Array)],
  };
  const predicted: MetricSubject = {
    ...scores,
    label: 'confusionMatrix (predicted labels)',
    weightsDtyped: false,
    width: () => 1,
    domains: [
      { arg: 0, values: [-1, C], expected: `an integer in [0, ${C})` },
      { arg: 1, values: [-1, C, 2147483647], expected: `an integer in [0, ${C})` },
    ],
    data: (n, seed) => {
      const rand = random(seed);
      return [labels(n, rand), labels(n, rand)];
    },
  };
  return [scores, predicted];
}

function f1(): MetricSubject {
  const average: BadOption = { values: ['avg', 'MACRO', '', 1, null], expected: "'none', 'macro', 'micro' or 'weighted'" };
  return {
    name: 'precisionRecallF1',
    label: 'precisionRecallF1',
    f: lib.precisionRecallF1 as never,
    args: ['matrix'],
    ref: 0,
    types: ['Float64Array of C×C counts'],
    plainArrays: true,
    dtyped: [false],
    width: () => CLASSES * CLASSES,
    base: { average: 'macro' },
    options: { average },
    createOptions: {},
    weights: false,
    weightsDtyped: false,
    domains: [{ arg: 0, values: [-1, NaN, Infinity, -Infinity], expected: 'a finite count ≥ 0' }],
    data: (_, seed) => {
      const rand = random(seed);
      return [Float64Array.from({ length: CLASSES * CLASSES }, () => Math.floor(rand() * 20))];
    },
    reference: ([m]) => flat(prfRef(m as Float64Array, CLASSES, 'macro') as Record<string, number>),
    numbers: (r) => flat(r as Record<string, number>),
  };
}

export const METRIC_SUBJECTS: readonly MetricSubject[] = [
  ranking('rocAuc', lib.rocAuc),
  ranking('averagePrecision', lib.averagePrecision),
  curve('rocCurve', lib.rocCurve),
  curve('precisionRecallCurve', lib.precisionRecallCurve),
  ...counting(),
  f1(),
];
