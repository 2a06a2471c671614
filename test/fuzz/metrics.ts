// Differential fuzzing of the evaluation metrics: adversarial inputs (every score tied, one positive,
// duplicates, huge and tiny weights, subnormal and huge scores, NaN, ±∞, labels out of range) through
// every metric and accumulator on the SIMD build, the scalar build and the float64 references of
// test/reference/ (scikit-learn's definitions). The two builds must agree bit for bit, refusals must
// name the first example at fault, and accepted inputs must match the references within the bounds
// below. Shared by test/property/metric-fuzz.test.ts (CI) and tools/fuzz.ts; no test-runner import.

import type * as Lib from '../../src/node.js';
import { random } from '../random.js';
import { binaryRef, calibrationRef, confusionRef, prfRef } from '../reference/confusion.js';
import { averagePrecisionRef, binOf, precisionRecallCurveRef, rocAucRef, rocCurveRef } from '../reference/ranking.js';
import { special } from './engine.js';

export type Build = 'simd' | 'scalar';
/** Makes `build` the live one and returns the library driving it. */
export type UseLib = (build: Build) => typeof Lib;
type Float = Float32Array | Float64Array;

export const METRICS = ['ranking', 'rankingBins', 'curves', 'binaryConfusion', 'calibration', 'confusionMatrix'] as const;
export type MetricKind = (typeof METRICS)[number];
export const PATTERNS = [
  'random',
  'ties',
  'levels',
  'onePositive',
  'oneNegative',
  'subnormal',
  'huge',
  'hugeWeights',
  'tinyWeights',
  'dirty',
] as const;
type Pattern = (typeof PATTERNS)[number];

export interface MetricCase {
  kind: MetricKind;
  pattern: Pattern;
  f32: boolean;
  /** Binary targets (Int32Array or floats of the scores' dtype), or class labels for confusionMatrix. */
  target: Int32Array | Float;
  /** Scores, probabilities, or rows of `classes` scores. */
  scores: Float;
  weights?: Float;
  classes: number;
  /** Accumulator options (rankingBins: bins and range; calibration: bins), and where the updates split the batch. */
  bins: number;
  range: [number, number];
  cuts: number[];
}

export interface MetricStats {
  cases: number;
  calls: number;
  elements: number;
  rejected: number;
  failures: number;
}

export interface MetricFailure {
  metric: MetricKind;
  what: string;
  reproduction: string;
}

const EPS = 2 ** -53;

// ---------------------------------------------------------------------------------------------
// Cases.

function drawScore(pattern: Pattern, f32: boolean, rand: () => number, base: number): number {
  const max = f32 ? 3.4028234663852886e38 : Number.MAX_VALUE;
  if (pattern === 'ties') return 0.375;
  if (pattern === 'levels') return Math.floor(rand() * 4) / 4;
  if (pattern === 'subnormal') return (rand() < 0.5 ? -1 : 1) * (f32 ? 2 ** -149 : 5e-324) * Math.floor(1 + rand() * 8);
  if (pattern === 'huge') return [max, -max, Infinity, -Infinity, 0, -0, max / 3][Math.floor(rand() * 7)]!;
  return base;
}

/** A binary target: one class everywhere but one example for the one-positive / one-negative patterns. */
function drawTarget(pattern: Pattern, n: number, rand: () => number): Int32Array {
  const y = Int32Array.from({ length: n }, () => (rand() < 0.4 ? 1 : 0));
  if (pattern === 'onePositive' || pattern === 'oneNegative') {
    const one = pattern === 'onePositive' ? 1 : 0;
    y.fill(1 - one);
    if (n > 0) y[Math.floor(rand() * n)] = one;
  }
  return y;
}

function drawWeights(pattern: Pattern, n: number, F: typeof Float32Array | typeof Float64Array, rand: () => number): Float | undefined {
  if (pattern !== 'hugeWeights' && pattern !== 'tinyWeights' && rand() < 0.5) return undefined;
  const f32 = F === Float32Array;
  const w = new F(n);
  for (let i = 0; i < n; i++) {
    if (pattern === 'hugeWeights') w[i] = (f32 ? 1e37 : 1e150) * (1 + Math.floor(rand() * 30));
    else if (pattern === 'tinyWeights') w[i] = (f32 ? 1e-40 : 1e-310) * Math.floor(1 + rand() * 4);
    else w[i] = rand() < 0.1 ? 0 : rand() < 0.5 ? Math.floor(rand() * 4) : rand() * 3;
  }
  return w;
}

