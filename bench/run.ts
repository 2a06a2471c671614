/**
 * npm run bench [-- --sizes 1e5,16] [--only mse,huber] [--time 1000] [--json out.json] [--classes 10,1000] [--row-sizes 1e5]
 *                [--rows 1000] [--dim 128] [--tfjs-sizes 1e3,1e5,1e6] [--small] [--rank-sizes 1e6] [--masks 16x65536]
 *                [--inbatch 1024x128]
 *
 * --small: only the small-batch sections (bench/small-batch.ts: the fixed cost of a call and batches
 * of 16 to 4096 values; bench/training.ts: whole training epochs), which otherwise follow the tables
 * of every loss.
 *
 * Embedding losses run at one batch of --rows × --dim, float32, default options; three-input losses
 * (target, a, b) at each of --sizes elements, with the embedding losses' variants.
 *
 * In-batch losses (infoNCE, ntXent) run at one batch of --inbatch rows × dim (bench/inbatch.ts).
 *
 * Row-wise losses (an example is a row of C classes) run at each --classes C with N = --row-sizes
 * elements (N / C rows), one-hot or label targets.
 *
 * Similarity losses run at one batch: the overlap losses (dice, tversky) at --masks rows × values
 * (16 masks of 256×256 by default, a mask of 0/1 and probabilities), cosine similarity at --rows × --dim.
 *
 * Without --only (or with --only rocAuc), the ranking metrics at each --rank-sizes N (bench/ranking.ts); without --only, the vector math
 * (bench/math.ts) and the comparison with TensorFlow.js (bench/tfjs.ts) follow.
 *
 * For every registry loss and size N: withGrad (forward + gradient, mean, float32) in four
 * variants — the library with ordinary arrays, zero copy, the scalar build, and a plain JS loop —
 * reported as median elements per nanosecond and as a ratio to plain JS. Absolute times drift
 * between processes; the ratios are what to read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import * as lib from '../dist/node.js';
import { alloc, initSync } from '../dist/node.js';
import { random, uniform } from '../test/random.js';
import {
  type EmbeddingEntry,
  elementwiseOf,
  embeddingOf,
  inbatchOf,
  registryOf,
  rowwiseOf,
  similarityOf,
  type TernaryEntry,
  ternaryOf,
} from '../test/registry.js';
import { benchConfusion } from './confusion.js';
import { elementData, rowData } from './data.js';
import { benchInbatch } from './inbatch.js';
import { benchMath } from './math.js';
import { measure, medianOf, type Prepared, ROUNDS, sawNaN } from './measure.js';
import { ownCall, ownCopy } from './own-copy.js';
import { type LossAndGrad, type PlainLoss, plain } from './plain.js';
import { type EmbeddingResult, plainEmbedding } from './plain-embedding.js';
import { plainSimilarity } from './plain-similarity.js';
import { plainTernary } from './plain-ternary.js';
import { benchRanking } from './ranking.js';
import { referenceLoop } from './reference-loop.js';
import { benchSmallBatch } from './small-batch.js';
import { benchTfjs } from './tfjs.js';
import { benchTraining } from './training.js';

// The test registry, bound to the built library.
const registry = registryOf(lib);
const elementwiseRegistry = elementwiseOf(lib);
const rowwiseRegistry = rowwiseOf(lib);
const embeddingRegistry = embeddingOf(lib);
const ternaryRegistry = ternaryOf(lib);
const similarityRegistry = similarityOf(lib);
/** The baselines of the losses with one gradient per input: embedding and three-input losses. */
const plainRows = { ...plainEmbedding, ...plainTernary };

const SIZES = '16,100,1e4,1e5,1e6';
// Calls per timed sample: at small N one call is no longer than the timer's own cost, so a sample
// times a batch of ~1e5 elements' worth of calls and records the mean per call.
const BATCH_ELEMENTS = 1e5;
const BASELINE = 'plain JS';

