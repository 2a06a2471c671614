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

const C = 8;
/** Twice the scratch area in float64 rows of C: from any slot, all of it would run past the area. */
const ROWS = (2 * SLOTS * SLOT_BYTES) / (8 * C);

const pred = Float64Array.from({ length: ROWS * C }, (_, i) => ((i * 104729) % 997) / 300 - 1.5);
const labels = Int32Array.from({ length: ROWS }, (_, r) => (r * 7) % C);
// dense targets: the labels' one-hot rows, each with a quarter of its mass spread evenly
const target = Float64Array.from({ length: ROWS * C }, (_, i) => (i % C === labels[Math.floor(i / C)] ? 0.75 : 0) + 0.25 / C);
const weights = Float64Array.from({ length: ROWS }, (_, r) => 0.5 + (r % 5) / 4);

/**
 * In float64, for sparse labels or dense targets: each row's loss lse(z) − Σ yₖzₖ (Σ y = 1) times its
 * weight ('none'), their mean over Σ w, and the gradient w·(softmax(z) − y) / Σ w.
 */
function reference(sparse: boolean): { weighted: Float64Array; grad: Float64Array; loss: number } {
  const weighted = new Float64Array(ROWS);
  const grad = new Float64Array(ROWS * C);
  let total = 0;
  let weightTotal = 0;
  for (let r = 0; r < ROWS; r++) {
    const z = pred.subarray(r * C, (r + 1) * C);
    const max = Math.max(...z);
    let s = 0;
    for (const v of z) s += Math.exp(v - max);
    const lse = max + Math.log(s);
    let l = lse;
    for (let k = 0; k < C; k++) {
      const y = sparse ? (k === labels[r] ? 1 : 0) : target[r * C + k]!;
      l -= y * z[k]!;
      grad[r * C + k] = Math.exp(z[k]! - lse) - y;
    }
    weighted[r] = weights[r]! * l;
    total += weights[r]! * l;
    weightTotal += weights[r]!;
  }
  for (let i = 0; i < grad.length; i++) grad[i] = (grad[i]! * weights[Math.floor(i / C)]!) / weightTotal;
  return { weighted, grad, loss: total / weightTotal };
}

const REFERENCES = { dense: reference(false), sparse: reference(true) };

function expectNear(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (Math.abs(got[i]! - want[i]!) > 1e-12 * Math.max(1, Math.abs(want[i]!))) expect(got[i], `${what}[${i}]`).toBe(want[i]);
  }
}

type Arg = 'target' | 'pred' | 'weights';
type Output = 'none' | 'new' | Where;

/** One call with `ordinary` the only ordinary input; checks its results against the reference and every WasmArray input unchanged. */
function check(sparse: boolean, ordinary: Arg | 'none', output: Output, reduction: 'mean' | 'none'): void {
  const want = sparse ? REFERENCES.sparse : REFERENCES.dense;
  const held: WasmArray[] = [];
  const at = (a: Arg): Where => (a === ordinary ? 'ordinary' : 'wasm');
  try {
    let y: Int32Array | Float64Array | WasmArray;
    if (!sparse) y = placed(target, at('target'), held);
    else if (at('target') === 'ordinary') y = labels.slice();
    else {
      const l = alloc(ROWS, 'i32');
      l.array.set(labels);
      held.push(l as WasmArray);
      y = l;
    }
    const p = placed(pred, at('pred'), held);
    const w = placed(weights, at('weights'), held);
    const inputs = held.slice();
    const out = output === 'ordinary' || output === 'wasm' ? placed(new Float64Array(ROWS * C), output, held) : undefined;
    const loss: AnyLoss = sparse ? sparseSoftmaxCrossEntropy : softmaxCrossEntropy;
    const opts = { classes: C, weights: w, out, reduction };
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
      const source = a.dtype === 'i32' ? labels : a.length === ROWS ? weights : a.array === p.array ? pred : target;
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
