// confusionMatrix, binaryConfusion and precisionRecallF1 against the float64 references written from
// scikit-learn's definitions (test/reference/confusion.ts) and against cases checked by hand; both
// builds, both dtypes, lengths around the SIMD tiles and the chunk edges.
//
// Tolerances: unweighted cells are integer counts, compared exactly. Weights that are multiples of
// 1/8 below 4 have sums a float64 holds exactly at these sizes, so they are compared exactly too.
// Other weights: the reference's plain left-to-right sum is within (n − 1)·ε·Σ w of the exact sum and
// the library's Neumaier sum within 2ε·Σ w (+ O(nε²)), so the two differ by at most n·ε·Σ w.
import { beforeAll, describe, expect, test } from 'vitest';
import { alloc, binaryConfusion, confusionMatrix, initSync, precisionRecallF1, SimdlossError } from '../../src/node.js';
import { BUILDS, DTYPES, expectIdentical, expectNear, random, uniform } from '../helpers.js';
import { argmaxRef, binaryRef, confusionRef, prfRef } from '../reference/confusion.js';

const EPS = 2 ** -52;
const ROW_COUNTS = [0, 1, 2, 3, 4, 5, 7, 8, 9, 17, 819, 820, 821, 4095, 4097, 8193];
// Every way the lanes read a row: shorter than a vector, two vectors (overlapping or not), three, more
// (float32: 1–3, 4–8, 9–12, 13+; float64: 1, 2–4, 5–6, 7+).
const CLASS_COUNTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 17, 33];

function labelsOf(n: number, C: number, rand: () => number): Int32Array {
  return Int32Array.from({ length: n }, () => Math.floor(rand() * C));
}

/** Scores with ties: every other row drawn from {0, 0.5, 1}, so that the first largest decides. */
function scoresOf<A extends Float32ArrayConstructor | Float64ArrayConstructor>(Ctor: A, n: number, C: number, rand: () => number) {
  const s = uniform(Ctor, n * C, [-3, 3], rand);
  for (let r = 0; r < n; r += 2) for (let k = 0; k < C; k++) s[r * C + k] = Math.floor(rand() * 3) / 2;
  return s;
}

function dyadic<A extends Float32ArrayConstructor | Float64ArrayConstructor>(Ctor: A, n: number, rand: () => number) {
  const a = new Ctor(n) as InstanceType<A>;
  for (let i = 0; i < n; i++) a[i] = Math.floor(rand() * 32) / 8;
  return a;
}

/** The SimdlossError `run` throws: argument, index, and the words its message must contain. */
function refused(run: () => unknown, argument: string, index: number | undefined, ...words: string[]): void {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error, `${argument}: expected a SimdlossError`).toBeInstanceOf(SimdlossError);
  const e = error as SimdlossError;
  expect(e.argument).toBe(argument);
  expect(e.index).toBe(index);
  for (const w of words) expect(e.message).toContain(w);
}

