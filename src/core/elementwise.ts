/**
 * The elementwise family: an example is one element of target and pred. Its spec (one kernel
 * pair, its options) becomes the public function through the shared call path (call.ts); this
 * file holds what only this family does — the option set, the kernel's arguments, and the error
 * for a value out of the domain.
 */
import { ARGUMENTS, MODE_ACCURACY, MODE_GRAD, MODE_LOSSES, MODE_WEIGHTED, R_ARGUMENT_I32, R_SUM, R_SUM2, SLOT, SLOT_BYTES } from './abi.js';
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
  SUM,
  wasmPointer,
} from './args.js';
import { GRAD, LOSS, type Opts, SUMS, type Wiring, wire } from './call.js';
import { SimdlossError, show } from './errors.js';
import { KernelPair } from './kernels.js';
import type { WasmArray } from './memory.js';
import { accuracyOption, booleanOption, optionsObject, resolveNumeric } from './options.js';
import { Apart, overlapsShifted, shiftedOut } from './overlap.js';
import { keysOf, sameOptions } from './plan.js';
import { copyIn, copyOut, slotAt } from './staging.js';
import type { AccumulatorBase, AccumulatorState } from './stream.js';
import { chunkOf, ready, views, wasm } from './wasm.js';
import { weightSum } from './weights.js';

export interface ElementwiseSpec {
  /** Public name, used in every message. */
  name: string;
  /** Export prefix of the kernel pair in wasm (`${kernel}_f32`, `${kernel}_f64`). */
  kernel: string;
  /** The loss's own numeric options. */
  options: readonly NumericOption[];
  /** Its boolean options, which `params` turns into numbers for the kernel (none if absent). */
  flags?: readonly BooleanOption[];
  /** The kernel's two scalar parameters (a, b) from the option values, in `options` and `flags` order. */
  params(values: readonly number[], flags: readonly boolean[]): readonly [number, number];
  /** What an element of target / pred must be, for losses with a domain (checked inside the kernel). */
  domain?: { target?: string; pred?: string };
  /** The kernel also classifies: `withGrad(…, { accuracy: true })` returns the fraction classified right. */
  accuracy?: boolean;
}

/** A float32 argument: an ordinary Float32Array, or one in wasm memory. */
export type F32 = Float32Array | WasmArray<'f32'>;
/** A float64 argument: an ordinary Float64Array, or one in wasm memory. */
export type F64 = Float64Array | WasmArray<'f64'>;

/** The common options of an elementwise loss or metric that returns a number; `In` is the dtype of pred. */
export interface ReduceOptions<In> {
  /**
   * 'mean': the (weighted) mean over examples, 0 over none; 'sum': the (weighted) sum.
   * @defaultValue 'mean'
   */
  reduction?: 'mean' | 'sum';
  /** One weight ≥ 0 per example: 'mean' becomes Σ wᵢlᵢ / Σ wᵢ, 'sum' Σ wᵢlᵢ, 'none' wᵢlᵢ. */
  weights?: In;
}
/** The common options of an elementwise loss or metric with `reduction: 'none'`: one loss per example. */
export interface NoneOptions<In> {
  /** Returns an array of per-example losses (wᵢlᵢ with weights), of pred's dtype. */
  reduction: 'none';
  /** One weight ≥ 0 per example, multiplying its loss. */
  weights?: In;
}
/** The common options of `grad` and `withGrad` of an elementwise loss. */
export interface GradOptions<In> {
  /**
   * The loss the gradient is of: 'mean' (Σ wᵢlᵢ / Σ wᵢ), 'sum', or 'none' (the gradient of the sum
   * of the returned per-example losses).
   * @defaultValue 'mean'
   */
  reduction?: 'mean' | 'sum' | 'none';
  /** One weight ≥ 0 per example, same dtype and length as pred. */
  weights?: In;
  /** Receives the gradient (same dtype and length as pred; may be pred itself) and is returned. */
  out?: In;
}

/**
 * A loss that also classifies: `withGrad` with `accuracy: true` adds the (weighted) fraction of
 * examples classified right, counted in the same pass.
 */
