// The memory an in-batch call asks for: one block holds the kernel's workspace and a copy of each
// input or gradient that is not a WasmArray (a WasmArray is read and written in place), and the
// per-row losses only for reduction 'none' of a call that returns them. Measured as the block's
// size in float64 slots, the one argument of alloc in the call.
import { beforeAll, expect, test, vi } from 'vitest';
import { alloc } from '../../src/core/memory.js';
import { infoNCE, initSync } from '../../src/node.js';
import { BUILDS } from '../helpers.js';

vi.mock('../../src/core/memory.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/core/memory.js')>();
  return { ...m, alloc: vi.fn(m.alloc) };
});

beforeAll(() => initSync(BUILDS[0].bytes));

const N = 5;
const DIM = 3;
// a copy of one input: 5 rows of 3 float64 values and the 16 bytes of its alignment, in float64 slots
const COPY = (N * DIM * 8 + 16) / 8;
const spy = vi.mocked(alloc);

/** The size, in float64 slots, of the one block the call asks for. */
function blockOf(call: () => unknown): number {
  spy.mockClear();
  call();
  expect(spy).toHaveBeenCalledTimes(1);
  return spy.mock.calls[0]![0];
}

const anchors = Float64Array.from({ length: N * DIM }, (_, i) => Math.sin(i + 1));
const positives = Float64Array.from({ length: N * DIM }, (_, i) => Math.cos(i + 1));

test('WasmArray inputs and gradients are not copied: four copies fewer than ordinary arrays', () => {
  const w = [alloc(N * DIM, 'f64'), alloc(N * DIM, 'f64'), alloc(N * DIM, 'f64'), alloc(N * DIM, 'f64')];
  try {
    w[0]!.array.set(anchors);
    w[1]!.array.set(positives);
    const copied = blockOf(() => infoNCE.withGrad(anchors, positives, { dim: DIM }));
    const inPlace = blockOf(() => infoNCE.withGrad(w[0]!, w[1]!, { dim: DIM, out: { anchors: w[2]!, positives: w[3]! } }));
    expect(copied - inPlace).toBe(4 * COPY);
    // the loss alone copies its two ordinary inputs, and no gradient
    expect(blockOf(() => infoNCE(anchors, positives, { dim: DIM })) - blockOf(() => infoNCE(w[0]!, w[1]!, { dim: DIM }))).toBe(2 * COPY);
    expect(blockOf(() => infoNCE(w[0]!, w[1]!, { dim: DIM }))).toBe(inPlace);
  } finally {
    for (const x of w) x.free();
  }
});

test("a gradient alone keeps no per-row losses, whatever the reduction; the losses of 'none' take one more row's worth per row", () => {
  const grad = blockOf(() => infoNCE.grad(anchors, positives, { dim: DIM }));
  expect(blockOf(() => infoNCE.grad(anchors, positives, { dim: DIM, reduction: 'none' }))).toBe(grad);
  const rows = (N * 8 + 16) / 8;
  expect(blockOf(() => infoNCE.withGrad(anchors, positives, { dim: DIM, reduction: 'none' })) - grad).toBe(rows);
});

test('the memory the documentation gives: n = 4096, dim = 512, float32, 64.6 MiB of workspace, 96.6 MiB with copies', () => {
  const n = 4096;
  const dim = 512;
  /** MiB asked for, to 0.1; the call is stopped at its allocation (nothing is allocated or run). */
  const mib = (call: () => unknown) => {
    spy.mockClear();
    spy.mockImplementationOnce(() => {
      throw new Error('stopped at the allocation');
    });
    expect(call).toThrow('stopped at the allocation');
    return Math.round((spy.mock.calls[0]![0] * 8) / 2 ** 20 / 0.1) / 10;
  };
  const w = [alloc(n * dim, 'f32'), alloc(n * dim, 'f32')];
  try {
    expect(mib(() => infoNCE(w[0]!, w[1]!, { dim }))).toBe(64.6);
    expect(mib(() => infoNCE.grad(w[0]!.array.slice(), w[1]!.array.slice(), { dim }))).toBe(96.6);
  } finally {
    for (const x of w) x.free();
  }
});