function fail(message: string): never {
  console.error(`\nbench: ${message}`);
  process.exit(1);
}

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: SIZES },
    only: { type: 'string' },
    time: { type: 'string', default: '1000' },
    json: { type: 'string' },
    classes: { type: 'string', default: '10,1000' },
    'row-sizes': { type: 'string', default: '1e5' },
    rows: { type: 'string', default: '1000' },
    dim: { type: 'string', default: '128' },
    'tfjs-sizes': { type: 'string', default: '1e3,1e5,1e6' },
    inbatch: { type: 'string', default: '1024x128' },
    small: { type: 'boolean', default: false },
    'rank-sizes': { type: 'string', default: '1e6' },
    masks: { type: 'string', default: '16x65536' },
  },
});
const sizes = args.sizes.split(',').map((s) => Number(s.trim()));
if (sizes.some((n) => !Number.isSafeInteger(n) || n < 1)) fail(`--sizes must be positive integers; got ${args.sizes}`);
const timeMs = Number(args.time);
if (!(timeMs > 0)) fail(`--time must be a positive number of ms; got ${args.time}`);
const only = args.only?.split(',').map((s) => s.trim());
const inbatchNames = inbatchOf(lib).map((e) => e.name);
/** What --only may name: every registry loss, and the sections beside the registry. */
const benchable = [...registry.map((e) => e.name), ...inbatchNames, 'confusionMatrix', 'rocAuc'];
for (const name of only ?? []) if (!benchable.includes(name)) fail(`--only: no loss named '${name}'`);
const classCounts = args.classes.split(',').map((s) => Number(s.trim()));
const rowSizes = args['row-sizes'].split(',').map((s) => Number(s.trim()));
if (classCounts.some((c) => !Number.isSafeInteger(c) || c < 1)) fail(`--classes must be positive integers; got ${args.classes}`);
if (rowSizes.some((n) => !Number.isSafeInteger(n) || n < 1)) fail(`--row-sizes must be positive integers; got ${args['row-sizes']}`);
const maskShape = args.masks.split('x').map(Number) as [number, number];
if (maskShape.length !== 2 || maskShape.some((x) => !Number.isSafeInteger(x) || x < 1))
  fail(`--masks must be rowsxvalues; got ${args.masks}`);
const embedRows = Number(args.rows);
const embedDim = Number(args.dim);
if (!Number.isSafeInteger(embedRows) || embedRows < 1 || !Number.isSafeInteger(embedDim) || embedDim < 1) {
  fail(`--rows and --dim must be positive integers; got ${args.rows}, ${args.dim}`);
}

// Every entry must be benchmarkable, not just the selected ones: a loss without a baseline is a gap to fix.
// (Row-wise metrics have no gradient: withGrad does not apply to them. An elementwise loss without a
// hand-written loop is timed against its float64 reference's formula in a loop, and says so.)
for (const e of registry) {
  if (e.kind === 'rowwise' && e.metric) continue;
  if (e.kind === 'embedding') {
    if (!plainEmbedding[e.name]) fail(`registry entry '${e.name}' has no plain-JS implementation: add one to bench/plain-embedding.ts`);
    continue;
  }
  if (e.kind === 'ternary') {
    if (!plainTernary[e.name]) fail(`registry entry '${e.name}' has no plain-JS implementation: add one to bench/plain-ternary.ts`);
    continue;
  }
  if (e.kind === 'similarity') {
    if (!plainSimilarity[e.name]) fail(`registry entry '${e.name}' has no plain-JS implementation: add one to bench/plain-similarity.ts`);
    continue;
  }
  if (e.kind === 'rowwise' && !plain[e.name]) fail(`registry entry '${e.name}' has no plain-JS implementation: add one to bench/plain.ts`);
}

