// How many times a similarity call runs its kernel, which is what zero copy is for: once over
// WasmArrays alone, whatever their length (nothing passes through a slot); once per slot's worth of
// rows where an ordinary array passes through the slots (whole rows), or only the per-row losses or
// ordinary weights do (a slot's worth of values); and for a row wider than a slot, one call per
// slot's worth of the row for its sums, then one for its loss alone or one per segment for its
// gradient. Counted on an instance whose kernel exports are wrapped.
import { beforeAll, describe, expect, test } from 'vitest';
import { SLOT_BYTES } from '../../src/core/abi.js';
import { cosineSimilarity, dice, tversky, type WasmArray } from '../../src/node.js';
import { countedCalls, DTYPES, filledAt, type Placement, type RowCase, wasmAloneCases } from '../helpers.js';

type AnyLoss = any; // each loss has its own option type; every call passes the right ones
type Dtype = (typeof DTYPES)[number];

const LOSSES: [string, AnyLoss][] = [
  ['dice', dice],
  ['tversky', tversky],
  ['cosineSimilarity', cosineSimilarity],
];
let counter: { calls: number };

beforeAll(() => {
  counter = countedCalls((k) => LOSSES.some(([name]) => k === `${name}_f32` || k === `${name}_f64`));
});

type Case = RowCase<Placement>;

/** The kernel calls of one call with its arrays placed as `c` says. */
function count(loss: AnyLoss, dtype: Dtype, c: Case): number {
  const held: WasmArray[] = [];
  try {
    const n = c.dim * c.rows;
    const y = filledAt(n, 0.5, c.target, dtype.name, held);
    const p = filledAt(n, 0.25, c.pred, dtype.name, held);
    const weights = c.weights === 'none' ? undefined : filledAt(c.rows, 2, c.weights, dtype.name, held);
    const out = c.gradient === 'ordinary' || c.gradient === 'wasm' ? filledAt(n, 0, c.gradient, dtype.name, held) : undefined;
    const opts = { dim: c.dim, reduction: c.reduction, weights, out };
    counter.calls = 0;
    if (c.gradient === 'none') loss(y, p, opts);
    else loss.withGrad(y, p, opts);
    return counter.calls;
  } finally {
    for (const a of held) a.free();
  }
}

const all: Omit<Case, 'dim' | 'rows'> = { target: 'wasm', pred: 'wasm', weights: 'none', gradient: 'wasm', reduction: 'mean' };

/** [what, case, kernel calls], with `segment` a slot's worth of values. */
function cases(segment: number): [string, Case, number][] {
  // narrow rows of 2: a slot holds `segment` losses or weights, segment / 2 rows of target or pred
  const rows = 3 * segment + 5;
  const narrow = { dim: 2, rows };
  const perRow = Math.ceil(rows / (segment / 2));
  return [
    ...wasmAloneCases(all, segment),
    ['an ordinary target', { ...all, ...narrow, target: 'ordinary' }, perRow],
    ['an ordinary pred', { ...all, ...narrow, pred: 'ordinary', gradient: 'none' }, perRow],
    ['a new gradient', { ...all, ...narrow, gradient: 'new' }, perRow],
    ['an ordinary out', { ...all, ...narrow, gradient: 'ordinary', weights: 'ordinary' }, perRow],
    // rows of half a slot: two a call
    ['rows of half a slot', { ...all, dim: segment / 2, rows: 5, target: 'ordinary' }, 3],
    // a row of exactly a slot is a whole row, one a call
    ['rows of a slot', { ...all, dim: segment, rows: 3, pred: 'ordinary' }, 3],
    // two segments each: two calls for the sums, two for the gradient
    ['rows of two slots', { ...all, dim: 2 * segment, rows: 2, target: 'ordinary' }, 8],
    // three segments for the sums, one for the loss
    ['rows of two slots and one value, the loss alone', { ...all, dim: 2 * segment + 1, rows: 2, pred: 'ordinary', gradient: 'none' }, 8],
  ];
}

describe.each(LOSSES)('%s', (_, loss) => {
  for (const dtype of DTYPES) {
    test.each(cases(SLOT_BYTES / dtype.Array.BYTES_PER_ELEMENT))(`${dtype.name}: %s`, (_, c, want) => {
      expect(count(loss, dtype, c)).toBe(want);
    });
  }
});
