/**
 * Turns the description of a row-wise loss or metric (an example is one row of `classes` values)
 * into the public function. Whole rows are streamed through the scratch slots; a row wider than a
 * slot (more than 8192 float32) goes through a temporary block alloc'd for the call. Labels are an
 * Int32Array (or a WasmArray of 'i32'), staged through their own slot.
 */
import { SimdlossError, show } from './errors.js';
import {
  type FloatArray, type NumericOption, MEAN, NONE, SUM,
  checkOptionNames, floatArray, like, numericOption, overlapsShifted, reductionOf, sharesMemory, stageIn, stageOut, wasmPointer,
} from './args.js';
import type { F32, F64 } from './elementwise.js';
import { WasmArray, alloc, rederive } from './memory.js';
import { type AccumulatorBase, type AccumulatorState, type Json, type Sums, streaming } from './stream.js';
import { SLOT, SLOT_BYTES, type Kernel, chunkOf, ready, views, wasm } from './wasm.js';

// Mode bits (assembly/loss/categorical.ts).
const MODE_GRAD = 1;
const MODE_WEIGHTED = 2;
const MODE_LOSSES = 4;
const MODE_ACCURACY = 8;
const MODE_SMOOTH = 16;
const MODE_ENTROPY = 32;
const MODE_IGNORE = 64;
// Scratch slots of this family besides the elementwise ones (0–4).
const SLOT_LABELS = 5;
const SLOT_CLASS_WEIGHTS = 6;
// ROW_RESULT (assembly/kernel/rowwise.ts), in float64 units.
const R_SUM = 0;
const R_SUM2 = 1;
const R_CORRECT = 2;
const R_COUNTED = 3;
const R_ARGUMENT_I32 = 8;

export type Labels = Int32Array | WasmArray<'i32'>;

export interface RowwiseSpec {
  name: string;
  /** Export prefix of the kernel pair (`${kernel}_f32`, `${kernel}_f64`). */
  kernel: string;
  /** 'labels': an Int32Array of class indices, one per row; 'dense': a row of `classes` values in [0, 1]. */
  target: 'labels' | 'dense';
  /**
   * 'softmax': the softmax cross-entropy kernel ABI (gradient, class weights, smoothing); 'rowsum': a
   * per-element term summed per row (kernel ABI with ε); 'metric': no gradient.
   */
  kind: 'softmax' | 'rowsum' | 'metric';
  /** 'rowsum' losses with a `fromLogits` option: the dense softmax kernel plus Σ y log y (KL divergence). */
  fromLogits?: boolean;
  /** Numeric options besides classes, with their ranges. */
  options: readonly NumericOption[];
  classWeights?: boolean;
  ignoreIndex?: boolean;
}

export interface RowReduceOptions<In> {
  /** Values per example (row); required, must divide the length of pred. */
  classes: number;
  reduction?: 'mean' | 'sum';
  /** One weight ≥ 0 per row. */
  weights?: In;
}
export interface RowNoneOptions<In> {
  classes: number;
  reduction: 'none';
  weights?: In;
}
export interface RowGradOptions<In> {
  classes: number;
  reduction?: 'mean' | 'sum' | 'none';
  weights?: In;
  /** Receives the gradient (same dtype and length as pred) and is returned. */
  out?: In;
  /** withGrad only: also return the accuracy (argmax = target) of the rows, from the same pass. */
  accuracy?: boolean;
}

