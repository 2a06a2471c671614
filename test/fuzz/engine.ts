// Differential fuzzing: adversarial bit patterns per dtype through every registry loss,
// on the SIMD build, the scalar build and the float64 reference, checked against the documented
// policy (docs/numerics.md, "Non-finite input"). Shared by test/property/fuzz.test.ts (a short run in CI) and
// tools/fuzz.ts (`npm run fuzz -- --minutes N`); no test-runner import.

import { random } from '../random.js';
import { applies } from '../reference/domains.js';
import { embeddingReferences } from '../reference/embedding.js';
import { expected, type Options, references, rowReferences } from '../reference/index.js';
import { similarityReferences } from '../reference/similarity.js';
import { ternaryExpected, ternaryReferences } from '../reference/ternary.js';
import type { RegistryEntry } from '../registry.js';
import {
  type Batch,
  call,
  contrastiveScale,
  copyBatch,
  draw,
  examples,
  type Float,
  hasGrad,
  perElement,
  reductionBound,
  weightedDenominator,
} from './drive.js';

export type Build = 'simd' | 'scalar';
/** Makes `build` the live one and returns the registry entries driving it (re-initialising costs ~0.2 ms). */
export type Use = (build: Build) => { registry: readonly RegistryEntry[] };

const F64_TOLERANCE = 1e-12;

// ---------------------------------------------------------------------------------------------
// Adversarial values, written as bits so that NaN payloads and signs survive.

/** Writes one adversarial value (a special, an edge or random bits) at a[i]. */
export function special(a: Float, i: number, rand: () => number): void {
  const f32 = a instanceof Float32Array;
  const max = f32 ? 3.4028234663852886e38 : Number.MAX_VALUE;
  const minNormal = f32 ? 2 ** -126 : 2 ** -1022;
  const sign = rand() < 0.5 ? -1 : 1;
  const k = Math.floor(rand() * 14);
  if (k === 0) a[i] = sign * 0;
  else if (k === 1) a[i] = sign * Infinity;
  else if (k === 2 || k === 3) writeBits(a, i, rand, 'nan');
  else if (k === 4) writeBits(a, i, rand, 'subnormal');
  else if (k === 5) a[i] = sign * minNormal * (1 + rand());
  else if (k === 6) a[i] = sign * max * (0.5 + 0.5 * rand());
  else if (k === 7) a[i] = sign * max;
  else if (k === 8) a[i] = sign * [1e4, 100, 120, 30, 88.7, 709.7][Math.floor(rand() * 6)]!;
  else if (k === 9) a[i] = sign * 10 ** ((rand() * 2 - 1) * (f32 ? 38 : 307));
  else if (k === 10) writeBits(a, i, rand, 'any');
  else if (k === 11) a[i] = [0, 1, 1 - 2 ** -24, 1 - 2 ** -53, 2 ** -24, 0.5][Math.floor(rand() * 6)]!;
  else if (k === 12) a[i] = sign * (f32 ? 2 ** -149 : 5e-324);
  else a[i] = sign * (1e-30 + rand() * 1e-7);
}

function writeBits(a: Float, i: number, rand: () => number, what: 'nan' | 'subnormal' | 'any'): void {
  const r32 = () => Math.floor(rand() * 2 ** 32) >>> 0;
  const sign = rand() < 0.5 ? 0x80000000 : 0;
  if (a instanceof Float32Array) {
    const view = new Uint32Array(a.buffer, a.byteOffset, a.length);
    const mantissa = r32() & 0x7fffff || 1;
    view[i] = what === 'nan' ? (sign | 0x7f800000 | mantissa) >>> 0 : what === 'subnormal' ? (sign | mantissa) >>> 0 : r32();
  } else {
    const view = new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
    let lo = r32();
    let hi = r32();
    if (what === 'nan') hi = (sign | 0x7ff00000 | (hi & 0xfffff) | (lo === 0 ? 1 : 0)) >>> 0;
    if (what === 'subnormal') {
      hi = (sign | (hi & 0xfffff)) >>> 0;
      lo = lo || 1;
    }
    view[2 * i] = lo;
    view[2 * i + 1] = hi;
  }
}

// ---------------------------------------------------------------------------------------------
// The documented domain: which inputs are refused, per loss (docs/guide.md). Everything else is accepted.

const unit = (v: number) => v >= 0 && v <= 1;
/** Values at the edges of [0, 1], for arguments checked against it. */
const UNIT_EDGES = [0, 1, -0, 2 ** -30, 1 - 2 ** -24, 2 ** -149];
/** A log-probability target: ≤ 0, −∞ included (P = 0); its edges, down to where e^y underflows. */
const logUnit = (v: number) => v <= 0;
const LOG_EDGES = [0, -0, -Infinity, -(2 ** -30), -80, -104, -746, -1e4];
/** Whether the case gives a row-wise entry's dense target as log P. */
const logTargetOf = (entry: RegistryEntry, o: Record<string, unknown>): boolean =>
  entry.kind === 'rowwise' && entry.logTarget !== undefined && o[entry.logTarget] === true;

/** An embedding label's domain, from the kind of label its entry draws (absent: not checked). */
function labelDomain(entry: RegistryEntry & { kind: 'embedding' }): ((v: number) => boolean) | undefined {
  return entry.labels === 'binary' ? unit : entry.labels === 'sign' ? (v) => v === 1 || v === -1 : undefined;
}

