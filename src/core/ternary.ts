/**
 * The three-input elementwise family: an example is one element of the target and of two inputs
 * (gaussianNLL's mean and variance, marginRanking's x1 and x2), each input with its own gradient.
 * `.grad` and `.withGrad` return the two gradients by input name. The call path is call.ts's; this
 * file holds the option set, the kernel's arguments and its errors.
 */
import {
  ARGUMENT_PRED,
  ARGUMENT_SECOND,
  ARGUMENT_TARGET,
  GRAD_SLOTS,
  IN_SLOTS,
  MODE_GRAD,
  MODE_LOSSES,
  MODE_WEIGHTED,
  R_ARGUMENT_I32,
  R_SUM,
  SLOT,
  SLOT_BYTES,
} from './abi.js';
import {
  type BooleanOption,
  checkOptionNames,
  type FloatArray,
  floatArray,
  like,
  MEAN,
  NONE,
  type NumericOption,
  numericOption,
  reductionOf,
  wasmPointer,
} from './args.js';
import { GRAD, LOSS, type Opts, reduced, SUMS, scaleOf, wire } from './call.js';
import { SimdlossError, show } from './errors.js';
import { KernelPair } from './kernels.js';
import { booleanOption, optionsObject, outObject, resolveNumeric } from './options.js';
import { overlapsShifted, shares } from './overlap.js';
import { keysOf, sameOptions } from './plan.js';
import { chunkAt, slotAt, stageOut } from './staging.js';
import { bytesOf } from './typed.js';
import { chunkOf, ready, views, wasm } from './wasm.js';
import { weightSum } from './weights.js';

export interface TernarySpec {
  /** Public name, used in every message. */
  name: string;
  /** Export prefix of the kernel pair in wasm (`${kernel}_f32`, `${kernel}_f64`). */
  kernel: string;
  /** The names of the two inputs after the target, in argument order: also the keys of the gradient. */
  inputs: readonly [string, string];
  /** The loss's own numeric options. */
  options: readonly NumericOption[];
  /** Its boolean options, which `params` turns into numbers for the kernel. */
  flags: readonly BooleanOption[];
  /** The kernel's two scalar parameters from the option values and the flags, each in spec order. */
  params(values: readonly number[], flags: readonly boolean[]): readonly [number, number];
  /** What an element of an argument with a domain must be, by argument name (checked inside the kernel). */
  domain: Readonly<Record<string, string>>;
}

/** A loss of this family: its spec and what its calls reuse. */
interface Family {
  spec: TernarySpec;
  optionNames: readonly string[];
  /** A call without opts: the default reduction and the kernel's parameters for the default options. */
  noOptions: Readonly<Plan>;
  kernels: KernelPair;
  /** The argument code the kernel leaves at RESULT_ARGUMENT → the argument's name. */
  arguments: Readonly<Record<number, string>>;
  /** The call under way, refilled by every call (no caller's code runs during one), emptied after it. */
  batch: Batch;
  /** What the last call parsed out of its options object. */
  plan: Plan;
}

/** The scalar options parsed out of one options object (see plan.ts; the arrays in it are checked on every call). */
interface Plan {
  /** The object, undefined before the first call with options. */
  opts: object | undefined;
  keys: readonly string[];
  /** The values read: reduction, then the loss's own options in optionNames order. */
  read: readonly unknown[];
  reduction: number;
  params: readonly [number, number];
}

/** Where the loss's own options start in optionNames (after reduction, weights, out). */
const OWN_OPTIONS_AT = 3;

export function ternary<L>(spec: TernarySpec): L {
  const [a, b] = spec.inputs;
  const arrays = `target, ${a}, ${b}`;
  const defaults = spec.params(
    spec.options.map((o) => o.default),
    spec.flags.map((f) => f.default),
  );
  const family: Family = {
    spec,
    optionNames: ['reduction', 'weights', 'out', ...spec.options.map((o) => o.name), ...spec.flags.map((f) => f.name)],
    // Stryker disable next-line ArrayDeclaration: only the reduction and params of noOptions are read
    noOptions: { opts: NO_OPTIONS, keys: [], read: [], reduction: MEAN, params: defaults },
    kernels: new KernelPair(spec.kernel),
    arguments: { [ARGUMENT_TARGET]: 'target', [ARGUMENT_PRED]: a, [ARGUMENT_SECOND]: b },
    // Stryker disable next-line StringLiteral,UnaryOperator: every call writes each field before reading it
    batch: { fn: '', y: EMPTY, zy: -1, xs: [EMPTY, EMPTY], zx: [-1, -1], grads: [EMPTY, EMPTY], zg: [-1, -1], w: undefined, zw: -1 },
    // Stryker disable next-line ArrayDeclaration: a plan whose opts is undefined never matches an options object
    plan: { opts: undefined, keys: [], read: [], reduction: MEAN, params: defaults },
  };
  return wire<L, Family>({
    name: spec.name,
    options: spec.options,
    arrays: 3,
    updateArguments: arrays,
    grad: true,
    pass,
    family,
    shape: { kind: 'ternary', inputs: spec.inputs },
    resolve: (fn, opts) => resolveNumeric(fn, opts, spec.options, spec.flags, arrays),
  });
}

