/**
 * Accumulators of the counting metrics (tally.ts): the state is the table of Neumaier pairs and
 * the number of examples; `update` counts a batch into it, `merge` adds another table pair by pair
 * (its sum, then its compensation, with the same compensated step), and the result is shaped from
 * the cells' values as the one-shot call shapes it.
 */

import { VERSION } from '../version.js';
import { addCompensated } from './compensated.js';
import { SimdlossError, show } from './errors.js';
import { canonical, type Json, stateObject } from './stream.js';
import { type Table, values } from './tally.js';

/** How one counting metric streams. */
export interface TallySpec<R> {
  /** The metric's exported name. */
  name: string;
  /** Validates create() options (messages name `opts.<option>`) and returns them with defaults filled in. */
  resolve(fn: string, opts: unknown): { [key: string]: Json };
  /** The number of cells of the table for these options. */
  cells(options: { readonly [key: string]: Json }): number;
  /** Counts one batch (the update's arguments) into the table; returns the examples it held. Validates as the one-shot call does. */
  batch(fn: string, options: { readonly [key: string]: Json }, table: Table, args: readonly unknown[]): number;
  /** The metric from the cells' values. */
  shape(options: { readonly [key: string]: Json }, cells: Float64Array): R;
}

/** The serialised state of a counting metric's accumulator (what `toJSON()` returns and `f.fromJSON()` takes). */
export interface TallyState {
  /** The simdloss version that wrote it. */
  simdloss: string;
  /** The metric's exported name. */
  metric: string;
  /** Every option, defaults filled in. */
  options: { readonly [key: string]: Json };
  /** Each cell's float64 sum ('Infinity' once a weighted sum overflowed). */
  sums: (number | string)[];
  /** Each cell's Neumaier compensation (the cell's value is sum + compensation). */
  compensations: number[];
  /** Examples seen. */
  count: number;
}

/**
 * A counting metric's accumulator: exact and mergeable (tally.ts says what exact means with weights).
 *
 * @typeParam A - the arguments of `update` (a batch, as the one-shot call takes it, then its weights).
 * @typeParam R - what `result()` returns: the one-shot call's result over everything seen.
 */
export class TallyAccumulator<A extends unknown[], R> {
  /** The metric it accumulates. */
  readonly metricName: string;
  /** Its options, defaults filled in; fixed at create. */
  readonly options: { readonly [key: string]: Json };
  private readonly spec: TallySpec<R>;
  private readonly key: string;
  private table: Table;
  private n = 0;

  /** @internal use `f.create(opts)` */
  constructor(spec: TallySpec<R>, options: { [key: string]: Json }) {
    this.spec = spec;
    this.metricName = spec.name;
    this.options = Object.freeze(options);
    this.key = canonical(options);
    this.table = new Float64Array(2 * spec.cells(options));
  }

  /** Examples seen so far (updates and merges). */
  get count(): number {
    return this.n;
  }

  /** Counts one batch; a batch that fails validation changes nothing. Returns this. */
  update(...args: A): this {
    const fn = `${this.metricName}.update`;
    try {
      this.n += this.spec.batch(fn, this.options, this.table, args);
    } catch (e) {
      throw renamed(e);
    }
    return this;
  }

  /** Adds another accumulator's counts to this one (same metric and options); returns this. */
  merge(other: TallyAccumulator<A, R>): this {
    const fn = `${this.metricName}.merge`;
    if (!(other instanceof TallyAccumulator)) {
      throw new SimdlossError(`${fn}: other must be an accumulator (from create() or fromJSON()); got ${show(other)}`, 'other');
    }
    if (other.metricName !== this.metricName) {
      throw new SimdlossError(`${fn}: cannot merge an accumulator of ${other.metricName} into one of ${this.metricName}`, 'other');
    }
    if (other.key !== this.key) {
      throw new SimdlossError(`${fn}: cannot merge accumulators with different options: ${this.key} here, ${other.key} in other`, 'other');
    }
    // Stryker disable next-line MethodExpression: merged into itself, each sum doubles exactly and its compensation is still as read
    const theirs = other.table.slice(); // other may be this
    // Stryker disable next-line ArithmeticOperator: the pairs past the table's end are writes a Float64Array ignores
    for (let i = 0; i < theirs.length / 2; i++) {
      addCompensated(this.table, 2 * i, theirs[2 * i]!);
      addCompensated(this.table, 2 * i, theirs[2 * i + 1]!);
    }
    this.n += other.n;
    return this;
  }

  /** The metric over everything seen, as the one-shot call over it all would give. */
  result(): R {
    return this.spec.shape(this.options, values(this.table));
  }

