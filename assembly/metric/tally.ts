// What the counting metrics share: a table of cells in wasm memory, each a Neumaier pair (sum, then
// its compensation: 16 bytes a cell), into which every example adds its weight (1 unweighted). The
// table outlives a call, so a batch streamed through the scratch slots chunk by chunk leaves it bit
// for bit as one pass over the whole batch would.

import { MODE_WEIGHTED, RESULT_ARGUMENT } from "../abi";
import { byteOffset, setResult } from "../kernel/shared";

/** Bytes of one cell: the sum, then its compensation. */
export const CELL: usize = 16;

/** Neumaier's compensated addition of x into the cell at `cell`, the same steps as the TypeScript accumulators take. */
// @ts-ignore: decorator
@inline export function addTo(cell: usize, x: f64): void {
  const s = load<f64>(cell);
  const t = s + x;
  // Once the sum overflows the compensation means nothing; keeping it finite keeps sum + c = sum.
  if (t - t == 0) store<f64>(cell, load<f64>(cell, 8) + (abs(s) >= abs(x) ? s - t + x : x - t + s), 8);
  store<f64>(cell, t);
}

/** Leaves the argument code and returns the index: how a kernel refuses a value. */
// @ts-ignore: decorator
@inline export function refuse(argument: i32, index: i32): i32 {
  setResult<i32>(RESULT_ARGUMENT, argument);
  return index;
}

/** Example i's weight as f64 (1 unweighted); -1 when it is negative or not finite (the caller refuses it). */
// @ts-ignore: decorator
@inline export function weightAt<T>(w: usize, i: i32, mode: i32): f64 {
  if ((mode & MODE_WEIGHTED) == 0) return 1;
  const v = <f64>load<T>(w + byteOffset<T>(i));
  return v >= 0 && v - v == 0 ? v : -1;
}

/** A binary target, 0 or 1, read as Int32 or (floatTarget) as T; -1 for anything else. */
// @ts-ignore: decorator
@inline export function binaryAt<T>(y: usize, i: i32, floatTarget: bool): i32 {
  if (floatTarget) {
    const v = load<T>(y + byteOffset<T>(i));
    return v == 0 ? 0 : v == 1 ? 1 : -1;
  }
  const t = load<i32>(y + (<usize>i << 2));
  return t == 0 || t == 1 ? t : -1;
}