/** Whether the policy knows this entry: its float64 reference exists. */
export function knows(entry: RegistryEntry): boolean {
  if (entry.kind === 'elementwise') return entry.name in references;
  if (entry.kind === 'embedding') return entry.name in embeddingReferences;
  if (entry.kind === 'ternary') return entry.name in ternaryReferences;
  if (entry.kind === 'similarity') return entry.name in similarityReferences;
  return entry.name in rowReferences;
}

/** Whether some input of the entry is refused: a fuzz run must then see refusals. */
export function refusesSome(entry: RegistryEntry): boolean {
  if (entry.kind === 'elementwise') return entry.checks.target !== undefined || entry.checks.pred !== undefined;
  if (entry.kind === 'embedding') return labelDomain(entry) !== undefined;
  if (entry.kind === 'ternary') return Object.keys(entry.checks).length > 0;
  if (entry.kind === 'similarity') return entry.checked !== undefined;
  return true;
}

/** Whether every NaN and ±∞ the entry can meet is refused (every argument checked): a fuzz run then sees none accepted. */
export function refusesEveryNonFinite(entry: RegistryEntry): boolean {
  if (entry.kind === 'similarity') return entry.checked !== undefined;
  return (
    entry.kind === 'elementwise' &&
    applies(entry.checks.target, {}) &&
    entry.checks.target.when === undefined &&
    applies(entry.checks.pred, {}) &&
    entry.checks.pred.when === undefined
  );
}

