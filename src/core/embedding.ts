/**
 * The embedding family: inputs that are batches of rows of `dim` values, an optional label per
 * row; `.grad` and `.withGrad` return one gradient per embedding input. Ordinary arrays are
 * streamed through the scratch slots whole rows at a time; WasmArrays are used in place. The call
 * path is call.ts's; this file holds the option set, the kernel's arguments and its errors.
 */
import { GRAD_SLOTS, IN_SLOTS, LABEL_SLOT, MODE_GRAD, MODE_LOSSES, MODE_WEIGHTED, R_SUM, R_SUM2, SLOT, SLOT_BYTES } from './abi.js';
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
import { SimdlossError, show } from './errors.js';
import { KernelPair } from './kernels.js';
import { accumulatorReduction, booleanOption, NEEDS_DIM, optionsObject, outObject, type Resolved, refuseCallOptions } from './options.js';
import { shares } from './overlap.js';
import { chunkAt, slotAt, stageOut } from './staging.js';
import { bytesOf } from './typed.js';
import { chunkOf, ready, views, wasm } from './wasm.js';
import { weightSum } from './weights.js';

export interface EmbeddingSpec {
  name: string;
  /** Export prefix of the kernel pair in wasm. */
  kernel: string;
  /** Names of the embedding inputs in argument order (after the label, if any); also the keys of the gradient. */
  inputs: readonly string[];
  /** What a label must be, for losses with one per row (checked inside the kernel). */
  label?: string;
  options: readonly NumericOption[];
  /** The numeric option the kernel takes as its scalar parameter. */
  param: string;
  /** Boolean options and the mode bit each sets. */
  flags: readonly { name: string; bit: number }[];
}

interface Family {
  spec: EmbeddingSpec;
  optionNames: readonly string[];
  kernels: KernelPair;
}

/** The loss's own options, checked once for the call and for create. */
interface RowOptions {
  dim: number;
  values: number[];
  /** The flags' mode bits. */
  mode: number;
}

export function embedding<L>(spec: EmbeddingSpec): L {
  const family: Family = {
    spec,
    optionNames: ['dim', 'reduction', 'weights', 'out', ...spec.options.map((o) => o.name), ...spec.flags.map((f) => f.name)],
    kernels: new KernelPair(spec.kernel),
  };
  return wire<L, Family>({
    name: spec.name,
    options: spec.options,
    arrays: 3,
    updateArguments: updateArguments(spec),
    grad: true,
    pass,
    family,
    shape: { kind: 'embedding', label: spec.label !== undefined, inputs: spec.inputs },
    resolve: (fn, opts) => resolve(family, fn, opts),
  });
}

/** What an accumulator's update() takes before its weights: the label, if any, then the inputs. */
function updateArguments(spec: EmbeddingSpec): string {
  return (spec.label !== undefined ? 'label, ' : '') + spec.inputs.join(', ');
}

function parse(family: Family, fn: string, o: Record<string, unknown>): RowOptions {
  const dim = o.dim;
  if (!(typeof dim === 'number' && Number.isSafeInteger(dim) && dim >= 1)) {
    throw new SimdlossError(`${fn}: opts.dim (values per row) is required: an integer ≥ 1; got ${show(dim)}`, 'opts.dim');
  }
  const values = family.spec.options.map((x) => numericOption(fn, x, o[x.name]));
  let mode = 0;
  for (const flag of family.spec.flags) if (booleanOption(fn, flag.name, o[flag.name])) mode |= flag.bit;
  return { dim, values, mode };
}

/** create(): the shared options, as the JSON an accumulator keeps. */
function resolve(family: Family, fn: string, opts: unknown): Resolved {
  const { spec } = family;
  const o = opts === undefined || opts === null ? {} : optionsObject(fn, opts, NEEDS_DIM)!;
  const { weights: _weights, out: _out, ...named } = o;
  checkOptionNames(
    fn,
    named,
    // Stryker disable next-line MethodExpression,StringLiteral: named has weights and out taken out already
    family.optionNames.filter((x) => x !== 'weights' && x !== 'out'),
  );
  const c = parse(family, fn, o);
  refuseCallOptions(fn, o, ['weights', 'out'], updateArguments(spec));
  const resolved: Resolved = { reduction: accumulatorReduction(fn, o.reduction, 'example') };
  spec.options.forEach((x, j) => {
    resolved[x.name] = c.values[j]!;
  });
  resolved.dim = c.dim;
  for (const flag of spec.flags) resolved[flag.name] = (c.mode & flag.bit) !== 0;
  return resolved;
}

