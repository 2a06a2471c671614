// Ties, where a comparison's direction is the whole answer: a logit of exactly 0 (a probability of
// exactly ½) is the negative class in the classifier losses' accuracy and in binaryAccuracy; a
// top-k tie goes to the lower index, so the label ranks behind equal values before it and ahead of
// equal values after it. Placed in every lane of a vector and in the scalar tail, on both builds.
import { beforeAll, describe, expect, test } from 'vitest';
import {
  binaryAccuracy,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  binaryFocal,
  hinge,
  initSync,
  squaredHinge,
  topKAccuracy,
} from '../../src/node.js';
import { BUILDS, DTYPES, random } from '../helpers.js';

type AnyLoss = any; // the classifier losses share withGrad's accuracy option; each call passes the right arrays

/** Each loss, the prediction that is a tie, and a target in each class (the target that counts positive first). */
const CLASSIFIERS = [
  { loss: binaryCrossEntropyWithLogits, tie: 0, targets: [1, 0] },
  { loss: binaryFocal, tie: 0, targets: [1, 0] },
  { loss: binaryCrossEntropy, tie: 0.5, targets: [1, 0] },
  { loss: hinge, tie: 0, targets: [1, -1] },
  { loss: squaredHinge, tie: 0, targets: [1, -1] },
];

/** Lengths with the tie at every index of a float32 and a float64 vector and of a tail. */
const LENGTHS = [1, 2, 3, 4, 5, 7, 8, 9, 11];

/** Rank of the label in a row under the documented rule: larger values, and equal values before it, rank ahead. */
function rank(row: ArrayLike<number>, label: number): number {
  let r = 0;
  for (let k = 0; k < row.length; k++) if (row[k]! > row[label]! || (row[k] === row[label] && k < label)) r++;
  return r;
}

for (const build of BUILDS) {
  describe(`${build.name} build`, () => {
    beforeAll(() => {
      expect(initSync(build.bytes).simd).toBe(build.simd);
    });

    for (const { loss, tie, targets } of CLASSIFIERS) {
      test(`${loss.lossName}: a prediction of exactly ${tie}${tie === 0 ? ' (either sign)' : ''} is negative, at every index`, () => {
        const l = loss as AnyLoss;
        for (const dtype of DTYPES) {
          for (const n of LENGTHS) {
            for (const zero of tie === 0 ? [0, -0] : [tie]) {
              for (let at = 0; at < n; at++) {
                // every other example clearly right, so that only the tie decides the count
                const [positive, negative] = targets;
                const y = dtype.Array.from(Array.from({ length: n }, (_, i) => (i % 2 ? negative! : positive!)));
                const p = dtype.Array.from(Array.from({ length: n }, (_, i) => (i % 2 ? (tie === 0 ? -3 : 0.1) : tie === 0 ? 3 : 0.9)));
                p[at] = zero;
                for (const target of [positive!, negative!]) {
                  y[at] = target;
                  const right = target === negative ? n : n - 1;
                  const what = `${dtype.name} n=${n} tie at ${at} (${Object.is(zero, -0) ? '-0' : zero}) target ${target}`;
                  expect(l.withGrad(y, p, { accuracy: true }).accuracy, what).toBe(right / n);
                }
              }
            }
          }
        }
      });
    }

    test('binaryAccuracy: a probability equal to the threshold is negative, at every index', () => {
      for (const dtype of DTYPES) {
        for (const threshold of [0.5, 0.25]) {
          for (const n of LENGTHS) {
            for (let at = 0; at < n; at++) {
              const y = dtype.Array.from(Array.from({ length: n }, (_, i) => i % 2));
              const p = dtype.Array.from(Array.from({ length: n }, (_, i) => (i % 2 ? 0.9 : 0.1)));
              p[at] = threshold;
              for (const target of [1, 0]) {
                y[at] = target;
                const right = target === 0 ? n : n - 1;
                expect(binaryAccuracy(y, p, { threshold }), `${dtype.name} n=${n} at ${at} target ${target}`).toBe(right / n);
              }
            }
          }
        }
      }
    });

    test("topKAccuracy: rows of equal values hit exactly when the label's index is below k", () => {
      for (const dtype of DTYPES) {
        for (const C of [1, 2, 3, 4, 5, 8, 9, 16, 17, 31, 32, 33, 40]) {
          const labels = Int32Array.from({ length: C }, (_, t) => t);
          const z = new dtype.Array(C * C).fill(1.5);
          for (const k of new Set([1, Math.min(2, C), Math.min(5, C), C])) {
            const hits = topKAccuracy(labels, z, { classes: C, k, reduction: 'none' });
            expect(Array.from(hits), `${dtype.name} C=${C} k=${k}`).toEqual(Array.from(labels, (t) => (t < k ? 1 : 0)));
          }
        }
      }
    });

    test('topKAccuracy: rows of many ties among three values rank the label behind the equal values before it', () => {
      const rand = random(5);
      for (const dtype of DTYPES) {
        for (const C of [3, 4, 5, 7, 8, 9, 16, 17, 33, 40]) {
          const rows = 64;
          const z = dtype.Array.from(Array.from({ length: rows * C }, () => Math.floor(rand() * 3)));
          const labels = Int32Array.from({ length: rows }, () => Math.floor(rand() * C));
          for (const k of new Set([1, 2, 3, Math.min(5, C), C - 1])) {
            const want = Array.from(labels, (t, r) => (rank(z.subarray(r * C, (r + 1) * C), t) < k ? 1 : 0));
            expect(Array.from(topKAccuracy(labels, z, { classes: C, k, reduction: 'none' })), `${dtype.name} C=${C} k=${k}`).toEqual(want);
          }
        }
      }
    });
  });
}