/** The error the policy expects: the first element outside the domain (argument, index), or undefined. */
export function firstInvalid(entry: RegistryEntry, b: Batch): { arguments: string[]; index: number } | undefined {
  if (entry.kind === 'elementwise') {
    const opts = b.opts as Options;
    const target = applies(entry.checks.target, opts) ? entry.checks.target : undefined;
    const pred = applies(entry.checks.pred, opts) ? entry.checks.pred : undefined;
    const y = b.target as Float;
    const p = b.xs[0]!;
    for (let i = 0; i < p.length; i++) {
      const bad = [...(target && !target.accepts(y[i]!) ? ['target'] : []), ...(pred && !pred.accepts(p[i]!) ? ['pred'] : [])];
      if (bad.length > 0) return { arguments: bad, index: i };
    }
    return undefined;
  }
  if (entry.kind === 'ternary') {
    const names = ['target', ...entry.inputs];
    const arrays = [b.target as Float, b.xs[0]!, b.xs[1]!];
    for (let i = 0; i < arrays[0]!.length; i++) {
      const bad = names.filter((name, j) => entry.checks[name] !== undefined && !entry.checks[name]!.accepts(arrays[j]![i]!));
      if (bad.length > 0) return { arguments: bad, index: i };
    }
    return undefined;
  }
  if (entry.kind === 'similarity') {
    if (entry.checked === undefined) return undefined;
    const y = b.target as Float;
    const p = b.xs[0]!;
    for (let i = 0; i < p.length; i++) {
      const bad = [...(unit(y[i]!) ? [] : ['target']), ...(unit(p[i]!) ? [] : ['pred'])];
      if (bad.length > 0) return { arguments: bad, index: i };
    }
    return undefined;
  }
  if (entry.kind === 'rowwise') {
    const C = b.opts.classes as number;
    if (entry.target === 'labels') {
      const ignore = b.opts.ignoreIndex as number | undefined;
      const t = b.target as Int32Array;
      for (let r = 0; r < t.length; r++) if (!(t[r]! >= 0 && t[r]! < C) && t[r] !== ignore) return { arguments: ['labels'], index: r };
      return undefined;
    }
    const t = b.target as Float;
    const ok = logTargetOf(entry, b.opts) ? logUnit : unit;
    for (let i = 0; i < t.length; i++) if (!ok(t[i]!)) return { arguments: ['target'], index: i };
    return undefined;
  }
  const ok = labelDomain(entry);
  if (ok && b.target) for (let r = 0; r < b.target.length; r++) if (!ok(b.target[r]!)) return { arguments: ['label'], index: r };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Cases.

export interface Case {
  entry: string;
  f32: boolean;
  batch: Batch;
  weights?: Float;
  /** Out-of-domain values were allowed into the checked arguments. */
  dirty: boolean;
}

/**
 * A case for the entry: data from its domain (drive.ts), then a share of elements replaced by
 * adversarial values — in every argument the loss does not check, and (for a dirty case, one in
 * four) in the checked ones too; labels occasionally out of range.
 */
export function makeCase(entry: RegistryEntry, rand: () => number): Case {
  const f32 = rand() < 0.5;
  const C = f32 ? Float32Array : Float64Array;
  const big = rand() < 0.1;
  const n = perElement(entry) ? Math.floor(rand() * (big ? 300 : 68)) : Math.floor(rand() * (big ? 40 : 8));
  const width = entry.kind === 'rowwise' ? 1 + Math.floor(rand() * (big ? 70 : 36)) : 1 + Math.floor(rand() * (big ? 80 : 20));
  const batch = draw(entry, C, n, width, Math.floor(rand() * entry.cases.length), rand);
  const dirty = rand() < 0.25;
  const share = [0.02, 0.1, 0.5][Math.floor(rand() * 3)]!;
  const checkedTarget =
    entry.kind === 'elementwise' || entry.kind === 'ternary'
      ? entry.checks.target !== undefined
      : entry.kind === 'similarity'
        ? entry.checked !== undefined
        : entry.kind === 'rowwise' || labelDomain(entry) !== undefined;
  const predCheck = entry.kind === 'elementwise' ? entry.checks.pred : undefined;
  const inputEdges = (j: number) =>
    entry.kind === 'elementwise'
      ? applies(predCheck, batch.opts as Options)
        ? predCheck.edges
        : undefined
      : entry.kind === 'ternary'
        ? entry.checks[entry.inputs[j]!]?.edges
        : entry.kind === 'similarity' && entry.checked !== undefined
          ? UNIT_EDGES
          : undefined;
  // (edges in [0, 1] for the targets checked against it: row-wise and binary embedding labels)
  const targetEdges =
    entry.kind === 'elementwise' || entry.kind === 'ternary'
      ? entry.checks.target?.edges
      : entry.kind === 'embedding' && entry.labels === 'sign'
        ? undefined
        : logTargetOf(entry, batch.opts)
          ? LOG_EDGES
          : UNIT_EDGES;
  for (const [j, x] of batch.xs.entries()) {
    const predEdges = inputEdges(j);
    if (predEdges && !dirty) {
      for (let i = 0; i < x.length; i++) if (rand() < share) x[i] = predEdges[Math.floor(rand() * predEdges.length)]!;
      continue;
    }
    for (let i = 0; i < x.length; i++) if (rand() < share) special(x, i, rand);
  }
  const t = batch.target;
  if (t instanceof Int32Array) {
    if (dirty) for (let r = 0; r < t.length; r++) if (rand() < 0.05) t[r] = [-1, width, 2 ** 31 - 1, -(2 ** 31)][Math.floor(rand() * 4)]!;
  } else if (t !== undefined) {
    for (let i = 0; i < t.length; i++) {
      if (rand() >= share) continue;
      if (!checkedTarget || dirty) special(t, i, rand);
      else t[i] = targetEdges ? targetEdges[Math.floor(rand() * targetEdges.length)]! : rand() < 0.5 ? -1 : 1;
    }
  }
  let weights: Float | undefined;
  if (rand() < 0.3) {
    weights = new C(examples(entry, batch)).map(() => (rand() < 0.2 ? 0 : rand() < 0.05 ? 2 ** -140 : 3 * rand()));
  }
  return { entry: entry.name, f32, batch, weights, dirty };
}

// ---------------------------------------------------------------------------------------------
// Running and checking.

interface Run {
  error?: { argument: string | undefined; index: number | undefined; message: string; simdloss: boolean };
  none?: Float;
  mean?: number;
  gradSum?: Float[];
  gradMean?: Float[];
  /** withGrad's results, which must equal f's and grad's. */
  both?: { none: Float; gradNone: Float[]; mean: number; gradMean: Float[] };
  calls: number;
}

function runOne(entry: RegistryEntry, c: Case): Run {
  const extra = c.weights ? { weights: c.weights } : {};
  const b = copyBatch(c.batch);
  const run: Run = { calls: 0 };
  try {
    run.none = call(entry, 'loss', b, { ...extra, reduction: 'none' }).loss as Float;
    run.mean = call(entry, 'loss', b, extra).loss as number;
    run.calls = 2;
    if (hasGrad(entry)) {
      run.gradSum = call(entry, 'grad', b, { ...extra, reduction: 'sum' }).grads!;
      const none = call(entry, 'withGrad', b, { ...extra, reduction: 'none' });
      const mean = call(entry, 'withGrad', b, extra);
      run.gradMean = mean.grads!;
      run.both = { none: none.loss as Float, gradNone: none.grads!, mean: mean.loss as number, gradMean: mean.grads! };
      run.calls = 5;
    }
  } catch (e) {
    const err = e as { argument?: string; index?: number; message?: string; name?: string };
    run.error = { argument: err.argument, index: err.index, message: String(err.message), simdloss: err.name === 'SimdlossError' };
    run.calls++;
  }
  return run;
}

export interface Failure {
  entry: string;
  what: string;
  reproduction: string;
}

export interface Stats {
  cases: number;
  calls: number;
  elements: number;
  rejected: number;
  /** Examples with a NaN or ±∞ among their values, and finite ones beyond the dtype's range. */
  nonFinite: number;
  overflow: number;
  /** Examples in a known limitation (isKnown): checked for the builds' agreement only. */
  known: number;
  failures: number;
}

const same = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return -2;
  for (let i = 0; i < a.length; i++) if (!same(a[i]!, b[i]!)) return i;
  return -1;
}

const show = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
function bits(a: ArrayLike<number> | undefined, i: number, f32: boolean): string {
  if (a === undefined) return '';
  if (a instanceof Int32Array) return String(a[i]);
  const x = f32 ? new Float32Array([a[i]!]) : new Float64Array([a[i]!]);
  if (ArrayBuffer.isView(a) && (a as Float).BYTES_PER_ELEMENT === x.BYTES_PER_ELEMENT) {
    const src = a as Float;
    const raw = new Uint8Array(src.buffer, src.byteOffset + i * src.BYTES_PER_ELEMENT, src.BYTES_PER_ELEMENT);
    return `${show(a[i]!)} (0x${Array.from(raw)
      .reverse()
      .map((v) => v.toString(16).padStart(2, '0'))
      .join('')})`;
  }
  return show(a[i]!);
}