/**
 * The reduction and the loss's own options of a call, each read once and checked, and the plan made
 * from what was read (not for an accumulator's batches: each is a new object). create's options go
 * through resolveNumeric.
 */
function parse(family: Family, fn: string, want: number, o: Record<string, unknown>): Plan {
  const { spec, optionNames } = family;
  const read: unknown[] = [o.reduction];
  for (let j = OWN_OPTIONS_AT; j < optionNames.length; j++) read.push(o[optionNames[j]!]);
  const reduction = reductionOf(fn, read[0]);
  const values = spec.options.map((x, j) => numericOption(fn, x, read[1 + j]));
  const flags = spec.flags.map((x, j) => {
    const value = read[1 + spec.options.length + j];
    return value === undefined ? x.default : booleanOption(fn, x.name, value);
  });
  const params = spec.params(values, flags);
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArrayDeclaration: a plan missing or made from a batch's new object only parses again
  if (want === SUMS) return { opts: undefined, keys: [], read, reduction, params };
  family.plan = { opts: o, keys: keysOf(o), read, reduction, params };
  return family.plan;
}

/** One call under way: the arrays (wasm pointers: -1 for ordinary arrays) and the gradients. */
interface Batch {
  fn: string;
  y: FloatArray;
  zy: number;
  /** The two inputs, in argument order, and their gradients. */
  xs: [FloatArray, FloatArray];
  zx: [number, number];
  grads: [FloatArray, FloatArray];
  zg: [number, number];
  w: FloatArray | undefined;
  zw: number;
}

const EMPTY = new Float32Array(0);
/** The options of a call without opts: nothing read from it is there. */
const NO_OPTIONS: Record<string, unknown> = Object.freeze({});

function pass(family: Family, fn: string, want: number, target: unknown, first: unknown, opts: Opts, second?: unknown): unknown {
  ready();
  views();
  const [na, nb] = family.spec.inputs;
  const a = floatArray(fn, na, first);
  const y = like(fn, 'target', target, a, na);
  const b = like(fn, nb, second, a, na);
  const o = optionsObject(fn, opts) ?? NO_OPTIONS;
  const plan = family.plan;
  // (reduction is a string: no -0 to tell from 0)
  const hit =
    o === plan.opts && o.reduction === plan.read[0] && sameOptions(o, family.optionNames, OWN_OPTIONS_AT, plan.read, 1, plan.keys);
  if (!hit) checkOptionNames(fn, o, family.optionNames);
  const { reduction, params } = hit ? plan : o === NO_OPTIONS ? family.noOptions : parse(family, fn, want, o);
  const weightsArg = o.weights;
  const outArg = o.out;
  const w = weightsArg === undefined ? undefined : like(fn, 'opts.weights', weightsArg, a, na);
  const batch = family.batch;
  batch.fn = fn;
  batch.y = y;
  batch.zy = wasmPointer(fn, 'target', target);
  batch.xs[0] = a;
  batch.xs[1] = b;
  batch.zx[0] = wasmPointer(fn, na, first);
  batch.zx[1] = wasmPointer(fn, nb, second);
  batch.w = w;
  // Stryker disable next-line UnaryOperator,StringLiteral: zw is read only with weights; like() refused a freed WasmArray by this name first
  batch.zw = w === undefined ? -1 : wasmPointer(fn, 'opts.weights', weightsArg);
  try {
    if (want & GRAD) gradients(family, batch, outArg);
    else if (outArg !== undefined)
      throw new SimdlossError(`${fn}: opts.out is for the gradients; ${family.spec.name}() returns none`, 'opts.out');
    return run(family, batch, want, reduction, params);
  } finally {
    release(batch);
  }
}

/** Drops the caller's arrays from the family's record once the call is over. */
function release(b: Batch): void {
  b.y = EMPTY;
  b.xs[0] = b.xs[1] = b.grads[0] = b.grads[1] = EMPTY;
  b.w = undefined;
}

/** The gradients: opts.out's arrays where given (checked for overlaps), new ones otherwise. */
function gradients(family: Family, b: Batch, outArg: unknown): void {
  const { fn, xs, grads, zg } = b;
  const { inputs } = family.spec;
  const out = outObject(fn, outArg, inputs);
  for (let j = 0; j < 2; j++) {
    const o = out?.[inputs[j]!];
    if (o === undefined) {
      grads[j] = xs[0] instanceof Float32Array ? new Float32Array(xs[0].length) : new Float64Array(xs[0].length);
      zg[j] = -1;
      continue;
    }
    const what = `opts.out.${inputs[j]}`;
    const g = like(fn, what, o, xs[0], inputs[0]);
    const p = wasmPointer(fn, what, o);
    // Every input element is read before the outputs at its index are written: an output may be
    // any input itself, never a shifted view of one; the two outputs may share nothing.
    const shifted = shiftedOver(g, p, b, inputs);
    if (shifted !== undefined) throw overlap(fn, what, shifted);
    if (j === 1 && shares(g, p, grads[0]!, zg[0]!, false)) throw overlap(fn, what, `opts.out.${inputs[0]}`);
    grads[j] = g;
    zg[j] = p;
  }
}

