// Every elementwise loss of the registry (row-wise ones: categorical.test.ts), on both builds and both dtypes, against its float64 reference:
// every reduction, weights, out, zero copy, every length around the SIMD tiles and chunk edges,
// central differences, extreme values.
import { beforeAll, describe, expect, test } from 'vitest';
import * as lib from '../../src/node.js';
import { alloc, initSync } from '../../src/node.js';
import { type ElementwiseEntry, elementwiseOf, unmatchedOf } from '../registry.js';

const registry = elementwiseOf(lib);

import { BUILDS, DTYPES, elementwiseData, expectClose, expectIdentical, expectNear, LENGTHS, random, uniform } from '../helpers.js';
import { expected, references } from '../reference/index.js';

type AnyLoss = any; // the registry holds losses of several option types; each test passes the right ones
const F64_TOLERANCE = 1e-12;
// This file drives the elementwise kind; row-wise and embedding kinds have their own test files.

/**
 * Target and pred drawn from the entry's domain (targets partly or wholly from its labels), with
 * every 7th prediction exactly on its target (the kink of mae).
 */
function data(entry: ElementwiseEntry, Ctor: Float32ArrayConstructor | Float64ArrayConstructor, n: number, seed: number) {
  return elementwiseData(entry, Ctor, n, random(seed));
}

test('every exported loss has a float64 reference (or a registry entry), and every reference an exported loss', () => {
  const { withoutReference, withoutLoss } = unmatchedOf(lib);
  expect(withoutReference, 'exported losses no test drives: add a reference to test/reference/<family>.ts').toEqual([]);
  expect(withoutLoss, 'references of no exported loss').toEqual([]);
  for (const entry of registry) expect(entry.reference, entry.name).toBe(references[entry.name]);
});

test('the join reports a loss without a reference, and a reference without a loss', () => {
  const { mse, ...withoutMse } = lib;
  const stray = Object.assign(() => 0, { lossName: 'stray', options: [], grad: () => 0 });
  expect(unmatchedOf({ ...withoutMse, stray })).toEqual({ withoutReference: ['stray'], withoutLoss: ['mse'] });
  expect(elementwiseOf(withoutMse).map((e) => e.name)).not.toContain('mse');
  expect(elementwiseOf({ ...lib }).map((e) => e.name)).toContain(mse.lossName);
});

