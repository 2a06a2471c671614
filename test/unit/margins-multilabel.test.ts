// multiMargin and multilabelSoftMargin beyond what the registry drives (categorical.test.ts): values
// worked out by hand from PyTorch's definitions, agreement with the library's independent binary
// and ranking losses, the kink in the dtype's own arithmetic, class weights that leave the mean over
// rows, rows of 65,536 classes, logits of ±1e4 and beyond, the options p and margin.
import { beforeAll, describe, expect, test } from 'vitest';
import { binaryCrossEntropyWithLogits, initSync, marginRanking, multilabelSoftMargin, multiMargin, SimdlossError } from '../../src/node.js';
import { BUILDS, DTYPES, expectClose, expectIdentical, expectNear, random, uniform } from '../helpers.js';
import { multilabelSoftMarginRef, multiMarginRef } from '../reference/categorical.js';

const u = { f32: 2 ** -24, f64: 2 ** -53 } as const;

for (const build of BUILDS) {
  describe(`${build.name} build`, () => {
    beforeAll(() => {
      expect(initSync(build.bytes).simd).toBe(build.simd);
    });

    for (const dtype of DTYPES) {
      // (one constructor type for both dtypes: the union of the two has no callable from() or reduce())
      const A = dtype.Array as Float64ArrayConstructor;
      const tol = dtype.name === 'f32' ? 1e-6 : 1e-14;

      test(`${dtype.name}: multiMargin by hand — rows of 4 classes, p 1 and 2, margin, class weights`, () => {
        const scores = A.of(0.1, 0.2, 0.4, 0.8, 2, -1, 0, 0.5);
        const labels = Int32Array.of(3, 0);
        // Row 1 (t = 3, ŷₜ = 0.8): 1 − 0.8 + (0.1, 0.2, 0.4) = 0.3, 0.4, 0.6, all active: 1.3/4 = 0.325.
        // Row 2 (t = 0, ŷₜ = 2): 1 − 2 + (−1, 0, 0.5) < 0: 0.
        const none = multiMargin(labels, scores, { classes: 4, reduction: 'none' });
        expectClose(none, [0.325, 0], tol, 'losses');
        expectNear(multiMargin(labels, scores, { classes: 4 }), 0.1625, tol, 'mean');
        expectClose(multiMargin.grad(labels, scores, { classes: 4, reduction: 'sum' }), [0.25, 0.25, 0.25, -0.75, 0, 0, 0, 0], tol, 'grad');
        // p = 2, m = 0.5, w₃ = 2: only 0.5 − 0.8 + 0.4 = 0.1 is active: (2/4)·0.01 = 0.005, gradient (2/4)·2·0.1 = 0.1.
        const o = { classes: 4, p: 2, margin: 0.5, classWeights: [1, 1, 1, 2] };
        expectClose(multiMargin(labels, scores, { ...o, reduction: 'none' }), [0.005, 0], tol, 'p = 2 losses');
        expectClose(multiMargin.grad(labels, scores, { ...o, reduction: 'sum' }), [0, 0, 0.1, -0.1, 0, 0, 0, 0], tol, 'p = 2 grad');
      });

      test(`${dtype.name}: multilabelSoftMargin by hand — ln(1 + e^−2) … ln 2`, () => {
        const logits = A.of(2, -1, 0.5, -3, 4, 0);
        const target = A.of(1, 0, 1, 0, 1, 0);
        // Row 1: softplus(−2) + softplus(−1) + softplus(−0.5) = 0.126928011 + 0.313261688 + 0.474076984;
        // row 2: softplus(−3) + softplus(−4) + ln 2 = 0.048587352 + 0.018149928 + 0.693147181; each / 3.
        const rows = [
          (0.12692801104297263 + 0.31326168751822286 + 0.47407698418010663) / 3,
          (0.04858735157374206 + 0.01814992791780978 + Math.LN2) / 3,
        ];
        expectClose(multilabelSoftMargin(target, logits, { classes: 3, reduction: 'none' }), rows, tol, 'losses');
        // Gradient (σ(z) − y)/C/rows: σ(2) − 1 = −0.119202922, σ(−1) = 0.268941421, σ(0) − 0 = 0.5.
        const g = multilabelSoftMargin.grad(target, logits, { classes: 3 });
        expectNear(g[0]!, -0.11920292202211755 / 6, tol, 'grad[0]');
        expectNear(g[1]!, 0.2689414213699951 / 6, tol, 'grad[1]');
        expectNear(g[5]!, 0.5 / 6, tol, 'grad[5]');
      });

      test(`${dtype.name}: multilabelSoftMargin is binaryCrossEntropyWithLogits averaged over the classes, class weights as element weights`, () => {
        const rand = random(5);
        for (const C of [1, 3, 4, 7, 33]) {
          const rows = 11;
          const z = uniform(A, rows * C, [-9, 9], rand);
          const y = uniform(A, rows * C, [0, 1], rand);
          const cw = Array.from({ length: C }, (_, k) => 0.5 + k / C);
          const w = uniform(A, rows, [0, 2], rand);
          const tiled = A.from({ length: rows * C }, (_, i) => w[Math.floor(i / C)]! * cw[i % C]!);
          const ours = multilabelSoftMargin.withGrad(y, z, { classes: C, classWeights: cw, weights: w, reduction: 'sum' });
          const bce = binaryCrossEntropyWithLogits.withGrad(y, z, { weights: tiled, reduction: 'sum' });
          // (the tiled weights are rounded to the dtype, ours multiply w·cw in the kernel: a few u apart)
          const t = dtype.name === 'f32' ? 2e-6 : 1e-13;
          expectNear(ours.loss * C, bce.loss, t, `sum C=${C}`);
          expectClose(
            ours.grad.map((g) => g * C),
            bce.grad,
            t,
            `grad C=${C}`,
            t * 2,
          );
        }
      });

      test(`${dtype.name}: multiMargin over two classes is half of marginRanking(1, ŷₜ, ŷ_other)`, () => {
        const rand = random(9);
        const rows = 40;
        const z = uniform(A, 2 * rows, [-2, 2], rand);
        const labels = Int32Array.from({ length: rows }, () => (rand() < 0.5 ? 0 : 1));
        const x1 = A.from(labels, (t, r) => z[2 * r + t]!);
        const x2 = A.from(labels, (t, r) => z[2 * r + 1 - t]!);
        for (const margin of [0, 0.5, 1]) {
          const ours = multiMargin.withGrad(labels, z, { classes: 2, margin, reduction: 'none' });
          const rank = marginRanking.withGrad(new A(rows).fill(1), x1, x2, { margin, reduction: 'none' });
          expectClose(
            ours.loss,
            rank.loss.map((l) => l / 2),
            tol,
            `losses m=${margin}`,
            tol,
          );
          for (let r = 0; r < rows; r++) {
            const t = labels[r]!;
            expectNear(ours.grad[2 * r + t]!, rank.grad.x1[r]! / 2, tol, `grad at t, row ${r}`, tol);
            expectNear(ours.grad[2 * r + 1 - t]!, rank.grad.x2[r]! / 2, tol, `grad at the other, row ${r}`, tol);
          }
        }
      });

      test(`${dtype.name}: multiMargin's kink, m − ŷₜ + ŷₖ = 0 in the dtype's arithmetic, takes gradient 0 (PyTorch's x > 0)`, () => {
        for (const p of [1, 2]) {
          // 1 − 1 + 0 = 0 exactly: loss 0, gradient 0; a step above it, active.
          const at = multiMargin.withGrad(Int32Array.of(1), A.of(0, 1), { classes: 2, p, reduction: 'sum' });
          expect(at.loss).toBe(0);
          expect(Array.from(at.grad, Math.abs)).toEqual([0, 0]);
          const above = multiMargin.grad(Int32Array.of(1), A.of(0.5, 1), { classes: 2, p, reduction: 'sum' });
          // x = 0.5: p = 1 gives (1/2)·1, p = 2 gives (1/2)·2·0.5: the same ±0.5
          expectClose(above, [0.5, -0.5], tol, `p=${p} above the kink`);
        }
        // 1 − 3e-8 rounds to 1 − 2⁻²⁴ in float32, and adding −(1 − 2⁻²⁴) gives 0: the kink, as float32 PyTorch
        // computes it; in float64 x = 2.96e-8 > 0 and the hinge is active.
        const z = A.of(Math.fround(3e-8), -(1 - 2 ** -24));
        const g = multiMargin.grad(Int32Array.of(0), z, { classes: 2, reduction: 'sum' });
        expect(Array.from(g, Math.abs)).toEqual(dtype.name === 'f32' ? [0, 0] : [0.5, 0.5]);
      });

      test(`${dtype.name}: multiMargin's gradient rows sum to 0, and a row whose label leads every other score by m costs nothing`, () => {
        const rand = random(13);
        for (const C of [2, 3, 10, 31, 32, 33, 100]) {
          for (const o of [{}, { p: 2, margin: 0.5, classWeights: Array.from({ length: C }, (_, k) => 1 + k / C) }]) {
            const rows = 7;
            const z = uniform(A, rows * C, [-2, 2], rand);
            const labels = Int32Array.from({ length: rows }, () => Math.floor(rand() * C));
            const g = multiMargin.grad(labels, z, { classes: C, ...o, reduction: 'sum' });
            for (let r = 0; r < rows; r++) {
              // g_t = −(kr·Σ d) against Σ kr·d: C roundings of terms each ≤ max|g|
              let s = 0;
              let m = 0;
              for (let k = 0; k < C; k++) {
                s += g[r * C + k]!;
                m = Math.max(m, Math.abs(g[r * C + k]!));
              }
              expect(Math.abs(s), `C=${C} row ${r}`).toBeLessThanOrEqual(2 * C * u[dtype.name] * m);
            }
            // Lift each label's score m + 0.25 above the row's largest other: every hinge inactive.
            const margin = (o as { margin?: number }).margin ?? 1;
            for (let r = 0; r < rows; r++) {
              let top = -Infinity;
              for (let k = 0; k < C; k++) if (k !== labels[r]) top = Math.max(top, z[r * C + k]!);
              z[r * C + labels[r]!] = top + margin + 0.25;
            }
            const both = multiMargin.withGrad(labels, z, { classes: C, ...o });
            expect(both.loss).toBe(0);
            expect(both.grad.every((v) => v === 0)).toBe(true);
          }
        }
      });

      test(`${dtype.name}: class weights scale the terms and the mean stays over the rows (Σ row weights)`, () => {
        const rand = random(3);
        const C = 6;
        const rows = 9;
        const z = uniform(A, rows * C, [-3, 3], rand);
        const labels = Int32Array.from({ length: rows }, () => Math.floor(rand() * C));
        const y = uniform(A, rows * C, [0, 1], rand);
        const w = uniform(A, rows, [0.5, 2], rand);
        for (const [f, t] of [
          [multiMargin, labels],
          [multilabelSoftMargin, y],
        ] as const) {
          const call = f as (t: unknown, z: unknown, o: object) => number;
          const plain = call(t, z, { classes: C, weights: w });
          // Every class weighing 3: three times the loss, not the same loss (a mean over Σ w·3 would be).
          expectNear(call(t, z, { classes: C, weights: w, classWeights: new Array(C).fill(3) }), 3 * plain, tol, f.lossName);
          const sum = call(t, z, { classes: C, weights: w, reduction: 'sum' });
          expectNear(plain, sum / w.reduce((a, b) => a + b, 0), tol, `${f.lossName} mean = sum / Σw`);
        }
      });

      test(`${dtype.name}: rows of 65,536 classes (wider than a staging slot) match the float64 references`, () => {
        const C = 65_536;
        const rows = 2;
        const rand = random(65);
        const z = uniform(A, rows * C, [-3, 3], rand);
        const labels = Int32Array.of(7, C - 1);
        const y = uniform(A, rows * C, [0, 1], rand);
        const cw = Array.from({ length: C }, (_, k) => 0.5 + (k % 5) / 4);
        // A row's sum runs in float32 lanes, C/4 terms each, all terms ≥ 0: relative error ≤ (C/4 + 4)·u
        // (float64: C/2 + 3), plus the terms' own few u; the gradient's elements are each a few operations.
        const rowTol = dtype.name === 'f32' ? (C / 4 + 8) * u.f32 : (C / 2 + 8) * u.f64;
        for (const o of [{ classes: C }, { classes: C, p: 2, margin: 0.5, classWeights: cw }]) {
          const e = multiMarginRef(labels, z, o);
          const both = multiMargin.withGrad(labels, z, { ...o, reduction: 'none' });
          expectClose(both.loss, e.losses, rowTol, 'multiMargin losses');
          // (the label's gradient is a sum of C − 1 terms as well)
          expectClose(both.grad, e.gradSum, rowTol, 'multiMargin grad', 8 * u[dtype.name]);
        }
        for (const o of [{ classes: C }, { classes: C, classWeights: cw }]) {
          const e = multilabelSoftMarginRef(y, z, o);
          const both = multilabelSoftMargin.withGrad(y, z, { ...o, reduction: 'none' });
          expectClose(both.loss, e.losses, rowTol, 'multilabelSoftMargin losses');
          expectClose(both.grad, e.gradSum, 16 * u[dtype.name], 'multilabelSoftMargin grad', (16 * u[dtype.name]) / C);
        }
      });

      test(`${dtype.name}: multilabelSoftMargin at logits of ±1e4 and the dtype's largest: exact terms, gradient σ(z) − y`, () => {
        const big = dtype.name === 'f32' ? 3.4e38 : 1.7e308;
        const z = A.of(1e4, 1e4, 1e4, -1e4, big, -big);
        const y = A.of(0, 1, 0.5, 1, 0, 0);
        const C = 1;
        // softplus(z) − y·z: 1e4, 0, 5e3, 1e4, z itself, 0 (ln(1 + e^−1e4) = 0 in both dtypes).
        const none = multilabelSoftMargin(y, z, { classes: C, reduction: 'none' });
        expectIdentical(none, A.of(1e4, 0, 5e3, 1e4, big, 0), 'losses');
        expectIdentical(multilabelSoftMargin.grad(y, z, { classes: C, reduction: 'sum' }), A.of(1, 0, 0.5, -1, 1, 0), 'grad');
      });
    }

    for (const dtype of DTYPES) {
      const A = dtype.Array as Float64ArrayConstructor;
      test(`${dtype.name}: multilabelSoftMargin refuses a target outside [0, 1] anywhere in a block of rows, and takes −0 as 0`, () => {
        // 12 rows of 10 classes and 40 rows of 3: one block of the SIMD build's layout below 32 classes, whole vectors.
        for (const C of [10, 3]) {
          const n = 120;
          const z = uniform(A, n, [-4, 4], random(C));
          const y = uniform(A, n, [0, 1], random(C + 1));
          const above = 1 + (dtype.name === 'f32' ? 2 ** -23 : 2 ** -52);
          for (const bad of [-0.5, 1.5, Number.NaN, -Infinity, Infinity, -1e-30, above]) {
            for (const i of [0, 37, n - 1]) {
              const t = A.from(y);
              t[i] = bad;
              expect(() => multilabelSoftMargin.withGrad(t, z, { classes: C }), `${bad} at ${i}`).toThrow(
                `multilabelSoftMargin.withGrad: target[${i}] must be in [0, 1]`,
              );
            }
          }
          const zeros = A.from(y);
          const negative = A.from(y);
          for (const i of [0, 37, n - 1]) {
            zeros[i] = 0;
            negative[i] = -0;
          }
          const o = { classes: C, reduction: 'none' } as const;
          expectIdentical(multilabelSoftMargin(negative, z, o), multilabelSoftMargin(zeros, z, o), `−0 targets, C = ${C}`);
        }
      });
    }

    test('NaN in a row: that row NaN, the others untouched; one class: 0 whatever the row', () => {
      const z = Float32Array.of(NaN, 0, 1, 0.5, 0.2, 0.1);
      const none = multiMargin(Int32Array.of(1, 0), z, { classes: 3, reduction: 'none' });
      expect(Number.isNaN(none[0]!)).toBe(true);
      expectNear(none[1]!, (0.7 + 0.6) / 3, 1e-6, 'row 2');
      expect(multiMargin(Int32Array.of(0), Float32Array.of(NaN), { classes: 1, reduction: 'none' })).toEqual(Float32Array.of(0));
      const ml = multilabelSoftMargin(Float32Array.of(0, 1, 1, 0), Float32Array.of(0, NaN, 1, 2), { classes: 2, reduction: 'none' });
      expect([Number.isNaN(ml[0]!), Number.isNaN(ml[1]!)]).toEqual([true, false]);
    });
  });
}

