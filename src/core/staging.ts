/**
 * Operands in wasm memory: where a chunk of an argument is for a kernel — in place when the
 * argument is a WasmArray (or its view), else copied into a scratch slot — and results copied back.
 */
import { SLOT_BYTES } from './abi.js';
import type { FloatArray } from './args.js';
import { bytesOf, setAt, subarrayOf } from './typed.js';
import { wasm } from './wasm.js';

/** Byte offset of scratch slot `slot`. */
export function slotAt(slot: number): number {
  return wasm.scratch + slot * SLOT_BYTES;
}

/** Copies elements [i, i + m) of `a` to byte offset `to` of wasm memory; returns `to`. */
export function copyIn(a: FloatArray, to: number, i: number, m: number): number {
  const from = m === a.length ? a : subarrayOf(a, i, i + m);
  if (a instanceof Float32Array) setAt(wasm.f32, from, to >> 2);
  else setAt(wasm.f64, from, to >> 3);
  return to;
}

/** Copies labels [i, i + m) to byte offset `to` of wasm memory; returns `to`. */
export function copyLabelsIn(a: Int32Array, to: number, i: number, m: number): number {
  setAt(wasm.i32, m === a.length ? a : subarrayOf(a, i, i + m), to >> 2);
  return to;
}

/**
 * Where elements [i, i + m) of an argument are for the kernel: at `z` (its wasm pointer, ≥ 0) in
 * place, or copied into scratch slot `slot` (z = -1: an ordinary array).
 */
export function chunkAt(a: FloatArray, z: number, slot: number, i: number, m: number): number {
  return z >= 0 ? z + i * bytesOf(a) : copyIn(a, wasm.scratch + slot * SLOT_BYTES, i, m);
}

/** Copies m elements from byte offset `from` of wasm memory to `a` from index i. */
export function copyOut(a: FloatArray, from: number, i: number, m: number): void {
  setAt(a, wasmView(a instanceof Float32Array ? wasm.f32 : wasm.f64, from, m), i);
}

// The view of wasm memory copyOut used last: a training loop copies the same slot and length out
// on every call, and a new subarray costs an allocation each time.
// Stryker disable next-line UnaryOperator: `from` is read only after `base` matched, which the first call sets
const last = { base: undefined as FloatArray | undefined, from: -1, view: undefined as FloatArray | undefined };

/** m elements of `base` (a view of all of wasm memory) from byte offset `from`. */
function wasmView(base: FloatArray, from: number, m: number): FloatArray {
  if (last.base === base && last.from === from && last.view!.length === m) return last.view!;
  const at = from / bytesOf(base);
  last.base = base;
  last.from = from;
  last.view = subarrayOf(base, at, at + m);
  return last.view;
}

/** Copies m elements of scratch slot `slot` to `a` from index i. */
export function stageOut(a: FloatArray, slot: number, i: number, m: number): void {
  copyOut(a, wasm.scratch + slot * SLOT_BYTES, i, m);
}
