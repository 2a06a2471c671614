// Properties of the ranking metrics, drawn by fast-check (FC_RUNS runs, default 1000; FC_SEED and
// FC_PATH replay a failure): AUC of the negated scores is 1 − AUC; both metrics are invariant under
// any strictly increasing map of the scores and any order of the examples; unweighted AUC is the
// exact pair count; both builds agree bit for bit; accumulators merge in any order to the same bits.
import fc from 'fast-check';
import { describe, expect, test, vi } from 'vitest';
import { BUILDS, expectIdentical } from '../helpers.js';
import { averagePrecisionRef, pairCount, rocAucRef } from '../reference/ranking.js';

type Lib = typeof import('../../src/node.js');

const RUNS = Number(process.env.FC_RUNS ?? 1000);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const PATH = process.env.FC_PATH;

async function load(bytes: Uint8Array): Promise<Lib> {
  vi.resetModules();
  const lib = await import('../../src/node.js');
  lib.initSync(bytes);
  return lib;
}
const simd = await load(BUILDS[0].bytes);
const scalar = await load(BUILDS[1].bytes);

function check<T>(arb: fc.Arbitrary<T>, predicate: (v: T) => void): void {
  fc.assert(
    fc.property(arb, (v) => {
      predicate(v);
    }),
    { numRuns: RUNS, seed: SEED, path: PATH, endOnFailure: true },
  );
}

type Floats = Float32Array | Float64Array;
/** A float array of either dtype from any values (the union of the two constructors' overloads is not callable). */
const floats = (f32: boolean, values: ArrayLike<number>): Floats => (f32 ? Float32Array.from(values) : Float64Array.from(values));

/** Examples with both classes: small integer scores (ties likely, every map below exact on them), integer or real weights. */
const examples = fc
  .record({
    f32: fc.boolean(),
    rows: fc.array(fc.record({ y: fc.constantFrom(0, 1), s: fc.integer({ min: -40, max: 40 }), w: fc.integer({ min: 0, max: 5 }) }), {
      minLength: 2,
      maxLength: 120,
    }),
    weights: fc.constantFrom('none', 'integer', 'real'),
  })
  .filter(({ rows, weights }) => [0, 1].every((c) => rows.some((r) => r.y === c && (weights === 'none' || r.w > 0))))
  .map(({ f32, rows, weights }) => {
    return {
      f32,
      y: floats(
        f32,
        rows.map((r) => r.y),
      ),
      s: floats(
        f32,
        rows.map((r) => r.s),
      ),
      w:
        weights === 'none'
          ? undefined
          : floats(
              f32,
              rows.map((r, i) => (weights === 'integer' ? r.w : r.w * (1 + i / 7))),
            ),
    };
  });

const integerWeighted = examples.filter((e) => e.w === undefined || e.w.every(Number.isInteger));

const metrics = (l: Lib) => [l.rocAuc, l.averagePrecision] as const;
const optsOf = (w: Float32Array | Float64Array | undefined) => (w ? { weights: w } : undefined);