export type ClassifierLoss<O = object> = {
  /** With `accuracy: true` (false by default): the reduced loss, its gradient and the weighted fraction of examples classified right, in one pass, from float32 arrays: a float32 result. */
  withGrad(
    target: F32,
    pred: F32,
    opts: O & GradOptions<F32> & { accuracy: true; reduction?: 'mean' | 'sum' },
  ): { loss: number; grad: Float32Array; accuracy: number };
  /** With `accuracy: true` (false by default): the reduced loss, its gradient and the weighted fraction of examples classified right, in one pass, from float64 arrays: a float64 result. */
  withGrad(
    target: F64,
    pred: F64,
    opts: O & GradOptions<F64> & { accuracy: true; reduction?: 'mean' | 'sum' },
  ): { loss: number; grad: Float64Array; accuracy: number };
  /** With `accuracy: true` (false by default): per-example losses, the gradient of their sum and the weighted fraction of examples classified right, in one pass, from float32 arrays: a float32 result. */
  withGrad(
    target: F32,
    pred: F32,
    opts: O & GradOptions<F32> & { accuracy: true; reduction: 'none' },
  ): { loss: Float32Array; grad: Float32Array; accuracy: number };
  /** With `accuracy: true` (false by default): per-example losses, the gradient of their sum and the weighted fraction of examples classified right, in one pass, from float64 arrays: a float64 result. */
  withGrad(
    target: F64,
    pred: F64,
    opts: O & GradOptions<F64> & { accuracy: true; reduction: 'none' },
  ): { loss: Float64Array; grad: Float64Array; accuracy: number };
  /** With `accuracy: true` (false by default): loss, gradient and the weighted fraction of examples classified right, in one pass, from float32 or float64 arrays (either, for code written over both). */
  withGrad(
    target: F32 | F64,
    pred: F32 | F64,
    opts: O & GradOptions<F32 | F64> & { accuracy: true },
  ): { loss: number | FloatArray; grad: FloatArray; accuracy: number };
} & ElementwiseLoss<O>;

/** A metric: the function alone, with the reductions and weights of a loss and no gradient. */
export interface ElementwiseMetric<O = object> {
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float32 arrays: a float32 result. */
  (target: F32, pred: F32, opts?: O & ReduceOptions<F32>): number;
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float64 arrays: a float64 result. */
  (target: F64, pred: F64, opts?: O & ReduceOptions<F64>): number;
  /** One loss per example (`reduction: 'none'`), from float32 arrays: a float32 result. */
  (target: F32, pred: F32, opts: O & NoneOptions<F32>): Float32Array;
  /** One loss per example (`reduction: 'none'`), from float64 arrays: a float64 result. */
  (target: F64, pred: F64, opts: O & NoneOptions<F64>): Float64Array;
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float32 or float64 arrays (either, for code written over both). */
  (target: F32 | F64, pred: F32 | F64, opts?: O & ReduceOptions<F32 | F64>): number;
  /** One loss per example (`reduction: 'none'`), from float32 or float64 arrays (either, for code written over both). */
  (target: F32 | F64, pred: F32 | F64, opts: O & NoneOptions<F32 | F64>): FloatArray;
  /** A streaming accumulator (its result: the metric over everything updated so far). */
  create(opts?: O & { reduction?: 'mean' | 'sum' }): ElementwiseAccumulator;
  /** Restores an accumulator from its toJSON() state (or that state's JSON text). */
  fromJSON(state: AccumulatorState | string): ElementwiseAccumulator;
  /** The name it is exported under. */
  readonly lossName: string;
  /** Its own numeric options with their defaults and ranges (besides the common ones). */
  readonly options: readonly NumericOption[];
}

/**
 * An elementwise loss `f(target, pred, opts)` with its gradient companions; `O` holds the loss's
 * own options. Float32 arguments give float32 results, float64 give float64 (one overload each;
 * the last ones take either, for code written over both).
 */
