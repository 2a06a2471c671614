/**
 * The one wasm instance behind the API, its memory layout and typed views.
 *
 * Layout of linear memory, all owned by this file and memory.ts (kernels never allocate):
 *   [0, heapBase)                      static data: constants, the kernels' RESULT area
 *   [scratch, scratch + SLOTS·SLOT)    fixed scratch slots (abi.ts); ordinary arrays are streamed through them
 *   [heap, …)                          blocks handed out by alloc() (memory.ts), grown on demand
 */
import { instantiate as load, instantiateSync as loadSync } from '@assemblyscript/loader';
import { SLOT_BYTES, SLOTS } from './abi.js';
import { SimdlossError } from './errors.js';

/** Test hook (test/property/properties.test.ts): at most `limit` elements or rows per chunk of the copy path,
 * so that chunk edges can fall anywhere in small arrays; 0 (always, outside that test): a slot's worth. */
export const staging = { limit: 0 };
export function chunkOf(fit: number): number {
  return staging.limit > 0 ? Math.min(fit, staging.limit) : fit;
}

export type Kernel = (...args: number[]) => number;

interface Exports {
  memory: WebAssembly.Memory;
  SIMD: WebAssembly.Global;
  RESULT: WebAssembly.Global;
  heapBase(): number;
  [name: string]: unknown;
}

/** The live instance; `exports` is undefined until init. */
export const wasm = {
  exports: undefined as Exports | undefined,
  memory: undefined as unknown as WebAssembly.Memory,
  // Stryker disable next-line BooleanLiteral: adopt() writes it before anything reads it
  simd: false,
  /** Changes at every (re)initialisation, so that WasmArrays of an older instance are refused. */
  generation: 0,
  /** Byte offset of the first scratch slot, and of the first byte alloc() may hand out. */
  scratch: 0,
  heapStart: 0,
  /** Index of RESULT in `f64` (and ×2 in `i32`). */
  result: 0,
  buffer: new ArrayBuffer(0),
  u8: new Uint8Array(0),
  i32: new Int32Array(0),
  f32: new Float32Array(0),
  f64: new Float64Array(0),
};

/**
 * Views over memory.buffer, re-derived whenever it has been replaced. memory.grow (even grow(0))
 * detaches the old buffer, and a view of a detached buffer has length 0, which is the cheap test:
 * reading `memory.buffer` costs ~35 ns on Node 20, a view's length almost nothing.
 */
export function views(): typeof wasm {
  // The rare rebuild in a function of its own, so that this check costs little of the inlining
  // budget of the call paths it is inlined into.
  if (wasm.u8.length === 0) rebuildViews();
  return wasm;
}

function rebuildViews(): void {
  const buffer = wasm.memory.buffer;
  wasm.buffer = buffer;
  wasm.u8 = new Uint8Array(buffer);
  wasm.i32 = new Int32Array(buffer);
  wasm.f32 = new Float32Array(buffer);
  wasm.f64 = new Float64Array(buffer);
}

/** Set by the entries that can load a build synchronously (Node, Deno, Bun; the inline entry). */
export const firstUse: { load: (() => void) | undefined } = { load: undefined };

export function ready(): typeof wasm {
  if (wasm.exports === undefined) {
    if (firstUse.load === undefined) {
      throw new SimdlossError('simdloss is not initialised: call `await init()` (or `initSync(bytesOrModule)`) before any loss');
    }
    firstUse.load();
  }
  return wasm;
}

/** Grows memory so that it holds at least `bytes`; false if the engine refuses. */
export function reserve(bytes: number): boolean {
  return grown(wasm.memory, bytes);
}

function grown(memory: WebAssembly.Memory, bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return true;
  try {
    memory.grow(Math.ceil((bytes - have) / 65536));
    return true;
  } catch {
    return false;
  }
}

export function adopt(instance: WebAssembly.Instance): void {
  const exports = instance.exports as unknown as Exports;
  if (typeof exports.heapBase !== 'function' || !(exports.memory instanceof WebAssembly.Memory)) {
    throw new SimdlossError('simdloss: this WebAssembly module is not a simdloss build');
  }
  // Half a page off the page grid: copying from a slot into a page-aligned array (how large typed
  // arrays are allocated) with both at the same offset mod 4096 ran at 1.8 B/ns instead of 28
  // (4K aliasing, measured with TypedArray.prototype.set on Node 20).
  const scratch = align(exports.heapBase(), 4096) + 2048;
  const heapStart = scratch + SLOTS * SLOT_BYTES;
  // Reserved before the instance is taken: a refused build leaves the running one as it was.
  if (!grown(exports.memory, heapStart)) throw new SimdlossError('simdloss: could not reserve the scratch area');
  wasm.exports = exports;
  wasm.memory = exports.memory;
  wasm.simd = exports.SIMD.value === 1;
  wasm.generation++;
  wasm.scratch = scratch;
  wasm.heapStart = heapStart;
  wasm.result = (exports.RESULT.value as number) / 8;
  wasm.u8 = new Uint8Array(0);
  views();
}

export function instantiateSync(module: WebAssembly.Module): void {
  adopt(loadSync(module, {}).instance);
}

export async function instantiate(module: WebAssembly.Module): Promise<void> {
  adopt((await load(module, {})).instance);
}

export function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
