// A row-wise call streams every ordinary array through the scratch slots a slot's worth of rows at a
// time and uses WasmArrays in place, in one kernel call when nothing needs a slot. Here each argument
// in turn is the only ordinary one (or the per-row losses of reduction 'none' are the only output a
// slot must hold), with twice the scratch area of values: a call that put all of an argument into
// its slot at once would write past the scratch area over the WasmArrays allocated above it. Each
// call must give the weighted softmax cross-entropy worked out here in float64 and leave every
// WasmArray input as it was.
import { beforeAll, describe, expect, test } from 'vitest';
import { SLOT_BYTES, SLOTS } from '../../src/core/abi.js';
import { alloc, init, softmaxCrossEntropy, sparseSoftmaxCrossEntropy, type WasmArray } from '../../src/node.js';
import { placed, type Where } from '../helpers.js';

beforeAll(async () => {
  await init();
});

/** Rows of `classes` float64 logits, a label per row, the dense targets (one-hot, with a quarter of the mass spread evenly) and a weight per row. */
function data(rows: number, classes: number) {
  const pred = Float64Array.from({ length: rows * classes }, (_, i) => ((i * 104729) % 997) / 300 - 1.5);
  const labels = Int32Array.from({ length: rows }, (_, r) => (r * 7) % classes);
  const target = Float64Array.from(
    { length: rows * classes },
    (_, i) => (i % classes === labels[Math.floor(i / classes)] ? 0.75 : 0) + 0.25 / classes,
  );
  const weights = Float64Array.from({ length: rows }, (_, r) => 0.5 + (r % 5) / 4);
  return { rows, classes, pred, labels, target, weights };
}

type Data = ReturnType<typeof data>;

/**
 * In float64, for sparse labels or dense targets: each row's loss lse(z) − Σ yₖzₖ (Σ y = 1) times its
 * weight ('none'), their mean over Σ w, and the gradient w·(softmax(z) − y) / Σ w.
 */
function reference(sparse: boolean, d: Data): { weighted: Float64Array; grad: Float64Array; loss: number } {
  const { rows, classes, pred, labels, target, weights } = d;
  const weighted = new Float64Array(rows);
  const grad = new Float64Array(rows * classes);
  let total = 0;
  let weightTotal = 0;
  for (let r = 0; r < rows; r++) {
    const z = pred.subarray(r * classes, (r + 1) * classes);
    let max = -Infinity;
    for (const v of z) max = Math.max(max, v);
    let s = 0;
    for (const v of z) s += Math.exp(v - max);
    const lse = max + Math.log(s);
    let l = lse;
    for (let k = 0; k < classes; k++) {
      const y = sparse ? (k === labels[r] ? 1 : 0) : target[r * classes + k]!;
      l -= y * z[k]!;
      grad[r * classes + k] = Math.exp(z[k]! - lse) - y;
    }
    weighted[r] = weights[r]! * l;
    total += weights[r]! * l;
    weightTotal += weights[r]!;
  }
  for (let i = 0; i < grad.length; i++) grad[i] = (grad[i]! * weights[Math.floor(i / classes)]!) / weightTotal;
  return { weighted, grad, loss: total / weightTotal };
}

const C = 8;
/** Twice the scratch area in float64 rows of C: from any slot, all of it would run past the area. */
const WIDE_AREA = data((2 * SLOTS * SLOT_BYTES) / (8 * C), C);
const REFERENCES = { dense: reference(false, WIDE_AREA), sparse: reference(true, WIDE_AREA) };

function expectNear(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (Math.abs(got[i]! - want[i]!) > 1e-12 * Math.max(1, Math.abs(want[i]!))) expect(got[i], `${what}[${i}]`).toBe(want[i]);
  }
}

type Arg = 'target' | 'pred' | 'weights';
type Output = 'none' | 'new' | Where;

/** One call with `ordinary` the only ordinary input; checks its results against the reference and every WasmArray input unchanged. */
function check(sparse: boolean, ordinary: Arg | 'none' | 'all', output: Output, reduction: 'mean' | 'none', d = WIDE_AREA): void {
  const want = d === WIDE_AREA ? REFERENCES[sparse ? 'sparse' : 'dense'] : reference(sparse, d);
  const { rows, classes, pred, labels, target, weights } = d;
  const held: WasmArray[] = [];
  const at = (a: Arg): Where => (a === ordinary || ordinary === 'all' ? 'ordinary' : 'wasm');
  try {
    let y: unknown;
    if (!sparse) y = placed(target, at('target'), held);
    else if (at('target') === 'ordinary') y = labels.slice();
    else {
      const l = alloc(rows, 'i32');
      l.array.set(labels);
      held.push(l as WasmArray);
      y = l;
    }
    const p = placed(pred, at('pred'), held);
    const w = placed(weights, at('weights'), held);
    const inputs = held.slice();
    const out = output === 'ordinary' || output === 'wasm' ? placed(new Float64Array(rows * classes), output, held) : undefined;
    const loss: AnyLoss = sparse ? sparseSoftmaxCrossEntropy : softmaxCrossEntropy;
    const opts = { classes, weights: w, out, reduction };
    if (output === 'none') {
      const got = loss(y, p, opts);
      if (reduction === 'none') expectNear(got, want.weighted, 'losses');
      else expectNear([got], [want.loss], 'loss');
    } else {
      const got = loss.withGrad(y, p, opts);
      if (reduction === 'none') expectNear(got.loss, want.weighted, 'losses');
      else expectNear([got.loss], [want.loss], 'loss');
      // 'none' scales the gradient by the weights alone
      const total = weights.reduce((a, b) => a + b, 0);
      expectNear(got.grad, reduction === 'none' ? want.grad.map((g) => g * total) : want.grad, 'grad');
    }
    for (const a of inputs) {
      const source = a.dtype === 'i32' ? labels : a.length === rows ? weights : a.array === (p as WasmArray).array ? pred : target;
      expect(Array.from(a.array), `the ${a.dtype} WasmArray of ${a.length} is unchanged`).toEqual(Array.from(source));
    }
  } finally {
    for (const a of held) a.free();
  }
}