export interface ElementwiseLoss<O = object> {
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float32 arrays: a float32 result. */
  (target: F32, pred: F32, opts?: O & ReduceOptions<F32>): number;
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float64 arrays: a float64 result. */
  (target: F64, pred: F64, opts?: O & ReduceOptions<F64>): number;
  /** One loss per example (`reduction: 'none'`), from float32 arrays: a float32 result. */
  (target: F32, pred: F32, opts: O & NoneOptions<F32>): Float32Array;
  /** One loss per example (`reduction: 'none'`), from float64 arrays: a float64 result. */
  (target: F64, pred: F64, opts: O & NoneOptions<F64>): Float64Array;
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float32 or float64 arrays (either, for code written over both). */
  (target: F32 | F64, pred: F32 | F64, opts?: O & ReduceOptions<F32 | F64>): number;
  /** One loss per example (`reduction: 'none'`), from float32 or float64 arrays (either, for code written over both). */
  (target: F32 | F64, pred: F32 | F64, opts: O & NoneOptions<F32 | F64>): FloatArray;
  /** dL/dpred, same dtype and length as pred; with reduction 'none', the gradient of the sum of the returned losses. */
  grad(target: F32, pred: F32, opts?: O & GradOptions<F32>): Float32Array;
  /** dL/dpred, from float64 arrays: a float64 result. */
  grad(target: F64, pred: F64, opts?: O & GradOptions<F64>): Float64Array;
  /** dL/dpred, from float32 or float64 arrays (either, for code written over both). */
  grad(target: F32 | F64, pred: F32 | F64, opts?: O & GradOptions<F32 | F64>): FloatArray;
  /** Loss and gradient from one fused pass. */
  withGrad(target: F32, pred: F32, opts?: O & GradOptions<F32> & { reduction?: 'mean' | 'sum' }): { loss: number; grad: Float32Array };
  /** The reduced loss and its gradient in one pass, from float64 arrays: a float64 result. */
  withGrad(target: F64, pred: F64, opts?: O & GradOptions<F64> & { reduction?: 'mean' | 'sum' }): { loss: number; grad: Float64Array };
  /** Per-example losses and the gradient of their sum in one pass, from float32 arrays: a float32 result. */
  withGrad(target: F32, pred: F32, opts: O & GradOptions<F32> & { reduction: 'none' }): { loss: Float32Array; grad: Float32Array };
  /** Per-example losses and the gradient of their sum in one pass, from float64 arrays: a float64 result. */
  withGrad(target: F64, pred: F64, opts: O & GradOptions<F64> & { reduction: 'none' }): { loss: Float64Array; grad: Float64Array };
  /** Loss and gradient in one pass, from float32 or float64 arrays (either, for code written over both). */
  withGrad(target: F32 | F64, pred: F32 | F64, opts?: O & GradOptions<F32 | F64>): { loss: number | FloatArray; grad: FloatArray };
  /** A streaming accumulator with these options fixed (reduction 'mean' or 'sum'; weights go to update). */
  create(opts?: O & { reduction?: 'mean' | 'sum' }): ElementwiseAccumulator;
  /** Restores an accumulator from its toJSON() state (or that state's JSON text). */
  fromJSON(state: AccumulatorState | string): ElementwiseAccumulator;
  /** The name it is exported under. */
  readonly lossName: string;
  /** Its own numeric options and their ranges (besides reduction, weights, out). */
  readonly options: readonly NumericOption[];
}

/** An accumulator of an elementwise loss: batches of (target, pred, weights?), any split, any dtype per batch. */
export interface ElementwiseAccumulator extends AccumulatorBase {
  /** Adds one batch of float32 arrays (weights optional, one per example); returns the accumulator. */
  update(target: F32, pred: F32, weights?: F32): this;
  /** Adds one batch of float64 arrays (weights optional, one per example); returns the accumulator. */
  update(target: F64, pred: F64, weights?: F64): this;
  /** Adds one batch of float32 or float64 arrays (weights optional, one per example); returns the accumulator. */
  update(target: F32 | F64, pred: F32 | F64, weights?: F32 | F64): this;
}

export function elementwise<O>(spec: ElementwiseSpec): ElementwiseLoss<O> {
  return wire(elementwiseWiring(spec, true));
}

/** A metric from an elementwise kernel whose "loss" is the per-example score: the function alone. */
export function metric<O>(spec: ElementwiseSpec): ElementwiseMetric<O> {
  return wire(elementwiseWiring(spec, false));
}

/** A loss of this family: its spec and what its calls reuse. */
interface Family {
  spec: ElementwiseSpec;
  optionNames: readonly string[];
  /** The kernel's (a, b) for the default options. */
  defaults: readonly [number, number];
  /** `<name>.withGrad`, for a message: built once, not per call. */
  withGradName: string;
  /** The option values of the call under way: filled by every call, so no allocation per call. */
  values: number[];
  flags: readonly BooleanOption[];
  flagValues: boolean[];
  /** The options of a call without opts: a call with ordinary arrays and no opts reads no record but this. */
  defaultCall: Readonly<CallOptions>;
  /** The options of the call under way, as readOptions leaves them: one record per loss, reused by every call. */
  call: CallOptions;
  /** Where the loss's own options start in optionNames (after reduction, weights, out, accuracy). */
  ownOptionsAt: number;
  /** Takes opts.accuracy (spec.accuracy, kept here: specs differ in shape, and a read of one is a polymorphic load). */
  classifies: boolean;
  /** What the last call parsed out of its options object. */
  plan: Plan;
  /** The last opts.out found not to overlap its inputs. */
  apart: Apart;
  kernels: KernelPair;
}

