/**
 * Turns the description of an elementwise loss (one kernel pair, its options) into the public
 * function with `.grad` and `.withGrad`. One pass per call: arrays already in wasm memory are
 * used in place; ordinary arrays are streamed through the scratch slots a chunk at a time, so the
 * copies run at cache speed and memory never grows with the input.
 */
import { SimdlossError, show } from './errors.js';
import {
  type FloatArray, type NumericOption, MEAN, NONE, SUM,
  checkOptionNames, floatArray, like, numericOption, overlapsShifted, reductionOf, stageIn, stageOut, wasmPointer,
} from './args.js';
import type { WasmArray } from './memory.js';
import { SLOT, SLOT_BYTES, type Kernel, chunkOf, ready, views, wasm } from './wasm.js';
import { type AccumulatorBase, type AccumulatorState, type Sums, resolveNumeric, streaming } from './stream.js';

// Kernel mode bits (assembly/kernel/elementwise.ts).
const MODE_GRAD = 1;
const MODE_WEIGHTED = 2;
const MODE_LOSSES = 4;
const MODE_ACCURACY = 8;
const ARGUMENTS = ['target', 'pred', 'opts.weights'] as const;

export interface ElementwiseSpec {
  /** Public name, used in every message. */
  name: string;
  /** Export prefix of the kernel pair in wasm (`${kernel}_f32`, `${kernel}_f64`). */
  kernel: string;
  /** The loss's own numeric options. */
  options: readonly NumericOption[];
  /** The kernel's two scalar parameters (a, b) from the option values, in `options` order. */
  params(values: readonly number[]): readonly [number, number];
  /** What an element of target / pred must be, for losses with a domain (checked inside the kernel). */
  domain?: { target?: string; pred?: string };
  /** The kernel also classifies: `withGrad(…, { accuracy: true })` returns the fraction classified right. */
  accuracy?: boolean;
}

/** A float32 argument: an ordinary Float32Array, or one in wasm memory. */
export type F32 = Float32Array | WasmArray<'f32'>;
/** A float64 argument: an ordinary Float64Array, or one in wasm memory. */
export type F64 = Float64Array | WasmArray<'f64'>;

export interface ReduceOptions<In> {
  reduction?: 'mean' | 'sum';
  /** One weight ≥ 0 per example: 'mean' becomes Σ wᵢlᵢ / Σ wᵢ, 'sum' Σ wᵢlᵢ, 'none' wᵢlᵢ. */
  weights?: In;
}
export interface NoneOptions<In> {
  reduction: 'none';
  weights?: In;
}
export interface GradOptions<In> {
  reduction?: 'mean' | 'sum' | 'none';
  weights?: In;
  /** Receives the gradient (same dtype and length as pred; may be pred itself) and is returned. */
  out?: In;
}

/**
 * A loss that also classifies: `withGrad` with `accuracy: true` adds the (weighted) fraction of
 * examples classified right, counted in the same pass.
 */
export type ClassifierLoss<O = object> = {
  withGrad(target: F32, pred: F32, opts: O & GradOptions<F32> & { accuracy: true; reduction?: 'mean' | 'sum' }): { loss: number; grad: Float32Array; accuracy: number };
  withGrad(target: F64, pred: F64, opts: O & GradOptions<F64> & { accuracy: true; reduction?: 'mean' | 'sum' }): { loss: number; grad: Float64Array; accuracy: number };
  withGrad(target: F32, pred: F32, opts: O & GradOptions<F32> & { accuracy: true; reduction: 'none' }): { loss: Float32Array; grad: Float32Array; accuracy: number };
  withGrad(target: F64, pred: F64, opts: O & GradOptions<F64> & { accuracy: true; reduction: 'none' }): { loss: Float64Array; grad: Float64Array; accuracy: number };
  withGrad(target: F32 | F64, pred: F32 | F64, opts: O & GradOptions<F32 | F64> & { accuracy: true }): { loss: number | FloatArray; grad: FloatArray; accuracy: number };
} & ElementwiseLoss<O>;

