/** Checks shared by every loss family: arrays, dtypes, lengths, reductions, numeric options, option names. */
import { SimdlossError, show } from './errors.js';
import { WasmArray } from './memory.js';

export { wasmPointer } from './memory.js';

/** A float array as results come back: float32 in gives Float32Array, float64 in gives Float64Array. */
export type FloatArray = Float32Array | Float64Array;

export const MEAN = 0;
export const SUM = 1;
export const NONE = 2;
/** How per-example losses are combined: 'mean' (Σ wᵢlᵢ / Σ wᵢ), 'sum' (Σ wᵢlᵢ) or 'none' (one per example). */
export type Reduction = 'mean' | 'sum' | 'none';

// The checks every call runs build their messages in functions of their own: kept small, they are
// inlined into the call paths with budget to spare (measured with the same for wasmPointer: mse at
// N = 16 from 7% slower than before the one driver to within 2%, interleaved A/B, Node 20).

/** The typed array behind an argument, which must be a Float32Array or a Float64Array. */
export function floatArray(fn: string, name: string, x: unknown): FloatArray {
  const a = x instanceof WasmArray ? x.arrayFor(fn, name) : x;
  if (a instanceof Float32Array || a instanceof Float64Array) return a;
  throw notFloatArray(fn, name, x);
}

function notFloatArray(fn: string, name: string, x: unknown): SimdlossError {
  const hint = Array.isArray(x) ? ' (wrap a plain array: Float64Array.from(values))' : '';
  const seen = x instanceof WasmArray ? `a WasmArray of '${x.dtype}'` : show(x);
  return new SimdlossError(`${fn}: ${name} must be a Float32Array or a Float64Array (or a WasmArray of one); got ${seen}${hint}`, name);
}

/** `x` as a float array of the same dtype and length as `ref` (no broadcasting, no mixing float32 and float64). */
export function like(fn: string, name: string, x: unknown, ref: FloatArray, refName: string): FloatArray {
  const a = floatArray(fn, name, x);
  // The dtypes compared by instanceof, not by `constructor`: Node 20 reads that off a typed array
  // with its generic property load (~9 ns a read).
  if (a instanceof Float32Array !== ref instanceof Float32Array || a.length !== ref.length) throw unlike(fn, name, a, ref, refName);
  return a;
}

function unlike(fn: string, name: string, a: FloatArray, ref: FloatArray, refName: string): SimdlossError {
  if (a.constructor !== ref.constructor) {
    return new SimdlossError(
      `${fn}: ${name} is a ${a.constructor.name} but ${refName} is a ${ref.constructor.name}: float32 and float64 cannot be mixed`,
      name,
    );
  }
  const detached = isDetached(a.buffer) ? ' (a detached view: memory grew; take WasmArray.array again)' : '';
  return new SimdlossError(`${fn}: ${name} has ${a.length} elements but ${refName} has ${ref.length}${detached}`, name);
}

export function reductionOf(fn: string, value: unknown): number {
  if (value === undefined || value === 'mean') return MEAN;
  if (value === 'sum') return SUM;
  if (value === 'none') return NONE;
  throw new SimdlossError(`${fn}: opts.reduction must be 'mean', 'sum' or 'none'; got ${show(value)}`, 'opts.reduction');
}

/** A numeric option and the range it must lie in. */
export interface NumericOption {
  /** The option's name, as passed in opts. */
  name: string;
  /** Its value when opts leaves it out. */
  default: number;
  /** Lower bound, and whether it is excluded. */
  min: number;
  /** Whether `min` itself is excluded. */
  minOpen?: boolean;
  /** Upper bound (Infinity: none), and whether it is excluded. */
  max?: number;
  /** Whether `max` itself is excluded. */
  maxOpen?: boolean;
  /** The only values allowed, for an option that picks one of a few forms (multiMargin's p: 1 or 2). */
  values?: readonly number[];
}

/** A boolean option of a loss (true or false) and its value when opts leaves it out. */
export interface BooleanOption {
  /** The option's name, as passed in opts. */
  name: string;
  /** Its value when opts leaves it out. */
  default: boolean;
}

export function numericOption(fn: string, spec: NumericOption, value: unknown): number {
  if (value === undefined) return spec.default;
  const max = spec.max ?? Infinity;
  if (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (spec.minOpen ? value > spec.min : value >= spec.min) &&
    (spec.maxOpen ? value < max : value <= max) &&
    (spec.values === undefined || spec.values.includes(value))
  ) {
    return value;
  }
  throw new SimdlossError(
    `${fn}: opts.${spec.name} must be ${spec.values === undefined ? 'a finite number ' : ''}${describeRange(spec)}; got ${show(value)}`,
    `opts.${spec.name}`,
  );
}

export function describeRange(spec: NumericOption): string {
  if (spec.values !== undefined) return spec.values.join(' or ');
  const max = spec.max ?? Infinity;
  if (max === Infinity) return `${spec.minOpen ? '>' : '≥'} ${spec.min}`;
  return `in ${spec.minOpen ? '(' : '['}${spec.min}, ${max}${spec.maxOpen ? ')' : ']'}`;
}

/** Rejects option names a loss does not know: a misspelt option must not be silently ignored. `where`: what the error's argument calls the options (a state's are `state.options`). */
export function checkOptionNames(fn: string, opts: object, allowed: readonly string[], where = 'opts'): void {
  for (const key in opts) if (!isAmong(key, allowed)) throw unknownOption(fn, key, allowed, where);
}

// A loop rather than Array.prototype.includes: inlined with the rest, it spares a builtin call per key
// (~6 ns a call with one option, Node 20).
function isAmong(key: string, names: readonly string[]): boolean {
  for (let i = 0; i < names.length; i++) if (names[i] === key) return true;
  return false;
}

function unknownOption(fn: string, key: string, allowed: readonly string[], where: string): SimdlossError {
  return new SimdlossError(`${fn}: unknown option '${key}' (this loss takes: ${allowed.join(', ')})`, `${where}.${key}`);
}

/** Whether a buffer was detached (memory.grow replaced it, or it was transferred); an empty one is not. */
function isDetached(buffer: ArrayBufferLike): boolean {
  try {
    buffer.slice(0, 0);
    return false;
  } catch {
    return true;
  }
}