/** What one table times: a loss with its options, the sizes, and how its data is drawn. */
interface Item {
  name: string;
  loss: any;
  opts: Opts;
  sizes: number[];
  data(n: number, rand: () => number): { y: Float32Array | Int32Array; p: Float32Array };
  plain: PlainLoss;
  /** The timed baselines: copies of `plain` of their own, one for each way it is called (ownCopy). */
  baselines: { fresh: PlainLoss; out: PlainLoss };
  /** The baseline is the float64 reference's formula in a loop, not a hand-written one. */
  referenceBaseline?: boolean;
  /** How a size reads in its table (rows × values); else as N. */
  label?(n: number): string;
}

// Each build compiled once: re-instantiating a compiled Module reuses V8's optimised code, so
// switching builds between tasks does not put a task back on the baseline compiler.
const builds = {
  simd: new WebAssembly.Module(readFileSync(new URL('../wasm/simdloss-simd.wasm', import.meta.url))),
  scalar: new WebAssembly.Module(readFileSync(new URL('../wasm/simdloss-scalar.wasm', import.meta.url))),
};
let active: boolean | undefined;
/** The library has one global instance: (re)initialise it only when the wanted build is not the live one. */
function use(simd: boolean): void {
  if (active === simd) return;
  active = undefined;
  const info = initSync(simd ? builds.simd : builds.scalar);
  if (info.simd !== simd) fail(`initSync of the ${simd ? 'SIMD' : 'scalar'} build reports simd: ${info.simd}`);
  active = simd;
}

type Opts = Record<string, number>;
/** Runs in the task's beforeAll: picks the build, places the data; returns the call to time. */
type Variant = { name: string; prepare(e: Item, y: Float32Array | Int32Array, p: Float32Array, opts: Opts): Prepared<LossAndGrad> };

const VARIANTS: Variant[] = [
  {
    name: 'simdloss', // ordinary arrays, streamed through the scratch area; a new grad per call
    prepare: (e, y, p, opts) => {
      use(true);
      return { call: ownCall(e.loss.withGrad, y, p, opts) };
    },
  },
  {
    name: 'simdloss, out', // ordinary arrays, gradient into a reused ordinary array: the staging cost alone
    prepare: (e, y, p, opts) => {
      use(true);
      const o = { ...opts, out: new Float32Array(p.length) };
      return { call: ownCall(e.loss.withGrad, y, p, o) };
    },
  },
  {
    name: 'zero-copy', // inputs and grad live in wasm memory
    prepare(e, y, p, opts) {
      use(true); // first: a re-init invalidates every WasmArray
      const place = (src?: Float32Array | Int32Array) => {
        const w = src instanceof Int32Array ? alloc(src.length, 'i32') : alloc(src?.length ?? p.length, 'f32');
        if (src) w.array.set(src as never);
        return w;
      };
      const [wy, wp, out] = [place(y), place(p), place()];
      const o = { ...opts, out };
      return {
        call: ownCall(e.loss.withGrad, wy, wp, o),
        free: () => {
          for (const w of [wy, wp, out]) w.free();
        },
      };
    },
  },
  {
    name: 'scalar build', // as 'simdloss', on the build for runtimes without wasm SIMD
    prepare: (e, y, p, opts) => {
      use(false);
      return { call: ownCall(e.loss.withGrad, y, p, opts) };
    },
  },
  {
    name: BASELINE,
    prepare: (e, y, p, opts) => ({ call: ownCall(e.baselines.fresh, y, p, opts) }),
  },
  {
    name: 'plain JS, out', // the baseline with a reused gradient array: compare with 'simdloss, out'
    prepare: (e, y, p, opts) => ({ call: ownCall(e.baselines.out, y, p, opts, new Float32Array(p.length)) }),
  },
];

const seedOf = (s: string): number => [...s].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261);

/** Fails unless `got` matches the plain-JS result: loss within 1e-5 relative, grad within 1e-5 per element (relative beyond 1). */
function check(what: string, got: LossAndGrad, want: LossAndGrad): void {
  if (!(Math.abs(got.loss - want.loss) <= 1e-5 * Math.abs(want.loss))) fail(`${what}: loss ${got.loss}, plain JS ${want.loss}`);
  if (got.grad.length !== want.grad.length) fail(`${what}: grad has ${got.grad.length} elements, plain JS ${want.grad.length}`);
  for (let i = 0; i < want.grad.length; i++) {
    // (float32 gradients: an absolute 1e-5 is below an ulp of a gradient beyond 128)
    if (!(Math.abs(got.grad[i]! - want.grad[i]!) <= 1e-5 * Math.max(1, Math.abs(want.grad[i]!))))
      fail(`${what}: grad[${i}] ${got.grad[i]}, plain JS ${want.grad[i]}`);
  }
}

