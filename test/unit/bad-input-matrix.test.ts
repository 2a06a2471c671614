// The bad-input matrix: every export of the registry (and every other loss-like export)
// × every method (f, grad, withGrad, create, create().update) × every kind of bad argument, generated
// from the registry so that a new loss is covered without a line here. Each bad call must throw a
// SimdlossError whose .argument names the argument, whose message names it and holds the expected
// range and the value seen, with .index where one element is at fault; the next valid call must
// give the float64 reference's answer, and a failed update must leave its accumulator unchanged.
// (The per-family error tests — elementwise-errors, categorical-errors, embedding — check exact wordings; this
// file checks that nothing is left out.)
import { beforeAll, describe, expect, test } from 'vitest';
import { describeRange } from '../../src/core/args.js';
import { show } from '../../src/core/errors.js';
import * as api from '../../src/node.js';
import { alloc, type Dtype, init, memory, type WasmArray } from '../../src/node.js';
import { refused } from '../helpers.js';
import { inbatchOf } from '../registry.js';
import { type Args, C, call, DIM, type Method, methodsOf, type Right, type Subject, subjects } from '../subjects.js';

beforeAll(async () => {
  await init();
});

/** float64 data and kernels here: the reference's answer is the float64 kernel's within TOL. */
const ROWS = 6;
const FAR_ROWS = 9001; // past the first chunks of every family's staging (8192 float32, 4096 float64 values a slot)

test('every loss-like export is in the matrix (a new export without a registry entry fails here)', () => {
  const exported = Object.entries(api)
    .filter(([, v]) => typeof v === 'function' && typeof (v as { lossName?: unknown }).lossName === 'string')
    .map(([k]) => k)
    .sort();
  // (the in-batch losses, which take whole batches and no weights, have their bad input in inbatch.test.ts)
  const inbatch = inbatchOf(api).map((e) => e.name);
  expect([...subjects.map((s) => s.name), ...inbatch].sort()).toEqual(exported);
});

// ---- calling ----

const rel = (a: number, e: number) => Math.abs(a - e) / Math.max(Math.abs(e), 1e-300);
// float64 kernels against the float64 references: measured ≤ ~1e-15 relative on these few rows;
// 1e-12 is the registry's float64 tolerance; float32 kernels: the registry's f32Tolerance (metrics:
// exact, on data away from ties). Both far below any wrong answer (a stale scratch slot, a skipped
// chunk, a wrong reduction all change the result at the 1e-2 level or more).
let TOL = 1e-12;

function expectGrad(actual: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(actual.length, `${what} length`).toBe(want.length);
  const scale = Math.max(...Array.from(want, Math.abs), 1e-300);
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(actual[i]! - want[i]!) <= TOL * scale)) expect.fail(`${what}[${i}] = ${actual[i]}, reference ${want[i]}`);
  }
}

/** The next valid call through `method` gives the reference (create is checked through an update and result). */
function expectRight(s: Subject, method: Method, valid: Args, right: Right): void {
  const what = `${s.name} ${method} after the error`;
  if (method === 'f') {
    const loss = call(s, 'f', valid, s.base) as number;
    if (!(rel(loss, right.loss) <= TOL)) expect.fail(`${what}: ${loss}, reference ${right.loss}`);
  } else if (method === 'grad' || method === 'withGrad') {
    const out = call(s, method, valid, s.base) as { loss: number; grad: unknown };
    const grad = (method === 'grad' ? out : out.grad) as ArrayLike<number> | Record<string, ArrayLike<number>>;
    if (method === 'withGrad' && !(rel(out.loss, right.loss) <= TOL)) expect.fail(`${what}: loss ${out.loss}, reference ${right.loss}`);
    if (right.grad instanceof Float64Array) expectGrad(grad as ArrayLike<number>, right.grad, what);
    else for (const [k, g] of Object.entries(right.grad!)) expectGrad((grad as Record<string, ArrayLike<number>>)[k]!, g, `${what} ${k}`);
  } else {
    const acc = s.loss.create(s.base);
    acc.update(...valid);
    if (!(rel(acc.result(), right.loss) <= TOL)) expect.fail(`${what}: ${acc.result()}, reference ${right.loss}`);
  }
}

