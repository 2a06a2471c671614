// How many times a row-wise call runs its kernel, which is what zero copy is for: once over
// WasmArrays alone (labels or target, pred, weights, out), however many rows and whether or not it
// wants a gradient, rows of exactly a slot's width included; once per slot's worth of rows where any
// array passes through the slots (an ordinary input, a new gradient, per-row losses). Counted on an
// instance whose softmax cross-entropy kernels are wrapped.
import { beforeAll, describe, expect, test } from 'vitest';
import { SLOT_BYTES } from '../../src/core/abi.js';
import { softmaxCrossEntropy, sparseSoftmaxCrossEntropy, type WasmArray } from '../../src/node.js';
import { countedCalls, DTYPES, filledAt, type Placement } from '../helpers.js';

type AnyLoss = any; // the arrays are placed at run time, each call well typed
type Dtype = (typeof DTYPES)[number];

let counter: { calls: number };

beforeAll(() => {
  counter = countedCalls((k) => /^(sparseSoftmaxCrossEntropy|softmaxCrossEntropy)_f(32|64)$/.test(k));
});

interface Case extends Placement {
  rows: number;
  classes: number;
}

/** The kernel calls of one call of `loss` with its arrays placed as `c` says. */
function count(sparse: boolean, dtype: Dtype, c: Case): number {
  const held: WasmArray[] = [];
  const n = c.rows * c.classes;
  try {
    const y = sparse ? filledAt(c.rows, 1, c.target, 'i32', held) : filledAt(n, 1 / c.classes, c.target, dtype.name, held);
    const p = filledAt(n, 0.25, c.pred, dtype.name, held);
    const weights = c.weights === 'none' ? undefined : filledAt(c.rows, 2, c.weights, dtype.name, held);
    const out = c.gradient === 'ordinary' || c.gradient === 'wasm' ? filledAt(n, 0, c.gradient, dtype.name, held) : undefined;
    const opts = { classes: c.classes, reduction: c.reduction, weights, out };
    const loss: AnyLoss = sparse ? sparseSoftmaxCrossEntropy : softmaxCrossEntropy;
    counter.calls = 0;
    if (c.gradient === 'none') loss(y, p, opts);
    else loss.withGrad(y, p, opts);
    return counter.calls;
  } finally {
    for (const a of held) a.free();
  }
}

const all = { target: 'wasm', pred: 'wasm', weights: 'none', gradient: 'wasm', reduction: 'mean' } as const;

/** [what, case, kernel calls] for rows of `classes` values, `fit` of them to a slot. */
function cases(dtype: Dtype): [string, Case, number][] {
  const classes = 10;
  const fit = Math.floor(SLOT_BYTES / (classes * dtype.Array.BYTES_PER_ELEMENT));
  const rows = 3 * fit + 5;
  const chunks = Math.ceil(rows / fit);
  const slotWide = SLOT_BYTES / dtype.Array.BYTES_PER_ELEMENT;
  return [
    ['WasmArrays alone', { ...all, rows, classes }, 1],
    ['WasmArrays alone, the loss alone', { ...all, rows, classes, gradient: 'none', reduction: 'sum' }, 1],
    ['WasmArrays alone, WasmArray weights', { ...all, rows, classes, weights: 'wasm' }, 1],
    ['WasmArrays alone, rows exactly a slot wide', { ...all, rows: 3, classes: slotWide }, 1],
    ['WasmArrays alone, no rows', { ...all, rows: 0, classes }, 0],
    ['WasmArrays alone, per-row losses through a slot', { ...all, rows, classes, reduction: 'none' }, chunks],
    ['ordinary weights', { ...all, rows, classes, weights: 'ordinary' }, chunks],
    ['an ordinary target', { ...all, rows, classes, target: 'ordinary' }, chunks],
    ['an ordinary pred', { ...all, rows, classes, pred: 'ordinary', gradient: 'none' }, chunks],
    ['a new gradient', { ...all, rows, classes, gradient: 'new' }, chunks],
    ['an ordinary out', { ...all, rows, classes, gradient: 'ordinary' }, chunks],
    ['ordinary arrays, rows exactly a slot wide', { ...all, rows: 3, classes: slotWide, target: 'ordinary' }, 3],
  ];
}

for (const sparse of [false, true]) {
  describe.each(DTYPES.map((d) => [d.name, d] as const))(
    `${sparse ? 'sparseSoftmaxCrossEntropy' : 'softmaxCrossEntropy'} %s`,
    (_, dtype) => {
      test.each(cases(dtype))('%s', (_, c, want) => {
        expect(count(sparse, dtype, c)).toBe(want);
      });
    },
  );
}
