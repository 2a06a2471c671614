// How many times a counting metric runs its kernel: once over WasmArrays alone (nothing passes
// through a slot), once per slot's worth of examples where an ordinary array does, none for no
// examples; and the block that holds the table during a call is given back after it. Counted on an
// instance whose binaryConfusion kernels are wrapped.
import { beforeAll, describe, expect, test } from 'vitest';
import { SLOT_BYTES } from '../../src/core/abi.js';
import { alloc, binaryConfusion, confusionMatrix, type WasmArray } from '../../src/node.js';
import { countedCalls, DTYPES, filledAt, type Where } from '../helpers.js';

let counter: { calls: number };

beforeAll(() => {
  counter = countedCalls((k) => k === 'binaryConfusion_f32' || k === 'binaryConfusion_f64');
});

interface Case {
  target: Where;
  scores: Where;
  weights: 'none' | Where;
  n: number;
}

/** The kernel calls of one binaryConfusion call with its arrays placed as `c` says. */
function count(dtype: (typeof DTYPES)[number], c: Case): number {
  const held: WasmArray[] = [];
  try {
    const target = filledAt(c.n, 1, c.target, dtype.name, held);
    const scores = filledAt(c.n, 0.75, c.scores, dtype.name, held);
    const weights = c.weights === 'none' ? undefined : filledAt(c.n, 2, c.weights, dtype.name, held);
    counter.calls = 0;
    (binaryConfusion as (...a: unknown[]) => unknown)(target, scores, { weights });
    return counter.calls;
  } finally {
    for (const a of held) a.free();
  }
}

describe.each(DTYPES)('$name', (dtype) => {
  // a slot holds `segment` values of the dtype: an ordinary array goes through it that many at a time
  const segment = SLOT_BYTES / dtype.Array.BYTES_PER_ELEMENT;
  const n = 3 * segment + 5;
  const all = { target: 'wasm', scores: 'wasm', weights: 'wasm', n } as const;
  test.each([
    ['WasmArrays alone', all, 1],
    ['WasmArrays alone, no weights', { ...all, weights: 'none' }, 1],
    ['no examples', { ...all, n: 0 }, 0],
    ['an ordinary target', { ...all, target: 'ordinary' }, Math.ceil(n / segment)],
    ['ordinary scores', { ...all, scores: 'ordinary' }, Math.ceil(n / segment)],
    ['ordinary weights', { ...all, weights: 'ordinary' }, Math.ceil(n / segment)],
  ] as [string, Case, number][])('%s', (_, c, calls) => {
    expect(count(dtype, c)).toBe(calls);
  });
});

test.each(DTYPES)('$name: a WasmArray beside ordinary arrays is read a chunk at a time at its own offset', (dtype) => {
  // an ordinary target takes the call through a slot's worth of examples at a time; the WasmArray
  // scores must then be read from each chunk's first example, not from the array's first
  const n = 3 * (SLOT_BYTES / dtype.Array.BYTES_PER_ELEMENT) + 5;
  const target = new dtype.Array(Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0)));
  const scores = new dtype.Array(Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000));
  const wasm = alloc(n, dtype.name);
  wasm.array.set(scores);
  try {
    expect(binaryConfusion(target, wasm as never)).toEqual(binaryConfusion(target, scores));
  } finally {
    wasm.free();
  }
});

test.each(DTYPES)('$name: rows of scores in wasm memory beside ordinary labels, read at their own offset', (dtype) => {
  // a slot's worth of int32 labels and 5 more: two chunks; three scores an example, so the
  // WasmArray's second chunk starts three values an example further on
  const C = 3;
  const n = SLOT_BYTES / 4 + 5;
  const labels = Int32Array.from({ length: n }, (_, i) => i % C);
  const scores = new dtype.Array(Float64Array.from({ length: n * C }, (_, i) => ((i * 7919) % 1000) / 1000));
  const wasm = alloc(n * C, dtype.name);
  wasm.array.set(scores);
  try {
    expect(confusionMatrix(labels, wasm as never, { classes: C })).toEqual(confusionMatrix(labels, scores, { classes: C }));
  } finally {
    wasm.free();
  }
});

test("the table's block is given back after the call: the next allocation takes its place", () => {
  const probe = alloc(16);
  const first = probe.ptr;
  probe.free();
  binaryConfusion(Float64Array.of(1, 0), Float64Array.of(0.75, 0.25));
  const next = alloc(16);
  expect(next.ptr).toBe(first);
  next.free();
});