interface Row {
  loss: string;
  n: number;
  variant: string;
  medianNs: number;
  madNs: number;
  samples: number;
  callsPerSample: number;
}
const rows: Row[] = [];

const fmtN = (n: number): string => (n >= 1e4 ? n.toExponential().replace('+', '') : String(n));
const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toPrecision(2));
const median = (loss: string, n: number, variant: string): number | undefined =>
  rows.find((r) => r.loss === loss && r.n === n && r.variant === variant)?.medianNs;

console.log(`simdloss bench: withGrad, float32, mean reduction; medians of tinybench samples from ${ROUNDS} interleaved rounds`);
console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'} (${os.cpus().length} cores), ${os.platform()} ${os.arch()}`);
console.log(`node ${process.version} (V8 ${process.versions.v8}), ${new Date().toISOString()}, ${timeMs} ms per task`);

/** Two copies of a baseline (`make` compiles one), one per variant: each sees the one way it is called. */
const baselinesOf = (make: () => PlainLoss): Item['baselines'] => ({ fresh: make(), out: make() });
const defaults = (options: readonly { name: string; default: number }[]): Opts =>
  Object.fromEntries(options.map((o) => [o.name, o.default]));
const items: Item[] = [
  ...elementwiseRegistry.map((e) => ({
    name: e.name,
    loss: e.loss,
    opts: defaults(e.options),
    sizes,
    plain: plain[e.name] ?? (referenceLoop(e.reference, Float32Array) as PlainLoss),
    baselines: baselinesOf(() => {
      const handWritten = plain[e.name];
      return handWritten ? ownCopy(handWritten) : (referenceLoop(e.reference, Float32Array) as PlainLoss);
    }),
    referenceBaseline: plain[e.name] === undefined,
    data: (n: number, rand: () => number) => elementData(e, n, rand),
  })),
  // Row-wise losses: logits from the entry's domain; labels, or one-hot rows.
  ...rowwiseRegistry
    .filter((e) => !e.metric)
    .flatMap((e) =>
      classCounts.map((C) => ({
        name: `${e.name} C=${C}`,
        loss: e.loss,
        opts: { ...defaults(e.options), classes: C },
        plain: plain[e.name]!,
        baselines: baselinesOf(() => ownCopy(plain[e.name]!)),
        sizes: rowSizes.map((n) => Math.max(C, Math.round(n / C) * C)),
        data: (n: number, rand: () => number) => rowData(e, n, C, rand),
      })),
    ),
  // Similarity losses: masks of 0/1 against probabilities (dice, tversky), or rows from the domain.
  ...similarityRegistry.map((e) => {
    const [rows, dim] = e.masks ? maskShape : [embedRows, embedDim];
    return {
      name: e.name,
      loss: e.loss,
      opts: { ...defaults(e.options), dim },
      plain: plainSimilarity[e.name]!,
      baselines: baselinesOf(() => ownCopy(plainSimilarity[e.name]!)),
      sizes: [rows * dim],
      label: () => `${rows}×${dim}`,
      data(n: number, rand: () => number) {
        const y = uniform(Float32Array, n, e.domain.target, rand);
        if (e.masks) for (let i = 0; i < n; i++) y[i] = rand() < 0.3 ? 1 : 0;
        return { y, p: uniform(Float32Array, n, e.domain.pred, rand) };
      },
    };
  }),
];

