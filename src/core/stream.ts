/**
 * Streaming, mergeable accumulators: `f.create(opts)` and `f.fromJSON(state)` for every loss.
 *
 * An accumulator keeps what every reduction needs — Σ wᵢlᵢ, Σ wᵢ (the mean's denominator) and the
 * number of examples — in float64 with Neumaier (Kahan–Babuška) compensation, across updates and
 * merges. Each loss family supplies only a `batch` function (one pass over one batch → those three
 * sums, validating like the one-shot call); everything else lives here, so any split of the data
 * into chunks, workers or machines, merged in any order, gives the one-shot result.
 */

import { VERSION } from '../version.js';
import { addCompensated } from './compensated.js';
import { SimdlossError, show } from './errors.js';

/** What one batch contributes: Σ wᵢlᵢ, the mean's denominator (Σ wᵢ, or 1 per example unweighted), examples seen. */
export interface Sums {
  sum: number;
  weight: number;
  count: number;
}

/** A JSON value: how options are kept in a state and compared between accumulators. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** The serialised state of an accumulator (what `toJSON()` returns and `f.fromJSON()` takes). */
export interface AccumulatorState {
  /** The simdloss version that wrote it. */
  simdloss: string;
  /** The loss's exported name. */
  loss: string;
  /** Every option, defaults filled in, `reduction` included. */
  options: { readonly [key: string]: Json };
  /** Σ wᵢlᵢ and its Neumaier compensation (the value is their sum). Non-finite values as the strings 'Infinity', '-Infinity', 'NaN'. */
  sum: number | string;
  /** The Neumaier compensation of `sum`. */
  sumCompensation: number;
  /** Σ wᵢ (1 per unweighted example) and its compensation. */
  weightSum: number | string;
  /** The Neumaier compensation of `weightSum`. */
  weightSumCompensation: number;
  /** Examples seen. */
  count: number;
}

/**
 * What every accumulator has; each family's type adds its `update` signature.
 *
 * @example
 * ```ts
 * import { huber } from 'simdloss';
 *
 * const acc = huber.create({ delta: 0.5 });       // options fixed here; reduction 'mean' or 'sum'
 * acc.update(Float32Array.of(1, 2), Float32Array.of(1.5, 2));
 * acc.update(Float64Array.of(0), Float64Array.of(2), Float64Array.of(3));   // dtypes and weights per batch
 * acc.result();   // 0.55, as huber([1, 2, 0], [1.5, 2, 2], { delta: 0.5, weights: [1, 1, 3] })
 *
 * // Across workers or machines: send the state, restore it, merge; any split gives the one-shot value.
 * const state = JSON.stringify(acc);
 * const other = huber.create({ delta: 0.5 }).update(Float32Array.of(0), Float32Array.of(0));
 * huber.fromJSON(state).merge(other).result();   // 0.4583 = 2.75 / 6
 * ```
 */
export interface AccumulatorBase {
  /** The loss it accumulates. */
  readonly lossName: string;
  /** Its options, defaults filled in (`reduction` included); fixed at create. */
  readonly options: { readonly [key: string]: Json };
  /** Examples seen so far (updates and merges). */
  readonly count: number;
  /** Adds another accumulator's examples to this one (same loss and options); returns this. */
  merge(other: AccumulatorBase): this;
  /** The reduced loss over everything seen: 'mean' Σ wᵢlᵢ / Σ wᵢ (0 over nothing), 'sum' Σ wᵢlᵢ. */
  result(): number;
  /** Forgets every example; keeps loss and options. Returns this. */
  reset(): this;
  /** The state as plain JSON (so JSON.stringify(acc) works); `f.fromJSON` restores it. */
  toJSON(): AccumulatorState;
}

/** How one loss streams: its name, how create() options resolve, and one batch's sums. */
export interface StreamSpec {
  name: string;
  /**
   * Validates create() options (reduction 'mean' | 'sum', the loss's own options; `fn` names the
   * caller in messages) and returns every option with defaults filled in, as JSON. Throws
   * SimdlossError naming `opts.<option>`.
   */
  resolve(fn: string, opts: unknown): { reduction: 'mean' | 'sum'; [key: string]: Json };
  /** One pass over one batch (validated as the one-shot call validates), with the resolved options. */
  batch(fn: string, options: { readonly [key: string]: Json }, args: readonly unknown[]): Sums;
}

