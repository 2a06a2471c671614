// Every loss-like export as a "subject" the generic tests drive (the bad-input matrix, faults, soak):
// its array arguments, required options, valid seeded data of any number of examples in either
// dtype, and its float64 reference (test/reference/) for the default options. Built from the
// registry, so a new loss is covered without a line here. (No test-runner import: the soak of
// tools/soak.ts uses it too.)

import type { NumericOption } from '../src/core/args.js';
import * as lib from '../src/node.js';
import { binaryAccuracy } from '../src/node.js';
import { random } from './random.js';
import { applies } from './reference/domains.js';
import { embeddingReferences } from './reference/embedding.js';
import { expected, rowReferences } from './reference/index.js';
import { type RegistryEntry, registryOf, type SimilarityEntry, type TernaryEntry } from './registry.js';

export type AnyLoss = any; // the registry holds functions of several option types; each caller passes the right ones
export type Method = 'f' | 'grad' | 'withGrad' | 'create' | 'update';
export type Args = unknown[];

/** The float64 reference for the default options: per-example losses, their mean and sum, dL/dpred of the mean (embedding: one per input). */
export interface Right {
  losses: Float64Array;
  loss: number;
  sum: number;
  grad?: Float64Array | Record<string, Float64Array>;
  /** Per example, the size of the terms its loss is a difference of, where the reference says (lossScale). */
  lossScale?: Float64Array;
}

export interface Subject {
  name: string;
  loss: AnyLoss;
  kind: 'elementwise' | 'rowwise' | 'embedding' | 'ternary' | 'similarity';
  /** Names of the array arguments in call order; `ref` is the one the others are checked against. */
  args: readonly string[];
  ref: number;
  /** The keys of opts.out: one gradient array ([undefined]), or an object of them by input name. */
  outKeys: readonly (string | undefined)[];
  /** Arguments that are Int32Array labels. */
  ints: ReadonlySet<number>;
  /** Options every call needs ({ classes } / { dim }). */
  base: Record<string, unknown>;
  numeric: readonly NumericOption[];
  /** Has a gradient (not a metric). */
  grad: boolean;
  /** Relative tolerance of the float32 kernel (the registry's); float64 kernels: 1e-12. */
  f32Tolerance: number;
  /** Valid arguments for `rows` examples (float64, or float32 with `f32`). */
  data(rows: number, seed: number, f32?: boolean): Args;
  /** Where single elements may be out of domain: argument index, bad values, the text naming the domain. */
  domains: readonly { arg: number; values: readonly number[]; expected: string }[];
  /** With `weights` (one per example): wᵢ·lᵢ per example, Σ wᵢlᵢ / Σ wᵢ, and the weighted mean's gradient. */
  reference(args: Args, f32?: boolean, weights?: ArrayLike<number>): Right;
  /** Element count of argument j per example. */
  width(j: number): number;
}

export const C = 3;
export const DIM = 3;

const cast = (a: Float64Array, f32: boolean | undefined) => (f32 ? Float32Array.from(a) : a);
const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, x) => s + x, 0);