use(true);
const selected = (name: string): boolean => !args.small && (!only || only.some((o) => name === o || name.startsWith(`${o} `)));
for (const e of items.filter((e) => selected(e.name))) {
  const opts = e.opts;
  for (const n of e.sizes) {
    process.stderr.write(`\r${e.name} N=${fmtN(n)}...         `);
    const rand = random(seedOf(e.name) ^ n);
    const { y, p } = e.data(n, rand);

    // Honest comparison first: every variant must compute what the plain JS loop computes.
    const want = e.plain(y, p, opts);
    for (const v of VARIANTS) {
      const prep = v.prepare(e, y, p, opts);
      check(`${e.name} N=${n} ${v.name}`, prep.call(), want);
      prep.free?.();
    }

    const reps = Math.max(1, Math.round(BATCH_ELEMENTS / n));
    const pooled = await measure(
      VARIANTS.map((v) => ({ name: v.name, prepare: () => v.prepare(e, y, p, opts) })),
      reps,
      `${e.name} N=${n}`,
      timeMs,
    );
    for (const [variant, ms] of pooled) {
      const med = medianOf(ms);
      rows.push({
        loss: e.name,
        n,
        variant,
        callsPerSample: reps,
        samples: ms.length,
        medianNs: med * 1e6,
        madNs: medianOf(ms.map((x) => Math.abs(x - med))) * 1e6,
      });
    }
  }
  process.stderr.write('\r\x1b[K');

  // One table per loss: throughput and the ratio to plain JS (higher = faster).
  console.log(`\n${e.name} ${JSON.stringify(opts)}`);
  if (e.referenceBaseline)
    console.log(`(baseline '${BASELINE}': the float64 reference's formula in a loop; bench/plain.ts has no hand-written loop for it)`);
  const label = e.label ?? fmtN;
  const width = Math.max(7, ...e.sizes.map((n) => label(n).length));
  console.log(['N'.padStart(width), 'variant'.padEnd(14), 'el/ns'.padStart(8), 'vs plain JS', 'spread (MAD)'].join('  '));
  for (const n of e.sizes) {
    const base = median(e.name, n, BASELINE)!;
    for (const r of rows.filter((r) => r.loss === e.name && r.n === n)) {
      const t = r.medianNs;
      const cells = [label(n).padStart(width), r.variant.padEnd(14), fmt(n / t).padStart(8), `${fmt(base / t)}×`.padStart(11)];
      console.log(`${cells.join('  ')}  ±${Math.round((100 * r.madNs) / t)}%`);
    }
  }
  // Time of b over time of a: how many times faster a is (or, read the other way, a's time relative to b's).
  const faster = (n: number, a: string, b: string): string => {
    const ta = median(e.name, n, a);
    const tb = median(e.name, n, b);
    return ta && tb ? fmt(tb / ta) : 'n/a';
  };
  // At N = 1e5, or at the item's own size where it has one (a similarity loss's batch); N = 16 where timed.
  const big = e.sizes.includes(1e5) ? 1e5 : e.sizes[e.sizes.length - 1]!;
  const small = e.sizes.includes(16) ? `; N=16 time simdloss/plain ${faster(16, BASELINE, 'simdloss')} (< 1: simdloss faster)` : '';
  console.log(
    `${e.name} summary: ${e.label ? label(big) : `N=${fmtN(big)}`} speed simdloss/plain ${faster(big, 'simdloss', BASELINE)}, ` +
      `zero-copy/plain ${faster(big, 'zero-copy', BASELINE)}, (simdloss, out)/(plain JS, out) ${faster(big, 'simdloss, out', 'plain JS, out')}, ` +
      `zero-copy/simdloss ${faster(big, 'zero-copy', 'simdloss')}, zero-copy/(simdloss, out) ${faster(big, 'zero-copy', 'simdloss, out')}${small}`,
  );
  const plainNs = median(e.name, big, BASELINE)!;
  // A similarity loss's gradient is megabytes; nll's plain loop does little besides allocating its
  // gradient (a quarter or more of its time goes to the new array). What the new array costs is the
  // plain loop's own new-array time, in this run: a separate micro-measure of `new` + `set` meets
  // other page faults and collections than a call does (docs/benchmarks.md, the floor measured).
  if (e.label || (big >= 1e4 && 1 - median(e.name, big, 'plain JS, out')! / plainNs >= 0.25)) {
    const us = (ns: number) => `${(ns / 1e3).toFixed(ns < 1e5 ? 1 : 0)} µs`;
    const plainOut = median(e.name, big, 'plain JS, out')!;
    const floor = plainNs - plainOut;
    const over = median(e.name, big, 'simdloss')! - median(e.name, big, 'simdloss, out')!;
    const zero = median(e.name, big, 'zero-copy')!;
    console.log(
      `${e.name} new-array floor: plain JS − (plain JS, out) ${us(floor)}, simdloss − (simdloss, out) ${us(over)}; ` +
        `the floor is ${Math.round((100 * floor) / plainNs)} % of the plain loop's ${us(plainNs)}, so a call returning a new array ` +
        `can be at most ~${fmt(plainNs / floor)}× faster than it (~${fmt(plainNs / (zero + floor))}× with zero copy's time added)`,
    );
    // Into `out`, the least any call does is write the gradient: `fill(0)` over it, timed here.
    const fill = fillNs(big);
    console.log(
      `${e.name} gradient-write floor: out.fill(0) over its ${fmtN(big)} values ${us(fill)}, ${Math.round((100 * fill) / plainOut)} % of ` +
        `the plain loop into out (${us(plainOut)}), so a call into out can be at most ~${fmt(plainOut / fill)}× faster than it`,
    );
  }
}

