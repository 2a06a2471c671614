/**
 * The similarity family: an example is one row of `dim` values of target and pred (masks, embeddings),
 * its loss a function of sums over the row; `.grad` is dL/dpred. Whole rows are streamed through the
 * scratch slots; a row wider than a slot is streamed a segment at a time, twice: its sums, then its
 * gradient (kernel/similarity.ts), so memory never grows for it (its target's first segments stay
 * staged between the two). The call path is call.ts's.
 */
import {
  ARGUMENT_PRED,
  MODE_GRAD,
  MODE_LOSSES,
  MODE_SEGMENT_FIRST,
  MODE_SEGMENT_GRAD,
  MODE_SEGMENT_SUMS,
  MODE_WEIGHTED,
  R_ARGUMENT_I32,
  R_SUM,
  SLOT,
  SLOT_BYTES,
  SLOT_INPUTS,
  SLOTS,
} from './abi.js';
import {
  checkOptionNames,
  type FloatArray,
  floatArray,
  like,
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
import { WasmArray } from './memory.js';
import { accumulatorReduction, NEEDS_DIM, optionsObject, type Resolved, refuseCallOptions } from './options.js';
import { overlapsShifted, shares, shiftedOut } from './overlap.js';
import { chunkAt, copyIn, copyOut, slotAt, stageOut } from './staging.js';
import type { AccumulatorBase, AccumulatorState } from './stream.js';
import { bytesOf } from './typed.js';
import { chunkOf, type Kernel, ready, views, wasm } from './wasm.js';
import { weightSum } from './weights.js';

export interface SimilaritySpec {
  /** Public name, used in every message. */
  name: string;
  /** Export prefix of the kernel pair in wasm (`${kernel}_f32`, `${kernel}_f64`). */
  kernel: string;
  /** The loss's own numeric options. */
  options: readonly NumericOption[];
  /** The kernel's three scalar parameters from the option values, in spec order. */
  params(values: readonly number[]): readonly [number, number, number];
  /** What an element of target and of pred must be (both checked inside the kernel); none: any number. */
  domain?: string;
  /** The gradient reads pred as well as the target (else a wide row's gradient pass stages the target alone). */
  gradReadsPred: boolean;
}

interface Family {
  spec: SimilaritySpec;
  optionNames: readonly string[];
  kernels: KernelPair;
}

export function similarity<L>(spec: SimilaritySpec): L {
  const family: Family = {
    spec,
    optionNames: ['dim', 'reduction', 'weights', 'out', ...spec.options.map((o) => o.name)],
    kernels: new KernelPair(spec.kernel),
  };
  return wire<L, Family>({
    name: spec.name,
    options: spec.options,
    arrays: 2,
    updateArguments: 'target, pred',
    grad: true,
    pass,
    family,
    resolve: (fn, opts) => resolve(family, fn, opts),
  });
}

/** The options a call and create share: dim, then the loss's own. */
function parse(family: Family, fn: string, o: Record<string, unknown>): { dim: number; values: number[] } {
  const dim = o.dim;
  if (!(typeof dim === 'number' && Number.isSafeInteger(dim) && dim >= 1 && dim <= 0x3fffffff)) {
    throw new SimdlossError(`${fn}: opts.dim (values per row) is required: an integer ≥ 1; got ${show(dim)}`, 'opts.dim');
  }
  return { dim, values: family.spec.options.map((x) => numericOption(fn, x, o[x.name])) };
}

/** create(): the shared options, as the JSON an accumulator keeps. */
function resolve(family: Family, fn: string, opts: unknown): Resolved {
  const o = optionsObject(fn, opts, NEEDS_DIM)!;
  refuseCallOptions(fn, o, ['weights', 'out'], 'target, pred');
  checkOptionNames(
    fn,
    o,
    family.optionNames.filter((x) => x !== 'weights' && x !== 'out'),
  );
  const reduction = accumulatorReduction(fn, o.reduction, 'row');
  const c = parse(family, fn, o);
  const resolved: Resolved = { reduction, dim: c.dim };
  family.spec.options.forEach((x, j) => {
    resolved[x.name] = c.values[j]!;
  });
  return resolved;
}

/** One call under way: the arrays (wasm pointers: -1 for ordinary arrays) and what the kernel is given. */
interface Rows {
  family: Family;
  fn: string;
  y: FloatArray;
  zy: number;
  p: FloatArray;
  zp: number;
  w: FloatArray | undefined;
  zw: number;
  g: FloatArray | undefined;
  zg: number;
  losses: FloatArray | undefined;
  dim: number;
  rows: number;
  kernel: Kernel;
  scale: number;
  params: readonly [number, number, number];
  mode: number;
}

function pass(family: Family, fn: string, want: number, target: unknown, pred: unknown, opts: Opts): unknown {
  ready();
  views();
  const o = optionsObject(fn, opts, NEEDS_DIM)!;
  checkOptionNames(fn, o, family.optionNames);
  const p = floatArray(fn, 'pred', pred);
  const y = like(fn, 'target', target, p, 'pred');
  const { dim, values } = parse(family, fn, o);
  if (p.length % dim !== 0) {
    throw new SimdlossError(`${fn}: opts.dim must divide the length of pred; got ${dim} for ${p.length} elements`, 'opts.dim');
  }
  const rows = p.length / dim;
  const reduction = reductionOf(fn, o.reduction);
  const w = o.weights === undefined ? undefined : weightsOf(fn, o.weights, p, rows);
  const r: Rows = {
    family,
    fn,
    y,
    zy: wasmPointer(fn, 'target', target),
    p,
    zp: wasmPointer(fn, 'pred', pred),
    w,
    // Stryker disable next-line UnaryOperator,StringLiteral: zw is read only with weights; weightsOf refused a freed one by this name
    zw: w === undefined ? -1 : wasmPointer(fn, 'opts.weights', o.weights),
    g: undefined,
    zg: -1,
    losses: undefined,
    dim,
    rows,
    kernel: family.kernels.of(p instanceof Float32Array),
    scale: 1,
    params: family.spec.params(values),
    mode: 0,
  };
  if (want & GRAD) gradientOf(r, o.out);
  else if (o.out !== undefined)
    throw new SimdlossError(`${fn}: opts.out is for the gradient; ${family.spec.name}() returns none`, 'opts.out');
  return run(r, want, reduction, o.out);
}

function weightsOf(fn: string, weights: unknown, p: FloatArray, rows: number): FloatArray {
  const w = floatArray(fn, 'opts.weights', weights);
  if (w.constructor !== p.constructor) {
    throw new SimdlossError(
      `${fn}: opts.weights is a ${w.constructor.name} but pred is a ${p.constructor.name}: float32 and float64 cannot be mixed`,
      'opts.weights',
    );
  }
  if (w.length !== rows)
    throw new SimdlossError(`${fn}: opts.weights has ${w.length} elements but pred has ${rows} rows (one weight per row)`, 'opts.weights');
  return w;
}

/** The gradient: opts.out where given (an input itself, never a shifted view of one), a new array otherwise. */
function gradientOf(r: Rows, out: unknown): void {
  const { fn, p } = r;
  if (out === undefined) {
    r.g = p instanceof Float32Array ? new Float32Array(p.length) : new Float64Array(p.length);
    return;
  }
  const g = like(fn, 'opts.out', out, p, 'pred');
  // Stryker disable next-line StringLiteral: like() has refused a freed WasmArray out by this name first
  const zg = wasmPointer(fn, 'opts.out', out);
  const w = r.w;
  const overlapped = overlapsShifted(g, zg, p, r.zp)
    ? 'pred'
    : overlapsShifted(g, zg, r.y, r.zy)
      ? 'target'
      : // Stryker disable next-line BooleanLiteral: weights and out of different lengths never start and end at the same bytes
        w !== undefined && (w.length === g.length ? overlapsShifted(g, zg, w, r.zw) : shares(g, zg, w, r.zw, false))
        ? 'opts.weights'
        : undefined;
  if (overlapped !== undefined) throw shiftedOut(fn, overlapped);
  r.g = g;
  r.zg = zg;
}

function run(r: Rows, want: number, reduction: number, outArg: unknown): unknown {
  const { p, w, rows } = r;
  const f32 = p instanceof Float32Array;
  const bytes = bytesOf(p);
  r.losses = want & LOSS && reduction === NONE ? (f32 ? new Float32Array(rows) : new Float64Array(rows)) : undefined;
  const weights = w === undefined ? rows : weightSum(r.fn, w, r.zw, rows, chunkOf(Math.floor(SLOT_BYTES / bytes)));
  r.scale = scaleOf(reduction, weights);
  r.mode = (r.g !== undefined ? MODE_GRAD : 0) | (w !== undefined ? MODE_WEIGHTED : 0) | (r.losses !== undefined ? MODE_LOSSES : 0);
  const rowCopies = r.zy < 0 || r.zp < 0 || (r.g !== undefined && r.zg < 0);
  const total = rowCopies && r.dim * bytes > SLOT_BYTES ? wideRows(r) : wholeRows(r, rowCopies);
  const loss = reduced(want, reduction, total, weights, rows, r.losses);
  if (want === LOSS || want === SUMS) return loss;
  const g = outArg instanceof WasmArray ? outArg.array : r.g!;
  return want === GRAD ? g : { loss, grad: g };
}

/** Rows that fit a slot (or need no copy): one kernel call per chunk of whole rows. */
function wholeRows(r: Rows, rowCopies: boolean): number {
  const { dim, rows, y, p, w, g, losses } = r;
  const rowBytes = dim * bytesOf(p);
  const perRow = losses !== undefined || (w !== undefined && r.zw < 0);
  const chunk = rowCopies
    ? chunkOf(Math.floor(SLOT_BYTES / rowBytes))
    : perRow
      ? chunkOf(Math.floor(SLOT_BYTES / bytesOf(p)))
      : Math.max(rows, 1);
  const [p0, p1, p2] = r.params;
  const lo = slotAt(SLOT.losses);
  let total = 0;
  for (let i = 0; i < rows; i += chunk) {
    const m = Math.min(chunk, rows - i);
    const e = i * dim;
    const ay = chunkAt(y, r.zy, SLOT.target, e, m * dim);
    const ap = chunkAt(p, r.zp, SLOT.pred, e, m * dim);
    const ag = r.zg >= 0 ? r.zg + e * bytesOf(p) : slotAt(SLOT.grad);
    const aw = w === undefined ? 0 : chunkAt(w, r.zw, SLOT.weights, i, m);
    const bad = r.kernel(m, dim, ay, ap, aw, lo, ag, r.scale, p0, p1, p2, r.mode);
    if (bad >= 0) throw refused(r, e + bad);
    // Stryker disable next-line ArithmeticOperator: R_SUM is 0
    total += wasm.f64[wasm.result + R_SUM]!;
    if (g !== undefined && r.zg < 0) stageOut(g, SLOT.grad, e, m * dim);
    if (losses !== undefined) stageOut(losses, SLOT.losses, i, m);
  }
  return total;
}

/**
 * Rows wider than a slot, each in segments of a slot: a pass adding the segments' sums, then one
 * taking the row's loss and writing each segment's gradient. The sums pass stages the target's
 * first segments into slots of their own (RESIDENT), where the gradient pass finds them, and the
 * last one is still in the target's slot: only the segments between, and pred where the gradient
 * reads it, are staged again.
 */
function wideRows(r: Rows): number {
  const { dim, rows, y, p, w, losses } = r;
  const segment = SLOT_BYTES / bytesOf(p); // a multiple of BLOCK: the sums come out as over the whole row
  const [p0, p1, p2] = r.params;
  const lo = slotAt(SLOT.losses);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const e = i * dim;
    for (let s = 0; s < dim; s += segment) {
      const n = Math.min(segment, dim - s);
      const ay = segmentAt(y, r.zy, targetSlot(s / segment), e + s, n);
      const ap = segmentAt(p, r.zp, SLOT.pred, e + s, n);
      const bad = r.kernel(1, n, ay, ap, 0, lo, 0, r.scale, p0, p1, p2, MODE_SEGMENT_SUMS | (s === 0 ? MODE_SEGMENT_FIRST : 0));
      if (bad >= 0) throw refused(r, e + s + bad);
    }
    const aw = w === undefined ? 0 : chunkAt(w, r.zw, SLOT.weights, i, 1);
    if (r.g === undefined) r.kernel(1, 0, 0, 0, aw, lo, 0, r.scale, p0, p1, p2, r.mode | MODE_SEGMENT_GRAD);
    else wideGradient(r, e, aw);
    // Stryker disable next-line ArithmeticOperator: R_SUM is 0
    total += wasm.f64[wasm.result + R_SUM]!;
    if (losses !== undefined) stageOut(losses, SLOT.losses, i, 1);
  }
  return total;
}

