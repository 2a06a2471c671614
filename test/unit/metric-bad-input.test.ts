// The evaluation metrics' bad-input matrix, the counterpart of bad-input-matrix.test.ts (whose
// subjects share the losses' call shape): every metric of test/metric-subjects.ts × its call, its
// accumulator's create, update and fromJSON × every kind of bad argument, generated from the subject
// table. Each bad call must throw a SimdlossError whose .argument names the argument, whose message
// starts with the function, names the argument and holds the expected range and the value seen,
// with .index where one element is at fault; the next valid call must give the float64 reference's
// answer, and a refused update or fromJSON must leave the accumulator as it was.
import { beforeAll, describe, expect, test } from 'vitest';
import { show } from '../../src/core/errors.js';
import * as api from '../../src/node.js';
import { alloc, init, type WasmArray } from '../../src/node.js';
import { refused } from '../helpers.js';
import { METRIC_SUBJECTS, type MetricArgs, type MetricSubject } from '../metric-subjects.js';

beforeAll(async () => {
  await init();
});

const ROWS = 6;
const FAR_ROWS = 9001; // past the first chunk of every staging slot (8192 float32, 4096 float64 values)

type Method = 'f' | 'create' | 'update' | 'fromJSON';

interface Case {
  what: string;
  methods: readonly Method[];
  /** The arguments, from the valid ones; default: the valid ones. */
  args?: (valid: MetricArgs) => MetricArgs;
  /** Options besides the subject's base (merged), or `replace` for the whole opts. */
  opts?: Record<string, unknown>;
  replace?: unknown;
  /** A state for fromJSON, from a valid one. */
  state?: (valid: Record<string, unknown>) => unknown;
  argument: string;
  contains: readonly string[];
  index?: number;
}

test('every metric export is in the matrix (a new metric without a subject fails here)', () => {
  const metrics = Object.entries(api)
    .filter(([, v]) => typeof v === 'function' && 'metricName' in v)
    .map(([k]) => k);
  const curves = ['rocCurve', 'precisionRecallCurve', 'precisionRecallF1'];
  expect([...new Set(METRIC_SUBJECTS.map((s) => s.name))].sort()).toEqual([...metrics, ...curves].sort());
});

let F: Float32ArrayConstructor | Float64ArrayConstructor = Float64Array;
let G: Float32ArrayConstructor | Float64ArrayConstructor = Float32Array;
const withArg = (args: MetricArgs, j: number, v: unknown): MetricArgs => args.map((a, i) => (i === j ? v : a));
const resized = (a: ArrayLike<number>, by: number) => {
  const b = new (a.constructor as Float64ArrayConstructor)(a.length + by);
  b.set(by < 0 ? (a as Float64Array).subarray(0, a.length + by) : (a as Float64Array));
  return b;
};
const withElement = (a: Float64Array, at: number, v: number) => {
  const b = a.slice();
  b[at] = v;
  return b;
};
const floatText = 'Float32Array or a Float64Array';
/** An option's value as a message shows it: a range written out, anything else as show() does. */
const shownOption = (v: unknown) => (Array.isArray(v) ? `[${v.map(show).join(', ')}]` : show(v));
const methodsOf = (s: MetricSubject): Method[] => (s.accumulator ? ['f', 'update'] : ['f']);