/** A JS snippet that rebuilds the case (bit patterns included) and calls the loss. */
export function reproduction(c: Case, entry: RegistryEntry): string {
  const hex = (a: Float | Int32Array | undefined): string => {
    if (a === undefined) return 'undefined';
    if (a instanceof Int32Array) return `Int32Array.of(${Array.from(a).join(', ')})`;
    const u = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    return `new ${a instanceof Float32Array ? 'Float32Array' : 'Float64Array'}(Uint8Array.from(Buffer.from('${Buffer.from(u).toString('hex')}', 'hex')).buffer)`;
  };
  const opts = JSON.stringify({ ...c.batch.opts, reduction: 'none' });
  const w = c.weights ? `, weights: ${hex(c.weights)}` : '';
  const args =
    entry.kind === 'embedding'
      ? entry.inputs.length === 2
        ? [hex(c.batch.target), hex(c.batch.xs[0]), hex(c.batch.xs[1])]
        : c.batch.xs.map(hex)
      : [hex(c.batch.target), ...c.batch.xs.map(hex)];
  return `${entry.name}.withGrad(${args.join(', ')}, { ...${opts}${w} })`;
}

/** Reference per example: loss (weighted), gradient per input element (weighted, of the sum), and their error scales. */
interface Reference {
  /** Elementwise: 1 where the unweighted reference loss is NaN (the gradient may then be NaN too). */
  lossNaN?: ArrayLike<number>;
  losses: ArrayLike<number>;
  lossScale: ArrayLike<number>;
  grads: ArrayLike<number>[];
  gradScale: ArrayLike<number>[];
}

/** Whether row r's categoricalHinge margin is within rounding of 0 (target: the first largest). */
function nearHingeKink(t: Float, z: Float, r: number, C: number, f32: boolean): boolean {
  let target = 0;
  for (let k = 1; k < C; k++) if (t[r * C + k]! > t[r * C + target]!) target = k;
  let other = -Infinity;
  for (let k = 0; k < C; k++) if (k !== target) other = Math.max(other, z[r * C + k]!);
  const zt = z[r * C + target]!;
  return Math.abs(1 + other - zt) <= (f32 ? 2 ** -22 : 2 ** -50) * (1 + Math.abs(other) + Math.abs(zt));
}

function reference(entry: RegistryEntry, c: Case): Reference {
  const b = c.batch;
  const w = c.weights;
  if (entry.kind === 'elementwise') {
    // The formula in float64, rounded to the dtype, then weighted in the dtype (so that a float32
    // loss beyond 3.4e38 is ∞, and NaN under a zero weight, as the kernel's l·w).
    const e = expected(entry.reference, b.target as Float, b.xs[0]!, b.opts as Options, undefined, c.f32);
    const r = c.f32 ? Math.fround : (x: number) => x;
    const wi = (i: number) => (w ? w[i]! : 1);
    const losses = e.losses.map((l, i) => r(r(l) * wi(i)));
    const grads = e.gradSum.map((g, i) => r(r(g) * wi(i)));
    return {
      losses,
      lossScale: losses.map((l, i) => Math.max(Math.abs(l), wi(i) * e.lossScale[i]!)),
      grads: [grads],
      gradScale: [e.gradSumScale.map((s, i) => wi(i) * Math.max(s, Math.abs(e.gradSum[i]!)))],
      lossNaN: e.losses.map((l) => (Number.isNaN(l) ? 1 : 0)),
    };
  }
  if (entry.kind === 'ternary') return ternaryReference(entry, c);
  if (entry.kind === 'similarity') return similarityReference(entry, c);
  if (entry.kind === 'rowwise') {
    const e = rowReferences[entry.name]!(b.target!, b.xs[0]!, b.opts as never, w);
    const C = b.opts.classes as number;
    const rowMax = (a: ArrayLike<number>, r: number) => {
      let m = 1;
      for (let k = 0; k < C; k++) if (Number.isFinite(a[r * C + k]!)) m = Math.max(m, Math.abs(a[r * C + k]!));
      return m;
    };
    // (log-sum-exp and the target term are as large as the row's largest logit: the loss's error scale)
    const lossScale = Float64Array.from(e.losses, (l, r) => Math.max(Math.abs(l), (w ? w[r]! : 1) * rowMax(b.xs[0]!, r)));
    // (a row the reference marks as at a kink: only finiteness is checked)
    const gradScale = Float64Array.from(e.gradSum, (_, i) =>
      e.kinks?.[Math.floor(i / C)] ? -1 : (w ? w[Math.floor(i / C)]! : 1) * rowMax(e.gradSum, Math.floor(i / C)) * C,
    );
    // categoricalHinge: a margin 1 + max ŷ_other − ŷ_t within rounding of 0 is a kink, where the
    // kernel may take the other side (f32: 1 + (−2.9e-13) − 1 = 0, active; float64: inactive)
    if (entry.name === 'categoricalHinge') {
      for (let r = 0; r < e.losses.length; r++)
        if (nearHingeKink(b.target as Float, b.xs[0]!, r, C, c.f32)) gradScale.fill(-1, r * C, (r + 1) * C);
    }
    return { losses: e.losses, lossScale, grads: hasGrad(entry) ? [e.gradSum] : [], gradScale: [gradScale] };
  }
  const ref = embeddingReferences[entry.name]!;
  const dim = b.opts.dim as number;
  const rows = examples(entry, b);
  const losses = new Float64Array(rows);
  const lossScale = new Float64Array(rows);
  const grads = b.xs.map((x) => new Float64Array(x.length));
  const gradScale = b.xs.map((x) => new Float64Array(x.length));
  // (contrastive: with the terms of m − D, contrastiveScale; a floor: the batch's largest element)
  const margin = (b.opts.margin as number | undefined) ?? 1;
  let floor = 0;
  for (let r = 0; r < rows; r++) {
    const wr = w ? w[r]! : 1;
    const row = ref.row(
      b.target ? b.target[r]! : NaN,
      b.xs.map((x) => Array.from(x.subarray(r * dim, (r + 1) * dim))),
      b.opts as never,
    );
    losses[r] = wr * row.loss;
    lossScale[r] = wr * row.scale;
    const nearKink = row.kinkGap < 1e-4 * row.scale;
    const extra =
      entry.name === 'contrastive'
        ? contrastiveScale(b.target![r]!, b.xs[0]!.subarray(r * dim, (r + 1) * dim), b.xs[1]!.subarray(r * dim, (r + 1) * dim), margin)
        : 0;
    row.grads.forEach((g, j) => {
      let m = Number.isFinite(extra) ? Math.max(row.gradScale, extra) : row.gradScale;
      for (const v of g) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
      if (Number.isFinite(wr * m)) floor = Math.max(floor, wr * m);
      for (let i = 0; i < dim; i++) {
        grads[j]![r * dim + i] = wr * g[i]!;
        gradScale[j]![r * dim + i] = nearKink ? -1 : wr * m;
      }
    });
  }
  for (const g of gradScale) for (let i = 0; i < g.length; i++) if (g[i]! >= 0) g[i] = Math.max(g[i]!, floor);
  return { losses, lossScale, grads, gradScale };
}

