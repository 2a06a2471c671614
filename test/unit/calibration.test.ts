// calibration against its float64 reference (test/reference/confusion.ts: bins written from the
// definition, plain sums) and against a case checked by hand; both builds and dtypes, bin edges.
//
// Tolerances: unweighted counts are integers (exact). Σp per bin: the reference's plain sum of n
// values is within n·ε·Σp of the exact sum and the library's Neumaier sum within 2ε·Σp, so a bin's
// confidence differs by at most (n + 2)·ε relative; accuracy's Σy is a count (exact). ECE and MCE
// are then within a few ε per bin of each other: 4·(n + 2)·ε absolute bounds both (every gap ≤ 1).
import { beforeAll, describe, expect, test } from 'vitest';
import { calibration, initSync, SimdlossError } from '../../src/node.js';
import { BUILDS, DTYPES, expectClose, expectIdentical, expectNear, random, uniform } from '../helpers.js';
import { calibrationRef } from '../reference/confusion.js';

const EPS = 2 ** -52;

function binaryLabels(n: number, p: ArrayLike<number>, rand: () => number): Int32Array {
  // targets drawn with probability p², so the model is miscalibrated and ECE is well away from 0
  return Int32Array.from({ length: n }, (_, i) => Number(rand() < p[i]! ** 2));
}

