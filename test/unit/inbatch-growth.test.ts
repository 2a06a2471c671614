// An in-batch call allocates one block for its workspace, which may grow wasm memory: the views of
// the WasmArrays given to it (inputs, and the gradients it writes into and returns) are taken again
// after the growth, so that what it returns is the live memory, not a detached view.
import { beforeAll, expect, test } from 'vitest';
import { alloc, infoNCE, init, memory } from '../../src/node.js';
import { refusal } from '../helpers.js';

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
  for (let round = 0; round < 3; round++) {
    // use up the free list, so that the call's workspace has to grow memory
    const filler: ReturnType<typeof alloc>[] = [];
    const before = memory().buffer.byteLength;
    while (memory().buffer.byteLength === before) filler.push(alloc(4096));
    const grownTo = memory().buffer.byteLength;
    // the last round: the positives' gradient into a new array, none given for it
    const got = infoNCE.withGrad(a, b, { dim, out: round < 2 ? { anchors: ga, positives: gb } : { anchors: ga } });
    expect(memory().buffer.byteLength, 'the call grew memory').toBeGreaterThan(grownTo);
    expect(got.loss).toBe(want.loss);
    expect(got.grad.anchors.length, 'the returned gradient is not detached').toBe(n * dim);
    expect(Array.from(got.grad.anchors)).toEqual(Array.from(want.grad.anchors));
    expect(Array.from(got.grad.positives)).toEqual(Array.from(want.grad.positives));
    for (const f of filler) f.free();
  }
  for (const x of [a, b, ga, gb]) x.free();
});

test('a plain view of wasm memory as a gradient, detached when the call grows memory: refused by its name', () => {
  const n = 64;
  const dim = 32;
  const a = Float32Array.from({ length: n * dim }, (_, i) => Math.sin(i));
  const b = Float32Array.from({ length: n * dim }, (_, i) => Math.cos(3 * i));
  for (const name of ['anchors', 'positives'] as const) {
    const g = alloc(n * dim, 'f32');
    const filler: ReturnType<typeof alloc>[] = [];
    const before = memory().buffer.byteLength;
    while (memory().buffer.byteLength === before) filler.push(alloc(4096));
    const view = new Float32Array(memory().buffer, g.ptr, n * dim);
    const [message, argument] = refusal(() => infoNCE.withGrad(a, b, { dim, out: { [name]: view } }));
    expect(argument).toBe(`opts.out.${name}`);
    expect(message).toBe(
      `infoNCE.withGrad: opts.out.${name} is a view of wasm memory that this call detached: memory grew for the batch's workspace; ` +
        'pass the WasmArray itself (or its .array), or an ordinary array',
    );
    for (const f of filler) f.free();
    g.free();
  }
});