/** One call under way: the inputs and their gradients (wasm pointers: -1 for ordinary arrays), per-row arrays, the layout. */
interface Batch {
  fn: string;
  xs: FloatArray[];
  zx: number[];
  grads: FloatArray[];
  zg: number[];
  label: FloatArray | undefined;
  zl: number;
  w: FloatArray | undefined;
  zw: number;
  dim: number;
  /** Rows. */
  n: number;
}

function pass(family: Family, fn: string, want: number, x0: unknown, x1: unknown, opts: Opts, x2?: unknown): unknown {
  ready();
  views();
  const { spec } = family;
  const { inputs } = spec;
  const hasLabel = spec.label !== undefined;
  const raw = hasLabel ? [x1, x2] : [x0, x1, x2];
  const first = floatArray(fn, inputs[0]!, raw[0]);
  const xs: FloatArray[] = [first];
  for (let j = 1; j < inputs.length; j++) xs.push(like(fn, inputs[j]!, raw[j], first, inputs[0]!));
  const zx = raw.map((x, j) => wasmPointer(fn, inputs[j]!, x));
  const o = optionsObject(fn, opts, NEEDS_DIM)!;
  checkOptionNames(fn, o, family.optionNames);
  const c = parse(family, fn, o);
  const dim = c.dim;
  if (first.length % dim !== 0) {
    throw new SimdlossError(`${fn}: ${inputs[0]} has ${first.length} elements, not a multiple of opts.dim = ${dim}`, inputs[0]);
  }
  const n = first.length / dim;
  const rowsOf = (what: string, x: unknown): FloatArray => {
    const a = floatArray(fn, what, x);
    if (a.constructor !== first.constructor) {
      throw new SimdlossError(
        `${fn}: ${what} is a ${a.constructor.name} but ${inputs[0]} is a ${first.constructor.name}: float32 and float64 cannot be mixed`,
        what,
      );
    }
    if (a.length !== n)
      throw new SimdlossError(
        `${fn}: ${what} has ${a.length} elements but ${inputs[0]} has ${n} rows of opts.dim = ${dim}: one per row`,
        what,
      );
    return a;
  };
  const label = hasLabel ? rowsOf('label', x0) : undefined;
  const reduction = reductionOf(fn, o.reduction);
  const w = o.weights === undefined ? undefined : rowsOf('opts.weights', o.weights);
  const b: Batch = {
    fn,
    xs,
    zx,
    grads: [],
    zg: [],
    label,
    zl: hasLabel ? wasmPointer(fn, 'label', x0) : -1,
    w,
    // WasmArray weights taken for ordinary ones are staged (the same values); rowsOf refused a freed one by this name already.
    // Stryker disable next-line EqualityOperator,UnaryOperator,StringLiteral: zw is read only with weights (reasons above)
    zw: w === undefined ? -1 : wasmPointer(fn, 'opts.weights', o.weights),
    dim,
    n,
  };
  if (want & GRAD) gradients(family, b, o.out);
  else if (o.out !== undefined) throw new SimdlossError(`${fn}: opts.out is for the gradients; ${spec.name}() returns none`, 'opts.out');
  const param = c.values[spec.options.findIndex((x) => x.name === spec.param)]!;
  return run(family, b, want, reduction, param, c.mode);
}

/** The gradients: opts.out's arrays where given (checked for overlaps), new ones otherwise. */
function gradients(family: Family, b: Batch, outArg: unknown): void {
  const { fn, xs, zx, grads, zg } = b;
  const { inputs } = family.spec;
  const out = outObject(fn, outArg, inputs);
  const first = xs[0]!;
  for (let j = 0; j < inputs.length; j++) {
    const o = out?.[inputs[j]!];
    if (o === undefined) {
      grads.push(first instanceof Float32Array ? new Float32Array(first.length) : new Float64Array(first.length));
      zg.push(-1);
      continue;
    }
    const what = `opts.out.${inputs[j]}`;
    const g = like(fn, what, o, first, inputs[0]!);
    const p = wasmPointer(fn, what, o);
    // An output may be an input itself (the kernel reads a row before it writes its gradient); any other overlap would read what was just written.
    for (let i = 0; i < inputs.length; i++) if (shares(g, p, xs[i]!, zx[i]!, true)) throw overlap(fn, what, inputs[i]!);
    if (b.label && shares(g, p, b.label, b.zl, false)) throw overlap(fn, what, 'label');
    if (b.w && shares(g, p, b.w, b.zw, false)) throw overlap(fn, what, 'opts.weights');
    for (let i = 0; i < j; i++) if (shares(g, p, grads[i]!, zg[i]!, false)) throw overlap(fn, what, `opts.out.${inputs[i]}`);
    grads.push(g);
    zg.push(p);
  }
}

