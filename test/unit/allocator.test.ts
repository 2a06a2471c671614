// alloc's free list, held to its rules: first fit from the heap's start, freed blocks coalesced and
// reused, pages grown by anyone else handed out, and growth that extends a free block at the end of
// memory rather than leaving it behind. Each test starts from a new instance (initSync), whose heap
// is one free block from the end of the scratch area to the end of memory.
import { beforeEach, describe, expect, test } from 'vitest';
import { wasm } from '../../src/core/wasm.js';
import { alloc, initSync, memory, SimdlossError } from '../../src/node.js';
import { BUILDS, refusal } from '../helpers.js';

const PAGE = 65536;
/** f32 elements in `bytes` (a multiple of the allocator's 64-byte blocks). */
const floats = (bytes: number) => bytes / 4;

beforeEach(() => {
  initSync(BUILDS[0].bytes);
});

describe('alloc on a new instance', () => {
  test('hands out the free space above the scratch area before growing memory', () => {
    const top = memory().buffer.byteLength;
    expect(top).toBeGreaterThan(wasm.heapStart);
    const a = alloc(16);
    expect(a.ptr).toBe(wasm.heapStart);
    expect(memory().buffer.byteLength).toBe(top);
  });

  test('first fit: a freed block is reused by the next allocation of its size, in place', () => {
    const [a, b, c] = [alloc(16), alloc(16), alloc(16)];
    expect([b.ptr - a.ptr, c.ptr - b.ptr]).toEqual([64, 64]);
    b.free();
    expect(alloc(16).ptr).toBe(b.ptr);
    a.free();
    // a's block and the one after c are free; a block of a's size goes to the first, a's
    expect(alloc(16).ptr).toBe(a.ptr);
  });

  test('neighbouring free blocks are joined: two freed 64-byte blocks take one of 128', () => {
    const [a, b, c] = [alloc(16), alloc(16), alloc(16)];
    a.free();
    b.free();
    const joined = alloc(32); // 128 bytes: fits only if a's and b's blocks were coalesced
    expect(joined.ptr).toBe(a.ptr);
    expect(c.ptr).toBe(a.ptr + 128);
  });

  test('a freed block is joined only with the free blocks it touches', () => {
    const [a, b, c] = [alloc(16), alloc(16), alloc(16)];
    a.free();
    c.free(); // joined with the free rest after it, not with a's block: b lies between them
    const next = alloc(32); // 128 bytes: more than a's 64, so it goes after b
    expect(next.ptr).toBe(c.ptr);
    expect(b.ptr).toBe(a.ptr + 64);
  });
});

describe('a WasmArray of a replaced instance', () => {
  test('freed after init() gives nothing back to the new instance’s free list', () => {
    const old = alloc(16);
    initSync(BUILDS[0].bytes);
    const held = alloc(16); // the new instance's first block: the same offset as old's
    expect(held.ptr).toBe(old.ptr);
    old.free();
    expect(alloc(16).ptr).toBe(held.ptr + 64);
  });
});

describe('alloc arguments', () => {
  test('n = 0 is an empty array; a negative n or an unknown dtype is refused by name', () => {
    const empty = alloc(0, 'f64');
    expect([empty.length, empty.array.length]).toEqual([0, 0]);
    expect(refusal(() => alloc(-1))).toEqual(['alloc: n must be an integer ≥ 0; got -1', 'n']);
    expect(refusal(() => alloc(4, 'f16' as 'f32'))).toEqual(["alloc: dtype must be 'f32', 'f64' or 'i32'; got 'f16'", 'dtype']);
  });
});

describe('growth', () => {
  test('pages grown by someone else are handed out, and only they', () => {
    const top = memory().buffer.byteLength;
    const all = alloc(floats(top - wasm.heapStart)); // the whole free block
    expect(all.ptr).toBe(wasm.heapStart);
    expect(memory().buffer.byteLength).toBe(top);
    memory().grow(1);
    const next = alloc(16);
    expect(next.ptr).toBe(top); // in the grown page, without growing again
    expect(memory().buffer.byteLength).toBe(top + PAGE);
    // what is left of that page is PAGE − 64 bytes: a block of a page no longer fits in it
    const page = alloc(floats(PAGE));
    expect(memory().buffer.byteLength).toBeGreaterThan(top + PAGE);
    expect(page.ptr).toBe(top + 64); // the page's free rest, extended at the end of memory
  });

  test('growth extends a free block that reaches the end of memory', () => {
    const top = memory().buffer.byteLength;
    const free = top - wasm.heapStart;
    const head = alloc(floats(free - 1024)); // leaves 1024 free bytes at the end of memory
    expect(head.ptr).toBe(wasm.heapStart);
    const big = alloc(floats(2048)); // does not fit in those 1024: memory grows
    expect(big.ptr).toBe(top - 1024);
    expect(memory().buffer.byteLength).toBe(top + PAGE);
  });

  test('growth with no free block at the end of memory keeps the free blocks before it', () => {
    const top = memory().buffer.byteLength;
    const free = top - wasm.heapStart;
    const [a, b] = [alloc(16), alloc(floats(free - 64))]; // b reaches the end of memory
    expect(b.ptr + b.array.byteLength).toBe(top);
    a.free(); // a hole of 64 bytes at the heap's start, none at the end
    const big = alloc(floats(1024)); // grows: placed at the old end of memory
    expect(big.ptr).toBe(top);
    expect(alloc(16).ptr).toBe(a.ptr); // the hole is still there
  });

  test('a block freed at the start of a grown page is joined with the free rest of that page', () => {
    const top = memory().buffer.byteLength;
    alloc(floats(top - wasm.heapStart)); // the whole free block: nothing is free now
    const first = alloc(16); // memory grows by a page; the block takes its first 64 bytes
    expect(first.ptr).toBe(top);
    expect(memory().buffer.byteLength).toBe(top + PAGE);
    first.free(); // the page is one free block again
    const page = alloc(floats(PAGE)); // fits only if the two were joined
    expect(page.ptr).toBe(top);
    expect(memory().buffer.byteLength).toBe(top + PAGE);
  });

  test('growth by exactly the block leaves nothing free behind it to split a later free block', () => {
    const top = memory().buffer.byteLength;
    alloc(floats(top - wasm.heapStart));
    const exact = alloc(floats(PAGE)); // memory grows by exactly this page: nothing of it is left free
    expect(exact.ptr).toBe(top);
    const small = alloc(16); // grows again: the next page, its rest free
    expect(small.ptr).toBe(top + PAGE);
    expect(memory().buffer.byteLength).toBe(top + 2 * PAGE);
    small.free(); // joined with its page's free rest: the page is one free block again
    expect(alloc(floats(PAGE)).ptr).toBe(top + PAGE);
    expect(memory().buffer.byteLength).toBe(top + 2 * PAGE);
  });

  test('memory that cannot grow is refused, naming the size it would need', () => {
    const bytes = 2 ** 32; // 4 GiB: beyond what wasm32 memory can hold
    let error: unknown;
    try {
      alloc(floats(bytes));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimdlossError);
    // the whole free block reaches the end of memory, so the block would start at the heap's start
    expect((error as SimdlossError).message).toBe(`alloc: wasm memory cannot grow to ${wasm.heapStart + bytes} bytes`);
    expect((error as SimdlossError).argument).toBe('n');
  });
});
