/**
 * The classification family: an example is one row of `classes` values of pred, with a label
 * (Int32Array, one per row) or a dense row of targets. Whole rows are streamed through the
 * scratch slots; a row wider than a slot goes through a temporary block alloc'd for the call.
 * The spec declares which kernel ABI the loss uses and which options it takes; the call path is
 * call.ts's.
 */
import {
  MODE_ACCURACY,
  MODE_ENTROPY,
  MODE_GRAD,
  MODE_IGNORE,
  MODE_LOSSES,
  MODE_SMOOTH,
  MODE_WEIGHTED,
  R_CORRECT,
  R_COUNTED,
  R_SUM,
  R_SUM2,
  SLOT,
  SLOT_BYTES,
  SLOT_CLASS_WEIGHTS,
  SLOT_LABELS,
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
import { GRAD, LOSS, type Opts, reduced, SUMS, scaleOf, type Wiring, wire } from './call.js';
import { SimdlossError, show } from './errors.js';
import { KernelPair } from './kernels.js';
import { alloc, rederive, WasmArray } from './memory.js';
import {
  accumulatorReduction,
  accuracyOption,
  booleanOption,
  int32Option,
  optionsObject,
  type Resolved,
  refuseCallOptions,
} from './options.js';
import { Apart, overlapsShifted, shares, shiftedOut } from './overlap.js';
import { keysOf, sameKeys, sameValue } from './plan.js';
import { chunkAt, copyIn, copyLabelsIn, copyOut, slotAt, stageOut } from './staging.js';
import { bytesOf, fillRange } from './typed.js';
import { chunkOf, type Kernel, ready, views, wasm } from './wasm.js';

/** A row wider than a slot is staged in a temporary block of this many rows: target, pred, gradient, class weights. */
const WIDE_ROWS = 4;

import { weightSum } from './weights.js';

/** The kernel ABIs of this family: what a kernel takes after (rows, classes, target, pred, weights, losses). */
export type ClassificationAbi = 'softmax' | 'rowsum' | 'topk' | 'argmax' | 'terms' | 'focal';

export interface ClassificationSpec {
  name: string;
  /** Export prefix of the kernel pair (`${kernel}_f32`, `${kernel}_f64`). */
  kernel: string;
  /** 'labels': an Int32Array of class indices, one per row; 'dense': a row of `classes` values in [0, 1]. */
  target: 'labels' | 'dense';
  /**
   * 'softmax': gradient, class weights, a smoothing α, ignoreIndex; 'rowsum': a per-element term
   * summed per row, with gradient and ε; 'topk': a metric counting the rows whose label is among the
   * top k; 'argmax': a metric comparing argmaxes; 'terms': per-class terms with gradient, class
   * weights scaling them (not the mean's denominator) and two scalars (`param`, `second`).
   */
  abi: ClassificationAbi;
  /** Numeric options besides classes, with their ranges (the public `.options`). */
  options: readonly NumericOption[];
  /** The numeric option the kernel takes as its scalar parameter (softmax: α, rowsum: ε); 0 without. */
  param?: string;
  /** terms, focal: the numeric option the kernel takes as its second scalar; 0 without. */
  second?: string;
  /** topk: how many top classes count — a number, or the name of the integer option (in [1, classes]; its default capped at classes) that sets it. */
  topK?: number | string;
  /** opts.classWeights: one weight per class. */
  classWeights?: boolean;
  /** opts.ignoreIndex: rows with this label count for nothing. */
  ignoreIndex?: boolean;
  /** opts.fromLogits: with true, this kernel (softmax ABI, MODE_ENTROPY) takes over, on logits. */
  logits?: string;
  /**
   * opts.logTarget: with true, the dense target is log P (each value ≤ 0, −∞ for P = 0) and these
   * kernels (rowsum ABI) take over: `kernel` on probabilities, `logits` with fromLogits.
   */
  logTarget?: { kernel: string; logits: string };
  /** The kernel that sums the mean's denominator when class weights or ignoreIndex are given. */
  denominator?: string;
  /** The numeric option that may also be one value per class (focal's α): it fills the class-weights slot. */
  perClass?: string;
}

/** What a call hands its kernel; one object per call, refilled per chunk. */
interface KernelCall {
  m: number;
  C: number;
  y: number;
  p: number;
  w: number;
  lo: number;
  g: number;
  cw: number;
  scale: number;
  param: number;
  ignore: number;
  topK: number;
  mode: number;
  second: number;
}

const ABIS: Record<ClassificationAbi, { grad: boolean; call(kernel: Kernel, c: KernelCall): number }> = {
  softmax: { grad: true, call: (k, c) => k(c.m, c.C, c.y, c.p, c.w, c.lo, c.g, c.cw, c.scale, c.param, c.ignore, c.mode) },
  rowsum: { grad: true, call: (k, c) => k(c.m, c.C, c.y, c.p, c.w, c.lo, c.g, c.scale, c.param, c.mode) },
  topk: { grad: false, call: (k, c) => k(c.m, c.C, c.y, c.p, c.w, c.lo, c.topK, c.mode) },
  argmax: { grad: false, call: (k, c) => k(c.m, c.C, c.y, c.p, c.w, c.lo, c.mode) },
  terms: { grad: true, call: (k, c) => k(c.m, c.C, c.y, c.p, c.w, c.lo, c.g, c.cw, c.scale, c.param, c.second, c.mode) },
  focal: { grad: true, call: (k, c) => k(c.m, c.C, c.y, c.p, c.w, c.lo, c.g, c.cw, c.scale, c.param, c.second, c.ignore, c.mode) },
};

/** The denominator kernels, by target: sparse ones take mode bits, dense ones 1 when weighted. */
const DENOMINATORS = {
  labels: (k: Kernel, c: KernelCall) => k(c.m, c.C, c.y, c.w, c.cw, c.ignore, c.mode & (MODE_WEIGHTED | MODE_IGNORE)),
  dense: (k: Kernel, c: KernelCall) => k(c.m, c.C, c.y, c.w, c.cw, c.mode & MODE_WEIGHTED ? 1 : 0),
};

/** A loss of this family: its spec and its kernels. */
interface Family {
  spec: ClassificationSpec;
  labels: boolean;
  targetName: 'labels' | 'target';
  optionNames: readonly string[];
  kernels: KernelPair;
  logits: KernelPair | undefined;
  logTarget: { kernel: KernelPair; logits: KernelPair } | undefined;
  denominator: KernelPair | undefined;
  plan: Plan;
  /** What a call under way uses, reused by the next one (a call cannot start while one is under way: no caller's code runs in between). */
  operands: Operands;
  rows: Rows;
  /** The last opts.out found not to overlap its inputs. */
  apart: Apart;
}

/** The options of a call as read once: classes, reduction, accuracy and the named options, then the loss's own. */
interface Read {
  classes: unknown;
  reduction: unknown;
  accuracy: unknown;
  classWeights: unknown;
  ignoreIndex: unknown;
  fromLogits: unknown;
  logTarget: unknown;
  /** The loss's own options, in spec order. */
  own: unknown[];
  [name: string]: unknown;
}

/** What the last call parsed out of its options object (see plan.ts). */
interface Plan {
  /** The object, undefined when there is no plan. */
  opts: object | undefined;
  want: number;
  keys: readonly string[];
  read: Read;
  parsed: ClassOptions;
  reduction: number;
  accuracy: boolean;
}

/** The loss's own options, checked once for the call and for create. */
interface ClassOptions {
  classes: number;
  /** Each numeric option's value, in spec order (the top-k option: its resolved k). */
  values: number[];
  param: number;
  second: number;
  topK: number;
  classWeights: ArrayLike<number> | undefined;
  ignore: number | undefined;
  fromLogits: boolean;
  logTarget: boolean;
  /** What fills the class-weights slot besides class weights: the perClass option's array, or its one number. */
  perClass: ArrayLike<number> | number | undefined;
}

export function classification(spec: ClassificationSpec): unknown {
  const grad = ABIS[spec.abi].grad;
  const labels = spec.target === 'labels';
  const family: Family = {
    spec,
    labels,
    targetName: labels ? 'labels' : 'target',
    optionNames: [
      'classes',
      'reduction',
      'weights',
      ...spec.options.map((o) => o.name),
      ...(grad ? ['out', 'accuracy'] : []),
      ...(spec.logits ? ['fromLogits'] : []),
      ...(spec.logTarget ? ['logTarget'] : []),
      ...(spec.classWeights ? ['classWeights'] : []),
      ...(spec.ignoreIndex ? ['ignoreIndex'] : []),
    ],
    kernels: new KernelPair(spec.kernel),
    logits: spec.logits === undefined ? undefined : new KernelPair(spec.logits),
    logTarget:
      spec.logTarget === undefined
        ? undefined
        : { kernel: new KernelPair(spec.logTarget.kernel), logits: new KernelPair(spec.logTarget.logits) },
    denominator: spec.denominator === undefined ? undefined : new KernelPair(spec.denominator),
    plan: {
      opts: undefined,
      want: 0,
      // Stryker disable next-line ArrayDeclaration: the initial plan has no opts: no options object matches it
      keys: [],
      read: undefined as unknown as Read,
      parsed: undefined as unknown as ClassOptions,
      reduction: 0,
      // Stryker disable next-line BooleanLiteral: the initial plan has no opts: no options object matches it
      accuracy: false,
    },
    operands: newOperands(),
    rows: undefined as unknown as Rows,
    apart: new Apart(),
  };
  family.rows = newRows(family);
  const wiring: Wiring<Family> = {
    name: spec.name,
    options: spec.options,
    arrays: 2,
    updateArguments: `${family.targetName}, pred`,
    grad,
    pass,
    family,
    shape: { kind: 'rows', target: spec.target },
    resolve: (fn, opts) => resolve(family, fn, opts),
  };
  return wire(wiring);
}

const NEEDS_CLASSES = 'opts.classes (values per row)';

/** The options a call and create share: classes first, then the loss's own. */
function parse(family: Family, fn: string, o: Record<string, unknown>): ClassOptions {
  const { spec } = family;
  const C = o.classes;
  if (typeof C !== 'number' || !Number.isSafeInteger(C) || C < 1 || C > 0x3fffffff) {
    throw new SimdlossError(`${fn}: opts.classes must be an integer ≥ 1 (values per row); got ${show(C)}`, 'opts.classes');
  }
  const values: number[] = [];
  let topK = typeof spec.topK === 'number' ? spec.topK : 0;
  let perClass: ArrayLike<number> | number | undefined;
  for (const option of spec.options) {
    const v = o[option.name];
    if (option.name === spec.topK) {
      topK = topKOption(fn, option, v, C);
      values.push(topK);
    } else if (option.name === spec.perClass && (Array.isArray(v) || ArrayBuffer.isView(v) || v instanceof WasmArray)) {
      perClass = perClassOf(fn, option.name, v, C);
      values.push(Number.NaN);
    } else {
      values.push(numericOption(fn, option, v));
      if (option.name === spec.perClass) perClass = values[values.length - 1];
    }
  }
  const at = spec.options.findIndex((x) => x.name === spec.param);
  const second = spec.options.findIndex((x) => x.name === spec.second);
  return {
    perClass,
    classes: C,
    values,
    param: at < 0 ? 0 : values[at]!,
    second: second < 0 ? 0 : values[second]!,
    topK,
    classWeights: spec.classWeights && o.classWeights !== undefined ? classWeightsOf(fn, o.classWeights, C) : undefined,
    ignore: spec.ignoreIndex && o.ignoreIndex !== undefined ? int32Option(fn, 'ignoreIndex', o.ignoreIndex) : undefined,
    fromLogits: spec.logits !== undefined && booleanOption(fn, 'fromLogits', o.fromLogits),
    logTarget: spec.logTarget !== undefined && booleanOption(fn, 'logTarget', o.logTarget),
  };
}

/** create(): the shared options, as the JSON an accumulator keeps. */
function resolve(family: Family, fn: string, opts: unknown): Resolved {
  const { spec } = family;
  const o = optionsObject(fn, opts, NEEDS_CLASSES)!;
  refuseCallOptions(fn, o, ['weights', 'out', 'accuracy'], `${family.targetName}, pred`);
  checkOptionNames(
    fn,
    o,
    family.optionNames.filter((x) => x !== 'out' && x !== 'accuracy' && x !== 'weights'),
  );
  const reduction = accumulatorReduction(fn, o.reduction, 'row');
  const c = parse(family, fn, o);
  const resolved: Resolved = { reduction, classes: c.classes };
  spec.options.forEach((x, j) => {
    resolved[x.name] = x.name === spec.perClass && typeof c.perClass === 'object' ? Array.from(c.perClass) : c.values[j]!;
  });
  if (c.classWeights !== undefined) resolved.classWeights = Array.from(c.classWeights);
  if (c.ignore !== undefined) resolved.ignoreIndex = c.ignore;
  if (spec.logits !== undefined) resolved.fromLogits = c.fromLogits;
  if (spec.logTarget !== undefined) resolved.logTarget = c.logTarget;
  return resolved;
}

/**
 * The options a call reads besides the arrays (weights, out), each read once: what parse checks and
 * what a plan compares. A plain object of one shape, so that its reads stay monomorphic.
 */
function snapshot(family: Family, o: Record<string, unknown>): Read {
  const own = family.spec.options.map((x) => o[x.name]);
  const read: Read = {
    classes: o.classes,
    reduction: o.reduction,
    accuracy: o.accuracy,
    classWeights: o.classWeights,
    ignoreIndex: o.ignoreIndex,
    fromLogits: o.fromLogits,
    logTarget: o.logTarget,
    own,
  };
  family.spec.options.forEach((x, j) => {
    read[x.name] = own[j];
  });
  return read;
}

/** Whether every option the plan read from `o` still has its value, and `o` the same keys. */
function unchanged(family: Family, plan: Plan, o: Record<string, unknown>): boolean {
  const s = plan.read;
  if (
    !sameValue(o.classes, s.classes) ||
    !sameValue(o.reduction, s.reduction) ||
    !sameValue(o.accuracy, s.accuracy) ||
    !sameValue(o.classWeights, s.classWeights) ||
    !sameValue(o.ignoreIndex, s.ignoreIndex) ||
    !sameValue(o.fromLogits, s.fromLogits) ||
    !sameValue(o.logTarget, s.logTarget)
  ) {
    return false;
  }
  const own = family.spec.options;
  for (let j = 0; j < own.length; j++) if (!sameValue(o[own[j]!.name], s.own[j])) return false;
  return sameKeys(o, plan.keys);
}

/**
 * The plan of a call whose options all passed. Not for an accumulator's batches (each a new object),
 * nor with an array of class weights (or per-class values), whose elements can change in place
 * between calls and are checked on every call.
 */
function keep(
  family: Family,
  o: Record<string, unknown>,
  want: number,
  read: Read,
  c: ClassOptions,
  reduction: number,
  accuracy: boolean,
): void {
  if (want === SUMS || c.classWeights !== undefined || typeof c.perClass === 'object') return;
  const plan = family.plan;
  plan.opts = o;
  plan.read = read;
  plan.want = want;
  plan.keys = keysOf(o);
  plan.parsed = c;
  plan.reduction = reduction;
  plan.accuracy = accuracy;
}

/** The arrays of a call, checked, with their wasm pointers (-1: an ordinary array). */
interface Operands {
  y: FloatArray | Int32Array;
  zy: number;
  p: FloatArray;
  zp: number;
  w: FloatArray | undefined;
  zw: number;
  out: FloatArray | undefined;
  zo: number;
  /** opts.out as given: a WasmArray's current view is what the call returns. */
  outArg: unknown;
}

function pass(family: Family, fn: string, want: number, target: unknown, pred: unknown, opts: Opts): unknown {
  ready();
  views();
  const o = optionsObject(fn, opts, NEEDS_CLASSES)!;
  const plan = family.plan;
  const hit = o === plan.opts && want === plan.want && unchanged(family, plan, o);
  // (no plan while one is made: a refused option leaves none)
  // Stryker disable next-line BooleanLiteral,ConditionalExpression: a hit needs every value read to equal the plan's, whatever plan.opts held in between
  if (!hit) plan.opts = undefined;
  if (!hit) checkOptionNames(fn, o, family.optionNames);
  const p = floatArray(fn, 'pred', pred);
  const read = hit ? plan.read : snapshot(family, o);
  const c = hit ? plan.parsed : parse(family, fn, read);
  const C = c.classes;
  if (p.length % C !== 0) {
    throw new SimdlossError(`${fn}: opts.classes must divide the length of pred; got ${C} for ${p.length} elements`, 'opts.classes');
  }
  const reduction = hit ? plan.reduction : reductionOf(fn, read.reduction);
  const accuracy = hit ? plan.accuracy : accuracyOption(fn, read.accuracy, want === (LOSS | GRAD), 'withGrad');
  // Stryker disable next-line BooleanLiteral,ConditionalExpression: a plan kept on every call, or never, only parses again: the same options
  if (!hit) keep(family, o, want, read, c, reduction, accuracy);
  // Read once each: after many losses' option objects, a read of `o` is a megamorphic load.
  const weights = o.weights;
  const out = o.out;
  if (out !== undefined && !(want & GRAD))
    throw new SimdlossError(`${fn}: opts.out is for the gradient; ${family.spec.name}() returns none`, 'opts.out');
  // Stryker disable next-line ArithmeticOperator: only whether there is a row is read: p.length · C > 0 exactly when p.length / C > 0
  const rows = p.length / C;
  // A row wider than a slot: one temporary block for a row of target, pred, gradient and class weights.
  const before = wasm.buffer;
  const wide = C * bytesOf(p) > SLOT_BYTES && rows > 0 ? alloc(WIDE_ROWS * C, p instanceof Float32Array ? 'f32' : 'f64') : undefined;
  try {
    const x =
      wide === undefined
        ? operands(family, fn, C, target, pred, weights, out)
        : operands(family, fn, C, ...rederived(family, fn, C, before, [target, pred, weights, out]));
    return run(family, fn, want, c, reduction, accuracy, x, wide);
  } finally {
    wide?.free();
    release(family.operands);
  }
}

/**
 * The arguments again after alloc grew memory: every view is taken again, the WasmArray.array
 * views given as arguments included. Any other view of wasm memory died with the growth: that is
 * said plainly (not a TypeError, not a spurious length error).
 */
function rederived(
  family: Family,
  fn: string,
  C: number,
  before: ArrayBuffer,
  args: readonly unknown[],
): [unknown, unknown, unknown, unknown] {
  const again = args.map(rederive) as [unknown, unknown, unknown, unknown];
  const names = [family.targetName, 'pred', 'opts.weights', 'opts.out'];
  again.forEach((x, j) => {
    if (ArrayBuffer.isView(x) && x.buffer === before && before !== wasm.buffer) {
      throw new SimdlossError(
        `${fn}: ${names[j]} is a view of wasm memory that this call detached: rows of ${C} values are wider than a staging slot, ` +
          'and memory grew for their temporary block; pass the WasmArray itself (or its .array), or an ordinary array',
        names[j],
      );
    }
  });
  return again;
}

function operands(family: Family, fn: string, C: number, target: unknown, pred: unknown, weights: unknown, out: unknown): Operands {
  const p = floatArray(fn, 'pred', pred);
  const rows = p.length / C;
  let y: FloatArray | Int32Array;
  if (family.labels) {
    y = labelArray(fn, target);
    if (y.length !== rows)
      throw new SimdlossError(`${fn}: labels has ${y.length} elements but pred has ${rows} rows of ${C} classes`, 'labels');
  } else {
    y = like(fn, 'target', target, p, 'pred');
  }
  const x = family.operands;
  x.y = y;
  x.zy = wasmPointer(fn, family.targetName, target);
  x.p = p;
  x.zp = wasmPointer(fn, 'pred', pred);
  x.w = undefined;
  x.zw = -1;
  x.out = undefined;
  x.zo = -1;
  x.outArg = out;
  if (weights !== undefined) {
    const w = floatArray(fn, 'opts.weights', weights);
    x.w = w;
    if (w.constructor !== p.constructor) {
      throw new SimdlossError(
        `${fn}: opts.weights is a ${w.constructor.name} but pred is a ${p.constructor.name}: float32 and float64 cannot be mixed`,
        'opts.weights',
      );
    }
    if (w.length !== rows)
      throw new SimdlossError(
        `${fn}: opts.weights has ${w.length} elements but pred has ${rows} rows (one weight per row)`,
        'opts.weights',
      );
    x.zw = wasmPointer(fn, 'opts.weights', weights);
  }
  if (out !== undefined) {
    const g = like(fn, 'opts.out', out, p, 'pred');
    x.out = g;
    x.zo = wasmPointer(fn, 'opts.out', out);
    // The weights (one per row: as long as out only with one class) are read a chunk at a time,
    // after earlier chunks' gradients are written.
    const w = x.w;
    if (!family.apart.holds(g, p, y, w)) {
      const overlapped = overlapsShifted(g, x.zo, p, x.zp)
        ? 'pred'
        : !family.labels && overlapsShifted(g, x.zo, y as FloatArray, x.zy)
          ? family.targetName
          : w !== undefined && (w.length === g.length ? overlapsShifted(g, x.zo, w, x.zw) : shares(g, x.zo, w, x.zw, false))
            ? 'opts.weights'
            : undefined;
      if (overlapped !== undefined) throw shiftedOut(fn, overlapped);
      family.apart.remember(g, p, y, w);
    }
  }
  return x;
}

/**
 * One call under way: its arrays, where their rows are staged, the kernel's arguments and what the
 * loss pass adds up. One record per loss, refilled by every call (each field written before it is
 * read), so that a call allocates no more than its result.
 */
interface Rows {
  family: Family;
  fn: string;
  x: Operands;
  options: ClassOptions;
  rows: number;
  rowBytes: number;
  /** Rows per kernel call. */
  chunk: number;
  /** Where rows of target, pred and the gradient are staged (scratch slots, or the wide block). */
  stageY: number;
  stageP: number;
  stageG: number;
  call: KernelCall;
  /** The loss pass's sums: Σ w·l, and the rows classified right and counted (with accuracy). */
  sum: number;
  correct: number;
  counted: number;
}

/** The family's operands record, refilled by every call; emptied after it, so that it holds no caller's array. */
function newOperands(): Operands {
  // Stryker disable next-line UnaryOperator: operands() writes every pointer before any read
  return { y: EMPTY, zy: -1, p: EMPTY, zp: -1, w: undefined, zw: -1, out: undefined, zo: -1, outArg: undefined };
}

const EMPTY = new Float32Array(0);

// Stryker disable next-line BlockStatement: the record keeps the last call's arrays reachable until the next call refills it; results are the same
function release(x: Operands): void {
  x.y = EMPTY;
  x.p = EMPTY;
  x.w = undefined;
  x.out = undefined;
  x.outArg = undefined;
}

function newRows(family: Family): Rows {
  return {
    family,
    // Stryker disable next-line StringLiteral: begin() writes fn before any read
    fn: '',
    x: family.operands,
    options: undefined as unknown as ClassOptions,
    rows: 0,
    rowBytes: 0,
    chunk: 1,
    stageY: 0,
    stageP: 0,
    stageG: 0,
    call: { m: 0, C: 0, y: 0, p: 0, w: 0, lo: 0, g: 0, cw: 0, scale: 1, param: 0, ignore: 0, topK: 0, mode: 0, second: 0 },
    sum: 0,
    correct: 0,
    counted: 0,
  };
}

/** Fills the family's record for a call of `rows` rows of `rowBytes` each; returns it. */
function begin(
  family: Family,
  fn: string,
  c: ClassOptions,
  x: Operands,
  rows: number,
  rowBytes: number,
  chunk: number,
  wide: number,
): Rows {
  const r = family.rows;
  r.fn = fn;
  r.x = x;
  r.options = c;
  r.rows = rows;
  r.rowBytes = rowBytes;
  r.chunk = chunk;
  // A wide row's staging: rows 0–3 of the block (wide: its pointer, or -1 for the scratch slots).
  r.stageY = wide >= 0 ? wide : slotAt(SLOT.target);
  r.stageP = wide >= 0 ? wide + rowBytes : slotAt(SLOT.pred);
  r.stageG = wide >= 0 ? wide + 2 * rowBytes : slotAt(SLOT.grad);
  const call = r.call;
  call.C = c.classes;
  call.lo = slotAt(SLOT.losses);
  call.cw = wide >= 0 ? wide + 3 * rowBytes : slotAt(SLOT_CLASS_WEIGHTS);
  call.ignore = c.ignore ?? 0;
  call.topK = c.topK;
  call.second = c.second;
  return r;
}

function run(
  family: Family,
  fn: string,
  want: number,
  c: ClassOptions,
  reduction: number,
  accuracy: boolean,
  x: Operands,
  wide: WasmArray | undefined,
): unknown {
  const { p, w } = x;
  const C = c.classes;
  const rows = p.length / C;
  const f32 = p instanceof Float32Array;
  const bytes = bytesOf(p);
  const rowBytes = C * bytes;
  const losses = want & LOSS && reduction === NONE ? (f32 ? new Float32Array(rows) : new Float64Array(rows)) : undefined;
  const grad = want & GRAD ? (x.out ?? (f32 ? new Float32Array(p.length) : new Float64Array(p.length))) : undefined;
  const zg = grad === x.out ? x.zo : -1;
  const copies = x.zy < 0 || x.zp < 0 || (w !== undefined && x.zw < 0) || (grad !== undefined && zg < 0) || losses !== undefined;
  const chunk = wide !== undefined ? 1 : copies ? chunkOf(Math.max(1, Math.floor(SLOT_BYTES / Math.max(rowBytes, 4)))) : Math.max(rows, 1);
  const r = begin(family, fn, c, x, rows, rowBytes, chunk, wide === undefined ? -1 : wide.ptr);
  const call = r.call;
  if (rows > 0) writeClassWeights(call.cw / bytes, C, f32, c.classWeights ?? c.perClass); // (a row of `classes` values may not even fit a slot)

  // Denominator of 'mean' (and of accuracy): Σ weights, or the class-weighted / ignoring sums.
  const weights = w === undefined ? rows : weightSum(fn, w, x.zw, rows, chunkOf(Math.floor(SLOT_BYTES / bytes)));
  const route = routeOf(family, c);
  call.mode =
    (grad !== undefined ? MODE_GRAD : 0) |
    (w !== undefined ? MODE_WEIGHTED : 0) |
    (losses !== undefined ? MODE_LOSSES : 0) |
    (accuracy ? MODE_ACCURACY : 0) |
    (c.ignore !== undefined ? MODE_IGNORE : 0) |
    (route.abi === 'softmax' && c.fromLogits ? MODE_ENTROPY : 0);
  const denominator =
    family.denominator !== undefined && (c.classWeights !== undefined || c.ignore !== undefined) ? denominatorPass(r, f32) : weights;
  call.scale = scaleOf(reduction, denominator);
  call.param = c.fromLogits ? 0 : c.param;
  if (family.labels && route.abi === 'softmax' && call.param > 0) call.mode |= MODE_SMOOTH;

  lossPass(r, route.kernels.of(f32), ABIS[route.abi].call, zg, grad, losses);
  const loss = reduced(want, reduction, r.sum, denominator, rows, losses);
  if (want === LOSS || want === SUMS) return loss;
  const g = x.out !== undefined && x.outArg instanceof WasmArray ? x.outArg.array : grad;
  if (want === GRAD) return g;
  if (accuracy) return { loss, grad: g, accuracy: r.counted > 0 ? r.correct / r.counted : 0 };
  return { loss, grad: g };
}

const SHORT_ROW = 64;

/** Which kernels a call runs, with which ABI: the loss's own, or those its fromLogits and logTarget options select. */
function routeOf(family: Family, c: ClassOptions): { kernels: KernelPair; abi: ClassificationAbi } {
  if (c.logTarget) return { kernels: c.fromLogits ? family.logTarget!.logits : family.logTarget!.kernel, abi: 'rowsum' };
  if (c.fromLogits) return { kernels: family.logits!, abi: 'softmax' };
  return { kernels: family.kernels, abi: family.spec.abi };
}

function writeClassWeights(at: number, C: number, f32: boolean, classWeights: ArrayLike<number> | number | undefined): void {
  const view = f32 ? wasm.f32 : wasm.f64;
  if (classWeights === undefined || typeof classWeights === 'number') {
    const value = classWeights ?? 1;
    // A few classes by a loop: fill is a runtime call (measured: ~140 instructions a call at 10 classes, Node 20).
    if (C <= SHORT_ROW) for (let j = 0; j < C; j++) view[at + j] = value;
    else fillRange(view, value, at, at + C);
  } else for (let j = 0; j < C; j++) view[at + j] = classWeights[j]!;
}

/** Sets the kernel's target, pred and weights pointers for rows [i, i + m), staging what is not in wasm memory. */
function place(r: Rows, i: number, m: number): void {
  const { x, call, rowBytes } = r;
  const C = call.C;
  call.m = m;
  if (x.y instanceof Int32Array) call.y = x.zy >= 0 ? x.zy + i * 4 : copyLabelsIn(x.y, slotAt(SLOT_LABELS), i, m);
  else call.y = x.zy >= 0 ? x.zy + i * rowBytes : copyIn(x.y, r.stageY, i * C, m * C);
  call.p = x.zp >= 0 ? x.zp + i * rowBytes : copyIn(x.p, r.stageP, i * C, m * C);
  call.w = x.w === undefined ? 0 : chunkAt(x.w, x.zw, SLOT.weights, i, m);
}

/** The mean's denominator when class weights or ignoreIndex change it: Σ over rows of w · classWeight[label]. */
function denominatorPass(r: Rows, f32: boolean): number {
  const kernel = r.family.denominator!.of(f32);
  const abi = r.family.labels ? DENOMINATORS.labels : DENOMINATORS.dense;
  let denominator = 0;
  for (let i = 0; i < r.rows; i += r.chunk) {
    place(r, i, Math.min(r.chunk, r.rows - i));
    const bad = abi(kernel, r.call);
    if (bad >= 0) throw refused(r, bad, i);
    denominator += wasm.f64[rowResult() + R_SUM2]!;
  }
  return denominator;
}

/** The loss pass: one kernel call per chunk of rows; the gradient and per-row losses copied out. */
function lossPass(
  r: Rows,
  kernel: Kernel,
  abi: (kernel: Kernel, c: KernelCall) => number,
  zg: number,
  grad: FloatArray | undefined,
  losses: FloatArray | undefined,
): void {
  const { call, rowBytes } = r;
  const accuracy = (call.mode & MODE_ACCURACY) !== 0;
  r.sum = 0;
  r.correct = 0;
  r.counted = 0;
  for (let i = 0; i < r.rows; i += r.chunk) {
    const m = Math.min(r.chunk, r.rows - i);
    place(r, i, m);
    call.g = zg >= 0 ? zg + i * rowBytes : r.stageG;
    const bad = abi(kernel, call);
    if (bad >= 0) throw refused(r, bad, i);
    const result = rowResult();
    r.sum += wasm.f64[result + R_SUM]!;
    if (accuracy) {
      r.correct += wasm.f64[result + R_CORRECT]!;
      r.counted += wasm.f64[result + R_COUNTED]!;
    }
    if (grad !== undefined && zg < 0) copyOut(grad, r.stageG, i * call.C, m * call.C);
    if (losses !== undefined) stageOut(losses, SLOT.losses, i, m);
  }
}

/**
 * The error for the value a kernel refused in the chunk of rows from `i`: always a label or a target,
 * as no row-wise kernel refuses a pred (none leaves another argument code than the target's).
 */
function refused(r: Rows, bad: number, i: number): SimdlossError {
  const { fn, x } = r;
  const C = r.call.C;
  if (r.family.labels) {
    const at = i + bad;
    const ignoring = r.options.ignore !== undefined ? ` or ignoreIndex ${r.options.ignore}` : '';
    return new SimdlossError(`${fn}: labels[${at}] must be an integer in [0, ${C - 1}]${ignoring}; got ${show(x.y[at])}`, 'labels', at);
  }
  const at = i * C + bad;
  const range = r.options.logTarget ? 'be a log-probability in [-Infinity, 0] (logTarget)' : 'be in [0, 1]';
  return new SimdlossError(`${fn}: target[${at}] must ${range}; got ${show(x.y[at])}`, 'target', at);
}

/** The result block's index in `wasm.f64`. */
function rowResult(): number {
  return wasm.result;
}

/** The top-k option: an integer in [1, classes]; left out, its default capped at classes. */
function topKOption(fn: string, option: NumericOption, value: unknown, C: number): number {
  if (value === undefined) return Math.min(option.default, C);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > C) {
    throw new SimdlossError(
      `${fn}: opts.${option.name} must be an integer in [1, ${C}] (1 ≤ ${option.name} ≤ classes); got ${show(value)}`,
      `opts.${option.name}`,
    );
  }
  return value;
}