// The slots the similarity family leaves free: a wide row's first target segments stay there, so
// that a mask of 256 × 256 float32 is copied in once, not twice (dice.withGrad into `out` at 16 such
// rows: 0.89 against 0.98 ms of CPU a call, the second copy being 4 MB).
// (Slots 5–11: the other families' extra inputs, unused by a similarity call.)
const RESIDENT: readonly number[] = Array.from({ length: SLOTS - SLOT_INPUTS }, (_, j) => SLOT_INPUTS + j);
const targetSlot = (k: number): number => (k < RESIDENT.length ? RESIDENT[k]! : SLOT.target);

/**
 * The gradient of the row at e, its loss taken from the sums pass, segment by segment from the last:
 * the last segment beyond RESIDENT is still in the target slot, and each one before it overwrites a
 * segment already done.
 */
function wideGradient(r: Rows, e: number, aw: number): void {
  const { dim, y, p } = r;
  const g = r.g!;
  const bytes = bytesOf(p);
  const segment = SLOT_BYTES / bytes;
  const [p0, p1, p2] = r.params;
  const readsPred = r.family.spec.gradReadsPred;
  const last = Math.ceil(dim / segment) - 1;
  for (let k = last; k >= 0; k--) {
    const s = k * segment;
    const n = Math.min(segment, dim - s);
    const staged = r.zy >= 0 || k < RESIDENT.length || k === last;
    const ay = staged ? (r.zy >= 0 ? r.zy + (e + s) * bytes : slotAt(targetSlot(k))) : copyIn(y, slotAt(SLOT.target), e + s, n);
    const ap = readsPred ? segmentAt(p, r.zp, SLOT.pred, e + s, n) : 0;
    const ag = r.zg >= 0 ? r.zg + (e + s) * bytes : slotAt(SLOT.grad);
    r.kernel(1, n, ay, ap, aw, slotAt(SLOT.losses), ag, r.scale, p0, p1, p2, r.mode | MODE_SEGMENT_GRAD);
    // Stryker disable next-line ConditionalExpression: with out in wasm memory, ag is out's own segment: copied onto itself
    if (r.zg < 0) copyOut(g, ag, e + s, n);
  }
}

