// Shared by the tests: both builds, seeded random data, comparisons.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { SimdlossError } from '../src/core/errors.js';
import { initSync } from '../src/core/init.js';
import { alloc, type TypedArrayOf, type WasmArray } from '../src/core/memory.js';
import { adopt, wasm } from '../src/core/wasm.js';

export const BUILDS = [
  { name: 'simd', simd: true, bytes: readFileSync(new URL('../wasm/simdloss-simd.wasm', import.meta.url)) },
  { name: 'scalar', simd: false, bytes: readFileSync(new URL('../wasm/simdloss-scalar.wasm', import.meta.url)) },
] as const;

/**
 * A switch between the two builds for a test that runs both on one library instance: `to(build)`
 * initialises `initSync` with that build's module only when it is not the live one (compiling each
 * module once), and checks that the build reports the SIMD it has.
 */
export function buildSwitch(initSync: (module: WebAssembly.Module) => { simd: boolean }): (build: 'simd' | 'scalar') => void {
  const modules = { simd: new WebAssembly.Module(BUILDS[0].bytes), scalar: new WebAssembly.Module(BUILDS[1].bytes) };
  let live: 'simd' | 'scalar' | undefined;
  return (build) => {
    if (live === build) return;
    expect(initSync(modules[build]).simd).toBe(build === 'simd');
    live = build;
  };
}

export const DTYPES = [
  { name: 'f32', Array: Float32Array, round: Math.fround },
  { name: 'f64', Array: Float64Array, round: (x: number) => x },
] as const;

/** Every length 0–67 (each SIMD tile edge of both dtypes), the block and chunk edges, and large odd ones. */
export const LENGTHS = [
  ...Array.from({ length: 68 }, (_, i) => i),
  1023,
  1024,
  1025,
  4095,
  4096,
  4097,
  8191,
  8192,
  8193,
  3 * 8192 + 5,
  100_003,
];

export { elementwiseData, random, ternaryData, uniform } from './random.js';

/** |actual − expected| ≤ tol·|expected| + abs (one bound, or one per element), element by element; Inf and NaN must match exactly. */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: number,
  what = '',
  abs: number | ArrayLike<number> = 0,
): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!Number.isFinite(e) || !Number.isFinite(a)) {
      expect(a, `${what}[${i}]`).toBe(e);
    } else if (!(Math.abs(a - e) <= tol * Math.abs(e) + (typeof abs === 'number' ? abs : abs[i]!))) {
      expect.fail(`${what}[${i}] = ${a}, expected ${e} within ${tol} relative`);
    }
  }
}

export function expectNear(actual: number, expected: number, tol: number, what = '', abs = 0): void {
  if (Number.isNaN(expected) ? !Number.isNaN(actual) : !(Math.abs(actual - expected) <= tol * Math.abs(expected) + abs)) {
    expect.fail(`${what} = ${actual}, expected ${expected} within ${tol} relative`);
  }
}

/** Bit-for-bit equality (NaN payloads aside), for results that must be identical. */
export function expectIdentical(actual: ArrayLike<number>, expected: ArrayLike<number>, what = ''): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect.fail(`${what}[${i}] = ${actual[i]}, expected exactly ${expected[i]}`);
  }
}

/** The message and argument of the SimdlossError `run` throws (any other error is rethrown). */
export function refusal(run: () => unknown): [string, string | undefined] {
  try {
    run();
  } catch (e) {
    if (!(e instanceof SimdlossError)) throw e;
    return [e.message, e.argument];
  }
  return expect.fail('no error thrown');
}

/** The error of a bad call, checked: a SimdlossError naming `argument` (in .argument and the message), containing each of `contains`, with `index`. */
export function refused(run: () => unknown, fn: string, argument: string, contains: readonly string[], index: number | undefined): void {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  const where = `${fn} (${argument}${index === undefined ? '' : `[${index}]`})`;
  if (!(error instanceof SimdlossError))
    expect.fail(`${where}: expected a SimdlossError, got ${error === undefined ? 'no error' : String(error)}`);
  const e = error as SimdlossError;
  expect(e.argument, `${where}: .argument of «${e.message}»`).toBe(argument);
  expect(e.message.startsWith(`${fn}: `), `${where}: «${e.message}» names the function`).toBe(true);
  // An unknown option or key is named as written ('reduciton'), without the opts. prefix.
  const named = e.message.includes(argument) || e.message.includes(`'${argument.split('.').pop()}'`);
  expect(named, `${where}: «${e.message}» names ${argument}`).toBe(true);
  for (const text of contains) expect(e.message, `${where}: «${e.message}»`).toContain(text);
  expect(e.index, `${where}: .index of «${e.message}»`).toBe(index);
}

