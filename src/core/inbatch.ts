/**
 * The in-batch family (infoNCE, ntXent): two batches of n rows of `dim` values, every row against
 * every row of the batch, so that the whole batch must be in wasm memory at once (not chunk by
 * chunk through the scratch slots): one temporary block holds the kernel's workspace and whatever
 * argument is not a WasmArray already. No weights: a row's negatives are the other rows, so a
 * weight per row has no single meaning. Accumulators keep the mean of the batches' losses.
 */
import { MODE_GRAD, MODE_LOSSES, R_SUM } from './abi.js';
import {
  type BooleanOption,
  checkOptionNames,
  type FloatArray,
  floatArray,
  MEAN,
  NONE,
  type NumericOption,
  numericOption,
  reductionOf,
  wasmPointer,
} from './args.js';
import { GRAD, LOSS, type Opts, reduced, SUMS, scaleOf, wire } from './call.js';
import type { F32, F64 } from './elementwise.js';
import { SimdlossError, show } from './errors.js';
import { KernelPair } from './kernels.js';
import { alloc, rederive } from './memory.js';
import { accumulatorReduction, booleanOption, NEEDS_DIM, optionsObject, outObject, type Resolved, refuseCallOptions } from './options.js';
import { shares } from './overlap.js';
import { copyIn, copyOut } from './staging.js';
import type { AccumulatorBase, AccumulatorState, Sums } from './stream.js';
import { bytesOf } from './typed.js';
import { ready, views, wasm } from './wasm.js';

export interface InbatchSpec {
  /** Public name, used in every message. */
  name: string;
  /** Export prefix of the kernel pair in wasm. */
  kernel: string;
  /** The names of the two inputs, in argument order: also the keys of the gradient. */
  inputs: readonly [string, string];
  /** The loss's numeric options (temperature). */
  options: readonly NumericOption[];
  /** Its boolean options, each with the kernel's mode bit. */
  flags: readonly (BooleanOption & { bit: number })[];
  /** Losses per pair of rows: infoNCE one (row i), ntXent two (a's rows, then b's). */
  rowsPerPair: 1 | 2;
}

interface Family {
  spec: InbatchSpec;
  optionNames: readonly string[];
  kernels: KernelPair;
  workspace: KernelPair;
}

/** What a call's options come to. */
interface Parsed {
  dim: number;
  values: number[];
  mode: number;
}

export function inbatch<L>(spec: InbatchSpec): L {
  const family: Family = {
    spec,
    optionNames: ['dim', 'reduction', 'out', ...spec.options.map((o) => o.name), ...spec.flags.map((f) => f.name)],
    kernels: new KernelPair(spec.kernel),
    workspace: new KernelPair('inbatchWorkspace'),
  };
  return wire<L, Family>({
    name: spec.name,
    options: spec.options,
    arrays: 2,
    updateArguments: spec.inputs.join(', '),
    grad: true,
    pass,
    family,
    resolve: (fn, opts) => resolve(family, fn, opts),
  });
}

function parse(family: Family, fn: string, o: Record<string, unknown>): Parsed {
  const dim = o.dim;
  if (!(typeof dim === 'number' && Number.isSafeInteger(dim) && dim >= 1)) {
    throw new SimdlossError(`${fn}: opts.dim (values per row) is required: an integer ≥ 1; got ${show(dim)}`, 'opts.dim');
  }
  const values = family.spec.options.map((x) => numericOption(fn, x, o[x.name]));
  let mode = 0;
  for (const flag of family.spec.flags) {
    const v = o[flag.name];
    if (v === undefined ? flag.default : booleanOption(fn, flag.name, v)) mode |= flag.bit;
  }
  return { dim, values, mode };
}

function noWeights(fn: string, name: string, argument: string): SimdlossError {
  return new SimdlossError(
    `${fn}: ${name} takes no weights (each row's negatives are the other rows of the batch: a weight per row has no one meaning)`,
    argument,
  );
}

/** create(): the options, as the JSON an accumulator keeps. */
function resolve(family: Family, fn: string, opts: unknown): Resolved {
  const { spec } = family;
  const o = opts === undefined || opts === null ? {} : optionsObject(fn, opts, NEEDS_DIM)!;
  refuseCallOptions(fn, o, ['weights', 'out'], spec.inputs.join(', '));
  checkOptionNames(
    fn,
    o,
    // Stryker disable next-line MethodExpression,StringLiteral: refuseCallOptions has refused out already
    family.optionNames.filter((x) => x !== 'out'),
  );
  const c = parse(family, fn, o);
  const resolved: Resolved = { reduction: accumulatorReduction(fn, o.reduction, 'row') };
  resolved.dim = c.dim;
  spec.options.forEach((x, j) => {
    resolved[x.name] = c.values[j]!;
  });
  for (const flag of spec.flags) resolved[flag.name] = (c.mode & flag.bit) !== 0;
  return resolved;
}

