/**
 * Turns the description of a row-wise embedding loss (inputs that are batches of rows of `dim`
 * values, an optional label per row) into the public function with `.grad` and `.withGrad`, which
 * return one gradient per embedding input. Ordinary arrays are streamed through the scratch slots
 * whole rows at a time; WasmArrays are used in place.
 */
import { SimdlossError, show } from './errors.js';
import {
  type FloatArray, type NumericOption, MEAN, NONE, SUM,
  checkOptionNames, floatArray, like, numericOption, overWasm, reductionOf, stageIn, stageOut, wasmPointer,
} from './args.js';
import type { F32, F64 } from './elementwise.js';
import { WasmArray } from './memory.js';
import { GRAD_SLOTS, IN_SLOTS, LABEL_SLOT, MODE_GRAD, MODE_LOSSES, MODE_WEIGHTED, R_SUM2, SLOT, SLOT_BYTES } from './abi.js';
import { type Kernel, chunkOf, ready, views, wasm } from './wasm.js';
import { type AccumulatorBase, type AccumulatorState, type Json, type Sums, resolveNumeric, streaming } from './stream.js';

export interface RowsSpec {
  name: string;
  /** Export prefix of the kernel pair in wasm. */
  kernel: string;
  /** Names of the embedding inputs in argument order (after the label, if any); also the keys of the gradient. */
  inputs: readonly string[];
  /** What a label must be, for losses with one per row (checked inside the kernel). */
  label?: string;
  options: readonly NumericOption[];
  /** Boolean options and the mode bit each sets. */
  flags: readonly { name: string; bit: number }[];
}

export interface RowReduceOptions<In> {
  /** Values per row (required; must divide the length of every embedding input). */
  dim: number;
  reduction?: 'mean' | 'sum';
  /** One weight ≥ 0 per row. */
  weights?: In;
}
export interface RowNoneOptions<In> {
  dim: number;
  reduction: 'none';
  weights?: In;
}
export interface RowGradOptions<In, K extends string> {
  dim: number;
  reduction?: 'mean' | 'sum' | 'none';
  weights?: In;
  /** Arrays that receive the gradients (each optional, same dtype and length as its input) and are returned. */
  out?: { [key in K]?: In };
}
type Grads<K extends string, A> = { [key in K]: A };

/** contrastive / cosineEmbedding: (label, a, b, opts). */
export interface PairLoss<O = object> {
  (label: F32, a: F32, b: F32, opts: O & RowReduceOptions<F32>): number;
  (label: F64, a: F64, b: F64, opts: O & RowReduceOptions<F64>): number;
  (label: F32, a: F32, b: F32, opts: O & RowNoneOptions<F32>): Float32Array;
  (label: F64, a: F64, b: F64, opts: O & RowNoneOptions<F64>): Float64Array;
  (label: F32 | F64, a: F32 | F64, b: F32 | F64, opts: O & RowReduceOptions<F32 | F64>): number;
  (label: F32 | F64, a: F32 | F64, b: F32 | F64, opts: O & RowNoneOptions<F32 | F64>): FloatArray;
  /** dL/da and dL/db, each the same dtype and length as its input. */
  grad(label: F32, a: F32, b: F32, opts: O & RowGradOptions<F32, 'a' | 'b'>): Grads<'a' | 'b', Float32Array>;
  grad(label: F64, a: F64, b: F64, opts: O & RowGradOptions<F64, 'a' | 'b'>): Grads<'a' | 'b', Float64Array>;
  grad(label: F32 | F64, a: F32 | F64, b: F32 | F64, opts: O & RowGradOptions<F32 | F64, 'a' | 'b'>): Grads<'a' | 'b', FloatArray>;
  /** Loss and both gradients from one fused pass. */
  withGrad(label: F32, a: F32, b: F32, opts: O & RowGradOptions<F32, 'a' | 'b'> & { reduction?: 'mean' | 'sum' }): { loss: number; grad: Grads<'a' | 'b', Float32Array> };
  withGrad(label: F64, a: F64, b: F64, opts: O & RowGradOptions<F64, 'a' | 'b'> & { reduction?: 'mean' | 'sum' }): { loss: number; grad: Grads<'a' | 'b', Float64Array> };
  withGrad(label: F32, a: F32, b: F32, opts: O & RowGradOptions<F32, 'a' | 'b'> & { reduction: 'none' }): { loss: Float32Array; grad: Grads<'a' | 'b', Float32Array> };
  withGrad(label: F64, a: F64, b: F64, opts: O & RowGradOptions<F64, 'a' | 'b'> & { reduction: 'none' }): { loss: Float64Array; grad: Grads<'a' | 'b', Float64Array> };
  withGrad(label: F32 | F64, a: F32 | F64, b: F32 | F64, opts: O & RowGradOptions<F32 | F64, 'a' | 'b'>): { loss: number | FloatArray; grad: Grads<'a' | 'b', FloatArray> };
  /** A streaming accumulator with these options fixed (opts.dim required; reduction 'mean' or 'sum'; weights go to update). */
  create(opts: O & { dim: number; reduction?: 'mean' | 'sum' }): EmbeddingAccumulator;
  /** Restores an accumulator from its toJSON() state (or that state's JSON text). */
  fromJSON(state: AccumulatorState | string): EmbeddingAccumulator;
  readonly lossName: string;
  readonly options: readonly NumericOption[];
}