/** Row by row: the loss (weighted; its scale the loss's range, 1) and its gradient (weighted; its scale the row's gradScale). */
function similarityReference(entry: RegistryEntry & { kind: 'similarity' }, c: Case): Reference {
  const b = c.batch;
  const dim = b.opts.dim as number;
  const y = b.target as Float;
  const p = b.xs[0]!;
  const rows = examples(entry, b);
  const losses = new Float64Array(rows);
  const lossScale = new Float64Array(rows);
  const grads = new Float64Array(p.length);
  const gradScale = new Float64Array(p.length);
  for (let r = 0; r < rows; r++) {
    const wr = c.weights ? c.weights[r]! : 1;
    const row = entry.reference.row(y.subarray(r * dim, (r + 1) * dim), p.subarray(r * dim, (r + 1) * dim), b.opts as never);
    losses[r] = wr * row.loss;
    lossScale[r] = wr;
    for (let i = 0; i < dim; i++) {
      grads[r * dim + i] = wr * row.grad[i]!;
      gradScale[r * dim + i] = wr * row.gradScale;
    }
  }
  return { losses, lossScale, grads: [grads], gradScale: [gradScale] };
}

/** As an elementwise reference: the formula in float64, rounded to the dtype, then weighted in it; −1 scales within 1e-5 of a kink. */
function ternaryReference(entry: RegistryEntry & { kind: 'ternary' }, c: Case): Reference {
  const b = c.batch;
  const e = ternaryExpected(entry.reference, b.target as Float, b.xs[0]!, b.xs[1]!, b.opts as Record<string, number>, c.f32);
  const r = c.f32 ? Math.fround : (x: number) => x;
  const wi = (i: number) => (c.weights ? c.weights[i]! : 1);
  const losses = e.losses.map((l, i) => r(r(l) * wi(i)));
  return {
    losses,
    // (a zero weight zeroes the scale: 0·∞ would be NaN)
    lossScale: losses.map((l, i) => Math.max(Math.abs(l), wi(i) > 0 ? wi(i) * e.scales[i]! : 0)),
    grads: e.grads.map((g) => g.map((x, i) => r(r(x) * wi(i)))),
    gradScale: e.gradScales.map((s, j) =>
      s.map((x, i) => (e.kinkGaps[i]! < 1e-5 ? -1 : wi(i) > 0 ? wi(i) * Math.max(x, Math.abs(e.grads[j]![i]!)) : 0)),
    ),
    lossNaN: e.losses.map((l) => (Number.isNaN(l) ? 1 : 0)),
  };
}

/**
 * The policy for one accepted output element against its reference: NaN where the reference is
 * NaN; the same infinity where the reference, rounded to the dtype, is infinite; otherwise a
 * finite value within tolerance (relative to the element's error scale, plus a few of the dtype's
 * smallest subnormals). `scale` −1: near a kink, where only finiteness is checked.
 */
function conforms(got: number, want: number, scale: number, tol: number, f32: boolean, weight = 1): boolean {
  // (a subnormal weight carries only its own few bits, fewer after a product with a factor < 1:
  // only finiteness is checked under it)
  if (weight > 0 && weight < (f32 ? 2 ** -126 : 2 ** -1022)) scale = -1;
  const w = f32 ? Math.fround(want) : want;
  if (Number.isNaN(w)) return Number.isNaN(got);
  if (!Number.isFinite(w)) return got === w;
  if (!Number.isFinite(got)) return false;
  if (scale < 0) return true;
  const tiny = f32 ? 2 ** -146 : 2 ** -1071;
  return Math.abs(got - w) <= tol * Math.max(scale, Math.abs(w)) + tiny;
}

/** Two builds' reductions: equal as NaN/∞, else within tolerance (plus a few subnormals of the dtype). */
function close(a: number, b: number, tol: number, f32: boolean, scale = 0): boolean {
  if (same(a, b)) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  if (!(scale >= 0 && scale < Infinity)) scale = 0;
  return Math.abs(a - b) <= tol * Math.max(Math.abs(b), scale) + (f32 ? 2 ** -146 : 2 ** -1071);
}

