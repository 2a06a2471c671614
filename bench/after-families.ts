/**
 * The fixed cost of a call in a program that has called every loss: each build given (a dist/
 * directory each, loaded side by side in one process) first calls every registry loss — every
 * family, both dtypes, loss / grad / withGrad, each reduction, with weights and `out`, at 1 and 16
 * examples — and then times withGrad into a reused `out` (float32, mean): mse at N = 0 and 16 and
 * sparse softmax cross-entropy at 1 × 10 and 2 × 10 classes, zero copy and ordinary arrays, and the
 * plain-JS loops of bench/plain.ts into a reused array (a copy per build: the same in every column
 * but for the machine's noise). (--fresh:
 * without calling every loss first.)
 * Times are CPU time per call (`process.cpuUsage`, which a loaded machine's waiting leaves out),
 * medians of samples interleaved between the builds, so that both see the same load.
 *
 *   npx tsx bench/after-families.ts [--builds dist,dist-other] [--samples 24] [--calls 20000] [--cases 'mse N=16;sparse CE'] [--fresh]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { registryOf } from '../test/registry.js';
import { ownCall, ownCopy } from './own-copy.js';
import { plain } from './plain.js';

const { values: args } = parseArgs({
  options: {
    builds: { type: 'string', default: 'dist' },
    samples: { type: 'string', default: '24' },
    calls: { type: 'string', default: '20000' },
    cases: { type: 'string' },
    fresh: { type: 'boolean', default: false },
  },
});
const samples = Number(args.samples);
const calls = Number(args.calls);

type Lib = typeof import('../src/node.js');
type AnyFn = (...a: unknown[]) => unknown;

/** Every registry loss called every way the suites call it, errors counted (a refused call still runs the checks). */
function callEveryLoss(lib: Lib): { ok: number; refused: number } {
  let ok = 0;
  let refused = 0;
  const attempt = (f: AnyFn, ...a: unknown[]) => {
    try {
      f(...a);
      ok++;
    } catch {
      refused++;
    }
  };
  const defaults = (options: readonly { name: string; default: number }[]) => Object.fromEntries(options.map((o) => [o.name, o.default]));
  for (const C of [Float32Array, Float64Array]) {
    for (const n of [1, 16]) {
      const fill = (m: number, lo: number, hi: number) => {
        const a = new C(m);
        for (let i = 0; i < m; i++) a[i] = lo + ((i * 0.37) % 1) * (hi - lo);
        return a;
      };
      for (const e of registryOf(lib)) {
        const own = defaults(e.options);
        const sets: Record<string, unknown>[] = [
          {},
          own,
          { ...own, reduction: 'sum' },
          { ...own, reduction: 'none' },
          { ...own, weights: fill(n, 0.5, 1) },
        ];
        const methods = (f: AnyFn & { grad?: AnyFn; withGrad?: AnyFn }) => [f, f.grad, f.withGrad].filter((m) => m !== undefined);
        if (e.kind === 'elementwise') {
          const y = fill(n, e.domain.target[0], e.domain.target[1]);
          const p = fill(n, e.domain.pred[0], e.domain.pred[1]);
          for (const f of methods(e.loss as never)) for (const o of sets) attempt(f, y, p, o);
          attempt(e.loss.withGrad as AnyFn, y, p, { ...own, out: new C(n) });
        } else if (e.kind === 'rowwise') {
          const classes = 4;
          const p = fill(n * classes, e.domain.pred[0], e.domain.pred[1]);
          const y = e.target === 'labels' ? Int32Array.from({ length: n }, (_, i) => i % classes) : fill(n * classes, 0, 1);
          for (const f of methods(e.loss)) for (const o of sets) attempt(f, y, p, { ...o, classes, weights: undefined });
          if (!e.metric) attempt(e.loss.withGrad, y, p, { ...own, classes, out: new C(n * classes) });
        } else if (e.kind === 'embedding') {
          const dim = 3;
          const xs = e.inputs.map(() => fill(n * dim, -1, 1));
          const label = e.labels === 'none' ? undefined : fill(n, 0, 1);
          const args = e.inputs.length === 2 ? [label, xs[0], xs[1]] : xs;
          for (const f of methods(e.loss as never)) for (const o of sets) attempt(f, ...args, { ...o, dim });
        } else if (e.kind === 'ternary') {
          const y = fill(n, 0.1, 1);
          for (const f of methods(e.loss as never)) for (const o of sets) attempt(f, y, fill(n, 0.1, 1), fill(n, 0.1, 1), o);
        } else {
          const dim = 4;
          const y = fill(n * dim, 0, 1);
          for (const f of methods(e.loss as never)) for (const o of sets) attempt(f, y, fill(n * dim, 0, 1), { ...o, dim });
        }
      }
    }
  }
  return { ok, refused };
}