/** Wall ns of `fill(0)` over a reused float32 array of n values: the least of 21 samples of ≥ 2 ms each (a floor: the least is its estimate). */
function fillNs(n: number): number {
  const a = new Float32Array(n);
  // the first tens of ms of fills run slower (1.7–6× at 1e5 values in a fresh process): warm up first
  for (const end = performance.now() + 100; performance.now() < end; ) a.fill(0);
  let reps = 1;
  for (let t = 0; t < 2e6; reps *= 2) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) a.fill(0);
    t = (performance.now() - t0) * 1e6;
  }
  const times: number[] = [];
  for (let s = 0; s < 21; s++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) a.fill(0);
    times.push(((performance.now() - t0) * 1e6) / reps);
  }
  return Math.min(...times);
}

// Embedding losses: the same variants at one batch of embedRows × embedDim, float32, default options;
// three-input losses (the target in the label's place) at each size.
type Call = () => { loss: number; grad: Record<string, Float32Array> };
type RowsEntry = EmbeddingEntry | TernaryEntry;
interface EmbedVariant {
  name: string;
  prepare(e: RowsEntry, label: Float32Array | undefined, xs: Float32Array[], opts: Opts): Prepared<EmbeddingResult>;
}
const EMBED_VARIANTS: EmbedVariant[] = [
  {
    name: 'simdloss',
    prepare: (e, label, xs, opts) => {
      use(true);
      return { call: embedCall(e, label, xs, opts) };
    },
  },
  {
    name: 'simdloss, out',
    prepare: (e, label, xs, opts) => {
      use(true);
      const out = Object.fromEntries(e.inputs.map((k) => [k, new Float32Array(xs[0]!.length)]));
      return { call: embedCall(e, label, xs, { ...opts, out }) };
    },
  },
  {
    name: 'zero-copy',
    prepare(e, label, xs, opts) {
      use(true);
      const placed = [label, ...xs].map((src) => {
        const w = alloc(src?.length ?? 0, 'f32');
        if (src) w.array.set(src);
        return w;
      });
      const outs = e.inputs.map(() => alloc(xs[0]!.length, 'f32'));
      const out = Object.fromEntries(e.inputs.map((k, j) => [k, outs[j]!]));
      const [wl, ...wx] = placed;
      return {
        call: embedCall(e, label && wl, wx, { ...opts, out }),
        free: () => {
          for (const w of [...placed, ...outs]) w.free();
        },
      };
    },
  },
  {
    name: 'scalar build',
    prepare: (e, label, xs, opts) => {
      use(false);
      return { call: embedCall(e, label, xs, opts) };
    },
  },
  // (each baseline a copy of its own, as the elementwise ones: ownCopy)
  { name: BASELINE, prepare: (e, label, xs, opts) => ({ call: ownCall(ownCopy(plainRows[e.name]!), label, xs, opts) }) },
  {
    name: 'plain JS, out',
    prepare: (e, label, xs, opts) => {
      const out = xs.map((x) => new Float32Array(x.length));
      return { call: ownCall(ownCopy(plainRows[e.name]!), label, xs, opts, out) };
    },
  },
];