/** Two builds' reductions within an absolute bound (NaN/∞ must match), plus a few subnormals of the dtype. */
function within(a: number, b: number, bound: number, f32: boolean): boolean {
  if (same(a, b)) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= bound + (f32 ? 2 ** -146 : 2 ** -1071);
}

function sumFinite(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]!)) s += Math.abs(a[i]!);
  return s;
}

function maxFinite(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]!)) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** The array of a batch an argument names (the target, labels or label, or an input). */
function inputNamed(entry: RegistryEntry, b: Batch, name: string): Float | Int32Array | undefined {
  if (entry.kind === 'ternary' && entry.inputs.includes(name)) return b.xs[entry.inputs.indexOf(name)];
  return name === 'pred' ? b.xs[0] : b.target;
}

/** Runs every case on both builds and checks the policy; returns the failures (the stats are updated). */
export function fuzzBatch(use: Use, cases: Case[], stats: Stats, failures: Failure[], maxFailures = 20): void {
  const runs: Record<Build, Run[]> = { simd: [], scalar: [] };
  for (const build of ['simd', 'scalar'] as const) {
    const lib = use(build);
    for (const c of cases) runs[build].push(runOne(lib.registry.find((e) => e.name === c.entry)!, c));
  }
  const lib = use('simd');
  cases.forEach((c, k) => {
    const entry = lib.registry.find((e) => e.name === c.entry)!;
    const a = runs.simd[k]!;
    const b = runs.scalar[k]!;
    stats.cases++;
    stats.calls += a.calls + b.calls;
    stats.elements += 2 * (a.calls * c.batch.xs.reduce((s, x) => s + x.length, 0));
    const fail = (what: string) => {
      stats.failures++;
      if (failures.length < maxFailures)
        failures.push({ entry: c.entry, what: `${c.entry} ${c.f32 ? 'f32' : 'f64'}: ${what}`, reproduction: reproduction(c, entry) });
    };
    const expect = firstInvalid(entry, c.batch);
    // 1. Outside the domain: a SimdlossError naming the first bad element, on both builds.
    for (const [build, r] of [
      ['simd', a],
      ['scalar', b],
    ] as const) {
      if (expect) {
        if (!r.error)
          fail(
            `${build}: accepted input outside the domain (${expect.arguments.join('/')}[${expect.index}] = ${bits(inputNamed(entry, c.batch, expect.arguments[0]!), expect.index, c.f32)})`,
          );
        else if (!r.error.simdloss || !expect.arguments.includes(r.error.argument!) || r.error.index !== expect.index) {
          fail(
            `${build}: expected a SimdlossError on ${expect.arguments.join('/')}[${expect.index}], got ${r.error.message} (argument ${r.error.argument}, index ${r.error.index})`,
          );
        }
      } else if (r.error) {
        fail(`${build}: refused input inside the domain: ${r.error.message}`);
      }
    }
    if (expect) stats.rejected++;
    if (a.error || b.error) return;
    // 2. The builds agree: elements bit for bit (NaN matching any NaN), reductions within tolerance.
    const tol = c.f32 ? entry.f32Tolerance : F64_TOLERANCE;
    const compare = (x: ArrayLike<number> | undefined, y: ArrayLike<number> | undefined, what: string) => {
      if (x === undefined || y === undefined) return;
      const i = firstDifference(x, y);
      if (i >= 0) fail(`${what}[${i}]: SIMD ${bits(x, i, c.f32)} vs scalar ${bits(y, i, c.f32)}`);
    };
    compare(a.none, b.none, 'loss none');
    a.gradSum?.forEach((g, j) => void compare(g, b.gradSum![j], `grad sum [${j}]`));
    // The mean: Σ wᵢlᵢ / N on both builds, the sums in other orders (reductionBound over N) and N
    // itself, float32 weights being summed in float32 lanes by the SIMD build and in float64 by the
    // scalar one: δN ≤ (⌈n/4⌉ + 5)·u relative, else float64 sums, (2·elements + 4)·2⁻⁵³.
    // (never below the dtype's old floor rtol, so that the bound only widens where rtol was short)
    const rtol = Math.max(tol, c.f32 ? 1e-6 : F64_TOLERANCE);
    const n = b.none!.length;
    const elements = c.batch.xs[0]!.length;
    const N = weightedDenominator(entry, c.batch, c.weights);
    const deltaN = c.weights && c.f32 ? (Math.ceil(n / 4) + 5) * 2 ** -24 : (2 * elements + 4) * 2 ** -53;
    const meanBound = N > 0 ? (reductionBound(entry.kind, n, c.f32) * sumFinite(b.none!)) / N + deltaN * Math.abs(b.mean!) : 0;
    if (!close(a.mean!, b.mean!, rtol, c.f32) && !within(a.mean!, b.mean!, meanBound, c.f32))
      fail(`mean: SIMD ${a.mean} vs scalar ${b.mean}`);
    const known = (i: number) => isKnown(entry, c, exampleOf(entry, c, i));
    const ref = reference(entry, c);
    a.gradMean?.forEach((g, j) => {
      // (the mean's gradient is scaled by 1/denominator, itself a reduction that may differ in its
      // last bit between builds: relative to the terms each element is a difference of)
      // (each build scales by its own fl(1/N): δN, two roundings of 1/N, and the few roundings after
      // the scale in the kernel, 16u in all, on the terms' scale over N)
      const total = sumFinite(b.none!);
      const k = total > 0 && Number.isFinite(b.mean!) ? Math.abs(b.mean!) / total : 1; // ≈ 1/denominator
      const gtol = Math.max(rtol, deltaN + 16 * (c.f32 ? 2 ** -24 : 2 ** -53));
      const kN = N > 0 ? Math.max(k, 1 / N) : k;
      const m = maxFinite(b.gradMean![j]!);
      for (let i = 0; i < g.length; i++) {
        const sc = ref.gradScale[j]![i]!;
        if (!close(g[i]!, b.gradMean![j]![i]!, gtol, c.f32, Number.isFinite(sc) && sc >= 0 ? Math.max(sc * kN, 0) : m) && !known(i)) {
          fail(
            `grad mean [${j}][${i}]: SIMD ${bits(g, i, c.f32)} vs scalar ${bits(b.gradMean![j], i, c.f32)}${inputsAt(entry, c, exampleOf(entry, c, i))}`,
          );
          break;
        }
      }
    });
    // 3. withGrad is f and grad from one pass, bit for bit.
    for (const [build, r] of [
      ['simd', a],
      ['scalar', b],
    ] as const) {
      if (!r.both) continue;
      compare(r.both.none, r.none, `${build} withGrad none vs f`);
      r.both.gradNone.forEach((g, j) => void compare(g, r.gradSum![j], `${build} withGrad none grad vs grad sum [${j}]`));
      if (!same(r.both.mean, r.mean!)) fail(`${build} withGrad mean ${r.both.mean} vs f ${r.mean}`);
    }
    // 4. Against the float64 reference, example by example, by the policy for its inputs (region()).
    const none = a.none!;
    const width =
      entry.kind === 'rowwise'
        ? (c.batch.opts.classes as number)
        : entry.kind === 'embedding' || entry.kind === 'similarity'
          ? (c.batch.opts.dim as number)
          : 1;
    const regions = Array.from(none, (_, i) => (isKnown(entry, c, i) ? ('known' as const) : region(entry, c, i)));
    stats.known += regions.filter((r) => r === 'known').length;
    stats.nonFinite += regions.filter((r) => r === 'nonfinite').length;
    stats.overflow += regions.filter((r) => r === 'overflow' || r === 'huge').length;
    const metric = entry.kind === 'rowwise' && entry.metric;
    for (let i = 0; i < none.length; i++) {
      const at = regions[i]!;
      if (at === 'known' || at === 'huge') continue;
      if (at === 'overflow' || (at === 'nonfinite' && !metric && !perElement(entry))) {
        // Rows with NaN: NaN (the loss of every non-metric but klDivergence, whose P = 0 terms are 0
        // whatever Q); with ±∞ only or beyond the dtype's range: IEEE's result, the builds agreeing.
        // (categoricalHinge and multiMargin over one class have no other class to compare: 0 whatever the row)
        const oneClass = (entry.name === 'categoricalHinge' || entry.name === 'multiMargin') && width === 1;
        if (at === 'nonfinite' && entry.name !== 'klDivergence' && !oneClass && hasNaN(entry, c, i) && !Number.isNaN(none[i]!)) {
          fail(`loss[${i}] = ${bits(none, i, c.f32)} for a row with NaN (expected NaN)${inputsAt(entry, c, i)}`);
        }
        continue;
      }
      if (!conforms(none[i]!, ref.losses[i]!, ref.lossScale[i]!, tol, c.f32, c.weights?.[i])) {
        fail(`loss[${i}] = ${bits(none, i, c.f32)}, reference ${ref.losses[i]} (scale ${ref.lossScale[i]}; ${at})${inputsAt(entry, c, i)}`);
        break;
      }
    }
    a.gradSum?.forEach((g, j) => {
      for (let i = 0; i < g.length; i++) {
        const e = Math.floor(i / width);
        const at = regions[e]!;
        if (at === 'overflow' || at === 'huge' || at === 'known' || (at === 'nonfinite' && !perElement(entry))) continue;
        if (at === 'nonfinite' && Number.isNaN(g[i]!) && ref.lossNaN?.[e]) continue;
        if (!conforms(g[i]!, ref.grads[j]![i]!, ref.gradScale[j]![i]!, tol, c.f32, c.weights?.[e])) {
          fail(
            `grad[${j}][${i}] = ${bits(g, i, c.f32)}, reference ${ref.grads[j]![i]} (scale ${ref.gradScale[j]![i]}; ${at})${inputsAt(entry, c, e)}`,
          );
          break;
        }
      }
    });
  });
}