function arrayCases(s: MetricSubject, valid: MetricArgs): Case[] {
  const cases: Case[] = [];
  const all = methodsOf(s);
  const rows = (valid[s.ref] as Float64Array).length / s.width(s.ref);
  for (const [j, name] of s.args.entries()) {
    const bad = [3, 'abc', ...(s.plainArrays ? [] : [[0.5, 0.5]]), null, undefined, new Uint8Array(2), new Float32Array(2).buffer];
    for (const v of bad) {
      cases.push({
        what: `${name} = ${show(v)}`,
        methods: all,
        args: (a) => withArg(a, j, v),
        argument: name,
        contains: [s.types[j]!, show(v)],
      });
    }
    if (s.dtyped[j]) {
      cases.push({
        what: `${name} of the other float dtype`,
        methods: all,
        args: (a) => withArg(a, j, G.from(a[j] as Float64Array)),
        argument: name,
        contains: ['Float32Array', 'Float64Array', 'cannot be mixed'],
      });
    }
    if (j === s.ref && s.args.length > 1) continue; // the others are measured against it
    for (const by of [-1, 1]) {
      const len = (valid[j] as Float64Array).length + by;
      const other = s.args.length > 1 ? [`${len} elements`] : [`got ${len}`];
      cases.push({
        what: `${name} of ${len} elements`,
        methods: all,
        args: (a) => withArg(a, j, resized(a[j] as Float64Array, by)),
        argument: name,
        contains: other,
      });
    }
  }
  if (s.empty) {
    const args = s.args.map(() => new F(0));
    cases.push({ what: 'no examples', methods: ['f'], args: () => args, argument: s.empty.argument, contains: [s.empty.contains] });
  }
  if (!s.weights) return cases;
  for (const v of [3, 'abc', [0.5], null, new Int32Array(rows)]) {
    cases.push({
      what: `weights = ${show(v)}`,
      methods: all,
      opts: { weights: v },
      argument: 'opts.weights',
      contains: [floatText, show(v)],
    });
  }
  if (s.weightsDtyped) {
    cases.push({
      what: 'weights of the other dtype',
      methods: all,
      opts: { weights: new G(rows) },
      argument: 'opts.weights',
      contains: ['cannot be mixed'],
    });
  }
  for (const by of [-1, 1]) {
    cases.push({
      what: `weights of ${rows + by}`,
      methods: all,
      opts: { weights: new F(rows + by) },
      argument: 'opts.weights',
      contains: [`${rows + by} elements`, String(rows)],
    });
  }
  return cases;
}

function domainCases(s: MetricSubject, valid: MetricArgs, far: MetricArgs): Case[] {
  const cases: Case[] = [];
  const all = methodsOf(s);
  for (const d of s.domains) {
    const name = s.args[d.arg]!;
    const n = (valid[d.arg] as Float64Array).length;
    for (const v of d.values) {
      for (const at of [0, n - 1]) {
        cases.push({
          what: `${name}[${at}] = ${show(v)}`,
          methods: all,
          argument: name,
          index: at,
          contains: [`${name}[${at}]`, d.expected, `got ${show(v)}`],
          args: (a) => withArg(a, d.arg, withElement(a[d.arg] as Float64Array, at, v)),
        });
      }
    }
    // Far into a long input (in a WasmArray too): the index counts from the start of the call, not of the chunk.
    const farN = (far[d.arg] as Float64Array).length;
    if (farN === n) continue;
    const v = d.values[d.values.length - 1]!;
    for (const inWasm of [false, true]) {
      cases.push({
        what: `${name}[${farN - 2}] = ${show(v)} of ${farN}${inWasm ? ' in a WasmArray' : ''}`,
        methods: all,
        argument: name,
        index: farN - 2,
        contains: [`${name}[${farN - 2}]`, d.expected, `got ${show(v)}`],
        args: () => {
          const args = withArg(far, d.arg, withElement(far[d.arg] as Float64Array, farN - 2, v));
          return inWasm ? args.map((x) => wasmCopy(x as Float64Array)) : args;
        },
      });
    }
  }
  if (!s.weights) return cases;
  for (const v of [-1, -0.25, NaN, Infinity, -Infinity]) {
    for (const at of [0, ROWS - 1]) {
      const w = withElement(new F(ROWS).fill(1) as Float64Array, at, v);
      cases.push({
        what: `weights[${at}] = ${show(v)}`,
        methods: all,
        opts: { weights: w },
        argument: 'opts.weights',
        index: at,
        contains: [`[${at}]`, 'finite number ≥ 0', `got ${show(v)}`],
      });
    }
  }
  const w = withElement(new F(FAR_ROWS).fill(0.5) as Float64Array, FAR_ROWS - 3, NaN);
  cases.push({
    what: `weights[${FAR_ROWS - 3}] of ${FAR_ROWS}`,
    methods: all,
    args: () => far,
    opts: { weights: w },
    argument: 'opts.weights',
    index: FAR_ROWS - 3,
    contains: [`[${FAR_ROWS - 3}]`, 'finite number ≥ 0', 'got NaN'],
  });
  return cases;
}

const temps: WasmArray[] = [];
function wasmCopy(a: Float64Array | Float32Array | Int32Array): WasmArray {
  const w = alloc(a.length, a instanceof Int32Array ? 'i32' : a instanceof Float32Array ? 'f32' : 'f64');
  w.array.set(a);
  temps.push(w);
  return w;
}

