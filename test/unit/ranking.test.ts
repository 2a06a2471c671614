// rocAuc, averagePrecision and their curves against float64 references written from scikit-learn's
// definitions (test/reference/ranking.ts) and hand-checked cases; ties, weights, both dtypes, both
// builds bit for bit, chunk edges, zero copy, bad input.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { staging } from '../../src/core/wasm.js';
import { alloc, averagePrecision, initSync, memory, precisionRecallCurve, rocAuc, rocCurve, SimdlossError } from '../../src/node.js';
import { BUILDS, DTYPES, expectClose, expectIdentical, expectNear, random } from '../helpers.js';
import { averagePrecisionRef, pairCount, precisionRecallCurveRef, rocAucRef, rocCurveRef } from '../reference/ranking.js';

const EPS = 2 ** -53;

/** Seeded examples: about `share` positives; scores on a grid of `levels` values (ties) or continuous (levels 0). */
function data(Ctor: Float32ArrayConstructor | Float64ArrayConstructor, n: number, seed: number, levels = 0, weighted = false, share = 0.3) {
  const rand = random(seed);
  const y = new Ctor(n);
  const s = new Ctor(n);
  const w = weighted ? new Ctor(n) : undefined;
  for (let i = 0; i < n; i++) {
    y[i] = rand() < share ? 1 : 0;
    const raw = rand() * 0.7 + y[i]! * 0.3;
    s[i] = levels > 0 ? Math.floor(raw * levels) / levels : raw;
    if (w) w[i] = rand() < 0.1 ? 0 : rand() * 3;
  }
  // Both classes, whatever the draw.
  if (n >= 2) {
    y[0] = 1;
    y[1] = 0;
    if (w) w[0] = w[1] = 1;
  }
  return { y, s, w };
}

/**
 * The tolerance against the trapezoid and −Σ ΔR·P references: both add n nonnegative terms, each
 * rounded a few times (relative 3ε), to cumulative sums each rounded n times: 8(n + 4)ε relative.
 */
const tolOf = (n: number) => 8 * (n + 4) * EPS;

beforeAll(() => {
  initSync(BUILDS[0].bytes);
});

describe("scikit-learn's documented examples, checked by hand", () => {
  // y = [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8]: of the four pairs, 0.35 < 0.4 is the one ordered wrong.
  const y = Float64Array.of(0, 0, 1, 1);
  const s = Float64Array.of(0.1, 0.4, 0.35, 0.8);
  test('roc_auc_score 0.75, average_precision_score (1 + 2/3)/2', () => {
    expect(rocAuc(y, s)).toBe(0.75);
    expect(averagePrecision(y, s)).toBe((1 + 2 / 3) / 2);
  });
  test('roc_curve: fpr [0, 0, .5, .5, 1], tpr [0, .5, .5, 1, 1], thresholds [inf, .8, .4, .35, .1]', () => {
    const c = rocCurve(y, s);
    expectIdentical(c.fpr, [0, 0, 0.5, 0.5, 1]);
    expectIdentical(c.tpr, [0, 0.5, 0.5, 1, 1]);
    expectIdentical(c.thresholds, [Infinity, 0.8, 0.4, 0.35, 0.1]);
  });
  test('precision_recall_curve: precision [.5, 2/3, .5, 1, 1], recall [1, 1, .5, .5, 0], thresholds [.1, .35, .4, .8]', () => {
    const c = precisionRecallCurve(y, s);
    expectIdentical(c.precision, [0.5, 2 / 3, 0.5, 1, 1]);
    expectIdentical(c.recall, [1, 1, 0.5, 0.5, 0]);
    expectIdentical(c.thresholds, [0.1, 0.35, 0.4, 0.8]);
  });
});

