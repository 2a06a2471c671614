// A three-input call streams every ordinary array through the scratch slots a chunk at a time and
// uses WasmArrays in place, in one kernel call when nothing needs a slot. Here each argument in turn
// is the only ordinary one (then each gradient, then the losses of reduction 'none'), at a length
// past the whole scratch area: a call that put all of an argument into its slot at once would write
// past the scratch area over the WasmArrays allocated above it. Each call must give the weighted
// gaussianNLL worked out here in float64 and leave every WasmArray input as it was.
import { beforeAll, describe, expect, test } from 'vitest';
import { SLOT_BYTES, SLOTS } from '../../src/core/abi.js';
import { alloc, gaussianNLL, init, type WasmArray } from '../../src/node.js';
import { placed, type Where } from '../helpers.js';

beforeAll(async () => {
  await init();
});

/** Twice the scratch area in float64 elements: from any slot, all of it would run past the area. */
const N = (2 * SLOTS * SLOT_BYTES) / 8;

const target = Float64Array.from({ length: N }, (_, i) => ((i * 7919) % 1000) / 250 - 2);
const mean = Float64Array.from({ length: N }, (_, i) => ((i * 104729) % 997) / 300 - 1.5);
// variances in [0.5, 2.5], far above eps: the loss is ½(ln v + (y − μ)²/v) with no clamp
const variance = Float64Array.from({ length: N }, (_, i) => 0.5 + ((i * 613) % 401) / 200);
const weights = Float64Array.from({ length: N }, (_, i) => 0.5 + (i % 5) / 4);

// Σ wᵢlᵢ / Σ wᵢ, and the gradients wᵢ(μᵢ − yᵢ)/vᵢ and wᵢ·½(1/vᵢ − (yᵢ − μᵢ)²/vᵢ²) over Σ wᵢ, in float64
const lossAt = (i: number) => 0.5 * (Math.log(variance[i]!) + (target[i]! - mean[i]!) ** 2 / variance[i]!);
let weightTotal = 0;
let weightedLosses = 0;
for (let i = 0; i < N; i++) {
  weightTotal += weights[i]!;
  weightedLosses += weights[i]! * lossAt(i);
}
const wantLoss = weightedLosses / weightTotal;
const wantMean = (i: number) => (weights[i]! * (mean[i]! - target[i]!)) / variance[i]! / weightTotal;
const wantVariance = (i: number) =>
  (weights[i]! * 0.5 * (1 / variance[i]! - (target[i]! - mean[i]!) ** 2 / variance[i]! ** 2)) / weightTotal;
const wantLosses = (i: number) => weights[i]! * lossAt(i);

function close(actual: number, want: number, what: string): void {
  if (!(Math.abs(actual - want) <= 1e-12 * Math.abs(want) + 1e-15)) expect.fail(`${what} = ${actual}, want ${want}`);
}

function eachClose(actual: ArrayLike<number>, want: (i: number) => number, what: string): void {
  expect(actual.length).toBe(N);
  for (let i = 0; i < N; i++) close(actual[i]!, want(i), `${what}[${i}]`);
}

type Arg = Float64Array | WasmArray<'f64'>;
const ARGS = ['target', 'mean', 'variance', 'weights'] as const;
const VALUES = { target, mean, variance, weights };

/**
 * Runs `call` on the four arguments, each a WasmArray (allocated in argument order, so the first
 * lies where an overrun of the scratch area lands) or an ordinary copy, and two WasmArrays for the
 * gradients; then checks that every WasmArray input still holds its values.
 */
function withArrays(ordinary: string | undefined, call: (a: Record<string, Arg>, out: { mean: Arg; variance: Arg }) => void): void {
  const held: WasmArray[] = [];
  const place = (values: Float64Array, at: Where): Arg => placed<'f64'>(values, at, held);
  try {
    const args: Record<string, Arg> = {};
    for (const name of ARGS) args[name] = place(VALUES[name], name === ordinary ? 'ordinary' : 'wasm');
    const out = { mean: alloc(N, 'f64'), variance: alloc(N, 'f64') };
    held.push(out.mean, out.variance);
    call(args, out);
    for (const name of ARGS) {
      const a = args[name]!;
      if (a instanceof Float64Array) continue;
      const values = VALUES[name];
      for (let i = 0; i < N; i++) {
        if (!Object.is(a.array[i], values[i])) expect.fail(`${name}[${i}] became ${a.array[i]}, was ${values[i]}`);
      }
    }
  } finally {
    for (const a of held) a.free();
  }
}

const arrayOf = (a: Arg): Float64Array => (a instanceof Float64Array ? a : a.array);

describe('three inputs staged through the scratch slots past the scratch area (gaussianNLL, float64)', () => {
  for (const ordinary of ARGS) {
    test(`${ordinary} the only ordinary array`, () => {
      withArrays(ordinary, (a, out) => {
        const { loss, grad } = gaussianNLL.withGrad(a.target!, a.mean!, a.variance!, { weights: a.weights!, out });
        close(loss, wantLoss, 'loss');
        eachClose(arrayOf(grad.mean), wantMean, 'grad.mean');
        eachClose(arrayOf(grad.variance), wantVariance, 'grad.variance');
      });
    });
  }

  for (const given of ['mean', 'variance'] as const) {
    test(`only the gradient of ${given} into a WasmArray, the other a new ordinary array`, () => {
      withArrays(undefined, (a, out) => {
        const { loss, grad } = gaussianNLL.withGrad(a.target!, a.mean!, a.variance!, {
          weights: a.weights!,
          out: { [given]: out[given] },
        });
        close(loss, wantLoss, 'loss');
        expect(grad[given]).toBe((out[given] as WasmArray<'f64'>).array);
        eachClose(arrayOf(grad.mean), wantMean, 'grad.mean');
        eachClose(arrayOf(grad.variance), wantVariance, 'grad.variance');
      });
    });
  }

  test('per-example losses (reduction none), every input a WasmArray', () => {
    withArrays(undefined, (a) => {
      eachClose(gaussianNLL(a.target!, a.mean!, a.variance!, { weights: a.weights!, reduction: 'none' }), wantLosses, 'losses');
    });
  });

  test('the loss alone, every input a WasmArray', () => {
    withArrays(undefined, (a) => {
      close(gaussianNLL(a.target!, a.mean!, a.variance!, { weights: a.weights! }), wantLoss, 'loss');
    });
  });
});
