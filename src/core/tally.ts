/**
 * The counting metrics' driver (confusion counts, calibration bins): each example adds its weight to
 * one or a few cells of a table. A cell is a Neumaier pair — its float64 sum and that sum's
 * compensation — so a table is a Float64Array of 2 values a cell. A batch is counted by a kernel
 * into a copy of the table in wasm memory, chunk by chunk through the scratch slots; the kernel
 * adds with the same compensated step as stream.ts, element after element, so any chunking of a
 * batch, and any split of a stream into updates, leaves the table bit for bit as one pass would.
 *
 * What is exact: unweighted, every cell is an integer count (exact up to 2⁵³ examples), so one call,
 * updates and merges in any order agree bit for bit. With weights, every partial sum that a float64
 * holds exactly (integer weights, or multiples of one power of two whose sums stay below 2⁵³ of
 * it) keeps the same exactness; otherwise a cell is within Neumaier's bound of the exact Σ w —
 * 2ε|Σ w| plus O(nε²)Σ|w| — and a merge order changes it by at most that much.
 */

import { ARGUMENT_PRED, ARGUMENT_WEIGHTS, R_ARGUMENT_I32, SLOT_BYTES } from './abi.js';
import type { FloatArray } from './args.js';
import { SimdlossError, show } from './errors.js';
import { alloc, rederive, WasmArray, wasmPointer } from './memory.js';
import { bytesOf } from './typed.js';
import { chunkOf, ready, wasm } from './wasm.js';

/** A table: Neumaier pairs, [sum₀, compensation₀, sum₁, compensation₁, …]. */
export type Table = Float64Array;

/** Each cell's value: sum + compensation. */
export function values(s: Table): Float64Array {
  const out = new Float64Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = s[2 * i]! + s[2 * i + 1]!;
  return out;
}

/**
 * Runs `count(tablePointer)` with `table` copied into wasm memory, and copies it back only if
 * count returns: a refused batch leaves the table as it was. The block is allocated first, so the
 * arguments count reads must be taken through `rederive` (a WasmArray's view may be detached by then).
 */
export function countInto(table: Table, count: (at: number) => void): void {
  ready();
  const block = alloc(table.length, 'f64');
  try {
    block.array.set(table);
    count(block.ptr);
    table.set(block.array);
  } finally {
    block.free();
  }
}

/** One operand of a counting pass: its array, its wasm pointer (-1: copied), elements per example, and its slot. */
export interface Operand {
  a: FloatArray | Int32Array;
  z: number;
  per: number;
  slot: number;
}

/** An argument as an operand: the typed array behind it (re-derived after the table's allocation) and its wasm pointer. */
export function operand(fn: string, name: string, x: unknown, per: number, slot: number): Operand | undefined {
  if (x === undefined) return undefined;
  const again = rederive(x);
  const a = again instanceof WasmArray ? again.arrayFor(fn, name) : again;
  return { a: a as FloatArray | Int32Array, z: wasmPointer(fn, name, again), per, slot };
}

/** The metric's names of its target and prediction arguments, and what each element of them must be ('an integer in [0, 3)'). */
export interface Refusals {
  names: readonly [string, string];
  expected: readonly [string, string];
}

/**
 * Runs `call(m, addresses)` — the kernel over m examples at those addresses, one per operand (0 for
 * an absent one) — over n examples, as many a chunk as fit each copied operand's slot; a refused
 * value is thrown as a SimdlossError naming its argument, index and value.
 */
export function pass(
  fn: string,
  n: number,
  ops: readonly (Operand | undefined)[],
  call: (m: number, at: number[]) => number,
  say: Refusals,
): void {
  let fit = SLOT_BYTES;
  for (const o of ops) if (o !== undefined && o.z < 0) fit = Math.min(fit, Math.floor(SLOT_BYTES / (o.per * elementBytes(o.a))));
  const chunk = chunkOf(Math.max(1, fit));
  for (let i = 0; i < n; i += chunk) {
    const m = Math.min(chunk, n - i);
    const bad = call(
      m,
      ops.map((o) => (o === undefined ? 0 : address(o, i, m))),
    );
    if (bad >= 0) throw refusal(fn, wasm.i32[2 * wasm.result + R_ARGUMENT_I32]!, i, bad, ops, say);
  }
}

function elementBytes(a: FloatArray | Int32Array): number {
  return a instanceof Int32Array ? 4 : bytesOf(a);
}

/** Where examples [i, i + m) of an operand are: in place, or copied into its slot. */
function address(o: Operand, i: number, m: number): number {
  const bytes = elementBytes(o.a);
  if (o.z >= 0) return o.z + i * o.per * bytes;
  const to = wasm.scratch + o.slot * SLOT_BYTES;
  const from = o.a.subarray(i * o.per, (i + m) * o.per);
  if (o.a instanceof Int32Array) wasm.i32.set(from, to >> 2);
  else if (o.a instanceof Float32Array) wasm.f32.set(from, to >> 2);
  else wasm.f64.set(from, to >> 3);
  return to;
}

function refusal(fn: string, code: number, i: number, bad: number, ops: readonly (Operand | undefined)[], say: Refusals): SimdlossError {
  if (code === ARGUMENT_WEIGHTS) {
    const k = i + bad;
    return new SimdlossError(`${fn}: opts.weights[${k}] must be a finite number ≥ 0; got ${show(ops[2]!.a[k])}`, 'opts.weights', k);
  }
  const which = code === ARGUMENT_PRED ? 1 : 0;
  const k = i * ops[which]!.per + bad;
  const name = say.names[which]!;
  return new SimdlossError(`${fn}: ${name}[${k}] must be ${say.expected[which]}; got ${show(ops[which]!.a[k])}`, name, k);
}
