/**
 * Losses of two (or more) builds side by side in one process, each a dist/ directory: withGrad,
 * float32, 'mean', N elements as bench/run.ts draws them (values from the registry's domain; for a
 * row-wise loss, labels or one-hot rows of C classes), in three variants — ordinary arrays returning
 * a new gradient, ordinary arrays into a reused `out`, zero copy — and the plain loop of
 * bench/plain.ts (its own copy, with a new and with a reused gradient array). A loss a build does
 * not have is left out of its column, so an older build can be timed against this one: did a change
 * move the kernels' speed, or only the small calls it aimed at?
 * Times are CPU time (`process.cpuUsage`, which leaves out the waiting of a loaded machine), samples
 * interleaved between the builds so that both see the same load; medians in elements per ns.
 * Give the same build twice (a copy of the directory) to read the noise between identical code.
 *
 *   npx tsx bench/builds.ts --builds dist,/tmp/dist-before [--losses mse,multilabelSoftMargin]
 *     [--classes 10] [--n 1e4,1e5] [--samples 15] [--ms 150]
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { random } from '../test/random.js';
import { registryOf } from '../test/registry.js';
import { elementData, rowData } from './data.js';
import { ownCall, ownCopy } from './own-copy.js';
import { plain } from './plain.js';

const { values: args } = parseArgs({
  options: {
    builds: { type: 'string', default: 'dist' },
    losses: { type: 'string', default: 'multilabelSoftMargin,sparseSoftmaxFocal' },
    classes: { type: 'string', default: '10' },
    n: { type: 'string', default: '1e5' },
    samples: { type: 'string', default: '15' },
    ms: { type: 'string', default: '150' },
  },
});

type Lib = typeof import('../src/node.js');
type WithGrad = (y: unknown, p: unknown, o: Record<string, unknown>) => unknown;

interface Timed {
  name: string;
  elements: number;
  call: () => unknown;
}

/** The timed calls of one build (and, for the first, the plain loop). */
function cases(lib: Lib, withPlain: boolean): Timed[] {
  const timed: Timed[] = [];
  for (const name of args.losses.split(',')) {
    const entry = registry.find((e) => e.name === name);
    if (entry === undefined) throw new Error(`${name}: not a loss of the registry`);
    const loss = (lib as unknown as Record<string, { withGrad: WithGrad } | undefined>)[name];
    if (loss === undefined) continue; // not in this build
    if (entry.kind !== 'rowwise' && entry.kind !== 'elementwise') throw new Error(`${name}: not an elementwise or row-wise loss`);
    const defaults = Object.fromEntries(entry.options.map((o) => [o.name, o.default]));
    const classes = entry.kind === 'rowwise' ? args.classes.split(',').map(Number) : [1];
    for (const [C, size] of classes.flatMap((C) => args.n.split(',').map((n) => [C, Number(n)] as const))) {
      const n = Math.max(C, Math.round(size / C) * C);
      const rand = random(0x5eed ^ n ^ C);
      const { y, p } = entry.kind === 'rowwise' ? rowData(entry, n, C, rand) : elementData(entry, n, rand);
      const wy = lib.alloc(y.length, y instanceof Int32Array ? 'i32' : 'f32');
      const wp = lib.alloc(n, 'f32');
      wy.array.set(y);
      wp.array.set(p);
      const f = loss.withGrad;
      const opts = entry.kind === 'rowwise' ? { ...defaults, classes: C } : defaults;
      const out = { ...opts, out: new Float32Array(n) };
      const zero = { ...opts, out: lib.alloc(n, 'f32') };
      const label = `${name}${entry.kind === 'rowwise' ? ` C=${C}` : ''} N=${n}`;
      timed.push({ name: `${label} simdloss`, elements: n, call: ownCall(f, y, p, opts) });
      timed.push({ name: `${label} out`, elements: n, call: ownCall(f, y, p, out) });
      timed.push({ name: `${label} zero copy`, elements: n, call: ownCall(f, wy, wp, zero) });
      const loop = plain[name];
      if (withPlain && loop !== undefined) {
        timed.push({ name: `${label} plain JS`, elements: n, call: ownCall(ownCopy(loop), y, p, opts) });
        const reused = new Float32Array(n);
        timed.push({ name: `${label} plain JS, out`, elements: n, call: ownCall(ownCopy(loop), y, p, opts, reused) });
      }
    }
  }
  return timed;
}

/** Elements per ns of CPU time over about `ms` milliseconds of calls. */
function sample(t: Timed, calls: number): number {
  const t0 = process.cpuUsage();
  for (let i = 0; i < calls; i++) t.call();
  const d = process.cpuUsage(t0);
  return (t.elements * calls) / ((d.user + d.system) * 1e3);
}

/** How many calls take about `ms` ms. */
function callsFor(t: Timed, ms: number): number {
  const t0 = performance.now();
  let k = 0;
  while (performance.now() - t0 < ms / 4) {
    t.call();
    k++;
  }
  return Math.max(1, k * 4);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
/** Median absolute deviation over the median, in %. */
const spread = (xs: number[]) => {
  const m = median(xs);
  return (100 * median(xs.map((x) => Math.abs(x - m)))) / m;
};

// The data and options come from this tree's registry; each build gives only its functions.
const registry = registryOf(await import('../src/node.js'));
const dirs = args.builds.split(',');
const builds: Timed[][] = [];
for (const [j, dir] of dirs.entries()) {
  const lib = (await import(pathToFileURL(resolve(dir, 'node.js')).href)) as Lib;
  await lib.init();
  builds.push(cases(lib, j === 0));
}
const samples = Number(args.samples);
console.log(
  `elements/ns of CPU time, median (MAD %) of ${samples} interleaved samples; load average ${(await import('node:os')).loadavg()[0]}`,
);
console.log(['case', ...dirs].join(' | '));
for (const name of new Set(builds.flatMap((b) => b.map((t) => t.name)))) {
  const row = builds.map((b) => b.find((t) => t.name === name));
  const calls = callsFor(row.find((t) => t !== undefined)!, Number(args.ms));
  const got: number[][] = row.map(() => []);
  for (const t of row) if (t) sample(t, calls); // warm-up
  for (let s = 0; s < samples; s++) {
    for (const [b, t] of row.entries()) if (t) got[b]!.push(sample(t, calls));
  }
  console.log([name, ...got.map((g) => (g.length ? `${median(g).toFixed(4)} (${spread(g).toFixed(1)}%)` : '—'))].join(' | '));
}