/** A row-wise loss; Y32 / Y64: what the target is for float32 / float64 predictions. */
export interface RowwiseLoss<O, Y32, Y64> {
  (target: Y32, pred: F32, opts: O & RowReduceOptions<F32>): number;
  (target: Y64, pred: F64, opts: O & RowReduceOptions<F64>): number;
  (target: Y32, pred: F32, opts: O & RowNoneOptions<F32>): Float32Array;
  (target: Y64, pred: F64, opts: O & RowNoneOptions<F64>): Float64Array;
  (target: Y32 | Y64, pred: F32 | F64, opts: O & RowReduceOptions<F32 | F64>): number;
  (target: Y32 | Y64, pred: F32 | F64, opts: O & RowNoneOptions<F32 | F64>): FloatArray;
  /** dL/dpred, same dtype and length as pred. */
  grad(target: Y32, pred: F32, opts: O & RowGradOptions<F32>): Float32Array;
  grad(target: Y64, pred: F64, opts: O & RowGradOptions<F64>): Float64Array;
  grad(target: Y32 | Y64, pred: F32 | F64, opts: O & RowGradOptions<F32 | F64>): FloatArray;
  /** Loss and gradient (and, with `accuracy: true`, the accuracy) from one fused pass. */
  withGrad(target: Y32, pred: F32, opts: O & RowGradOptions<F32> & { reduction?: 'mean' | 'sum' }): { loss: number; grad: Float32Array; accuracy?: number };
  withGrad(target: Y64, pred: F64, opts: O & RowGradOptions<F64> & { reduction?: 'mean' | 'sum' }): { loss: number; grad: Float64Array; accuracy?: number };
  withGrad(target: Y32, pred: F32, opts: O & RowGradOptions<F32> & { reduction: 'none' }): { loss: Float32Array; grad: Float32Array; accuracy?: number };
  withGrad(target: Y64, pred: F64, opts: O & RowGradOptions<F64> & { reduction: 'none' }): { loss: Float64Array; grad: Float64Array; accuracy?: number };
  withGrad(target: Y32 | Y64, pred: F32 | F64, opts: O & RowGradOptions<F32 | F64>): { loss: number | FloatArray; grad: FloatArray; accuracy?: number };
  /** A streaming accumulator with these options fixed (classes required; reduction 'mean' or 'sum'; weights go to update). */
  create(opts: O & { classes: number; reduction?: 'mean' | 'sum' }): RowwiseAccumulator<Y32, Y64>;
  /** Restores an accumulator from its toJSON() state (or that state's JSON text). */
  fromJSON(state: AccumulatorState | string): RowwiseAccumulator<Y32, Y64>;
  readonly lossName: string;
  readonly options: readonly NumericOption[];
}

/** A row-wise metric: the fraction of rows that are right ('mean'), their count ('sum') or 1/0 per row ('none'). */
export interface RowwiseMetric<O, Y32, Y64> {
  (target: Y32, pred: F32, opts: O & RowReduceOptions<F32>): number;
  (target: Y64, pred: F64, opts: O & RowReduceOptions<F64>): number;
  (target: Y32, pred: F32, opts: O & RowNoneOptions<F32>): Float32Array;
  (target: Y64, pred: F64, opts: O & RowNoneOptions<F64>): Float64Array;
  (target: Y32 | Y64, pred: F32 | F64, opts: O & RowReduceOptions<F32 | F64>): number;
  (target: Y32 | Y64, pred: F32 | F64, opts: O & RowNoneOptions<F32 | F64>): FloatArray;
  create(opts: O & { classes: number; reduction?: 'mean' | 'sum' }): RowwiseAccumulator<Y32, Y64>;
  fromJSON(state: AccumulatorState | string): RowwiseAccumulator<Y32, Y64>;
  readonly lossName: string;
  readonly options: readonly NumericOption[];
}

/** An accumulator of a row-wise loss or metric: batches of whole rows (target or labels, pred, row weights?). */
export interface RowwiseAccumulator<Y32, Y64> extends AccumulatorBase {
  update(target: Y32, pred: F32, weights?: F32): this;
  update(target: Y64, pred: F64, weights?: F64): this;
  update(target: Y32 | Y64, pred: F32 | F64, weights?: F32 | F64): this;
}

const LOSS = 1;
const GRAD = 2;
/** Internal: Σ w·l, the mean's denominator and the row count, for an accumulator. */
const SUMS = 4;
const INT32_MIN = -2147483648;