for (const build of BUILDS) {
  describe(`${build.name} build`, () => {
    beforeAll(() => {
      expect(initSync(build.bytes).simd).toBe(build.simd);
    });

    for (const entry of registry) {
      const ref = entry.reference;
      const loss = entry.loss as AnyLoss;

      for (const dtype of DTYPES) {
        const tol = dtype.name === 'f32' ? entry.f32Tolerance : F64_TOLERANCE;
        const f32 = dtype.name === 'f32';
        /** Losses within tol of the reference relative to the scale of their terms, where they are a difference (lossScale). */
        const lossTolerance = (scale: Float64Array) => scale.map((s) => (Number.isFinite(s) ? tol * s : 0));
        /** Gradients within tol of the reference, relative to the scale of the terms they are a difference of. */
        const expectGrad = (actual: ArrayLike<number>, want: ArrayLike<number>, scale: ArrayLike<number>, what: string) =>
          expectClose(
            actual,
            want,
            tol,
            what,
            Array.from(scale, (s) => tol * s),
          );

        test(`${entry.name} ${dtype.name}: every reduction and gradient matches the reference at lengths 0–67 and beyond`, () => {
          for (const opts of entry.cases) {
            for (const n of LENGTHS) {
              const { y, p } = data(entry, dtype.Array, n, n + 1);
              const e = expected(ref, y, p, opts, undefined, f32);
              const at = `${JSON.stringify(opts)} n=${n}`;
              expectNear(loss(y, p, opts), e.mean, tol, `mean ${at}`, tol * e.meanScale);
              expectNear(loss(y, p, { ...opts, reduction: 'sum' }), e.sum, tol, `sum ${at}`, tol * e.sumScale);
              const none = loss(y, p, { ...opts, reduction: 'none' });
              expect(none).toBeInstanceOf(dtype.Array);
              expectClose(none, e.losses, tol, `none ${at}`, lossTolerance(e.lossScale));
              const grad = loss.grad(y, p, opts);
              expect(grad).toBeInstanceOf(dtype.Array);
              expectGrad(grad, e.gradMean, e.gradMeanScale, `grad mean ${at}`);
              expectGrad(loss.grad(y, p, { ...opts, reduction: 'sum' }), e.gradSum, e.gradSumScale, `grad sum ${at}`);
              expectGrad(loss.grad(y, p, { ...opts, reduction: 'none' }), e.gradSum, e.gradSumScale, `grad none ${at}`);
            }
          }
        });

        test(`${entry.name} ${dtype.name}: withGrad is loss and grad from one pass, bit for bit`, () => {
          for (const opts of entry.cases) {
            for (const n of [0, 1, 5, 67, 8193]) {
              const { y, p } = data(entry, dtype.Array, n, 3 * n + 7);
              for (const reduction of ['mean', 'sum'] as const) {
                const both = loss.withGrad(y, p, { ...opts, reduction });
                expect(both.loss).toBe(loss(y, p, { ...opts, reduction }));
                expectIdentical(both.grad, loss.grad(y, p, { ...opts, reduction }), `${reduction} n=${n}`);
              }
              const none = loss.withGrad(y, p, { ...opts, reduction: 'none' });
              expectIdentical(none.loss, loss(y, p, { ...opts, reduction: 'none' }), `none n=${n}`);
              expectIdentical(none.grad, loss.grad(y, p, { ...opts, reduction: 'none' }), `none grad n=${n}`);
            }
          }
        });

        test(`${entry.name} ${dtype.name}: weights, in every reduction`, () => {
          for (const opts of entry.cases) {
            for (const n of [1, 3, 17, 64, 1025, 8193]) {
              const { y, p } = data(entry, dtype.Array, n, 5 * n);
              const rand = random(n);
              const w = uniform(dtype.Array, n, [0, 2], rand);
              for (let i = 1; i < n; i += 5) w[i] = 0;
              const e = expected(ref, y, p, opts, w, f32);
              const at = `${JSON.stringify(opts)} n=${n}`;
              expectNear(loss(y, p, { ...opts, weights: w }), e.mean, tol, `mean ${at}`, tol * e.meanScale);
              expectNear(loss(y, p, { ...opts, weights: w, reduction: 'sum' }), e.sum, tol, `sum ${at}`, tol * e.sumScale);
              expectClose(loss(y, p, { ...opts, weights: w, reduction: 'none' }), e.losses, tol, `none ${at}`, lossTolerance(e.lossScale));
              const both = loss.withGrad(y, p, { ...opts, weights: w });
              expectNear(both.loss, e.mean, tol, `withGrad mean ${at}`, tol * e.meanScale);
              expectGrad(both.grad, e.gradMean, e.gradMeanScale, `withGrad grad mean ${at}`);
              expectGrad(loss.grad(y, p, { ...opts, weights: w, reduction: 'sum' }), e.gradSum, e.gradSumScale, `grad sum ${at}`);
              expectGrad(loss.grad(y, p, { ...opts, weights: w, reduction: 'none' }), e.gradSum, e.gradSumScale, `grad none ${at}`);
              // Weights of all ones are no weights at all: bit for bit, but for a sum that takes another
              // algorithm unweighted (BCE with logits, float32, w₊ = 1: ln of a product; docs/numerics.md).
              const ones = new dtype.Array(n).fill(1);
              if (entry.f32UnweightedSumDiffers && dtype.name === 'f32') {
                expectNear(loss(y, p, { ...opts, weights: ones }), loss(y, p, opts), tol, `ones mean ${at}`);
              } else {
                expect(loss(y, p, { ...opts, weights: ones })).toBe(loss(y, p, opts));
              }
              expectIdentical(loss.grad(y, p, { ...opts, weights: ones }), loss.grad(y, p, opts), `ones ${at}`);
            }
          }
        });

        test(`${entry.name} ${dtype.name}: a mean over nothing is 0 with a zero gradient, never NaN`, () => {
          const empty = new dtype.Array(0);
          expect(loss(empty, empty)).toBe(0);
          expect(loss(empty, empty, { reduction: 'sum' })).toBe(0);
          expect(loss(empty, empty, { reduction: 'none' })).toEqual(new dtype.Array(0));
          expect(loss.withGrad(empty, empty)).toEqual({ loss: 0, grad: new dtype.Array(0) });
          const { y, p } = data(entry, dtype.Array, 9, 1);
          const zero = new dtype.Array(9);
          expect(loss(y, p, { weights: zero })).toBe(0);
          const both = loss.withGrad(y, p, { weights: zero });
          expect(both.loss).toBe(0);
          expect(
            both.grad.every((g: number) => g === 0),
            'grad with zero weights',
          ).toBe(true);
        });

        test(`${entry.name} ${dtype.name}: opts.out receives the gradient, may be pred itself, and may be a WasmArray`, () => {
          const n = 8195;
          const { y, p } = data(entry, dtype.Array, n, 11);
          const want = loss.grad(y, p);
          const out = new dtype.Array(n);
          expect(loss.grad(y, p, { out })).toBe(out);
          expectIdentical(out, want, 'out');
          const both = loss.withGrad(y, p, { out });
          expect(both.grad).toBe(out);
          const inPlace = p.slice();
          loss.grad(y, inPlace, { out: inPlace });
          expectIdentical(inPlace, want, 'in place');
          const wasmOut = alloc(n, dtype.name);
          expect(loss.grad(y, p, { out: wasmOut })).toBe(wasmOut.array);
          expectIdentical(wasmOut.array, want, 'WasmArray out');
          wasmOut.free();
        });

        test(`${entry.name} ${dtype.name}: WasmArrays, their .array and ordinary arrays give identical results in any mix`, () => {
          for (const n of [0, 13, 8192 + 13, 3 * 4096 + 1]) {
            const { y, p } = data(entry, dtype.Array, n, 17 * n);
            const w = uniform(dtype.Array, n, [0, 3], random(n + 2));
            const ya = alloc(n, dtype.name);
            const pa = alloc(n, dtype.name);
            const wa = alloc(n, dtype.name);
            ya.array.set(y);
            pa.array.set(p);
            wa.array.set(w);
            for (const reduction of ['mean', 'sum', 'none'] as const) {
              const plain = loss.withGrad(y, p, { reduction, weights: w });
              for (const [yi, pi, wi] of [
                [ya, pa, wa],
                [ya.array, p, wa],
                [y, pa, w],
                [y, p, wa.array],
              ] as const) {
                const mixed = loss.withGrad(yi, pi, { reduction, weights: wi });
                if (reduction === 'none') expectIdentical(mixed.loss, plain.loss, `${reduction} n=${n}`);
                else expect(mixed.loss, `${reduction} n=${n}`).toBe(plain.loss);
                expectIdentical(mixed.grad, plain.grad, `grad ${reduction} n=${n}`);
              }
            }
            ya.free();
            pa.free();
            wa.free();
          }
        });

        test(`${entry.name} ${dtype.name}: extreme values — huge, tiny, ±0, ±Infinity, NaN — as the reference rounds them`, () => {
          // (float32 kernels compute in float32: pairs whose residual ŷ − y itself overflows are left out
          // for them; docs/numerics.md says so.)
          const big = dtype.name === 'f32' ? 3e38 : 1.7e308;
          const pairs: readonly (readonly [number, number])[] = entry.extremes ?? [
            [0, 0],
            [-0, 0],
            [0, -0],
            [1, 1],
            [0, 1e-30],
            [1e-38, -1e-38],
            [5e-324, 0],
            [0, 1e19],
            [0, 2e19],
            [big / 2, -big / 2],
            [-big / 2, big / 2],
            [0, big],
            [big, 0],
            [big, big],
            [0, Infinity],
            [Infinity, 0],
            [-Infinity, 5],
            [Infinity, Infinity],
            [NaN, 1],
            [1, NaN],
          ];
          const y = dtype.Array.from(pairs.map((q) => q[0]));
          const p = dtype.Array.from(pairs.map((q) => q[1]));
          for (const opts of entry.cases) {
            const e = expected(ref, y, p, opts, undefined, f32);
            const losses = loss(y, p, { ...opts, reduction: 'none' });
            const grad = loss.grad(y, p, { ...opts, reduction: 'sum' });
            // (subnormal results have an absolute precision: a few units of the smallest one)
            const tiny = dtype.name === 'f32' ? 2 ** -146 : 2 ** -1071;
            expectClose(
              losses,
              e.losses.map(dtype.round),
              tol,
              `losses ${JSON.stringify(opts)}`,
              lossTolerance(e.lossScale).map((s) => s + tiny),
            );
            expectClose(
              grad,
              e.gradSum.map(dtype.round),
              tol,
              `grad ${JSON.stringify(opts)}`,
              Array.from(e.gradSumScale, (s) => tol * s + tiny),
            );
          }
        });

        if (dtype.name === 'f64') {
          test(`${entry.name}: the gradient matches central differences of the loss`, () => {
            for (const opts of entry.cases) {
              const { y, p } = data(entry, Float64Array, 61, 23);
              const kinks = entry.kinks(opts);
              const h = 1e-6;
              const w = uniform(Float64Array, 61, [0.5, 2], random(5));
              for (const weights of [undefined, w]) {
                const grad = loss.grad(y, p, { ...opts, weights });
                // The mean's change is its one changed term's, wᵢ·Δlᵢ / Σw: taken from that term, the
                // difference does not cancel in the rounding of a total that may be far larger.
                const denominator = weights ? weights.reduce((a, b) => a + b, 0) : p.length;
                const term = (q: Float32Array | Float64Array, i: number) =>
                  loss(y, q, { ...opts, weights, reduction: 'none' })[i] / denominator;
                let checked = 0;
                for (let i = 0; i < p.length; i++) {
                  const r = Math.abs(p[i]! - y[i]!);
                  if (kinks.some((k) => Math.abs(r - k) < 10 * h)) continue;
                  if (p[i]! - 10 * h < entry.domain.pred[0] || p[i]! + 10 * h > entry.domain.pred[1]) continue; // keep p ± h in the domain
                  const up = p.slice();
                  const down = p.slice();
                  up[i] = p[i]! + h;
                  down[i] = p[i]! - h;
                  const numeric = (term(up, i) - term(down, i)) / (2 * h);
                  expectNear(grad[i]!, numeric, 1e-6, `d/dpred[${i}] ${JSON.stringify(opts)}`, 1e-8);
                  checked++;
                }
                expect(checked).toBeGreaterThan(40);
              }
            }
          });
        }
      }
    }
  });
}

describe('the SIMD and scalar builds agree', () => {
  test.each(registry.map((e) => [e.name, e]))('%s: elements bit for bit, sums within tolerance', (_, entry) => {
    for (const dtype of DTYPES) {
      for (const opts of entry.cases) {
        const runs = BUILDS.map((build) => {
          initSync(build.bytes);
          const loss = entry.loss as AnyLoss;
          return LENGTHS.map((n) => {
            const { y, p } = data(entry, dtype.Array, n, 31 * n);
            return { n, mean: loss(y, p, opts) as number, both: loss.withGrad(y, p, { ...opts, reduction: 'none' }) };
          });
        });
        const tol = dtype.name === 'f32' ? entry.f32Tolerance : F64_TOLERANCE;
        runs[0]!.forEach((simd, k) => {
          const scalar = runs[1]![k]!;
          expectNear(simd.mean, scalar.mean, tol, `${dtype.name} mean n=${simd.n}`);
          expectIdentical(simd.both.loss, scalar.both.loss, `${dtype.name} losses n=${simd.n}`);
          expectIdentical(simd.both.grad, scalar.both.grad, `${dtype.name} grad n=${simd.n}`);
        });
      }
    }
  });
});