/**
 * Adopts an instance of the SIMD build whose exports named by `counted` count their calls in the
 * object returned: a test zeroes and reads its `calls` around the call it measures.
 */
export function countedCalls(counted: (name: string) => boolean): { calls: number } {
  const counter = { calls: 0 };
  initSync(BUILDS[0].bytes);
  const exports: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(wasm.exports!)) {
    const f = v as (...a: number[]) => number;
    exports[k] = counted(k)
      ? (...a: number[]) => {
          counter.calls++;
          return f(...a);
        }
      : v;
  }
  adopt({ exports } as unknown as WebAssembly.Instance);
  return counter;
}

/** Where a test puts an array argument: an ordinary typed array, or a WasmArray in wasm memory. */
export type Where = 'ordinary' | 'wasm';

/**
 * `values` as an ordinary array (a copy), or copied into a new WasmArray of their dtype, pushed on
 * `held` for the caller to free.
 */
export function placed<D extends 'f32' | 'f64'>(values: TypedArrayOf<D>, at: Where, held: WasmArray[]): TypedArrayOf<D> | WasmArray<D> {
  if (at === 'ordinary') return values.slice() as TypedArrayOf<D>;
  const a = alloc(values.length, (values instanceof Float32Array ? 'f32' : 'f64') as D);
  a.array.set(values);
  held.push(a as WasmArray);
  return a;
}

/** What a call-count test asks of a call besides where its inputs are: weights, the gradient, the reduction. */
export interface CallShape {
  weights: 'none' | Where;
  /** Where the gradient goes, or 'none': the loss alone. */
  gradient: 'none' | 'new' | Where;
  reduction: 'mean' | 'sum' | 'none';
}

/** Where a call-count test puts each array of a call, and what it asks for (its sizes are the test's own). */
export interface Placement extends CallShape {
  target: Where;
  pred: Where;
}

/** A call-count case over rows: its placement and `rows` rows of `dim` values. */
export type RowCase<P extends CallShape> = P & { dim: number; rows: number };

/**
 * The kernel-call cases every family of rows shares, `all` placing its inputs and gradient in wasm
 * memory: one call over WasmArrays alone (the loss alone, WasmArray weights, rows wider than a
 * slot), none for no rows, one per `segment` values (a slot's worth) where only the per-row losses
 * or ordinary weights pass through a slot; 3·segment + 5 rows of 2 values.
 */
export function wasmAloneCases<P extends CallShape>(all: P, segment: number): [string, RowCase<P>, number][] {
  const narrow = { dim: 2, rows: 3 * segment + 5 };
  const perValue = Math.ceil(narrow.rows / segment);
  return [
    ['WasmArrays alone', { ...all, ...narrow }, 1],
    ['WasmArrays alone, the loss alone', { ...all, ...narrow, gradient: 'none', reduction: 'sum' }, 1],
    ['WasmArrays alone, WasmArray weights', { ...all, ...narrow, weights: 'wasm' }, 1],
    ['WasmArrays alone, no rows', { ...all, dim: 2, rows: 0 }, 0],
    ['WasmArrays alone, rows wider than a slot', { ...all, dim: 2 * segment + 1, rows: 3 }, 1],
    ['WasmArrays alone, per-row losses through a slot', { ...all, ...narrow, reduction: 'none' }, perValue],
    ['WasmArrays alone but ordinary weights', { ...all, ...narrow, weights: 'ordinary' }, perValue],
  ];
}

const ARRAYS = { f32: Float32Array, f64: Float64Array, i32: Int32Array };

/**
 * `length` elements of `value` of `dtype`: an ordinary array, or a new WasmArray pushed on `held`
 * for the caller to free.
 */
export function filledAt(length: number, value: number, at: Where, dtype: 'f32' | 'f64' | 'i32', held: WasmArray[]): unknown {
  if (at === 'ordinary') return new ARRAYS[dtype](length).fill(value);
  const a = alloc(length, dtype);
  a.array.fill(value);
  held.push(a as WasmArray);
  return a;
}
