// Reductions never run long in float32: lane partial sums are flushed into a float64 total every
// block, so sums stay exact or within float64 rounding far past float32's 2^24 limit.
import { beforeAll, expect, test } from 'vitest';
import { init, mae, mse } from '../../src/node.js';
import { random, uniform } from '../random.js';

beforeAll(async () => {
  await init();
});

test('a sum of 17 000 001 unit losses is exact (a float32 running sum stops at 16 777 216)', () => {
  const n = 17_000_001;
  const target = new Float32Array(n);
  const pred = new Float32Array(n).fill(1);
  let naive = Math.fround(0);
  for (let i = 0; i < n; i++) naive = Math.fround(naive + 1);
  expect(naive).toBe(16_777_216); // what the test guards against
  expect(mse(target, pred, { reduction: 'sum' })).toBe(n);
  expect(mae(target, pred)).toBe(1);
});

// Each float32 lane sum of mse adds at most BLOCK / (4 lanes × 4 sums) = 64 squares, then two more
// float32 additions join the four sums: every block's sum of positive terms is within (64 + 2)·u of
// exact (u = 2⁻²⁴), and the float64 total of the blocks adds nothing of that order. The sampled error
// is far smaller (1.1e-9 here): a bound that held only for this seed's draw would be luck.
const LANE_BOUND = (64 + 2) * 2 ** -24;

test('the mean of 4 000 037 random float32 squared errors is within (64 + 2)·u of the float64 sum of the same values', () => {
  const n = 4_000_037;
  const rand = random(99);
  const target = uniform(Float32Array, n, [-3, 3], rand);
  const pred = uniform(Float32Array, n, [-3, 3], rand);
  let exact = 0;
  for (let i = 0; i < n; i++) {
    const r = Math.fround(pred[i]! - target[i]!);
    exact += Math.fround(r * r); // the float32 per-element losses, summed in float64
  }
  expect(Math.abs(mse(target, pred) - exact / n) / (exact / n)).toBeLessThanOrEqual(LANE_BOUND);
});