describe('ranking metrics', () => {
  test('AUC of the negated scores is 1 − AUC', () => {
    check(examples, ({ f32, y, s, w }) => {
      const a = simd.rocAuc(y, s, optsOf(w));
      const b = simd.rocAuc(
        y,
        floats(
          f32,
          Array.from(s, (v) => -v),
        ),
        optsOf(w),
      );
      // Unweighted the two are exact fractions rounded once; weighted, sums of up to 120 rounded terms.
      expect(Math.abs(a + b - 1)).toBeLessThanOrEqual(w ? 1e-13 : 2 ** -52);
    });
  });
  test('invariant under strictly increasing maps of the scores (exact on these scores): the same bits', () => {
    const maps = [(x: number) => 3 * x - 7, (x: number) => x ** 3, (x: number) => 2 ** x, (x: number) => x / 64 + 0.5];
    check(examples, ({ f32, y, s, w }) => {
      for (const f of metrics(simd)) {
        const base = f(y, s, optsOf(w));
        for (const map of maps) expect(f(y, floats(f32, Array.from(s, map)), optsOf(w))).toBe(base);
      }
    });
  });
  test('invariant under any order of the examples (integer weights: the same bits)', () => {
    check(
      examples.chain((e) => fc.tuple(fc.constant(e), fc.shuffledSubarray([...e.y.keys()], { minLength: e.y.length }))),
      ([{ y, s, w }, order]) => {
        const p = <T extends Float32Array | Float64Array>(a: T) => a.map((_, i) => a[order[i]!]!) as T;
        const integer = w === undefined || w.every(Number.isInteger);
        for (const f of metrics(simd)) {
          const a = f(y, s, optsOf(w));
          const b = f(p(y), p(s), optsOf(w && p(w)));
          if (integer) expect(b).toBe(a);
          else expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-13);
        }
      },
    );
  });
  test('unweighted AUC is the Mann–Whitney pair count, exactly', () => {
    check(examples, ({ y, s }) => {
      const { right2, pairs2 } = pairCount(y, s);
      expect(simd.rocAuc(y, s)).toBe(right2 / pairs2);
    });
  });
  test('both builds give the same bits', () => {
    check(examples, ({ y, s, w }) => {
      const run = (l: Lib) => [
        ...metrics(l).map((f) => f(y, s, optsOf(w))),
        ...l.rocCurve(y, s, optsOf(w)).fpr,
        ...l.precisionRecallCurve(y, s, optsOf(w)).precision,
      ];
      expectIdentical(run(scalar), run(simd));
    });
  });
  test('accumulators: any split merged in any order, the same bits as one update (integer weights)', () => {
    check(
      integerWeighted.chain((e) =>
        fc.tuple(
          fc.constant(e),
          fc.uniqueArray(fc.integer({ min: 1, max: e.y.length - 1 }), { maxLength: 5 }),
          fc.integer({ min: 1, max: 80 }),
        ),
      ),
      ([{ y, s, w }, cuts, bins]) => {
        const edges = [0, ...cuts.sort((a, b) => a - b), y.length];
        for (const f of metrics(simd)) {
          const range = [-41, 41] as const;
          const one = f.create({ bins, range }).update(y, s, w);
          const parts = edges
            .slice(1)
            .map((end, k) =>
              f.create({ bins, range }).update(y.subarray(edges[k], end), s.subarray(edges[k], end), w?.subarray(edges[k], end)),
            );
          const merged = parts.reverse().reduce((a, b) => b.merge(a));
          expect(merged.toJSON()).toEqual(one.toJSON());
          expect(merged.result()).toBe(one.result());
        }
      },
    );
  });
  test('adversarial bit patterns (NaN, ±0, subnormals, ±Infinity, extremes): the first refused value named, else the references', () => {
    const value = (f32: boolean) => (f32 ? fc.float() : fc.double()); // NaN, ±0, subnormals, ±Infinity and extremes by default
    const row = (f32: boolean) =>
      fc.record({
        y: fc.oneof({ weight: 20, arbitrary: fc.constantFrom(0, 1) }, { weight: 1, arbitrary: value(f32) }),
        s: value(f32),
        // (weights whose sums stay finite: the references' sums and ours overflow differently)
        w: fc.oneof(
          { weight: 20, arbitrary: fc.constantFrom(0, -0, 1, 2.5, 1e-30, 1e30) },
          { weight: 1, arbitrary: fc.constantFrom(Number.NaN, -1, -1e-30, Infinity, -Infinity) },
        ),
      });
    const cases = fc
      .boolean()
      .chain((f32) => fc.record({ f32: fc.constant(f32), rows: fc.array(row(f32), { maxLength: 60 }), weighted: fc.boolean() }));
    check(cases, ({ f32, rows, weighted }) => {
      const y = floats(
        f32,
        rows.map((r) => r.y),
      );
      const s = floats(
        f32,
        rows.map((r) => r.s),
      );
      const w = weighted
        ? floats(
            f32,
            rows.map((r) => r.w),
          )
        : undefined;
      // The first example at fault, and in it the score before the target before the weight.
      const badWeight = (v: number) => !(v >= 0 && Number.isFinite(v));
      const at = rows.findIndex((_, i) => Number.isNaN(s[i]) || (y[i] !== 0 && y[i] !== 1) || (w !== undefined && badWeight(w[i]!)));
      const expected = at < 0 ? undefined : Number.isNaN(s[at]) ? 'scores' : y[at] !== 0 && y[at] !== 1 ? 'target' : 'opts.weights';
      const weightOf = (i: number) => (w === undefined ? 1 : w[i]!);
      const both = [0, 1].every((c) => rows.some((_, i) => y[i] === c && weightOf(i) > 0));
      for (const l of [simd, scalar]) {
        for (const [f, ref] of [
          [l.rocAuc, rocAucRef],
          [l.averagePrecision, averagePrecisionRef],
        ] as const) {
          let error: unknown;
          let got: number | undefined;
          try {
            got = f(y, s, optsOf(w));
          } catch (e) {
            error = e;
          }
          if (expected !== undefined) {
            expect((error as InstanceType<Lib['SimdlossError']>).argument).toBe(expected);
            expect((error as InstanceType<Lib['SimdlossError']>).index).toBe(at);
          } else if (!both) {
            expect((error as Error).message).toMatch(/target has no (positive|negative) example/);
          } else {
            const want = ref(y, s, w);
            expect(Math.abs(got! - want)).toBeLessThanOrEqual(1e-12);
          }
        }
      }
      if (expected === undefined && both) expect(scalar.rocAuc(y, s, optsOf(w))).toBe(simd.rocAuc(y, s, optsOf(w)));
    });
  });
});
