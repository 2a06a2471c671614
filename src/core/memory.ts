/**
 * Zero copy: arrays that live in wasm memory. alloc() hands out blocks above the scratch area from
 * a first-fit free list kept here in JS (the kernels are built with `--runtime stub` and never
 * allocate); memory grows when no free block fits, and every view is re-derived after that.
 */
import { SimdlossError, show } from './errors.js';
import { ready, reserve, views, wasm } from './wasm.js';

/** The element type of a {@link WasmArray}: float32, float64 or int32 (class labels). */
export type Dtype = 'f32' | 'f64' | 'i32';
/** The typed array behind a dtype: Float32Array, Float64Array or Int32Array. */
export type TypedArrayOf<D extends Dtype> = D extends 'f32' ? Float32Array : D extends 'f64' ? Float64Array : Int32Array;
type Ctor = Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor;

const CTORS: Record<Dtype, Ctor> = { f32: Float32Array, f64: Float64Array, i32: Int32Array };
const BLOCK_ALIGN = 64; // a cache line: vector loads never straddle one at a block's start

/** Free blocks, sorted by address, never adjacent (freeing coalesces); of the instance `heapGeneration`. */
let freeStart: number[] = [];
let freeSize: number[] = [];
let heapGeneration = -1;
/** The end of memory the free list accounts for. */
let heapEnd = 0;

/**
 * A new instance starts with everything above the scratch area free; pages grown by anyone else
 * (`memory().grow(n)`) since are free too. (Before, they were never handed out: a soak forcing
 * grow(1) between calls left 6 MB of them unused over 1e5 calls.)
 */
function heap(): void {
  const end = wasm.memory.buffer.byteLength;
  if (heapGeneration !== wasm.generation) {
    heapGeneration = wasm.generation;
    freeStart = [];
    freeSize = [];
    heapEnd = Math.max(end, wasm.heapStart);
    if (end > wasm.heapStart) give(wasm.heapStart, end - wasm.heapStart);
  } else if (end > heapEnd) {
    give(heapEnd, end - heapEnd);
    heapEnd = end;
  }
}

/** @internal A block of `bytes` (a multiple of 64), not zeroed: for a temporary of the library itself; give it back with give(). */
export function take(bytes: number): number {
  heap();
  for (let k = 0; k < freeStart.length; k++) {
    if (freeSize[k]! >= bytes) {
      const ptr = freeStart[k]!;
      if (freeSize[k] === bytes) {
        freeStart.splice(k, 1);
        freeSize.splice(k, 1);
      } else {
        freeStart[k] = ptr + bytes;
        freeSize[k] = freeSize[k]! - bytes;
      }
      return ptr;
    }
  }
  // Nothing fits: grow, extending the last free block if it reaches the end of memory.
  const top = wasm.memory.buffer.byteLength;
  const last = freeStart.length - 1;
  const tail = last >= 0 && freeStart[last]! + freeSize[last]! === top ? freeSize[last]! : 0;
  const ptr = top - tail;
  if (!reserve(ptr + bytes)) {
    throw new SimdlossError(`alloc: wasm memory cannot grow to ${ptr + bytes} bytes`, 'n');
  }
  if (tail > 0) {
    freeStart.pop();
    freeSize.pop();
  }
  const end = wasm.memory.buffer.byteLength;
  heapEnd = end;
  if (end > ptr + bytes) give(ptr + bytes, end - ptr - bytes);
  return ptr;
}

/** @internal Returns a block from take() (or a freed WasmArray's) to the free list. */
export function give(ptr: number, bytes: number): void {
  let k = 0;
  while (k < freeStart.length && freeStart[k]! < ptr) k++;
  freeStart.splice(k, 0, ptr);
  freeSize.splice(k, 0, bytes);
  if (k + 1 < freeStart.length && ptr + bytes === freeStart[k + 1]) {
    freeSize[k] = freeSize[k]! + freeSize[k + 1]!;
    freeStart.splice(k + 1, 1);
    freeSize.splice(k + 1, 1);
  }
  if (k > 0 && freeStart[k - 1]! + freeSize[k - 1]! === ptr) {
    freeSize[k - 1] = freeSize[k - 1]! + freeSize[k]!;
    freeStart.splice(k, 1);
    freeSize.splice(k, 1);
  }
}

/** The views handed out by WasmArray.array, so that a view passed as an argument is recognised without
 * reading its `.buffer` (15–40 ns per read on Node 20, and ~600 ns for a small on-heap typed array,
 * which V8 must then move off the heap). */
const owners = new WeakMap<ArrayBufferView, WasmArray>();

/**
 * Byte offset of a WasmArray, or of a view it handed out; -1 for any other array. A view of a
 * freed WasmArray, or of one from an instance a later init() replaced, is refused: its bytes
 * may belong to someone else by now.
 */
export function wasmPointer(fn: string, name: string, x: unknown): number {
  if (x instanceof WasmArray) {
    if (!x.live) throw freedView(fn, name);
    return x.ptr;
  }
  const owner = owners.get(x as ArrayBufferView);
  if (owner === undefined) return -1;
  if (!owner.live) throw freedView(fn, name);
  return owner.ptr;
}