/** Rows per kernel call: all of them when nothing is copied, else what fits a slot. */
function chunkFor(family: Family, b: Batch, losses: FloatArray | undefined): number {
  const bytes = bytesOf(b.xs[0]!);
  const rowCopies = b.zx.some((z) => z < 0) || b.zg.some((z) => z < 0);
  if (rowCopies) {
    const fit = Math.floor(SLOT_BYTES / (b.dim * bytes));
    if (fit === 0) {
      throw new SimdlossError(
        `${b.fn}: opts.dim = ${b.dim} is wider than a staging slot (${SLOT_BYTES / bytes} ${bytes === 4 ? 'float32' : 'float64'} values per row at most) ` +
          `for ordinary arrays; pass ${family.spec.inputs.join(', ')} and opts.out as WasmArrays (alloc) for wider rows`,
        'opts.dim',
      );
    }
    return chunkOf(fit);
  }
  // a loss without a label (triplet) has no label to copy: its zl of -1 says nothing
  const perRowCopies = (b.label !== undefined && b.zl < 0) || (b.w !== undefined && b.zw < 0) || losses !== undefined;
  return perRowCopies ? chunkOf(SLOT_BYTES / bytes) : Math.max(b.n, 1);
}

function run(family: Family, b: Batch, want: number, reduction: number, param: number, flags: number): unknown {
  const { xs, zx, grads, zg, w, n, dim } = b;
  const first = xs[0]!;
  const f32 = first instanceof Float32Array;
  const bytes = bytesOf(first);
  const losses = want & LOSS && reduction === NONE ? (f32 ? new Float32Array(n) : new Float64Array(n)) : undefined;
  const chunk = chunkFor(family, b, losses);
  const weights = w === undefined ? n : weightSum(b.fn, w, b.zw, n, b.zw >= 0 ? Math.max(n, 1) : chunkOf(SLOT_BYTES / bytes));
  const scale = scaleOf(reduction, weights);
  const mode = flags | (want & GRAD ? MODE_GRAD : 0) | (w !== undefined ? MODE_WEIGHTED : 0) | (losses !== undefined ? MODE_LOSSES : 0);
  const kernel = family.kernels.of(f32);
  const none = slotAt(LABEL_SLOT); // any valid address: the kernel does not read an unused stream
  const lo = slotAt(SLOT.losses);
  const three = xs.length === 3;
  let total = 0;
  for (let i = 0; i < n; i += chunk) {
    const m = Math.min(chunk, n - i);
    const e = i * dim; // first element of the chunk
    const me = m * dim;
    const at = (j: number) => chunkAt(xs[j]!, zx[j]!, IN_SLOTS[j]!, e, me);
    const gat = (j: number) => (zg[j] !== undefined && zg[j]! >= 0 ? zg[j]! + e * bytes : slotAt(GRAD_SLOTS[j]!));
    const wp = w === undefined ? none : chunkAt(w, b.zw, SLOT.weights, i, m);
    const bad = three
      ? kernel(m, dim, at(0), at(1), at(2), wp, lo, gat(0), gat(1), gat(2), scale, param, mode)
      : kernel(m, dim, chunkAt(b.label!, b.zl, LABEL_SLOT, i, m), at(0), at(1), wp, lo, gat(0), gat(1), scale, param, mode);
    if (bad >= 0) {
      const seen = wasm.f64[wasm.result + R_SUM2]!; // the kernel leaves the label it refused there
      throw new SimdlossError(`${b.fn}: label[${i + bad}] must be ${family.spec.label}; got ${show(seen)}`, 'label', i + bad);
    }
    total += wasm.f64[wasm.result + R_SUM]!;
    if (want & GRAD) for (let j = 0; j < xs.length; j++) if (zg[j]! < 0) stageOut(grads[j]!, GRAD_SLOTS[j]!, e, me);
    if (losses !== undefined) stageOut(losses, SLOT.losses, i, m);
  }
  const loss = reduced(want, reduction, total, weights, n, losses);
  if (want === LOSS || want === SUMS) return loss;
  const grad: Record<string, FloatArray> = {};
  for (let j = 0; j < xs.length; j++) grad[family.spec.inputs[j]!] = grads[j]!;
  return want === GRAD ? grad : { loss, grad };
}

function overlap(fn: string, what: string, other: string): SimdlossError {
  return new SimdlossError(
    `${fn}: ${what} overlaps ${other} (an output may be its own input, not a shifted view or another argument)`,
    what,
  );
}
