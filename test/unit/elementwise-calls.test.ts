// How many times an elementwise call runs its kernel, which is what zero copy is for: once over
// WasmArrays alone (target, pred, weights, out), whatever their length and whether or not it wants a
// gradient; once per slot's worth of values where any array passes through the slots (an ordinary
// input, a new gradient, per-example losses). Counted on an instance whose mse kernels are wrapped.
import { beforeAll, describe, expect, test } from 'vitest';
import { SLOT_BYTES } from '../../src/core/abi.js';
import { mse, type WasmArray } from '../../src/node.js';
import { countedCalls, DTYPES, filledAt, type Placement } from '../helpers.js';

type AnyLoss = any; // the arrays are placed at run time, each call well typed
type Dtype = (typeof DTYPES)[number];

let counter: { calls: number };

beforeAll(() => {
  counter = countedCalls((k) => k === 'mse_f32' || k === 'mse_f64');
});

interface Case extends Placement {
  n: number;
}

/** The kernel calls of one call with its arrays placed as `c` says. */
function count(dtype: Dtype, c: Case): number {
  const held: WasmArray[] = [];
  try {
    const y = filledAt(c.n, 0.5, c.target, dtype.name, held);
    const p = filledAt(c.n, 0.25, c.pred, dtype.name, held);
    const weights = c.weights === 'none' ? undefined : filledAt(c.n, 2, c.weights, dtype.name, held);
    const out = c.gradient === 'ordinary' || c.gradient === 'wasm' ? filledAt(c.n, 0, c.gradient, dtype.name, held) : undefined;
    const opts = { reduction: c.reduction, weights, out };
    counter.calls = 0;
    const loss: AnyLoss = mse;
    if (c.gradient === 'none') loss(y, p, opts);
    else loss.withGrad(y, p, opts);
    return counter.calls;
  } finally {
    for (const a of held) a.free();
  }
}

const all: Omit<Case, 'n'> = { target: 'wasm', pred: 'wasm', weights: 'none', gradient: 'wasm', reduction: 'mean' };

/** [what, case, kernel calls], with `segment` a slot's worth of values. */
function cases(segment: number): [string, Case, number][] {
  const n = 3 * segment + 5;
  const chunks = Math.ceil(n / segment);
  return [
    ['WasmArrays alone', { ...all, n }, 1],
    ['WasmArrays alone, the loss alone', { ...all, n, gradient: 'none', reduction: 'sum' }, 1],
    ['WasmArrays alone, WasmArray weights', { ...all, n, weights: 'wasm' }, 1],
    ['WasmArrays alone, exactly two slots', { ...all, n: 2 * segment }, 1],
    ['WasmArrays alone, no values', { ...all, n: 0 }, 0],
    ['WasmArrays alone, per-example losses through a slot', { ...all, n, reduction: 'none' }, chunks],
    ['ordinary weights', { ...all, n, weights: 'ordinary' }, chunks],
    ['an ordinary target', { ...all, n, target: 'ordinary' }, chunks],
    ['an ordinary pred', { ...all, n, pred: 'ordinary', gradient: 'none' }, chunks],
    ['a new gradient', { ...all, n, gradient: 'new' }, chunks],
    ['an ordinary out', { ...all, n, gradient: 'ordinary' }, chunks],
  ];
}

describe.each(DTYPES.map((d) => [d.name, d] as const))('mse %s', (_, dtype) => {
  test.each(cases(SLOT_BYTES / dtype.Array.BYTES_PER_ELEMENT))('%s', (_, c, want) => {
    expect(count(dtype, c)).toBe(want);
  });
});