/** Out-of-domain values for a dirty case: NaN scores, targets other than 0/1, negative or non-finite weights. */
function dirty(c: MetricCase, rand: () => number): void {
  const n = c.target.length;
  for (let k = 0; k < 1 + Math.floor(rand() * 3) && n > 0; k++) {
    const i = Math.floor(rand() * n);
    const which = Math.floor(rand() * 3);
    if (which === 0) special(c.scores, Math.floor(rand() * c.scores.length), rand);
    else if (which === 1)
      c.target[i] =
        c.kind === 'confusionMatrix' ? [-1, c.classes, 2 ** 31 - 1][Math.floor(rand() * 3)]! : [2, -1, 0.5][Math.floor(rand() * 3)]!;
    else if (c.weights) c.weights[i] = [-1, NaN, Infinity, -0.5][Math.floor(rand() * 4)]!;
  }
}

export function makeMetricCase(kind: MetricKind, rand: () => number): MetricCase {
  const f32 = rand() < 0.5;
  const F = f32 ? Float32Array : Float64Array;
  const pattern = PATTERNS[Math.floor(rand() * PATTERNS.length)]!;
  const n = Math.floor(rand() * (rand() < 0.1 ? 5000 : 70));
  const classes = kind === 'confusionMatrix' ? 1 + Math.floor(rand() * 9) : 2;
  const labels =
    kind === 'confusionMatrix' ? Int32Array.from({ length: n }, () => Math.floor(rand() * classes)) : drawTarget(pattern, n, rand);
  const intTarget = kind === 'confusionMatrix' || rand() < 0.5;
  const width = kind === 'confusionMatrix' ? classes : 1;
  const scores = new F(n * width);
  for (let i = 0; i < scores.length; i++) {
    const y = kind === 'confusionMatrix' ? 0 : labels[Math.floor(i / width)]!;
    const base = kind === 'calibration' ? Math.min(1, Math.max(0, rand() * 0.8 + 0.2 * y)) : rand() * 0.8 + 0.3 * y - 0.05;
    const s = drawScore(pattern, f32, rand, base);
    scores[i] = kind === 'calibration' && pattern !== 'dirty' ? (s >= 0 && s <= 1 ? s : rand()) : s;
  }
  const c: MetricCase = {
    kind,
    pattern,
    f32,
    target: intTarget ? labels : F.from(labels),
    scores,
    weights: drawWeights(pattern, n, F, rand),
    classes,
    bins: [1, 2, 7, 64, 4096][Math.floor(rand() * 5)]!,
    range: rand() < 0.7 ? [0, 1] : [-0.25, 1.5],
    cuts: [...new Set(Array.from({ length: Math.floor(rand() * 4) }, () => Math.floor(rand() * (n + 1))))].sort((a, b) => a - b),
  };
  if (pattern === 'dirty') dirty(c, rand);
  return c;
}

// ---------------------------------------------------------------------------------------------
// The policy: which example a refusal must name, and how close to the reference an answer must be.

/** The first example at fault and the arguments it may be refused under (the kernels' order within one example differs). */
export function firstFault(c: MetricCase): { index: number; arguments: string[] } | undefined {
  const width = c.kind === 'confusionMatrix' ? c.classes : 1;
  const scoreName = c.kind === 'calibration' ? 'probs' : c.kind === 'confusionMatrix' ? 'pred' : 'scores';
  const targetName = c.kind === 'confusionMatrix' ? 'labels' : 'target';
  for (let i = 0; i < c.target.length; i++) {
    const bad: string[] = [];
    const t = c.target[i]!;
    if (c.kind === 'confusionMatrix' ? !(t >= 0 && t < c.classes) : t !== 0 && t !== 1) bad.push(targetName);
    for (let k = 0; k < width; k++) {
      const s = c.scores[i * width + k]!;
      if (c.kind === 'calibration' ? !(s >= 0 && s <= 1) : Number.isNaN(s)) bad.push(scoreName);
    }
    const w = c.weights?.[i];
    if (w !== undefined && !(w >= 0 && Number.isFinite(w))) bad.push('opts.weights');
    if (bad.length > 0) return { index: i, arguments: [...new Set(bad)] };
  }
  return undefined;
}

