// Properties of the counting metrics, drawn by fast-check (FC_RUNS times, default 200 here: each
// draw is a few hundred examples; FC_SEED / FC_PATH replay a failure): identities that hold for
// every input, checked exactly where the sums are exact (counts, weights that are multiples of 1/8).
import fc from 'fast-check';
import { beforeAll, expect, test } from 'vitest';
import { binaryConfusion, calibration, confusionMatrix, initSync, precisionRecallF1 } from '../../src/node.js';
import { BUILDS, expectNear } from '../helpers.js';

const RUNS = Number(process.env.FC_RUNS ?? 200);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const PATH = process.env.FC_PATH;

beforeAll(() => initSync(BUILDS[0].bytes));

function check<T>(arb: fc.Arbitrary<T>, predicate: (v: T) => void): void {
  fc.assert(
    fc.property(arb, (v) => {
      predicate(v);
    }),
    { numRuns: RUNS, seed: SEED, path: PATH, endOnFailure: true },
  );
}

/** C classes, then n examples: a label, a predicted label, C scores (small integers, so ties are common) and a weight in eighths. */
const draws = fc.integer({ min: 1, max: 12 }).chain((C) =>
  fc.record({
    C: fc.constant(C),
    rows: fc.array(
      fc.record({
        t: fc.integer({ min: 0, max: C - 1 }),
        k: fc.integer({ min: 0, max: C - 1 }),
        s: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: C, maxLength: C }),
        w: fc.integer({ min: 0, max: 40 }),
      }),
      { maxLength: 300 },
    ),
    f32: fc.boolean(),
    split: fc.array(fc.nat(), { maxLength: 6 }),
  }),
);

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((x, v) => x + v, 0);

type Draw = { C: number; rows: { t: number; k: number; s: number[]; w: number }[]; f32: boolean };

function arrays(d: Draw) {
  const float = (values: number[]): Float32Array | Float64Array => (d.f32 ? Float32Array.from(values) : Float64Array.from(values));
  return {
    y: Int32Array.from(d.rows, (r) => r.t),
    k: Int32Array.from(d.rows, (r) => r.k),
    s: float(d.rows.flatMap((r) => r.s)),
    w: float(d.rows.map((r) => r.w / 8)),
  };
}

test('the matrix total is Σ w, row sums are the weight of each true class, and micro-F1 = accuracy', () => {
  check(draws, (d) => {
    const { y, s, w } = arrays(d);
    const m = confusionMatrix(y, s, { classes: d.C, weights: w });
    const total = sum(w);
    expect(m.reduce((a, b) => a + b, 0)).toBe(total);
    const { support } = precisionRecallF1(m);
    for (let c = 0; c < d.C; c++) expect(support[c]).toBe(sum(w.filter((_, i) => y[i] === c)));
    let trace = 0;
    for (let c = 0; c < d.C; c++) trace += m[c * d.C + c]!;
    const micro = precisionRecallF1(m, { average: 'micro' });
    const accuracy = total > 0 ? trace / total : 0;
    expectNear(micro.f1, accuracy, 1e-15, 'micro f1');
    expectNear(micro.precision, accuracy, 1e-15, 'micro precision');
    expectNear(micro.recall, accuracy, 1e-15, 'micro recall');
  });
});

test('score rows count as their argmax (the first largest) would as predicted labels', () => {
  check(draws, (d) => {
    const { y, s } = arrays(d);
    const argmax = Int32Array.from(d.rows, (r) => r.s.indexOf(Math.max(...r.s)));
    expect(confusionMatrix(y, s, { classes: d.C })).toEqual(confusionMatrix(y, argmax, { classes: d.C }));
  });
});

test('any split into updates, merged in reverse, is the one call; both builds agree', () => {
  check(draws, (d) => {
    const { y, k, w } = arrays(d);
    const n = y.length;
    const cuts = [0, ...d.split.map((c) => c % (n + 1)).sort((a, b) => a - b), n];
    const parts = cuts
      .slice(1)
      .map((b, i) =>
        confusionMatrix.create({ classes: d.C }).update(y.subarray(cuts[i]!, b), k.subarray(cuts[i]!, b), w.subarray(cuts[i]!, b)),
      );
    const merged = parts.reverse().reduce((a, b) => a.merge(b));
    const one = confusionMatrix(y, k, { classes: d.C, weights: w });
    expect(merged.result()).toEqual(one);
    initSync(BUILDS[1].bytes);
    try {
      expect(confusionMatrix(y, k, { classes: d.C, weights: w })).toEqual(one);
    } finally {
      initSync(BUILDS[0].bytes);
    }
  });
});

test('binaryConfusion is confusionMatrix of (score > threshold) with two classes; macro recall of one class is its recall', () => {
  check(draws, (d) => {
    const { s, w } = arrays(d);
    const n = d.rows.length;
    const t = Int32Array.from(d.rows, (r) => r.t & 1);
    const scores = s.subarray(0, n);
    const threshold = 0.5;
    const b = binaryConfusion(t, scores, { threshold, weights: w });
    const m = confusionMatrix(
      t,
      Int32Array.from(scores, (v) => Number(v > threshold)),
      { classes: 2, weights: w },
    );
    expect([b.tn, b.fp, b.fn, b.tp]).toEqual([...m]);
    const { recall } = precisionRecallF1(m);
    expect(recall[1]).toBe(b.tp + b.fn > 0 ? b.tp / (b.tp + b.fn) : 0);
  });
});

test('calibration: Σ count = Σ w, 0 ≤ ECE ≤ MCE ≤ 1, and each bin holds only its probabilities', () => {
  check(
    fc.record({
      p: fc.array(fc.integer({ min: 0, max: 64 }), { maxLength: 300 }),
      bins: fc.integer({ min: 1, max: 20 }),
      seed: fc.nat(),
    }),
    ({ p, bins, seed }) => {
      const probs = Float64Array.from(p, (v) => v / 64);
      const y = Int32Array.from(p, (v, i) => (v * 7 + i + seed) & 1);
      const w = Float64Array.from(p, (_, i) => ((i * 5 + seed) % 9) / 8);
      const r = calibration(y, probs, { bins, weights: w });
      expect(r.bins.count.reduce((a, b) => a + b, 0)).toBe(w.reduce((a, b) => a + b, 0));
      expect(r.ece).toBeGreaterThanOrEqual(0);
      expect(r.ece).toBeLessThanOrEqual(r.mce + 1e-15);
      expect(r.mce).toBeLessThanOrEqual(1);
      for (let b = 0; b < bins; b++) {
        if (r.bins.count[b] === 0) continue;
        // the mean confidence of bin b lies within its edges (1.0 in the last)
        expect(r.bins.confidence[b]).toBeGreaterThanOrEqual(b / bins - 1e-15);
        expect(r.bins.confidence[b]).toBeLessThanOrEqual((b + 1) / bins + 1e-15);
      }
    },
  );
});