function embedCall(e: RowsEntry, label: unknown, xs: unknown[], opts: Record<string, unknown>): Call {
  const loss = e.loss as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- one call shape for both signatures
  const arrays = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, (v as { array?: Float32Array }).array ?? v])) as Record<string, Float32Array>;
  const toResult = (r: { loss: number; grad: Record<string, unknown> }) => ({ loss: r.loss, grad: arrays(r.grad) });
  if (e.inputs.length === 2) return () => toResult(loss.withGrad(label, xs[0], xs[1], opts));
  return () => toResult(loss.withGrad(xs[0], xs[1], xs[2], opts));
}

function checkEmbedding(what: string, got: EmbeddingResult, want: EmbeddingResult): void {
  if (!(Math.abs(got.loss - want.loss) <= 1e-5 * Math.abs(want.loss) + 1e-9)) fail(`${what}: loss ${got.loss}, plain JS ${want.loss}`);
  for (const [k, g] of Object.entries(want.grad)) {
    const h = got.grad[k];
    if (!h || h.length !== g.length) fail(`${what}: grad.${k} missing or of another length`);
    for (let i = 0; i < g.length; i++) {
      if (!(Math.abs(h[i]! - g[i]!) <= 1e-6 + 1e-5 * Math.abs(g[i]!))) fail(`${what}: grad.${k}[${i}] ${h[i]}, plain JS ${g[i]}`);
    }
  }
}

for (const e of embeddingRegistry.filter((e) => selected(e.name))) {
  const opts: Opts = { ...Object.fromEntries(e.options.map((o) => [o.name, o.default])), dim: embedDim };
  const n = embedRows * embedDim;
  const size = `${fmtN(embedRows)}×${embedDim}`;
  process.stderr.write(`\r${e.name} ${size}...         `);
  const rand = random(seedOf(e.name) ^ n);
  const xs = e.inputs.map(() => uniform(Float32Array, n, [-1, 1], rand));
  const label =
    e.labels === 'none' ? undefined : Float32Array.from({ length: embedRows }, () => (rand() < 0.5 ? (e.labels === 'sign' ? -1 : 0) : 1));
  await timeRows(e, label, xs, opts, n, size, `${embedRows} rows × dim ${embedDim}`);
}

for (const e of ternaryRegistry.filter((e) => selected(e.name))) {
  const opts: Opts = Object.fromEntries(e.options.map((o) => [o.name, o.default]));
  for (const n of sizes) {
    process.stderr.write(`\r${e.name} N=${fmtN(n)}...         `);
    const rand = random(seedOf(e.name) ^ n);
    const y = uniform(Float32Array, n, e.domain.target, rand);
    if (e.labels)
      for (let i = 0; i < n; i++) if (rand() < e.labels.share) y[i] = e.labels.values[Math.floor(rand() * e.labels.values.length)]!;
    const xs = [uniform(Float32Array, n, e.domain.a, rand), uniform(Float32Array, n, e.domain.b, rand)];
    await timeRows(e, y, xs, opts, n, fmtN(n), `N = ${fmtN(n)}`);
  }
}