test('scikit-learn\u2019s documented examples, checked by hand', () => {
  initSync(BUILDS[0].bytes);
  // confusion_matrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]) = [[2, 0, 0], [0, 0, 1], [1, 0, 2]]
  const m = confusionMatrix(Int32Array.of(2, 0, 2, 2, 0, 1), Int32Array.of(0, 0, 2, 2, 0, 2), { classes: 3 });
  expect([...m]).toEqual([2, 0, 0, 0, 0, 1, 1, 0, 2]);
  // tn, fp, fn, tp = confusion_matrix([0, 1, 0, 1], [1, 1, 1, 0]).ravel() = 0, 2, 1, 1
  expect(binaryConfusion(Int32Array.of(0, 1, 0, 1), Float32Array.of(0.9, 0.8, 0.7, 0.2))).toEqual({ tp: 1, fp: 2, fn: 1, tn: 0 });
  // f1_score([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1]): macro 0.2666…, micro 0.333…, weighted 0.2666…, None [0.8, 0, 0]
  const c = confusionMatrix(Int32Array.of(0, 1, 2, 0, 1, 2), Int32Array.of(0, 2, 1, 0, 0, 1), { classes: 3 });
  expectNear(precisionRecallF1(c, { average: 'macro' }).f1, 4 / 15, 1e-15, 'macro f1');
  expectNear(precisionRecallF1(c, { average: 'micro' }).f1, 1 / 3, 1e-15, 'micro f1');
  expectNear(precisionRecallF1(c, { average: 'weighted' }).f1, 4 / 15, 1e-15, 'weighted f1');
  expect([...precisionRecallF1(c).f1]).toEqual([0.8, 0, 0]);
  // precision_recall_fscore_support(…, average='macro') on the same labels: (0.222…, 0.333…, 0.266…)
  const macro = precisionRecallF1(c, { average: 'macro' });
  expectNear(macro.precision, 2 / 9, 1e-15, 'macro precision');
  expectNear(macro.recall, 1 / 3, 1e-15, 'macro recall');
  expect(macro.support).toBe(6);
  // A class never predicted and never true: 0 everywhere (zero_division=0), counted in the macro mean.
  const empty = precisionRecallF1(Float64Array.of(1, 0, 0, 0), { average: 'none' });
  expect([...empty.precision, ...empty.recall, ...empty.f1, ...empty.support]).toEqual([1, 0, 1, 0, 1, 0, 1, 0]);
  expect(precisionRecallF1(Float64Array.of(1, 0, 0, 0), { average: 'macro' }).f1).toBe(0.5);
  expect(precisionRecallF1(new Float64Array(4), { average: 'weighted' })).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
});

test('score rows: ties go to the lower class; ±Infinity are scores', () => {
  initSync(BUILDS[0].bytes);
  for (const build of BUILDS) {
    initSync(build.bytes);
    for (const { Array: A } of DTYPES) {
      // 9 rows (past two SIMD groups of either dtype): ties at every position, infinities, -0 against 0
      const s = A.of(
        1,
        1,
        0,
        0,
        2,
        2,
        3,
        3,
        3,
        -Infinity,
        -Infinity,
        -Infinity,
        Infinity,
        Infinity,
        0,
        -0,
        0,
        5,
        0,
        -0,
        0,
        1,
        1,
        1,
        -1,
        -2,
        -1,
      );
      const m = confusionMatrix(new Int32Array(9), s, { classes: 3 });
      // argmax per row: 0, 1, 0, 0, 0, 2, 0, 0, 0
      expect([...m], `${build.name} ${A.name}`).toEqual([7, 1, 1, 0, 0, 0, 0, 0, 0]);
    }
  }
});