/** A metric: the function alone, with the reductions and weights of a loss and no gradient. */
export interface ElementwiseMetric<O = object> {
  (target: F32, pred: F32, opts?: O & ReduceOptions<F32>): number;
  (target: F64, pred: F64, opts?: O & ReduceOptions<F64>): number;
  (target: F32, pred: F32, opts: O & NoneOptions<F32>): Float32Array;
  (target: F64, pred: F64, opts: O & NoneOptions<F64>): Float64Array;
  (target: F32 | F64, pred: F32 | F64, opts?: O & ReduceOptions<F32 | F64>): number;
  (target: F32 | F64, pred: F32 | F64, opts: O & NoneOptions<F32 | F64>): FloatArray;
  /** A streaming accumulator (its result: the metric over everything updated so far). */
  create(opts?: O & { reduction?: 'mean' | 'sum' }): ElementwiseAccumulator;
  fromJSON(state: AccumulatorState | string): ElementwiseAccumulator;
  readonly lossName: string;
  readonly options: readonly NumericOption[];
}

/**
 * An elementwise loss `f(target, pred, opts)` with its gradient companions; `O` holds the loss's
 * own options. Float32 arguments give float32 results, float64 give float64 (one overload each;
 * the last ones take either, for code written over both).
 */
export interface ElementwiseLoss<O = object> {
  (target: F32, pred: F32, opts?: O & ReduceOptions<F32>): number;
  (target: F64, pred: F64, opts?: O & ReduceOptions<F64>): number;
  (target: F32, pred: F32, opts: O & NoneOptions<F32>): Float32Array;
  (target: F64, pred: F64, opts: O & NoneOptions<F64>): Float64Array;
  (target: F32 | F64, pred: F32 | F64, opts?: O & ReduceOptions<F32 | F64>): number;
  (target: F32 | F64, pred: F32 | F64, opts: O & NoneOptions<F32 | F64>): FloatArray;
  /** dL/dpred, same dtype and length as pred; with reduction 'none', the gradient of the sum of the returned losses. */
  grad(target: F32, pred: F32, opts?: O & GradOptions<F32>): Float32Array;
  grad(target: F64, pred: F64, opts?: O & GradOptions<F64>): Float64Array;
  grad(target: F32 | F64, pred: F32 | F64, opts?: O & GradOptions<F32 | F64>): FloatArray;
  /** Loss and gradient from one fused pass. */
  withGrad(target: F32, pred: F32, opts?: O & GradOptions<F32> & { reduction?: 'mean' | 'sum' }): { loss: number; grad: Float32Array };
  withGrad(target: F64, pred: F64, opts?: O & GradOptions<F64> & { reduction?: 'mean' | 'sum' }): { loss: number; grad: Float64Array };
  withGrad(target: F32, pred: F32, opts: O & GradOptions<F32> & { reduction: 'none' }): { loss: Float32Array; grad: Float32Array };
  withGrad(target: F64, pred: F64, opts: O & GradOptions<F64> & { reduction: 'none' }): { loss: Float64Array; grad: Float64Array };
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
  update(target: F32, pred: F32, weights?: F32): this;
  update(target: F64, pred: F64, weights?: F64): this;
  update(target: F32 | F64, pred: F32 | F64, weights?: F32 | F64): this;
}

const LOSS = 1;
const GRAD = 2;
/** Internal: Σ wᵢlᵢ, Σ wᵢ and the count for an accumulator, instead of the reduced loss. */
const SUMS = 4;

