// klDivergence with logTarget: the target given as y = log P. The registry's cases drive it through
// the row-wise suites (reference, reductions, weights, builds bit for bit, central differences,
// accumulators); here: the extremes of y, the refusals, its agreement with the plain form, options.
import { beforeAll, describe, expect, test } from 'vitest';
import { alloc, initSync, klDivergence, SimdlossError } from '../../src/node.js';
import { BUILDS, DTYPES, expectClose, expectIdentical, random, uniform } from '../helpers.js';
import { rowReferences } from '../reference/index.js';

const ref = rowReferences.klDivergence!;
const MODES: readonly { readonly fromLogits?: true }[] = [{}, { fromLogits: true }];

function refusal(run: () => unknown): SimdlossError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(SimdlossError);
    return e as SimdlossError;
  }
  return expect.fail('not refused');
}

for (const build of BUILDS) {
  describe(`${build.name} build`, () => {
    beforeAll(() => {
      expect(initSync(build.bytes).simd).toBe(build.simd);
    });

    for (const dtype of DTYPES) {
      const tol = dtype.name === 'f32' ? 2e-5 : 1e-12;

      test(`${dtype.name}: y = −∞, −1e4, −80, −0, 0 and logits of ±1e4: finite, the reference's, no NaN from −∞·0`, () => {
        for (const C of [1, 2, 3, 4, 5, 8, 9, 33, 1000]) {
          const patterns: ((k: number) => number)[] = [
            (k) => (k === 0 ? 0 : -Infinity), // one-hot P
            () => -Infinity, // P = 0 everywhere: loss 0, gradient 0
            (k) => [-1e4, -80, 0, -0][k % 4]!,
            (k) => (k % 2 ? -80 : -Infinity),
            (k) => -Math.log(C) - (k % 3) * 1e-3,
          ];
          const rows = patterns.length;
          const y = new dtype.Array(rows * C);
          patterns.forEach((f, r) => {
            for (let k = 0; k < C; k++) y[r * C + k] = f(k);
          });
          const preds = {
            probabilities: uniform(dtype.Array, rows * C, [0, 1], random(C)).map((q, i) => (i % 7 === 3 ? 0 : q)),
            logits: new dtype.Array(rows * C).map((_, i) => (i % 3 === 0 ? 1e4 : i % 3 === 1 ? -1e4 : 0)),
          };
          for (const mode of MODES) {
            const z = mode.fromLogits ? preds.logits : preds.probabilities;
            const o = { classes: C, logTarget: true, ...mode };
            const e = ref(y, z, o);
            const both = klDivergence.withGrad(y, z, { ...o, reduction: 'sum' });
            const none = klDivergence(y, z, { ...o, reduction: 'none' }) as Float32Array | Float64Array;
            const at = `${JSON.stringify(mode)} C=${C}`;
            expect(Array.from(none).every(Number.isFinite), `finite losses ${at}`).toBe(true);
            expect(Array.from(both.grad).every(Number.isFinite), `finite grad ${at}`).toBe(true);
            expectClose(none, e.losses, tol, `losses ${at}`, tol * Math.max(1, ...Array.from(e.losses, Math.abs)));
            expectClose(both.grad, e.gradSum, tol, `grad ${at}`, tol);
            expect(none[1], `P = 0 row ${at}`).toBe(0);
            for (let k = 0; k < C; k++) expect(Math.abs(both.grad[C + k]!), `P = 0 row grad ${at}`).toBe(0);
          }
        }
      });

      test(`${dtype.name}: a target above 0 or NaN is refused with its index, the range and the value; −∞ and −0 are not`, () => {
        for (const mode of MODES) {
          for (const [C, rows] of [
            [3, 4],
            [40, 3],
            [1000, 2],
            [3, 9001], // past the first staging chunks: the index counts from the start of the call
          ] as const) {
            const z = uniform(dtype.Array, rows * C, [0.1, 0.9], random(rows));
            const y = new dtype.Array(rows * C).fill(-Infinity);
            for (let r = 0; r < rows; r++) y[r * C] = -0;
            const o = { classes: C, logTarget: true, ...mode };
            expect(Number.isFinite(klDivergence(y, z, o) as number)).toBe(true); // (P = 1 at each row's −0)
            for (const bad of [0.5, 2 ** -149, Infinity, NaN]) {
              const at = rows * C - 2;
              const t = y.slice();
              t[at] = bad;
              const shown = Number.isNaN(bad) ? 'NaN' : String(t[at]);
              for (const run of [
                () => klDivergence(t, z, o),
                () => klDivergence.grad(t, z, o),
                () => klDivergence.withGrad(t, z, o),
                () => klDivergence.create(o).update(t, z),
              ]) {
                const e = refusal(run);
                expect(e.argument).toBe('target');
                expect(e.index).toBe(at);
                expect(e.message).toContain(`target[${at}]`);
                expect(e.message).toContain('[-Infinity, 0]');
                expect(e.message).toContain(`got ${shown}`);
              }
              // The same in wasm memory, zero copy.
              const ta = alloc(t.length, dtype.name);
              const za = alloc(z.length, dtype.name);
              ta.array.set(t);
              za.array.set(z);
              const e = refusal(() => klDivergence.withGrad(ta as never, za as never, o));
              expect([e.argument, e.index]).toEqual(['target', at]);
              ta.free();
              za.free();
            }
          }
        }
        // Without logTarget a log-probability is refused as a probability, as before.
        const e = refusal(() => klDivergence(dtype.Array.of(-1, 0, 0), dtype.Array.of(0.2, 0.3, 0.5), { classes: 3 }));
        expect(e.message).toContain('target[0] must be in [0, 1]; got -1');
      });

      test(`${dtype.name}: klDivergence(log P, q, logTarget) = klDivergence(P, q) within the bound exp's audit gives`, () => {
        // Both sides see the same clamped q and the same log Q (or the same logits), one P from the
        // other: y drawn, P = fl(e^y). With u the dtype's unit roundoff (2⁻²⁴, 2⁻⁵³):
        // - The kernel's e^y is within 1 ulp (audit: 0.81 ulp float32, 1.0 float64), ≤ 2u relative,
        //   and P = fl(e^y) within 2u of e^y (Math.exp's own ≤ 1 ulp, then the float32 rounding):
        //   the two weights differ by ≤ 4u·P, each term by ≤ 4u·P·|y − log Q|.
        // - The plain side's log P is within 1 ulp of ln P = y + ln(1 ± 2u): |log P − y| ≤ 2u·|y| + 2.1u.
        // - Each term's subtraction and product round by ≤ 2u·|term| on each side, and each side's
        //   row sum of C terms by (C − 1)·u·Σ|terms|.
        // So per row |Δ| ≤ u·Σₖ Pₖ·((2C + 6)·|yₖ − log Qₖ| + 2|yₖ| + 3) ≤ (2C + 10)·u·W, W = Σₖ Pₖ(|yₖ| + |log Qₖ| + 1).
        // On logits the plain side is the softmax kernel (Σ P·lse − Σ P·d + Σ P log P, e^d within 1.05 ulp),
        // whose row is within (C + 4)·u·W' of the exact value (the properties' klSlack), W' = Σ P(1 + lse + |d| + |log P|),
        // and this one's alike: ≤ (2C + 12)·u·W' with W' = Σₖ Pₖ(|yₖ| + |dₖ| + ln Σe^d + 1) between them.
        const u = dtype.name === 'f32' ? 2 ** -24 : 2 ** -53;
        for (const C of [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 32, 33, 40, 1000]) {
          const rows = C === 1000 ? 3 : 12;
          const rand = random(C * 7 + 1);
          const y = new dtype.Array(rows * C).map(() => (rand() < 0.1 ? -Infinity : -30 * rand() ** 2));
          const P = y.map(Math.exp);
          for (const mode of MODES) {
            const z = mode.fromLogits ? uniform(dtype.Array, rows * C, [-8, 8], rand) : uniform(dtype.Array, rows * C, [0, 1], rand);
            const o = { classes: C, reduction: 'none' as const, ...mode };
            const logged = klDivergence(y, z, { ...o, logTarget: true }) as Float32Array | Float64Array;
            const plain = klDivergence(P, z, o) as Float32Array | Float64Array;
            for (let r = 0; r < rows; r++) {
              let W = 0;
              let m = -Infinity;
              let s = 0;
              for (let k = 0; k < C; k++) m = Math.max(m, z[r * C + k]!);
              for (let k = 0; k < C; k++) s += Math.exp(z[r * C + k]! - m);
              for (let k = 0; k < C; k++) {
                const i = r * C + k;
                const logQ = mode.fromLogits ? Math.abs(z[i]! - m) + Math.log(s) : Math.abs(Math.log(Math.min(Math.max(z[i]!, 1e-7), 1)));
                if (P[i]! > 0) W += P[i]! * (Math.abs(y[i]!) + logQ + 1);
              }
              const bound = (2 * C + (mode.fromLogits ? 12 : 10)) * u * W;
              const at = `${JSON.stringify(mode)} C=${C} row ${r}`;
              expect(Math.abs(logged[r]! - plain[r]!), `${at}: ${logged[r]} vs ${plain[r]}`).toBeLessThanOrEqual(bound);
            }
          }
        }
      });
    }

    test('logTarget is a boolean; create/merge/fromJSON keep it; the gradient with respect to pred is the plain form at P = e^y', () => {
      const y = Float64Array.of(-0.5, -1.5, -Infinity, 0, -2, -3);
      const q = Float64Array.of(0.2, 0.3, 0.5, 0.6, 0.3, 0.1);
      const e = refusal(() => klDivergence(y, q, { classes: 3, logTarget: 1 as never }));
      expect(e.argument).toBe('opts.logTarget');
      expect(e.message).toContain('opts.logTarget must be true or false; got 1');
      for (const mode of MODES) {
        const o = { classes: 3, logTarget: true, ...mode };
        const a = klDivergence.create(o).update(y.subarray(0, 3), q.subarray(0, 3));
        const b = klDivergence.create(o).update(y.subarray(3), q.subarray(3), Float64Array.of(2));
        const json = JSON.parse(JSON.stringify(a.merge(b)));
        expect(json.options.logTarget).toBe(true);
        const restored = klDivergence.fromJSON(json);
        expect(restored.result()).toBe(a.result());
        expect(a.result()).toBeCloseTo(klDivergence(y, q, { ...o, weights: Float64Array.of(1, 2) }) as number, 14);
        expect(() => a.merge(klDivergence.create({ classes: 3, ...mode }))).toThrow(SimdlossError);
        // d/dpred depends on P only: the same as the plain form's at P = e^y (where e^y is exact: y = 0, −∞).
        const exact = Float64Array.of(0, -Infinity, -Infinity, -Infinity, 0, 0);
        expectIdentical(klDivergence.grad(exact, q, o), klDivergence.grad(exact.map(Math.exp), q, { classes: 3, ...mode }), 'grad');
      }
    });
  });
}
