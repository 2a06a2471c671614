// Every row-wise loss and metric of the registry, on both builds and both dtypes, against its
// float64 reference: every class count 1–40 (both layouts and the switch between them), 1000 and
// rows wider than a scratch slot; reductions, weights, class weights, smoothing, ignoreIndex, out,
// zero copy, chunk edges, central differences, extreme logits, accuracy.
import { beforeAll, describe, expect, test } from 'vitest';
import * as lib from '../../src/node.js';
import { alloc, initSync, memory } from '../../src/node.js';
import { type RowwiseEntry, rowwiseOf, targetsFor } from '../registry.js';

const rowwiseRegistry = rowwiseOf(lib);

import { BUILDS, DTYPES, expectClose, expectIdentical, expectNear, random, uniform } from '../helpers.js';
import { rowReferences } from '../reference/index.js';

type AnyLoss = any; // the registry holds functions of several option types; each test passes the right ones
type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
type Case = RowwiseEntry['cases'][number];
const F64_TOLERANCE = 1e-11;
// Every class count of both layouts and the switch (32), a wide row, and rows wider than a 32 KiB
// slot (4097 float64, 8193 float32).
const CLASSES = [...Array.from({ length: 40 }, (_, i) => i + 1), 1000, 4097, 8193];
/** Small class counts whose rows the SIMD build takes V at a time (lanes layout, blocks of rows): every row count to 9 there. */
const GROUPED = [2, 3, 5, 10];
const ONE_TO_NINE = Array.from({ length: 9 }, (_, i) => i + 1);
const rowsFor = (C: number): number[] =>
  GROUPED.includes(C) ? ONE_TO_NINE : C <= 40 ? [1, 2, 3, 4, 5, 9] : C === 1000 ? [1, 3, 5] : [1, 2];

/** The case's options for C classes (class weights are a function of C). */
function resolve(c: Case, C: number): Record<string, unknown> {
  const o: Record<string, unknown> = { classes: C };
  for (const [k, v] of Object.entries(c)) o[k] = typeof v === 'function' ? v(C) : v;
  return o;
}

/** Logits from the entry's domain (metrics: in steps of 0.5, so that ties occur); labels, or dense
 * targets mixing one-hot rows, soft rows that sum to 1 and rows that do not. */
function rowData(entry: RowwiseEntry, Array_: Ctor, C: number, rows: number, seed: number, o: Record<string, unknown> = {}) {
  const rand = random(seed);
  const n = C * rows;
  const z = uniform(Array_, n, entry.domain.pred, rand);
  if (entry.metric) for (let i = 0; i < n; i++) z[i] = Math.round(z[i]! * 2) / 2;
  if (entry.target === 'labels') {
    return { t: Int32Array.from({ length: rows }, () => Math.floor(rand() * C)), z };
  }
  const t = new Array_(n);
  for (let r = 0; r < rows; r++) {
    if (r % 3 === 0) {
      t[r * C + Math.floor(rand() * C)] = 1;
    } else {
      let s = 0;
      for (let k = 0; k < C; k++) s += t[r * C + k] = rand();
      if (r % 3 === 1) for (let k = 0; k < C; k++) t[r * C + k] = t[r * C + k]! / s;
    }
  }
  return { t: targetsFor(entry, o, t), z };
}

const maxAbs = (a: ArrayLike<number>): number => Array.from(a).reduce((m, x) => Math.max(m, Math.abs(x)), 0);
/** Element-wise closeness, with an absolute floor scaled to the largest expected element (cancellation near 0). */
function close(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  expectClose(actual, expected, tol, what, tol * Math.max(maxAbs(expected), 1e-300));
}

const losses = rowwiseRegistry.filter((e) => !e.metric);
const metrics = rowwiseRegistry.filter((e) => e.metric);

test('every row-wise registry entry has a float64 reference', () => {
  for (const entry of rowwiseRegistry) expect(rowReferences[entry.name], entry.name).toBeDefined();
});

