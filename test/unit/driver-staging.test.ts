// An elementwise call streams every ordinary array through the scratch slots a chunk at a time and
// uses WasmArrays in place, in one kernel call when nothing needs a slot. Here each argument in
// turn is the only ordinary one (or the losses of reduction 'none' are the only output a slot must
// hold), at a length past the whole scratch area: a call that put all of an argument into its slot
// at once would write past the scratch area over the WasmArrays allocated above it. Each call must
// give the weighted MSE worked out here in float64 and leave every WasmArray input as it was.
import { beforeAll, describe, expect, test } from 'vitest';
import { SLOT_BYTES, SLOTS } from '../../src/core/abi.js';
import { alloc, init, mse, type WasmArray } from '../../src/node.js';
import { placed, type Where } from '../helpers.js';

beforeAll(async () => {
  await init();
});

/** Twice the scratch area in float64 elements: from any slot, all of it would run past the area. */
const N = (2 * SLOTS * SLOT_BYTES) / 8;

const target = Float64Array.from({ length: N }, (_, i) => ((i * 7919) % 1000) / 250 - 2);
const pred = Float64Array.from({ length: N }, (_, i) => ((i * 104729) % 997) / 300 - 1.5);
const weights = Float64Array.from({ length: N }, (_, i) => 0.5 + (i % 5) / 4);

// Σ wᵢ(pᵢ − yᵢ)² / Σ wᵢ and its gradient 2wᵢ(pᵢ − yᵢ) / Σ wᵢ, in float64 in index order
let weightTotal = 0;
let weightedSquares = 0;
for (let i = 0; i < N; i++) {
  weightTotal += weights[i]!;
  weightedSquares += weights[i]! * (pred[i]! - target[i]!) ** 2;
}
const wantLoss = weightedSquares / weightTotal;
const wantGrad = (i: number) => (2 * weights[i]! * (pred[i]! - target[i]!)) / weightTotal;
const wantLosses = (i: number) => weights[i]! * (pred[i]! - target[i]!) ** 2;

function close(actual: number, want: number, what: string): void {
  if (!(Math.abs(actual - want) <= 1e-12 * Math.abs(want) + 1e-300)) expect.fail(`${what} = ${actual}, want ${want}`);
}

function eachClose(actual: ArrayLike<number>, want: (i: number) => number, what: string): void {
  expect(actual.length).toBe(N);
  for (let i = 0; i < N; i++) close(actual[i]!, want(i), `${what}[${i}]`);
}

function unchanged(actual: Float64Array, want: Float64Array, what: string): void {
  for (let i = 0; i < N; i++) {
    if (!Object.is(actual[i], want[i])) expect.fail(`${what}[${i}] became ${actual[i]}, was ${want[i]}`);
  }
}

/**
 * Runs `call` on target, pred and weights, each a WasmArray (allocated in that order, so the first
 * lies where an overrun of the scratch area lands) or an ordinary copy, and a WasmArray for the
 * gradient; then checks that every WasmArray input still holds its values.
 */
function withArrays(
  where: { target: Where; pred: Where; weights: Where },
  call: (y: Arg, p: Arg, w: Arg, out: WasmArray<'f64'>) => void,
): void {
  const held: WasmArray[] = [];
  const place = (values: Float64Array, at: Where): Arg => placed<'f64'>(values, at, held);
  try {
    const y = place(target, where.target);
    const p = place(pred, where.pred);
    const w = place(weights, where.weights);
    // a gradient's WasmArray, allocated after the inputs
    const out = alloc(N, 'f64');
    held.push(out);
    call(y, p, w, out);
    for (const [a, values, name] of [
      [y, target, 'target'],
      [p, pred, 'pred'],
      [w, weights, 'weights'],
    ] as const) {
      if (!(a instanceof Float64Array)) unchanged(a.array, values, name);
    }
  } finally {
    for (const a of held) a.free();
  }
}
type Arg = Float64Array | WasmArray<'f64'>;

const ALL_WASM = { target: 'wasm', pred: 'wasm', weights: 'wasm' } as const;

describe('everything in wasm memory', () => {
  test('the loss alone', () => {
    withArrays(ALL_WASM, (y, p, w) => close(mse(y, p, { weights: w }), wantLoss, 'loss'));
  });

  test('loss and gradient into a WasmArray', () => {
    withArrays(ALL_WASM, (y, p, w, out) => {
      const r = mse.withGrad(y, p, { weights: w, out });
      close(r.loss, wantLoss, 'loss');
      eachClose(r.grad, wantGrad, 'grad');
    });
  });

  test("per-example losses (reduction 'none'): the only array a slot holds", () => {
    withArrays(ALL_WASM, (y, p, w) => eachClose(mse(y, p, { weights: w, reduction: 'none' }), wantLosses, 'losses'));
  });

  test('the gradient into a new ordinary array', () => {
    withArrays(ALL_WASM, (y, p, w) => eachClose(mse.grad(y, p, { weights: w }), wantGrad, 'grad'));
  });
});

describe.each(['target', 'pred', 'weights'] as const)('%s the only ordinary array', (ordinary) => {
  test('loss and gradient into a WasmArray', () => {
    withArrays({ ...ALL_WASM, [ordinary]: 'ordinary' }, (y, p, w, out) => {
      const r = mse.withGrad(y, p, { weights: w, out });
      close(r.loss, wantLoss, 'loss');
      eachClose(r.grad, wantGrad, 'grad');
    });
  });
});
