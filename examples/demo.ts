// npm run demo — the lesson's worked examples computed by simdloss, then a quick speed check.
// (Grows with the library: classification, the medical scenario and training come with those losses.)
import { type ElementwiseLoss, alloc, huber, init, mae, mse, smoothL1 } from '../src/node.js';

const info = await init();
const line = (label: string, value: string, expected = '') => console.log(`  ${label.padEnd(44)}${value.padStart(12)}  ${expected}`);
const f = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(4));

console.log(`simdloss — ${info.simd ? 'SIMD' : 'scalar'} build\n`);
console.log('1. Exam scores (the lesson): y = [85, 72, 90, 60], ŷ = [80, 75, 88, 65]');
const y = Float64Array.of(85, 72, 90, 60);
const yHat = Float64Array.of(80, 75, 88, 65);
line('squared errors (reduction: none)', Array.from(mse(y, yHat, { reduction: 'none' })).join(', '), 'lesson: 25, 9, 4, 25');
line('MSE = (25 + 9 + 4 + 25) / 4', f(mse(y, yHat)), 'lesson: 15.75');
line('dMSE/dŷ = −2(y − ŷ)/N', Array.from(mse.grad(y, yHat)).join(', '));

console.log('\n2. One target, y = 100: which model has the higher MSE?');
const target = Float64Array.of(100);
for (const p of [95, 110]) line(`prediction ${p}: (100 − ${p})²`, f(mse(target, Float64Array.of(p))));
console.log('  → 110 is 10 off and costs 100; 95 is 5 off and costs 25: squaring punishes big misses.');

console.log('\n3. The same residuals under the robust losses (δ = β = 1)');
const residuals = Float64Array.of(-3, -1, -0.5, 0, 0.5, 1, 3);
const zeros = new Float64Array(residuals.length);
console.log(`  ${'r = ŷ − y'.padEnd(12)}${Array.from(residuals, (r) => String(r).padStart(8)).join('')}`);
const robust: [string, ElementwiseLoss][] = [['mse', mse], ['mae', mae], ['huber', huber], ['smoothL1', smoothL1]];
for (const [name, loss] of robust) {
  const { loss: values, grad } = loss.withGrad(zeros, residuals, { reduction: 'none' });
  console.log(`  ${name.padEnd(12)}${Array.from(values, (v) => v.toFixed(3).padStart(8)).join('')}`);
  console.log(`  ${`  d/dŷ`.padEnd(12)}${Array.from(grad, (v) => v.toFixed(3).padStart(8)).join('')}`);
}

console.log('\n4. Speed: mse.withGrad, float32, N = 100 000 (medians of 200 runs)');
const n = 100_000;
const a = new Float32Array(n).map(() => Math.random());
const b = new Float32Array(n).map(() => Math.random());
function plain(t: Float32Array, p: Float32Array) {
  const g = new Float32Array(t.length);
  let s = 0;
  for (let i = 0; i < t.length; i++) {
    const r = p[i]! - t[i]!;
    s += r * r;
    g[i] = (2 * r) / t.length;
  }
  return { loss: s / t.length, grad: g };
}
const wa = alloc(n, 'f32');
const wb = alloc(n, 'f32');
const out = alloc(n, 'f32');
wa.array.set(a);
wb.array.set(b);
function median(fn: () => unknown): number {
  const times: number[] = [];
  for (let k = 0; k < 200; k++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times.sort((x, z) => x - z)[100]!;
}
const js = median(() => plain(a, b));
const ordinary = median(() => mse.withGrad(a, b));
const zeroCopy = median(() => mse.withGrad(wa, wb, { out }));
line('plain JS loop', `${(n / js / 1e6).toFixed(2)} el/ns`);
line('simdloss, ordinary Float32Arrays', `${(n / ordinary / 1e6).toFixed(2)} el/ns`, `${(js / ordinary).toFixed(1)}× plain JS`);
line('simdloss, zero copy (alloc)', `${(n / zeroCopy / 1e6).toFixed(2)} el/ns`, `${(js / zeroCopy).toFixed(1)}× plain JS`);
console.log('  (one noisy sample; `npm run bench` measures properly)');