// ---- the kinds of bad argument ----

interface Case {
  what: string;
  methods: readonly Method[];
  /** The arguments (from valid float64 data); default: the valid ones. */
  args?: (valid: Args) => Args;
  /** The options besides the subject's base (merged unless `replace`). */
  opts?: Record<string, unknown>;
  replace?: unknown;
  argument: string;
  contains: readonly string[];
  index?: number;
}

const NON_ARRAYS: readonly unknown[] = [3, 'abc', [0.5, 0.5, 0.5], null, undefined];
const shown = (v: unknown) => show(v);
const withArg = (args: Args, j: number, v: unknown): Args => args.map((a, i) => (i === j ? v : a));
/** The dtype of the valid data of the matrix being run, and the other one. */
let F: Float32ArrayConstructor | Float64ArrayConstructor = Float64Array;
let G: Float32ArrayConstructor | Float64ArrayConstructor = Float32Array;
const flip = (a: Float64Array) => G.from(a);
const resized = (a: Float64Array | Int32Array, by: number) => {
  const b = new (a.constructor as Float64ArrayConstructor)(a.length + by);
  b.set(by < 0 ? a.subarray(0, a.length + by) : a);
  return b;
};
const floatText = 'Float32Array or a Float64Array';

function arrayCases(s: Subject): Case[] {
  const cases: Case[] = [];
  const all = methodsOf(s);
  const grads = all.filter((m) => m === 'grad' || m === 'withGrad');
  for (let j = 0; j < s.args.length; j++) {
    const name = s.args[j]!;
    const expectedType = s.ints.has(j) ? 'Int32Array' : floatText;
    for (const v of NON_ARRAYS) {
      cases.push({
        what: `${name} = ${shown(v)}`,
        methods: all,
        args: (a) => withArg(a, j, v),
        argument: name,
        contains: [expectedType, shown(v)],
      });
    }
    const wrongTypes: unknown[] = s.ints.has(j)
      ? [new Float32Array(1), new F(1), new Uint32Array(1)]
      : [new Int32Array(1), new Uint8Array(1), new Float32Array(1).buffer];
    for (const v of wrongTypes) {
      cases.push({
        what: `${name} a ${show(v)}`,
        methods: all,
        args: (a) => withArg(a, j, v),
        argument: name,
        contains: [expectedType, show(v)],
      });
    }
  }
  // weights: one per example, a float array of pred's dtype.
  for (const v of NON_ARRAYS.filter((x) => x !== undefined)) {
    cases.push({
      what: `weights = ${shown(v)}`,
      methods: all,
      opts: { weights: v },
      argument: 'opts.weights',
      contains: [floatText, shown(v)],
    });
  }
  cases.push({
    what: 'weights an Int32Array',
    methods: all,
    opts: { weights: new Int32Array(ROWS) },
    argument: 'opts.weights',
    contains: [floatText, 'Int32Array'],
  });
  // out: the gradient's array (embedding and three-input losses: an object of them).
  if (s.outKeys[0] !== undefined) {
    for (const v of [3, 'abc', [], new F(ROWS * DIM), null]) {
      cases.push({
        what: `out = ${shown(v)}`,
        methods: grads,
        opts: { out: v },
        argument: 'opts.out',
        contains: ['must be an object', shown(v)],
      });
    }
    cases.push({
      what: 'out with an unknown key',
      methods: grads,
      opts: { out: { c: new F(ROWS * DIM) } },
      argument: 'opts.out.c',
      contains: [s.outKeys.join(', ')],
    });
    for (const key of s.outKeys as string[]) {
      for (const v of [3, [0], new Int32Array(ROWS * DIM)]) {
        cases.push({
          what: `out.${key} = ${shown(v)}`,
          methods: grads,
          opts: { out: { [key]: v } },
          argument: `opts.out.${key}`,
          contains: [floatText, shown(v)],
        });
      }
    }
  } else if (s.grad) {
    for (const v of [3, 'abc', [0.5], null, new Int32Array(ROWS)]) {
      cases.push({ what: `out = ${shown(v)}`, methods: grads, opts: { out: v }, argument: 'opts.out', contains: [floatText, shown(v)] });
    }
  }
  return cases;
}

