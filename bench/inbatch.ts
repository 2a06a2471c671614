/**
 * The in-batch losses at one batch of n rows × dim (default 1024 × 128), float32, withGrad, mean:
 * simdloss (ordinary arrays and zero copy) against a plain JS implementation and TensorFlow.js
 * (wasm backend, tf ops); then the similarity pass alone against the machine's 128-bit multiply-add
 * peak, both measured in the audit build (compiled from the same kernel source with the same flags).
 *
 * Run by `npm run bench` (unless --only names other losses), or alone: `npx tsx bench/inbatch.ts`
 * [-- --n 1024 --dim 128 --time 4000].
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { alloc, infoNCE, init, ntXent } from '../dist/node.js';
import { loadAudit } from '../test/audit.js';
import { random, uniform } from '../test/random.js';
import { measure, medianOf, type Prepared } from './measure.js';
import { backend, tfjsInfoNCE } from './tfjs.js';

type Result = { loss: number; grad: Record<string, Float32Array> };

/**
 * infoNCE (mean) as a user would write it in plain JS, for Float32Array rows only (monomorphic):
 * normalise, the n × n logits, log-softmax per row, dL/dlogits = (softmax − I)/n, the two products
 * back to the normalised rows, and through the normalisation.
 */
export function plainInfoNCE(a: Float32Array, b: Float32Array, dim: number, tau: number): Result {
  const n = a.length / dim;
  const normalise = (x: Float32Array) => {
    const hat = new Float32Array(x.length);
    const norms = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let k = 0; k < dim; k++) s += x[r * dim + k]! * x[r * dim + k]!;
      norms[r] = Math.max(Math.sqrt(s), 1e-8);
      for (let k = 0; k < dim; k++) hat[r * dim + k] = x[r * dim + k]! / norms[r]!;
    }
    return { hat, norms };
  };
  const A = normalise(a);
  const B = normalise(b);
  const p = new Float64Array(n * n);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < dim; k++) s += A.hat[i * dim + k]! * B.hat[j * dim + k]!;
      p[i * n + j] = s / tau;
      if (s / tau > max) max = s / tau;
    }
    let z = 0;
    for (let j = 0; j < n; j++) z += Math.exp(p[i * n + j]! - max);
    loss += max + Math.log(z) - p[i * n + i]!;
    for (let j = 0; j < n; j++) p[i * n + j] = (Math.exp(p[i * n + j]! - max) / z - (i === j ? 1 : 0)) / (n * tau);
  }
  const back = (X: { hat: Float32Array; norms: Float64Array }, Y: Float32Array, transposed: boolean) => {
    const g = new Float32Array(n * dim);
    const row = new Float64Array(dim);
    for (let i = 0; i < n; i++) {
      row.fill(0);
      for (let j = 0; j < n; j++) {
        const d = transposed ? p[j * n + i]! : p[i * n + j]!;
        for (let k = 0; k < dim; k++) row[k]! += d * Y[j * dim + k]!;
      }
      let c = 0;
      for (let k = 0; k < dim; k++) c += row[k]! * X.hat[i * dim + k]!;
      for (let k = 0; k < dim; k++) g[i * dim + k] = (row[k]! - c * X.hat[i * dim + k]!) / X.norms[i]!;
    }
    return g;
  };
  return { loss: loss / n, grad: { anchors: back(A, B.hat, false), positives: back(B, A.hat, true) } };
}

function check(what: string, got: Result, want: Result): void {
  if (!(Math.abs(got.loss - want.loss) <= 1e-4 * Math.abs(want.loss))) throw new Error(`${what}: loss ${got.loss}, plain JS ${want.loss}`);
  for (const [k, g] of Object.entries(want.grad)) {
    const h = got.grad[k]!;
    let scale = 0;
    for (const v of g) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < g.length; i++) {
      if (!(Math.abs(h[i]! - g[i]!) <= 1e-3 * scale)) throw new Error(`${what}: grad.${k}[${i}] ${h[i]}, plain JS ${g[i]}`);
    }
  }
}

/**
 * The multiply-add peak and the similarity pass alone, in GFLOP/s: the fastest of `rounds`
 * interleaved runs of each. On a shared machine a run's time includes whatever else ran on its core
 * meanwhile, more often the longer it is; the fastest runs are the ones that had the core. (Medians
 * on a loaded 2-core VM put the pass at 9 of 38 GFLOP/s; the fastest of 200, at 28 of 39.)
 */
function peakAndSimilarity(n: number, dim: number, rounds: number, iterations: number): { peak: number; similarity: number } {
  const audit = loadAudit('simd') as unknown as {
    memory: WebAssembly.Memory;
    heapBase(): number;
    peakMulAdd(iterations: number): number;
    similarity_f32(n: number, dim: number, x: number, y: number, work: number, invTau: number): void;
  };
  const x = Math.ceil(audit.heapBase() / 64) * 64;
  const y = x + n * dim * 4;
  const work = y + n * dim * 4;
  const need = work + 2 * n * (dim * 16 + 16 + 16 * 4) + (1 << 16); // the workspace layout() lays out
  audit.memory.grow(Math.ceil(Math.max(0, need - audit.memory.buffer.byteLength) / 65536));
  const rows = uniform(Float32Array, 2 * n * dim, [-0.1, 0.1], random(7));
  new Float32Array(audit.memory.buffer, x, 2 * n * dim).set(rows);
  const peak: number[] = [];
  const similarity: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // interleaved, so that both see the same share of a loaded machine
    let t0 = performance.now();
    audit.peakMulAdd(iterations);
    peak.push((iterations * 96) / ((performance.now() - t0) * 1e6));
    t0 = performance.now();
    audit.similarity_f32(n, dim, x, y, work, 10);
    similarity.push((2 * n * n * dim) / ((performance.now() - t0) * 1e6));
  }
  return { peak: Math.max(...peak), similarity: Math.max(...similarity) };
}