for (const build of BUILDS) {
  describe(`${build.name} build`, () => {
    beforeAll(() => {
      expect(initSync(build.bytes).simd).toBe(build.simd);
    });

    for (const entry of losses) {
      const ref = rowReferences[entry.name]!;
      const loss = entry.loss as AnyLoss;

      for (const dtype of DTYPES) {
        const tol = dtype.name === 'f32' ? entry.f32Tolerance : F64_TOLERANCE;

        test(`${entry.name} ${dtype.name}: every reduction and gradient matches the reference at every C 1–40, 1000, 4097, 8193`, () => {
          for (const C of CLASSES) {
            for (const rows of rowsFor(C)) {
              for (const c of entry.cases) {
                const o = resolve(c, C);
                const { t, z } = rowData(entry, dtype.Array, C, rows, C * 131 + rows, o);
                const e = ref(t, z, o as never);
                const at = `${JSON.stringify(c)} C=${C} rows=${rows}`;
                expectNear(loss(t, z, o), e.mean, tol, `mean ${at}`, tol);
                expectNear(loss(t, z, { ...o, reduction: 'sum' }), e.sum, tol, `sum ${at}`, tol);
                const none = loss(t, z, { ...o, reduction: 'none' });
                expect(none).toBeInstanceOf(dtype.Array);
                close(none, e.losses, tol, `none ${at}`);
                const grad = loss.grad(t, z, o);
                expect(grad).toBeInstanceOf(dtype.Array);
                close(grad, e.gradMean, tol, `grad mean ${at}`);
                close(loss.grad(t, z, { ...o, reduction: 'sum' }), e.gradSum, tol, `grad sum ${at}`);
                close(loss.grad(t, z, { ...o, reduction: 'none' }), e.gradSum, tol, `grad none ${at}`);
              }
            }
          }
        });

        test(`${entry.name} ${dtype.name}: withGrad is loss and grad from one pass, bit for bit; accuracy from the same pass`, () => {
          for (const C of [1, 3, 10, 31, 32, 33, 1000]) {
            for (const rows of [0, 1, 5, 8, 3001]) {
              if (rows * C > 400_000) continue;
              for (const c of entry.cases) {
                const o = resolve(c, C);
                const { t, z } = rowData(entry, dtype.Array, C, rows, 7 * C + rows, o);
                for (const reduction of ['mean', 'sum'] as const) {
                  const both = loss.withGrad(t, z, { ...o, reduction });
                  expect(both.loss).toBe(loss(t, z, { ...o, reduction }));
                  expectIdentical(both.grad, loss.grad(t, z, { ...o, reduction }), `${reduction} C=${C} rows=${rows}`);
                  expect(both.accuracy).toBeUndefined();
                  const withAccuracy = loss.withGrad(t, z, { ...o, reduction, accuracy: true });
                  expect(withAccuracy.loss).toBe(both.loss);
                  expectIdentical(withAccuracy.grad, both.grad, 'grad with accuracy');
                  expectNear(withAccuracy.accuracy, ref(t, z, o as never).accuracy, 1e-12, `accuracy C=${C} rows=${rows}`);
                }
                const none = loss.withGrad(t, z, { ...o, reduction: 'none' });
                expectIdentical(none.loss, loss(t, z, { ...o, reduction: 'none' }), `none C=${C} rows=${rows}`);
                expectIdentical(none.grad, loss.grad(t, z, { ...o, reduction: 'none' }), `none grad C=${C} rows=${rows}`);
              }
            }
          }
        });

        test(`${entry.name} ${dtype.name}: row weights, in every reduction, with every option set`, () => {
          for (const C of [1, 4, 10, 33, 1000]) {
            for (const rows of [1, 3, 7, 4100]) {
              if (rows * C > 100_000) continue;
              for (const c of entry.cases) {
                const o = resolve(c, C);
                const { t, z } = rowData(entry, dtype.Array, C, rows, 5 * C + rows, o);
                const w = uniform(dtype.Array, rows, [0, 2], random(rows));
                for (let i = 1; i < rows; i += 5) w[i] = 0;
                const e = ref(t, z, o as never, w);
                const at = `${JSON.stringify(c)} C=${C} rows=${rows}`;
                expectNear(loss(t, z, { ...o, weights: w }), e.mean, tol, `mean ${at}`, tol);
                expectNear(loss(t, z, { ...o, weights: w, reduction: 'sum' }), e.sum, tol, `sum ${at}`, tol);
                close(loss(t, z, { ...o, weights: w, reduction: 'none' }), e.losses, tol, `none ${at}`);
                const both = loss.withGrad(t, z, { ...o, weights: w, accuracy: true });
                expectNear(both.loss, e.mean, tol, `withGrad mean ${at}`, tol);
                close(both.grad, e.gradMean, tol, `withGrad grad ${at}`);
                expectNear(both.accuracy, e.accuracy, 1e-12, `accuracy ${at}`);
                close(loss.grad(t, z, { ...o, weights: w, reduction: 'sum' }), e.gradSum, tol, `grad sum ${at}`);
                const ones = new dtype.Array(rows).fill(1);
                expect(loss(t, z, { ...o, weights: ones })).toBe(loss(t, z, o));
                expectIdentical(loss.grad(t, z, { ...o, weights: ones }), loss.grad(t, z, o), `ones ${at}`);
              }
            }
          }
        });

        test(`${entry.name} ${dtype.name}: a mean over nothing is 0 with a zero gradient, never NaN`, () => {
          const empty = new dtype.Array(0);
          const noTarget = entry.target === 'labels' ? new Int32Array(0) : empty;
          expect(loss(noTarget, empty, { classes: 3 })).toBe(0);
          expect(loss(noTarget, empty, { classes: 3, reduction: 'sum' })).toBe(0);
          expect(loss(noTarget, empty, { classes: 3, reduction: 'none' })).toEqual(new dtype.Array(0));
          expect(loss.withGrad(noTarget, empty, { classes: 3 })).toEqual({ loss: 0, grad: new dtype.Array(0) });
          expect(loss.withGrad(noTarget, empty, { classes: 3, accuracy: true })).toEqual({
            loss: 0,
            grad: new dtype.Array(0),
            accuracy: 0,
          });
          for (const C of [3, 40]) {
            const { t, z } = rowData(entry, dtype.Array, C, 9, 1);
            const zero = new dtype.Array(9);
            const both = loss.withGrad(t, z, { classes: C, weights: zero });
            expect(both.loss).toBe(0);
            expect(
              both.grad.every((g: number) => g === 0),
              'grad with zero weights',
            ).toBe(true);
            if (entry.target === 'labels' && entry.cases.some((c) => 'ignoreIndex' in c)) {
              const all = new Int32Array(9).fill(-100);
              const ignored = loss.withGrad(all, z, { classes: C, ignoreIndex: -100, accuracy: true });
              expect(ignored).toEqual({ loss: 0, grad: new dtype.Array(9 * C), accuracy: 0 });
              expect(loss(all, z, { classes: C, ignoreIndex: -100, reduction: 'none' })).toEqual(new dtype.Array(9));
            } else if (entry.cases.some((c) => 'classWeights' in c)) {
              const zeroWeights = new Array(C).fill(0);
              const both2 = loss.withGrad(t, z, { classes: C, classWeights: zeroWeights });
              expect(both2.loss).toBe(0);
              expect(
                both2.grad.every((g: number) => g === 0),
                'grad with zero class weights',
              ).toBe(true);
            }
          }
        });

        test(`${entry.name} ${dtype.name}: opts.out receives the gradient, may be pred itself, and may be a WasmArray`, () => {
          for (const [C, rows] of [
            [10, 2001],
            [40, 301],
            [1000, 9],
            [8193, 2],
          ] as const) {
            const { t, z } = rowData(entry, dtype.Array, C, rows, 11 * C);
            const o = { classes: C };
            const want = loss.grad(t, z, o);
            const out = new dtype.Array(rows * C);
            expect(loss.grad(t, z, { ...o, out })).toBe(out);
            expectIdentical(out, want, 'out');
            expect(loss.withGrad(t, z, { ...o, out }).grad).toBe(out);
            const inPlace = z.slice();
            loss.grad(t, inPlace, { ...o, out: inPlace });
            expectIdentical(inPlace, want, `in place C=${C}`);
            const wasmOut = alloc(rows * C, dtype.name);
            expect(loss.grad(t, z, { ...o, out: wasmOut })).toBe(wasmOut.array);
            expectIdentical(wasmOut.array, want, 'WasmArray out');
            // Zero copy in place: the kernel itself overwrites the logits it reads.
            const wz = alloc(rows * C, dtype.name);
            wz.array.set(z);
            const wt = alloc(t.length, entry.target === 'labels' ? 'i32' : dtype.name);
            wt.array.set(t as never);
            loss.grad(wt, wz, { ...o, out: wz });
            expectIdentical(wz.array, want, `zero-copy in place C=${C}`);
            for (const a of [wasmOut, wz, wt]) a.free();
          }
        });

        test(`${entry.name} ${dtype.name}: WasmArrays, their .array and ordinary arrays give identical results in any mix, across chunks and wide rows`, () => {
          for (const [C, rows] of [
            [3, 0],
            [3, 13],
            [10, 3000],
            [33, 1000],
            [8193, 3],
          ] as const) {
            const { t, z } = rowData(entry, dtype.Array, C, rows, 17 * C + rows);
            const w = uniform(dtype.Array, rows, [0, 3], random(rows + 2));
            const ta = alloc(t.length, entry.target === 'labels' ? 'i32' : dtype.name);
            const za = alloc(z.length, dtype.name);
            const wa = alloc(rows, dtype.name);
            ta.array.set(t as never);
            za.array.set(z);
            wa.array.set(w);
            for (const c of entry.cases) {
              const o = resolve(c, C);
              const tc = targetsFor(entry, o, t);
              ta.array.set(tc as never);
              for (const reduction of ['mean', 'sum', 'none'] as const) {
                const plain = loss.withGrad(tc, z, { ...o, reduction, weights: w, accuracy: true });
                for (const [ti, zi, wi] of [
                  [ta, za, wa],
                  [ta.array, z, wa],
                  [tc, za, w],
                  [tc, z, wa.array],
                ] as const) {
                  const mixed = loss.withGrad(ti, zi, { ...o, reduction, weights: wi, accuracy: true });
                  if (reduction === 'none') expectIdentical(mixed.loss, plain.loss, `${reduction} C=${C}`);
                  else expect(mixed.loss, `${reduction} C=${C}`).toBe(plain.loss);
                  expect(mixed.accuracy).toBe(plain.accuracy);
                  expectIdentical(mixed.grad, plain.grad, `grad ${reduction} C=${C}`);
                }
              }
            }
            for (const a of [ta, za, wa]) a.free();
          }
        });

        test(`${entry.name} ${dtype.name}: a wide row's temporary block is freed, and arrays held across the memory growth it may cause stay right`, () => {
          const C = 8193;
          const { t, z } = rowData(entry, dtype.Array, C, 2, 3);
          const want = loss.withGrad(t, z, { classes: C });
          const before = memory().buffer.byteLength;
          for (let i = 0; i < 5; i++) loss.withGrad(t, z, { classes: C });
          expect(memory().buffer.byteLength).toBe(before);
          const held = alloc(C * 2, dtype.name);
          held.array.set(z);
          const both = loss.withGrad(t, held, { classes: C, out: held });
          expect(both.grad).toBe(held.array);
          expectIdentical(held.array, want.grad, 'in place through a WasmArray');
          held.free();
        });

        if (dtype.name === 'f64') {
          test(`${entry.name}: the gradient matches central differences of the loss`, () => {
            for (const C of [2, 3, 10, 40]) {
              // (Not where ε clamps a prediction: there the gradient is taken at the clamp, by design.)
              for (const c of entry.cases.filter((c) => !('eps' in c))) {
                const o = resolve(c, C);
                const rows = 5;
                const { t, z } = rowData(entry, Float64Array, C, rows, 23 * C, o);
                const w = uniform(Float64Array, rows, [0.5, 2], random(5));
                for (const weights of [undefined, w]) {
                  const grad = loss.grad(t, z, { ...o, weights });
                  const total = (q: Float32Array | Float64Array) => loss(t, q, { ...o, weights }) as number;
                  const h = 1e-6;
                  for (let i = 0; i < z.length; i++) {
                    const up = z.slice();
                    const down = z.slice();
                    up[i] = z[i]! + h;
                    down[i] = z[i]! - h;
                    expectNear(grad[i]!, (total(up) - total(down)) / (2 * h), 1e-6, `d/dpred[${i}] ${JSON.stringify(c)} C=${C}`, 1e-8);
                  }
                }
              }
            }
          });
        }

        test(`${entry.name} ${dtype.name}: logits of ±100, ±1e4, −120 and rows with one huge logit give finite, right losses and gradients`, () => {
          const big = entry.hugeLogit?.[dtype.name] ?? (dtype.name === 'f32' ? 1e37 : 1e300); // z − m stays finite: the true loss is representable
          for (const C of [2, 3, 10, 40, 1000]) {
            const patterns: ((k: number) => number)[] = [
              (k) => (k % 2 ? 100 : -100),
              (k) => (k % 2 ? 1e4 : -1e4),
              () => -120,
              () => 1e4,
              (k) => (k === 1 % C ? 1e4 : 0),
              (k) => (k === 0 ? 88 : -88),
              (k) => (k === C - 1 ? big : -big / 2),
              (k) => -1e4 + k,
            ];
            const rows = patterns.length;
            const z = new dtype.Array(rows * C);
            patterns.forEach((f, r) => {
              for (let k = 0; k < C; k++) z[r * C + k] = f(k);
            });
            const t =
              entry.target === 'labels'
                ? Int32Array.from({ length: rows }, (_, r) => (r * 7) % C)
                : new dtype.Array(Array.from({ length: rows * C }, (_, i) => (i % C === (Math.floor(i / C) * 7) % C ? 1 : 0)));
            for (const c of entry.cases) {
              const o = resolve(c, C);
              const tc = targetsFor(entry, o, t);
              const e = ref(tc, z, o as never);
              const both = loss.withGrad(tc, z, { ...o, reduction: 'sum' });
              const lossesNone = loss(tc, z, { ...o, reduction: 'none' });
              expect(Array.from(lossesNone).every(Number.isFinite), `finite losses ${JSON.stringify(c)} C=${C}`).toBe(true);
              expect(Array.from(both.grad as ArrayLike<number>).every(Number.isFinite), `finite grad C=${C}`).toBe(true);
              close(lossesNone, e.losses, tol, `losses ${JSON.stringify(c)} C=${C}`);
              close(both.grad, e.gradSum, tol, `grad ${JSON.stringify(c)} C=${C}`);
            }
          }
        });
      }
    }

    for (const entry of metrics) {
      const ref = rowReferences[entry.name]!;
      const metric = entry.loss as AnyLoss;
      for (const dtype of DTYPES) {
        test(`${entry.name} ${dtype.name}: every reduction matches the reference (ties, NaN), weights, any mix of WasmArrays`, () => {
          for (const C of [...CLASSES.slice(0, 40), 1000]) {
            for (const rows of [0, 1, 3, 4, 9, 3001]) {
              if (rows * C > (C <= 10 ? 30_001 : 12_000)) continue; // chunk edges at small C, wide rows at C = 1000
              for (const c of entry.cases) {
                if ((c.k as number) > C) continue;
                const o = resolve(c, C);
                const { t, z } = rowData(entry, dtype.Array, C, rows, 3 * C + rows, o);
                if (rows > 3) z[C + (rows % C)] = NaN; // row 1: a NaN counts as the largest
                const e = ref(t, z, o as never);
                const at = `${JSON.stringify(c)} C=${C} rows=${rows}`;
                expect(metric(t, z, o), `mean ${at}`).toBe(e.mean);
                expect(metric(t, z, { ...o, reduction: 'sum' }), `sum ${at}`).toBe(e.sum);
                expectIdentical(metric(t, z, { ...o, reduction: 'none' }), e.losses, `none ${at}`);
                const w = uniform(dtype.Array, rows, [0, 2], random(rows)).map(dtype.round);
                const ew = ref(t, z, o as never, w);
                expectNear(metric(t, z, { ...o, weights: w }), ew.mean, dtype.name === 'f32' ? 1e-6 : 1e-12, `weighted ${at}`); // Σ w: float32 lanes per block
                expectIdentical(metric(t, z, { ...o, weights: w, reduction: 'none' }), ew.losses.map(dtype.round), `weighted none ${at}`);
              }
            }
          }
          const { t, z } = rowData(entry, dtype.Array, 7, 100, 5);
          const ta = alloc(t.length, entry.target === 'labels' ? 'i32' : dtype.name);
          const za = alloc(z.length, dtype.name);
          ta.array.set(t as never);
          za.array.set(z);
          expect(metric(ta, za, { classes: 7 })).toBe(metric(t, z, { classes: 7 }));
          expect(metric(ta.array, z, { classes: 7 })).toBe(metric(t, z, { classes: 7 }));
          ta.free();
          za.free();
        });
      }
    }
  });
}

