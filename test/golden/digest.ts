// The numbers themselves, pinned: a short hash of the output bits of each math function and of
// each loss and gradient call, over fixed seeded inputs. No test-runner import: the test and the
// update script (update.ts) compute the same thing.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SLOT_BYTES } from '../../src/core/abi.js';
import * as lib from '../../src/node.js';
import { binaryAccuracy, initSync } from '../../src/node.js';
import { type Audit, loadAudit } from '../audit.js';
import { elementwiseData, random, ternaryData, uniform } from '../random.js';
import {
  type ElementwiseEntry,
  type EmbeddingEntry,
  type InbatchEntry,
  inbatchOf,
  type RowwiseEntry,
  registryOf,
  type SimilarityEntry,
  type TernaryEntry,
  targetsFor,
} from '../registry.js';

export type Digest = Record<string, string>;
/**
 * Elements (math outputs, 'none' losses, gradients) are the same bits in both builds; reduced
 * numbers add partial sums in an order of the build's own (its lanes), so each build has its own.
 */
export interface Digests {
  elements: Digest;
  reduced: Digest;
}
type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
type AnyLoss = any; // the registry holds losses of several signatures; each call passes the right arguments

export const BUILD_NAMES = ['simd', 'scalar'] as const;
const DTYPES: readonly [string, Ctor][] = [
  ['f32', Float32Array],
  ['f64', Float64Array],
];

/** Bit patterns of numbers, typed arrays and objects of them; any NaN hashes as the quiet NaN, since wasm leaves a NaN's sign and payload open. */
function bytesOf(value: unknown, out: Uint8Array[]): void {
  if (typeof value === 'number') {
    out.push(new Uint8Array(new Float64Array([Number.isNaN(value) ? NaN : value]).buffer));
  } else if (value instanceof Float32Array || value instanceof Float64Array) {
    const copy = value.slice();
    for (let i = 0; i < copy.length; i++) if (Number.isNaN(copy[i])) copy[i] = NaN;
    out.push(new Uint8Array(copy.buffer));
  } else if (value && typeof value === 'object') {
    for (const key of Object.keys(value).sort()) {
      out.push(new TextEncoder().encode(key));
      bytesOf((value as Record<string, unknown>)[key], out);
    }
  } else {
    throw new Error(`digest: cannot hash ${String(value)}`);
  }
}

export function hash(value: unknown): string {
  const parts: Uint8Array[] = [];
  bytesOf(value, parts);
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex').slice(0, 16);
}

// ---------------------------------------------------------------- math (the audit build's entry)

/** assembly/audit.ts's function codes; float64 forms exist for the first five. */
const MATH = { exp: 0, log: 1, log1p: 2, softplus: 3, sigmoid: 4, expQuick: 5, expNonPositive: 8 } as const;
const MATH_RANGES: Record<keyof typeof MATH, readonly [number, number]> = {
  exp: [-110, 90],
  log: [0, 4],
  log1p: [-1, 4],
  softplus: [-40, 40],
  sigmoid: [-40, 40],
  expQuick: [-110, 90],
  expNonPositive: [-110, 0],
};
// Not a multiple of 4: the scalar tail of the vector loop is hashed too.
const MATH_SAMPLES = 20_003;

/** Half random bit patterns (every binade, NaNs, infinities), half uniform over the working range. */
function mathInputs(Ctor: Ctor, range: readonly [number, number], seed: number): Float32Array | Float64Array {
  const rand = random(seed);
  const xs = new Ctor(MATH_SAMPLES);
  const half = Math.floor(MATH_SAMPLES / 2);
  const words = new Uint32Array(xs.buffer, 0, half * (xs.BYTES_PER_ELEMENT / 4));
  for (let i = 0; i < words.length; i++) words[i] = Math.floor(rand() * 2 ** 32);
  for (let i = half; i < MATH_SAMPLES; i++) xs[i] = range[0] + (range[1] - range[0]) * rand();
  return xs;
}