function freedView(fn: string, name: string): SimdlossError {
  return new SimdlossError(`${fn}: ${name} is a view of a WasmArray that was freed or belongs to a replaced instance`, name);
}

/**
 * An argument again after the library itself grew memory during a call: a view a WasmArray handed
 * out is detached by then, and is replaced by that WasmArray's current view; anything else is returned as is.
 */
export function rederive(x: unknown): unknown {
  if (x instanceof WasmArray) return x;
  const owner = owners.get(x as ArrayBufferView);
  return owner?.live ? owner.array : x;
}

/** An array that lives in wasm memory; pass it (or its `.array`) anywhere an array goes, `opts.out` included, and no copy is made. */
export class WasmArray<D extends Dtype = Dtype> {
  /** Byte offset in wasm memory. */
  readonly ptr: number;
  /** Number of elements. */
  readonly length: number;
  /** Element type: 'f32', 'f64' or 'i32'. */
  readonly dtype: D;
  #bytes: number;
  /** The instance it belongs to; -1 once freed, so that one comparison tells a live array. */
  #generation: number;
  #view: TypedArrayOf<D>;
  #freed = false;

  /** @internal use alloc() */
  constructor(ptr: number, length: number, dtype: D, bytes: number) {
    this.ptr = ptr;
    this.length = length;
    this.dtype = dtype;
    this.#bytes = bytes;
    this.#generation = wasm.generation;
    this.#view = this.#derive();
  }

  #derive(): TypedArrayOf<D> {
    const view = new CTORS[this.dtype](views().buffer, this.ptr, this.length) as TypedArrayOf<D>;
    owners.set(view, this);
    return view;
  }

  /** @internal not freed, and of the current instance */
  get live(): boolean {
    return this.#generation === wasm.generation;
  }

  /** A live view of the elements: re-derived whenever memory has grown, so never a detached array. */
  get array(): TypedArrayOf<D> {
    if (this.#freed) throw new SimdlossError('WasmArray: used after free()', 'WasmArray');
    if (this.#generation !== wasm.generation) {
      throw new SimdlossError('WasmArray: it belongs to an instance that a later init() replaced', 'WasmArray');
    }
    if (this.#view.length !== this.length) this.#view = this.#derive(); // detached by memory growth
    return this.#view;
  }

  /** @internal `.array` for a WasmArray passed as argument `name` of `fn`: a refusal names that argument. */
  arrayFor(fn: string, name: string): TypedArrayOf<D> {
    // The getter's checks written out, the messages out of line: every call of every loss runs this.
    if (!this.live) throw this.#refusal(fn, name);
    if (this.#view.length !== this.length) this.#view = this.#derive(); // detached by memory growth
    return this.#view;
  }

  #refusal(fn: string, name: string): SimdlossError {
    return this.#freed
      ? new SimdlossError(`${fn}: ${name} is a WasmArray used after free()`, name)
      : new SimdlossError(`${fn}: ${name} is a WasmArray of an instance that a later init() replaced`, name);
  }

  /** Returns the block to the allocator; the WasmArray cannot be used afterwards. Idempotent. */
  free(): void {
    if (this.#freed) return;
    this.#freed = true;
    if (this.#generation === wasm.generation) give(this.ptr, this.#bytes);
    this.#generation = -1;
  }
}

/**
 * A zero-copy array of `n` elements in wasm memory, zero-filled.
 *
 * @example
 * ```ts
 * import { alloc, mse } from 'simdloss';
 *
 * const n = 100_000;
 * const pred = alloc(n, 'f32');      // WasmArray: .array is a live Float32Array view
 * const target = alloc(n, 'f32');
 * const grad = alloc(n, 'f32');
 * pred.array.fill(0.5);              // fill the views in place (re-read .array after any other alloc)
 * target.array.fill(1);
 * const { loss } = mse.withGrad(target, pred, { out: grad });   // no copy in or out
 * loss;                  // 0.25
 * grad.array[n - 1];     // -1e-5 = 2·(0.5 − 1)/n, in float32
 * pred.free(); target.free(); grad.free();
 * ```
 */
export function alloc<D extends Dtype = 'f32'>(n: number, dtype: D = 'f32' as D): WasmArray<D> {
  ready();
  if (!(dtype in CTORS)) {
    throw new SimdlossError(`alloc: dtype must be 'f32', 'f64' or 'i32'; got ${show(dtype)}`, 'dtype');
  }
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new SimdlossError(`alloc: n must be an integer ≥ 0; got ${show(n)}`, 'n');
  }
  const bytes = Math.max(BLOCK_ALIGN, Math.ceil((n * CTORS[dtype].BYTES_PER_ELEMENT) / BLOCK_ALIGN) * BLOCK_ALIGN);
  const ptr = take(bytes);
  views().u8.fill(0, ptr, ptr + bytes);
  return new WasmArray(ptr, n, dtype, bytes);
}

/** The wasm memory itself (for tools and tests that need to grow it or look inside). */
export function memory(): WebAssembly.Memory {
  return ready().memory;
}