const STATE_KEYS = ['simdloss', 'loss', 'options', 'sum', 'sumCompensation', 'weightSum', 'weightSumCompensation', 'count'];

export class Accumulator implements AccumulatorBase {
  readonly lossName: string;
  readonly options: { readonly [key: string]: Json };
  /** [Σwl, its compensation, Σw, its compensation] */
  private readonly s = new Float64Array(4);
  private n = 0;
  private readonly spec: StreamSpec;
  private readonly key: string;
  private readonly mean: boolean;

  constructor(spec: StreamSpec, options: { reduction: 'mean' | 'sum'; [key: string]: Json }) {
    this.spec = spec;
    this.lossName = spec.name;
    this.options = Object.freeze(options);
    this.key = canonical(options);
    this.mean = options.reduction === 'mean';
  }

  get count(): number {
    return this.n;
  }

  /** Adds one batch (the family's arguments, e.g. target, pred, weights?). A batch that fails validation changes nothing. */
  update(...args: unknown[]): this {
    const fn = `${this.lossName}.update`;
    let sums: Sums;
    try {
      sums = this.spec.batch(fn, this.options, args);
    } catch (e) {
      // The batch runs the one-shot code, which names weights opts.weights; here they are an argument.
      throw renamed(e, 'opts.weights', 'weights');
    }
    addCompensated(this.s, 0, sums.sum);
    addCompensated(this.s, 2, sums.weight);
    this.n += sums.count;
    return this;
  }

  merge(other: AccumulatorBase): this {
    const fn = `${this.lossName}.merge`;
    if (!(other instanceof Accumulator)) {
      throw new SimdlossError(`${fn}: other must be an accumulator (from create() or fromJSON()); got ${show(other)}`, 'other');
    }
    if (other.lossName !== this.lossName) {
      throw new SimdlossError(`${fn}: cannot merge an accumulator of ${other.lossName} into one of ${this.lossName}`, 'other');
    }
    if (other.key !== this.key) {
      throw new SimdlossError(`${fn}: cannot merge accumulators with different options: ${this.key} here, ${other.key} in other`, 'other');
    }
    const [s0, c0, w0, d0] = other.s; // read first: other may be this
    addCompensated(this.s, 0, s0!);
    addCompensated(this.s, 0, c0!);
    addCompensated(this.s, 2, w0!);
    addCompensated(this.s, 2, d0!);
    this.n += other.n;
    return this;
  }

  result(): number {
    const sum = this.s[0]! + this.s[1]!;
    if (!this.mean) return sum;
    const weight = this.s[2]! + this.s[3]!;
    return weight > 0 ? sum / weight : 0;
  }

  reset(): this {
    this.s.fill(0);
    this.n = 0;
    return this;
  }

  toJSON(): AccumulatorState {
    return {
      simdloss: VERSION,
      loss: this.lossName,
      options: { ...this.options },
      sum: encode(this.s[0]!),
      sumCompensation: this.s[1]!,
      weightSum: encode(this.s[2]!),
      weightSumCompensation: this.s[3]!,
      count: this.n,
    };
  }

  /** Restores a state (validated); used by `f.fromJSON`. */
  static restore(spec: StreamSpec, json: unknown): Accumulator {
    const fn = `${spec.name}.fromJSON`;
    const o = stateObject(fn, json, STATE_KEYS);
    if (o.loss !== spec.name) {
      throw new SimdlossError(
        `${fn}: state.loss must be '${spec.name}' (restore a state with the loss that wrote it); got ${show(o.loss)}`,
        'state.loss',
      );
    }
    if (typeof o.options !== 'object' || o.options === null || Array.isArray(o.options)) {
      throw new SimdlossError(`${fn}: state.options must be an object; got ${show(o.options)}`, 'state.options');
    }
    let options: ReturnType<StreamSpec['resolve']>;
    try {
      options = spec.resolve(fn, o.options);
    } catch (e) {
      throw renamed(e, 'opts.', 'state.options.');
    }
    const acc = new Accumulator(spec, options);
    const sum = decode(fn, 'sum', o.sum, false);
    const weight = decode(fn, 'weightSum', o.weightSum, true);
    const count = o.count;
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
      throw new SimdlossError(`${fn}: state.count must be an integer ≥ 0; got ${show(count)}`, 'state.count');
    }
    const sumC = compensation(fn, 'sumCompensation', o.sumCompensation);
    const weightC = compensation(fn, 'weightSumCompensation', o.weightSumCompensation);
    if (count === 0 && (sum !== 0 || weight !== 0 || sumC !== 0 || weightC !== 0)) {
      throw new SimdlossError(`${fn}: state.count is 0 but the sums are not: the state is inconsistent`, 'state.count');
    }
    acc.s.set([sum, sumC, weight, weightC]);
    acc.n = count;
    return acc;
  }
}