export function elementwise<O>(spec: ElementwiseSpec): ElementwiseLoss<O> {
  const optionNames = ['reduction', 'weights', 'out', ...(spec.accuracy ? ['accuracy'] : []), ...spec.options.map((o) => o.name)];
  const defaults = spec.params(spec.options.map((o) => o.default));
  const values = spec.options.map((o) => o.default); // reused by every call: no allocation per call
  let generation = -1;
  let k32: Kernel;
  let k64: Kernel;

  function run(fn: string, want: number, target: unknown, pred: unknown, opts: Record<string, unknown> | undefined): unknown {
    ready();
    if (generation !== wasm.generation) {
      generation = wasm.generation;
      k32 = wasm.exports![`${spec.kernel}_f32`] as Kernel;
      k64 = wasm.exports![`${spec.kernel}_f64`] as Kernel;
    }
    views();
    const p = floatArray(fn, 'pred', pred);
    const y = like(fn, 'target', target, p, 'pred');
    const n = p.length;
    const zy = wasmPointer(fn, 'target', target);
    const zp = wasmPointer(fn, 'pred', pred);
    let reduction = MEAN;
    let w: FloatArray | undefined;
    let zw = -1;
    let out: FloatArray | undefined;
    let zo = -1;
    let a = defaults[0];
    let b = defaults[1];
    let accuracy = false;
    if (opts !== undefined && opts !== null) {
      if (typeof opts !== 'object') throw new SimdlossError(`${fn}: opts must be an object; got ${show(opts)}`, 'opts');
      checkOptionNames(fn, opts, optionNames);
      reduction = reductionOf(fn, opts.reduction);
      if (opts.weights !== undefined) {
        w = like(fn, 'opts.weights', opts.weights, p, 'pred');
        zw = wasmPointer(fn, 'opts.weights', opts.weights);
      }
      if (opts.out !== undefined) {
        if (!(want & GRAD)) throw new SimdlossError(`${fn}: opts.out is for the gradient; ${spec.name}() returns none`, 'opts.out');
        out = like(fn, 'opts.out', opts.out, p, 'pred');
        zo = wasmPointer(fn, 'opts.out', opts.out);
        const overlapped = overlapsShifted(out, zo, p, zp) ? 'pred' : overlapsShifted(out, zo, y, zy) ? 'target'
          : w !== undefined && overlapsShifted(out, zo, w, zw) ? 'opts.weights' : undefined;
        if (overlapped !== undefined) {
          throw new SimdlossError(`${fn}: opts.out overlaps ${overlapped} at a different offset (it may be pred itself, not a shifted view)`, 'opts.out');
        }
      }
      if (opts.accuracy !== undefined) {
        if (typeof opts.accuracy !== 'boolean') throw new SimdlossError(`${fn}: opts.accuracy must be true or false; got ${show(opts.accuracy)}`, 'opts.accuracy');
        if (opts.accuracy && want !== (LOSS | GRAD)) throw new SimdlossError(`${fn}: opts.accuracy is for ${spec.name}.withGrad`, 'opts.accuracy');
        accuracy = opts.accuracy;
      }
      if (spec.options.length > 0) {
        for (let j = 0; j < spec.options.length; j++) values[j] = numericOption(fn, spec.options[j]!, opts[spec.options[j]!.name]);
        const params = spec.params(values);
        a = params[0];
        b = params[1];
      }
    }

    const f32 = p instanceof Float32Array;
    const k = f32 ? k32 : k64;
    const bytes = p.BYTES_PER_ELEMENT;
    const losses = want & LOSS && reduction === NONE ? newArray(f32, n) : undefined;
    const grad = want & GRAD ? (out ?? newArray(f32, n)) : undefined;
    const zg = grad === out ? zo : -1;
    const copies = zy < 0 || zp < 0 || (w !== undefined && zw < 0) || (grad !== undefined && zg < 0) || losses !== undefined;
    const chunk = copies ? chunkOf(SLOT_BYTES / bytes) : Math.max(n, 1);

    let weightSum = n;
    if (w !== undefined) {
      weightSum = 0;
      const kw = (wasm.exports![f32 ? 'weights_f32' : 'weights_f64']) as Kernel;
      for (let i = 0; i < n; i += chunk) {
        const m = Math.min(chunk, n - i);
        const bad = kw(m, zw >= 0 ? zw + i * bytes : stageIn(w, SLOT.weights, i, m));
        if (bad >= 0) throw badElement(fn, 'opts.weights', w, i + bad, 'a finite number ≥ 0');
        weightSum += wasm.f64[wasm.result]!;
      }
    }
    const scale = reduction !== MEAN ? 1 : weightSum > 0 ? 1 / weightSum : 0;
    const mode = (grad !== undefined ? MODE_GRAD : 0) | (w !== undefined ? MODE_WEIGHTED : 0) | (losses !== undefined ? MODE_LOSSES : 0) | (accuracy ? MODE_ACCURACY : 0);

    let total = 0;
    let right = 0;
    for (let i = 0; i < n; i += chunk) {
      const m = Math.min(chunk, n - i);
      const bad = k(
        m,
        zy >= 0 ? zy + i * bytes : stageIn(y, SLOT.target, i, m),
        zp >= 0 ? zp + i * bytes : stageIn(p, SLOT.pred, i, m),
        w === undefined ? 0 : zw >= 0 ? zw + i * bytes : stageIn(w, SLOT.weights, i, m),
        wasm.scratch + SLOT.losses * SLOT_BYTES,
        zg >= 0 ? zg + i * bytes : wasm.scratch + SLOT.grad * SLOT_BYTES,
        scale, a, b, mode,
      );
      if (bad >= 0) {
        const argument = ARGUMENTS[wasm.i32[wasm.result * 2 + 4]!]!;
        const array = argument === 'target' ? y : argument === 'pred' ? p : w!;
        throw badElement(fn, argument, array, i + bad, spec.domain?.[argument as 'target' | 'pred'] ?? 'in the domain');
      }
      total += wasm.f64[wasm.result]!;
      if (accuracy) right += wasm.f64[wasm.result + 1]!;
      if (grad !== undefined && zg < 0) stageOut(grad, SLOT.grad, i, m);
      if (losses !== undefined) stageOut(losses, SLOT.losses, i, m);
    }

    if (want === SUMS) return { sum: total, weight: weightSum, count: n } satisfies Sums;
    const loss = losses ?? (reduction === SUM ? total : weightSum > 0 ? total / weightSum : 0);
    if (want === LOSS) return loss;
    if (want === GRAD) return grad;
    return accuracy ? { loss, grad, accuracy: weightSum > 0 ? right / weightSum : 0 } : { loss, grad };
  }

  const name = spec.name;
  const gradName = `${name}.grad`;
  const withGradName = `${name}.withGrad`;
  const f = ((target: unknown, pred: unknown, opts?: Record<string, unknown>) => run(name, LOSS, target, pred, opts)) as unknown as ElementwiseLoss<O>;
  Object.defineProperties(f, {
    name: { value: name },
    lossName: { value: name },
    options: { value: spec.options },
    grad: { value: (target: unknown, pred: unknown, opts?: Record<string, unknown>) => run(gradName, GRAD, target, pred, opts) },
    withGrad: { value: (target: unknown, pred: unknown, opts?: Record<string, unknown>) => run(withGradName, LOSS | GRAD, target, pred, opts) },
  });
  streaming(f, {
    name,
    resolve: (fn, opts) => resolveNumeric(fn, opts, spec.options),
    batch(fn, options, args) {
      if (args.length > 3) throw new SimdlossError(`${fn}: takes (target, pred, weights?); got ${args.length} arguments`, 'arguments');
      return run(fn, SUMS, args[0], args[1], { ...options, weights: args[2] }) as Sums;
    },
  });
  return f;
}

/** A metric from an elementwise kernel whose "loss" is the per-example score: the function alone. */
export function metric<O>(spec: ElementwiseSpec): ElementwiseMetric<O> {
  const full = elementwise<O>(spec);
  const f = ((target: unknown, pred: unknown, opts?: Record<string, unknown>) => (full as any)(target, pred, opts)) as unknown as ElementwiseMetric<O>;
  Object.defineProperties(f, {
    name: { value: spec.name }, lossName: { value: spec.name }, options: { value: spec.options },
    create: { value: full.create }, fromJSON: { value: full.fromJSON },
  });
  return f;
}

function newArray(f32: boolean, n: number): FloatArray {
  return f32 ? new Float32Array(n) : new Float64Array(n);
}

function badElement(fn: string, argument: string, array: FloatArray, index: number, expected: string): SimdlossError {
  return new SimdlossError(`${fn}: ${argument}[${index}] must be ${expected}; got ${show(array[index])}`, argument, index);
}