/** An accumulator of an embedding loss: batches of whole rows, (label, a, b) or (anchor, positive, negative), weights per row. */
export interface EmbeddingAccumulator extends AccumulatorBase {
  update(x0: F32, x1: F32, x2: F32, weights?: F32): this;
  update(x0: F64, x1: F64, x2: F64, weights?: F64): this;
  update(x0: F32 | F64, x1: F32 | F64, x2: F32 | F64, weights?: F32 | F64): this;
}

type T3 = 'anchor' | 'positive' | 'negative';
/** triplet: (anchor, positive, negative, opts). */
export interface TripletLoss<O = object> {
  (anchor: F32, positive: F32, negative: F32, opts: O & RowReduceOptions<F32>): number;
  (anchor: F64, positive: F64, negative: F64, opts: O & RowReduceOptions<F64>): number;
  (anchor: F32, positive: F32, negative: F32, opts: O & RowNoneOptions<F32>): Float32Array;
  (anchor: F64, positive: F64, negative: F64, opts: O & RowNoneOptions<F64>): Float64Array;
  (anchor: F32 | F64, positive: F32 | F64, negative: F32 | F64, opts: O & RowReduceOptions<F32 | F64>): number;
  (anchor: F32 | F64, positive: F32 | F64, negative: F32 | F64, opts: O & RowNoneOptions<F32 | F64>): FloatArray;
  grad(anchor: F32, positive: F32, negative: F32, opts: O & RowGradOptions<F32, T3>): Grads<T3, Float32Array>;
  grad(anchor: F64, positive: F64, negative: F64, opts: O & RowGradOptions<F64, T3>): Grads<T3, Float64Array>;
  grad(anchor: F32 | F64, positive: F32 | F64, negative: F32 | F64, opts: O & RowGradOptions<F32 | F64, T3>): Grads<T3, FloatArray>;
  withGrad(anchor: F32, positive: F32, negative: F32, opts: O & RowGradOptions<F32, T3> & { reduction?: 'mean' | 'sum' }): { loss: number; grad: Grads<T3, Float32Array> };
  withGrad(anchor: F64, positive: F64, negative: F64, opts: O & RowGradOptions<F64, T3> & { reduction?: 'mean' | 'sum' }): { loss: number; grad: Grads<T3, Float64Array> };
  withGrad(anchor: F32, positive: F32, negative: F32, opts: O & RowGradOptions<F32, T3> & { reduction: 'none' }): { loss: Float32Array; grad: Grads<T3, Float32Array> };
  withGrad(anchor: F64, positive: F64, negative: F64, opts: O & RowGradOptions<F64, T3> & { reduction: 'none' }): { loss: Float64Array; grad: Grads<T3, Float64Array> };
  withGrad(anchor: F32 | F64, positive: F32 | F64, negative: F32 | F64, opts: O & RowGradOptions<F32 | F64, T3>): { loss: number | FloatArray; grad: Grads<T3, FloatArray> };
  /** A streaming accumulator with these options fixed (opts.dim required; reduction 'mean' or 'sum'; weights go to update). */
  create(opts: O & { dim: number; reduction?: 'mean' | 'sum' }): EmbeddingAccumulator;
  /** Restores an accumulator from its toJSON() state (or that state's JSON text). */
  fromJSON(state: AccumulatorState | string): EmbeddingAccumulator;
  readonly lossName: string;
  readonly options: readonly NumericOption[];
}