/** One call under way: the two inputs and gradients (wasm pointers, -1 for ordinary arrays). */
interface Batch {
  fn: string;
  xs: [FloatArray, FloatArray];
  zx: [number, number];
  /** The gradients opts.out gives (undefined: new arrays) and their pointers. */
  outs: [FloatArray | undefined, FloatArray | undefined];
  zo: [number, number];
  /** The arguments as given: the two inputs, then opts.out's two (undefined where not given), each read once. */
  given: [unknown, unknown, unknown, unknown];
  n: number;
  dim: number;
}

function pass(family: Family, fn: string, want: number, first: unknown, second: unknown, opts: Opts): unknown {
  ready();
  views();
  const { spec } = family;
  const o = optionsObject(fn, opts, NEEDS_DIM) ?? {};
  if (o.weights !== undefined) throw noWeights(fn, spec.name, 'opts.weights');
  const { weights: _w, ...named } = o;
  checkOptionNames(fn, named, family.optionNames);
  const c = parse(family, fn, o);
  const reduction = reductionOf(fn, o.reduction);
  if (o.out !== undefined && !(want & GRAD)) {
    throw new SimdlossError(`${fn}: opts.out is for the gradients; ${spec.name}() returns none`, 'opts.out');
  }
  const b = batchOf(family, fn, want, c.dim, first, second, o.out);
  const before = wasm.buffer;
  const rows = spec.rowsPerPair * b.n;
  const bytes = bytesOf(b.xs[0]);
  const f32 = bytes === 4;
  const keep = (want & LOSS) !== 0 && reduction === NONE;
  const staged = [b.zx[0] < 0, b.zx[1] < 0, want & GRAD && b.zo[0] < 0, want & GRAD && b.zo[1] < 0];
  const inputBytes = b.n * c.dim * bytes;
  const size = family.workspace.of(f32)(b.n, c.dim) + staged.filter(Boolean).length * (inputBytes + 16) + (keep ? rows * bytes + 16 : 0);
  const block = alloc(Math.ceil(size / 8), 'f64');
  try {
    if (wasm.buffer !== before) rederived(family, fn, b, before);
    return run(family, want, reduction, c, b, block.ptr, staged, keep, rows);
  } finally {
    block.free();
  }
}

/** The inputs checked against each other and dim, and the gradients opts.out gives. */
function batchOf(family: Family, fn: string, want: number, dim: number, first: unknown, second: unknown, out: unknown): Batch {
  const [na, nb] = family.spec.inputs;
  const a = floatArray(fn, na, first);
  if (a.length % dim !== 0) throw new SimdlossError(`${fn}: ${na} has ${a.length} elements, not a multiple of opts.dim = ${dim}`, na);
  const b = floatArray(fn, nb, second);
  if (a instanceof Float32Array !== b instanceof Float32Array) {
    throw new SimdlossError(
      `${fn}: ${nb} is a ${b.constructor.name} but ${na} is a ${a.constructor.name}: float32 and float64 cannot be mixed`,
      nb,
    );
  }
  if (b.length !== a.length) {
    throw new SimdlossError(
      `${fn}: ${nb} has ${b.length} elements but ${na} has ${a.length} (${a.length / dim} rows of opts.dim = ${dim}): one row of ${nb} per row of ${na}`,
      nb,
    );
  }
  const batch: Batch = {
    fn,
    xs: [a, b],
    zx: [wasmPointer(fn, na, first), wasmPointer(fn, nb, second)],
    outs: [undefined, undefined],
    zo: [-1, -1],
    given: [first, second, undefined, undefined],
    n: a.length / dim,
    dim,
  };
  if (want & GRAD) outputs(family, batch, out);
  return batch;
}

/** opts.out's arrays: of the inputs' dtype and length; each may be an input (every input is read first), not the other output. */
function outputs(family: Family, b: Batch, outArg: unknown): void {
  const { inputs } = family.spec;
  const out = outObject(b.fn, outArg, inputs);
  if (out === undefined) return;
  for (let j = 0; j < 2; j++) {
    const o = out[inputs[j]!];
    if (o === undefined) continue;
    const what = `opts.out.${inputs[j]}`;
    const g = floatArray(b.fn, what, o);
    if (g instanceof Float32Array !== b.xs[0] instanceof Float32Array || g.length !== b.xs[0].length) {
      throw new SimdlossError(
        `${b.fn}: ${what} must be a ${b.xs[0].constructor.name} of ${b.xs[0].length} elements, as ${inputs[j]}; got a ${g.constructor.name} of ${g.length}`,
        what,
      );
    }
    b.outs[j] = g;
    b.zo[j] = wasmPointer(b.fn, what, o);
    b.given[2 + j] = o;
  }
  if (b.outs[0] !== undefined && b.outs[1] !== undefined && shares(b.outs[1], b.zo[1], b.outs[0], b.zo[0], false)) {
    throw new SimdlossError(
      `${b.fn}: opts.out.${inputs[1]} overlaps opts.out.${inputs[0]} (the two gradients need arrays of their own)`,
      `opts.out.${inputs[1]}`,
    );
  }
}