/**
 * Known limitations (docs/numerics.md, "Known limitations"; an elementwise reference's `known`): examples
 * where the float32 kernels are not within tolerance of the reference, checked for the builds' agreement only.
 */
function isKnown(entry: RegistryEntry, c: Case, i: number): boolean {
  return entry.kind === 'elementwise' && entry.known?.(c.batch.target![i]!, c.batch.xs[0]![i]!, c.f32) === true;
}

/** The values of example i: target (row) and every input row. */
function valuesOf(entry: RegistryEntry, c: Case, i: number): { target: number[]; inputs: number[][] } {
  const b = c.batch;
  if (perElement(entry)) return { target: [b.target![i]!], inputs: b.xs.map((x) => [x[i]!]) };
  const width = (entry.kind === 'rowwise' ? b.opts.classes : b.opts.dim) as number;
  const row = (x: ArrayLike<number>) => Array.from({ length: width }, (_, k) => x[i * width + k]!);
  const target =
    b.target === undefined ? [] : b.target instanceof Int32Array || entry.kind === 'embedding' ? [b.target[i]!] : row(b.target);
  // (a similarity loss's target row is summed as its pred row is: an input of the sums)
  return entry.kind === 'similarity'
    ? { target: [], inputs: [row(b.target as Float), ...b.xs.map(row)] }
    : { target, inputs: b.xs.map(row) };
}