function evaluate(audit: Audit, fn: number, xs: Float32Array | Float64Array): Float32Array | Float64Array {
  const base = Math.ceil(audit.heapBase() / 16) * 16;
  const need = base + 2 * xs.byteLength + 16 - audit.memory.buffer.byteLength;
  if (need > 0) audit.memory.grow(Math.ceil(need / 65536));
  const Ctor = xs.constructor as Ctor;
  new Ctor(audit.memory.buffer, base, xs.length).set(xs);
  audit.evaluate(fn, xs.BYTES_PER_ELEMENT, base, base + xs.byteLength, xs.length);
  return new Ctor(audit.memory.buffer, base + xs.byteLength, xs.length).slice();
}

export function mathDigest(build: 'simd' | 'scalar'): Digest {
  const audit = loadAudit(build);
  const digest: Digest = {};
  let seed = 1;
  for (const [name, fn] of Object.entries(MATH)) {
    for (const [dtype, Ctor] of DTYPES) {
      seed++;
      if (dtype === 'f64' && fn > 4) continue;
      digest[`math ${name} ${dtype}`] = hash(evaluate(audit, fn, mathInputs(Ctor, MATH_RANGES[name as keyof typeof MATH], seed)));
    }
  }
  return digest;
}

// ---------------------------------------------------------------- losses (the shipped builds)

/** The calls pinned for each loss, option set and dtype. */
type Call = (opts: Record<string, unknown>, w: Float32Array | Float64Array) => Record<string, unknown>;

function calls(
  forward: (o: object) => unknown,
  method: (m: 'grad' | 'withGrad', o: object) => unknown,
  metric: boolean,
): Record<string, Call> {
  const c: Record<string, Call> = {
    mean: (o) => ({ v: forward(o) }),
    sum: (o) => ({ v: forward({ ...o, reduction: 'sum' }) }),
    none: (o) => ({ v: forward({ ...o, reduction: 'none' }) }),
    'weighted mean': (o, w) => ({ v: forward({ ...o, weights: w }) }),
    'weighted none': (o, w) => ({ v: forward({ ...o, weights: w, reduction: 'none' }) }),
  };
  if (metric) return c;
  return {
    ...c,
    grad: (o) => ({ v: method('grad', o) }),
    'grad none': (o) => ({ v: method('grad', { ...o, reduction: 'none' }) }),
    withGrad: (o) => ({ v: method('withGrad', o) }),
    'withGrad sum': (o) => ({ v: method('withGrad', { ...o, reduction: 'sum' }) }),
    'weighted grad': (o, w) => ({ v: method('grad', { ...o, weights: w }) }),
    'weighted withGrad none': (o, w) => ({ v: method('withGrad', { ...o, weights: w, reduction: 'none' }) }),
  };
}

/** A weighted mean's gradient divides by Σw, a reduction: its bits are the build's own. */
const REDUCED_CALLS = new Set(['weighted grad']);

/** A call's result, split: each array hashed under its path, the numbers (reductions) apart. */
function split(into: Digests, key: string, value: unknown, reduced: boolean): void {
  if (value instanceof Float32Array || value instanceof Float64Array) {
    (reduced ? into.reduced : into.elements)[key] = hash(value);
  } else if (typeof value === 'number') {
    into.reduced[key] = hash(value);
  } else {
    for (const [k, v] of Object.entries(value as object)) split(into, `${key}.${k}`, v, reduced);
  }
}

function record(
  into: Digests,
  prefix: string,
  table: Record<string, Call>,
  opts: Record<string, unknown>,
  w: Float32Array | Float64Array,
): void {
  for (const [name, call] of Object.entries(table)) split(into, `${prefix} ${name}`, call(opts, w).v, REDUCED_CALLS.has(name));
}

const ELEMENTS = 1031; // tiles of both dtypes, a tail, and more than one accumulation block of lanes

function elementwise(
  digest: Digests,
  entry: Pick<ElementwiseEntry, 'name' | 'domain' | 'labels' | 'extremes'>,
  loss: AnyLoss,
  cases: readonly Record<string, unknown>[],
  metric: boolean,
): void {
  for (const [dtype, Ctor] of DTYPES) {
    const rand = random(1000 + dtype.length);
    const { y, p } = elementwiseData(entry, Ctor, ELEMENTS, rand);
    // The entry's own edge pairs ride along at the end (the vector loop's last tiles and the tail).
    const edges = entry.extremes ?? [];
    const t = new Ctor(ELEMENTS + edges.length);
    const q = new Ctor(ELEMENTS + edges.length);
    t.set(y);
    q.set(p);
    edges.forEach(([a, b], i) => {
      t[ELEMENTS + i] = a;
      q[ELEMENTS + i] = b;
    });
    const w = uniform(Ctor, t.length, [0, 2], rand);
    const table = calls(
      (o) => loss(t, q, o),
      (m, o) => loss[m](t, q, o),
      metric,
    );
    for (const opts of cases) record(digest, `${entry.name} ${dtype} ${JSON.stringify(opts)}`, table, opts, w);
  }
}