/**
 * The distance allowed between the library's ranking metric and the reference (both in [0, 1]).
 * Cumulative weights summed one by one are off by at most kε relative after k terms; the trapezoid
 * and −Σ ΔR·P over those cumulative rates telescope, so an error e_k in a rate moves the area by at
 * most max|e|·(the other curve's variation): ≤ 2(n + 1)ε for the ROC area (tpr is monotone), and
 * ≤ 2(n + 1)ε·2n for average precision (precision can swing at every point). Our sweep adds n
 * nonnegative terms each rounded a few times: 8(n + 4)ε, as in the unit tests.
 */
export function rankingTolerance(n: number, ap: boolean): number {
  return 8 * (n + 4) * EPS + (ap ? 4 * (n + 1) * (n + 1) : 2 * (n + 1)) * EPS;
}

const close = (a: number, b: number, tol: number) => a === b || Math.abs(a - b) <= tol;

// ---------------------------------------------------------------------------------------------
// Running a case: everything a metric returns, flattened to numbers, or the refusal.

interface Outcome {
  error?: { argument?: string; index?: number; message: string };
  values: number[];
  /** Checks the outcome makes about itself (merges, JSON, updates against the one call). */
  inner: string[];
  calls: number;
}

type Args = [target: unknown, scores: unknown, weights?: unknown];
const optsOf = (c: MetricCase) => (c.weights ? { weights: c.weights } : undefined);
/** Every partial sum of weights is an integer below 2^53, exact in float64 (the documented condition for merges in any order to agree bit for bit). */
const exactSums = (c: MetricCase) =>
  (c.weights === undefined || (c.weights.every(Number.isInteger) && Array.from(c.weights).reduce((a, b) => a + b, 0) < 2 ** 53)) &&
  // calibration's sums hold w·p: exact for probabilities on a grid of 2^-20 (its levels), not in general
  (c.kind !== 'calibration' || c.scores.every((p) => Number.isInteger(p * 2 ** 20)));
const sameBits = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/** The batch split at the case's cuts (each piece: target, scores and weights of its examples). */
function pieces(c: MetricCase): Args[] {
  const width = c.kind === 'confusionMatrix' ? c.classes : 1;
  const edges = [0, ...c.cuts, c.target.length];
  return edges.slice(1).map((end, k) => {
    const from = edges[k]!;
    return [c.target.subarray(from, end), c.scores.subarray(from * width, end * width), c.weights?.subarray(from, end)];
  });
}

interface Acc {
  update(...a: unknown[]): Acc;
  merge(o: Acc): Acc;
  result(): unknown;
  toJSON(): unknown;
}

/**
 * An accumulator fed the case's pieces one update at a time, and one per piece merged in reverse:
 * the merge must give the same state bit for bit when every sum is exact (no weights, or integer
 * ones summing below 2^53); a JSON round trip must always; `flat` turns a result into numbers.
 */
function accumulate(c: MetricCase, create: () => Acc, fromJSON: (s: unknown) => Acc, flat: (r: unknown) => number[], inner: string[]): Acc {
  const one = create();
  for (const p of pieces(c)) one.update(...p);
  const merged = pieces(c)
    .map((p) => create().update(...p))
    .reverse()
    .reduce((a, b) => a.merge(b));
  if (exactSums(c) && JSON.stringify(merged.toJSON()) !== JSON.stringify(one.toJSON())) inner.push('merged in reverse ≠ updates in order');
  const again = fromJSON(JSON.stringify(one));
  if (JSON.stringify(again.toJSON()) !== JSON.stringify(one.toJSON()) || !sameBits(flat(again.result()), flat(one.result())))
    inner.push('JSON round trip changed the state or its result');
  return one;
}

function runRanking(lib: typeof Lib, c: MetricCase, o: Outcome): void {
  const t = c.target as Float;
  o.values.push(lib.rocAuc(t, c.scores, optsOf(c)), lib.averagePrecision(t, c.scores, optsOf(c)));
  o.calls += 2;
}

function runCurves(lib: typeof Lib, c: MetricCase, o: Outcome): void {
  const t = c.target as Float;
  const roc = lib.rocCurve(t, c.scores, optsOf(c));
  const pr = lib.precisionRecallCurve(t, c.scores, optsOf(c));
  o.values.push(roc.thresholds.length, ...roc.thresholds, ...roc.fpr, ...roc.tpr, ...pr.thresholds, ...pr.precision, ...pr.recall);
  o.calls += 2;
}

