/**
 * Two or more builds (a dist/ directory each) side by side in one process, timed on large arrays:
 * withGrad, float32, mean, at N = 1e4 and 1e5 elements, returning a new gradient, into a reused
 * `out`, and zero copy (WasmArray), for losses every build has. It answers "did this change slow
 * the large calls down?" for a change aimed at small ones. Times are CPU time per call
 * (`process.cpuUsage`, which a loaded machine's waiting leaves out), medians of samples
 * interleaved between the builds, the order of the builds reversed every other sample, so that
 * every build sees the same load.
 *
 *   npx tsx bench/builds.ts --builds <old dist>,dist [--samples 15] [--sizes 1e4,1e5] [--losses mse,huber]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    builds: { type: 'string', default: 'dist' },
    samples: { type: 'string', default: '15' },
    sizes: { type: 'string', default: '1e4,1e5' },
    losses: {
      type: 'string',
      default: 'mse,mae,huber,smoothL1,logCosh,binaryCrossEntropyWithLogits,hinge,sparseSoftmaxCrossEntropy,softmaxCrossEntropy',
    },
  },
});

type Lib = typeof import('../src/node.js');
type AnyFn = (...a: unknown[]) => unknown;
interface Timed {
  readonly name: string;
  readonly call: () => unknown;
}

/** The softmax losses take rows of this many classes; the rest are elementwise. */
const CLASSES = 10;
const SPARSE = new Set(['sparseSoftmaxCrossEntropy']);
const ROWS = new Set(['softmaxCrossEntropy', ...SPARSE]);

/** Deterministic values in [lo, hi): the same arrays for every build. */
function filled(n: number, lo: number, hi: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + ((i * 0.618034) % 1) * (hi - lo);
  return a;
}

/** The first argument of a loss: labels, a one-hot target, or values beside the prediction. */
function targetOf(name: string, n: number): Float32Array | Int32Array {
  const rows = n / CLASSES;
  if (SPARSE.has(name)) return Int32Array.from({ length: rows }, (_, r) => (r * 7) % CLASSES);
  if (ROWS.has(name)) return Float32Array.from({ length: n }, (_, i) => (i % CLASSES === (Math.floor(i / CLASSES) * 7) % CLASSES ? 1 : 0));
  if (name === 'binaryCrossEntropyWithLogits') return Float32Array.from({ length: n }, (_, i) => i & 1);
  if (name === 'hinge') return Float32Array.from({ length: n }, (_, i) => ((i & 1) === 0 ? -1 : 1));
  return filled(n, -2, 2);
}

function cases(lib: Lib, sizes: readonly number[], losses: readonly string[]): Timed[] {
  const timed: Timed[] = [];
  for (const name of losses) {
    const f = (lib as unknown as Record<string, { withGrad: AnyFn }>)[name];
    if (f === undefined) throw new Error(`a build has no ${name}`);
    for (const n of sizes) {
      const opts = ROWS.has(name) ? { classes: CLASSES } : {};
      const target = targetOf(name, n);
      const pred = filled(n, -3, 3);
      const out = new Float32Array(n);
      const wasmTarget = target instanceof Int32Array ? lib.alloc(target.length, 'i32') : lib.alloc(n);
      wasmTarget.array.set(target);
      const wasmPred = lib.alloc(n);
      wasmPred.array.set(pred);
      const wasmOut = lib.alloc(n);
      const withOut = { ...opts, out };
      const zeroCopy = { ...opts, out: wasmOut };
      timed.push({ name: `${name} N=${n}`, call: () => f.withGrad(target, pred, opts) });
      timed.push({ name: `${name} N=${n}, out`, call: () => f.withGrad(target, pred, withOut) });
      timed.push({ name: `${name} N=${n}, zero copy`, call: () => f.withGrad(wasmTarget, wasmPred, zeroCopy) });
    }
  }
  return timed;
}

/** CPU µs per call: enough calls for ~20 ms of work. */
function sample(call: () => unknown, calls: number): number {
  const t0 = process.cpuUsage();
  for (let i = 0; i < calls; i++) call();
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / calls;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const dirs = args.builds.split(',');
const sizes = args.sizes.split(',').map(Number);
const losses = args.losses.split(',');
const builds: Timed[][] = [];
for (const dir of dirs) {
  const lib = (await import(pathToFileURL(resolve(dir, 'node.js')).href)) as Lib;
  await lib.init();
  builds.push(cases(lib, sizes, losses));
}
const samples = Number(args.samples);
console.log(
  `CPU µs per call, median of ${samples} interleaved samples; load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)}`,
);
console.log(['case', ...dirs, ...dirs.slice(1).map((d) => `${d} ÷ ${dirs[0]}`)].join(' | '));
for (let c = 0; c < builds[0]!.length; c++) {
  const calls = Math.max(5, Math.round(20_000 / Math.max(1, sample(builds[0]![c]!.call, 5))));
  const times: number[][] = dirs.map(() => []);
  for (let s = 0; s < samples; s++) {
    const order = s % 2 === 0 ? dirs.map((_, i) => i) : dirs.map((_, i) => dirs.length - 1 - i);
    for (const b of order) times[b]!.push(sample(builds[b]![c]!.call, calls));
  }
  const med = times.map(median);
  console.log([builds[0]![c]!.name, ...med.map((m) => m.toFixed(1)), ...med.slice(1).map((m) => (m / med[0]!).toFixed(3))].join(' | '));
}