function optionCases(s: MetricSubject): Case[] {
  const cases: Case[] = [];
  for (const [methods, options] of [
    [['f'], s.options],
    [['create'], s.createOptions],
  ] as const) {
    if (methods[0] === 'create' && !s.accumulator) continue;
    for (const [name, bad] of Object.entries(options)) {
      for (const v of bad.values) {
        cases.push({
          what: `${name} = ${show(v)}`,
          methods,
          opts: { [name]: v },
          argument: `opts.${name}`,
          contains: [bad.expected, `got ${shownOption(v)}`],
        });
      }
    }
    const own = Object.keys(options);
    for (const typo of [
      'weight',
      'reduction',
      'Weights',
      ...own.map((n) => n[0]!.toUpperCase() + n.slice(1)),
      ...own.map((n) => `${n}s`),
    ]) {
      cases.push({ what: `unknown option '${typo}'`, methods, opts: { [typo]: 1 }, argument: `opts.${typo}`, contains: [`'${typo}'`] });
    }
    for (const v of ['mean', 5, true, [1]]) {
      cases.push({
        what: `opts = ${show(v)}`,
        methods,
        replace: v,
        argument: 'opts',
        contains: ['opts must be an object', `got ${show(v)}`],
      });
    }
  }
  if (s.accumulator && s.weights) {
    cases.push({
      what: 'weights on create',
      methods: ['create'],
      opts: { weights: new F(ROWS) },
      argument: 'opts.weights',
      contains: [], // named as an unknown option, or as one that goes with update
    });
  }
  return cases;
}

/** Bad states: not an object, a field missing, unknown or of the wrong type, a bad element, a bad option. */
function stateCases(s: MetricSubject, state: Record<string, unknown>): Case[] {
  if (!s.accumulator) return [];
  const m: Method[] = ['fromJSON'];
  const cases: Case[] = [];
  for (const v of [3, null, [], 'not json', '{"count":', true]) {
    cases.push({ what: `state = ${show(v)}`, methods: m, state: () => v, argument: 'state', contains: [show(v)] });
  }
  cases.push({
    what: 'an unknown field',
    methods: m,
    state: (o) => ({ ...o, extra: 1 }),
    argument: 'state.extra',
    contains: ['unknown field'],
  });
  for (const key of Object.keys(state)) {
    const argument = `state.${key}`;
    cases.push({ what: `no ${key}`, methods: m, state: (o) => ({ ...o, [key]: undefined }), argument, contains: [] });
    const values: unknown[] = key === 'options' ? ['x', null, [], 5] : ['x', null, -1, {}, true, 1.5];
    for (const v of values) {
      if (key === 'count' && v === -1) continue; // below
      cases.push({ what: `${key} = ${show(v)}`, methods: m, state: (o) => ({ ...o, [key]: v }), argument, contains: [show(v)] });
    }
    const field = state[key];
    if (Array.isArray(field)) {
      const sum = !/ompensation/.test(key);
      for (const v of [NaN, 'x', null, ...(sum ? [-1, -Infinity] : [Infinity])]) {
        const at = field.length - 1;
        cases.push({
          what: `${key}[${at}] = ${show(v)}`,
          methods: m,
          state: (o) => ({ ...o, [key]: (o[key] as unknown[]).map((x, i) => (i === at ? v : x)) }),
          argument,
          index: at,
          contains: [`[${at}]`, `got ${show(v)}`],
        });
      }
      cases.push({
        what: `${key} one longer`,
        methods: m,
        state: (o) => ({ ...o, [key]: [...(o[key] as unknown[]), 0] }),
        argument,
        contains: [String(field.length)],
      });
    }
  }
  for (const v of [-1, 2 ** 53])
    cases.push({ what: `count = ${v}`, methods: m, state: (o) => ({ ...o, count: v }), argument: 'state.count', contains: [show(v)] });
  cases.push({
    what: 'simdloss 9.0.0',
    methods: m,
    state: (o) => ({ ...o, simdloss: '9.0.0' }),
    argument: 'state.simdloss',
    contains: ["'9.0.0'"],
  });
  const options = state.options as Record<string, unknown>;
  for (const [name, bad] of Object.entries(s.createOptions)) {
    if (!(name in options)) continue;
    for (const v of bad.values.filter((x) => x !== undefined).slice(0, 4)) {
      cases.push({
        what: `options.${name} = ${show(v)}`,
        methods: m,
        state: (o) => ({ ...o, options: { ...options, [name]: v } }),
        argument: `state.options.${name}`,
        contains: [bad.expected, `got ${shownOption(v)}`],
      });
    }
  }
  cases.push({
    what: 'an unknown option',
    methods: m,
    state: (o) => ({ ...o, options: { ...options, weight: 1 } }),
    argument: 'state.options.weight',
    contains: ["'weight'"],
  });
  return cases;
}

