/**
 * npm run accuracy [-- --n 1e8] [--seed 5] [--scalar]
 *
 * Scale: mse 'mean' and 'sum' over n float32 elements (default 1e8: 400 MB an array),
 * through ordinary arrays (streamed through the scratch slots) and zero copy (WasmArrays), against a
 * float64 reference: the squared errors of the same float32 inputs computed in float64 and summed
 * with Neumaier compensation. Prints each relative error, and what a naive float32 running sum
 * gives for contrast; exits 1 if any error is above 1e-6.
 */
import { parseArgs } from 'node:util';
import { alloc, init, mse } from '../src/node.js';
import { random } from '../test/random.js';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '1e8' }, seed: { type: 'string', default: '5' }, scalar: { type: 'boolean', default: false } },
});
const n = Math.round(Number(values.n));
const BOUND = 1e-6;
const info = await init(values.scalar ? { simd: false } : undefined);
console.log(`mse over n = ${n.toExponential(0)} float32 elements, ${info.simd ? 'SIMD' : 'scalar'} build, Node ${process.version}`);

// y and p uniform in [−3, 3], both stored as float32.
const rand = random(Number(values.seed));
const y = new Float32Array(n);
const p = new Float32Array(n);
for (let i = 0; i < n; i++) {
  y[i] = 6 * rand() - 3;
  p[i] = 6 * rand() - 3;
}

// The float64 reference: (y − p)² of the float32 values in float64 (the difference of two float32 of
// these magnitudes is exact in float64, its square off by ≤ 2⁻⁵³), Neumaier-compensated sum.
let sum = 0;
let c = 0;
let naive = Math.fround(0);
let own = 0; // the kernel's own float32 elements fl(fl(y − p)²), summed in float64 (plain: each term ≥ 0, error ≤ n·2⁻⁵³)
for (let i = 0; i < n; i++) {
  const r = y[i]! - p[i]!;
  const x = r * r;
  const t = sum + x;
  c += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
  sum = t;
  const r32 = Math.fround(y[i]! - p[i]!);
  const l32 = Math.fround(r32 * r32);
  naive = Math.fround(naive + l32);
  own += l32;
}
const refSum = sum + c;
const refMean = refSum / n;

const rows: [string, number, number][] = [];
const row = (what: string, value: number, ref: number) => rows.push([what, value, Math.abs(value - ref) / Math.abs(ref)]);
let t0 = performance.now();
row('mse sum', mse(y, p, { reduction: 'sum' }), refSum);
row('mse mean', mse(y, p), refMean);
const copyMs = (performance.now() - t0) / 2;

const wy = alloc(n, 'f32');
wy.array.set(y);
const wp = alloc(n, 'f32');
wp.array.set(p);
t0 = performance.now();
row('mse sum, zero copy', mse(wy, wp, { reduction: 'sum' }), refSum);
row('mse mean, zero copy', mse(wy, wp), refMean);
const zeroMs = (performance.now() - t0) / 2;
row('float32 elements, f64 sum', own, refSum);
row('naive float32 running sum', naive, refSum);

console.log(`\n  float64 reference sum   ${refSum.toPrecision(17)}   mean ${refMean.toPrecision(17)}`);
console.log(`  ${'what'.padEnd(28)}${'value'.padEnd(26)}relative error`);
for (const [what, value, error] of rows) console.log(`  ${what.padEnd(28)}${value.toPrecision(17).padEnd(26)}${error.toExponential(2)}`);
console.log(`  (one call: ${copyMs.toFixed(0)} ms with ordinary arrays, ${zeroMs.toFixed(0)} ms zero copy)`);

// The classic failure: a float32 running sum of unit losses stops at 2²⁴ = 16 777 216.
wy.array.fill(0);
wp.array.fill(1);
let ones = Math.fround(0);
for (let i = 0; i < n; i++) ones = Math.fround(ones + 1);
const unit = mse(wy, wp, { reduction: 'sum' });
console.log(`\n  sum of ${n} unit losses:   mse ${unit}   naive float32 ${ones}`);
wy.free();
wp.free();

const worst = Math.max(...rows.filter(([what]) => what.startsWith('mse')).map(([, , e]) => e));
const ok = worst <= BOUND && unit === n;
console.log(
  `\n${ok ? 'accuracy: within' : 'accuracy: FAILED, above'} ${BOUND} relative (worst ${worst.toExponential(2)})${unit === n ? '' : `; the unit sum is ${unit}, not ${n}`}`,
);
process.exitCode = ok ? 0 : 1;