interface Timed {
  name: string;
  call: () => unknown;
}

/** The calls timed, of one build. */
function cases(lib: Lib): Timed[] {
  const timed: Timed[] = [];
  for (const n of [0, 16]) {
    const y = Float32Array.from({ length: n }, (_, i) => (i % 3) / 3);
    const p = Float32Array.from({ length: n }, (_, i) => (i % 5) / 5 - 0.4);
    const wy = lib.alloc(n, 'f32');
    const wp = lib.alloc(n, 'f32');
    wy.array.set(y);
    wp.array.set(p);
    const ordinary = { out: new Float32Array(n) };
    const zero = { out: lib.alloc(n, 'f32') };
    timed.push({ name: `mse N=${n}, zero copy`, call: () => lib.mse.withGrad(wy, wp, zero) });
    timed.push({ name: `mse N=${n}, ordinary`, call: () => lib.mse.withGrad(y, p, ordinary) });
    timed.push({ name: `mse N=${n}, plain JS`, call: ownCall(ownCopy(plain.mse!), y, p, {}, new Float32Array(n)) });
  }
  for (const rows of [1, 2]) {
    const classes = 10;
    const labels = Int32Array.from({ length: rows }, (_, r) => (r * 7) % classes);
    const z = Float32Array.from({ length: rows * classes }, (_, i) => ((i * 0.61) % 1) * 6 - 3);
    const wl = lib.alloc(rows, 'i32');
    const wz = lib.alloc(rows * classes, 'f32');
    wl.array.set(labels);
    wz.array.set(z);
    const ordinary = { classes, out: new Float32Array(rows * classes) };
    const zero = { classes, out: lib.alloc(rows * classes, 'f32') };
    timed.push({ name: `sparse CE ${rows}×10, zero copy`, call: () => lib.sparseSoftmaxCrossEntropy.withGrad(wl, wz, zero) });
    timed.push({ name: `sparse CE ${rows}×10, ordinary`, call: () => lib.sparseSoftmaxCrossEntropy.withGrad(labels, z, ordinary) });
    const baseline = ownCopy(plain.sparseSoftmaxCrossEntropy!);
    timed.push({
      name: `sparse CE ${rows}×10, plain JS`,
      call: ownCall(baseline, labels, z, { classes }, new Float32Array(rows * classes)),
    });
  }
  return timed;
}

/** CPU ns per call of `calls` calls. */
function sample(call: () => unknown): number {
  const t0 = process.cpuUsage();
  for (let i = 0; i < calls; i++) call();
  const t = process.cpuUsage(t0);
  return ((t.user + t.system) * 1e3) / calls;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const dirs = args.builds.split(',');
const builds: { dir: string; timed: Timed[] }[] = [];
for (const dir of dirs) {
  const lib = (await import(pathToFileURL(resolve(dir, 'node.js')).href)) as Lib;
  await lib.init();
  if (!args.fresh) {
    const warm = callEveryLoss(lib);
    console.log(`${dir}: every loss called, ${warm.ok} calls returned, ${warm.refused} refused`);
  }
  builds.push({ dir, timed: cases(lib) });
}
const names = builds[0]!.timed.map((t) => t.name);
const profile = process.env.PROFILE_CASE;
if (profile !== undefined) {
  const timed = builds[0]!.timed.find((t) => t.name === profile)!;
  const end = Date.now() + 4000;
  while (Date.now() < end) for (let i = 0; i < 1e4; i++) timed.call();
  process.exit(0);
}
console.log(
  `CPU ns per call, median of ${samples} interleaved samples of ${calls} calls; load average ${(await import('node:os')).loadavg()[0]}`,
);
console.log(['case', ...dirs].join(' | '));
const wanted = args.cases?.split(';');
for (let c = 0; c < names.length; c++) {
  if (wanted && !wanted.some((w) => names[c]!.startsWith(w))) continue;
  const got: number[][] = builds.map(() => []);
  for (const b of builds) sample(b.timed[c]!.call); // warm-up
  for (let s = 0; s < samples; s++) for (let b = 0; b < builds.length; b++) got[b]!.push(sample(builds[b]!.timed[c]!.call));
  console.log([names[c], ...got.map((g) => median(g).toFixed(1))].join(' | '));
}