function subject(entry: RegistryEntry): Subject {
  if (entry.kind === 'elementwise') {
    const ref = entry.reference;
    // (the checks that apply under the default options, which every call here passes)
    const domains = (['target', 'pred'] as const).flatMap((arg, j) => {
      const d = entry.checks[arg];
      return applies(d, {}) ? [{ arg: j, values: d.bad, expected: d.message }] : [];
    });
    return {
      name: entry.name,
      loss: entry.loss,
      kind: 'elementwise',
      args: ['target', 'pred'],
      ref: 1,
      outKeys: [undefined],
      ints: new Set(),
      base: {},
      numeric: entry.options,
      grad: true,
      f32Tolerance: entry.f32Tolerance,
      domains,
      width: () => 1,
      data(rows, seed, f32) {
        const at = uniformDraw(seed);
        const y = targets(rows, entry.labels, entry.domain.target, at);
        const p = Float64Array.from({ length: rows }, () => at(entry.domain.pred));
        return [cast(y, f32), cast(p, f32)];
      },
      reference([y, p], f32, weights) {
        const e = expected(ref, y as ArrayLike<number>, p as ArrayLike<number>, {}, weights, f32);
        return { losses: e.losses, loss: e.mean, sum: e.sum, grad: e.gradMean, lossScale: e.lossScale };
      },
    };
  }
  if (entry.kind === 'rowwise') {
    const labels = entry.target === 'labels';
    const ref = rowReferences[entry.name]!;
    return {
      name: entry.name,
      loss: entry.loss,
      kind: 'rowwise',
      args: [labels ? 'labels' : 'target', 'pred'],
      ref: 1,
      outKeys: [undefined],
      ints: new Set(labels ? [0] : []),
      base: { classes: C },
      numeric: entry.options,
      grad: !entry.metric,
      f32Tolerance: entry.f32Tolerance,
      width: (j) => (j === 0 && labels ? 1 : C),
      domains: labels
        ? [{ arg: 0, values: [-1, C, C + 100, -2147483648, 2147483647], expected: `[0, ${C - 1}]` }]
        : [{ arg: 0, values: [-0.5, 1.5, NaN, Infinity], expected: 'in [0, 1]' }],
      data(rows, seed, f32) {
        const rand = random(seed);
        const [lo, hi] = entry.domain.pred;
        // Metrics: logits in steps far apart (no near-ties that float32 rounding could flip).
        const z = Float64Array.from({ length: rows * C }, () =>
          entry.metric ? Math.floor(rand() * 7) * 0.75 + rand() * 0.01 : lo + (hi - lo) * rand(),
        );
        if (labels) return [Int32Array.from({ length: rows }, () => Math.floor(rand() * C)), cast(z, f32)];
        const t = new Float64Array(rows * C);
        for (let r = 0; r < rows; r++) {
          let s = 0;
          for (let k = 0; k < C; k++) s += t[r * C + k] = rand();
          for (let k = 0; k < C; k++) t[r * C + k] = t[r * C + k]! / s;
        }
        return [cast(t, f32), cast(z, f32)];
      },
      reference([t, z], _, weights) {
        const e = ref(t as ArrayLike<number>, z as ArrayLike<number>, { classes: C }, weights);
        return { losses: e.losses, loss: e.mean, sum: e.sum, grad: entry.metric ? undefined : e.gradMean };
      },
    };
  }
  if (entry.kind === 'ternary') return ternarySubject(entry);
  if (entry.kind === 'similarity') return similaritySubject(entry);
  const ref = embeddingReferences[entry.name]!;
  const hasLabel = entry.labels !== 'none';
  const names = hasLabel ? ['label', ...entry.inputs] : [...entry.inputs];
  const first = hasLabel ? 1 : 0;
  return {
    name: entry.name,
    loss: entry.loss,
    kind: 'embedding',
    args: names,
    ref: first,
    outKeys: entry.inputs,
    ints: new Set(),
    base: { dim: DIM },
    numeric: entry.options,
    grad: true,
    f32Tolerance: entry.f32Tolerance,
    width: (j) => (hasLabel && j === 0 ? 1 : DIM),
    domains:
      entry.labels === 'binary'
        ? [{ arg: 0, values: [-0.5, 1.5, NaN, Infinity], expected: 'in [0, 1]' }]
        : entry.labels === 'sign'
          ? [{ arg: 0, values: [0, 0.5, 2, -2, NaN], expected: '1 or -1' }]
          : [],
    data(rows, seed, f32) {
      const rand = random(seed);
      const xs = entry.inputs.map(() =>
        cast(
          Float64Array.from({ length: rows * DIM }, () => 2 * rand() - 1),
          f32,
        ),
      );
      if (!hasLabel) return xs;
      const label = Float64Array.from({ length: rows }, (_, i) => (entry.labels === 'sign' ? (i % 2 ? 1 : -1) : i % 2));
      return [cast(label, f32), ...xs];
    },
    reference(args, _, weights) {
      const xs = args.slice(first) as Float64Array[];
      const rows = xs[0]!.length / DIM;
      const w = (r: number) => (weights ? weights[r]! : 1);
      const wsum = weights ? sum(weights) : rows;
      const losses = new Float64Array(rows);
      const grad: Record<string, Float64Array> = Object.fromEntries(entry.inputs.map((k) => [k, new Float64Array(rows * DIM)]));
      for (let r = 0; r < rows; r++) {
        const row = ref.row(
          hasLabel ? (args[0] as Float64Array)[r]! : NaN,
          xs.map((x) => Array.from(x.subarray(r * DIM, (r + 1) * DIM))),
          {},
        );
        losses[r] = w(r) * row.loss;
        row.grads.forEach(
          (g, j) =>
            void grad[entry.inputs[j]!]!.set(
              g.map((v) => (wsum > 0 ? (w(r) * v) / wsum : 0)),
              r * DIM,
            ),
        );
      }
      const total = sum(losses);
      return { losses, loss: wsum > 0 ? total / wsum : 0, sum: total, grad };
    },
  };
}