/** Class counts on both sides of the row-wise kernels' switch of layout (32 classes). */
const CLASSES = [5, 37];
const ROWS = 11;

function rowwise(digest: Digests, entry: RowwiseEntry): void {
  const loss = entry.loss as AnyLoss;
  for (const C of CLASSES) {
    for (const [dtype, Ctor] of DTYPES) {
      const rand = random(2000 + C + dtype.length);
      const n = C * ROWS;
      const z = uniform(Ctor, n, entry.domain.pred, rand);
      // metrics: logits in steps of 0.5, so that ties decide some rows
      if (entry.metric) for (let i = 0; i < n; i++) z[i] = Math.round(z[i]! * 2) / 2;
      let t: Int32Array | Float32Array | Float64Array;
      if (entry.target === 'labels') {
        t = Int32Array.from({ length: ROWS }, () => Math.floor(rand() * C));
      } else {
        t = new Ctor(n);
        for (let r = 0; r < ROWS; r++) {
          if (r % 2 === 0) {
            t[r * C + Math.floor(rand() * C)] = 1;
            continue;
          }
          let s = 0;
          for (let k = 0; k < C; k++) s += t[r * C + k] = rand();
          for (let k = 0; k < C; k++) t[r * C + k] = t[r * C + k]! / s;
        }
      }
      const w = uniform(Ctor, ROWS, [0, 2], rand);
      const table = calls(
        (o) => loss(targetsFor(entry, o as Record<string, unknown>, t), z, o),
        (m, o) => loss[m](targetsFor(entry, o as Record<string, unknown>, t), z, o),
        entry.metric,
      );
      for (const c of entry.cases) {
        const opts: Record<string, unknown> = { classes: C };
        for (const [k, v] of Object.entries(c)) opts[k] = typeof v === 'function' ? v(C) : v;
        record(digest, `${entry.name} ${dtype} ${JSON.stringify({ ...c, classes: C })}`, table, opts, w);
      }
    }
  }
}

/** Dims on both sides of a vector tile and of the kernels' unrolled loop. */
const DIMS = [5, 131];

function embedding(digest: Digests, entry: EmbeddingEntry): void {
  const loss = entry.loss as AnyLoss;
  for (const dim of DIMS) {
    for (const [dtype, Ctor] of DTYPES) {
      const rand = random(3000 + dim + dtype.length);
      const xs = entry.inputs.map(() => uniform(Ctor, ROWS * dim, [-1, 1], rand));
      // every 4th row: the second input equals the first (a zero distance)
      for (let r = 0; r < ROWS; r += 4) xs[1]!.set(xs[0]!.subarray(r * dim, (r + 1) * dim), r * dim);
      const label = new Ctor(ROWS);
      for (let r = 0; r < ROWS; r++)
        label[r] = entry.labels === 'sign' ? (rand() < 0.5 ? -1 : 1) : rand() < 0.4 ? 0 : rand() < 0.8 ? 1 : rand();
      const args = entry.labels === 'none' ? xs : [label, ...xs];
      const w = uniform(Ctor, ROWS, [0, 2], rand);
      const table = calls(
        (o) => loss(...args, o),
        (m, o) => loss[m](...args, o),
        false,
      );
      for (const c of entry.cases) record(digest, `${entry.name} ${dtype} ${JSON.stringify({ ...c, dim })}`, table, { ...c, dim }, w);
    }
  }
}