/** The scalar options parsed out of one options object (the arrays in it are checked on every call). */
interface Plan {
  /** The object, undefined before the first call with options. */
  opts: object | undefined;
  /** What the call wanted: accuracy is allowed only with the loss and the gradient together. */
  want: number;
  keys: readonly string[];
  /** The values read: reduction, accuracy, then the loss's own options in optionNames order. */
  read: readonly unknown[];
  reduction: number;
  accuracy: boolean;
  params: readonly [number, number];
}

interface CallOptions {
  reduction: number;
  /** opts.weights and its wasm pointer (-1: an ordinary array or none). */
  w: FloatArray | undefined;
  zw: number;
  /** opts.out and its wasm pointer. */
  out: FloatArray | undefined;
  zo: number;
  /** The kernel's (a, b). */
  params: readonly [number, number];
  accuracy: boolean;
}

/** The options of a call that gives none: its kernel parameters are the defaults'. */
function noOptions(defaults: readonly [number, number]): CallOptions {
  // A call without opts never reads zw (it has no weights), and reads zo only when it wants no
  // gradient (grad === out, both undefined): as the gradient's pointer, which the kernel writes only
  // under MODE_GRAD. readOptions writes both fields of the record it reuses.
  // Stryker disable next-line UnaryOperator: neither -1 is read as a pointer (above)
  return { reduction: MEAN, w: undefined, zw: -1, out: undefined, zo: -1, params: defaults, accuracy: false };
}

function elementwiseWiring(spec: ElementwiseSpec, grad: boolean): Wiring<Family> {
  const flags = spec.flags ?? [];
  const defaults = spec.params(
    spec.options.map((o) => o.default),
    flags.map((f) => f.default),
  );
  const family: Family = {
    spec,
    optionNames: [
      'reduction',
      'weights',
      'out',
      ...(spec.accuracy ? ['accuracy'] : []),
      ...spec.options.map((o) => o.name),
      ...flags.map((f) => f.name),
    ],
    defaults,
    withGradName: `${spec.name}.withGrad`,
    values: spec.options.map((o) => o.default),
    flags,
    flagValues: flags.map((f) => f.default),
    defaultCall: noOptions(defaults),
    call: noOptions(defaults),
    ownOptionsAt: spec.accuracy ? 4 : 3,
    classifies: spec.accuracy === true,
    // Stryker disable next-line ArrayDeclaration,BooleanLiteral: a plan whose opts is undefined never matches an options object
    plan: { opts: undefined, want: 0, keys: [], read: [], reduction: MEAN, accuracy: false, params: defaults },
    apart: new Apart(),
    kernels: new KernelPair(spec.kernel),
  };
  return {
    name: spec.name,
    options: spec.options,
    arrays: 2,
    updateArguments: 'target, pred',
    grad,
    pass,
    family,
    shape: { kind: 'elementwise' },
    resolve: (fn, opts) => resolveNumeric(fn, opts, spec.options, flags),
  };
}

/**
 * One call: arguments and options checked, the weight pass, then one kernel call per chunk.
 * scaleOf, reduced and KernelPair.of are written out, and the options are read by a function of
 * their own into a record every call reuses: what stays here is small enough for V8 to inline the
 * argument checks it calls (with the options read here instead, mse.withGrad of WasmArrays into
 * `out` at N = 16 took 7% longer, in a program also calling it with ordinary arrays; Node 20).
 */