type AnyLoss = any; // the arrays are placed at run time, each call well typed

describe.each([
  ['softmaxCrossEntropy', false],
  ['sparseSoftmaxCrossEntropy', true],
] as const)('%s, float64, twice the scratch area', (_, sparse) => {
  test.each(['target', 'pred', 'weights'] as const)('%s the only ordinary input, the gradient into a WasmArray', (arg) => {
    check(sparse, arg, 'wasm', 'mean');
  });
  test.each(['new', 'ordinary'] as const)('WasmArray inputs, the gradient into a %s array', (output) => {
    check(sparse, 'none', output, 'mean');
  });
  test('WasmArray inputs and gradient, reduction none', () => {
    check(sparse, 'none', 'wasm', 'none');
  });
  test('WasmArray inputs, the loss alone', () => {
    check(sparse, 'none', 'none', 'mean');
  });
  test('WasmArray inputs and gradient', () => {
    check(sparse, 'none', 'wasm', 'mean');
  });
});

// The per-row arrays (weights, the per-row losses) are a value a row: twice the scratch area of them
// takes rows of 2 classes, 98 304 rows in float64. A weight sum or a losses stream that took them all
// into its slot at once would run past the area over the WasmArrays; so would per-row losses the call
// did not ask for (mean), or class weights written for a call of no rows but that many classes.
describe.each([
  ['softmaxCrossEntropy', false],
  ['sparseSoftmaxCrossEntropy', true],
] as const)('%s, float64, per-row arrays of twice the scratch area', (_, sparse) => {
  const rows = (2 * SLOTS * SLOT_BYTES) / 8;
  const perRow = data(rows, 2);
  test('weights the only ordinary input', () => {
    check(sparse, 'weights', 'wasm', 'mean', perRow);
  });
  test('WasmArray inputs and gradient, reduction mean', () => {
    check(sparse, 'none', 'wasm', 'mean', perRow);
  });
  test('WasmArray inputs and gradient, reduction none', () => {
    check(sparse, 'none', 'wasm', 'none', perRow);
  });
  test('no rows of as many classes: a WasmArray allocated before is unchanged', () => {
    const before = alloc(2 * rows, 'f64');
    const values = Float64Array.from({ length: before.length }, (_, i) => i / 7);
    before.array.set(values);
    try {
      const loss: AnyLoss = sparse ? sparseSoftmaxCrossEntropy : softmaxCrossEntropy;
      const y = sparse ? new Int32Array(0) : new Float64Array(0);
      expect(loss(y, new Float64Array(0), { classes: rows, reduction: 'sum' })).toBe(0);
      expect(Array.from(before.array)).toEqual(Array.from(values));
    } finally {
      before.free();
    }
  });
});

// Rows nine and a half slots wide go through a temporary block, one row at a time: target, pred,
// gradient and class-weight rows staged inside it, never in the scratch slots (where they would run
// over the next slots, and past the scratch area), nor below it. Every array of the tests above is freed, so
// the block comes right after a WasmArray allocated first, which must come out unchanged.
describe.each([
  ['softmaxCrossEntropy', false],
  ['sparseSoftmaxCrossEntropy', true],
] as const)('%s, float64, rows nine and a half slots wide', (_, sparse) => {
  const wide = data(3, Math.ceil((9.5 * SLOT_BYTES) / 8));
  test.each([
    ['mean', 'new'],
    ['none', 'new'],
    ['mean', 'none'],
  ] as const)('ordinary arrays, reduction %s, gradient %s, a WasmArray just below the block', (reduction, output) => {
    const below = alloc(2 * wide.classes + 8, 'f64');
    const values = Float64Array.from({ length: below.length }, (_, i) => i / 7);
    below.array.set(values);
    try {
      check(sparse, 'all', output, reduction, wide);
      expect(Array.from(below.array)).toEqual(Array.from(values));
    } finally {
      below.free();
    }
  });
});