describe('ties, signed zeros and infinities, by hand', () => {
  test.each(DTYPES)('%s', ({ Array: A }) => {
    // pos {0.5, 0.9}, neg {0.5, 0.2}: 0.9 beats both, 0.5 ties 0.5 (½), 0.5 beats 0.2: 3.5/4.
    expect(rocAuc(A.of(0, 1, 0, 1), A.of(0.5, 0.5, 0.2, 0.9))).toBe(0.875);
    // Thresholds 0.9 (tp 1, fp 0, P 1), 0.5 (tp 2, fp 1, P 2/3): AP = ½·1 + ½·⅔.
    expect(averagePrecision(A.of(0, 1, 0, 1), A.of(0.5, 0.5, 0.2, 0.9))).toBe(0.5 + 0.5 * (2 / 3));
    // Every score equal: AUC ½, AP the share of positives.
    expect(rocAuc(A.of(1, 0, 0, 1, 0), A.of(3, 3, 3, 3, 3))).toBe(0.5);
    expect(averagePrecision(A.of(1, 0, 0, 1, 0), A.of(3, 3, 3, 3, 3))).toBe(2 / 5);
    // -0 and +0 tie.
    expect(rocAuc(A.of(1, 0), A.of(-0, 0))).toBe(0.5);
    expect(rocAuc(A.of(0, 1), A.of(-0, 0))).toBe(0.5);
    // pos {∞, 0}, neg {−∞, ∞}: ∞ > −∞, ∞ = ∞ (½), 0 > −∞, 0 < ∞: 2.5/4.
    expect(rocAuc(A.of(0, 1, 0, 1), A.of(-Infinity, Infinity, Infinity, 0))).toBe(0.625);
    // Negative scores order as numbers: −1e-3 above −2, below 1e-30.
    expect(rocAuc(A.of(1, 0, 1, 0), A.of(-1e-3, -2, 1e-30, 1e-30))).toBe(0.625);
    // A curve's thresholds are the scores themselves, negative and infinite ones included.
    const scores = A.of(-Infinity, Infinity, -2, -1e-3, -0);
    expectIdentical(rocCurve(A.of(0, 1, 0, 1, 1), scores).thresholds, [Infinity, Infinity, 0, scores[3]!, -2, -Infinity]);
    expectIdentical(precisionRecallCurve(A.of(0, 1, 0, 1, 1), scores).thresholds, [-Infinity, -2, scores[3]!, 0, Infinity]);
  });
  test('weights: a pair counts w₊·w₋', () => {
    // pos 0.9 (w 2), 0.3 (w 1); neg 0.5 (w 3): 0.9 > 0.5 weighs 6, 0.3 < 0.5 weighs 3: 6/9.
    expect(rocAuc(Float64Array.of(1, 1, 0), Float64Array.of(0.9, 0.3, 0.5), { weights: Float64Array.of(2, 1, 3) })).toBe(6 / 9);
    // An example of weight 0 is as if absent.
    const y = Float64Array.of(1, 0, 1, 0);
    const s = Float64Array.of(0.1, 0.9, 0.6, 0.2);
    expect(rocAuc(y, s, { weights: Float64Array.of(0, 0, 1, 1) })).toBe(rocAuc(Float64Array.of(1, 0), Float64Array.of(0.6, 0.2)));
    expect(averagePrecision(y, s, { weights: Float64Array.of(0, 1, 1, 1) })).toBe(
      averagePrecision(Float64Array.of(0, 1, 0), Float64Array.of(0.9, 0.6, 0.2)),
    );
  });
});

const LENGTHS = [2, 3, 5, 8, 17, 64, 255, 1000, 4095, 4097, 8191, 8193, 3 * 8192 + 5, 60_001];

