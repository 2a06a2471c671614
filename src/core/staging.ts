/**
 * Operands in wasm memory: where a chunk of an argument is for a kernel — in place when the
 * argument is a WasmArray (or its view), else copied into a scratch slot — and results copied back.
 */
import { SLOT_BYTES } from './abi.js';
import type { FloatArray } from './args.js';
import { wasm } from './wasm.js';

/** Byte offset of scratch slot `slot`. */
export function slotAt(slot: number): number {
  return wasm.scratch + slot * SLOT_BYTES;
}

/** Copies elements [i, i + m) of `a` to byte offset `to` of wasm memory; returns `to`. */
export function copyIn(a: FloatArray, to: number, i: number, m: number): number {
  if (a instanceof Float32Array) wasm.f32.set(m === a.length ? a : a.subarray(i, i + m), to >> 2);
  else wasm.f64.set(m === a.length ? a : a.subarray(i, i + m), to >> 3);
  return to;
}

/** Copies labels [i, i + m) to byte offset `to` of wasm memory; returns `to`. */
export function copyLabelsIn(a: Int32Array, to: number, i: number, m: number): number {
  wasm.i32.set(m === a.length ? a : a.subarray(i, i + m), to >> 2);
  return to;
}

/**
 * Where elements [i, i + m) of an argument are for the kernel: at `z` (its wasm pointer, ≥ 0) in
 * place, or copied into scratch slot `slot` (z = -1: an ordinary array).
 */
export function chunkAt(a: FloatArray, z: number, slot: number, i: number, m: number): number {
  return z >= 0 ? z + i * a.BYTES_PER_ELEMENT : copyIn(a, wasm.scratch + slot * SLOT_BYTES, i, m);
}

// Below this many elements a loop beats creating a subarray of the scratch view for set().
const SHORT_COPY = 64;

/** Copies m elements from byte offset `from` of wasm memory to `a` from index i. */
export function copyOut(a: FloatArray, from: number, i: number, m: number): void {
  const view = a instanceof Float32Array ? wasm.f32 : wasm.f64;
  const at = from / a.BYTES_PER_ELEMENT;
  // Stryker disable next-line EqualityOperator,ConditionalExpression: both ways copy the same elements; the bound only picks the quicker
  if (m <= SHORT_COPY) {
    for (let j = 0; j < m; j++) a[i + j] = view[at + j]!;
  } else {
    a.set(view.subarray(at, at + m), i);
  }
}

/** Copies m elements of scratch slot `slot` to `a` from index i. */
export function stageOut(a: FloatArray, slot: number, i: number, m: number): void {
  copyOut(a, wasm.scratch + slot * SLOT_BYTES, i, m);
}