function mixedAndLengthCases(s: Subject, valid: Args): Case[] {
  const cases: Case[] = [];
  const all = methodsOf(s);
  const grads = all.filter((m) => m === 'grad' || m === 'withGrad');
  const refName = s.args[s.ref]!;
  const refLength = (valid[s.ref] as Float64Array).length;
  const rows = refLength / s.width(s.ref);
  for (let j = 0; j < s.args.length; j++) {
    if (j === s.ref) continue;
    const name = s.args[j]!;
    if (!s.ints.has(j)) {
      cases.push({
        what: `${name} ${G.name}, ${refName} ${F.name}`,
        methods: all,
        args: (a) => withArg(a, j, flip(a[j] as Float64Array)),
        argument: name,
        contains: ['Float32Array', 'Float64Array', 'cannot be mixed'],
      });
    }
    for (const by of [-1, 1]) {
      const len = (valid[j] as Float64Array).length + by;
      cases.push({
        what: `${name} of ${len} elements`,
        methods: all,
        args: (a) => withArg(a, j, resized(a[j] as Float64Array, by)),
        argument: name,
        contains: [`${len} elements`, String(s.width(j) === 1 ? rows : refLength)],
      });
    }
  }
  // The ref argument itself: its length must be a whole number of examples.
  if (s.width(s.ref) > 1) {
    // (a similarity loss's target and pred both lose an element: then only the rows are wrong)
    const argument = s.kind === 'rowwise' ? 'opts.classes' : s.kind === 'similarity' ? 'opts.dim' : refName;
    const resize = (a: Args) =>
      a.map((x, i) =>
        i === s.ref || (s.kind === 'embedding' && i > s.ref) || s.kind === 'similarity' ? resized(x as Float64Array, -1) : x,
      );
    cases.push({
      what: `${refName} not whole rows`,
      methods: all,
      args: resize,
      argument,
      contains: [String(refLength - 1), String(s.kind === 'rowwise' ? C : DIM)],
    });
  }
  cases.push({
    what: `weights ${G.name}`,
    methods: all,
    opts: { weights: new G(rows) },
    argument: 'opts.weights',
    contains: ['Float32Array', 'Float64Array', 'cannot be mixed'],
  });
  for (const by of [-1, 1]) {
    cases.push({
      what: `weights of ${rows + by}`,
      methods: all,
      opts: { weights: new F(rows + by) },
      argument: 'opts.weights',
      contains: [`${rows + by} elements`, String(rows)],
    });
  }
  const outKeys = s.outKeys;
  for (const key of outKeys) {
    const argument = key === undefined ? 'opts.out' : `opts.out.${key}`;
    const out = (v: unknown) => ({ out: key === undefined ? v : { [key]: v } });
    if (!s.grad) {
      // (Row-wise metrics do not take the option at all: refused as unknown.)
      cases.push({ what: 'out on a metric', methods: ['f'], opts: out(new F(refLength)), argument: 'opts.out', contains: [] });
      continue;
    }
    cases.push({
      what: `${argument} ${G.name}`,
      methods: grads,
      opts: out(new G(refLength)),
      argument,
      contains: ['Float32Array', 'Float64Array', 'cannot be mixed'],
    });
    for (const by of [-1, 1]) {
      cases.push({
        what: `${argument} of ${refLength + by}`,
        methods: grads,
        opts: out(new F(refLength + by)),
        argument,
        contains: [`${refLength + by} elements`, String(refLength)],
      });
    }
    cases.push({
      what: `${argument} on f (no gradient)`,
      methods: ['f'],
      opts: out(new F(refLength)),
      argument: 'opts.out',
      contains: ['gradient'],
    });
  }
  return cases;
}

