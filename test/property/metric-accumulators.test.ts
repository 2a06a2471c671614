// Properties of every metric accumulator (test/metric-subjects.ts), drawn by fast-check (FC_RUNS
// runs, default 200; FC_SEED and FC_PATH replay a failure): any split of a batch into updates,
// merged in any order, is the state of one update, bit for bit, whenever every sum is exact (integer
// weights, scores on a grid of 2^-20); a JSON round trip gives the same state and result bits, with
// any weights; the ranking accumulators' binned result lies within errorBound() of the exact metric;
// and AUC(1 − s) = 1 − AUC(s).
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { initSync, rocAuc } from '../../src/node.js';
import { BUILDS } from '../helpers.js';
import { METRIC_SUBJECTS, type MetricSubject } from '../metric-subjects.js';
import { random } from '../random.js';

const RUNS = Number(process.env.FC_RUNS ?? 200);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const PATH = process.env.FC_PATH;
const EPS = 2 ** -53;

function check<T>(arb: fc.Arbitrary<T>, predicate: (v: T) => void): void {
  fc.assert(
    fc.property(arb, (v) => {
      predicate(v);
    }),
    { numRuns: RUNS, seed: SEED, path: PATH, endOnFailure: true },
  );
}

beforeAll(() => {
  initSync(BUILDS[0].bytes);
});

type Floats = Float32Array | Float64Array;
/** A float array of either dtype from any values (the union of the two constructors' overloads is not callable). */
const floats = (f32: boolean, values: ArrayLike<number>): Floats => (f32 ? Float32Array.from(values) : Float64Array.from(values));
interface Acc {
  update(...a: unknown[]): Acc;
  merge(o: Acc): Acc;
  result(): unknown;
  toJSON(): unknown;
}

/**
 * A subject's valid data for n examples and weights; with integer weights, the scores are put on a
 * grid of 2^-20 too, so that every sum (calibration's Σ w·p included) is exact.
 */
function draw(s: MetricSubject, n: number, seed: number, f32: boolean, weights: 'integer' | 'real') {
  const F = f32 ? Float32Array : Float64Array;
  const [target, scores] = s.data(n, seed, F) as [Int32Array | Floats, Floats];
  const onGrid = weights === 'integer' ? (scores.map((v) => Math.round(v * 2 ** 20) / 2 ** 20) as Floats) : scores;
  const rand = random(seed + 1);
  const w = floats(
    f32,
    Array.from({ length: n }, () => (weights === 'integer' ? Math.floor(rand() * 5) : rand() * 3)),
  );
  return { target, scores: onGrid, w };
}

const accumulating = METRIC_SUBJECTS.filter((s) => s.accumulator !== undefined);
const create = (s: MetricSubject) => s.accumulator!.create(s.base) as unknown as Acc;
const cases = fc.record({
  n: fc.integer({ min: 2, max: 300 }),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
  f32: fc.boolean(),
  cuts: fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 6 }),
  order: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
});

describe.each(accumulating.map((s) => [s.label, s] as const))('%s', (_, s) => {
  test('any split, merged in any order, is one update: the same state, bit for bit (exact sums)', () => {
    check(cases, ({ n, seed, f32, cuts, order }) => {
      const { target, scores, w } = draw(s, n, seed, f32, 'integer');
      const width = scores.length / target.length;
      const edges = [0, ...cuts.map((c) => c % (n + 1)).sort((a, b) => a - b), n];
      const parts = edges.slice(1).map((end, k) => {
        const from = edges[k]!;
        return create(s).update(target.subarray(from, end), scores.subarray(from * width, end * width), w.subarray(from, end));
      });
      // A random order: each step merges a random remaining part into a random other one.
      while (parts.length > 1) {
        const i = order[parts.length % order.length]! % parts.length;
        const from = parts.splice(i, 1)[0]!;
        parts[(i + order[0]!) % parts.length]!.merge(from);
      }
      const one = create(s).update(target, scores, w);
      expect(JSON.stringify(parts[0]!.toJSON())).toBe(JSON.stringify(one.toJSON()));
    });
  });
  test('a JSON round trip keeps the state and the result bits, with any weights', () => {
    check(cases, ({ n, seed, f32 }) => {
      const { target, scores, w } = draw(s, n, seed, f32, 'real');
      const acc = create(s).update(target, scores, w);
      const again = s.accumulator!.fromJSON(JSON.stringify(acc)) as unknown as Acc;
      expect(again.toJSON()).toEqual(acc.toJSON());
      const bits = (r: unknown) => s.numbers(r).map((v) => (Object.is(v, -0) ? '-0' : String(v)));
      expect(bits(again.result())).toEqual(bits(acc.result()));
    });
  });
});

describe('ranking accumulators', () => {
  const ranking = METRIC_SUBJECTS.filter((s) => s.name === 'rocAuc' || s.name === 'averagePrecision');
  test.each(ranking.map((s) => [s.name, s] as const))('%s: the binned result lies within errorBound() of the exact metric', (_, s) => {
    const f = s.f as unknown as typeof rocAuc;
    check(
      fc.record({
        n: fc.integer({ min: 2, max: 400 }),
        seed: fc.nat(),
        bins: fc.integer({ min: 1, max: 200 }),
        weighted: fc.boolean(),
      }),
      ({ n, seed, bins, weighted }) => {
        const { target, scores, w } = draw(s, n, seed, false, 'real');
        const weights = weighted ? w : undefined;
        const acc = f.create({ bins }).update(target, scores, weights);
        const positive = Array.from(target).some((t, i) => t === 1 && (weights?.[i] ?? 1) > 0);
        const negative = Array.from(target).some((t, i) => t === 0 && (weights?.[i] ?? 1) > 0);
        if (!positive || !negative) return;
        // Both are sums of n nonnegative terms, each rounded a few times: 8(n + 4)ε each.
        const slack = 16 * (n + 4) * EPS;
        expect(Math.abs(acc.result() - f(target as Floats, scores, weights ? { weights } : undefined))).toBeLessThanOrEqual(
          acc.errorBound() + slack,
        );
      },
    );
  });
  test('AUC(1 − s) = 1 − AUC(s): the reversed order, ties kept (scores on a grid where 1 − s is exact)', () => {
    check(
      fc.record({
        f32: fc.boolean(),
        rows: fc.array(fc.record({ y: fc.constantFrom(0, 1), s: fc.integer({ min: 0, max: 64 }), w: fc.integer({ min: 0, max: 4 }) }), {
          minLength: 2,
          maxLength: 150,
        }),
        weighted: fc.boolean(),
      }),
      ({ f32, rows, weighted }) => {
        const y = Int32Array.from(rows, (r) => r.y);
        const s = floats(
          f32,
          rows.map((r) => r.s / 64),
        );
        const flipped = floats(
          f32,
          Array.from(s, (v) => 1 - v),
        );
        const weights = weighted
          ? floats(
              f32,
              rows.map((r) => r.w),
            )
          : undefined;
        const both = [0, 1].every((c) => rows.some((r) => r.y === c && (!weighted || r.w > 0)));
        if (!both) return;
        const opts = weights ? { weights } : undefined;
        // Integer weights: area2 and 2PN are exact integers, so each AUC is a correctly rounded fraction and the two sum to 1 within 2 ulps.
        expect(Math.abs(rocAuc(y, s, opts) + rocAuc(y, flipped, opts) - 1)).toBeLessThanOrEqual(2 * 2 ** -52);
      },
    );
  });
});
