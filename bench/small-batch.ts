/**
 * Where training calls a loss: once per mini-batch of 16 to a few thousand values. Prints the fixed
 * cost of a call (N = 0 and 1, and the intercept of the time against N) and, for mse, BCE with
 * logits and sparse softmax CE with 10 classes, the time of one withGrad into a reused `out`
 * (float32, mean) against the same plain-JS loop the main tables use, monomorphic, also into `out`.
 */
import * as lib from '../dist/node.js';
import { random, uniform } from '../test/random.js';
import { benchFloor } from './floor.js';
import { measure, medianOf } from './measure.js';
import { ownCall, ownCopy } from './own-copy.js';
import { type LossAndGrad, plain } from './plain.js';

// A sample is about this many elements' worth of calls (and at least this many calls over 256
// elements): at N = 16 one call is shorter than the timer's resolution.
const SAMPLE_ELEMENTS = 2e4;

type Call = () => { loss: number };
interface Case {
  /** Row label: N, or rows × classes. */
  size: string;
  n: number;
  calls: Record<string, Call>;
}

/** The three variants of one loss at one size: ordinary arrays into `out`, zero copy, plain JS into `out`. */
function variants(
  loss: { withGrad: (...args: never[]) => unknown },
  baseline: (y: never, p: Float32Array, opts: never, out: Float32Array) => LossAndGrad,
  y: Float32Array | Int32Array,
  p: Float32Array,
  opts: Record<string, number>,
): Record<string, Call> {
  const wy = lib.alloc(y.length, y instanceof Int32Array ? 'i32' : 'f32');
  const wp = lib.alloc(p.length, 'f32');
  wy.array.set(y as never);
  wp.array.set(p);
  return {
    'simdloss, out': ownCall(loss.withGrad, y, p, { ...opts, out: new Float32Array(p.length) }) as Call,
    'zero-copy': ownCall(loss.withGrad, wy, wp, { ...opts, out: lib.alloc(p.length, 'f32') }) as Call,
    'plain JS, out': ownCall(baseline, y, p, opts, new Float32Array(p.length)),
  };
}

const ELEMENTWISE = { mse: lib.mse, binaryCrossEntropyWithLogits: lib.binaryCrossEntropyWithLogits };

function elementwiseCases(name: keyof typeof ELEMENTWISE, sizes: number[]): Case[] {
  const rand = random(16);
  const baseline = ownCopy(plain[name]!);
  return sizes.map((n) => {
    const y = uniform(Float32Array, n, [0, 1], rand);
    const p = uniform(Float32Array, n, [-3, 3], rand);
    const opts: Record<string, number> = name === 'mse' ? {} : { posWeight: 1, labelSmoothing: 0 };
    return { size: String(n), n, calls: variants(ELEMENTWISE[name], baseline, y, p, opts) };
  });
}

function softmaxCases(classes: number, rowCounts: number[]): Case[] {
  const rand = random(17);
  const baseline = ownCopy(plain.sparseSoftmaxCrossEntropy!);
  return rowCounts.map((rows) => {
    const labels = Int32Array.from({ length: rows }, () => Math.floor(rand() * classes));
    const z = uniform(Float32Array, rows * classes, [-3, 3], rand);
    const calls = variants(lib.sparseSoftmaxCrossEntropy, baseline, labels, z, { classes });
    return { size: `${rows}×${classes}`, n: rows * classes, calls };
  });
}

/** Median ns per call of each variant of each case, timed together (interleaved rounds). */
async function timeCases(what: string, cases: Case[], timeMs: number): Promise<Map<Case, Record<string, number>>> {
  const result = new Map<Case, Record<string, number>>();
  for (const c of cases) {
    process.stderr.write(`\r${what} ${c.size}...        `);
    const reps = Math.max(Math.round(SAMPLE_ELEMENTS / Math.max(c.n, 1)), c.n <= 256 ? 256 : 1);
    const tasks = Object.entries(c.calls).map(([name, call]) => ({ name, prepare: () => ({ call }) }));
    const pooled = await measure(tasks, reps, `${what} ${c.size}`, timeMs);
    result.set(c, Object.fromEntries([...pooled].map(([name, ms]) => [name, medianOf(ms) * 1e6])));
  }
  process.stderr.write('\r\x1b[K');
  return result;
}

const ns = (t: number): string => (t >= 1e4 ? `${(t / 1e3).toFixed(1)} µs` : `${t.toFixed(0)} ns`);

function table(title: string, times: Map<Case, Record<string, number>>): void {
  console.log(
    `\n${title}: withGrad into a reused out, float32, mean; time per call, and simdloss's time ÷ plain JS's (< 1: simdloss faster)`,
  );
  console.log(
    [
      'size'.padStart(8),
      'simdloss, out'.padStart(13),
      'zero-copy'.padStart(10),
      'plain JS, out'.padStart(13),
      '÷ plain'.padStart(8),
      'zero-copy ÷ plain',
    ].join('  '),
  );
  for (const [c, t] of times) {
    const [own, zero, base] = [t['simdloss, out']!, t['zero-copy']!, t['plain JS, out']!];
    const cells = [
      c.size.padStart(8),
      ns(own).padStart(13),
      ns(zero).padStart(10),
      ns(base).padStart(13),
      (own / base).toFixed(2).padStart(8),
    ];
    console.log(`${cells.join('  ')}  ${(zero / base).toFixed(2).padStart(17)}`);
  }
}

/** `useSimd` makes the SIMD build the live one (the main tables switch builds). */
export async function benchSmallBatch(timeMs: number, useSimd: () => void): Promise<void> {
  useSimd();
  // The fixed cost: a call at N = 0 and 1, and the intercept of a line through N = 1024 and 4096.
  const fixed = await timeCases('fixed cost', elementwiseCases('mse', [0, 1, 1024, 4096]), timeMs);
  const [t0, t1, t1024, t4096] = [...fixed.values()];
  console.log('\nfixed cost of a call: mse.withGrad into a reused out, float32');
  for (const v of ['simdloss, out', 'zero-copy', 'plain JS, out']) {
    const slope = (t4096![v]! - t1024![v]!) / 3072;
    const intercept = t1024![v]! - 1024 * slope;
    console.log(
      `  ${v.padEnd(14)} N=0 ${ns(t0![v]!).padStart(7)}, N=1 ${ns(t1![v]!).padStart(7)}; ${slope.toFixed(3)} ns per element, intercept ${ns(intercept)}`,
    );
  }
  const sizes = [16, 64, 256, 1024, 4096];
  table('mse', await timeCases('mse', elementwiseCases('mse', sizes), timeMs));
  table('binaryCrossEntropyWithLogits', await timeCases('BCE', elementwiseCases('binaryCrossEntropyWithLogits', sizes), timeMs));
  table('sparseSoftmaxCrossEntropy, 10 classes', await timeCases('softmax CE', softmaxCases(10, [1, 2, 6, 26, 102, 410]), timeMs));
  await benchFloor(timeMs);
}
