// A call whose rows are wider than a staging slot allocates a temporary block, which may grow wasm
// memory: the WasmArray views given to it are taken again after the growth, and any other view of
// wasm memory, detached by it, is refused by name (the two cases the soak found).
import { beforeAll, expect, test } from 'vitest';
import { alloc, init, memory, SimdlossError, softmaxCrossEntropy, sparseSoftmaxCrossEntropy } from '../../src/node.js';

beforeAll(async () => {
  await init();
});

test('WasmArray views given to a wide-row call stay valid when the call itself grows memory (it used to refuse them as detached)', () => {
  const C = 10_000; // 40 KB a float32 row: the call allocates a temporary block, which may grow memory
  const rows = 2;
  const z = alloc(rows * C, 'f32');
  const out = alloc(rows * C, 'f32');
  const t = new Float32Array(rows * C);
  t[3] = 1;
  t[C + 9] = 1;
  for (let i = 0; i < rows * C; i++) z.array[i] = Math.sin(i);
  const want = softmaxCrossEntropy.withGrad(t, z.array.slice(), { classes: C });
  const labels = Int32Array.of(3, 9);
  const wantSparse = sparseSoftmaxCrossEntropy.withGrad(labels, z.array.slice(), { classes: C });
  for (let round = 0; round < 3; round++) {
    // Use up the free list, so that the call's temporary block has to grow memory.
    const filler: ReturnType<typeof alloc>[] = [];
    const before = memory().buffer.byteLength;
    while (memory().buffer.byteLength === before) filler.push(alloc(4096));
    const grownTo = memory().buffer.byteLength;
    const dense =
      round === 2
        ? sparseSoftmaxCrossEntropy.withGrad(labels, z.array, { classes: C, out: out.array })
        : softmaxCrossEntropy.withGrad(t, z.array, { classes: C, out: out.array });
    expect(memory().buffer.byteLength, 'the call grew memory').toBeGreaterThan(grownTo);
    const w = round === 2 ? wantSparse : want;
    expect(dense.loss).toBe(w.loss);
    expect(dense.grad.length, 'the returned gradient is not detached').toBe(rows * C);
    expect(Array.from(dense.grad)).toEqual(Array.from(w.grad));
    for (const f of filler) f.free();
  }
  z.free();
  out.free();
});

test('a plain view of wasm memory given to a wide-row call that grows memory: a SimdlossError naming it (it was a TypeError)', () => {
  const C = 10_000;
  const block = alloc(2 * C + 16, 'f32');
  for (let i = 0; i < 2 * C; i++) block.array[i] = Math.sin(i);
  const want = sparseSoftmaxCrossEntropy(Int32Array.of(3, 9), block.array.slice(0, 2 * C), { classes: C });
  const filler: ReturnType<typeof alloc>[] = [];
  const before = memory().buffer.byteLength;
  while (memory().buffer.byteLength === before) filler.push(alloc(4096));
  const view = block.array.subarray(0, 2 * C); // a subarray: not the WasmArray's own view, so not re-derived
  let error: unknown;
  try {
    sparseSoftmaxCrossEntropy(Int32Array.of(3, 9), view, { classes: C });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SimdlossError);
  expect((error as SimdlossError).argument).toBe('pred');
  expect((error as SimdlossError).message).toMatch(
    /pred is a view of wasm memory that this call detached: rows of 10000 values are wider than a staging slot/,
  );
  expect(sparseSoftmaxCrossEntropy(Int32Array.of(3, 9), block.array.subarray(0, 2 * C), { classes: C })).toBe(want); // a fresh view: fine
  for (const f of [...filler, block]) f.free();
});