/**
 * After alloc grew memory: the gradients' WasmArrays' views are taken again; a view of wasm memory
 * that is not a WasmArray's died with the growth, which is said plainly.
 */
function rederived(family: Family, fn: string, b: Batch, before: ArrayBuffer): void {
  const { inputs } = family.spec;
  const names = [inputs[0], inputs[1], `opts.out.${inputs[0]}`, `opts.out.${inputs[1]}`];
  b.given.forEach((x, j) => {
    if (x === undefined) return;
    const again = floatArray(fn, names[j]!, rederive(x));
    if (again.buffer === before) {
      throw new SimdlossError(
        `${fn}: ${names[j]} is a view of wasm memory that this call detached: memory grew for the batch's workspace; ` +
          'pass the WasmArray itself (or its .array), or an ordinary array',
        names[j],
      );
    }
    // an input in wasm memory is read through its pointer (its old view only tells the dtype), an
    // ordinary one does not move; a gradient's view is what the call returns
    if (j >= 2) b.outs[j - 2] = again;
  });
}

function run(
  family: Family,
  want: number,
  reduction: number,
  c: Parsed,
  b: Batch,
  base: number,
  staged: unknown[],
  keep: boolean,
  rows: number,
) {
  const { n, dim, xs, zx, zo } = b;
  const f32 = xs[0] instanceof Float32Array;
  const bytes = bytesOf(xs[0]);
  const inputBytes = n * dim * bytes;
  let at = base;
  const take = (k: number) => {
    const p = at;
    at += Math.ceil(k / 16) * 16;
    return p;
  };
  const pa = staged[0] ? copyIn(xs[0], take(inputBytes), 0, n * dim) : zx[0];
  const pb = staged[1] ? copyIn(xs[1], take(inputBytes), 0, n * dim) : zx[1];
  const grad = (want & GRAD) !== 0;
  const ga = grad ? (staged[2] ? take(inputBytes) : zo[0]) : 0;
  const gb = grad ? (staged[3] ? take(inputBytes) : zo[1]) : 0;
  const lo = keep ? take(rows * bytes) : 0;
  const work = take(0);
  const scale = want === SUMS ? 1 : scaleOf(reduction, rows);
  const mode = (grad ? MODE_GRAD : 0) | (keep ? MODE_LOSSES : 0) | c.mode;
  family.kernels.of(f32)(n, dim, pa, pb, lo, ga, gb, work, scale, 1 / c.values[0]!, mode);
  views();
  const sum = wasm.f64[wasm.result + R_SUM]!;
  if (want === SUMS) {
    const mean = rows > 0 ? sum / rows : 0;
    return { sum: reduction === MEAN ? mean : sum, weight: rows > 0 ? 1 : 0, count: rows } satisfies Sums;
  }
  const losses = keep ? (f32 ? new Float32Array(rows) : new Float64Array(rows)) : undefined;
  if (losses !== undefined) copyOut(losses, lo, 0, rows);
  const loss = reduced(want, reduction, sum, rows, rows, losses);
  if (!grad) return loss;
  const made = (j: number, p: number) => {
    if (!staged[2 + j]) return b.outs[j]!;
    const g = b.outs[j] ?? (f32 ? new Float32Array(n * dim) : new Float64Array(n * dim));
    copyOut(g, p, 0, n * dim);
    return g;
  };
  const [na, nb] = family.spec.inputs;
  const named = { [na]: made(0, ga), [nb]: made(1, gb) };
  return want === GRAD ? named : { loss, grad: named };
}

/** The common options of an in-batch loss that returns a number. */
export interface InbatchReduceOptions {
  /** Values per row (required; must divide the length of both inputs). */
  dim: number;
  /**
   * 'mean': the mean over rows (infoNCE: n, ntXent: 2n), 0 over none; 'sum': the sum.
   * @defaultValue 'mean'
   */
  reduction?: 'mean' | 'sum';
}
/** The common options of an in-batch loss with `reduction: 'none'`: one loss per row. */
export interface InbatchNoneOptions {
  /** Values per row (required; must divide the length of both inputs). */
  dim: number;
  /** Returns one loss per row (infoNCE: n; ntXent: 2n, a's rows then b's), of the inputs' dtype. */
  reduction: 'none';
}
/** The common options of `grad` and `withGrad` of an in-batch loss; `K` names its gradients. */
export interface InbatchGradOptions<In, K extends string> {
  /** Values per row (required; must divide the length of both inputs). */
  dim: number;
  /**
   * The loss the gradients are of: 'mean' (over rows), 'sum', or 'none' (the gradients of the sum
   * of the per-row losses).
   * @defaultValue 'mean'
   */
  reduction?: 'mean' | 'sum' | 'none';
  /** Arrays that receive the gradients (each optional, same dtype and length as its input; an input itself is allowed) and are returned. */
  out?: { [key in K]?: In };
}
type Grads<K extends string, A> = { [key in K]: A };