function ternary(digest: Digests, entry: TernaryEntry): void {
  const loss = entry.loss as AnyLoss;
  for (const [dtype, Ctor] of DTYPES) {
    for (const opts of entry.cases) {
      const rand = random(4000 + dtype.length);
      const d = ternaryData(entry, Ctor, ELEMENTS, rand, opts);
      // The entry's extremes ride along at the end (the vector loop's last tiles and the tail).
      const edges = entry.extremes;
      const args = [d.y, d.a, d.b].map((x, j) => {
        const all = new Ctor(ELEMENTS + edges.length);
        all.set(x);
        edges.forEach((e, i) => {
          all[ELEMENTS + i] = e[j]!;
        });
        return all;
      });
      const w = uniform(Ctor, args[0]!.length, [0, 2], rand);
      const table = calls(
        (o) => loss(...args, o),
        (m, o) => loss[m](...args, o),
        false,
      );
      record(digest, `${entry.name} ${dtype} ${JSON.stringify(opts)}`, table, opts, w);
    }
  }
}

/** Rows within a slot, and wider than one (float32 and float64), with masks and an empty row among them. */
const SIMILARITY_DIMS = [5, 131, 8193];

function similarity(digest: Digests, entry: SimilarityEntry): void {
  const loss = entry.loss as AnyLoss;
  for (const dim of SIMILARITY_DIMS) {
    const rows = dim > 1000 ? 3 : ROWS;
    for (const [dtype, Ctor] of DTYPES) {
      const rand = random(5000 + dim + dtype.length);
      const y = uniform(Ctor, rows * dim, entry.domain.target, rand);
      const p = uniform(Ctor, rows * dim, entry.domain.pred, rand);
      for (let r = 0; r < rows; r++) {
        if (r % 4 === 1) y.fill(0, r * dim, (r + 1) * dim);
        else if (entry.masks && r % 2 === 0) for (let k = r * dim; k < (r + 1) * dim; k++) y[k] = rand() < 0.4 ? 1 : 0;
      }
      const w = uniform(Ctor, rows, [0, 2], rand);
      const table = calls(
        (o) => loss(y, p, o),
        (m, o) => loss[m](y, p, o),
        false,
      );
      for (const c of entry.cases) record(digest, `${entry.name} ${dtype} ${JSON.stringify({ ...c, dim })}`, table, { ...c, dim }, w);
    }
  }
}

/** Batch shapes of the in-batch losses: a tail of the 2 × 4 logit blocks and of the lanes; more than a 16-row strip. */
const BATCHES = [
  [19, 5],
  [7, 131],
] as const;

function inbatch(digest: Digests, entry: InbatchEntry): void {
  const loss = entry.loss as AnyLoss;
  for (const [n, dim] of BATCHES) {
    for (const [dtype, Ctor] of DTYPES) {
      const rand = random(5000 + n + dim + dtype.length);
      const a = uniform(Ctor, n * dim, [-1, 1], rand);
      const b = uniform(Ctor, n * dim, [-1, 1], rand);
      b.set(a.subarray(0, dim)); // a positive equal to its anchor
      a.fill(0, dim, 2 * dim); // a zero row
      const table = Object.fromEntries(
        Object.entries(
          calls(
            (o) => loss(a, b, o),
            (m, o) => loss[m](a, b, o),
            false,
          ),
        ).filter(([name]) => !name.startsWith('weighted')),
      );
      for (const c of entry.reference.cases)
        record(digest, `${entry.name} ${dtype} ${JSON.stringify({ ...c, dim, n })}`, table, { ...c, dim }, a);
    }
  }
}

/** The counting metrics (outside the registry): score rows with ties, weights of any value, every bin. */
function counting(digest: Digests): void {
  for (const [dtype, Ctor] of DTYPES) {
    const rand = random(4242);
    const n = ELEMENTS;
    const labels = Int32Array.from({ length: n }, () => Math.floor(rand() * 7));
    const scores = uniform(Ctor, 7 * n, [0, 5], rand).map(Math.floor); // ties in most rows
    const w = uniform(Ctor, n, [0, 3], rand);
    const binary = labels.map((t) => t & 1);
    const probs = uniform(Ctor, n, [0, 1], rand);
    split(digest, `confusionMatrix ${dtype}`, lib.confusionMatrix(labels, scores, { classes: 7, weights: w }), false);
    split(digest, `binaryConfusion ${dtype}`, lib.binaryConfusion(binary, probs, { threshold: 0.3, weights: w }), false);
    split(digest, `calibration ${dtype}`, lib.calibration(binary, probs, { bins: 13, weights: w }), false);
  }
}

