// The ranking metrics take the targets the counting metrics take: Int32Array labels of 0 and 1, or
// 0 and 1 in floats of the scores' dtype. Each type against the float64 references in both builds,
// the two types giving the same bits, and a bad target refused exactly as binaryConfusion refuses it.
import { beforeAll, describe, expect, test } from 'vitest';
import {
  alloc,
  averagePrecision,
  binaryConfusion,
  initSync,
  precisionRecallCurve,
  rocAuc,
  rocCurve,
  SimdlossError,
} from '../../src/node.js';
import { BUILDS, DTYPES, expectClose, expectIdentical, expectNear, random } from '../helpers.js';
import { averagePrecisionRef, binOf, precisionRecallCurveRef, rocAucRef, rocCurveRef } from '../reference/ranking.js';

const EPS = 2 ** -53;
/** As in ranking.test.ts: n nonnegative terms rounded a few times each, into sums rounded n times. */
const tolOf = (n: number) => 8 * (n + 4) * EPS;

type Floats = Float32ArrayConstructor | Float64ArrayConstructor;

/** Seeded labels (both classes present), scores of dtype A on 40 levels (ties) and real weights. */
function data(A: Floats, n: number, seed: number) {
  const rand = random(seed);
  const labels = new Int32Array(n);
  const s = new A(n);
  const w = new A(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rand() < 0.35 ? 1 : 0;
    s[i] = Math.floor((rand() * 0.8 + 0.2 * labels[i]!) * 40) / 40;
    w[i] = rand() * 2;
  }
  labels[0] = 1;
  labels[1] = 0;
  return { labels, floats: A.from(labels), s, w };
}

const LENGTHS = [2, 7, 64, 4095, 4097, 8193, 20_001];

for (const build of BUILDS) {
  describe(`${build.name} build: Int32Array and float targets against the references`, () => {
    beforeAll(() => {
      initSync(build.bytes);
    });
    for (const { name, Array: A } of DTYPES) {
      test(`${name} scores: the metrics and curves`, () => {
        for (const [k, n] of LENGTHS.entries()) {
          const { labels, floats, s, w } = data(A, n, 40 + k);
          for (const opts of [undefined, { weights: w }]) {
            const at = `n=${n}${opts ? ' weighted' : ''}`;
            for (const target of [labels, floats]) {
              const what = `${at} ${target.constructor.name}`;
              expectNear(rocAuc(target, s, opts), rocAucRef(labels, s, opts?.weights), tolOf(n), `rocAuc ${what}`);
              expectNear(averagePrecision(target, s, opts), averagePrecisionRef(labels, s, opts?.weights), tolOf(n), `AP ${what}`);
            }
            // The two target types are one input: the same bits.
            expect(rocAuc(labels, s, opts), at).toBe(rocAuc(floats, s, opts));
            expect(averagePrecision(labels, s, opts), at).toBe(averagePrecision(floats, s, opts));
            if (n > 5000) continue;
            const roc = rocCurve(labels, s, opts);
            const rocRef = rocCurveRef(labels, s, opts?.weights);
            expectIdentical(roc.thresholds, rocRef.thresholds, `${at} roc thresholds`);
            expectClose(roc.tpr, rocRef.tpr, tolOf(n), `${at} tpr`);
            expectClose(roc.fpr, rocRef.fpr, tolOf(n), `${at} fpr`);
            expectIdentical(roc.tpr, rocCurve(floats, s, opts).tpr, `${at} tpr of both types`);
            const pr = precisionRecallCurve(labels, s, opts);
            const prRef = precisionRecallCurveRef(labels, s, opts?.weights);
            expectIdentical(pr.thresholds, prRef.thresholds, `${at} pr thresholds`);
            expectClose(pr.precision, prRef.precision, tolOf(n), `${at} precision`);
            expectIdentical(pr.precision, precisionRecallCurve(floats, s, opts).precision, `${at} precision of both types`);
          }
        }
      });
      test(`${name} scores: the accumulators`, () => {
        for (const [k, n] of LENGTHS.entries()) {
          const { labels, floats, s } = data(A, n, 80 + k);
          for (const f of [rocAuc, averagePrecision]) {
            const fromLabels = f.create({ bins: 33 }).update(labels, s);
            const fromFloats = f.create({ bins: 33 }).update(floats, s);
            expect(fromLabels.toJSON(), `${f.name} n=${n}`).toEqual(fromFloats.toJSON());
            // Exactly the metric of the binned scores (integer counts: one rounding at the end).
            const binned = Float64Array.from(s, (v) => binOf(v, 33, [0, 1]));
            const ref = f === rocAuc ? rocAucRef(labels, binned) : averagePrecisionRef(labels, binned);
            expectNear(fromLabels.result(), ref, tolOf(n), `${f.name} n=${n} binned`);
          }
        }
      });
    }
  });
}

