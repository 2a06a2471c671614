// One way to call any registry entry (elementwise, row-wise, embedding, three-input) and to draw data for it,
// shared by the property tests and the differential fuzz (no test-runner import: tools/fuzz.ts uses it).

import { elementwiseData, ternaryData, uniform } from '../random.js';
import { type EmbeddingEntry, type RegistryEntry, type RowwiseEntry, type SimilarityEntry, targetsFor } from '../registry.js';

export type Float = Float32Array | Float64Array;
export type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
export type Method = 'loss' | 'grad' | 'withGrad';

/** The arguments of one call, whatever the kind. */
export interface Batch {
  /** elementwise, three-input: target; row-wise: dense target or Int32Array labels; embedding: labels (or none for triplet). */
  target: Float | Int32Array | undefined;
  /** pred, or the embedding or three-input loss's inputs in argument order. */
  xs: Float[];
  /** The loss's own options, `classes` / `dim` included. */
  opts: Record<string, unknown>;
}

export interface Outcome {
  /** The reduced loss, or the per-example losses with reduction 'none'. */
  loss?: number | Float;
  /** Gradients, one per differentiable input (pred, or each input of an embedding or three-input loss). */
  grads?: Float[];
}

type AnyFn = any; // the registry holds losses of several signatures; call() passes each its own arguments

/** Calls f, f.grad or f.withGrad of the entry with its own argument order; `extra` adds reduction, weights, out. */
export function call(entry: RegistryEntry, method: Method, b: Batch, extra: Record<string, unknown> = {}): Outcome {
  const base = entry.loss as AnyFn;
  const f = method === 'loss' ? base : base[method];
  const opts = { ...b.opts, ...extra };
  let r: AnyFn;
  if (entry.kind === 'embedding') {
    r = entry.inputs.length === 2 ? f(b.target, b.xs[0], b.xs[1], opts) : f(b.xs[0], b.xs[1], b.xs[2], opts);
  } else if (entry.kind === 'ternary') {
    r = f(b.target, b.xs[0], b.xs[1], opts);
  } else {
    r = f(b.target, b.xs[0], opts);
  }
  const grads = (g: AnyFn): Float[] => (entry.kind === 'embedding' || entry.kind === 'ternary' ? entry.inputs.map((k) => g[k]) : [g]);
  if (method === 'loss') return { loss: r };
  if (method === 'grad') return { grads: grads(r) };
  return { loss: r.loss, grads: grads(r.grad) };
}

/** One element of each array per example (elementwise and three-input losses): sizes count elements, not rows. */
export const perElement = (entry: RegistryEntry): boolean => entry.kind === 'elementwise' || entry.kind === 'ternary';

/** Number of examples (rows for the row-wise and embedding kinds). */
export function examples(entry: RegistryEntry, b: Batch): number {
  const n = b.xs[0]!.length;
  return entry.kind === 'rowwise'
    ? n / (b.opts.classes as number)
    : entry.kind === 'embedding' || entry.kind === 'similarity'
      ? n / (b.opts.dim as number)
      : n;
}

/** Whether the entry returns a gradient. */
export const hasGrad = (entry: RegistryEntry): boolean => !(entry.kind === 'rowwise' && entry.metric);

/** An option case with functions of the class count resolved. */
export function resolveCase(entry: RegistryEntry, caseIndex: number, width: number): Record<string, unknown> {
  const c = entry.cases[caseIndex % entry.cases.length]!;
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) o[k] = typeof v === 'function' ? v(width) : v;
  if (entry.kind === 'rowwise') o.classes = width;
  if (typeof o.k === 'number') o.k = Math.min(o.k, width); // topK: k ≤ classes
  if (entry.kind === 'embedding' || entry.kind === 'similarity') o.dim = width;
  return o;
}

/**
 * Data from the entry's domain: `n` examples of `width` values (row-wise: classes; embedding: dim;
 * elementwise: ignored). Elementwise targets partly from the labels, every 7th pred on its target
 * (three-input: every 7th example on the loss's kink or clamp);
 * dense row targets mix one-hot rows, rows summing to 1 and rows that do not; every 5th embedding
 * row has its second input equal to the first.
 */