function hasNaN(entry: RegistryEntry, c: Case, i: number): boolean {
  const v = valuesOf(entry, c, i);
  return [...v.target, ...v.inputs.flat()].some(Number.isNaN);
}

/**
 * Which part of the policy applies to example i: 'nonfinite' (a NaN or ±∞ among its values);
 * 'overflow' (finite values whose differences — ŷ − y, z − max z, a − b — exceed the dtype's
 * range; float64 embedding values beyond 1e150, whose squares overflow); 'finite' otherwise.
 */
function region(entry: RegistryEntry, c: Case, i: number): 'finite' | 'overflow' | 'nonfinite' | 'huge' | 'known' {
  const v = valuesOf(entry, c, i);
  if (entry.kind === 'rowwise' && entry.target === 'labels' && v.target[0] === c.batch.opts.ignoreIndex) return 'finite'; // 0, whatever the row
  const all = [...v.target, ...v.inputs.flat()];
  if (!all.every(Number.isFinite)) return 'nonfinite';
  const max = c.f32 ? 3.4028234663852886e38 : Number.MAX_VALUE;
  const real = perElement(entry) ? all : v.inputs.flat();
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of real) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  if (hi - lo > max) return 'overflow';
  const squares = entry.kind === 'embedding' || entry.kind === 'similarity';
  if (squares && !c.f32 && real.some((x) => Math.abs(x) > 1e150)) return 'overflow';
  // (float64 rows of norm below 1e-150: their squares underflow — in the reference too, which then
  // gives ±∞ where the kernel's rescaled sums stay finite)
  if (
    squares &&
    !c.f32 &&
    v.inputs.some((x) => {
      const m = Math.max(...x.map(Math.abs));
      return m > 0 && m < 1e-150;
    })
  )
    return 'overflow';
  // (the row-wise references form exp(z − lse) with lse = max + ln Σ: beyond 2⁵² its absolute
  // error ulp(max) ≥ 1 makes their softmax, not the kernels', wrong — 1 for each of two tied maxima)
  if (entry.kind === 'rowwise' && Math.max(hi, -lo) >= 2 ** 52) return 'huge';
  return 'finite';
}

function exampleOf(entry: RegistryEntry, c: Case, i: number): number {
  return entry.kind === 'rowwise'
    ? Math.floor(i / (c.batch.opts.classes as number))
    : entry.kind === 'embedding' || entry.kind === 'similarity'
      ? Math.floor(i / (c.batch.opts.dim as number))
      : i;
}

/** The inputs of example i, with their bits. */
function inputsAt(entry: RegistryEntry, c: Case, i: number): string {
  const w = c.weights ? `, weight ${bits(c.weights, i, c.f32)}` : '';
  if (entry.kind === 'elementwise') return ` at target ${bits(c.batch.target, i, c.f32)}, pred ${bits(c.batch.xs[0], i, c.f32)}${w}`;
  if (entry.kind === 'ternary') {
    const [a, b] = entry.inputs;
    return ` at target ${bits(c.batch.target, i, c.f32)}, ${a} ${bits(c.batch.xs[0], i, c.f32)}, ${b} ${bits(c.batch.xs[1], i, c.f32)}${w}`;
  }
  const width = (entry.kind === 'rowwise' ? c.batch.opts.classes : c.batch.opts.dim) as number;
  const row = (x: Float) => `[${Array.from(x.subarray(i * width, (i + 1) * width), (v) => show(v)).join(', ')}]`;
  const t =
    c.batch.target instanceof Int32Array || entry.kind === 'embedding'
      ? c.batch.target
        ? show(c.batch.target[i]!)
        : ''
      : row(c.batch.target as Float);
  return ` at row ${i}: target ${t}, inputs ${c.batch.xs.map(row).join(' ')}${w}`;
}

/** A fuzz run: `cases` cases (or until `deadline`, ms since epoch), entries in turn, from one seed. */
export function fuzz(use: Use, opts: { seed: number; cases?: number; deadline?: number; batch?: number; onBatch?: () => void }) {
  const rand = random(opts.seed);
  const entries = use('simd').registry;
  const stats: Record<string, Stats> = {};
  for (const e of entries)
    stats[e.name] = { cases: 0, calls: 0, elements: 0, rejected: 0, nonFinite: 0, overflow: 0, known: 0, failures: 0 };
  const failures: Failure[] = [];
  let done = 0;
  const size = opts.batch ?? 200;
  for (;;) {
    if (opts.cases !== undefined && done >= opts.cases) break;
    if (opts.deadline !== undefined && Date.now() >= opts.deadline) break;
    const m = opts.cases !== undefined ? Math.min(size, opts.cases - done) : size;
    const byEntry = new Map<string, Case[]>();
    for (let k = 0; k < m; k++) {
      const entry = entries[(done + k) % entries.length]!;
      const c = makeCase(entry, rand);
      if (!byEntry.has(c.entry)) byEntry.set(c.entry, []);
      byEntry.get(c.entry)!.push(c);
    }
    for (const [name, cases] of byEntry) fuzzBatch(use, cases, stats[name]!, failures);
    done += m;
    opts.onBatch?.();
  }
  return { stats, failures, cases: done };
}