for (const build of BUILDS) {
  describe(`${build.name} build: against the references`, () => {
    beforeAll(() => {
      initSync(build.bytes);
    });
    for (const { name, Array: A } of DTYPES) {
      for (const levels of [0, 20]) {
        for (const weighted of [false, true]) {
          test(`${name}, ${levels ? `${levels} score levels (ties)` : 'continuous scores'}${weighted ? ', weighted' : ''}`, () => {
            for (const [k, n] of LENGTHS.entries()) {
              const { y, s, w } = data(A, n, 100 + k, levels, weighted);
              const opts = w ? { weights: w } : undefined;
              const at = `n=${n}`;
              expectNear(rocAuc(y, s, opts), rocAucRef(y, s, w), tolOf(n), `rocAuc ${at}`);
              expectNear(averagePrecision(y, s, opts), averagePrecisionRef(y, s, w), tolOf(n), `averagePrecision ${at}`);
              if (!weighted && n <= 4097) {
                // Unweighted, the area is a fraction of integers, computed exactly and rounded once.
                const { right2, pairs2 } = pairCount(y, s);
                expect(rocAuc(y, s), `${at} exact`).toBe(right2 / pairs2);
              }
            }
          });
        }
      }
      test(`${name}: the curves`, () => {
        for (const [k, n] of [2, 9, 300, 8193].entries()) {
          for (const weighted of [false, true]) {
            const { y, s, w } = data(A, n, 300 + k, 50, weighted);
            const opts = w ? { weights: w } : undefined;
            const roc = rocCurve(y, s, opts);
            const rocRef = rocCurveRef(y, s, w);
            expectIdentical(roc.thresholds, rocRef.thresholds, 'thresholds');
            expectClose(roc.fpr, rocRef.fpr, tolOf(n), 'fpr');
            expectClose(roc.tpr, rocRef.tpr, tolOf(n), 'tpr');
            const pr = precisionRecallCurve(y, s, opts);
            const prRef = precisionRecallCurveRef(y, s, w);
            expectIdentical(pr.thresholds, prRef.thresholds, 'thresholds');
            expectClose(pr.precision, prRef.precision, tolOf(n), 'precision');
            expectClose(pr.recall, prRef.recall, tolOf(n), 'recall');
          }
        }
      });
    }
  });
}

describe('both builds give the same bits', () => {
  test.each(DTYPES)('%s', ({ Array: A }) => {
    const results = BUILDS.map((build) => {
      initSync(build.bytes);
      const out: number[] = [];
      for (const [k, n] of LENGTHS.entries()) {
        for (const weighted of [false, true]) {
          const { y, s, w } = data(A, n, 700 + k, k % 2 ? 30 : 0, weighted);
          const opts = w ? { weights: w } : undefined;
          out.push(rocAuc(y, s, opts), averagePrecision(y, s, opts), ...rocCurve(y, s, opts).tpr.slice(0, 50));
        }
      }
      return out;
    });
    expectIdentical(results[1]!, results[0]!);
  });
});

describe('chunks, zero copy, memory', () => {
  beforeAll(() => {
    initSync(BUILDS[0].bytes);
  });
  afterAll(() => {
    staging.limit = 0;
  });
  test('chunk edges anywhere: the same bits as one chunk', () => {
    const { y, s, w } = data(Float32Array, 1001, 5, 40, true);
    const whole = [rocAuc(y, s, { weights: w! }), averagePrecision(y, s, { weights: w! })];
    for (const limit of [1, 3, 7, 64]) {
      staging.limit = limit;
      expectIdentical([rocAuc(y, s, { weights: w! }), averagePrecision(y, s, { weights: w! })], whole, `limit ${limit}`);
    }
    staging.limit = 0;
  });
  test('WasmArrays, and their views across the memory growth the call itself causes', () => {
    const n = 300_000;
    const { y, s } = data(Float64Array, n, 9);
    const expected = rocAuc(y, s);
    const wy = alloc(n, 'f64');
    const ws = alloc(n, 'f64');
    wy.array.set(y);
    ws.array.set(s);
    expect(rocAuc(wy, ws)).toBe(expected);
    // A block of 32 bytes per example does not fit the free memory: the call grows it, detaching these views.
    const before = wy.array.buffer.byteLength;
    expect(rocAuc(wy.array, ws.array)).toBe(expected);
    expect(averagePrecision(wy.array, ws.array)).toBe(averagePrecision(y, s));
    expect(wy.array.buffer.byteLength).toBeGreaterThanOrEqual(before);
    wy.free();
    ws.free();
  });
  test('the temporary block goes back: repeated calls do not grow memory', () => {
    const { y, s } = data(Float32Array, 100_000, 11);
    rocAuc(y, s);
    const bytes = memory().buffer.byteLength;
    for (let k = 0; k < 5; k++) rocAuc(y, s);
    expect(memory().buffer.byteLength).toBe(bytes);
  });
  test('1e6 float32 scores with ties', () => {
    const { y, s } = data(Float32Array, 1_000_000, 13, 5000);
    expectNear(rocAuc(y, s), rocAucRef(y, s), tolOf(1e6), 'rocAuc');
    expectNear(averagePrecision(y, s), averagePrecisionRef(y, s), tolOf(1e6), 'averagePrecision');
  });
});