for (const build of BUILDS) {
  describe(`${build.name} build`, () => {
    beforeAll(() => {
      expect(initSync(build.bytes).simd).toBe(build.simd);
    });

    test.each(DTYPES.map((d) => [d.name, d]))(
      'confusionMatrix = the reference, labels and score rows, with and without weights (%s)',
      (_, d) => {
        for (const C of CLASS_COUNTS) {
          for (const n of ROW_COUNTS) {
            const rand = random(n * 97 + C);
            const y = labelsOf(n, C, rand);
            const s = scoresOf(d.Array, n, C, rand);
            const k = labelsOf(n, C, rand);
            const w = dyadic(d.Array, n, rand);
            const what = `C = ${C}, n = ${n}`;
            expectIdentical(confusionMatrix(y, s, { classes: C }), confusionRef(y, s, C), `scores ${what}`);
            expectIdentical(confusionMatrix(y, k, { classes: C }), confusionRef(y, k, C), `labels ${what}`);
            expectIdentical(confusionMatrix(y, s, { classes: C, weights: w }), confusionRef(y, s, C, w), `weighted scores ${what}`);
            expectIdentical(confusionMatrix(y, k, { classes: C, weights: w }), confusionRef(y, k, C, w), `weighted labels ${what}`);
          }
        }
      },
    );

    test.each(DTYPES.map((d) => [d.name, d]))('weights of any value: within n·ε·Σw of the plain float64 sum (%s)', (_, d) => {
      for (const n of [1, 100, 8193, 30_000]) {
        const rand = random(n);
        const y = labelsOf(n, 4, rand);
        const s = scoresOf(d.Array, n, 4, rand);
        const w = uniform(d.Array, n, [0, 10], rand);
        const got = confusionMatrix(y, s, { classes: 4, weights: w });
        const want = confusionRef(y, s, 4, w);
        const total = want.reduce((a, b) => a + b, 0);
        for (let i = 0; i < 16; i++) expectNear(got[i]!, want[i]!, 0, `cell ${i}, n = ${n}`, n * EPS * total);
      }
    });

    test.each(DTYPES.map((d) => [d.name, d]))(
      'binaryConfusion = the reference: Int32 and float targets, thresholds, weights (%s)',
      (_, d) => {
        for (const n of ROW_COUNTS) {
          const rand = random(n + 5);
          const t = labelsOf(n, 2, rand);
          const s = uniform(d.Array, n, [0, 1], rand);
          for (let i = 0; i < n; i += 5) s[i] = d.round(0.3); // on the threshold: not positive
          const w = dyadic(d.Array, n, rand);
          for (const threshold of [0.5, d.round(0.3), -1, 2]) {
            const want = binaryRef(t, s, threshold, w);
            expect(binaryConfusion(t, s, { threshold, weights: w }), `n = ${n}, threshold ${threshold}`).toEqual(want);
            expect(binaryConfusion(d.Array.from(t), s, { threshold, weights: w })).toEqual(want);
          }
          expect(binaryConfusion(t, s)).toEqual(binaryRef(t, s, 0.5));
        }
      },
    );

    test('precisionRecallF1 = the reference over random matrices, every average', () => {
      for (const C of CLASS_COUNTS) {
        const rand = random(C);
        const n = 50 * C;
        const y = labelsOf(n, C, rand);
        // a model right about 60% of the time, so every quantity is away from 0 and 1
        const p = y.map((t) => (rand() < 0.6 ? t : Math.floor(rand() * C)));
        const w = uniform(Float64Array, n, [0, 3], rand);
        for (const m of [confusionMatrix(y, p, { classes: C }), confusionMatrix(y, p, { classes: C, weights: w })]) {
          for (const average of ['macro', 'micro', 'weighted'] as const) {
            const got = precisionRecallF1(m, { average });
            const want = prfRef(m, C, average);
            for (const key of ['precision', 'recall', 'f1', 'support'] as const)
              expectNear(got[key], want[key] as number, 1e-14, `${average} ${key}, C = ${C}`);
          }
          const got = precisionRecallF1(m, { average: 'none' });
          const want = prfRef(m, C, 'none');
          for (const key of ['precision', 'recall', 'f1', 'support'] as const) {
            for (let k = 0; k < C; k++) expectNear(got[key][k]!, (want[key] as number[])[k]!, 1e-15, `${key}[${k}], C = ${C}`);
          }
        }
      }
    });

    test.each(DTYPES.map((d) => [d.name, d]))(
      'score rows: the largest at every class, tied with every later class, whatever vector each lies in (%s)',
      (_, d) => {
        for (const C of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 17, 33]) {
          // Row i·C + j holds the largest score at class i and at class j ≥ i: the answer is i.
          const rows: number[] = [];
          for (let i = 0; i < C; i++) {
            for (let j = i; j < C; j++) {
              const row = Array.from({ length: C }, (_, k) => -1 - ((k * 7) % 5));
              row[i] = 2;
              row[j] = 2;
              rows.push(...row);
            }
          }
          const n = rows.length / C;
          const s = d.Array.from(rows);
          const y = labelsOf(n, C, random(C));
          const want = confusionRef(y, s, C);
          expectIdentical(confusionMatrix(y, s, { classes: C }), want, `C = ${C}`);
          // -0 tied with +0, and -∞ the largest (a row of -∞ but one NaN-free), read as the same rows
          const signed = s.map((v, at) => (v === 2 ? (at % 2 === 0 ? -0 : 0) : v - 1));
          expectIdentical(confusionMatrix(y, signed, { classes: C }), confusionRef(y, signed, C), `C = ${C}, ±0`);
          const lowest = s.map((v) => (v === 2 ? -Infinity : Number.NEGATIVE_INFINITY));
          expectIdentical(confusionMatrix(y, lowest, { classes: C }), confusionRef(y, lowest, C), `C = ${C}, all -∞`);
        }
      },
    );

    test.each(DTYPES.map((d) => [d.name, d]))(
      'score rows with +∞ and -∞ together (a NaN lane sum, no NaN): the scalar step counts them (%s)',
      (_, d) => {
        for (const C of [2, 3, 4, 5, 8, 9, 12, 13, 17]) {
          const n = 9;
          const s = new d.Array(n * C).fill(0);
          for (let r = 0; r < n; r++) {
            s[r * C + (r % C)] = Infinity;
            s[r * C + ((r + 1) % C)] = -Infinity;
            if (r % 3 === 0) s[r * C + ((r + 4) % C)] = -Infinity;
          }
          const y = labelsOf(n, C, random(C + 1));
          expectIdentical(confusionMatrix(y, s, { classes: C }), confusionRef(y, s, C), `C = ${C}`);
        }
      },
    );

    test('rows in wasm memory past a scratch slot (their cache lines loaded a block ahead): counts, and the first bad value', () => {
      for (const [n, C] of [
        [2000, 10],
        [1639, 10],
        [4097, 17],
        [9001, 3],
      ] as const) {
        const rand = random(n + C);
        const y = alloc(n, 'i32');
        y.array.set(labelsOf(n, C, rand));
        const s = alloc(n * C, 'f32');
        s.array.set(scoresOf(Float32Array, n, C, rand));
        expectIdentical(confusionMatrix(y, s, { classes: C }), confusionRef(y.array.slice(), s.array.slice(), C), `n = ${n}, C = ${C}`);
        s.array[(n - 1) * C + C - 1] = Number.NaN;
        refused(() => confusionMatrix(y, s, { classes: C }), 'pred', n * C - 1, 'NaN');
        y.array[n - 2] = C;
        refused(() => confusionMatrix(y, s, { classes: C }), 'labels', n - 2, `got ${C}`);
        y.free();
        s.free();
      }
    });

    test('arguments in wasm memory (WasmArray, and its view) give the same counts as copies', () => {
      const n = 9000;
      const rand = random(3);
      const y = alloc(n, 'i32');
      y.array.set(labelsOf(n, 10, rand));
      const s = alloc(n * 10, 'f32');
      s.array.set(scoresOf(Float32Array, n, 10, rand));
      const w = alloc(n, 'f32');
      w.array.set(dyadic(Float32Array, n, rand));
      const want = confusionRef(y.array.slice(), s.array.slice(), 10, w.array.slice());
      expectIdentical(confusionMatrix(y, s, { classes: 10, weights: w }), want, 'WasmArrays');
      expectIdentical(confusionMatrix(y.array, s.array, { classes: 10, weights: w.array }), want, 'views');
      for (const a of [y, s, w]) a.free();
    });
  });
}

