// What the registry's data cannot show for the regression losses whose options change their domain
// or their kinks, on both builds and both dtypes: poissonNLL on negative log rates (the registry
// draws predictions ≥ 0, which are rates as well), a rate < 0 refused only when logInput is false,
// msle's gradient 0 strictly below ε, and quantile's subgradient 0 at y = ŷ.
import { beforeAll, describe, expect, test } from 'vitest';
import { initSync, msle, poissonNLL, quantile, SimdlossError } from '../../src/node.js';
import { BUILDS, DTYPES, expectClose } from '../helpers.js';
import { expected, type Options } from '../reference/index.js';
import { poissonNLL as poissonReference } from '../reference/regression.js';

for (const build of BUILDS) {
  describe(`${build.name} build`, () => {
    beforeAll(() => {
      expect(initSync(build.bytes).simd).toBe(build.simd);
    });

    for (const dtype of DTYPES) {
      const tol = dtype.name === 'f32' ? 1e-6 : 1e-12;

      test(`poissonNLL ${dtype.name}: log rates down to −80, counts up to 1e6, every length around the tiles`, () => {
        const logRates = [-80, -30, -1, -1e-30, 0.5, 13.8, 80];
        const counts = [0, 1, 3, 1e6];
        for (const opts of [{}, { full: true }] as Options[]) {
          for (const n of [1, 3, 4, 5, 7, 8, 9, 28, 67]) {
            const y = dtype.Array.from(Array.from({ length: n }, (_, i) => counts[i % counts.length]!));
            const p = dtype.Array.from(Array.from({ length: n }, (_, i) => logRates[(3 * i) % logRates.length]!));
            const e = expected(poissonReference, y, p, opts, undefined, dtype.name === 'f32');
            const { loss, grad } = poissonNLL.withGrad(y, p, { full: opts.full === true, reduction: 'none' });
            const at = `${JSON.stringify(opts)} n=${n}`;
            expectClose(
              loss as ArrayLike<number>, // ('none': an array; the overload over both dtypes says number | array)
              e.losses.map(dtype.round),
              tol,
              `loss ${at}`,
              e.lossScale.map((s) => tol * s),
            );
            expectClose(
              grad,
              e.gradSum.map(dtype.round),
              tol,
              `grad ${at}`,
              e.gradSumScale.map((s) => tol * s),
            );
          }
        }
      });

      test(`poissonNLL ${dtype.name}: a rate < 0 or NaN is refused with logInput false, and is a log rate otherwise`, () => {
        for (const bad of [-1, -(2 ** -100), Number.NaN]) {
          const y = dtype.Array.from([1, 2, 3, 4, 5, 6]);
          const p = dtype.Array.from([1, 1, 1, 1, bad, 1]);
          let error: unknown;
          try {
            poissonNLL.withGrad(y, p, { logInput: false });
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(SimdlossError);
          expect((error as SimdlossError).argument).toBe('pred');
          expect((error as SimdlossError).index).toBe(4);
          expect((error as SimdlossError).message).toContain('pred[4] must be ≥ 0 (a rate: logInput is false)');
          expect((error as SimdlossError).message).toContain(`got ${Number.isNaN(bad) ? 'NaN' : String(dtype.round(bad))}`);
          const asLog = poissonNLL(y, p, { reduction: 'none' });
          expect(Number.isNaN(bad) ? Number.isNaN(asLog[4]) : Number.isFinite(asLog[4])).toBe(true);
        }
      });

      test(`msle ${dtype.name}: the gradient is 0 strictly below ε, the formula's at ε`, () => {
        for (const eps of [1e-7, 0.1]) {
          const e = dtype.round(eps);
          const below = dtype.name === 'f32' ? e - 2 ** (Math.floor(Math.log2(e)) - 23) : e - 2 ** (Math.floor(Math.log2(e)) - 52);
          const g = msle.grad(dtype.Array.of(1, 1, 1), dtype.Array.of(e, below, -3), { eps, reduction: 'sum' });
          // at ε: 2·(ln(1 + ε) − ln 2)/(1 + ε), within rounding
          const want = (2 * (Math.log1p(e) - Math.LN2)) / (1 + e);
          expect(Math.abs(g[0]! - want)).toBeLessThanOrEqual(tol * Math.abs(want));
          expect(g[1]).toBe(0);
          expect(g[2]).toBe(0);
          expect(dtype.round(below)).toBe(below);
          expect(below).toBeLessThan(e);
        }
      });

      test(`quantile ${dtype.name}: −q below the target, 1 − q above it, 0 on it`, () => {
        const y = dtype.Array.of(2, 2, 2, -0);
        const p = dtype.Array.of(1, 3, 2, 0);
        const g = quantile.grad(y, p, { q: 0.25, reduction: 'sum' });
        expect(Array.from(g)).toEqual([-0.25, 0.75, 0, 0]);
        // (the loss at y = −0, ŷ = 0 is −0: max(q·(−0), (q − 1)·(−0)) as wasm's pmax takes it)
        expect(Array.from(quantile(y, p, { q: 0.25, reduction: 'none' }), (l) => l + 0)).toEqual([0.25, 0.75, 0, 0]);
      });
    }
  });
}
