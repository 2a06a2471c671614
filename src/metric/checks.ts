/** Argument and option checks of the counting metrics (confusion counts, calibration). */

import type { FloatArray } from '../core/args.js';
import { checkOptionNames } from '../core/args.js';
import { SimdlossError, show } from '../core/errors.js';
import { rederive, WasmArray } from '../core/memory.js';

/** The most classes a confusion matrix may have: its C² cells of 16 bytes then fill 256 MiB of wasm memory. */
export const MAX_CLASSES = 4096;

/** The typed array behind an argument (a WasmArray's live view; a view detached by the table's allocation re-derived). */
export function arrayOf(fn: string, name: string, x: unknown): unknown {
  const again = rederive(x);
  return again instanceof WasmArray ? again.arrayFor(fn, name) : again;
}

/** Labels: an Int32Array (any values; the kernel checks each against the class count). */
export function labelsOf(fn: string, name: string, x: unknown): Int32Array {
  const a = arrayOf(fn, name, x);
  if (a instanceof Int32Array) return a;
  const hint = Array.isArray(x) ? ' (wrap a plain array: Int32Array.from(labels))' : '';
  throw new SimdlossError(`${fn}: ${name} must be an Int32Array (or a WasmArray of 'i32'); got ${show(x)}${hint}`, name);
}

/** A float array of scores or probabilities. */
export function floatsOf(fn: string, name: string, x: unknown): FloatArray {
  const a = arrayOf(fn, name, x);
  if (a instanceof Float32Array || a instanceof Float64Array) return a;
  const hint = Array.isArray(x) ? ' (wrap a plain array: Float64Array.from(values))' : '';
  throw new SimdlossError(`${fn}: ${name} must be a Float32Array or a Float64Array (or a WasmArray of one); got ${show(x)}${hint}`, name);
}

/** A binary target: Int32Array labels, or a float array of the scores' dtype; its length that of the scores. */
export function binaryTargetOf(fn: string, x: unknown, scores: FloatArray, scoresName: string): FloatArray | Int32Array {
  const a = arrayOf(fn, 'target', x);
  if (!(a instanceof Int32Array || a instanceof Float32Array || a instanceof Float64Array)) {
    throw new SimdlossError(
      `${fn}: target must be an Int32Array of 0/1 labels, or a float array of 0 and 1 of ${scoresName}' dtype; got ${show(x)}`,
      'target',
    );
  }
  if (!(a instanceof Int32Array) && a.constructor !== scores.constructor) {
    throw new SimdlossError(
      `${fn}: target is a ${a.constructor.name} but ${scoresName} is a ${scores.constructor.name}: float32 and float64 cannot be mixed`,
      'target',
    );
  }
  if (a.length !== scores.length) {
    throw new SimdlossError(`${fn}: target has ${a.length} elements but ${scoresName} has ${scores.length}`, 'target');
  }
  return a;
}

/** opts.weights: undefined, or one finite weight ≥ 0 per example, of `dtype`'s type when one is given. */
export function weightsOf(fn: string, x: unknown, n: number, dtype: FloatArray | undefined, dtypeName: string): FloatArray | undefined {
  if (x === undefined) return undefined;
  const w = floatsOf(fn, 'opts.weights', x);
  if (dtype !== undefined && w.constructor !== dtype.constructor) {
    throw new SimdlossError(
      `${fn}: opts.weights is a ${w.constructor.name} but ${dtypeName} is a ${dtype.constructor.name}: float32 and float64 cannot be mixed`,
      'opts.weights',
    );
  }
  if (w.length !== n) throw new SimdlossError(`${fn}: opts.weights has ${w.length} elements but there are ${n} examples`, 'opts.weights');
  return w;
}

/** The options object (undefined: {}), its names checked. */
export function optionsOf(fn: string, opts: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (opts === undefined) return {};
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    throw new SimdlossError(`${fn}: opts must be an object; got ${show(opts)}`, 'opts');
  }
  checkOptionNames(fn, opts, allowed);
  return opts as Record<string, unknown>;
}

/** An integer option in [min, max]; `fallback` undefined makes it required. */
export function integerOption(fn: string, name: string, value: unknown, min: number, max: number, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  const required = value === undefined ? ' (required)' : '';
  throw new SimdlossError(`${fn}: opts.${name} must be an integer in [${min}, ${max}]${required}; got ${show(value)}`, `opts.${name}`);
}