// ---- the matrix ----

const rel = (a: number, e: number) => Math.abs(a - e) / Math.max(Math.abs(e), 1e-300);
// The valid data (6 examples, scores apart) against float64 references: the sums are of a few terms
// rounded once each, so float64 agrees to a few ulps; 1e-12 is far below any wrong answer (a stale
// slot, a wrong bin, a dropped example move these results by 1e-2 or more).
const TOL = 1e-12;

function expectRight(s: MetricSubject, valid: MetricArgs, right: number[], what: string): void {
  const got = s.numbers(s.f(...valid, s.base));
  expect(got.length, `${what}: length`).toBe(right.length);
  for (const [i, e] of right.entries())
    if (!(rel(got[i]!, e) <= TOL || got[i] === e)) expect.fail(`${what}: [${i}] = ${got[i]}, reference ${e}`);
}

function runCase(s: MetricSubject, c: Case, method: Method, valid: MetricArgs, state: Record<string, unknown>): boolean {
  const fn = method === 'f' ? s.name : `${s.name}.${method}`;
  const args = c.args ? c.args(valid) : valid;
  const opts = c.replace !== undefined ? c.replace : { ...s.base, ...c.opts };
  const acc = s.accumulator;
  if (method === 'f') refused(() => s.f(...args, opts), fn, c.argument, c.contains, c.index);
  else if (method === 'create') refused(() => acc!.create(opts), fn, c.argument, c.contains, c.index);
  else if (method === 'fromJSON') {
    refused(() => acc!.fromJSON(c.state!(state)), fn, c.argument, c.contains, c.index);
    expect(acc!.fromJSON(state).toJSON(), `${fn} ${c.what}: a good state still restores`).toEqual(state);
  } else {
    const { weights, ...others } = (c.opts ?? {}) as { weights?: unknown };
    if (c.replace !== undefined || Object.keys(others).length > 0) return false; // options: the create cases
    const a = acc!.create(s.base).update(...valid);
    const before = JSON.stringify(a.toJSON());
    const argument = c.argument.replace(/^opts\.weights/, 'weights');
    refused(() => a.update(...args, ...(weights === undefined ? [] : [weights])), fn, argument, c.contains, c.index);
    expect(JSON.stringify(a.toJSON()), `${fn} ${c.what}: state unchanged`).toBe(before);
    // and it goes on: the next update counts as on a fresh accumulator
    expect(a.update(...valid).toJSON()).toEqual(
      acc!
        .create(s.base)
        .update(...valid)
        .update(...valid)
        .toJSON(),
    );
  }
  return true;
}

let total = 0;
const kinds = ['arrays: type, dtype, length, empty', 'elements out of domain, weights', 'options', 'states'] as const;

describe.each(METRIC_SUBJECTS.flatMap((s) => [[s.label, 'float64', s, false] as const, [s.label, 'float32', s, true] as const]))(
  '%s %s',
  (_, __, s, f32) => {
    test.each(kinds)('%s', (kind) => {
      F = f32 ? Float32Array : Float64Array;
      G = f32 ? Float64Array : Float32Array;
      const valid = s.data(ROWS, 1, F);
      const far = s.data(FAR_ROWS, 2, F);
      const right = s.reference(valid);
      const state = s.accumulator
        ? (JSON.parse(JSON.stringify(s.accumulator.create(s.base).update(...valid))) as Record<string, unknown>)
        : {};
      const cases =
        kind === kinds[0]
          ? arrayCases(s, valid)
          : kind === kinds[1]
            ? domainCases(s, valid, far)
            : kind === kinds[2]
              ? optionCases(s)
              : stateCases(s, state);
      if (kind !== kinds[3] || s.accumulator) expect(cases.length).toBeGreaterThan(0);
      for (const c of cases) {
        for (const method of c.methods) {
          if (runCase(s, c, method, valid, state)) total++;
          for (const t of temps.splice(0)) t.free();
          expectRight(s, valid, right, `${s.name} after ${c.what}`);
        }
      }
    });
  },
);

test('matrix size', () => {
  // Runs last in this file: the count of (metric, method, bad argument) calls refused above.
  expect(total).toBeGreaterThan(1500);
  console.log(`metric bad-input matrix: ${METRIC_SUBJECTS.length} subjects × 2 dtypes, ${total} refused calls`);
});
