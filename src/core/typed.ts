/**
 * What the call path reads off a typed array, the quick way. Node 20 (V8 11.3) compiles a read of a
 * typed array's prototype properties — `BYTES_PER_ELEMENT`, `byteOffset`, `byteLength`, the `set`
 * and `subarray` methods — to its generic property load, not to the inline code it emits for
 * `length`: ~12 ns for `a.BYTES_PER_ELEMENT`, ~25 ns for `a.byteOffset` (measured one read in a
 * loop), where instanceof is a compare and a direct call of the byteOffset getter ~8 ns. Together:
 * mse.withGrad at N = 16 into `out` took 0.75× the time with WasmArrays, 0.82× with ordinary arrays
 * (interleaved A/B, Node 20).
 */
import type { FloatArray } from './args.js';

const typedArray = Object.getPrototypeOf(Float32Array.prototype);
const byteOffsetGetter: (this: FloatArray) => number = Object.getOwnPropertyDescriptor(typedArray, 'byteOffset')!.get!;
const setMethod: (this: FloatArray, from: FloatArray, at: number) => void = typedArray.set;
const subarrayMethod: (this: FloatArray, start: number, end: number) => FloatArray = typedArray.subarray;

/** Bytes per element. */
export function bytesOf(a: FloatArray): 4 | 8 {
  return a instanceof Float64Array ? 8 : 4;
}

/** `a.byteOffset`. */
export function byteOffsetOf(a: FloatArray): number {
  return byteOffsetGetter.call(a);
}

/** `a.byteLength`. */
export function byteLengthOf(a: FloatArray): number {
  return a.length * bytesOf(a);
}

/** `to.set(from, at)`. */
export function setAt(to: FloatArray, from: FloatArray, at: number): void {
  setMethod.call(to, from, at);
}

/** `a.subarray(start, end)`. */
export function subarrayOf(a: FloatArray, start: number, end: number): FloatArray {
  return subarrayMethod.call(a, start, end);
}
