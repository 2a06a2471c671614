/**
 * The ranking metrics' accumulators: bounded memory whatever the number of examples. Scores fall
 * into `bins` equal-width bins over `range` (below it: the first bin, from its top up: the last), and
 * the scores of one bin count as tied, so the result is exactly the metric of the binned scores.
 *
 * Each bin keeps the weight of its positives and of its negatives in float64 with Neumaier
 * compensation. Unweighted (or with integer weights), every sum is an integer below 2^53, so updates
 * and merges in any order give the same bits. With other weights, a batch's bin sums are rounded
 * once per example and merged with compensation: the order changes a bin's sum by a few ulps at most.
 */
import { VERSION } from '../version.js';
import { checkOptionNames } from './args.js';
import { addCompensated } from './compensated.js';
import { SimdlossError, show } from './errors.js';
import { KernelPair } from './kernels.js';
import { give, rederive, take } from './memory.js';
import {
  areaOf,
  bothClasses,
  eachChunk,
  metricOptions,
  operands,
  precisionOf,
  rescaling,
  type Totals,
  timesPowerOfTwo,
} from './ranking.js';
import { canonical, stateObject } from './stream.js';
import { ready, views } from './wasm.js';

const BINS = new KernelPair('rankBins');
const MAX_BINS = 1 << 20;
const STATE_KEYS = ['simdloss', 'loss', 'options', 'count', 'positive', 'negative', 'positiveCompensation', 'negativeCompensation'];

/** The options of a ranking metric's accumulator. */
export interface RankingAccumulatorOptions {
  /**
   * Number of equal-width bins, an integer in [1, 1048576]; the state holds four float64 per bin.
   * @defaultValue 4096
   */
  bins?: number;
  /**
   * The scores' range [lo, hi], finite with lo < hi: bin k holds [lo + k·h, lo + (k+1)·h), h = (hi − lo)/bins;
   * scores below lo fall in the first bin, scores from hi up in the last.
   * @defaultValue [0,1]
   */
  range?: readonly [number, number];
}

/** The serialised state of a ranking accumulator (what `toJSON()` returns and `fromJSON()` takes). */
export interface RankingState {
  /** The simdloss version that wrote it. */
  simdloss: string;
  /** The metric's exported name. */
  loss: string;
  /** `bins` and `range`. */
  options: { bins: number; range: [number, number] };
  /** Examples seen. */
  count: number;
  /** Per bin, the positives' weight (Σ w over targets of 1). */
  positive: number[];
  /** Per bin, the negatives' weight. */
  negative: number[];
  /** Per bin, the Neumaier compensation of `positive` (the sum is their sum). */
  positiveCompensation: number[];
  /** Per bin, the Neumaier compensation of `negative`. */
  negativeCompensation: number[];
}

/** Which metric an accumulator's result is. */
export type RankingKind = 'auc' | 'ap';

/** A ranking metric's accumulator: `rocAuc.create()`, `averagePrecision.create()`. */
export class RankingAccumulator {
  /** The metric it accumulates ('rocAuc', 'averagePrecision'). */
  readonly lossName: string;
  /** Its options, defaults filled in; fixed at create. */
  readonly options: { readonly bins: number; readonly range: readonly [number, number] };
  readonly #kind: RankingKind;
  /** [sum, compensation] per bin, for positives then negatives: 4·bins float64. */
  readonly #sums: Float64Array;
  #count = 0;

  /** @internal use `rocAuc.create()` or `averagePrecision.create()` */
  constructor(name: string, kind: RankingKind, options: { bins: number; range: [number, number] }) {
    this.lossName = name;
    this.#kind = kind;
    this.options = Object.freeze({ bins: options.bins, range: Object.freeze([...options.range]) as [number, number] });
    this.#sums = new Float64Array(4 * options.bins);
  }

  /** Examples seen so far (updates and merges). */
  get count(): number {
    return this.#count;
  }