describe('zero copy: a WasmArray of labels', () => {
  beforeAll(() => {
    initSync(BUILDS[0].bytes);
  });
  test.each(DTYPES)('%s scores', ({ Array: A }) => {
    const { labels, s } = data(A, 9001, 3);
    const wl = alloc(labels.length, 'i32');
    wl.array.set(labels);
    expect(rocAuc(wl, s)).toBe(rocAuc(labels, s));
    expect(averagePrecision(wl.array, s)).toBe(averagePrecision(labels, s));
    expect(rocAuc.create().update(wl, s).toJSON()).toEqual(rocAuc.create().update(labels, s).toJSON());
    wl.free();
  });
});

describe('a bad target: refused as binaryConfusion refuses it', () => {
  beforeAll(() => {
    initSync(BUILDS[0].bytes);
  });
  const errorOf = (run: () => unknown): SimdlossError => {
    try {
      run();
    } catch (e) {
      if (e instanceof SimdlossError) return e;
      throw e;
    }
    return expect.fail('no error');
  };
  /** The same message and fields, up to the function's name. */
  const sameRefusal = (mine: SimdlossError, theirs: SimdlossError, fn: string) => {
    expect(mine.message).toBe(theirs.message.replace(/^binaryConfusion: /, `${fn}: `));
    expect(mine.argument).toBe(theirs.argument);
    expect(mine.index).toBe(theirs.index);
  };
  const CALLS = [
    { fn: 'rocAuc', run: (y: unknown, s: unknown) => rocAuc(y as Int32Array, s as Float64Array) },
    { fn: 'averagePrecision', run: (y: unknown, s: unknown) => averagePrecision(y as Int32Array, s as Float64Array) },
    { fn: 'rocCurve', run: (y: unknown, s: unknown) => rocCurve(y as Int32Array, s as Float64Array) },
    { fn: 'precisionRecallCurve', run: (y: unknown, s: unknown) => precisionRecallCurve(y as Int32Array, s as Float64Array) },
    { fn: 'rocAuc.update', run: (y: unknown, s: unknown) => rocAuc.create().update(y, s) },
    { fn: 'averagePrecision.update', run: (y: unknown, s: unknown) => averagePrecision.create().update(y, s) },
  ];
  for (const { fn, run } of CALLS) {
    test.each(DTYPES)(`${fn}, %s scores`, ({ Array: A }) => {
      const { labels, floats, s } = data(A, 9000, 5);
      const Other = A === Float32Array ? Float64Array : Float32Array;
      const bad: unknown[] = [Other.from(floats), labels.subarray(1), Uint8Array.from(labels), Array.from(labels), 'labels'];
      // Labels past the first chunk; 16777217 rounds to 16777216 in float32 and must still be refused as itself.
      for (const [i, v] of [
        [8999, 2],
        [8500, -1],
        [0, 2147483647],
        [4100, -2147483648],
        [7, 16777217],
      ] as const) {
        const t = labels.slice();
        t[i] = v;
        bad.push(t);
        const e = errorOf(() => run(t, s));
        expect(e.message).toBe(`${fn}: target[${i}] must be 0 or 1; got ${v}`);
      }
      for (const [i, v] of [
        [8800, 0.5],
        [3, Number.NaN],
        [4097, Infinity],
      ] as const) {
        const t = floats.slice();
        t[i] = v;
        bad.push(t);
      }
      for (const t of bad)
        sameRefusal(
          errorOf(() => run(t, s)),
          errorOf(() => binaryConfusion(t as Int32Array, s)),
          fn,
        );
    });
  }
});