describe('the SIMD and scalar builds agree', () => {
  test.each(losses.map((e) => [e.name, e]))('%s: per-row losses and gradients bit for bit at every C 1–40, 1000, 8193', (_, entry) => {
    const loss = entry.loss as AnyLoss;
    for (const dtype of DTYPES) {
      for (const c of entry.cases) {
        const runs = BUILDS.map((build) => {
          initSync(build.bytes);
          return [...CLASSES.slice(0, 40), 1000, 8193].map((C) => {
            const o = resolve(c, C);
            const { t, z } = rowData(entry, dtype.Array, C, C > 40 ? 3 : 9, 31 * C, o);
            const w = uniform(dtype.Array, C > 40 ? 3 : 9, [0, 2], random(C));
            return { C, mean: loss(t, z, o) as number, both: loss.withGrad(t, z, { ...o, weights: w, reduction: 'none' }) };
          });
        });
        const tol = dtype.name === 'f32' ? entry.f32Tolerance : F64_TOLERANCE;
        runs[0]!.forEach((simd, i) => {
          const scalar = runs[1]![i]!;
          const at = `${dtype.name} ${JSON.stringify(c)} C=${simd.C}`;
          expectNear(simd.mean, scalar.mean, tol, `mean ${at}`);
          expectIdentical(simd.both.loss, scalar.both.loss, `losses ${at}`);
          expectIdentical(simd.both.grad, scalar.both.grad, `grad ${at}`);
        });
      }
    }
  });
});