/** Elements [i, i + n) of an argument: in place, or copied into its slot. */
function segmentAt(a: FloatArray, z: number, slot: number, i: number, n: number): number {
  return z >= 0 ? z + i * bytesOf(a) : copyIn(a, slotAt(slot), i, n);
}

/** The error for the element the kernel refused: its argument comes from RESULT. */
function refused(r: Rows, at: number): SimdlossError {
  const pred = wasm.i32[wasm.result * 2 + R_ARGUMENT_I32]! === ARGUMENT_PRED;
  const name = pred ? 'pred' : 'target';
  const seen = (pred ? r.p : r.y)[at];
  return new SimdlossError(`${r.fn}: ${name}[${at}] must be ${r.family.spec.domain ?? 'a number'}; got ${show(seen)}`, name, at);
}

/** The common options of a similarity loss that returns a number. */
export interface SimilarityReduceOptions<In> {
  /** Values per row (required; must divide the length of pred). */
  dim: number;
  /**
   * 'mean': the (weighted) mean over rows, 0 over none; 'sum': the (weighted) sum.
   * @defaultValue 'mean'
   */
  reduction?: 'mean' | 'sum';
  /** One weight ≥ 0 per row. */
  weights?: In;
}
/** The common options of a similarity loss with `reduction: 'none'`: one value per row. */
export interface SimilarityNoneOptions<In> {
  /** Values per row (required; must divide the length of pred). */
  dim: number;
  /** Returns one loss per row (wᵢlᵢ with weights), of pred's dtype. */
  reduction: 'none';
  /** One weight ≥ 0 per row. */
  weights?: In;
}
/** The common options of `grad` and `withGrad` of a similarity loss. */
export interface SimilarityGradOptions<In> {
  /** Values per row (required; must divide the length of pred). */
  dim: number;
  /**
   * The loss the gradient is of: 'mean' (over rows, Σ wᵢlᵢ / Σ wᵢ), 'sum', or 'none' (the gradient
   * of the sum of the per-row losses).
   * @defaultValue 'mean'
   */
  reduction?: 'mean' | 'sum' | 'none';
  /** One weight ≥ 0 per row. */
  weights?: In;
  /** Receives the gradient (same dtype and length as pred) and is returned. */
  out?: In;
}