/** Adds `create` and `fromJSON` to a loss function. */
export function streaming(f: object, spec: StreamSpec): void {
  Object.defineProperties(f, {
    create: { value: (opts?: unknown) => new Accumulator(spec, spec.resolve(`${spec.name}.create`, opts)) },
    fromJSON: { value: (state: unknown) => Accumulator.restore(spec, state) },
  });
}

/**
 * An accumulator's state as given to fromJSON (the object, or its JSON text): an object of the
 * known `keys`, written by a simdloss whose states this one reads.
 */
export function stateObject(fn: string, json: unknown, keys: readonly string[]): Record<string, unknown> {
  let state = json;
  if (typeof state === 'string') {
    try {
      state = JSON.parse(state);
    } catch {
      throw new SimdlossError(`${fn}: state is a string but not JSON; got ${show(json)}`, 'state');
    }
  }
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new SimdlossError(`${fn}: state must be an object from toJSON() (or its JSON text); got ${show(state)}`, 'state');
  }
  const o = state as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!keys.includes(key)) throw new SimdlossError(`${fn}: unknown field state.${key} (a state has: ${keys.join(', ')})`, `state.${key}`);
  }
  if (typeof o.simdloss !== 'string') {
    throw new SimdlossError(
      `${fn}: state.simdloss must be the version string of the simdloss that wrote it; got ${show(o.simdloss)}`,
      'state.simdloss',
    );
  }
  if (!compatible(o.simdloss, VERSION)) {
    throw new SimdlossError(
      `${fn}: state.simdloss is '${o.simdloss}', which this simdloss (${VERSION}) does not read: states are kept within ${versionRange(VERSION)}`,
      'state.simdloss',
    );
  }
  return o;
}

/** A state written by version `theirs` is read by `ours` when semver-compatible: same major, and same minor while major is 0. */
export function compatible(theirs: string, ours: string): boolean {
  const a = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(theirs);
  const [major, minor] = ours.split('.');
  if (a === null || a[1] !== major) return false;
  return major !== '0' || a[2] === minor;
}

/** The versions `compatible` lets read a state of `version`, as a message says them: '0.1.x', '1.x'. */
export function versionRange(version: string): string {
  const [major, minor] = version.split('.');
  return major === '0' ? `${major}.${minor}.x` : `${major}.x`;
}

/** Options as one string with sorted keys: equal options, equal strings. */
export function canonical(value: Json): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const o = value as { readonly [key: string]: Json };
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k]!)}`)
    .join(',')}}`;
}

// JSON has no Infinity or NaN (JSON.stringify writes null); a loss of Infinity must survive the trip.
function encode(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

function decode(fn: string, field: string, x: unknown, weight: boolean): number {
  const v = typeof x === 'string' && (x === 'Infinity' || x === '-Infinity' || x === 'NaN') ? Number(x) : x;
  if (typeof v !== 'number' || (weight && !(v >= 0))) {
    const expected = weight ? "a number ≥ 0 (or 'Infinity')" : "a number (or 'Infinity', '-Infinity', 'NaN')";
    throw new SimdlossError(`${fn}: state.${field} must be ${expected}; got ${show(x)}`, `state.${field}`);
  }
  return v;
}

function compensation(fn: string, field: string, x: unknown): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new SimdlossError(`${fn}: state.${field} must be a finite number; got ${show(x)}`, `state.${field}`);
  }
  return x;
}

/** The same SimdlossError with an argument name replaced (message and .argument); other errors unchanged. */
function renamed(e: unknown, from: string, to: string): unknown {
  if (!(e instanceof SimdlossError) || e.argument === undefined || !e.argument.startsWith(from)) return e;
  const argument = to + e.argument.slice(from.length);
  return new SimdlossError(e.message.split(e.argument).join(argument), argument, e.index);
}