// Row counts around the edges of a group of V rows (4, 2) and of a block of rows (multilabelSoftMargin:
// 512 bytes of rows, 12 rows of 10 float32, 64 rows of 2), where the scalar build takes each row alone.
const GROUP_ROWS = [...ONE_TO_NINE, 11, 12, 13, 16, 17, 25, 31, 63, 64, 65, 67];

describe('the SIMD and scalar builds agree at every row count around a group of rows', () => {
  test.each(losses.map((e) => [e.name, e]))('%s: C = 2, 3, 5, 10, rows 1–9 and around the blocks', (_, entry) => {
    const loss = entry.loss as AnyLoss;
    for (const dtype of DTYPES) {
      for (const c of entry.cases) {
        const runs = BUILDS.map((build) => {
          initSync(build.bytes);
          return GROUPED.flatMap((C) =>
            GROUP_ROWS.map((rows) => {
              const { t, z } = rowData(entry, dtype.Array, C, rows, 17 * C + rows, resolve(c, C));
              const w = uniform(dtype.Array, rows, [0, 2], random(rows));
              const o = { ...resolve(c, C), weights: w, reduction: 'none' };
              return {
                at: `${dtype.name} ${JSON.stringify(c)} C=${C} rows=${rows}`,
                both: loss.withGrad(t, z, o),
                plain: loss.withGrad(t, z, resolve(c, C)),
              };
            }),
          );
        });
        const tol = dtype.name === 'f32' ? entry.f32Tolerance : F64_TOLERANCE;
        runs[0]!.forEach((simd, i) => {
          const scalar = runs[1]![i]!;
          expectIdentical(simd.both.loss, scalar.both.loss, `losses ${simd.at}`);
          expectIdentical(simd.both.grad, scalar.both.grad, `grad ${simd.at}`);
          expectIdentical(simd.plain.grad, scalar.plain.grad, `mean grad ${simd.at}`);
          expectNear(simd.plain.loss, scalar.plain.loss, tol, `mean ${simd.at}`); // Σ in float64: a lanes group may add its rows first
        });
      }
    }
  });
});