test('both builds give the same bits, weights of any value included', () => {
  const runs = BUILDS.map((build) => {
    initSync(build.bytes);
    return DTYPES.flatMap((d) =>
      [3, 10, 33].map((C) => {
        const rand = random(C);
        const n = 10_001;
        const y = labelsOf(n, C, rand);
        const s = scoresOf(d.Array, n, C, rand);
        const w = uniform(d.Array, n, [0, 10], rand);
        const b = binaryConfusion(labelsOf(n, 2, rand), s.subarray(0, n), { weights: w });
        return [...confusionMatrix(y, s, { classes: C, weights: w }), b.tp, b.fp, b.fn, b.tn];
      }),
    );
  });
  runs[0]!.forEach((r, i) => {
    expectIdentical(runs[1]![i]!, r, `run ${i}`);
  });
});

describe('bad input: a SimdlossError naming argument, index, range and value; the library usable after', () => {
  beforeAll(() => initSync(BUILDS[0].bytes));
  const y = Int32Array.of(0, 1, 2, 1);
  const s = Float32Array.from({ length: 12 }, (_, i) => i % 5);

  test('labels and predicted labels outside [0, classes)', () => {
    refused(
      () => confusionMatrix(Int32Array.of(0, 3, 1), Int32Array.of(0, 0, 0), { classes: 3 }),
      'labels',
      1,
      'labels[1]',
      '[0, 3)',
      'got 3',
    );
    refused(() => confusionMatrix(Int32Array.of(0, 1, -1), s.subarray(0, 9), { classes: 3 }), 'labels', 2, 'got -1');
    refused(() => confusionMatrix(Int32Array.of(0, 1), Int32Array.of(1, 7), { classes: 3 }), 'pred', 1, 'pred[1]', 'got 7');
    // in a lanes group of score rows (rows 8–15 of float32, 10–11 of float64), both builds
    for (const { Array: A } of DTYPES) {
      const labels = new Int32Array(16);
      labels[10] = -1;
      refused(() => confusionMatrix(labels, new A(48), { classes: 3 }), 'labels', 10, 'labels[10]', 'got -1');
      labels[10] = 3;
      refused(() => confusionMatrix(labels, new A(48), { classes: 3 }), 'labels', 10, 'got 3');
    }
    // past the first chunks: the index is the example's, not the chunk's
    const far = new Int32Array(20_000);
    far[19_999] = 5;
    refused(() => confusionMatrix(far, new Int32Array(20_000), { classes: 5 }), 'labels', 19_999, 'got 5');
    refused(() => confusionMatrix(new Int32Array(20_000), far, { classes: 5 }), 'pred', 19_999, 'got 5');
  });

  test('NaN scores, with the element index (row·C + class), in every SIMD lane and the tail', () => {
    for (const { Array: A } of DTYPES) {
      for (let at = 0; at < 30; at++) {
        const scores = new A(30).map((_, i) => i % 4);
        scores[at] = Number.NaN;
        refused(() => confusionMatrix(new Int32Array(10), scores, { classes: 3 }), 'pred', at, `pred[${at}]`, 'NaN');
      }
      // rows read as whole vectors: the largest last, a NaN anywhere (no vector's ties hide it)
      for (const C of [2, 5, 8, 9, 10, 13, 17]) {
        for (let at = 0; at < 4 * C; at++) {
          const scores = new A(4 * C).map((_, i) => i % C);
          scores[at] = Number.NaN;
          refused(() => confusionMatrix(new Int32Array(4), scores, { classes: C }), 'pred', at, `pred[${at}]`, 'NaN');
        }
      }
      // a bad label in an earlier row than the NaN is reported first
      const scores = new A(12);
      scores[7] = Number.NaN;
      refused(() => confusionMatrix(Int32Array.of(0, 9, 0, 0), scores, { classes: 3 }), 'labels', 1);
    }
    refused(() => binaryConfusion(Int32Array.of(0, 1), Float64Array.of(0.5, Number.NaN)), 'scores', 1, 'scores[1]', 'NaN');
  });

  test('weights: negative, NaN, infinite; wrong dtype or length', () => {
    for (const bad of [-1, Number.NaN, Infinity]) {
      refused(
        () => confusionMatrix(y, s, { classes: 3, weights: Float32Array.of(1, 1, bad, 1) }),
        'opts.weights',
        2,
        'opts.weights[2]',
        String(bad),
      );
      refused(
        () => binaryConfusion(Int32Array.of(0, 1), Float32Array.of(0.1, 0.2), { weights: Float32Array.of(bad, 1) }),
        'opts.weights',
        0,
      );
    }
    refused(
      () => confusionMatrix(y, s, { classes: 3, weights: new Float64Array(4) }),
      'opts.weights',
      undefined,
      'Float64Array',
      'Float32Array',
    );
    refused(() => confusionMatrix(y, s, { classes: 3, weights: new Float32Array(3) }), 'opts.weights', undefined, '3 elements');
    expectIdentical(
      confusionMatrix(y, Int32Array.of(0, 1, 2, 1), { classes: 3, weights: Float64Array.of(1, 2, 3, 4) }),
      [1, 0, 0, 0, 6, 0, 0, 0, 3],
    );
  });

  test('arrays of the wrong kind or length, options out of range', () => {
    refused(() => confusionMatrix(Float32Array.of(0, 1) as never, Int32Array.of(0, 1), { classes: 2 }), 'labels', undefined, 'Int32Array');
    refused(() => confusionMatrix([0, 1] as never, Int32Array.of(0, 1), { classes: 2 }), 'labels', undefined, 'Int32Array.from');
    refused(() => confusionMatrix(y, s.subarray(0, 11), { classes: 3 }), 'pred', undefined, '11 elements', '4 rows × 3 classes = 12');
    refused(() => confusionMatrix(y, [0, 1, 2, 1] as never, { classes: 3 }), 'pred', undefined, 'Int32Array of predicted labels');
    refused(() => confusionMatrix(y, y, {} as never), 'opts.classes', undefined, 'required');
    refused(() => confusionMatrix(y, y, undefined as never), 'opts.classes', undefined, 'required');
    for (const classes of [0, 2.5, 4097, Number.NaN, '3'])
      refused(() => confusionMatrix(y, y, { classes } as never), 'opts.classes', undefined, '[1, 4096]');
    refused(() => confusionMatrix(y, y, { classes: 3, average: 'macro' } as never), 'opts.average', undefined, 'unknown option');
    for (const threshold of [Number.NaN, Infinity, '0.5'])
      refused(() => binaryConfusion(Int32Array.of(0), Float32Array.of(0), { threshold } as never), 'opts.threshold', undefined, 'finite');
    refused(() => binaryConfusion(Int32Array.of(0, 2), Float32Array.of(0, 0)), 'target', 1, 'target[1]', '0 or 1', 'got 2');
    refused(() => binaryConfusion(Float32Array.of(0, 0.5), Float32Array.of(0, 0)), 'target', 1, 'got 0.5');
    refused(() => binaryConfusion(Float64Array.of(0, 1), Float32Array.of(0, 0)), 'target', undefined, 'cannot be mixed');
    refused(() => binaryConfusion(Int32Array.of(0), Float32Array.of(0, 0)), 'target', undefined, '1 elements');
    refused(() => precisionRecallF1(new Float64Array(5)), 'matrix', undefined, 'C² elements', 'got 5');
    // 0 elements is C = 0 squared: still no class to score
    refused(() => precisionRecallF1(new Float64Array(0)), 'matrix', undefined, 'C² elements', 'got 0');
    refused(() => precisionRecallF1([1, 2, 3, -1]), 'matrix', 3, 'matrix[3]', 'got -1');
    refused(() => precisionRecallF1([0, Number.NaN, 0, 0]), 'matrix', 1, 'got NaN');
    refused(() => precisionRecallF1('m' as never), 'matrix', undefined, 'Float64Array');
    refused(
      () => precisionRecallF1(new Float64Array(4), { average: 'binary' } as never),
      'opts.average',
      undefined,
      "'none', 'macro', 'micro' or 'weighted'",
    );
    // usable after every refusal
    expect([...confusionMatrix(Int32Array.of(1), Int32Array.of(0), { classes: 2 })]).toEqual([0, 0, 1, 0]);
  });
});

test('argmaxRef is numpy.argmax (first largest), as the tests assume', () => {
  expect(argmaxRef([1, 3, 3, 0], 0, 4)).toBe(1);
  expect(argmaxRef([0, 0, 5, 5, 5, 1], 1, 3)).toBe(0);
});