function runRankingBins(lib: typeof Lib, c: MetricCase, o: Outcome): void {
  for (const f of [lib.rocAuc, lib.averagePrecision]) {
    // The whole batch in one update first: a refusal names its index in the batch.
    f.create({ bins: c.bins, range: c.range }).update(c.target, c.scores, c.weights);
    const acc = accumulate(
      c,
      () => f.create({ bins: c.bins, range: c.range }) as unknown as Acc,
      (s) => f.fromJSON(s as string) as unknown as Acc,
      (r) => [r as number],
      o.inner,
    ) as unknown as Lib.RankingAccumulator;
    o.values.push(acc.result(), acc.errorBound());
    o.calls += 2 * (c.cuts.length + 1) + 2;
  }
}

function runCounting(lib: typeof Lib, c: MetricCase, o: Outcome): void {
  const [f, opts, create, flat] =
    c.kind === 'binaryConfusion'
      ? [lib.binaryConfusion, {}, () => lib.binaryConfusion.create(), (r: unknown) => Object.values(r as object) as number[]]
      : c.kind === 'calibration'
        ? [lib.calibration, { bins: c.bins }, () => lib.calibration.create({ bins: c.bins }), flatCalibration]
        : [
            lib.confusionMatrix,
            { classes: c.classes },
            () => lib.confusionMatrix.create({ classes: c.classes }),
            (r: unknown) => [...(r as Float64Array)],
          ];
  const once = flat((f as (...a: unknown[]) => unknown)(c.target, c.scores, { ...opts, ...optsOf(c) }));
  o.values.push(...once);
  const from = (s: unknown) => (f as unknown as { fromJSON(s: unknown): Acc }).fromJSON(s);
  const acc = accumulate(c, create as unknown as () => Acc, from, flat, o.inner);
  // The kernels add element by element with compensation: any split into updates is the one call, bit for bit.
  if (!sameBits(flat(acc.result()), once)) o.inner.push('updates over the pieces ≠ the one call');
  if (c.kind === 'confusionMatrix') {
    for (const average of ['none', 'macro', 'micro', 'weighted'] as const) {
      const r = lib.precisionRecallF1(Float64Array.from(once), { average });
      o.values.push(...Object.values(r).flatMap((v) => (typeof v === 'number' ? [v] : [...(v as Float64Array)])));
    }
  }
  o.calls += 2 * (c.cuts.length + 1) + 5;
}

function flatCalibration(r: unknown): number[] {
  const c = r as Lib.Calibration;
  return [c.ece, c.mce, ...c.bins.count, ...c.bins.confidence, ...c.bins.accuracy];
}

const RUN: Record<MetricKind, (lib: typeof Lib, c: MetricCase, o: Outcome) => void> = {
  ranking: runRanking,
  curves: runCurves,
  rankingBins: runRankingBins,
  binaryConfusion: runCounting,
  calibration: runCounting,
  confusionMatrix: runCounting,
};

