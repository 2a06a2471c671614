/** Checks and staging shared by every loss family: arrays, dtypes, lengths, options, scratch slots. */
import { SimdlossError, show } from './errors.js';
import { WasmArray } from './memory.js';
import { SLOT_BYTES, wasm } from './wasm.js';

export { wasmPointer } from './memory.js';

export type FloatArray = Float32Array | Float64Array;

export const MEAN = 0;
export const SUM = 1;
export const NONE = 2;
export type Reduction = 'mean' | 'sum' | 'none';

/** The typed array behind an argument, which must be a Float32Array or a Float64Array. */
export function floatArray(fn: string, name: string, x: unknown): FloatArray {
  const a = x instanceof WasmArray ? x.arrayFor(fn, name) : x;
  if (a instanceof Float32Array || a instanceof Float64Array) return a;
  const hint = Array.isArray(x) ? ' (wrap a plain array: Float64Array.from(values))' : '';
  const seen = x instanceof WasmArray ? `a WasmArray of '${x.dtype}'` : show(x);
  throw new SimdlossError(`${fn}: ${name} must be a Float32Array or a Float64Array (or a WasmArray of one); got ${seen}${hint}`, name);
}

/** `x` as a float array of the same dtype and length as `ref` (no broadcasting, no mixing float32 and float64). */
export function like(fn: string, name: string, x: unknown, ref: FloatArray, refName: string): FloatArray {
  const a = floatArray(fn, name, x);
  if (a.constructor !== ref.constructor) {
    throw new SimdlossError(
      `${fn}: ${name} is a ${a.constructor.name} but ${refName} is a ${ref.constructor.name}: float32 and float64 cannot be mixed`, name);
  }
  if (a.length !== ref.length) {
    const detached = a.length === 0 && a.buffer.byteLength === 0 ? ' (a detached view: memory grew; take WasmArray.array again)' : '';
    throw new SimdlossError(`${fn}: ${name} has ${a.length} elements but ${refName} has ${ref.length}${detached}`, name);
  }
  return a;
}

/** Copies elements [i, i + m) of `a` into scratch slot `slot`; returns the slot's byte offset. */
export function stageIn(a: FloatArray, slot: number, i: number, m: number): number {
  const ptr = wasm.scratch + slot * SLOT_BYTES;
  if (a instanceof Float32Array) wasm.f32.set(m === a.length ? a : a.subarray(i, i + m), ptr >> 2);
  else wasm.f64.set(m === a.length ? a : a.subarray(i, i + m), ptr >> 3);
  return ptr;
}

// Below this many elements a loop beats creating a subarray of the scratch view for set().
const SHORT_COPY = 64;

/** Copies m elements of scratch slot `slot` to `a` from index i. */
export function stageOut(a: FloatArray, slot: number, i: number, m: number): void {
  const view = a instanceof Float32Array ? wasm.f32 : wasm.f64;
  const at = (wasm.scratch + slot * SLOT_BYTES) / a.BYTES_PER_ELEMENT;
  if (m <= SHORT_COPY) {
    for (let j = 0; j < m; j++) a[i + j] = view[at + j]!;
  } else {
    a.set(view.subarray(at, at + m), i);
  }
}

/**
 * True when two arrays of the same dtype and length share memory without being the same elements
 * (in place is fine, a shifted overlap is not). `pa`, `pb`: their wasm pointers, or -1 for
 * ordinary arrays (only then is `.buffer` read: 15–40 ns a read on Node 20).
 */
export function overlapsShifted(a: FloatArray, pa: number, b: FloatArray, pb: number): boolean {
  if ((pa < 0) !== (pb < 0)) {
    pa = pa < 0 ? overWasm(a) : pa;
    pb = pb < 0 ? overWasm(b) : pb;
    if (pa < 0 || pb < 0) return false;
  } else if (pa < 0) {
    // Two views that both start a buffer cannot be shifted; this spares the `.buffer` reads in the
    // usual case (arrays created with `new`).
    if ((a.byteOffset === 0 && b.byteOffset === 0) || a.buffer !== b.buffer) return false;
    pa = a.byteOffset;
    pb = b.byteOffset;
  }
  return pa !== pb && Math.abs(pa - pb) < a.length * a.BYTES_PER_ELEMENT;
}

/** True when two arrays of any lengths share at least one byte. `pa`, `pb`: as for overlapsShifted. */
export function sharesMemory(a: FloatArray, pa: number, b: FloatArray, pb: number): boolean {
  if ((pa < 0) !== (pb < 0)) {
    pa = pa < 0 ? overWasm(a) : pa;
    pb = pb < 0 ? overWasm(b) : pb;
    if (pa < 0 || pb < 0) return false;
  } else if (pa < 0) {
    if (a.buffer !== b.buffer) return false;
    pa = a.byteOffset;
    pb = b.byteOffset;
  }
  return pa < pb + b.byteLength && pb < pa + a.byteLength;
}

/**
 * Byte offset of an ordinary array that is a view over wasm memory (`new Float32Array(memory().buffer, …)`),
 * else -1: such a view can overlap a WasmArray. It starts above the scratch area, so byteOffset 0 (every
 * array made with `new`) rules it out without reading `.buffer`. (Missed before: a shifted view as opts.out
 * of a WasmArray pred gave a silently wrong gradient at the chunk edges.)
 */
export function overWasm(a: FloatArray): number {
  return a.byteOffset !== 0 && a.buffer === wasm.buffer ? a.byteOffset : -1;
}

export function reductionOf(fn: string, value: unknown): number {
  if (value === undefined || value === 'mean') return MEAN;
  if (value === 'sum') return SUM;
  if (value === 'none') return NONE;
  throw new SimdlossError(`${fn}: opts.reduction must be 'mean', 'sum' or 'none'; got ${show(value)}`, 'opts.reduction');
}

/** A numeric option and the range it must lie in. */
export interface NumericOption {
  name: string;
  default: number;
  /** Lower bound, and whether it is excluded. */
  min: number;
  minOpen?: boolean;
  /** Upper bound (Infinity: none), and whether it is excluded. */
  max?: number;
  maxOpen?: boolean;
}

export function numericOption(fn: string, spec: NumericOption, value: unknown): number {
  if (value === undefined) return spec.default;
  const max = spec.max ?? Infinity;
  if (typeof value === 'number' && Number.isFinite(value)
      && (spec.minOpen ? value > spec.min : value >= spec.min)
      && (spec.maxOpen ? value < max : value <= max)) {
    return value;
  }
  throw new SimdlossError(`${fn}: opts.${spec.name} must be a finite number ${describeRange(spec)}; got ${show(value)}`, `opts.${spec.name}`);
}

export function describeRange(spec: NumericOption): string {
  const max = spec.max ?? Infinity;
  if (max === Infinity) return `${spec.minOpen ? '>' : '≥'} ${spec.min}`;
  return `in ${spec.minOpen ? '(' : '['}${spec.min}, ${max}${spec.maxOpen ? ')' : ']'}`;
}

/** Rejects option names a loss does not know: a misspelt option must not be silently ignored. */
export function checkOptionNames(fn: string, opts: object, allowed: readonly string[]): void {
  for (const key in opts) {
    if (!allowed.includes(key)) {
      throw new SimdlossError(`${fn}: unknown option '${key}' (this loss takes: ${allowed.join(', ')})`, `opts.${key}`);
    }
  }
}