export function draw(entry: RegistryEntry, C: Ctor, n: number, width: number, caseIndex: number, rand: () => number): Batch {
  const opts = resolveCase(entry, caseIndex, width);
  if (entry.kind === 'elementwise') {
    const { y, p } = elementwiseData(entry, C, n, rand);
    return { target: y, xs: [p], opts };
  }
  if (entry.kind === 'rowwise') return { ...rowData(entry, C, n, width, rand, opts), opts };
  if (entry.kind === 'ternary') {
    const { y, a, b } = ternaryData(entry, C, n, rand, opts as Record<string, number | boolean>);
    return { target: y, xs: [a, b], opts };
  }
  if (entry.kind === 'similarity') return { ...similarityData(entry, C, n, width, rand), opts };
  return { ...embeddingData(entry, C, n, width, rand), opts };
}

/** Rows from the domain; with masks, every other row's target of 0 and 1; every 4th target row 0 (an empty mask, a zero vector). */
function similarityData(entry: SimilarityEntry, C: Ctor, rows: number, dim: number, rand: () => number): Omit<Batch, 'opts'> {
  const y = uniform(C, rows * dim, entry.domain.target, rand);
  const p = uniform(C, rows * dim, entry.domain.pred, rand);
  for (let r = 0; r < rows; r++) {
    for (let k = r * dim; k < (r + 1) * dim; k++) {
      if (r % 4 === 3) y[k] = 0;
      else if (entry.masks && r % 2 === 0) y[k] = rand() < 0.4 ? 1 : 0;
    }
  }
  return { target: y, xs: [p] };
}

function rowData(
  entry: RowwiseEntry,
  C: Ctor,
  rows: number,
  classes: number,
  rand: () => number,
  o: Record<string, unknown>,
): Omit<Batch, 'opts'> {
  const z = uniform(C, rows * classes, entry.domain.pred, rand);
  if (entry.metric) for (let i = 0; i < z.length; i++) z[i] = Math.round(z[i]! * 2) / 2; // ties occur
  if (entry.target === 'labels') return { target: Int32Array.from({ length: rows }, () => Math.floor(rand() * classes)), xs: [z] };
  const t = new C(rows * classes);
  for (let r = 0; r < rows; r++) {
    const kind = Math.floor(rand() * 3);
    if (kind === 0) {
      t[r * classes + Math.floor(rand() * classes)] = 1;
    } else {
      let s = 0;
      for (let k = 0; k < classes; k++) s += t[r * classes + k] = rand();
      if (kind === 1 && s > 0) for (let k = 0; k < classes; k++) t[r * classes + k] = t[r * classes + k]! / s;
    }
  }
  return { target: targetsFor(entry, o, t), xs: [z] };
}

function embeddingData(entry: EmbeddingEntry, C: Ctor, rows: number, dim: number, rand: () => number): Omit<Batch, 'opts'> {
  const xs = entry.inputs.map(() => uniform(C, rows * dim, [-1, 1], rand));
  const label = entry.labels === 'none' ? undefined : new C(rows);
  for (let r = 0; r < rows; r++) {
    if (label) label[r] = entry.labels === 'sign' ? (rand() < 0.5 ? -1 : 1) : rand() < 0.4 ? 0 : rand() < 0.8 ? 1 : rand();
  }
  for (let r = 3; r < rows; r += 5) xs[1]!.set(xs[0]!.subarray(r * dim, (r + 1) * dim), r * dim);
  return { target: label, xs };
}

/** The same batch in another float dtype (labels stay Int32Array). */
export function convert(b: Batch, C: Ctor): Batch {
  const cv = <T extends Float | Int32Array | undefined>(a: T): T => (a === undefined || a instanceof Int32Array ? a : (C.from(a) as T));
  return { target: cv(b.target), xs: b.xs.map((x) => C.from(x)), opts: b.opts };
}