describe('options', () => {
  beforeAll(() => {
    initSync(BUILDS[0].bytes);
  });

  test('p is 1 or 2: anything else is refused with its value; margin ≥ 0', () => {
    const labels = Int32Array.of(0);
    const z = Float32Array.of(0.5, 1);
    for (const p of [0, 1.5, 3, -1, NaN, Infinity]) {
      expect(() => multiMargin(labels, z, { classes: 2, p })).toThrow(SimdlossError);
      expect(() => multiMargin(labels, z, { classes: 2, p })).toThrow(`multiMargin: opts.p must be 1 or 2; got ${p}`);
    }
    expect(() => multiMargin(labels, z, { classes: 2, margin: -0.5 })).toThrow('opts.margin must be a finite number ≥ 0; got -0.5');
    expect(multiMargin.options.map((o) => [o.name, o.default])).toEqual([
      ['p', 1],
      ['margin', 1],
    ]);
  });

  test('create() and fromJSON carry p, margin and class weights, and refuse a p of 3 in a state', () => {
    const acc = multiMargin.create({ classes: 3, p: 2, margin: 0.25, classWeights: [1, 2, 3] });
    expect(acc.options).toEqual({ reduction: 'mean', classes: 3, p: 2, margin: 0.25, classWeights: [1, 2, 3] });
    const labels = Int32Array.of(2, 0);
    const z = Float32Array.of(0.1, 0.2, 0.3, 0.9, 0.8, 0.7);
    acc.update(labels, z);
    expect(acc.result()).toBe(multiMargin(labels, z, { classes: 3, p: 2, margin: 0.25, classWeights: [1, 2, 3] }));
    const state = JSON.parse(JSON.stringify(acc));
    expect(multiMargin.fromJSON(state).result()).toBe(acc.result());
    expect(() => multiMargin.fromJSON({ ...state, options: { ...state.options, p: 3 } })).toThrow(/options.p must be 1 or 2; got 3/);
    expect(multilabelSoftMargin.create({ classes: 2, classWeights: [0.5, 2] }).options).toEqual({
      reduction: 'mean',
      classes: 2,
      classWeights: [0.5, 2],
    });
  });
});