  /** Adds a batch: `target` of 0 and 1 (Int32Array labels, or floats of the scores' dtype), `scores` (not NaN; ±Infinity fall in the end bins), optional `weights` (finite, ≥ 0, of the scores' dtype). A batch that fails validation changes nothing. Returns this. */
  update(target: unknown, scores: unknown, weights?: unknown): this {
    const fn = `${this.lossName}.update`;
    ready();
    const { bins, range } = this.options;
    let a = operands(fn, target, scores, weights, 'weights');
    const bytes = Math.max(64, Math.ceil((16 * bins) / 64) * 64);
    const block = take(bytes);
    try {
      // Growing memory detached our views and any a WasmArray handed out: derive them again.
      views();
      a = operands(fn, rederive(target), rederive(scores), rederive(weights), 'weights');
      views().u8.fill(0, block, block + 16 * bins);
      const kernel = BINS.of(a.scores instanceof Float32Array);
      const scale = bins / (range[1] - range[0]);
      eachChunk(fn, a, 'weights', (m, t, s, w) => kernel(m, t, s, w, range[0], scale, bins, block));
      const f64 = views().f64;
      for (let b = 0, at = block / 8; b < bins; b++) {
        addCompensated(this.#sums, 2 * (bins + b), f64[at + 2 * b]!);
        addCompensated(this.#sums, 2 * b, f64[at + 2 * b + 1]!);
      }
      this.#count += a.scores.length;
    } finally {
      give(block, bytes);
    }
    return this;
  }

  /** Adds another accumulator's examples to this one (same metric and options); returns this. */
  merge(other: RankingAccumulator): this {
    const fn = `${this.lossName}.merge`;
    if (!(other instanceof RankingAccumulator)) {
      throw new SimdlossError(`${fn}: other must be an accumulator (from create() or fromJSON()); got ${show(other)}`, 'other');
    }
    if (other.lossName !== this.lossName) {
      throw new SimdlossError(`${fn}: cannot merge an accumulator of ${other.lossName} into one of ${this.lossName}`, 'other');
    }
    if (canonical(other.options) !== canonical(this.options)) {
      throw new SimdlossError(
        `${fn}: cannot merge accumulators with different options: ${canonical(this.options)} here, ${canonical(other.options)} in other`,
        'other',
      );
    }
    // Stryker disable next-line MethodExpression: merged into itself, each sum doubles exactly and its compensation is still as read
    const theirs = other.#sums.slice(); // other may be this
    for (let k = 0; k < theirs.length; k += 2) {
      addCompensated(this.#sums, k, theirs[k]!);
      addCompensated(this.#sums, k, theirs[k + 1]!);
    }
    this.#count += other.#count;
    return this;
  }

  /** The metric of the binned scores; throws SimdlossError while a class is absent (or of zero weight). */
  result(): number {
    const totals = this.#sweep(this.lossName);
    return this.#kind === 'auc' ? areaOf(totals) : precisionOf(totals);
  }

  /**
   * A bound on |result() − the exact metric of the same examples|, from the bins alone. Binning keeps
   * the scores' order and only ties scores of one bin. ROC AUC: a positive–negative pair counts
   * 1, ½ or 0 exactly and ½ binned, so the bound is ½·Σ_b p_b·n_b / (P·N) (p_b, n_b: the bin's positive and
   * negative weight). Average precision: a positive's precision moves, within its bin, from that
   * at its own score to that at the bin's bottom, by at most max(p_b, n_b)/C_b (C_b: the weight in
   * bins b and above), so the bound is Σ_b p_b·max(p_b, n_b)/C_b / P.
   */
  errorBound(): number {
    const fn = `${this.lossName}.errorBound`;
    const totals = this.#sweep(fn);
    const bins = this.options.bins;
    const k = this.#exponent();
    let sum = 0;
    let through = 0;
    for (let b = bins - 1; b >= 0; b--) {
      const p = this.#bin(b, k);
      const n = this.#bin(bins + b, k);
      through += p + n;
      if (p > 0) sum += this.#kind === 'auc' ? p * n : p * (Math.max(p, n) / through);
    }
    return this.#kind === 'auc' ? sum / (2 * totals.positive * totals.negative) : sum / totals.positive;
  }

  /** Forgets every example; keeps metric and options. Returns this. */
  reset(): this {
    this.#sums.fill(0);
    this.#count = 0;
    return this;
  }

  /** The state as plain JSON (so JSON.stringify(acc) works); `fromJSON` restores it. */
  toJSON(): RankingState {
    const bins = this.options.bins;
    const field = (from: number, offset: number) => Array.from({ length: bins }, (_, b) => this.#sums[2 * (from + b) + offset]!);
    return {
      simdloss: VERSION,
      loss: this.lossName,
      options: { bins, range: [...this.options.range] },
      count: this.#count,
      positive: field(0, 0),
      negative: field(bins, 0),
      positiveCompensation: field(0, 1),
      negativeCompensation: field(bins, 1),
    };
  }

  /** @internal restores a state of `name` (validated), for `fromJSON` */
  static restore(name: string, kind: RankingKind, json: unknown): RankingAccumulator {
    const fn = `${name}.fromJSON`;
    const o = stateObject(fn, json, STATE_KEYS);
    if (o.loss !== name) {
      throw new SimdlossError(
        `${fn}: state.loss must be '${name}' (restore a state with the metric that wrote it); got ${show(o.loss)}`,
        'state.loss',
      );
    }
    const options = resolveBins(fn, o.options, 'state.options');
    const acc = new RankingAccumulator(name, kind, options);
    const count = o.count;
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
      throw new SimdlossError(`${fn}: state.count must be an integer ≥ 0; got ${show(count)}`, 'state.count');
    }
    const fields = ['positive', 'positiveCompensation', 'negative', 'negativeCompensation'] as const;
    fields.forEach((key, f) => {
      const values = binArray(fn, key, o[key], options.bins, f % 2 === 0);
      const from = f < 2 ? 0 : options.bins;
      values.forEach((v, b) => {
        acc.#sums[2 * (from + b) + (f % 2)] = v;
      });
    });
    if (count === 0 && acc.#sums.some((v) => v !== 0)) {
      throw new SimdlossError(`${fn}: state.count is 0 but the bins are not empty: the state is inconsistent`, 'state.count');
    }
    acc.#count = count;
    return acc;
  }

  /** Bin k's weight (k < bins: positives; bins + b: negatives of bin b), times 2^scale. */
  #bin(k: number, scale = 0): number {
    const w = this.#sums[2 * k]! + this.#sums[2 * k + 1]!;
    return scale === 0 ? w : timesPowerOfTwo(w, scale);
  }

  /** The power of two the sweep scales bin weights by, so that its products stay in float64's range (see rescaling). */
  #exponent(): number {
    const bins = this.options.bins;
    let positive = 0;
    let negative = 0;
    for (let b = 0; b < bins; b++) {
      positive += this.#bin(b);
      negative += this.#bin(bins + b);
    }
    return rescaling({ area2: 2 * positive * negative, precisionSum: 0, positive, negative });
  }

  /** The sweep of rankSweep over the bins, highest first, each bin one group of tied scores. */
  #sweep(fn: string): Totals {
    const bins = this.options.bins;
    const k = this.#exponent();
    let tp = 0;
    let fp = 0;
    let area2 = 0;
    let precisionSum = 0;
    for (let b = bins - 1; b >= 0; b--) {
      const gtp = this.#bin(b, k);
      const gfp = this.#bin(bins + b, k);
      area2 += gfp * (2 * tp + gtp);
      tp += gtp;
      fp += gfp;
      if (gtp > 0) precisionSum += gtp * (tp / (tp + fp));
    }
    const totals = { area2, precisionSum, positive: tp, negative: fp };
    bothClasses(fn, totals);
    return totals;
  }
}

/** create() options (or a state's, `where` naming them in messages): bins and range, defaults filled in. */
export function resolveBins(fn: string, opts: unknown, where = 'opts'): { bins: number; range: [number, number] } {
  if (where !== 'opts' && (typeof opts !== 'object' || opts === null || Array.isArray(opts))) {
    throw new SimdlossError(`${fn}: ${where} must be an object of bins and range; got ${show(opts)}`, where);
  }
  const o = metricOptions(fn, opts) ?? {};
  if (where === 'opts' && 'weights' in o) {
    throw new SimdlossError(
      `${fn}: opts.weights is not an accumulator option (weights go with each batch: update(target, scores, weights))`,
      'opts.weights',
    );
  }
  checkOptionNames(fn, o, ['bins', 'range'], where);
  const bins = o.bins === undefined ? 4096 : o.bins; // null is a value, refused, not the default
  if (typeof bins !== 'number' || !Number.isInteger(bins) || bins < 1 || bins > MAX_BINS) {
    throw new SimdlossError(`${fn}: ${where}.bins must be an integer in [1, ${MAX_BINS}]; got ${show(bins)}`, `${where}.bins`);
  }
  const range = o.range === undefined ? [0, 1] : o.range;
  const [lo, hi] = Array.isArray(range) ? (range as unknown[]) : [];
  if (
    !Array.isArray(range) ||
    range.length !== 2 ||
    typeof lo !== 'number' ||
    typeof hi !== 'number' ||
    !(lo < hi) ||
    !Number.isFinite(hi - lo) ||
    !Number.isFinite(bins / (hi - lo))
  ) {
    throw new SimdlossError(
      `${fn}: ${where}.range must be [lo, hi], finite numbers with lo < hi; got ${showRange(range)}`,
      `${where}.range`,
    );
  }
  return { bins, range: [lo, hi] };
}

function showRange(range: unknown): string {
  return Array.isArray(range) ? `[${range.map(show).join(', ')}]` : show(range);
}

function binArray(fn: string, key: string, x: unknown, bins: number, sum: boolean): number[] {
  const ok = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && (!sum || v >= 0);
  if (!Array.isArray(x) || x.length !== bins) {
    throw new SimdlossError(`${fn}: state.${key} must be an array of ${bins} numbers (one per bin); got ${show(x)}`, `state.${key}`);
  }
  const bad = x.findIndex((v) => !ok(v));
  if (bad >= 0) {
    const expected = sum ? 'a finite number ≥ 0' : 'a finite number';
    throw new SimdlossError(`${fn}: state.${key}[${bad}] must be ${expected}; got ${show(x[bad])}`, `state.${key}`, bad);
  }
  return x as number[];
}