  /** Forgets every example; keeps metric and options. Returns this. */
  reset(): this {
    this.table.fill(0);
    this.n = 0;
    return this;
  }

  /** The state as plain JSON (so JSON.stringify(acc) works); `f.fromJSON` restores it. */
  toJSON(): TallyState {
    const sums: (number | string)[] = [];
    const compensations: number[] = [];
    for (let i = 0; i < this.table.length; i += 2) {
      const s = this.table[i]!;
      sums.push(Number.isFinite(s) ? s : String(s));
      compensations.push(this.table[i + 1]!);
    }
    return { simdloss: VERSION, metric: this.metricName, options: { ...this.options }, sums, compensations, count: this.n };
  }

  /** @internal Restores a state (validated); used by `f.fromJSON`. */
  static restore<A extends unknown[], R>(spec: TallySpec<R>, json: unknown): TallyAccumulator<A, R> {
    const fn = `${spec.name}.fromJSON`;
    const o = stateObject(fn, json, STATE_KEYS);
    checkHeader(fn, spec.name, o);
    let options: { [key: string]: Json };
    try {
      options = spec.resolve(fn, o.options);
    } catch (e) {
      throw renamed(e, 'opts.', 'state.options.');
    }
    const acc = new TallyAccumulator<A, R>(spec, options);
    const cells = acc.table.length / 2;
    const sums = numbers(
      fn,
      'sums',
      o.sums,
      cells,
      (v) => (v === 'Infinity' ? Infinity : v),
      (v) => v >= 0,
    );
    const comps = numbers(fn, 'compensations', o.compensations, cells, (v) => v, Number.isFinite);
    const count = o.count;
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
      throw new SimdlossError(`${fn}: state.count must be an integer ≥ 0; got ${show(count)}`, 'state.count');
    }
    if (count === 0 && (sums.some((v) => v !== 0) || comps.some((v) => v !== 0))) {
      throw new SimdlossError(`${fn}: state.count is 0 but the sums are not: the state is inconsistent`, 'state.count');
    }
    for (let i = 0; i < cells; i++) {
      acc.table[2 * i] = sums[i]!;
      acc.table[2 * i + 1] = comps[i]!;
    }
    acc.n = count;
    return acc;
  }
}

const STATE_KEYS = ['simdloss', 'metric', 'options', 'sums', 'compensations', 'count'];

function checkHeader(fn: string, name: string, o: Record<string, unknown>): void {
  if (o.metric !== name) {
    throw new SimdlossError(
      `${fn}: state.metric must be '${name}' (restore a state with the metric that wrote it); got ${show(o.metric)}`,
      'state.metric',
    );
  }
  if (typeof o.options !== 'object' || o.options === null || Array.isArray(o.options)) {
    throw new SimdlossError(`${fn}: state.options must be an object; got ${show(o.options)}`, 'state.options');
  }
}

/** state[field] as `cells` numbers, each read through `read` and accepted by `ok`. */
function numbers(
  fn: string,
  field: string,
  x: unknown,
  cells: number,
  read: (v: unknown) => unknown,
  ok: (v: number) => boolean,
): number[] {
  if (!Array.isArray(x) || x.length !== cells) {
    throw new SimdlossError(`${fn}: state.${field} must be an array of ${cells} numbers (one per cell); got ${show(x)}`, `state.${field}`);
  }
  return x.map((raw, i) => {
    const v = read(raw);
    if (typeof v !== 'number' || !ok(v)) {
      throw new SimdlossError(
        `${fn}: state.${field}[${i}] is not a valid ${field === 'sums' ? 'sum (a number ≥ 0)' : 'compensation (a finite number)'}; got ${show(raw)}`,
        `state.${field}`,
        i,
      );
    }
    return v;
  });
}

/** The same SimdlossError with an argument name replaced (message and .argument): a batch's weights are update's argument, not an option. */
function renamed(e: unknown, from = 'opts.weights', to = 'weights'): unknown {
  if (!(e instanceof SimdlossError) || e.argument === undefined || !e.argument.startsWith(from)) return e;
  const argument = to + e.argument.slice(from.length);
  return new SimdlossError(e.message.split(e.argument).join(argument), argument, e.index);
}

/** Adds `create` and `fromJSON` to a metric function. */
export function tallying<R>(f: object, spec: TallySpec<R>): void {
  Object.defineProperties(f, {
    create: { value: (opts?: unknown) => new TallyAccumulator(spec, spec.resolve(`${spec.name}.create`, opts)) },
    fromJSON: { value: (state: unknown) => TallyAccumulator.restore(spec, state) },
  });
}