/** A deep copy, so that a call writing in place cannot leak into the next. */
export function copyBatch(b: Batch): Batch {
  return { target: b.target?.slice(), xs: b.xs.map((x) => x.slice()), opts: b.opts };
}

/**
 * The size of the terms of contrastive's gradient factor (1 − y) − y(m − D)/D, times max|a − b|:
 * (|1 − y| + y(m + D)/D)·max|a − b|. The reference's gradScale counts y(m − D)/D as one term, but
 * m − D cancels near the margin (float32: 3e-5 relative measured at m − D = 8e-4).
 */
export function contrastiveScale(label: number, a: ArrayLike<number>, b: ArrayLike<number>, margin: number): number {
  let d2 = 0;
  let u = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]! - b[i]!;
    d2 += v * v;
    u = Math.max(u, Math.abs(v));
  }
  const D = Math.sqrt(d2);
  return D > 0 ? (Math.abs(1 - label) + (label * (margin + D)) / D) * u : 0;
}

/**
 * How far two sums of the same per-example values, added in other orders (another build, other
 * chunks), may differ: with h the most additions any value passes through, each sum is within
 * h·u·Σ|values| of the exact one (any order). Elementwise float32: float32 lanes (4 in the scalar
 * build, 8 or 4 in the SIMD one, restarted every chunk) take ≤ ⌈n/4⌉ additions, then float64
 * (n·2⁻⁵³, below one u); and BCE with logits sums whole groups of 4 in its product form (ln of a
 * product, plus its float32 correction terms) but a chunk's last n mod 4 one by one, ≤ 7u·lᵢ apart
 * (ln(1 + t) within 2 ulp, two roundings; the product form's one): (2⌈n/4⌉ + 10)·2⁻²⁴; three-input float32 the same. Everything
 * else adds float64 values: elementwise float64 lanes and the chunks' totals, row-wise and
 * embedding rows one by one: (2n + 4)·2⁻⁵³.
 */
export function reductionBound(kind: RegistryEntry['kind'], n: number, f32: boolean): number {
  return (kind === 'elementwise' || kind === 'ternary') && f32 ? (2 * Math.ceil(n / 4) + 10) * 2 ** -24 : (2 * n + 4) * 2 ** -53;
}

/** The denominator of a weighted 'mean': Σ wᵢ·(the example's share of denominator()). */
export function weightedDenominator(entry: RegistryEntry, b: Batch, w: ArrayLike<number> | undefined): number {
  if (w === undefined) return denominator(entry, b);
  let s = 0;
  for (let r = 0; r < w.length; r++) s += w[r]! * (entry.kind === 'rowwise' ? denominator(entry, rowOf(b, r)) : 1);
  return s;
}

/** Row r of a row-wise batch, as a batch of one row. */
function rowOf(b: Batch, r: number): Batch {
  const C = b.opts.classes as number;
  const t = b.target instanceof Int32Array ? b.target.subarray(r, r + 1) : b.target!.subarray(r * C, (r + 1) * C);
  return { target: t, xs: b.xs.map((x) => x.subarray(r * C, (r + 1) * C)), opts: b.opts };
}

/** The denominator of 'mean' as the README defines it: examples, or Σ class weights of the targets over rows that count. */
export function denominator(entry: RegistryEntry, b: Batch): number {
  const n = examples(entry, b);
  if (entry.kind !== 'rowwise' || entry.meanOverRows) return n;
  const C = b.opts.classes as number;
  const cw = b.opts.classWeights as number[] | undefined;
  const ignore = b.opts.ignoreIndex as number | undefined;
  if (entry.target === 'labels') {
    let s = 0;
    for (const label of b.target as Int32Array) if (label !== ignore) s += cw ? cw[label]! : 1;
    return s;
  }
  if (!cw) return n;
  let s = 0;
  const t = b.target as Float;
  for (let i = 0; i < t.length; i++) s += cw[i % C]! * t[i]!;
  return s;
}