/** infoNCE / ntXent: (a, b, opts), two batches of n rows; `K` names the two inputs and gradients. */
export interface InbatchLoss<O, K extends string> {
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float32 arrays. */
  (a: F32, b: F32, opts: O & InbatchReduceOptions): number;
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float64 arrays. */
  (a: F64, b: F64, opts: O & InbatchReduceOptions): number;
  /** One loss per row (`reduction: 'none'`), from float32 arrays: a float32 result. */
  (a: F32, b: F32, opts: O & InbatchNoneOptions): Float32Array;
  /** One loss per row (`reduction: 'none'`), from float64 arrays: a float64 result. */
  (a: F64, b: F64, opts: O & InbatchNoneOptions): Float64Array;
  /** The reduced loss from float32 or float64 arrays (either, for code written over both). */
  (a: F32 | F64, b: F32 | F64, opts: O & InbatchReduceOptions): number;
  /** One loss per row from float32 or float64 arrays (either, for code written over both). */
  (a: F32 | F64, b: F32 | F64, opts: O & InbatchNoneOptions): FloatArray;
  /** The gradient with respect to each input, from float32 arrays: a float32 result. */
  grad(a: F32, b: F32, opts: O & InbatchGradOptions<F32, K>): Grads<K, Float32Array>;
  /** The gradient with respect to each input, from float64 arrays: a float64 result. */
  grad(a: F64, b: F64, opts: O & InbatchGradOptions<F64, K>): Grads<K, Float64Array>;
  /** The gradient with respect to each input, from float32 or float64 arrays. */
  grad(a: F32 | F64, b: F32 | F64, opts: O & InbatchGradOptions<F32 | F64, K>): Grads<K, FloatArray>;
  /** The reduced loss and both gradients from one pass, float32. */
  withGrad(
    a: F32,
    b: F32,
    opts: O & InbatchGradOptions<F32, K> & { reduction?: 'mean' | 'sum' },
  ): { loss: number; grad: Grads<K, Float32Array> };
  /** The reduced loss and both gradients from one pass, float64. */
  withGrad(
    a: F64,
    b: F64,
    opts: O & InbatchGradOptions<F64, K> & { reduction?: 'mean' | 'sum' },
  ): { loss: number; grad: Grads<K, Float64Array> };
  /** Per-row losses and the gradients of their sum from one pass, float32. */
  withGrad(
    a: F32,
    b: F32,
    opts: O & InbatchGradOptions<F32, K> & { reduction: 'none' },
  ): { loss: Float32Array; grad: Grads<K, Float32Array> };
  /** Per-row losses and the gradients of their sum from one pass, float64. */
  withGrad(
    a: F64,
    b: F64,
    opts: O & InbatchGradOptions<F64, K> & { reduction: 'none' },
  ): { loss: Float64Array; grad: Grads<K, Float64Array> };
  /** Loss and gradients from one pass, float32 or float64 arrays (either, for code written over both). */
  withGrad(
    a: F32 | F64,
    b: F32 | F64,
    opts: O & InbatchGradOptions<F32 | F64, K>,
  ): { loss: number | FloatArray; grad: Grads<K, FloatArray> };
  /**
   * An accumulator of batch losses with these options fixed (opts.dim required): 'mean' gives the
   * mean of the batches' mean losses, 'sum' the sum of their summed losses.
   */
  create(opts: O & { dim: number; reduction?: 'mean' | 'sum' }): InbatchAccumulator;
  /** Restores an accumulator from its toJSON() state (or that state's JSON text). */
  fromJSON(state: AccumulatorState | string): InbatchAccumulator;
  /** The name it is exported under. */
  readonly lossName: string;
  /** Its own numeric options with their defaults and ranges (besides dim and reduction). */
  readonly options: readonly NumericOption[];
}

/** An accumulator of an in-batch loss: one batch (two arrays of n rows) per update, no weights. */
export interface InbatchAccumulator extends AccumulatorBase {
  /** Adds one batch of float32 arrays; returns the accumulator. */
  update(a: F32, b: F32): this;
  /** Adds one batch of float64 arrays; returns the accumulator. */
  update(a: F64, b: F64): this;
  /** Adds one batch of float32 or float64 arrays; returns the accumulator. */
  update(a: F32 | F64, b: F32 | F64): this;
}