export function rowwise(spec: RowwiseSpec): unknown {
  const optionNames = ['classes', 'reduction', 'weights', ...spec.options.map((o) => o.name)];
  if (spec.kind === 'softmax') optionNames.push('out', 'accuracy');
  if (spec.kind === 'rowsum') optionNames.push('out', 'accuracy');
  if (spec.fromLogits) optionNames.push('fromLogits');
  if (spec.classWeights) optionNames.push('classWeights');
  if (spec.ignoreIndex) optionNames.push('ignoreIndex');
  const values = spec.options.map((o) => o.default);
  const labels = spec.target === 'labels';
  const targetName = labels ? 'labels' : 'target';
  let generation = -1;
  let k32: Kernel;
  let k64: Kernel;
  let k32Logits: Kernel;
  let k64Logits: Kernel;

  function run(fn: string, want: number, target: unknown, pred: unknown, opts: Record<string, unknown> | undefined): unknown {
    ready();
    if (generation !== wasm.generation) {
      generation = wasm.generation;
      k32 = wasm.exports![`${spec.kernel}_f32`] as Kernel;
      k64 = wasm.exports![`${spec.kernel}_f64`] as Kernel;
      k32Logits = wasm.exports!.softmax_ce_f32 as Kernel;
      k64Logits = wasm.exports!.softmax_ce_f64 as Kernel;
    }
    views();
    if (opts === undefined || opts === null || typeof opts !== 'object') {
      throw new SimdlossError(`${fn}: opts must be an object with opts.classes (values per row); got ${show(opts)}`, 'opts');
    }
    checkOptionNames(fn, opts, optionNames);
    let p = floatArray(fn, 'pred', pred);
    const n = p.length;
    const C = opts.classes;
    if (typeof C !== 'number' || !Number.isSafeInteger(C) || C < 1 || C > 0x3fffffff) {
      throw new SimdlossError(`${fn}: opts.classes must be an integer ≥ 1 (values per row); got ${show(C)}`, 'opts.classes');
    }
    if (n % C !== 0) {
      throw new SimdlossError(`${fn}: opts.classes must divide the length of pred; got ${C} for ${n} elements`, 'opts.classes');
    }
    const rows = n / C;
    const reduction = reductionOf(fn, opts.reduction);
    for (let j = 0; j < spec.options.length; j++) {
      const o = spec.options[j]!;
      if (o.name !== 'k') values[j] = numericOption(fn, o, opts[o.name]); // k: kOf below
    }
    let ignore = 0; // (used only with MODE_IGNORE)
    if (spec.ignoreIndex && opts.ignoreIndex !== undefined) {
      const v = opts.ignoreIndex;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < INT32_MIN || v > 2147483647) {
        throw new SimdlossError(`${fn}: opts.ignoreIndex must be an integer in [-2147483648, 2147483647]; got ${show(v)}`, 'opts.ignoreIndex');
      }
      ignore = v;
    }
    const hasIgnore = spec.ignoreIndex === true && opts.ignoreIndex !== undefined;
    if (opts.fromLogits !== undefined && typeof opts.fromLogits !== 'boolean') {
      throw new SimdlossError(`${fn}: opts.fromLogits must be true or false; got ${show(opts.fromLogits)}`, 'opts.fromLogits');
    }
    const fromLogits = opts.fromLogits === true;
    const softmaxAbi = spec.kind === 'softmax' || fromLogits;
    let accuracy = false;
    if (opts.accuracy !== undefined) {
      if (typeof opts.accuracy !== 'boolean') throw new SimdlossError(`${fn}: opts.accuracy must be true or false; got ${show(opts.accuracy)}`, 'opts.accuracy');
      if (want !== (LOSS | GRAD) && opts.accuracy) throw new SimdlossError(`${fn}: opts.accuracy is for withGrad`, 'opts.accuracy');
      accuracy = opts.accuracy;
    }
    const f32 = p instanceof Float32Array;
    const bytes = p.BYTES_PER_ELEMENT;
    let cwValues: ArrayLike<number> | undefined;
    if (spec.classWeights && opts.classWeights !== undefined) cwValues = classWeightsOf(fn, opts.classWeights, C);
    if (opts.out !== undefined && !(want & GRAD)) throw new SimdlossError(`${fn}: opts.out is for the gradient; ${spec.name}() returns none`, 'opts.out');

    // A row wider than a slot: one temporary block for a row of target, pred, grad and class weights.
    const rowBytes = C * bytes;
    let wide: WasmArray | undefined;
    const bufferBefore = wasm.buffer;
    if (rowBytes > SLOT_BYTES && rows > 0) wide = alloc(4 * C, f32 ? 'f32' : 'f64');
    let weightsArg = opts.weights;
    let outArg = opts.out;
    try {
      // After alloc, memory may have grown: every view is taken again, the WasmArray.array views given
      // as arguments included (before, they came back detached: a spurious length error, or a detached grad).
      if (wide !== undefined) {
        target = rederive(target);
        pred = rederive(pred);
        weightsArg = rederive(weightsArg);
        outArg = rederive(outArg);
        // Any other view of wasm memory died with the growth: say so (not a TypeError, not "detached: memory grew").
        for (const [name, x] of [[targetName, target], ['pred', pred], ['opts.weights', weightsArg], ['opts.out', outArg]] as const) {
          if (ArrayBuffer.isView(x) && x.buffer === bufferBefore && bufferBefore !== wasm.buffer) {
            throw new SimdlossError(`${fn}: ${name} is a view of wasm memory that this call detached: rows of ${C} values are wider than a staging slot, ` +
              'and memory grew for their temporary block; pass the WasmArray itself (or its .array), or an ordinary array', name);
          }
        }
      }
      p = floatArray(fn, 'pred', pred);
      let y: FloatArray | Int32Array;
      if (labels) {
        y = labelArray(fn, target);
        if (y.length !== rows) {
          throw new SimdlossError(`${fn}: labels has ${y.length} elements but pred has ${rows} rows of ${C} classes`, 'labels');
        }
      } else {
        y = like(fn, 'target', target, p, 'pred');
      }
      const zy = wasmPointer(fn, targetName, target);
      const zp = wasmPointer(fn, 'pred', pred);
      let w: FloatArray | undefined;
      let zw = -1;
      if (weightsArg !== undefined) {
        w = floatArray(fn, 'opts.weights', weightsArg);
        if (w.constructor !== p.constructor) {
          throw new SimdlossError(`${fn}: opts.weights is a ${w.constructor.name} but pred is a ${p.constructor.name}: float32 and float64 cannot be mixed`, 'opts.weights');
        }
        if (w.length !== rows) throw new SimdlossError(`${fn}: opts.weights has ${w.length} elements but pred has ${rows} rows (one weight per row)`, 'opts.weights');
        zw = wasmPointer(fn, 'opts.weights', weightsArg);
      }
      let out: FloatArray | undefined;
      let zo = -1;
      if (outArg !== undefined) {
        out = like(fn, 'opts.out', outArg, p, 'pred');
        zo = wasmPointer(fn, 'opts.out', outArg);
        // The weights (one per row: as long as out only with one class) are read a chunk at a time,
        // after earlier chunks' gradients are written.
        const overlapped = overlapsShifted(out, zo, p, zp) ? 'pred' : !labels && overlapsShifted(out, zo, y as FloatArray, zy) ? targetName
          : w !== undefined && (w.length === out.length ? overlapsShifted(out, zo, w, zw) : sharesMemory(out, zo, w, zw)) ? 'opts.weights' : undefined;
        if (overlapped !== undefined) {
          throw new SimdlossError(`${fn}: opts.out overlaps ${overlapped} at a different offset (it may be pred itself, not a shifted view)`, 'opts.out');
        }
      }

      const losses = want & LOSS && reduction === NONE ? (f32 ? new Float32Array(rows) : new Float64Array(rows)) : undefined;
      const grad = want & GRAD ? (out ?? (f32 ? new Float32Array(n) : new Float64Array(n))) : undefined;
      const zg = grad === out ? zo : -1;
      const copies = zy < 0 || zp < 0 || (w !== undefined && zw < 0) || (grad !== undefined && zg < 0) || losses !== undefined;
      const chunk = wide !== undefined ? 1 : copies ? chunkOf(Math.max(1, Math.floor(SLOT_BYTES / Math.max(rowBytes, 4)))) : Math.max(rows, 1);
      const scratch = (slot: number): number => wasm.scratch + slot * SLOT_BYTES;
      // Where rows of target, pred and grad are staged, and where the class weights live.
      const stageY = wide !== undefined ? wide.ptr : scratch(SLOT.target);
      const stageP = wide !== undefined ? wide.ptr + rowBytes : scratch(SLOT.pred);
      const stageG = wide !== undefined ? wide.ptr + 2 * rowBytes : scratch(SLOT.grad);
      const cw = wide !== undefined ? wide.ptr + 3 * rowBytes : scratch(SLOT_CLASS_WEIGHTS);
      const view = f32 ? wasm.f32 : wasm.f64;
      if (rows === 0) {
        // Nothing to stage (and a row of `classes` values may not even fit a slot).
      } else if (cwValues !== undefined) {
        for (let k = 0; k < C; k++) view[cw / bytes + k] = cwValues[k]!;
      } else {
        view.fill(1, cw / bytes, cw / bytes + C);
      }
      const stageRows = (a: FloatArray, to: number, i: number, m: number, width: number): number => {
        const src = m * width === a.length ? a : a.subarray(i * width, (i + m) * width);
        if (a instanceof Float32Array) wasm.f32.set(src, to >> 2);
        else wasm.f64.set(src, to >> 3);
        return to;
      };
      const yAt = (i: number, m: number): number => {
        if (zy >= 0) return zy + i * (labels ? 4 : rowBytes);
        if (labels) {
          const a = y as Int32Array;
          wasm.i32.set(m === a.length ? a : a.subarray(i, i + m), scratch(SLOT_LABELS) >> 2);
          return scratch(SLOT_LABELS);
        }
        return stageRows(y as FloatArray, stageY, i, m, C);
      };
      const wAt = (i: number, m: number): number => (w === undefined ? 0 : zw >= 0 ? zw + i * bytes : stageIn(w, SLOT.weights, i, m));
      const fail = (bad: number, i: number): SimdlossError => {
        const code = wasm.i32[rowResult() * 2 + R_ARGUMENT_I32]!;
        if (code === 0) {
          if (labels) {
            const at = i + bad;
            return new SimdlossError(`${fn}: labels[${at}] must be an integer in [0, ${C - 1}]${hasIgnore ? ` or ignoreIndex ${ignore}` : ''}; got ${show((y as Int32Array)[at])}`, 'labels', at);
          }
          const at = i * C + bad;
          return new SimdlossError(`${fn}: target[${at}] must be in [0, 1]; got ${show((y as FloatArray)[at])}`, 'target', at);
        }
        return new SimdlossError(`${fn}: pred[${i * C + bad}] is out of the domain`, 'pred', i * C + bad);
      };

      // Denominator of 'mean' (and of accuracy): Σ weights, or the class-weighted / ignoring sums.
      let weightSum = rows;
      if (w !== undefined) {
        weightSum = 0;
        const kw = wasm.exports![f32 ? 'weights_f32' : 'weights_f64'] as Kernel;
        const wc = chunkOf(Math.floor(SLOT_BYTES / bytes));
        for (let i = 0; i < rows; i += wc) {
          const m = Math.min(wc, rows - i);
          const bad = kw(m, zw >= 0 ? zw + i * bytes : stageIn(w, SLOT.weights, i, m));
          if (bad >= 0) {
            throw new SimdlossError(`${fn}: opts.weights[${i + bad}] must be a finite number ≥ 0; got ${show(w[i + bad])}`, 'opts.weights', i + bad);
          }
          weightSum += wasm.f64[wasm.result]!;
        }
      }
      let denominator = weightSum;
      if (spec.kind === 'softmax' && (labels ? hasIgnore || cwValues !== undefined : cwValues !== undefined)) {
        const kd = wasm.exports![`${labels ? 'sparse' : 'dense'}_denominator_${f32 ? 'f32' : 'f64'}`] as Kernel;
        denominator = 0;
        for (let i = 0; i < rows; i += chunk) {
          const m = Math.min(chunk, rows - i);
          const bad = labels
            ? kd(m, C, yAt(i, m), wAt(i, m), cw, ignore, (w !== undefined ? MODE_WEIGHTED : 0) | (hasIgnore ? MODE_IGNORE : 0))
            : kd(m, C, yAt(i, m), wAt(i, m), cw, w !== undefined ? 1 : 0);
          if (bad >= 0) throw fail(bad, i);
          denominator += wasm.f64[rowResult() + R_SUM2]!;
        }
      }
      const scale = reduction !== MEAN ? 1 : denominator > 0 ? 1 / denominator : 0;

      const k = fromLogits ? (f32 ? k32Logits : k64Logits) : f32 ? k32 : k64;
      const eps = values[spec.options.findIndex((o) => o.name === 'eps')] ?? 0;
      const alpha = spec.options.some((o) => o.name === 'labelSmoothing') ? values[spec.options.findIndex((o) => o.name === 'labelSmoothing')]! : 0;
      let mode = (grad !== undefined ? MODE_GRAD : 0) | (w !== undefined ? MODE_WEIGHTED : 0) | (losses !== undefined ? MODE_LOSSES : 0)
        | (accuracy ? MODE_ACCURACY : 0);
      if (labels && (alpha > 0)) mode |= MODE_SMOOTH;
      if (fromLogits) mode |= MODE_ENTROPY;
      if (hasIgnore) mode |= MODE_IGNORE;
      const topK = spec.kind === 'metric' && labels ? kOf(fn, opts.k, C) : 0;

      let total = 0;
      let correct = 0;
      let counted = 0;
      const lo = scratch(SLOT.losses);
      for (let i = 0; i < rows; i += chunk) {
        const m = Math.min(chunk, rows - i);
        const py = yAt(i, m);
        const pp = zp >= 0 ? zp + i * rowBytes : stageRows(p, stageP, i, m, C);
        const pw = wAt(i, m);
        const pg = zg >= 0 ? zg + i * rowBytes : stageG;
        const bad = softmaxAbi
          ? k(m, C, py, pp, pw, lo, pg, cw, scale, alpha, ignore, mode)
          : spec.kind === 'rowsum' ? k(m, C, py, pp, pw, lo, pg, scale, eps, mode)
          : labels ? k(m, C, py, pp, pw, lo, topK, mode) : k(m, C, py, pp, pw, lo, mode);
        if (bad >= 0) throw fail(bad, i);
        const r = rowResult();
        total += wasm.f64[r + R_SUM]!;
        if (accuracy) {
          correct += wasm.f64[r + R_CORRECT]!;
          counted += wasm.f64[r + R_COUNTED]!;
        }
        if (grad !== undefined && zg < 0) {
          const v = f32 ? wasm.f32 : wasm.f64;
          const at = stageG / bytes;
          grad.set(v.subarray(at, at + m * C), i * C);
        }
        if (losses !== undefined) stageOut(losses, SLOT.losses, i, m);
      }

      if (want === SUMS) return { sum: total, weight: denominator, count: rows } satisfies Sums;
      const loss = losses ?? (reduction === SUM ? total : denominator > 0 ? total / denominator : 0);
      if (want === LOSS) return loss;
      const g = out !== undefined && outArg instanceof WasmArray ? (outArg as WasmArray).array : grad;
      if (want === GRAD) return g;
      if (accuracy) return { loss, grad: g, accuracy: counted > 0 ? correct / counted : 0 };
      return { loss, grad: g };
    } finally {
      wide?.free();
    }
  }

  const name = spec.name;
  const f = (target: unknown, pred: unknown, opts?: Record<string, unknown>) => run(name, LOSS, target, pred, opts);
  const props: PropertyDescriptorMap = {
    name: { value: name },
    lossName: { value: name },
    options: { value: spec.options },
  };
  if (spec.kind !== 'metric') {
    const gradName = `${name}.grad`;
    const withGradName = `${name}.withGrad`;
    props.grad = { value: (target: unknown, pred: unknown, opts?: Record<string, unknown>) => run(gradName, GRAD, target, pred, opts) };
    props.withGrad = { value: (target: unknown, pred: unknown, opts?: Record<string, unknown>) => run(withGradName, LOSS | GRAD, target, pred, opts) };
  }
  Object.defineProperties(f, props);
  // Accumulators: batches of whole rows; each update is checked as the one-shot call checks.
  const accOptions = optionNames.filter((o) => o !== 'out' && o !== 'accuracy' && o !== 'weights');
  streaming(f, {
    name,
    resolve(fn, opts) {
      if (opts === undefined || opts === null || typeof opts !== 'object') {
        throw new SimdlossError(`${fn}: opts must be an object with opts.classes (values per row); got ${show(opts)}`, 'opts');
      }
      const o = opts as Record<string, unknown>;
      for (const key of ['weights', 'out', 'accuracy']) {
        if (key in o) {
          throw new SimdlossError(`${fn}: opts.${key} is not an accumulator option (${key === 'weights'
            ? 'weights go with each batch: update(target, pred, weights)' : 'an accumulator computes no gradient'})`, `opts.${key}`);
        }
      }
      checkOptionNames(fn, o, accOptions);
      const reduction = reductionOf(fn, o.reduction);
      if (reduction === NONE) {
        throw new SimdlossError(`${fn}: opts.reduction must be 'mean' or 'sum': an accumulator keeps sums, not per-row losses; got 'none'`, 'opts.reduction');
      }
      const C = o.classes;
      if (typeof C !== 'number' || !Number.isSafeInteger(C) || C < 1 || C > 0x3fffffff) {
        throw new SimdlossError(`${fn}: opts.classes must be an integer ≥ 1 (values per row); got ${show(C)}`, 'opts.classes');
      }
      const resolved: { reduction: 'mean' | 'sum'; [key: string]: Json } = { reduction: reduction === SUM ? 'sum' : 'mean', classes: C };
      for (const x of spec.options) resolved[x.name] = x.name === 'k' ? kOf(fn, o.k, C) : numericOption(fn, x, o[x.name]);
      if (spec.classWeights && o.classWeights !== undefined) resolved.classWeights = Array.from(classWeightsOf(fn, o.classWeights, C));
      if (spec.ignoreIndex && o.ignoreIndex !== undefined) {
        const v = o.ignoreIndex;
        if (typeof v !== 'number' || !Number.isInteger(v) || v < INT32_MIN || v > 2147483647) {
          throw new SimdlossError(`${fn}: opts.ignoreIndex must be an integer in [-2147483648, 2147483647]; got ${show(v)}`, 'opts.ignoreIndex');
        }
        resolved.ignoreIndex = v;
      }
      if (spec.fromLogits) {
        if (o.fromLogits !== undefined && typeof o.fromLogits !== 'boolean') {
          throw new SimdlossError(`${fn}: opts.fromLogits must be true or false; got ${show(o.fromLogits)}`, 'opts.fromLogits');
        }
        resolved.fromLogits = o.fromLogits === true;
      }
      return resolved;
    },
    batch(fn, options, args) {
      if (args.length > 3) throw new SimdlossError(`${fn}: takes (target, pred, weights?); got ${args.length} arguments`, 'arguments');
      return run(fn, SUMS, args[0], args[1], { ...options, weights: args[2] } as Record<string, unknown>) as Sums;
    },
  });
  return f;
}

