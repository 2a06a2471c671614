// How many times an embedding call runs its kernel, which is what zero copy is for: once over
// WasmArrays alone, whatever the row count (nothing passes through a slot); once per slot's worth of
// values where only a per-row array passes through a slot (an ordinary label or weights, or the
// per-row losses of 'none'); once per slot's worth of rows where an input or a gradient does.
// Counted on an instance whose kernel exports are wrapped.
import { beforeAll, describe, expect, test } from 'vitest';
import { SLOT_BYTES } from '../../src/core/abi.js';
import { contrastive, cosineEmbedding, triplet, type WasmArray } from '../../src/node.js';
import { type CallShape, countedCalls, DTYPES, filledAt, type RowCase, type Where, wasmAloneCases } from '../helpers.js';

type AnyLoss = any; // pair and triplet losses have different signatures; each call passes the right arguments
type Dtype = (typeof DTYPES)[number];

/** [name, loss, inputs, has a label]. */
const LOSSES: [string, AnyLoss, number, boolean][] = [
  ['contrastive', contrastive, 2, true],
  ['cosineEmbedding', cosineEmbedding, 2, true],
  ['triplet', triplet, 3, false],
];
let counter: { calls: number };

beforeAll(() => {
  counter = countedCalls((k) => LOSSES.some(([name]) => k === `${name}_f32` || k === `${name}_f64`));
});

/** Where each array of a call goes (the label only where the loss has one), and what it asks for. */
type Case = RowCase<CallShape & { label: Where; inputs: Where }>;

/** The kernel calls of one call with its arrays placed as `c` says. */
function count(loss: AnyLoss, inputs: number, hasLabel: boolean, dtype: Dtype, c: Case): number {
  const held: WasmArray[] = [];
  try {
    const n = c.dim * c.rows;
    // labels of 1 fit every loss: a similar pair for contrastive, a pair to pull together for cosineEmbedding
    const label = hasLabel ? filledAt(c.rows, 1, c.label, dtype.name, held) : undefined;
    const xs = Array.from({ length: inputs }, (_, j) => filledAt(n, 0.25 * (j + 1), c.inputs, dtype.name, held));
    const weights = c.weights === 'none' ? undefined : filledAt(c.rows, 2, c.weights, dtype.name, held);
    const names = inputs === 3 ? ['anchor', 'positive', 'negative'] : ['a', 'b'];
    const out =
      c.gradient === 'ordinary' || c.gradient === 'wasm'
        ? Object.fromEntries(names.map((name) => [name, filledAt(n, 0, c.gradient as Where, dtype.name, held)]))
        : undefined;
    const opts = { dim: c.dim, reduction: c.reduction, weights, out };
    const args = hasLabel ? [label, ...xs, opts] : [...xs, opts];
    counter.calls = 0;
    if (c.gradient === 'none') loss(...args);
    else loss.withGrad(...args);
    return counter.calls;
  } finally {
    for (const a of held) a.free();
  }
}

const all: Omit<Case, 'dim' | 'rows'> = { label: 'wasm', inputs: 'wasm', weights: 'none', gradient: 'wasm', reduction: 'mean' };

/** [what, case, kernel calls], with `segment` a slot's worth of values. */
function cases(segment: number, hasLabel: boolean): [string, Case, number][] {
  // narrow rows of 2: a slot holds `segment` labels, weights or losses, segment / 2 rows of an input
  const rows = 3 * segment + 5;
  const narrow = { dim: 2, rows };
  const perValue = Math.ceil(rows / segment);
  const perRow = Math.ceil(rows / (segment / 2));
  const labelled: [string, Case, number][] = [
    ['an ordinary label', { ...all, ...narrow, label: 'ordinary' }, perValue],
    ['an ordinary label, the loss alone', { ...all, ...narrow, label: 'ordinary', gradient: 'none', reduction: 'sum' }, perValue],
    ['an ordinary label and inputs', { ...all, ...narrow, label: 'ordinary', inputs: 'ordinary' }, perRow],
  ];
  return [
    ...wasmAloneCases(all, segment),
    ['ordinary inputs', { ...all, ...narrow, inputs: 'ordinary', gradient: 'none' }, perRow],
    ['new gradients', { ...all, ...narrow, gradient: 'new' }, perRow],
    ['ordinary gradients', { ...all, ...narrow, gradient: 'ordinary', weights: 'ordinary' }, perRow],
    ...(hasLabel ? labelled : []),
  ];
}

describe.each(DTYPES)('$name', (dtype) => {
  const segment = SLOT_BYTES / dtype.Array.BYTES_PER_ELEMENT;
  describe.each(LOSSES)('%s', (_, loss, inputs, hasLabel) => {
    test.each(cases(segment, hasLabel))('%s', (_what, c, calls) => {
      expect(count(loss, inputs, hasLabel, dtype, c)).toBe(calls);
    });
  });
});