function pass(family: Family, fn: string, want: number, target: unknown, pred: unknown, opts: Opts): unknown {
  ready();
  views();
  const { spec } = family;
  const p = floatArray(fn, 'pred', pred);
  const y = like(fn, 'target', target, p, 'pred');
  const n = p.length;
  const zy = wasmPointer(fn, 'target', target);
  const zp = wasmPointer(fn, 'pred', pred);
  const c = opts === undefined || opts === null ? family.defaultCall : readOptions(family, fn, want, opts, y, zy, p, zp);
  const { reduction, w, zw, out, zo, params, accuracy } = c;

  const f32 = p instanceof Float32Array;
  const bytes = f32 ? 4 : 8;
  const losses = want & LOSS && reduction === NONE ? newArray(f32, n) : undefined;
  const grad = want & GRAD ? (out ?? newArray(f32, n)) : undefined;
  const zg = grad === out ? zo : -1;
  const copies = zy < 0 || zp < 0 || (w !== undefined && zw < 0) || (grad !== undefined && zg < 0) || losses !== undefined;
  const chunk = copies ? chunkOf(SLOT_BYTES / bytes) : Math.max(n, 1);
  const weights = w === undefined ? n : weightSum(fn, w, zw, n, chunk);
  const scale = reduction !== MEAN ? 1 : weights > 0 ? 1 / weights : 0;
  let mode = (grad !== undefined ? MODE_GRAD : 0) | (w !== undefined ? MODE_WEIGHTED : 0);
  mode |= (losses !== undefined ? MODE_LOSSES : 0) | (accuracy ? MODE_ACCURACY : 0);
  const kernels = family.kernels;
  if (kernels.generation !== wasm.generation) kernels.refresh();
  const kernel = f32 ? kernels.f32! : kernels.f64!;

  let total = 0;
  let right = 0;
  for (let i = 0; i < n; i += chunk) {
    const m = Math.min(chunk, n - i);
    // chunkAt written out: as a call it cost mse ~5% at N = 16 (interleaved A/B, Node 20)
    const at = i * bytes;
    const ay = zy >= 0 ? zy + at : copyIn(y, slotAt(SLOT.target), i, m);
    const ap = zp >= 0 ? zp + at : copyIn(p, slotAt(SLOT.pred), i, m);
    const aw = w === undefined ? 0 : zw >= 0 ? zw + at : copyIn(w, slotAt(SLOT.weights), i, m);
    const ag = zg >= 0 ? zg + at : slotAt(SLOT.grad);
    const bad = kernel(m, ay, ap, aw, slotAt(SLOT.losses), ag, scale, params[0], params[1], mode);
    if (bad >= 0) throw outOfDomain(fn, spec, y, p, w, i + bad);
    // Stryker disable next-line ArithmeticOperator: R_SUM is 0
    total += wasm.f64[wasm.result + R_SUM]!;
    if (accuracy) right += wasm.f64[wasm.result + R_SUM2]!;
    if (grad !== undefined && zg < 0) copyOut(grad, slotAt(SLOT.grad), i, m);
    if (losses !== undefined) copyOut(losses, slotAt(SLOT.losses), i, m);
  }

  const loss =
    want === SUMS ? { sum: total, weight: weights, count: n } : (losses ?? (reduction === SUM ? total : weights > 0 ? total / weights : 0));
  if (want === LOSS || want === SUMS) return loss;
  if (want === GRAD) return grad;
  return accuracy ? { loss, grad, accuracy: weights > 0 ? right / weights : 0 } : { loss, grad };
}

/**
 * The options of one call, checked, into family.call (every field written, so nothing of an earlier
 * call is left). A loss with options of its own takes them from its plan when `opts` is the object
 * the plan was made from and nothing read from it has changed (plan.ts); the arrays (weights, out)
 * are checked on every call. One function, as before the plan, so that V8 still inlines the checks
 * it calls (split in two, mse.withGrad of WasmArrays ran ~15% more instructions, Node 20).
 */
