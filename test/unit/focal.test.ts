// What the registry-driven suites do not reach for the softmax focal losses and nll: pₖ → 1 (the
// loss is then ~α·u^{γ+1}, u = 1 − pₖ, and must keep its relative accuracy), rows of 65,536
// classes, α as one number or one per class (and its errors), nll's unchecked log-probabilities.
import { beforeAll, describe, expect, test } from 'vitest';
import { alloc, initSync, nll, SimdlossError, softmaxFocal, sparseSoftmaxFocal } from '../../src/node.js';
import { BUILDS, DTYPES, expectClose, expectIdentical, expectNear, random, uniform } from '../helpers.js';
import { rowReferences } from '../reference/categorical.js';

type AnyLoss = any; // sparse and dense take different targets; each test passes the right one

/** Rows whose first logit leads the others by `gap` (others spread over 4 below it): p₀ → 1 as the gap grows. */
function confident(Array_: Float32ArrayConstructor | Float64ArrayConstructor, C: number, gaps: readonly number[]) {
  const rand = random(C);
  const z = new Array_(gaps.length * C);
  gaps.forEach((gap, r) => {
    z[r * C] = 3;
    for (let k = 1; k < C; k++) z[r * C + k] = 3 - gap - 4 * rand();
  });
  const labels = new Int32Array(gaps.length);
  const onehot = new Array_(z.length).map((_, i) => (i % C === 0 ? 1 : 0));
  return { z, labels, onehot };
}

const focals = [
  { name: 'sparseSoftmaxFocal', loss: sparseSoftmaxFocal as AnyLoss, sparse: true },
  { name: 'softmaxFocal', loss: softmaxFocal as AnyLoss, sparse: false },
] as const;