export async function benchInbatch(n = 1024, dim = 128, timeMs = 4000): Promise<void> {
  await init();
  const rand = random(n * dim);
  const a = uniform(Float32Array, n * dim, [-1, 1], rand);
  const b = Float32Array.from(a, (v) => v + 0.5 * (2 * rand() - 1));
  const tau = 0.1;
  const opts = { dim, temperature: tau };
  const want = plainInfoNCE(a, b, dim, tau);
  const wa = alloc(n * dim, 'f32');
  const wb = alloc(n * dim, 'f32');
  const ga = alloc(n * dim, 'f32');
  const gb = alloc(n * dim, 'f32');
  wa.array.set(a);
  wb.array.set(b);
  const out = { anchors: ga, positives: gb };
  tf.enableProdMode();
  await backend('wasm');
  const tfjs = tfjsInfoNCE(n, dim, tau);
  const variants: { name: string; prepare(): Prepared | Promise<Prepared> }[] = [
    { name: 'simdloss', prepare: () => ({ call: () => infoNCE.withGrad(a, b, opts) }) },
    { name: 'zero-copy', prepare: () => ({ call: () => infoNCE.withGrad(wa, wb, { ...opts, out }) }) },
    { name: 'plain JS', prepare: () => ({ call: () => plainInfoNCE(a, b, dim, tau) }) },
    {
      name: 'tfjs wasm',
      prepare: async () => {
        await backend('wasm');
        return tfjs(a, b);
      },
    },
  ];
  check('simdloss', infoNCE.withGrad(a, b, opts), want);
  const zero = infoNCE.withGrad(wa, wb, { ...opts, out });
  check('zero-copy', { loss: zero.loss, grad: { anchors: ga.array, positives: gb.array } }, want);
  const viaTf = tfjs(a, b).call().loss;
  if (!(Math.abs(viaTf - want.loss) <= 1e-4 * want.loss)) throw new Error(`tfjs wasm: loss ${viaTf}, plain JS ${want.loss}`);
  process.stderr.write(`\rinfoNCE ${n}×${dim}...`);
  const pooled = await measure(variants, 1, `infoNCE ${n}×${dim}`, timeMs, 2);
  const ms = (v: string) => medianOf(pooled.get(v)!);
  process.stderr.write('\r\x1b[K');
  console.log(`\ninfoNCE.withGrad ${n} × ${dim}, float32, τ = ${tau}, mean: ms per call (median), and simdloss's speed-up`);
  for (const v of variants) {
    const t = ms(v.name);
    console.log(
      `${v.name.padEnd(10)}  ${t.toFixed(1).padStart(8)} ms  ${(ms('plain JS') / t).toFixed(1).padStart(6)}× plain JS  ${(ms('tfjs wasm') / t).toFixed(1).padStart(6)}× tfjs wasm`,
    );
  }
  const nt = await measure(
    [{ name: 'ntXent', prepare: () => ({ call: () => ntXent.withGrad(wa, wb, { dim, out: { a: ga, b: gb } }) }) }],
    1,
    'ntXent',
    timeMs / 4,
    2,
  );
  console.log(`ntXent.withGrad ${n} × ${dim} (2n = ${2 * n} rows, zero copy): ${medianOf(nt.get('ntXent')!).toFixed(1)} ms`);
  for (const w of [wa, wb, ga, gb]) w.free();
  // the peak loop: 96 flops an iteration, ~38 GFLOP/s here: 1e6 iterations take ~2.5 ms
  const { peak, similarity } = peakAndSimilarity(n, dim, 60, 1e6);
  console.log(
    `similarity pass ${n} × ${n} × ${dim}: ${similarity.toFixed(2)} GFLOP/s; f32x4 multiply-add peak of one core ${peak.toFixed(2)} GFLOP/s (fastest of 60); ` +
      `${((100 * similarity) / peak).toFixed(0)}% of peak`,
  );
  const s = ms('zero-copy');
  console.log(
    `infoNCE summary: ${n}×${dim} simdloss/plain ${(ms('plain JS') / ms('simdloss')).toFixed(1)}, simdloss/tfjs wasm ${(ms('tfjs wasm') / ms('simdloss')).toFixed(1)}, zero-copy ${s.toFixed(1)} ms`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { n: { type: 'string', default: '1024' }, dim: { type: 'string', default: '128' }, time: { type: 'string', default: '4000' } },
  });
  await benchInbatch(Number(values.n), Number(values.dim), Number(values.time));
}