/** Past three float64 slots: a call chunked through the slots adds its sums in another grouping. */
const ZERO_COPY = (3 * SLOT_BYTES) / 8 + 5;

/**
 * Calls with every array in wasm memory, longer than a slot: one kernel call each, whose float64
 * sums differ in their last bits from those of the same call staged through the slots a chunk at a
 * time (an ordinary array's), so taking the copy path for WasmArrays is a change of numbers.
 */
function zeroCopy(digest: Digests): void {
  for (const [dtype, Ctor] of DTYPES) {
    const rand = random(6000 + dtype.length);
    const held: lib.WasmArray<'f32' | 'f64'>[] = [];
    const wasmOf = (range: readonly [number, number]) => {
      const a = lib.alloc(ZERO_COPY, dtype as 'f32' | 'f64');
      a.array.set(uniform(Ctor, ZERO_COPY, range, rand));
      held.push(a);
      return a as never;
    };
    const y = wasmOf([-2, 2]);
    const p = wasmOf([-2, 2]);
    const w = wasmOf([0, 2]);
    const v = wasmOf([0.5, 2.5]);
    const o1 = wasmOf([0, 1]);
    const o2 = wasmOf([0, 1]);
    const at = (call: string, value: unknown) => split(digest, `zero copy ${call} ${dtype}`, value, true);
    at('mse withGrad weighted out', lib.mse.withGrad(y, p, { weights: w, out: o1 }).loss);
    at('mse withGrad out', lib.mse.withGrad(y, p, { out: o1 }).loss);
    at('mse weighted', lib.mse(y, p, { weights: w }));
    at('mse', lib.mse(y, p));
    at('mse of target and variance', lib.mse(y, v));
    at('mse of weights and pred', lib.mse(w, p));
    // after a gradient into new arrays: the loss alone must not take that call's copy path
    lib.gaussianNLL.grad(y, p, v);
    at('gaussianNLL weighted', lib.gaussianNLL(y, p, v, { weights: w }));
    at('gaussianNLL', lib.gaussianNLL(y, p, v));
    at('gaussianNLL of variance and target', lib.gaussianNLL(v, y, v));
    at('gaussianNLL of weights', lib.gaussianNLL(w, p, v));
    at('gaussianNLL withGrad weighted out', lib.gaussianNLL.withGrad(y, p, v, { weights: w, out: { mean: o1, variance: o2 } }).loss);
    for (const a of held) a.free();
  }
}

/** Every loss and metric of the registry, and binaryAccuracy (a metric outside it), in one build. */
export function lossDigest(bytes: Uint8Array): Digests {
  initSync(bytes);
  const digest: Digests = { elements: {}, reduced: {} };
  for (const entry of registryOf(lib)) {
    if (entry.kind === 'elementwise') elementwise(digest, entry, entry.loss, entry.cases, false);
    else if (entry.kind === 'rowwise') rowwise(digest, entry);
    else if (entry.kind === 'ternary') ternary(digest, entry);
    else if (entry.kind === 'similarity') similarity(digest, entry);
    else embedding(digest, entry);
  }
  for (const entry of inbatchOf(lib)) inbatch(digest, entry);
  const unit = { target: [0, 1], pred: [0, 1] } as const;
  elementwise(
    digest,
    { name: binaryAccuracy.lossName, domain: unit, labels: { values: [0, 1], share: 0.5 } },
    binaryAccuracy,
    [{}, { threshold: 0.3 }],
    true,
  );
  counting(digest);
  zeroCopy(digest);
  return digest;
}

export function shippedBytes(build: string): Uint8Array {
  return readFileSync(new URL(`../../wasm/simdloss-${build}.wasm`, import.meta.url));
}

/** Everything pinned for one build. */
export function digestOf(build: 'simd' | 'scalar'): Digests {
  const losses = lossDigest(shippedBytes(build));
  return { elements: { ...mathDigest(build), ...losses.elements }, reduced: losses.reduced };
}

/** The checked-in file: the elements once, the reductions per build. */
export type Golden = { elements: Digest } & Record<(typeof BUILD_NAMES)[number], Digest>;

export const GOLDEN = new URL('./digest.json', import.meta.url);
