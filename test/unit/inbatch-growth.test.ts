// An in-batch call allocates one block for its workspace, which may grow wasm memory: the views of
// the WasmArrays given to it (inputs, and the gradients it writes into and returns) are taken again
// after the growth, so that what it returns is the live memory, not a detached view.
import { beforeAll, expect, test } from 'vitest';
import { alloc, infoNCE, init, memory } from '../../src/node.js';

beforeAll(async () => {
  await init();
});

test('infoNCE into WasmArray gradients returns them live when the call itself grows memory', () => {
  const n = 64;
  const dim = 32;
  const a = alloc(n * dim, 'f32');
  const b = alloc(n * dim, 'f32');
  const ga = alloc(n * dim, 'f32');
  const gb = alloc(n * dim, 'f32');
  for (let i = 0; i < n * dim; i++) {
    a.array[i] = Math.sin(i);
    b.array[i] = Math.cos(3 * i);
  }
  // the same call on ordinary copies: no WasmArray, nothing to derive again
  const want = infoNCE.withGrad(a.array.slice(), b.array.slice(), { dim });
  for (let round = 0; round < 2; round++) {
    // use up the free list, so that the call's workspace has to grow memory
    const filler: ReturnType<typeof alloc>[] = [];
    const before = memory().buffer.byteLength;
    while (memory().buffer.byteLength === before) filler.push(alloc(4096));
    const grownTo = memory().buffer.byteLength;
    const got = infoNCE.withGrad(a, b, { dim, out: { anchors: ga, positives: gb } });
    expect(memory().buffer.byteLength, 'the call grew memory').toBeGreaterThan(grownTo);
    expect(got.loss).toBe(want.loss);
    expect(got.grad.anchors.length, 'the returned gradient is not detached').toBe(n * dim);
    expect(Array.from(got.grad.anchors)).toEqual(Array.from(want.grad.anchors));
    expect(Array.from(got.grad.positives)).toEqual(Array.from(want.grad.positives));
    for (const f of filler) f.free();
  }
  for (const x of [a, b, ga, gb]) x.free();
});