/** Checks every variant against plain JS, times them, prints the table and the summary line. */
async function timeRows(
  e: RowsEntry,
  label: Float32Array | undefined,
  xs: Float32Array[],
  opts: Opts,
  n: number,
  size: string,
  what: string,
) {
  const want = plainRows[e.name]!(label, xs, opts);
  for (const v of EMBED_VARIANTS) {
    const prep = v.prepare(e, label, xs, opts);
    checkEmbedding(`${e.name} ${size} ${v.name}`, prep.call(), want);
    prep.free?.();
  }
  const reps = Math.max(1, Math.round(BATCH_ELEMENTS / n));
  const pooled = await measure(
    EMBED_VARIANTS.map((v) => ({ name: v.name, prepare: () => v.prepare(e, label, xs, opts) })),
    reps,
    `${e.name} ${size}`,
    timeMs,
  );
  for (const [variant, ms] of pooled) {
    const med = medianOf(ms);
    rows.push({
      loss: e.name,
      n,
      variant,
      callsPerSample: reps,
      samples: ms.length,
      medianNs: med * 1e6,
      madNs: medianOf(ms.map((x) => Math.abs(x - med))) * 1e6,
    });
  }
  process.stderr.write('\r\x1b[K');
  console.log(`\n${e.name} ${JSON.stringify(opts)}, ${what}`);
  console.log(
    [
      (e.kind === 'embedding' ? 'rows×dim' : 'N').padStart(9),
      'variant'.padEnd(14),
      'el/ns'.padStart(8),
      'vs plain JS',
      'spread (MAD)',
    ].join('  '),
  );
  const base = median(e.name, n, BASELINE)!;
  for (const r of rows.filter((r) => r.loss === e.name && r.n === n)) {
    const cells = [size.padStart(9), r.variant.padEnd(14), fmt(n / r.medianNs).padStart(8), `${fmt(base / r.medianNs)}×`.padStart(11)];
    console.log(`${cells.join('  ')}  ±${Math.round((100 * r.madNs) / r.medianNs)}%`);
  }
  const ratio = (a: string, b: string): string => fmt(median(e.name, n, b)! / median(e.name, n, a)!);
  console.log(
    `${e.name} summary: ${size} speed simdloss/plain ${ratio('simdloss', BASELINE)}, zero-copy/plain ${ratio('zero-copy', BASELINE)}, ` +
      `(simdloss, out)/(plain JS, out) ${ratio('simdloss, out', 'plain JS, out')}, scalar build/plain ${ratio('scalar build', BASELINE)}`,
  );
}

// The sections below call the library as a user would, on the live build: the SIMD one (the rows'
// scalar-build variant leaves the scalar build live, and confusionMatrix was once timed on it).
use(true);
if (!args.small && (!only || only.includes('confusionMatrix'))) await benchConfusion(timeMs);
const [inbatchRows, inbatchDim] = args.inbatch.split('x').map(Number) as [number, number];
if (!(Number.isSafeInteger(inbatchRows) && inbatchRows > 1 && Number.isSafeInteger(inbatchDim) && inbatchDim > 0)) {
  fail(`--inbatch must be rows x dim, e.g. 1024x128; got ${args.inbatch}`);
}
if (!args.small && (!only || only.some((name) => inbatchNames.includes(name)))) await benchInbatch(inbatchRows, inbatchDim, 2 * timeMs);
if (!only || args.small) {
  await benchSmallBatch(timeMs, () => use(true));
  await benchTraining(timeMs);
}
if (!args.small && (!only || only.includes('rocAuc'))) await benchRanking(args['rank-sizes'].split(',').map(Number), timeMs);
if (!only && !args.small) {
  await benchMath(timeMs / 2);
  await benchTfjs(args['tfjs-sizes'].split(',').map(Number), timeMs / 3);
}

if (sawNaN()) console.log('(a loss was NaN)');
if (args.json) {
  const machine = { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version, v8: process.versions.v8 };
  writeFileSync(args.json, `${JSON.stringify({ date: new Date().toISOString(), machine, timeMs, results: rows }, null, 2)}\n`);
  console.log(`\nraw medians written to ${args.json}`);
}