/** A three-input elementwise loss: (target, a, b), one element of each per example, a gradient per input. */
function ternarySubject(entry: TernaryEntry): Subject {
  const ref = entry.reference;
  return {
    name: entry.name,
    loss: entry.loss,
    kind: 'ternary',
    args: ['target', ...entry.inputs],
    ref: 1,
    outKeys: entry.inputs,
    ints: new Set(),
    base: {},
    numeric: entry.options,
    grad: true,
    f32Tolerance: entry.f32Tolerance,
    width: () => 1,
    domains: ['target', ...entry.inputs].flatMap((name, j) => {
      const d = entry.checks[name];
      return d ? [{ arg: j, values: d.bad, expected: d.message }] : [];
    }),
    data(rows, seed, f32) {
      const at = uniformDraw(seed);
      const y = targets(rows, entry.labels, entry.domain.target, at);
      const a = Float64Array.from({ length: rows }, () => at(entry.domain.a));
      const b = Float64Array.from({ length: rows }, () => at(entry.domain.b));
      return [cast(y, f32), cast(a, f32), cast(b, f32)];
    },
    reference([y, a, b], f32, weights) {
      const [t, x1, x2] = [y, a, b] as ArrayLike<number>[];
      const rows = t!.length;
      const w = (i: number) => (weights ? weights[i]! : 1);
      const wsum = weights ? sum(weights) : rows;
      const losses = Float64Array.from({ length: rows }, (_, i) => w(i) * ref.loss(t![i]!, x1![i]!, x2![i]!, {}, f32));
      const grad: Record<string, Float64Array> = Object.fromEntries(entry.inputs.map((k) => [k, new Float64Array(rows)]));
      for (let i = 0; i < rows; i++) {
        const g = ref.grads(t![i]!, x1![i]!, x2![i]!, {}, f32);
        entry.inputs.forEach((k, j) => {
          grad[k]![i] = wsum > 0 ? (w(i) * g[j]!) / wsum : 0;
        });
      }
      const total = sum(losses);
      return { losses, loss: wsum > 0 ? total / wsum : 0, sum: total, grad };
    },
  };
}

/** A similarity loss: (target, pred), rows of DIM values of each, dL/dpred. */
function similaritySubject(entry: SimilarityEntry): Subject {
  const ref = entry.reference;
  return {
    name: entry.name,
    loss: entry.loss,
    kind: 'similarity',
    args: ['target', 'pred'],
    ref: 1,
    outKeys: [undefined],
    ints: new Set(),
    base: { dim: DIM },
    numeric: entry.options,
    grad: true,
    f32Tolerance: entry.f32Tolerance,
    width: () => DIM,
    domains: entry.checked ? [0, 1].map((arg) => ({ arg, values: entry.checked!.bad, expected: entry.checked!.message })) : [],
    data(rows, seed, f32) {
      const at = uniformDraw(seed);
      const y = Float64Array.from({ length: rows * DIM }, () => at(entry.domain.target));
      const p = Float64Array.from({ length: rows * DIM }, () => at(entry.domain.pred));
      return [cast(y, f32), cast(p, f32)];
    },
    reference([y, p], _, weights) {
      const t = y as ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> };
      const q = p as typeof t;
      const rows = t.length / DIM;
      const w = (r: number) => (weights ? weights[r]! : 1);
      const wsum = weights ? sum(weights) : rows;
      const losses = new Float64Array(rows);
      const grad = new Float64Array(rows * DIM);
      for (let r = 0; r < rows; r++) {
        const row = ref.row(t.subarray(r * DIM, (r + 1) * DIM), q.subarray(r * DIM, (r + 1) * DIM), {});
        losses[r] = w(r) * row.loss;
        row.grad.forEach((g, j) => {
          grad[r * DIM + j] = wsum > 0 ? (w(r) * g) / wsum : 0;
        });
      }
      const total = sum(losses);
      return { losses, loss: wsum > 0 ? total / wsum : 0, sum: total, grad };
    },
  };
}