/** The argument an output `g` (wasm pointer `p`) overlaps at a shifted offset, if any (written out: no list per call). */
function shiftedOver(g: FloatArray, p: number, b: Batch, inputs: readonly string[]): string | undefined {
  if (overlapsShifted(g, p, b.y, b.zy)) return 'target';
  if (overlapsShifted(g, p, b.xs[0], b.zx[0])) return inputs[0];
  if (overlapsShifted(g, p, b.xs[1], b.zx[1])) return inputs[1];
  if (b.w !== undefined && overlapsShifted(g, p, b.w, b.zw)) return 'opts.weights';
  return undefined;
}

function run(family: Family, b: Batch, want: number, reduction: number, params: readonly [number, number]): unknown {
  const { fn, y, zy, xs, zx, grads, zg, w, zw } = b;
  const n = y.length;
  const f32 = y instanceof Float32Array;
  const bytes = bytesOf(y);
  const losses = want & LOSS && reduction === NONE ? (f32 ? new Float32Array(n) : new Float64Array(n)) : undefined;
  const grad = (want & GRAD) !== 0;
  const copies =
    zy < 0 || zx[0] < 0 || zx[1] < 0 || (w !== undefined && zw < 0) || (grad && (zg[0]! < 0 || zg[1]! < 0)) || losses !== undefined;
  const chunk = copies ? chunkOf(SLOT_BYTES / bytes) : Math.max(n, 1);
  const weights = w === undefined ? n : weightSum(fn, w, zw, n, chunk);
  const scale = scaleOf(reduction, weights);
  const mode = (grad ? MODE_GRAD : 0) | (w !== undefined ? MODE_WEIGHTED : 0) | (losses !== undefined ? MODE_LOSSES : 0);
  const kernel = family.kernels.of(f32);
  const lo = slotAt(SLOT.losses);
  let total = 0;
  for (let i = 0; i < n; i += chunk) {
    const m = Math.min(chunk, n - i);
    const ay = chunkAt(y, zy, SLOT.target, i, m);
    const aa = chunkAt(xs[0], zx[0], IN_SLOTS[0], i, m);
    const ab = chunkAt(xs[1], zx[1], IN_SLOTS[1], i, m);
    const aw = w === undefined ? 0 : chunkAt(w, zw, SLOT.weights, i, m);
    const bad = kernel(
      m,
      ay,
      aa,
      ab,
      aw,
      lo,
      gradAt(b, grad, 0, i * bytes),
      gradAt(b, grad, 1, i * bytes),
      scale,
      params[0],
      params[1],
      mode,
    );
    if (bad >= 0) throw outOfDomain(family, b, i + bad);
    // Stryker disable next-line ArithmeticOperator: R_SUM is 0
    total += wasm.f64[wasm.result + R_SUM]!;
    if (grad) for (let j = 0; j < 2; j++) if (zg[j]! < 0) stageOut(grads[j]!, GRAD_SLOTS[j]!, i, m);
    if (losses !== undefined) stageOut(losses, SLOT.losses, i, m);
  }
  const loss = reduced(want, reduction, total, weights, n, losses);
  if (!grad) return loss;
  const [na, nb] = family.spec.inputs;
  const named = { [na]: grads[0]!, [nb]: grads[1]! };
  return want === GRAD ? named : { loss, grad: named };
}

/** Where gradient j of the chunk at byte `at` is written: in place, or its staging slot. */
function gradAt(b: Batch, grad: boolean, j: 0 | 1, at: number): number {
  return grad && b.zg[j] >= 0 ? b.zg[j] + at : slotAt(GRAD_SLOTS[j]!);
}

/** The error for the element the kernel refused: the argument it belongs to comes from RESULT. */
function outOfDomain(family: Family, b: Batch, index: number): SimdlossError {
  const argument = family.arguments[wasm.i32[wasm.result * 2 + R_ARGUMENT_I32]!]!;
  const array = argument === 'target' ? b.y : argument === family.spec.inputs[0] ? b.xs[0] : b.xs[1];
  const expected = family.spec.domain[argument] ?? 'in the domain';
  return new SimdlossError(`${b.fn}: ${argument}[${index}] must be ${expected}; got ${show(array[index])}`, argument, index);
}

function overlap(fn: string, what: string, other: string): SimdlossError {
  return new SimdlossError(
    `${fn}: ${what} overlaps ${other} (an output may be an input itself, not a shifted view of one or another output)`,
    what,
  );
}