/** k of top-k: an integer in [1, classes]; the default 5 is capped at classes. (sparseCategoricalAccuracy: k = 1.) */
function kOf(fn: string, k: unknown, C: number): number {
  if (fn.startsWith('sparseCategoricalAccuracy')) return 1;
  if (k === undefined) return Math.min(5, C);
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > C) {
    throw new SimdlossError(`${fn}: opts.k must be an integer in [1, ${C}] (1 ≤ k ≤ classes); got ${show(k)}`, 'opts.k');
  }
  return k;
}

function rowResult(): number {
  return (wasm.exports!.ROW_RESULT as WebAssembly.Global).value / 8;
}

function labelArray(fn: string, x: unknown): Int32Array {
  const a = x instanceof WasmArray ? x.arrayFor(fn, 'labels') : x;
  if (a instanceof Int32Array) return a;
  const seen = x instanceof WasmArray ? `a WasmArray of '${x.dtype}'` : show(x);
  const hint = Array.isArray(x) ? ' (wrap a plain array: Int32Array.from(labels))' : a instanceof Float32Array || a instanceof Float64Array ? ' (class indices: Int32Array.from(labels))' : '';
  throw new SimdlossError(`${fn}: labels must be an Int32Array (or a WasmArray of 'i32'); got ${seen}${hint}`, 'labels');
}

function classWeightsOf(fn: string, x: unknown, C: number): ArrayLike<number> {
  const a = x instanceof WasmArray ? x.arrayFor(fn, 'opts.classWeights') : x;
  if (!(a instanceof Float32Array || a instanceof Float64Array || Array.isArray(a))) {
    throw new SimdlossError(`${fn}: opts.classWeights must be an array of numbers (one per class); got ${show(x)}`, 'opts.classWeights');
  }
  if (a.length !== C) throw new SimdlossError(`${fn}: opts.classWeights has ${a.length} elements but opts.classes is ${C}`, 'opts.classWeights');
  for (let k = 0; k < C; k++) {
    const v = a[k];
    if (typeof v !== 'number' || !(v >= 0) || v === Infinity) {
      throw new SimdlossError(`${fn}: opts.classWeights[${k}] must be a finite number ≥ 0; got ${show(v)}`, 'opts.classWeights', k);
    }
  }
  return a as ArrayLike<number>;
}