/** An accumulator of a similarity loss: batches of whole rows (target, pred, row weights?). */
export interface SimilarityAccumulator extends AccumulatorBase {
  /** Adds one batch of float32 arrays (weights optional, one per row); returns the accumulator. */
  update(target: F32, pred: F32, weights?: F32): this;
  /** Adds one batch of float64 arrays (weights optional, one per row); returns the accumulator. */
  update(target: F64, pred: F64, weights?: F64): this;
  /** Adds one batch of float32 or float64 arrays (weights optional, one per row); returns the accumulator. */
  update(target: F32 | F64, pred: F32 | F64, weights?: F32 | F64): this;
}

/** A loss over rows of `dim` values of target and pred, with its gradient with respect to pred. */
export interface SimilarityLoss<O> {
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float32 arrays. */
  (target: F32, pred: F32, opts: O & SimilarityReduceOptions<F32>): number;
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float64 arrays. */
  (target: F64, pred: F64, opts: O & SimilarityReduceOptions<F64>): number;
  /** One loss per row (`reduction: 'none'`), from float32 arrays: a float32 result. */
  (target: F32, pred: F32, opts: O & SimilarityNoneOptions<F32>): Float32Array;
  /** One loss per row (`reduction: 'none'`), from float64 arrays: a float64 result. */
  (target: F64, pred: F64, opts: O & SimilarityNoneOptions<F64>): Float64Array;
  /** The loss reduced by `reduction`, from float32 or float64 arrays (either, for code written over both). */
  (target: F32 | F64, pred: F32 | F64, opts: O & SimilarityReduceOptions<F32 | F64>): number;
  /** One loss per row, from float32 or float64 arrays (either, for code written over both). */
  (target: F32 | F64, pred: F32 | F64, opts: O & SimilarityNoneOptions<F32 | F64>): FloatArray;
  /** dL/dpred, same dtype and length as pred. */
  grad(target: F32, pred: F32, opts: O & SimilarityGradOptions<F32>): Float32Array;
  /** dL/dpred, from float64 arrays: a float64 result. */
  grad(target: F64, pred: F64, opts: O & SimilarityGradOptions<F64>): Float64Array;
  /** dL/dpred, from float32 or float64 arrays (either, for code written over both). */
  grad(target: F32 | F64, pred: F32 | F64, opts: O & SimilarityGradOptions<F32 | F64>): FloatArray;
  /** The reduced loss and its gradient in one pass, from float32 arrays. */
  withGrad(
    target: F32,
    pred: F32,
    opts: O & SimilarityGradOptions<F32> & { reduction?: 'mean' | 'sum' },
  ): { loss: number; grad: Float32Array };
  /** The reduced loss and its gradient in one pass, from float64 arrays. */
  withGrad(
    target: F64,
    pred: F64,
    opts: O & SimilarityGradOptions<F64> & { reduction?: 'mean' | 'sum' },
  ): { loss: number; grad: Float64Array };
  /** Per-row losses and the gradient of their sum in one pass, from float32 arrays. */
  withGrad(
    target: F32,
    pred: F32,
    opts: O & SimilarityGradOptions<F32> & { reduction: 'none' },
  ): { loss: Float32Array; grad: Float32Array };
  /** Per-row losses and the gradient of their sum in one pass, from float64 arrays. */
  withGrad(
    target: F64,
    pred: F64,
    opts: O & SimilarityGradOptions<F64> & { reduction: 'none' },
  ): { loss: Float64Array; grad: Float64Array };
  /** Loss and gradient in one pass, from float32 or float64 arrays (either, for code written over both). */
  withGrad(target: F32 | F64, pred: F32 | F64, opts: O & SimilarityGradOptions<F32 | F64>): { loss: number | FloatArray; grad: FloatArray };
  /** A streaming accumulator with these options fixed (reduction 'mean' or 'sum'; weights go to update). */
  create(opts: O & { dim: number; reduction?: 'mean' | 'sum' }): SimilarityAccumulator;
  /** Restores an accumulator from its toJSON() state (or that state's JSON text). */
  fromJSON(state: AccumulatorState | string): SimilarityAccumulator;
  /** The name it is exported under. */
  readonly lossName: string;
  /** Its own numeric options with their defaults and ranges (besides the common ones). */
  readonly options: readonly NumericOption[];
}