function readOptions(
  family: Family,
  fn: string,
  want: number,
  opts: unknown,
  y: FloatArray,
  zy: number,
  p: FloatArray,
  zp: number,
): CallOptions {
  const o = optionsObject(fn, opts)!;
  // Each option read once into a local, also for the plan's comparison: after many losses' option
  // objects, each read of `o` is a megamorphic load (~4 ns, Node 20). (A loss that does not
  // classify takes no accuracy: the name check refuses the key.)
  const reduction = o.reduction;
  const accuracy = family.classifies ? o.accuracy : undefined;
  const weights = o.weights;
  const outArg = o.out;
  const plan = family.plan;
  // (reduction and accuracy are strings and booleans: no -0 to tell from 0)
  const hit =
    o === plan.opts &&
    want === plan.want &&
    reduction === plan.read[0] &&
    accuracy === plan.read[1] &&
    sameOptions(o, family.optionNames, family.ownOptionsAt, plan.read, 2, plan.keys);
  if (!hit) checkOptionNames(fn, o, family.optionNames);
  const c = family.call;
  c.reduction = hit ? plan.reduction : reductionOf(fn, reduction);
  c.w = weights === undefined ? undefined : like(fn, 'opts.weights', weights, p, 'pred');
  // zw is read only with weights (and wasmPointer gives -1 for undefined). WasmArray weights taken
  // for ordinary ones are copied chunk by chunk: the same values, only slower, the sums rounded per
  // chunk as an ordinary array's are.
  // Stryker disable next-line ConditionalExpression,UnaryOperator,StringLiteral: either way the same values (above); like() refused a freed WasmArray by this name first
  c.zw = c.w === undefined ? -1 : wasmPointer(fn, 'opts.weights', weights);
  c.out = undefined;
  // Stryker disable next-line UnaryOperator: without out, zo is read only as the pointer of a gradient the call does not compute
  c.zo = -1;
  if (outArg !== undefined) {
    if (!(want & GRAD)) throw new SimdlossError(`${fn}: opts.out is for the gradient; ${family.spec.name}() returns none`, 'opts.out');
    const out = like(fn, 'opts.out', outArg, p, 'pred');
    // Stryker disable next-line StringLiteral: like() refused a freed WasmArray by this name first
    const zo = wasmPointer(fn, 'opts.out', outArg);
    // Stryker disable next-line ConditionalExpression: checking the overlap again gives the answer remembered, only slower
    if (!family.apart.holds(out, p, y, c.w)) {
      const overlapped = overlapsShifted(out, zo, p, zp)
        ? 'pred'
        : overlapsShifted(out, zo, y, zy)
          ? 'target'
          : c.w !== undefined && overlapsShifted(out, zo, c.w, c.zw)
            ? 'opts.weights'
            : undefined;
      if (overlapped !== undefined) throw shiftedOut(fn, overlapped);
      family.apart.remember(out, p, y, c.w);
    }
    c.out = out;
    c.zo = zo;
  }
  c.accuracy = hit ? plan.accuracy : accuracyOption(fn, accuracy, want === (LOSS | GRAD), family.withGradName);
  if (hit) c.params = plan.params;
  else if (family.ownOptionsAt === family.optionNames.length) c.params = family.defaults;
  else c.params = ownOptions(family, fn, want, o, reduction, accuracy);
  return c;
}

/**
 * The loss's own options read once and checked, and the plan made from what was read (not for an
 * accumulator's batches: each is a new object). A loss without options of its own keeps no plan:
 * its checks cost no more than the plan's (measured: mse.withGrad of WasmArrays at N = 16 ~3% slower with one).
 */
function ownOptions(family: Family, fn: string, want: number, o: Record<string, unknown>, reduction: unknown, accuracy: unknown) {
  const names = family.optionNames;
  const read: unknown[] = [reduction, accuracy];
  for (let j = family.ownOptionsAt; j < names.length; j++) read.push(o[names[j]!]);
  const numeric = family.spec.options;
  const flags = family.flags;
  const values = family.values;
  for (let j = 0; j < numeric.length; j++) values[j] = numericOption(fn, numeric[j]!, read[2 + j]);
  const on = family.flagValues;
  for (let j = 0; j < flags.length; j++) {
    const value = read[2 + numeric.length + j];
    on[j] = value === undefined ? flags[j]!.default : booleanOption(fn, flags[j]!.name, value);
  }
  const params = family.spec.params(values, on);
  const c = family.call;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a plan missing or made from a batch's new object only parses again
  if (want !== SUMS) family.plan = { opts: o, want, keys: keysOf(o), read, reduction: c.reduction, accuracy: c.accuracy, params };
  return params;
}

function newArray(f32: boolean, n: number): FloatArray {
  return f32 ? new Float32Array(n) : new Float64Array(n);
}

/** The error for the element the kernel refused: the argument it belongs to comes from RESULT. */
function outOfDomain(
  fn: string,
  spec: ElementwiseSpec,
  y: FloatArray,
  p: FloatArray,
  w: FloatArray | undefined,
  index: number,
): SimdlossError {
  const argument = ARGUMENTS[wasm.i32[wasm.result * 2 + R_ARGUMENT_I32]!]!;
  const array = argument === 'target' ? y : argument === 'pred' ? p : w!;
  const expected = spec.domain?.[argument as 'target' | 'pred'] ?? 'in the domain';
  return new SimdlossError(`${fn}: ${argument}[${index}] must be ${expected}; got ${show(array[index])}`, argument, index);
}