function runCase(lib: typeof Lib, c: MetricCase): Outcome {
  const o: Outcome = { values: [], inner: [], calls: 0 };
  try {
    RUN[c.kind](lib, c, o);
  } catch (e) {
    if (!(e instanceof lib.SimdlossError)) throw e;
    o.error = { argument: e.argument, index: e.index, message: e.message };
    o.values = [];
    o.calls++;
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// Checking an outcome against the policy and the references.

const weightOf = (c: MetricCase, i: number) => (c.weights === undefined ? 1 : c.weights[i]!);
const bothClasses = (c: MetricCase) => [0, 1].every((k) => Array.from(c.target).some((t, i) => t === k && weightOf(c, i) > 0));
const totalWeight = (c: MetricCase) => Array.from(c.target, (_, i) => weightOf(c, i)).reduce((a, b) => a + b, 0);

/** What is wrong with a refusal, or undefined when it names the first example at fault (or a class absent where one is). */
function refusalProblem(c: MetricCase, o: Outcome): string | undefined {
  const fault = firstFault(c);
  const e = o.error;
  if (fault !== undefined) {
    if (e === undefined) return `accepted input outside the domain (example ${fault.index}: ${fault.arguments.join(', ')})`;
    const argument = e.argument === 'weights' ? 'opts.weights' : e.argument!;
    // A NaN in a row of scores is named by its element: row·C + class.
    const example = argument === 'pred' && e.index !== undefined ? Math.floor(e.index / c.classes) : e.index;
    if (!fault.arguments.includes(argument) || example !== fault.index)
      return `refused ${e.argument}[${e.index}] («${e.message}»), expected example ${fault.index} (${fault.arguments.join(', ')})`;
    return undefined;
  }
  const ranking = c.kind === 'ranking' || c.kind === 'curves' || c.kind === 'rankingBins';
  if (ranking && !bothClasses(c))
    return e?.argument === 'target' && /no (positive|negative) example/.test(e.message)
      ? undefined
      : `a class is absent: expected its refusal, got ${e ? e.message : 'a result'}`;
  return e === undefined ? undefined : `refused valid input: ${e.message}`;
}

/** The reference's numbers in the order the outcome holds them, with the distance allowed to each. */
function expected(c: MetricCase): { values: number[]; tol: number[]; exact?: number[] } {
  const n = c.target.length;
  const w = c.weights;
  const y = Array.from(c.target);
  const s = c.scores;
  if (c.kind === 'ranking')
    return { values: [rocAucRef(y, s, w), averagePrecisionRef(y, s, w)], tol: [rankingTolerance(n, false), rankingTolerance(n, true)] };
  if (c.kind === 'curves') {
    const roc = rocCurveRef(y, s, w);
    const pr = precisionRecallCurveRef(y, s, w);
    const values = [roc.thresholds.length, ...roc.thresholds, ...roc.fpr, ...roc.tpr, ...pr.thresholds, ...pr.precision, ...pr.recall];
    const k = roc.thresholds.length;
    // thresholds exact; rates are cumulative weights (kε relative) over a total, each in [0, 1]
    const rate = 2 * (n + 2) * EPS;
    const tol = [0, ...new Array(k).fill(0), ...new Array(2 * k).fill(rate), ...new Array(k - 1).fill(0), ...new Array(2 * k).fill(rate)];
    return { values, tol };
  }
  if (c.kind === 'rankingBins') {
    const binned = Array.from(s, (v) => binOf(v, c.bins, c.range));
    const values: number[] = [];
    const exact: number[] = [];
    for (const [ref, ap] of [
      [rocAucRef, false],
      [averagePrecisionRef, true],
    ] as const) {
      values.push(ref(y, binned, w), Number.NaN); // the bound: checked against the exact metric below
      exact.push(ref(y, s, w), rankingTolerance(n, ap));
    }
    return { values, tol: [rankingTolerance(n, false), 0, rankingTolerance(n, true), 0], exact };
  }
  return countingExpected(c);
}

function countingExpected(c: MetricCase): { values: number[]; tol: number[] } {
  const n = c.target.length;
  const w = c.weights;
  const y = Array.from(c.target);
  // A cell is a sum of up to n weights: the reference's naive sum is within nε·Σw of the exact one, ours closer.
  const cell = (n + 2) * EPS * totalWeight(c);
  if (c.kind === 'binaryConfusion') return { values: Object.values(binaryRef(y, c.scores, 0.5, w)), tol: new Array(4).fill(cell) };
  if (c.kind === 'calibration') {
    const r = calibrationRef(y, c.scores, c.bins, w);
    const B = c.bins;
    // Means in [0, 1] of sums off by nε relative each: 2(n + 2)ε; ECE and MCE, differences of two of them: twice that.
    const mean = 2 * (n + 2) * EPS;
    return {
      values: [r.ece, r.mce, ...r.bins.count, ...r.bins.confidence, ...r.bins.accuracy],
      tol: [2 * mean, 2 * mean, ...new Array(B).fill(cell), ...new Array(2 * B).fill(mean)],
    };
  }
  const m = confusionRef(y, c.scores, c.classes, w);
  const values = [...m];
  const tol: number[] = new Array(m.length).fill(cell);
  for (const average of ['none', 'macro', 'micro', 'weighted'] as const) {
    const r = prfRef(m, c.classes, average);
    // Ratios of sums of C cells (values in [0, 1]; support a sum of cells).
    for (const [key, v] of Object.entries(r)) {
      const list = typeof v === 'number' ? [v] : (v as number[]);
      values.push(...list);
      tol.push(...list.map((x) => (key === 'support' ? cell + 4 * c.classes * EPS * x : 8 * (c.classes + 2) * EPS)));
    }
  }
  return { values, tol };
}

/** The problems of an accepted case's numbers against the references. */
function valueProblems(c: MetricCase, o: Outcome): string[] {
  const e = expected(c);
  if (o.values.length !== e.values.length) return [`${o.values.length} numbers, the reference has ${e.values.length}`];
  const problems: string[] = [];
  o.values.forEach((v, i) => {
    if (Number.isNaN(e.values[i]!)) return;
    if (!close(v, e.values[i]!, e.tol[i]!)) problems.push(`[${i}] = ${v}, reference ${e.values[i]} (allowed ±${e.tol[i]})`);
  });
  if (e.exact) {
    for (let k = 0; k < 2; k++) {
      const [result, bound] = [o.values[2 * k]!, o.values[2 * k + 1]!];
      const [exact, tol] = [e.exact[2 * k]!, e.exact[2 * k + 1]!];
      if (!(Math.abs(result - exact) <= bound + 2 * tol))
        problems.push(`binned ${result} is ${Math.abs(result - exact)} from the exact ${exact}, beyond errorBound() ${bound}`);
    }
  }
  return problems;
}

const show = (v: number) => (Number.isNaN(v) || !Number.isFinite(v) || Object.is(v, -0) ? String(Object.is(v, -0) ? '-0' : v) : v);

/** The case as a script's JSON: arrays as lists (NaN, ±Infinity and -0 as strings). */
export function metricReproduction(c: MetricCase): string {
  const list = (a: ArrayLike<number> | undefined) => (a === undefined ? undefined : Array.from(a, show));
  return JSON.stringify({
    ...c,
    target: list(c.target),
    targetType: c.target.constructor.name,
    scores: list(c.scores),
    weights: list(c.weights),
  });
}

/** Runs cases on both builds and checks the policy (the stats are updated). */
export function fuzzMetricBatch(use: UseLib, cases: MetricCase[], stats: MetricStats, failures: MetricFailure[], maxFailures = 20): void {
  const runs = { simd: cases.map((c) => runCase(use('simd'), c)), scalar: cases.map((c) => runCase(use('scalar'), c)) };
  cases.forEach((c, k) => {
    const a = runs.simd[k]!;
    const b = runs.scalar[k]!;
    stats.cases++;
    stats.calls += a.calls + b.calls;
    stats.elements += 2 * a.calls * c.scores.length;
    if (a.error) stats.rejected++;
    const problems: string[] = [];
    if (JSON.stringify(a.error) !== JSON.stringify(b.error))
      problems.push(`SIMD refused «${a.error?.message}», scalar «${b.error?.message}»`);
    else if (!sameBits(a.values, b.values)) problems.push('SIMD and scalar results differ in their bits');
    problems.push(...a.inner.map((p) => `simd: ${p}`), ...b.inner.map((p) => `scalar: ${p}`));
    const refusal = refusalProblem(c, a);
    if (refusal !== undefined) problems.push(refusal);
    else if (a.error === undefined) problems.push(...valueProblems(c, a));
    for (const p of problems.slice(0, 3)) {
      stats.failures++;
      if (failures.length < maxFailures)
        failures.push({
          metric: c.kind,
          what: `${c.kind} ${c.f32 ? 'f32' : 'f64'} ${c.pattern} n=${c.target.length}: ${p}`,
          reproduction: metricReproduction(c),
        });
    }
  });
}

/** A metric fuzz run: `cases` cases (or until `deadline`, ms since epoch), the metrics in turn, from one seed. */
export function fuzzMetrics(use: UseLib, opts: { seed: number; cases?: number; deadline?: number; batch?: number; onBatch?: () => void }) {
  const rand = random(opts.seed);
  const stats = Object.fromEntries(METRICS.map((m) => [m, { cases: 0, calls: 0, elements: 0, rejected: 0, failures: 0 }])) as Record<
    MetricKind,
    MetricStats
  >;
  const failures: MetricFailure[] = [];
  let done = 0;
  const size = opts.batch ?? 60;
  for (;;) {
    if (opts.cases !== undefined && done >= opts.cases) break;
    if (opts.deadline !== undefined && Date.now() >= opts.deadline) break;
    const m = opts.cases !== undefined ? Math.min(size, opts.cases - done) : size;
    for (const kind of METRICS) {
      const cases: MetricCase[] = [];
      for (let k = done; k < done + m; k++) if (METRICS[k % METRICS.length] === kind) cases.push(makeMetricCase(kind, rand));
      fuzzMetricBatch(use, cases, stats[kind], failures);
    }
    done += m;
    opts.onBatch?.();
  }
  return { stats, failures, cases: done };
}