/** binaryAccuracy is exported but not in the registry (a metric without a gradient): its subject, reference from its formula. */
function binaryAccuracySubject(): Subject {
  return {
    name: 'binaryAccuracy',
    loss: binaryAccuracy,
    kind: 'elementwise',
    args: ['target', 'pred'],
    ref: 1,
    outKeys: [undefined],
    ints: new Set(),
    base: {},
    numeric: binaryAccuracy.options,
    grad: false,
    f32Tolerance: 0,
    width: () => 1,
    domains: [
      { arg: 0, values: [-0.5, 1.5, NaN, Infinity], expected: 'in [0, 1]' },
      { arg: 1, values: [-0.5, 1.5, NaN, Infinity], expected: 'in [0, 1]' },
    ],
    data(rows, seed, f32) {
      const rand = random(seed);
      // Probabilities away from the threshold: float32 rounding cannot move one across it.
      return [
        cast(
          Float64Array.from({ length: rows }, (_, i) => i % 2),
          f32,
        ),
        cast(
          Float64Array.from({ length: rows }, () => (rand() < 0.5 ? 0.1 : 0.9) + 0.05 * rand()),
          f32,
        ),
      ];
    },
    reference([y, p], _, weights) {
      const t = y as ArrayLike<number>;
      const q = p as ArrayLike<number>;
      const losses = Float64Array.from({ length: t.length }, (_, i) => (weights ? weights[i]! : 1) * (q[i]! > 0.5 === t[i]! > 0.5 ? 1 : 0));
      const total = sum(losses);
      const wsum = weights ? sum(weights) : t.length;
      return { losses, loss: wsum > 0 ? total / wsum : 0, sum: total };
    },
  };
}

export const subjects: readonly Subject[] = [...registryOf(lib).map(subject), binaryAccuracySubject()];

export function methodsOf(s: Subject): Method[] {
  return s.grad ? ['f', 'grad', 'withGrad', 'update'] : ['f', 'update'];
}

/** One call of `method`; 'update' creates an accumulator with opts (weights aside) and updates it once. */
export function call(s: Subject, method: Method, args: Args, opts: unknown): unknown {
  const f = s.loss;
  if (method === 'f') return f(...args, opts);
  if (method === 'grad') return f.grad(...args, opts);
  if (method === 'withGrad') return f.withGrad(...args, opts);
  if (method === 'create') return f.create(opts);
  const { weights, ...rest } = (opts ?? {}) as Record<string, unknown>;
  return f.create(rest).update(...args, ...(weights === undefined ? [] : [weights]));
}

/** A draw uniform over a range, from a seeded generator. */
function uniformDraw(seed: number): (range: readonly [number, number]) => number {
  const rand = random(seed);
  return (r) => r[0] + (r[1] - r[0]) * rand();
}

/** Targets for `rows` examples: the entry's labels (all, or every other one by their share), else draws from its domain. */
function targets(
  rows: number,
  labels: { share: number; values: readonly number[] } | undefined,
  domain: readonly [number, number],
  at: (range: readonly [number, number]) => number,
): Float64Array {
  return Float64Array.from({ length: rows }, (_, i) =>
    labels && (labels.share === 1 || i % 2 === 0) ? labels.values[i % labels.values.length]! : at(domain),
  );
}