describe('probabilities exactly 0 and 1, zeros in P', () => {
  beforeAll(() => {
    initSync(BUILDS[0].bytes);
  });
  const cceLoss = () => rowwiseRegistry.find((e) => e.name === 'categoricalCrossEntropy')!.loss as AnyLoss;
  const klLoss = () => rowwiseRegistry.find((e) => e.name === 'klDivergence')!.loss as AnyLoss;

  test.each(DTYPES.map((d) => [d.name, d]))(
    '%s: categoricalCrossEntropy clamps p to [ε, 1]: finite loss, the gradient at the clamp',
    (_, dtype) => {
      const cce = cceLoss();
      const eps = dtype.round(1e-7);
      // Rows: confident and right; confident and wrong (p = 0 at the target); p = 1 exactly; p above 1 (clamped to 1).
      const y = dtype.Array.from([0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1]);
      const p = dtype.Array.from([0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1.5]);
      const losses = cce(y, p, { classes: 3, reduction: 'none' });
      expect([losses[0], losses[2], losses[3]]).toEqual([0, 0, 0]);
      expectNear(losses[1]!, -Math.log(eps), dtype.name === 'f32' ? 1e-6 : 1e-14, 'p = 0 at the target');
      const grad = cce.grad(y, p, { classes: 3, reduction: 'sum' });
      expect(Array.from(grad).every(Number.isFinite)).toBe(true);
      expectNear(grad[4]!, -1 / eps, 1e-7, 'd/dp at p = 0: −y/ε');
      expect(grad[1]).toBe(-1);
      expect(grad[11]).toBe(-1); // p = 1.5 clamped to 1
      expect(grad[0]).toBe(-0);
    },
  );

  test.each(DTYPES.map((d) => [d.name, d]))('%s: klDivergence: 0·log 0 = 0 where P = 0, whatever Q is; Q = 0 clamped to ε', (_, dtype) => {
    const kl = klLoss();
    const P = dtype.Array.from([0, 1, 0, 0.5, 0.5, 0, 0, 0, 1]);
    const Q = dtype.Array.from([0, 1, 0, 0.5, 0.5, 0, 0.3, 0.7, 0]);
    const losses = kl(P, Q, { classes: 3, reduction: 'none' });
    expect(losses[0]).toBe(0); // identical distributions, with zeros
    expectNear(losses[1]!, 0, 0, 'equal halves', 1e-7);
    expectNear(losses[2]!, -Math.log(dtype.round(1e-7)), dtype.name === 'f32' ? 1e-6 : 1e-14, 'Q = 0 where P = 1');
    const grad = kl.grad(P, Q, { classes: 3, reduction: 'sum' });
    expect(Array.from(grad).every(Number.isFinite)).toBe(true);
    expect(grad[0]).toBe(-0); // P = 0: no pull on Q
    // From logits: Q = softmax(z); zeros in P, and logits of ±1e4.
    const z = dtype.Array.from([1e4, -1e4, 0, -120, -120, -120, 0, 0, 1e4]);
    const fromLogits = kl(P, z, { classes: 3, fromLogits: true, reduction: 'none' });
    const e = rowReferences.klDivergence!(P, z, { classes: 3, fromLogits: true });
    expectClose(fromLogits, e.losses, dtype.name === 'f32' ? 1e-5 : 1e-12, 'KL from logits', 1e-6);
    expect(Array.from(kl.grad(P, z, { classes: 3, fromLogits: true })).every(Number.isFinite)).toBe(true);
  });
});