for (const build of BUILDS) {
  describe(`${build.name} build`, () => {
    beforeAll(() => {
      expect(initSync(build.bytes).simd).toBe(build.simd);
    });

    for (const f of focals) {
      for (const dtype of DTYPES) {
        // Relative to each row's own (tiny) loss and gradient. float32: u = 1 − p comes from Σ of the
        // other rows' e^d (each within 1.05 ulp, summed: a few ulp), log1p within 1 ulp; the general
        // γ takes e^{γ·log u}, whose argument (≤ 80 in size here) carries 80·2⁻²⁴ = 4.8e-6 absolute:
        // within 2e-5. float64: the same terms at 2⁻⁵³, within 1e-12.
        const tol = dtype.name === 'f32' ? 2e-5 : 1e-12;
        // (float32: gaps that keep u^{γ+1} above the subnormals, where its precision would fall away)
        const gaps = dtype.name === 'f32' ? [5, 10, 15] : [10, 30, 60];
        test(`${f.name} ${dtype.name}: as p → 1 the loss and gradient keep their relative accuracy (not 1 − e^x)`, () => {
          for (const C of [2, 3, 10, 40, 1000]) {
            const { z, labels, onehot } = confident(dtype.Array, C, gaps);
            const t = f.sparse ? labels : onehot;
            for (const o of [{ classes: C }, { classes: C, gamma: 0.5 }, { classes: C, gamma: 3.5, alpha: 1 }]) {
              const e = rowReferences[f.name]!(t, z, o);
              const { loss, grad } = f.loss.withGrad(t, z, { ...o, reduction: 'none' });
              for (let r = 0; r < gaps.length; r++) {
                const at = `${JSON.stringify(o)} gap ${gaps[r]}`;
                expect(e.losses[r]!, at).toBeGreaterThan(0); // the reference itself does not round to 0
                expectNear(loss[r]!, e.losses[r]!, tol, `loss ${at}`);
                const row = e.gradSum.subarray(r * C, (r + 1) * C);
                const scale = Math.max(...Array.from(row, Math.abs));
                expectClose(grad.subarray(r * C, (r + 1) * C), row, tol, `grad ${at}`, tol * scale);
              }
            }
          }
        });

        // 65,536 classes: wider than a scratch slot (through the temporary block). Each Σ runs over
        // 16,384 terms per lane: float32's worst case (n − 1)·u ≈ 1e-3 on sums of positive terms
        // bounds the loss's error; float64's, 1.8e-12.
        test(`${f.name} ${dtype.name}: rows of 65,536 classes`, () => {
          const C = 65_536;
          const rows = 2;
          const z = uniform(dtype.Array, rows * C, [-8, 8], random(9));
          const labels = Int32Array.of(12_345, C - 1);
          const t = f.sparse ? labels : new dtype.Array(rows * C).map((_, i) => (i % C === labels[Math.floor(i / C)] ? 1 : 0));
          const wide = dtype.name === 'f32' ? 2e-3 : 1e-11;
          for (const o of [{ classes: C }, { classes: C, gamma: 1.5, labelSmoothing: 0.2 }]) {
            const e = rowReferences[f.name]!(t, z, o);
            const { loss, grad } = f.loss.withGrad(t, z, { ...o, reduction: 'sum' });
            expectNear(loss, e.sum, wide, `sum ${JSON.stringify(o)}`);
            const largest = e.gradSum.reduce((a, g) => Math.max(a, Math.abs(g)), 0);
            expectClose(grad, e.gradSum, wide, `grad ${JSON.stringify(o)}`, wide * largest);
          }
        });

        test(`${f.name} ${dtype.name}: α as one number is α per class, each the same; α per class as any array of numbers`, () => {
          const C = 7;
          const z = uniform(dtype.Array, 5 * C, [-4, 4], random(3));
          const labels = Int32Array.of(0, 6, 3, 3, 1);
          const t = f.sparse ? labels : new dtype.Array(5 * C).map((_, i) => (i % C === labels[Math.floor(i / C)] ? 1 : 0));
          const one = f.loss.withGrad(t, z, { classes: C, alpha: 0.4 });
          const each = f.loss.withGrad(t, z, { classes: C, alpha: new Array(C).fill(0.4) });
          expect(each.loss).toBe(one.loss);
          expectIdentical(each.grad, one.grad, 'α per class');
          const ramp = Array.from({ length: C }, (_, k) => k / 3);
          const want = f.loss.withGrad(t, z, { classes: C, alpha: ramp });
          expectNear(want.loss, rowReferences[f.name]!(t, z, { classes: C, alpha: ramp }).mean, dtype.name === 'f32' ? 2e-5 : 1e-12);
          const wasm = alloc(C, 'f64');
          wasm.array.set(ramp);
          for (const a of [Float64Array.from(ramp), Float32Array.from(ramp.map(Math.fround)), wasm]) {
            const got = f.loss.withGrad(t, z, { classes: C, alpha: a });
            if (a instanceof Float32Array) expectNear(got.loss, want.loss, dtype.name === 'f32' ? 0 : 1e-6);
            else expect(got.loss).toBe(want.loss);
          }
          wasm.free();
          // The accumulator keeps α per class in its state.
          const acc = f.loss.create({ classes: C, alpha: ramp });
          acc.update(t, z);
          const back = f.loss.fromJSON(JSON.stringify(acc));
          expect(acc.toJSON().options.alpha).toEqual(ramp);
          expect(back.result()).toBe(want.loss);
        });

        test(`${f.name} ${dtype.name}: α per class: a SimdlossError naming the element, the length, the value`, () => {
          const C = 4;
          const z = new dtype.Array(2 * C);
          const t = f.sparse ? Int32Array.of(0, 1) : new dtype.Array(2 * C).fill(0.25);
          const fails = (alpha: unknown, message: RegExp, index?: number) => {
            let error: unknown;
            try {
              f.loss(t, z, { classes: C, alpha });
            } catch (e) {
              error = e;
            }
            expect(error).toBeInstanceOf(SimdlossError);
            expect((error as SimdlossError).argument).toBe('opts.alpha');
            expect((error as SimdlossError).index).toBe(index);
            expect((error as SimdlossError).message).toMatch(message);
            expect(() => f.loss.create({ classes: C, alpha })).toThrow(message);
          };
          fails([1, 1, 1], /^[\w.]+: opts.alpha has 3 elements but opts.classes is 4$/);
          fails([1, -0.5, 1, 1], /opts.alpha\[1\] must be a finite number ≥ 0; got -0.5$/, 1);
          fails([1, 1, 1, Number.NaN], /opts.alpha\[3\] must be a finite number ≥ 0; got NaN$/, 3);
          fails([1, 1, Number.POSITIVE_INFINITY, 1], /opts.alpha\[2\] must be a finite number ≥ 0; got Infinity$/, 2);
          fails([1, '1', 1, 1], /opts.alpha\[1\] must be a finite number ≥ 0; got '1'$/, 1);
          fails(-1, /opts.alpha must be a (finite )?number ≥ 0; got -1$/);
          expect(f.loss(t, z, { classes: C })).toBe(f.loss(t, z, { classes: C, alpha: 0.25 })); // usable after each
        });
      }
    }

    for (const dtype of DTYPES) {
      test(`nll ${dtype.name}: log-probabilities are not checked (as PyTorch); a NaN anywhere in a row makes it NaN`, () => {
        const x = dtype.Array.from([0.5, -1, -2, -1, Number.NEGATIVE_INFINITY, -0.5, -3, Number.NaN, -1, Number.NEGATIVE_INFINITY, -1, -2]);
        const labels = Int32Array.of(0, 2, 0, 0);
        const { loss, grad } = (nll as AnyLoss).withGrad(labels, x, { classes: 3, reduction: 'none' });
        expect(loss[0]).toBe(-0.5); // a log-probability above 0: a negative loss
        expect(loss[1]).toBe(0.5); // −∞ at another class: p = 0 there, no effect
        expect(loss[2]).toBeNaN(); // NaN at another class
        expect(loss[3]).toBe(Number.POSITIVE_INFINITY); // −∞ at the label
        expectIdentical(grad.subarray(0, 6), [-1, 0, 0, 0, 0, -1], 'grad');
        expect(grad[6]).toBeNaN();
        expectIdentical(grad.subarray(7, 9), [0, 0], 'NaN row, other classes');
        expectIdentical(grad.subarray(9, 12), [-1, 0, 0], '−∞ at the label');
      });

      // A run without NaN takes one flat pass (the label's value per row); one NaN anywhere sends the
      // run to the row-by-row pass. 7 rows of 3 cover float32's two-vector steps, a single vector and a
      // scalar tail (float64: pairs and a tail), so a NaN at each index must reach exactly its row.
      test(`nll ${dtype.name}: a NaN at each index of a run makes its row NaN and no other, through every step of the scan`, () => {
        const C = 3;
        const rows = 7;
        const labels = Int32Array.from({ length: rows }, (_, r) => (r * 2) % C);
        for (let i = 0; i <= rows * C; i++) {
          const x = dtype.Array.from(Array.from({ length: rows * C }, (_, j) => -0.25 * (1 + (j % 5))));
          if (i < rows * C) x[i] = Number.NaN;
          const { loss, grad } = (nll as AnyLoss).withGrad(labels, x, { classes: C, reduction: 'none' });
          for (let r = 0; r < rows; r++) {
            const t = r * C + labels[r]!;
            const hit = Math.floor(i / C) === r;
            expect(loss[r], `NaN at ${i}, row ${r}`).toBe(hit ? Number.NaN : -x[t]!);
            for (let k = r * C; k < (r + 1) * C; k++) expect(grad[k], `NaN at ${i}, grad ${k}`).toBe(k === t ? (hit ? Number.NaN : -1) : 0);
          }
        }
      });

      // out = pred in wasm memory: each row's label value is read before the gradient overwrites the run.
      test(`nll ${dtype.name}: zero copy in place, the loss read before the gradient overwrites the log-probabilities`, () => {
        const C = 5;
        const rows = 9;
        const labels = Int32Array.from({ length: rows }, (_, r) => (r * 3) % C);
        const x = alloc(rows * C, dtype.name);
        x.array.set(Array.from({ length: rows * C }, (_, j) => -0.5 * (1 + (j % 7))));
        const want = labels.reduce((s, t, r) => s - (x.array[r * C + t] as number), 0) / rows;
        const { loss, grad } = (nll as AnyLoss).withGrad(labels, x, { classes: C, out: x });
        expect(loss).toBeCloseTo(want, 6);
        expect(grad).toBe(x.array);
        for (let k = 0; k < rows * C; k++)
          expect(x.array[k]).toBe(k === Math.floor(k / C) * C + labels[Math.floor(k / C)]! ? dtype.round(-1 / rows) : 0);
        x.free();
      });
    }
  });
}
