// Scale, the CI size: mse 'mean' and 'sum' over 1e7 elements within 1e-6 relative of a
// float64 reference (float32) and 1e-12 (float64), with ordinary arrays and zero copy. `npm run
// accuracy` runs 1e8 (docs/reliability.md: 9.2e-10 measured). test/unit/accuracy.test.ts has the exact sum of 17e6
// unit losses, past where a float32 running sum stops (16 777 216).
import { execFileSync } from 'node:child_process';
import { beforeAll, expect, test } from 'vitest';
import { alloc, init, mse } from '../../src/node.js';
import { random } from '../random.js';

beforeAll(async () => {
  await init();
});

const N = 10_000_000;

/** The squared errors of the given values in float64 (exact differences, one rounding a square), Neumaier-compensated. */
function reference(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let sum = 0;
  let c = 0;
  for (let i = 0; i < y.length; i++) {
    const r = y[i]! - p[i]!;
    const x = r * r;
    const t = sum + x;
    c += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + c;
}

test.each([
  ['float32', Float32Array, 'f32', 1e-6],
  // float64 kernels: float64 lanes throughout (measured ~1e-15).
  ['float64', Float64Array, 'f64', 1e-12],
] as const)('%s: mse mean and sum over 1e7 elements within the bound, ordinary arrays and zero copy', (_, Ctor, dtype, bound) => {
  const rand = random(21);
  const y = new Ctor(N);
  const p = new Ctor(N);
  for (let i = 0; i < N; i++) {
    y[i] = 6 * rand() - 3;
    p[i] = 6 * rand() - 3 + 0.5; // an offset, so that the errors are not symmetric about 0
  }
  const sum = reference(y, p);
  const rel = (x: number, e: number) => Math.abs(x - e) / e;
  const errors = [rel(mse(y, p, { reduction: 'sum' }), sum), rel(mse(y, p), sum / N)];
  const wy = alloc(N, dtype as 'f32'); // (either dtype: one type for the two rows of the table)
  const wp = alloc(N, dtype as 'f32');
  (wy.array as Float32Array | Float64Array).set(y);
  (wp.array as Float32Array | Float64Array).set(p);
  errors.push(rel(mse(wy, wp, { reduction: 'sum' }), sum), rel(mse(wy, wp), sum / N));
  wy.free();
  wp.free();
  console.log(
    `mse over 1e7 ${dtype}: relative errors (sum, mean, zero-copy sum, zero-copy mean) ${errors.map((e) => e.toExponential(2)).join(', ')}`,
  );
  for (const e of errors) expect(e).toBeLessThanOrEqual(bound);
});

test('npm run accuracy runs end to end (a small n)', () => {
  const root = new URL('../..', import.meta.url).pathname;
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'tools/accuracy.ts', '--n', '2e6'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(out).toMatch(/^ {2}mse mean, zero copy +[\d.]+ +\d\.\d\de-\d+$/m);
  expect(out).toMatch(/sum of 2000000 unit losses: {3}mse 2000000 {3}naive float32 2000000/);
  expect(out).toContain('accuracy: within 0.000001 relative');
});
