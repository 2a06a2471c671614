// Zero copy and memory: alloc/free, views that survive growth, memory that does not grow with input.
import { beforeAll, describe, expect, test } from 'vitest';
import { alloc, huber, init, memory, mse, SimdlossError } from '../../src/node.js';
import { expectIdentical, random, uniform } from '../helpers.js';

beforeAll(async () => {
  await init();
});

describe('alloc', () => {
  test('returns zero-filled arrays of each dtype in wasm memory', () => {
    for (const [dtype, Ctor] of [
      ['f32', Float32Array],
      ['f64', Float64Array],
      ['i32', Int32Array],
    ] as const) {
      const a = alloc(37, dtype);
      expect(a.length).toBe(37);
      expect(a.dtype).toBe(dtype);
      expect(a.array).toBeInstanceOf(Ctor);
      expect(a.array.buffer).toBe(memory().buffer);
      expect(a.array.byteOffset).toBe(a.ptr);
      expect(Array.from(a.array)).toEqual(new Array(37).fill(0));
      a.array.fill(7);
      a.free();
    }
    const fresh = alloc(37, 'f64');
    expect(Array.from(fresh.array)).toEqual(new Array(37).fill(0));
    fresh.free();
  });

  test('blocks never overlap, and freed blocks are reused instead of growing memory', () => {
    const blocks = Array.from({ length: 50 }, (_, i) => alloc(1 + ((i * 97) % 3000), i % 2 ? 'f64' : 'f32'));
    const spans = blocks.map((b) => [b.ptr, b.ptr + b.array.byteLength] as const).sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    blocks.forEach((b, i) => void b.array.fill(i));
    blocks.forEach((b, i) => void expect(b.array.every((v) => v === i)).toBe(true));
    // Churn: memory may grow while fragmentation settles, then stays flat, far below what was allocated in all.
    let allocated = 0;
    let settled = 0;
    for (let round = 0; round < 200; round++) {
      for (const b of blocks.splice(0, 25)) b.free();
      for (let i = 0; i < 25; i++) {
        const n = 1 + ((round * 31 + i * 97) % 3000);
        blocks.push(alloc(n, 'f32'));
        allocated += 4 * n;
      }
      if (round === 20) settled = memory().buffer.byteLength;
    }
    expect(memory().buffer.byteLength).toBeLessThanOrEqual(settled + 65536);
    expect(memory().buffer.byteLength).toBeLessThan(allocated / 20);
    // A block freed is the block handed out next for the same size.
    const again = alloc(blocks[0]!.length, 'f32');
    const ptr = again.ptr;
    again.free();
    expect(alloc(blocks[0]!.length, 'f32').ptr).toBe(ptr);
    for (const b of blocks) b.free();
  });

  test('free() is idempotent; a freed WasmArray is refused with a SimdlossError', () => {
    const a = alloc(4);
    a.free();
    a.free();
    expect(() => a.array).toThrow(SimdlossError);
    expect(() => mse(a, new Float32Array(4))).toThrow(/used after free/);
    const b = alloc(4);
    const view = b.array;
    b.free();
    expect(() => mse(new Float32Array(4), view)).toThrow(/pred is a view of a WasmArray that was freed/);
    expect(() => mse.grad(new Float32Array(4), new Float32Array(4), { out: view })).toThrow(
      /opts.out is a view of a WasmArray that was freed/,
    );
  });

  test('bad sizes and dtypes are refused', () => {
    expect(() => alloc(-1)).toThrow(/n must be an integer ≥ 0; got -1/);
    expect(() => alloc(1.5)).toThrow(/got 1.5/);
    expect(() => alloc(4, 'f16' as 'f32')).toThrow(/dtype must be 'f32', 'f64' or 'i32'; got 'f16'/);
    expect(() => alloc(2 ** 40)).toThrow(SimdlossError);
    const a = alloc(3);
    expect(mse(a, a)).toBe(0); // still usable after the refusals
    a.free();
  });
});

describe('memory growth', () => {
  test('WasmArrays stay live, never detached, when memory grows before and between calls', () => {
    const n = 1000;
    const rand = random(1);
    const y = alloc(n, 'f32');
    const p = alloc(n, 'f32');
    const out = alloc(n, 'f32');
    y.array.set(uniform(Float32Array, n, [-5, 5], rand));
    p.array.set(uniform(Float32Array, n, [-5, 5], rand));
    const want = huber.withGrad(y.array.slice(), p.array.slice(), { delta: 0.5 });
    memory().grow(0); // grow(0) still replaces memory.buffer, detaching every old view
    memory().grow(1);
    const first = huber.withGrad(y, p, { delta: 0.5, out });
    expect(first.loss).toBe(want.loss);
    expect(out.array.length).toBe(n);
    expectIdentical(out.array, want.grad, 'grad after growth');
    const big = alloc(4_000_000, 'f64'); // grows memory by ~32 MB between two calls
    expect(y.array.length).toBe(n);
    expect(y.array.buffer).toBe(memory().buffer);
    const second = huber.withGrad(y.array, p.array, { delta: 0.5, out: out.array });
    expect(second.loss).toBe(want.loss);
    expectIdentical(out.array, want.grad, 'grad after a large alloc');
    for (const a of [y, p, out, big]) a.free();
  });

  test('ordinary arrays stream through the fixed scratch area: memory does not grow with the input', () => {
    const before = memory().buffer.byteLength;
    const n = 3_000_001;
    const rand = random(2);
    const y = uniform(Float32Array, n, [-1, 1], rand);
    const p = uniform(Float32Array, n, [-1, 1], rand);
    const w = uniform(Float32Array, n, [0, 1], rand);
    const { loss, grad } = mse.withGrad(y, p, { weights: w });
    expect(grad.length).toBe(n);
    expect(Number.isFinite(loss)).toBe(true);
    mse(y, p, { reduction: 'none' });
    expect(memory().buffer.byteLength).toBe(before);
  });

  test('a view of wasm memory taken before growth is reported as detached, not silently empty', () => {
    const a = alloc(8);
    const stale = a.array;
    memory().grow(1);
    expect(() => mse(stale, new Float32Array(8))).toThrow(/detached/);
    expect(mse(a, new Float32Array(8))).toBe(0);
    a.free();
  });
});