test('a case checked by hand: two bins, ECE and MCE', () => {
  initSync(BUILDS[0].bytes);
  const { ece, mce, bins } = calibration(Int32Array.of(0, 1, 1, 1), Float64Array.of(0.1, 0.3, 0.8, 0.9), { bins: 2 });
  expect([...bins.count]).toEqual([2, 2]);
  expectNear(bins.confidence[0]!, 0.2, 1e-15);
  expectNear(bins.confidence[1]!, 0.85, 1e-15);
  expect([...bins.accuracy]).toEqual([0.5, 1]);
  expectNear(ece, 0.5 * 0.3 + 0.5 * 0.15, 1e-15, 'ece');
  expectNear(mce, 0.3, 1e-15, 'mce');
  // 1.0 falls in the last bin, 0 in the first; an exact edge k/B opens bin k; empty bins are 0, 0, 0 and MCE skips them
  const edges = calibration(Int32Array.of(1, 0, 1, 1), Float32Array.of(1, 0, 0.25, 0.5), { bins: 4 });
  expect([...edges.bins.count]).toEqual([1, 1, 1, 1]);
  const gaps = calibration(Int32Array.of(1, 1), Float32Array.of(0.95, 0.96), { bins: 10 });
  expect([...gaps.bins.count]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
  expect([...gaps.bins.accuracy.subarray(0, 9), ...gaps.bins.confidence.subarray(0, 9)]).toEqual(new Array(18).fill(0));
  expectNear(gaps.mce, 1 - (Math.fround(0.95) + Math.fround(0.96)) / 2, 1e-15, 'mce');
  // the default is 15 bins; nothing seen: ECE and MCE 0
  expect(calibration(new Int32Array(0), new Float32Array(0))).toEqual({
    ece: 0,
    mce: 0,
    bins: { count: new Float64Array(15), confidence: new Float64Array(15), accuracy: new Float64Array(15) },
  });
  // zero weights leave a bin empty
  const zero = calibration(Int32Array.of(1, 0), Float64Array.of(0.1, 0.9), { bins: 2, weights: Float64Array.of(0, 2) });
  expect([...zero.bins.count]).toEqual([0, 2]);
  expectNear(zero.mce, 0.9, 1e-15, 'mce');
});

for (const build of BUILDS) {
  describe(`${build.name} build`, () => {
    beforeAll(() => {
      expect(initSync(build.bytes).simd).toBe(build.simd);
    });

    test.each(DTYPES.map((d) => [d.name, d]))('calibration = the reference: bins 1, 7, 15, 100; weights; float targets (%s)', (_, d) => {
      for (const n of [0, 1, 5, 8191, 8193, 20_000]) {
        const rand = random(n + 11);
        const p = uniform(d.Array, n, [0, 1], rand);
        for (let i = 0; i < n; i += 13) p[i] = d.round(Math.floor(rand() * 8) / 7); // on or near the edges k/7, and 1.0
        const y = binaryLabels(n, p, rand);
        const w = Float64Array.from({ length: n }, () => Math.floor(rand() * 16) / 4);
        const wd = d.Array.from(w);
        for (const bins of [1, 7, 15, 100]) {
          for (const weights of [undefined, wd]) {
            const got = calibration(y, p, { bins, weights });
            const want = calibrationRef(y, p, bins, weights);
            const what = `n = ${n}, bins = ${bins}${weights ? ', weighted' : ''}`;
            expectIdentical(got.bins.count, want.bins.count, `count ${what}`);
            expectIdentical(got.bins.accuracy, want.bins.accuracy, `accuracy ${what}`);
            expectClose(got.bins.confidence, want.bins.confidence, (n + 2) * EPS, `confidence ${what}`);
            expectNear(got.ece, want.ece, 0, `ece ${what}`, 4 * (n + 2) * EPS);
            expectNear(got.mce, want.mce, 0, `mce ${what}`, 4 * (n + 2) * EPS);
            expect(calibration(d.Array.from(y), p, { bins, weights })).toEqual(got);
          }
        }
      }
    });
  });
}

test('both builds give the same bits', () => {
  const runs = BUILDS.map((build) => {
    initSync(build.bytes);
    return DTYPES.map((d) => {
      const rand = random(9);
      const p = uniform(d.Array, 30_000, [0, 1], rand);
      const r = calibration(binaryLabels(30_000, p, rand), p, { bins: 20, weights: uniform(d.Array, 30_000, [0, 5], rand) });
      return [r.ece, r.mce, ...r.bins.count, ...r.bins.confidence, ...r.bins.accuracy];
    });
  });
  runs[0]!.forEach((r, i) => {
    expectIdentical(runs[1]![i]!, r, `dtype ${i}`);
  });
});

describe('bad input', () => {
  beforeAll(() => initSync(BUILDS[0].bytes));
  function refused(run: () => unknown, argument: string, index: number | undefined, ...words: string[]): void {
    try {
      run();
      expect.fail(`expected a SimdlossError about ${argument}`);
    } catch (e) {
      expect(e).toBeInstanceOf(SimdlossError);
      expect((e as SimdlossError).argument).toBe(argument);
      expect((e as SimdlossError).index).toBe(index);
      for (const w of words) expect((e as SimdlossError).message).toContain(w);
    }
  }

  test('probabilities outside [0, 1] or NaN, targets other than 0 and 1, weights, options', () => {
    for (const bad of [-0.01, 1.0001, Number.NaN, Infinity]) {
      refused(() => calibration(Int32Array.of(0, 1, 0), Float64Array.of(0.5, 0.2, bad)), 'probs', 2, 'probs[2]', '[0, 1]', String(bad));
    }
    const far = new Float32Array(20_000).fill(0.5);
    far[19_000] = 2;
    refused(() => calibration(new Int32Array(20_000), far), 'probs', 19_000, 'got 2');
    refused(() => calibration(Int32Array.of(0, -1), Float64Array.of(0.5, 0.5)), 'target', 1, 'target[1]', '0 or 1', 'got -1');
    refused(() => calibration(Float64Array.of(1, 0.5), Float64Array.of(0.5, 0.5)), 'target', 1, 'got 0.5');
    refused(() => calibration(Int32Array.of(0), Float64Array.of(0.5), { weights: Float64Array.of(-2) }), 'opts.weights', 0, 'got -2');
    refused(
      () => calibration(Int32Array.of(0), Float64Array.of(0.5), { weights: Float32Array.of(1) }),
      'opts.weights',
      undefined,
      'cannot be mixed',
    );
    for (const bins of [0, 1.5, 65537, '15'])
      refused(() => calibration(Int32Array.of(0), Float64Array.of(0.5), { bins } as never), 'opts.bins', undefined, '[1, 65536]');
    refused(() => calibration(Int32Array.of(0), Float64Array.of(0.5), { bin: 3 } as never), 'opts.bin', undefined, 'unknown option');
    refused(() => calibration(Int32Array.of(0), [0.5] as never), 'probs', undefined, 'Float64Array.from');
    expect(calibration(Int32Array.of(1), Float64Array.of(1), { bins: 1 }).bins.count[0]).toBe(1);
  });
});