describe('accumulators: whole rows in any split, any merge order, through JSON = the one-shot result', () => {
  test.each(rowwiseRegistry.map((e) => [e.name, e]))('%s', (_, entry) => {
    const loss = entry.loss as AnyLoss;
    for (const build of BUILDS) {
      initSync(build.bytes);
      for (const dtype of DTYPES) {
        const tol = dtype.name === 'f32' ? Math.max(entry.f32Tolerance, 1e-6) : 1e-12;
        for (const C of [3, 10, 40, 1000]) {
          const rows = C === 1000 ? 21 : 1003;
          for (const c of entry.cases) {
            if ((c.k as number) > C) continue;
            const o = resolve(c, C);
            const { t, z } = rowData(entry, dtype.Array, C, rows, 41 * C, o);
            const w = uniform(dtype.Array, rows, [0, 2], random(C));
            for (const reduction of ['mean', 'sum'] as const) {
              for (const weights of [undefined, w]) {
                const oneShot = loss(t, z, { ...o, reduction, weights }) as number;
                // Cuts at row boundaries: empty chunks, single rows, a lanes group split.
                const cuts = [0, 0, 1, 5, 6, Math.floor(rows / 2), rows - 1, rows, rows];
                const accs = [];
                for (let i = 1; i < cuts.length; i++) {
                  const [a, b] = [cuts[i - 1]!, cuts[i]!];
                  const acc = loss.create({ ...o, reduction });
                  acc.update(
                    t.subarray(entry.target === 'labels' ? a : a * C, entry.target === 'labels' ? b : b * C),
                    z.subarray(a * C, b * C),
                    weights?.subarray(a, b),
                  );
                  accs.push(acc);
                }
                let merged = loss.fromJSON(JSON.stringify(accs[0]));
                for (const acc of accs.slice(1).reverse()) merged = merged.merge(loss.fromJSON(acc.toJSON()));
                expect(merged.count).toBe(rows);
                expectNear(
                  merged.result(),
                  oneShot,
                  tol,
                  `${build.name} ${dtype.name} ${JSON.stringify(c)} C=${C} ${reduction}${weights ? ' weighted' : ''}`,
                  tol,
                );
              }
            }
          }
        }
      }
    }
    // The options travel with the state; create checks them as the one-shot call does.
    expect(() => loss.create({})).toThrow(/opts.classes must be an integer/);
    expect(() => loss.create({ classes: 3, reduction: 'none' })).toThrow(/must be 'mean' or 'sum'/);
    expect(() => loss.create({ classes: 3, weights: new Float32Array(1) })).toThrow(/weights go with each batch/);
    const acc = loss.create({ classes: 3 });
    expect(() => acc.update(entry.target === 'labels' ? Int32Array.of(0) : Float32Array.of(0, 1, 0), new Float32Array(4))).toThrow(
      /opts.classes must divide the length of pred/,
    );
  });
});