const LOSS = 1;
const GRAD = 2;
/** Internal: Σ wᵢlᵢ, Σ wᵢ and the row count for an accumulator, instead of the reduced loss. */
const SUMS = 4;

/** What one pass over the data leaves: Σ wᵢ·lᵢ and Σ wᵢ (what a streaming accumulator would add up). */
interface Pass {
  total: number;
  weightSum: number;
}

export function rows<L>(spec: RowsSpec): L {
  const { name, inputs } = spec;
  const k = inputs.length;
  const hasLabel = spec.label !== undefined;
  const optionNames = ['dim', 'reduction', 'weights', 'out', ...spec.options.map((o) => o.name), ...spec.flags.map((f) => f.name)];
  let generation = -1;
  let k32: Kernel;
  let k64: Kernel;
  const pass: Pass = { total: 0, weightSum: 0 };

  function run(fn: string, want: number, x0: unknown, x1: unknown, x2: unknown, opts: Record<string, unknown> | undefined): unknown {
    ready();
    if (generation !== wasm.generation) {
      generation = wasm.generation;
      k32 = wasm.exports![`${spec.kernel}_f32`] as Kernel;
      k64 = wasm.exports![`${spec.kernel}_f64`] as Kernel;
    }
    views();
    const raw = hasLabel ? [x1, x2] : [x0, x1, x2];
    const first = floatArray(fn, inputs[0]!, raw[0]);
    const xs: FloatArray[] = [first];
    for (let j = 1; j < k; j++) xs.push(like(fn, inputs[j]!, raw[j], first, inputs[0]!));
    const zx = raw.map((x, j) => wasmPointer(fn, inputs[j]!, x));

    if (opts === undefined || opts === null || typeof opts !== 'object') {
      throw new SimdlossError(`${fn}: opts must be an object with opts.dim, the values per row; got ${show(opts)}`, 'opts');
    }
    checkOptionNames(fn, opts, optionNames);
    const dim = opts.dim;
    if (!(typeof dim === 'number' && Number.isSafeInteger(dim) && dim >= 1)) {
      throw new SimdlossError(`${fn}: opts.dim (values per row) is required: an integer ≥ 1; got ${show(dim)}`, 'opts.dim');
    }
    if (first.length % dim !== 0) {
      throw new SimdlossError(`${fn}: ${inputs[0]} has ${first.length} elements, not a multiple of opts.dim = ${dim}`, inputs[0]);
    }
    const n = first.length / dim;
    const rowsOf = (what: string, x: unknown): FloatArray => {
      const a = floatArray(fn, what, x);
      if (a.constructor !== first.constructor) {
        throw new SimdlossError(`${fn}: ${what} is a ${a.constructor.name} but ${inputs[0]} is a ${first.constructor.name}: float32 and float64 cannot be mixed`, what);
      }
      if (a.length !== n) {
        throw new SimdlossError(`${fn}: ${what} has ${a.length} elements but ${inputs[0]} has ${n} rows of opts.dim = ${dim}: one per row`, what);
      }
      return a;
    };
    const label = hasLabel ? rowsOf('label', x0) : undefined;
    const zl = hasLabel ? wasmPointer(fn, 'label', x0) : -1;
    const reduction = reductionOf(fn, opts.reduction);
    const w = opts.weights === undefined ? undefined : rowsOf('opts.weights', opts.weights);
    const zw = w === undefined ? -1 : wasmPointer(fn, 'opts.weights', opts.weights);
    const margin = numericOption(fn, spec.options[0]!, opts[spec.options[0]!.name]);
    let mode = 0;
    for (const flag of spec.flags) {
      const v = opts[flag.name];
      if (v !== undefined && typeof v !== 'boolean') throw new SimdlossError(`${fn}: opts.${flag.name} must be true or false; got ${show(v)}`, `opts.${flag.name}`);
      if (v) mode |= flag.bit;
    }

    // Gradients: opts.out's arrays where given, new ones otherwise.
    const f32 = first instanceof Float32Array;
    const grads: FloatArray[] = [];
    const zg: number[] = [];
    if (want & GRAD) {
      const out = opts.out as Record<string, unknown> | undefined;
      if (out !== undefined && (out === null || typeof out !== 'object' || ArrayBuffer.isView(out) || Array.isArray(out) || out instanceof WasmArray)) {
        throw new SimdlossError(`${fn}: opts.out must be an object { ${inputs.join(', ')} } of arrays (each optional); got ${show(out)}`, 'opts.out');
      }
      for (const key in out) {
        if (!inputs.includes(key)) throw new SimdlossError(`${fn}: unknown key '${key}' in opts.out (the gradients are ${inputs.join(', ')})`, `opts.out.${key}`);
      }
      for (let j = 0; j < k; j++) {
        const o = out?.[inputs[j]!];
        if (o === undefined) {
          grads.push(f32 ? new Float32Array(first.length) : new Float64Array(first.length));
          zg.push(-1);
          continue;
        }
        const what = `opts.out.${inputs[j]}`;
        const g = like(fn, what, o, first, inputs[0]!);
        const p = wasmPointer(fn, what, o);
        // The kernel reads every input element before writing the gradients at the same index, so
        // an output may be an input itself; any other overlap would read what was just written.
        for (let i = 0; i < k; i++) if (clash(g, p, xs[i]!, zx[i]!, true)) throw overlap(fn, what, inputs[i]!);
        if (label && clash(g, p, label, zl, false)) throw overlap(fn, what, 'label');
        if (w && clash(g, p, w, zw, false)) throw overlap(fn, what, 'opts.weights');
        for (let i = 0; i < j; i++) if (clash(g, p, grads[i]!, zg[i]!, false)) throw overlap(fn, what, `opts.out.${inputs[i]}`);
        grads.push(g);
        zg.push(p);
      }
    } else if (opts.out !== undefined) {
      throw new SimdlossError(`${fn}: opts.out is for the gradients; ${name}() returns none`, 'opts.out');
    }

    const bytes = first.BYTES_PER_ELEMENT;
    const rowBytes = dim * bytes;
    const losses = want & LOSS && reduction === NONE ? (f32 ? new Float32Array(n) : new Float64Array(n)) : undefined;
    const rowCopies = zx.some((z) => z < 0) || zg.some((z) => z < 0);
    const perRowCopies = zl < 0 || (w !== undefined && zw < 0) || losses !== undefined;
    let chunk = Math.max(n, 1);
    if (rowCopies) {
      chunk = Math.floor(SLOT_BYTES / rowBytes);
      if (chunk === 0) {
        throw new SimdlossError(`${fn}: opts.dim = ${dim} is wider than a staging slot (${SLOT_BYTES / bytes} ${f32 ? 'float32' : 'float64'} values per row at most) ` +
          `for ordinary arrays; pass ${inputs.join(', ')} and opts.out as WasmArrays (alloc) for wider rows`, 'opts.dim');
      }
      chunk = chunkOf(chunk);
    } else if (perRowCopies) {
      chunk = chunkOf(SLOT_BYTES / bytes);
    }

    pass.weightSum = n;
    if (w !== undefined) {
      pass.weightSum = 0;
      const kw = wasm.exports![f32 ? 'weights_f32' : 'weights_f64'] as Kernel;
      const wchunk = zw >= 0 ? Math.max(n, 1) : chunkOf(SLOT_BYTES / bytes);
      for (let i = 0; i < n; i += wchunk) {
        const m = Math.min(wchunk, n - i);
        const bad = kw(m, zw >= 0 ? zw + i * bytes : stageIn(w, SLOT.weights, i, m));
        if (bad >= 0) throw new SimdlossError(`${fn}: opts.weights[${i + bad}] must be a finite number ≥ 0; got ${show(w[i + bad])}`, 'opts.weights', i + bad);
        pass.weightSum += wasm.f64[wasm.result]!;
      }
    }
    const weightSum = pass.weightSum;
    const scale = reduction !== MEAN ? 1 : weightSum > 0 ? 1 / weightSum : 0;
    mode |= (want & GRAD ? MODE_GRAD : 0) | (w !== undefined ? MODE_WEIGHTED : 0) | (losses !== undefined ? MODE_LOSSES : 0);
    const kern = f32 ? k32 : k64;
    const slot = (s: number) => wasm.scratch + s * SLOT_BYTES;
    const none = slot(LABEL_SLOT); // any valid address: the kernel does not read an unused stream

    pass.total = 0;
    for (let i = 0; i < n; i += chunk) {
      const m = Math.min(chunk, n - i);
      const e = i * dim; // first element of the chunk
      const me = m * dim;
      const at = (j: number) => (zx[j]! >= 0 ? zx[j]! + e * bytes : stageIn(xs[j]!, IN_SLOTS[j]!, e, me));
      const gat = (j: number) => (zg[j] !== undefined && zg[j]! >= 0 ? zg[j]! + e * bytes : slot(GRAD_SLOTS[j]!));
      const wp = w === undefined ? none : zw >= 0 ? zw + i * bytes : stageIn(w, SLOT.weights, i, m);
      const lo = slot(SLOT.losses);
      let bad: number;
      if (k === 2) {
        const lp = zl >= 0 ? zl + i * bytes : stageIn(label!, LABEL_SLOT, i, m);
        bad = kern(m, dim, lp, at(0), at(1), wp, lo, gat(0), gat(1), scale, margin, mode);
      } else {
        bad = kern(m, dim, at(0), at(1), at(2), wp, lo, gat(0), gat(1), gat(2), scale, margin, mode);
      }
      if (bad >= 0) {
        const seen = wasm.f64[wasm.result + R_SUM2]!; // the kernel leaves the label it refused at RESULT_SUM2
        throw new SimdlossError(`${fn}: label[${i + bad}] must be ${spec.label}; got ${show(seen)}`, 'label', i + bad);
      }
      pass.total += wasm.f64[wasm.result]!;
      if (want & GRAD) for (let j = 0; j < k; j++) if (zg[j]! < 0) stageOut(grads[j]!, GRAD_SLOTS[j]!, e, me);
      if (losses !== undefined) stageOut(losses, SLOT.losses, i, m);
    }

    if (want === SUMS) return { sum: pass.total, weight: weightSum, count: n } satisfies Sums;
    const loss = losses ?? (reduction === SUM ? pass.total : weightSum > 0 ? pass.total / weightSum : 0);
    if (want === LOSS) return loss;
    const grad: Record<string, FloatArray> = {};
    for (let j = 0; j < k; j++) grad[inputs[j]!] = grads[j]!;
    if (want === GRAD) return grad;
    return { loss, grad };
  }

  const gradName = `${name}.grad`;
  const withGradName = `${name}.withGrad`;
  type Args = [unknown, unknown, unknown, Record<string, unknown> | undefined];
  const f = ((...a: Args) => run(name, LOSS, ...a)) as unknown as L;
  Object.defineProperties(f, {
    name: { value: name },
    lossName: { value: name },
    options: { value: spec.options },
    grad: { value: (...a: Args) => run(gradName, GRAD, ...a) },
    withGrad: { value: (...a: Args) => run(withGradName, LOSS | GRAD, ...a) },
  });
  // Accumulators: batches of whole rows, each checked as the one-shot call is; dim, margin and the
  // flags are fixed at create.
  streaming(f as object, {
    name,
    resolve(fn, opts) {
      if (opts !== undefined && opts !== null && typeof opts !== 'object') {
        throw new SimdlossError(`${fn}: opts must be an object with opts.dim, the values per row; got ${show(opts)}`, 'opts');
      }
      const o = (opts ?? {}) as Record<string, unknown>;
      // Names checked here, where dim and the flags are known (resolveNumeric below refuses weights and out with their own message).
      const { weights: _weights, out: _out, ...named } = o;
      checkOptionNames(fn, named, ['dim', 'reduction', ...spec.options.map((x) => x.name), ...spec.flags.map((x) => x.name)]);
      const dim = o.dim;
      if (!(typeof dim === 'number' && Number.isSafeInteger(dim) && dim >= 1)) {
        throw new SimdlossError(`${fn}: opts.dim (values per row) is required: an integer ≥ 1; got ${show(dim)}`, 'opts.dim');
      }
      const numeric: Record<string, unknown> = {};
      const flags: { [key: string]: Json } = {};
      for (const key in o) {
        const flag = spec.flags.find((x) => x.name === key);
        if (flag) {
          if (typeof o[key] !== 'boolean') throw new SimdlossError(`${fn}: opts.${key} must be true or false; got ${show(o[key])}`, `opts.${key}`);
          flags[key] = o[key] as boolean;
        } else if (key !== 'dim') numeric[key] = o[key];
      }
      const resolved = resolveNumeric(fn, numeric, spec.options);
      resolved.dim = dim;
      for (const flag of spec.flags) resolved[flag.name] = flags[flag.name] ?? false;
      return resolved;
    },
    batch(fn, options, args) {
      if (args.length > 4) throw new SimdlossError(`${fn}: takes (${hasLabel ? 'label, ' : ''}${inputs.join(', ')}, weights?); got ${args.length} arguments`, 'arguments');
      return run(fn, SUMS, args[0], args[1], args[2], { ...options, weights: args[3] }) as Sums;
    },
  });
  return f;
}

/** Whether two arrays share memory; `allowSame`: the very same elements (same start and length) are fine. */
function clash(a: FloatArray, pa: number, b: FloatArray, pb: number, allowSame: boolean): boolean {
  if ((pa < 0) !== (pb < 0)) {
    pa = pa < 0 ? overWasm(a) : pa;
    pb = pb < 0 ? overWasm(b) : pb;
    if (pa < 0 || pb < 0) return false;
  } else if (pa < 0) {
    if (a.buffer !== b.buffer) return false;
    pa = a.byteOffset;
    pb = b.byteOffset;
  }
  const ea = pa + a.byteLength;
  const eb = pb + b.byteLength;
  if (pa >= eb || pb >= ea || a.byteLength === 0 || b.byteLength === 0) return false;
  return !(allowSame && pa === pb && ea === eb);
}

function overlap(fn: string, what: string, other: string): SimdlossError {
  return new SimdlossError(`${fn}: ${what} overlaps ${other} (an output may be its own input, not a shifted view or another argument)`, what);
}