/** opts.out sharing memory with an input at a shifted offset (the input itself is allowed: in place). */
function overlapCases(s: Subject): Case[] {
  if (!s.grad) return [];
  const cases: Case[] = [];
  const grads: Method[] = ['grad', 'withGrad'];
  const outs = s.outKeys;
  for (const key of outs) {
    const argument = key === undefined ? 'opts.out' : `opts.out.${key}`;
    for (let j = 0; j < s.args.length; j++) {
      if (s.ints.has(j) || s.width(j) !== s.width(s.ref)) continue;
      // Input j and the out at one element past it, in one buffer.
      let out: Float32Array | Float64Array | undefined;
      cases.push({
        what: `${argument} overlapping ${s.args[j]} shifted by one`,
        methods: grads,
        argument,
        contains: ['overlaps'],
        args: (a) => {
          const x = a[j] as Float64Array;
          const buffer = new F(x.length + 1);
          buffer.set(x);
          out = buffer.subarray(1);
          return withArg(a, j, buffer.subarray(0, x.length));
        },
        get opts() {
          return { out: key === undefined ? out : { [key]: out } };
        },
      });
    }
  }
  return cases;
}

function domainCases(s: Subject, far: Args): Case[] {
  const cases: Case[] = [];
  const all = methodsOf(s);
  for (const d of s.domains) {
    const name = s.args[d.arg]!;
    const n = ROWS * s.width(d.arg);
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
    // Far into a long input: the index counts from the start of the call, not of the chunk.
    const farAt = FAR_ROWS * s.width(d.arg) - 2;
    const v = d.values[0]!;
    cases.push({
      what: `${name}[${farAt}] = ${show(v)} in ${FAR_ROWS} rows`,
      methods: all,
      argument: name,
      index: farAt,
      contains: [`${name}[${farAt}]`, d.expected, `got ${show(v)}`],
      args: () => withArg(far, d.arg, withElement(far[d.arg] as Float64Array, farAt, v)),
    });
  }
  for (const v of [-1, NaN, Infinity, -Infinity]) {
    for (const at of [0, ROWS - 1]) {
      const w = new F(ROWS).fill(1);
      w[at] = v;
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
  const w = new F(FAR_ROWS).fill(0.5);
  w[FAR_ROWS - 3] = -0.25;
  cases.push({
    what: `weights[${FAR_ROWS - 3}] of ${FAR_ROWS}`,
    methods: all,
    args: () => far,
    opts: { weights: w },
    argument: 'opts.weights',
    index: FAR_ROWS - 3,
    contains: [`[${FAR_ROWS - 3}]`, 'finite number ≥ 0', 'got -0.25'],
  });
  return cases;
}

/** WasmArrays a case allocates, freed after each call. */
const temps: WasmArray[] = [];
const temp = <W extends WasmArray>(w: W): W => {
  temps.push(w);
  return w;
};
const dtypeOf = (a: unknown): Dtype => (a instanceof Int32Array ? 'i32' : a instanceof Float32Array ? 'f32' : 'f64');
/** `a` copied into a WasmArray of its dtype. */
const inWasm = (a: Float32Array | Float64Array | Int32Array): WasmArray => {
  const w = temp(alloc(a.length, dtypeOf(a)));
  w.array.set(a);
  return w;
};

/** Zero copy: WasmArrays of the wrong dtype, freed ones and views of freed ones, bad elements inside WasmArrays, plain views over a WasmArray. */
function zeroCopyCases(s: Subject, far: Args): Case[] {
  const cases: Case[] = [];
  const all = methodsOf(s);
  for (let j = 0; j < s.args.length; j++) {
    const name = s.args[j]!;
    const wrong: Dtype = s.ints.has(j) ? 'f32' : 'i32';
    cases.push({
      what: `${name} a WasmArray of '${wrong}'`,
      methods: all,
      argument: name,
      contains: [s.ints.has(j) ? 'Int32Array' : floatText, `a WasmArray of '${wrong}'`],
      args: (a) => withArg(a, j, temp(alloc((a[j] as Float64Array).length, wrong))),
    });
    cases.push({
      what: `${name} a freed WasmArray`,
      methods: all,
      argument: name,
      contains: ['used after free()'],
      args: (a) => {
        const w = alloc((a[j] as Float64Array).length, dtypeOf(a[j]));
        w.free();
        return withArg(a, j, w);
      },
    });
    cases.push({
      what: `${name} a view of a freed WasmArray`,
      methods: all,
      argument: name,
      contains: ['freed'],
      args: (a) => {
        const w = alloc((a[j] as Float64Array).length, dtypeOf(a[j]));
        const view = w.array;
        w.free();
        return withArg(a, j, view);
      },
    });
  }
  // Bad elements far into WasmArrays: every argument in wasm memory, so one kernel call covers it all.
  for (const d of s.domains) {
    const name = s.args[d.arg]!;
    const at = FAR_ROWS * s.width(d.arg) - 2;
    const v = d.values[d.values.length - 1]!;
    cases.push({
      what: `${name}[${at}] = ${show(v)} in a WasmArray`,
      methods: all,
      argument: name,
      index: at,
      contains: [`${name}[${at}]`, d.expected, `got ${show(v)}`],
      args: () => far.map((x, i) => inWasm(i === d.arg ? withElement(x as Float64Array, at, v) : (x as Float64Array))),
    });
  }
  const w = new F(FAR_ROWS).fill(1);
  w[7] = NaN;
  let weights: WasmArray | undefined;
  cases.push({
    what: 'weights[7] = NaN in a WasmArray',
    methods: all,
    argument: 'opts.weights',
    index: 7,
    contains: ['[7]', 'finite number ≥ 0', 'got NaN'],
    args: () => {
      const args = far.map((x) => inWasm(x as Float64Array));
      weights = inWasm(w);
      return args;
    },
    get opts() {
      return { weights };
    },
  });
  // A plain view over wasm memory (not a WasmArray's own), one element past a WasmArray input, as opts.out.
  if (s.grad) {
    const keys = s.outKeys;
    for (const key of keys) {
      for (let j = 0; j < s.args.length; j++) {
        if (s.ints.has(j) || s.width(j) !== s.width(s.ref)) continue;
        let view: Float32Array | Float64Array | undefined;
        const argument = key === undefined ? 'opts.out' : `opts.out.${key}`;
        cases.push({
          what: `${argument} a plain view one element into WasmArray ${s.args[j]}`,
          methods: ['grad', 'withGrad'],
          argument,
          contains: ['overlaps'],
          args: (a) => {
            const x = a[j] as Float64Array;
            const input = inWasm(x);
            // Its last element lies in the block's padding (blocks are whole 64-byte lines; 6 or 18 values are not).
            view = new F(memory().buffer, input.ptr + F.BYTES_PER_ELEMENT, x.length);
            return withArg(a, j, input);
          },
          get opts() {
            return { out: key === undefined ? view : { [key]: view } };
          },
        });
      }
    }
  }
  return cases;
}

function withElement<A extends Float64Array | Int32Array>(a: A, at: number, v: number): A {
  const b = a.slice() as A;
  b[at] = v;
  return b;
}

/** Bad values for each option a loss takes, by option name (an option name missing here fails the test). */
function optionCases(s: Subject, takes: readonly string[]): Case[] {
  const cases: Case[] = [];
  const all: Method[] = [...methodsOf(s).filter((m) => m !== 'update'), 'create'];
  const oneShot = all.filter((m) => m !== 'create');
  for (const name of takes) {
    const argument = `opts.${name}`;
    const numeric = s.numeric.find((o) => o.name === name);
    if (numeric !== undefined && name === 'k') {
      // k of top-k lies in [1, classes].
      for (const v of [0, C + 1, 2.5, NaN, Infinity, '2', null]) {
        cases.push({ what: `k = ${shown(v)}`, methods: all, opts: { k: v }, argument, contains: [`[1, ${C}]`, `got ${shown(v)}`] });
      }
    } else if (numeric !== undefined) {
      const lo = numeric.min;
      const hi = numeric.max ?? Infinity;
      const values: unknown[] = [numeric.minOpen ? lo : lo - 1, lo - 1e6, NaN, Infinity, -Infinity, '1', null, true];
      if (hi < Infinity) values.push(numeric.maxOpen ? hi : hi + 1, hi + 1e6);
      for (const v of values) {
        cases.push({
          what: `${name} = ${shown(v)}`,
          methods: all,
          opts: { [name]: v },
          argument,
          contains: [describeRange(numeric), `got ${shown(v)}`],
        });
      }
    } else if (name === 'reduction') {
      for (const v of ['avg', 'MEAN', 'Sum', '', 1, null, true]) {
        cases.push({
          what: `reduction = ${shown(v)}`,
          methods: all,
          opts: { reduction: v },
          argument,
          contains: ["'mean'", "'sum'", `got ${shown(v)}`],
        });
      }
      cases.push({
        what: "create reduction 'none'",
        methods: ['create'],
        opts: { reduction: 'none' },
        argument,
        contains: ["'mean' or 'sum'", "got 'none'"],
      });
    } else if (name === 'classes' || name === 'dim') {
      for (const v of [0, -1, 2.5, NaN, Infinity, '3', null, undefined]) {
        cases.push({
          what: `${name} = ${shown(v)}`,
          methods: all,
          opts: { [name]: v },
          argument,
          contains: ['integer ≥ 1', `got ${shown(v)}`],
        });
      }
    } else if (name === 'accuracy') {
      for (const v of [1, 'yes', null])
        cases.push({
          what: `accuracy = ${shown(v)}`,
          methods: oneShot,
          opts: { accuracy: v },
          argument,
          contains: ['true or false', `got ${shown(v)}`],
        });
      cases.push({
        what: 'accuracy on f',
        methods: oneShot.filter((m) => m !== 'withGrad'),
        opts: { accuracy: true },
        argument,
        contains: ['withGrad'],
      });
      cases.push({ what: 'accuracy on create', methods: ['create'], opts: { accuracy: true }, argument, contains: [] });
    } else if (['fromLogits', 'squared', 'swap', 'logInput', 'full', 'logTarget'].includes(name)) {
      for (const v of [1, 'yes', null])
        cases.push({
          what: `${name} = ${shown(v)}`,
          methods: all,
          opts: { [name]: v },
          argument,
          contains: ['true or false', `got ${shown(v)}`],
        });
    } else if (name === 'ignoreIndex') {
      for (const v of [1.5, NaN, Infinity, '1', null, 2 ** 31, -(2 ** 31) - 1]) {
        cases.push({
          what: `ignoreIndex = ${shown(v)}`,
          methods: all,
          opts: { ignoreIndex: v },
          argument,
          contains: ['integer in [-2147483648, 2147483647]', `got ${shown(v)}`],
        });
      }
    } else if (name === 'classWeights') {
      for (const v of ['x', 3, new Int32Array(C), { length: C }]) {
        cases.push({
          what: `classWeights = ${shown(v)}`,
          methods: all,
          opts: { classWeights: v },
          argument,
          contains: ['array of numbers', `got ${shown(v)}`],
        });
      }
      for (const len of [C - 1, C + 1]) {
        cases.push({
          what: `classWeights of ${len}`,
          methods: all,
          opts: { classWeights: new Array(len).fill(1) },
          argument,
          contains: [`${len} elements`, `opts.classes is ${C}`],
        });
      }
      for (const [at, v] of [
        [0, -1],
        [1, NaN],
        [C - 1, Infinity],
        [1, '1'],
      ] as const) {
        const cw: unknown[] = new Array(C).fill(1);
        cw[at] = v;
        cases.push({
          what: `classWeights[${at}] = ${shown(v)}`,
          methods: all,
          opts: { classWeights: cw },
          argument,
          index: at,
          contains: [`[${at}]`, 'finite number ≥ 0', `got ${shown(v)}`],
        });
      }
    } else if (name === 'weights' || name === 'out') {
      // Their own kinds (arrays) above; on an accumulator they are refused by name.
      cases.push({
        what: `${name} on create`,
        methods: ['create'],
        opts: { [name]: new Float64Array(ROWS) },
        argument,
        contains: ['not an accumulator option'],
      });
    } else {
      expect.fail(`${s.name}: option '${name}' has no bad values in this matrix: add them`);
    }
  }
  // Unknown names: a typo of a common option and of each of the loss's own, refused by name.
  const own = takes.filter((n) => !['reduction', 'weights', 'out'].includes(n));
  for (const typo of [
    'reduciton',
    'weight',
    'Reduction',
    ...own.map((n) => n[0]!.toUpperCase() + n.slice(1)),
    ...own.map((n) => `${n}s`),
  ]) {
    cases.push({
      what: `unknown option '${typo}'`,
      methods: all,
      opts: { [typo]: 1 },
      argument: `opts.${typo}`,
      contains: [`unknown option '${typo}'`, 'reduction'],
    });
  }
  // Not an object at all.
  for (const v of ['mean', 5, true]) {
    cases.push({
      what: `opts = ${shown(v)}`,
      methods: all,
      replace: v,
      argument: 'opts',
      contains: ['opts must be an object', `got ${shown(v)}`],
    });
  }
  return cases;
}

/** The option names a loss takes, as it lists them when refusing an unknown one. */
function optionNames(s: Subject, valid: Args): string[] {
  let message = '';
  try {
    s.loss(...valid, { ...s.base, notAnOption: 1 });
  } catch (e) {
    message = (e as Error).message;
  }
  const list = /this loss takes: (.*)\)$/.exec(message);
  expect(list, `${s.name} lists its options: ${message}`).not.toBeNull();
  return list![1]!.split(', ');
}

// ---- the matrix ----

let total = 0;
const kinds = [
  'not an array / wrong type',
  'mixed dtypes and lengths',
  'out overlapping an input',
  'elements out of domain',
  'options',
  'zero copy',
] as const;

describe.each(
  subjects.flatMap(
    (s) =>
      [
        [s.name, 'float64', s, false],
        [s.name, 'float32', s, true],
      ] as const,
  ),
)('%s %s', (_, __, s, f32) => {
  const valid = s.data(ROWS, 1, f32);
  const far = s.data(FAR_ROWS, 2, f32);
  let right: Right;
  const dtype = () => {
    F = f32 ? Float32Array : Float64Array;
    G = f32 ? Float64Array : Float32Array;
    TOL = f32 ? s.f32Tolerance : 1e-12;
  };
  beforeAll(() => {
    right = s.reference(valid, f32);
  });

  test.each(kinds)('%s', (kind) => {
    dtype();
    const cases =
      kind === kinds[0]
        ? arrayCases(s)
        : kind === kinds[1]
          ? mixedAndLengthCases(s, valid)
          : kind === kinds[2]
            ? overlapCases(s)
            : kind === kinds[3]
              ? domainCases(s, far)
              : kind === kinds[4]
                ? optionCases(s, optionNames(s, valid))
                : zeroCopyCases(s, far);
    if (kind !== kinds[2] || s.grad) expect(cases.length).toBeGreaterThan(0);
    const allowed = new Set<Method>([...methodsOf(s), 'create']);
    for (const c of cases) {
      for (const method of c.methods.filter((m) => allowed.has(m))) {
        const args = c.args ? c.args(valid) : valid;
        const opts = c.replace !== undefined ? c.replace : { ...s.base, ...c.opts };
        const fn = method === 'f' ? s.name : `${s.name}.${method}`;
        const argument = method === 'update' ? c.argument.replace(/^opts\.weights/, 'weights') : c.argument;
        if (method === 'update' && (c.replace !== undefined || Object.keys(c.opts ?? {}).some((k) => k !== 'weights'))) continue; // create's options: the create cases
        if (method === 'update') {
          // A failed update leaves the accumulator as it was.
          const acc = s.loss.create(s.base);
          acc.update(...valid);
          const before = JSON.stringify(acc.toJSON());
          const { weights } = (c.opts ?? {}) as { weights?: unknown };
          refused(() => acc.update(...args, ...(weights === undefined ? [] : [weights])), fn, argument, c.contains, c.index);
          expect(JSON.stringify(acc.toJSON()), `${fn} ${c.what}: state unchanged`).toBe(before);
        } else {
          refused(() => call(s, method, args, opts), fn, argument, c.contains, c.index);
        }
        total++;
        for (const t of temps.splice(0)) t.free();
        expectRight(s, method, valid, right);
      }
    }
  });

  test('update: one argument past the weights is refused, naming the arguments it takes', () => {
    dtype();
    const acc = s.loss.create(s.base);
    const weights = new F(ROWS).fill(1);
    const fn = `${s.name}.update`;
    const message = `${fn}: takes (${s.args.join(', ')}, weights?); got ${s.args.length + 2} arguments`;
    refused(() => acc.update(...valid, weights, valid[0]), fn, 'arguments', [message], undefined);
  });

  test('allowed: opts.out may be the prediction itself (in place), and gives the reference gradient', () => {
    dtype();
    if (!s.grad) return;
    const args = valid.map((a) => (a as Float64Array).slice());
    const keys = s.outKeys;
    const out = keys[0] === undefined ? args[s.ref] : Object.fromEntries(keys.map((k, j) => [k!, args[s.ref + j]]));
    const grad = s.loss.grad(...args, { ...s.base, out });
    if (keys[0] === undefined) {
      expect(grad).toBe(args[s.ref]);
      expectGrad(grad, right.grad as Float64Array, `${s.name} in place`);
    } else {
      for (const [j, k] of keys.entries()) {
        expect(grad[k!]).toBe(args[s.ref + j]);
        expectGrad(grad[k!], (right.grad as Record<string, Float64Array>)[k!]!, `${s.name} in place ${k}`);
      }
    }
  });
});

describe('views over wasm memory that are not WasmArrays', () => {
  test('an ordinary view as opts.out, shifted against a WasmArray input, is refused (it used to give a wrong gradient at chunk edges)', () => {
    const n = 20_000;
    const y = new Float32Array(n);
    const p = alloc(n + 1, 'f32');
    const want = Float32Array.from({ length: n }, (_, i) => (2 * ((i % 7) - 3)) / n);
    // Two ordinary views (not WasmArrays) of one block, one element apart.
    refused(
      () => api.mse.grad(y, p.array.subarray(0, n), { out: new Float32Array(memory().buffer, p.ptr + 4, n) }),
      'mse.grad',
      'opts.out',
      ['overlaps'],
      undefined,
    );
    // A WasmArray and an ordinary view of its block, one element apart. (Views are taken after the
    // last alloc: an alloc may grow memory and detach them.)
    const x = alloc(n, 'f32');
    for (let i = 0; i < n; i++) x.array[i] = (i % 7) - 3;
    const shiftedX = new Float32Array(memory().buffer, x.ptr + 4, n);
    refused(() => api.mse.grad(y, x, { out: shiftedX }), 'mse.grad', 'opts.out', ['overlaps'], undefined);
    refused(
      () => api.softmaxCrossEntropy.grad(new Float32Array(n), x, { classes: 4, out: shiftedX }),
      'softmaxCrossEntropy.grad',
      'opts.out',
      ['overlaps'],
      undefined,
    );
    refused(
      () => api.triplet.grad(x, new Float32Array(n), new Float32Array(n), { dim: 4, out: { positive: shiftedX } }),
      'triplet.grad',
      'opts.out.positive',
      ['overlaps'],
      undefined,
    );
    // The same view at the same offset is the input itself: allowed, in place.
    const inPlace = new Float32Array(memory().buffer, x.ptr, n);
    const g = api.mse.grad(y, x, { out: inPlace });
    for (let i = 0; i < n; i++)
      if (Math.abs(g[i]! - want[i]!) > 3e-7 * Math.abs(want[i]!)) expect.fail(`in place [${i}] = ${g[i]}, want ${want[i]}`);
    p.free();
    x.free();
  });
});

test('matrix size (printed for docs/reliability.md)', () => {
  // Runs last in this file: the count of (export, method, bad argument) calls refused above.
  expect(total).toBeGreaterThan(10_000);
  console.log(
    `bad-input matrix: ${subjects.length} exports × 2 dtypes, ${total} refused calls, each followed by a valid call checked against the reference`,
  );
});