function labelArray(fn: string, x: unknown): Int32Array {
  const a = x instanceof WasmArray ? x.arrayFor(fn, 'labels') : x;
  if (a instanceof Int32Array) return a;
  const seen = x instanceof WasmArray ? `a WasmArray of '${x.dtype}'` : show(x);
  const hint = Array.isArray(x)
    ? ' (wrap a plain array: Int32Array.from(labels))'
    : a instanceof Float32Array || a instanceof Float64Array
      ? ' (class indices: Int32Array.from(labels))'
      : '';
  throw new SimdlossError(`${fn}: labels must be an Int32Array (or a WasmArray of 'i32'); got ${seen}${hint}`, 'labels');
}

function classWeightsOf(fn: string, x: unknown, C: number, name = 'classWeights', what = 'an array of numbers'): ArrayLike<number> {
  const a = x instanceof WasmArray ? x.arrayFor(fn, `opts.${name}`) : x;
  if (!(a instanceof Float32Array || a instanceof Float64Array || Array.isArray(a))) {
    throw new SimdlossError(`${fn}: opts.${name} must be ${what} (one per class); got ${show(x)}`, `opts.${name}`);
  }
  if (a.length !== C) throw new SimdlossError(`${fn}: opts.${name} has ${a.length} elements but opts.classes is ${C}`, `opts.${name}`);
  for (let j = 0; j < C; j++) {
    const v = a[j];
    if (typeof v !== 'number' || !(v >= 0) || v === Infinity) {
      throw new SimdlossError(`${fn}: opts.${name}[${j}] must be a finite number ≥ 0; got ${show(v)}`, `opts.${name}`, j);
    }
  }
  return a as ArrayLike<number>;
}

/** A per-class option given as an array: one finite value ≥ 0 per class (given as a number, numericOption checks it). */
function perClassOf(fn: string, name: string, x: unknown, C: number): ArrayLike<number> {
  return classWeightsOf(fn, x, C, name, 'a number or an array of numbers');
}