describe('bad input: a SimdlossError naming the argument, index and value', () => {
  beforeAll(() => {
    initSync(BUILDS[0].bytes);
  });
  const refused = (run: () => unknown, message: RegExp, argument: string, index?: number) => {
    let error: unknown;
    try {
      run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimdlossError);
    expect((error as SimdlossError).message).toMatch(message);
    expect((error as SimdlossError).argument).toBe(argument);
    expect((error as SimdlossError).index).toBe(index);
  };
  const n = 9000; // past the first chunk of float32 (8192) and float64 (4096)
  for (const f of [rocAuc, averagePrecision, rocCurve, precisionRecallCurve]) {
    test.each(DTYPES)(`${f.name} %s`, ({ Array: A }) => {
      const { y, s } = data(A, n, 17);
      const at = (a: Float32Array | Float64Array, i: number, v: number) => {
        const b = a.slice();
        b[i] = v;
        return b;
      };
      for (const v of [2, 0.5, -1, Number.NaN, Infinity]) {
        refused(() => f(at(y, 8500, v), s), new RegExp(`^${f.name}: target\\[8500\\] must be 0 or 1; got ${v}$`), 'target', 8500);
      }
      refused(() => f(y, at(s, 8199, Number.NaN)), new RegExp(`^${f.name}: scores\\[8199\\] must be a number, not NaN`), 'scores', 8199);
      for (const v of [-1, Number.NaN, Infinity]) {
        const weights = at(new A(n).fill(1), 4100, v);
        refused(
          () => f(y, s, { weights }),
          new RegExp(`^${f.name}: opts.weights\\[4100\\] must be a finite number ≥ 0; got ${v}$`),
          'opts.weights',
          4100,
        );
      }
      refused(() => f(new A(n), s), new RegExp(`^${f.name}: target has no positive example \\(1\\) of nonzero weight`), 'target');
      refused(() => f(new A(n).fill(1), s), new RegExp(`^${f.name}: target has no negative example \\(0\\)`), 'target');
      refused(() => f(new A(0), new A(0)), /no positive example/, 'target');
      const zeroPositives = y.map((v) => 1 - v);
      refused(() => f(y, s, { weights: zeroPositives }), /no positive example \(1\) of nonzero weight/, 'target');
      refused(() => f(y.subarray(1), s), /target has 8999 elements but scores has 9000/, 'target');
      refused(() => f(y, s, { weights: new A(3) }), /opts.weights has 3 elements but scores has 9000/, 'opts.weights');
      const Other = A === Float32Array ? Float64Array : Float32Array;
      refused(() => f(Other.from(y), s), /float32 and float64 cannot be mixed/, 'target');
      refused(() => f(y, [0.5] as never), /scores must be a Float32Array or a Float64Array/, 'scores');
      refused(() => f(y, s, { weight: 1 } as never), /unknown option 'weight'/, 'opts.weight');
      refused(() => f(y, s, 3 as never), /opts must be an object/, 'opts');
      // The library stays usable.
      expect(Number.isFinite(f === rocAuc || f === averagePrecision ? (f as typeof rocAuc)(y, s) : 0)).toBe(true);
    });
  }
});
