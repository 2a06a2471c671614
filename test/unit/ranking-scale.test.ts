// Weights of any magnitude: the ROC area sums products of weights (up to 2·P·N), which overflowed to
// Infinity for weights near 1e150 and underflowed to 0 (an AUC of NaN) for subnormal ones. Weights
// that are one power of two for every example must give exactly the unweighted metrics: scaling all
// weights by a power of two changes no ratio and rounds nothing.
import { beforeAll, describe, expect, test } from 'vitest';
import { averagePrecision, initSync, precisionRecallCurve, rocAuc, rocCurve } from '../../src/node.js';
import { BUILDS, expectIdentical, expectNear, random } from '../helpers.js';
import { averagePrecisionRef, rocAucRef } from '../reference/ranking.js';

function data(n: number, seed: number) {
  const rand = random(seed);
  const y = Float64Array.from({ length: n }, (_, i) => (i < 2 ? 1 - i : rand() < 0.4 ? 1 : 0));
  const s = Float64Array.from({ length: n }, (_, i) => Math.floor((rand() * 0.7 + 0.3 * y[i]!) * 50) / 50);
  return { y, s };
}

for (const build of BUILDS) {
  describe(`${build.name} build`, () => {
    beforeAll(() => {
      initSync(build.bytes);
    });
    // 2^600: P·N near 2^1220 (overflow); 2^-1060: subnormal, P·N below the smallest float64.
    test.each([2 ** 600, 2 ** 1000, 2 ** -1060, 2 ** -1074, 2 ** -600])('every weight %s: the unweighted bits', (v) => {
      for (const n of [2, 37, 5000]) {
        const { y, s } = data(n, n);
        const weights = new Float64Array(n).fill(v);
        expect(rocAuc(y, s, { weights }), `n=${n}`).toBe(rocAuc(y, s));
        expect(averagePrecision(y, s, { weights }), `n=${n}`).toBe(averagePrecision(y, s));
        expectIdentical(rocCurve(y, s, { weights }).tpr, rocCurve(y, s).tpr);
        expectIdentical(precisionRecallCurve(y, s, { weights }).precision, precisionRecallCurve(y, s).precision);
        for (const f of [rocAuc, averagePrecision]) {
          const weighted = f.create({ bins: 64 }).update(y, s, weights);
          const plain = f.create({ bins: 64 }).update(y, s);
          expect(weighted.result(), `${f.name}.create n=${n}`).toBe(plain.result());
          expect(weighted.errorBound(), `${f.name}.errorBound n=${n}`).toBe(plain.errorBound());
        }
      }
    });
    test('positives weighing 2^-1000 each, negatives 2^900: P·N in range, so no class is rescaled out of it', () => {
      // one power of two per class changes no ROC ratio: the unweighted bits (the negatives kept out of
      // the accumulators' first bin, so that no sum but the negatives' own gives their magnitude)
      const { y, s } = data(600, 11);
      const t = Float64Array.from(s, (v) => 0.5 + v / 2);
      const weights = Float64Array.from(y, (v) => (v === 1 ? 2 ** -1000 : 2 ** 900));
      expect(rocAuc(y, t, { weights })).toBe(rocAuc(y, t));
      expect(rocAuc.create({ bins: 64 }).update(y, t, weights).result()).toBe(rocAuc.create({ bins: 64 }).update(y, t).result());
    });
    test('a class whose weights sum past float64 (2^1020 each): the unweighted bits', () => {
      // 600 examples, hundreds of each class (16 weights of 2^1020 already overflow): each class's sum
      // overflows, so the weights are first brought down to sums below 2^1022, then to √(P·N) near 1;
      // one power of two for every example (ROC area and average precision), or one per class (the
      // ROC area alone: its ratios are per class)
      const { y, s } = data(600, 12);
      const every = new Float64Array(600).fill(2 ** 1020);
      expect(rocAuc(y, s, { weights: every })).toBe(rocAuc(y, s));
      expect(averagePrecision(y, s, { weights: every })).toBe(averagePrecision(y, s));
      expectIdentical(rocCurve(y, s, { weights: every }).fpr, rocCurve(y, s).fpr);
      expectIdentical(precisionRecallCurve(y, s, { weights: every }).recall, precisionRecallCurve(y, s).recall);
      const perClass: [number, number][] = [
        [2 ** 1020, 2 ** -1000],
        [2 ** -1000, 2 ** 1020],
        [2 ** 1020, 1],
      ];
      for (const [positive, negative] of perClass) {
        const weights = Float64Array.from(y, (v) => (v === 1 ? positive : negative));
        expect(rocAuc(y, s, { weights }), `${positive} ${negative}`).toBe(rocAuc(y, s));
      }
    });
    test('weights spread over 1e-300 … 1e300: within the references', () => {
      const n = 3000;
      const { y, s } = data(n, 7);
      const rand = random(8);
      const weights = Float64Array.from({ length: n }, () => 10 ** (rand() * 600 - 300));
      // Both sides sum nonnegative terms; 8(n + 4)ε relative covers their roundings (ranking.test.ts).
      const tol = 8 * (n + 4) * 2 ** -53;
      expectNear(rocAuc(y, s, { weights }), rocAucRef(y, s, weights), tol, 'rocAuc');
      expectNear(averagePrecision(y, s, { weights }), averagePrecisionRef(y, s, weights), tol, 'averagePrecision');
    });
  });
}
