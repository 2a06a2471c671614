// logCosh per element within 2 ulp of float32's rounding of the float64 reference, for residuals
// across ±1e4 (and ±∞), on both builds; its gradient (tanh) likewise.
import { beforeAll, describe, expect, test } from 'vitest';
import { initSync, logCosh } from '../../src/node.js';
import { BUILDS, random } from '../helpers.js';
import { references } from '../reference/index.js';
import { ulps32 } from '../reference/math.js';

const ref = references.logCosh!;

/** Residuals spread over every scale from 1e-30 to 1e4, both signs, on targets of varying size. */
function residuals(n: number, seed: number): { y: Float32Array; p: Float32Array } {
  const rand = random(seed);
  const y = new Float32Array(n);
  const p = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = (rand() - 0.5) * 10 ** Math.floor(rand() * 4);
    const r = (rand() < 0.5 ? -1 : 1) * 10 ** (-30 + 34 * rand());
    p[i] = y[i]! + r;
  }
  return { y, p };
}

for (const build of BUILDS) {
  describe(`${build.name} build`, () => {
    beforeAll(() => {
      initSync(build.bytes);
    });

    test('float32 loss and gradient within 2 ulp per element for residuals across ±1e4', () => {
      const { y, p } = residuals(200_003, 11);
      const losses = logCosh(y, p, { reduction: 'none' });
      const grads = logCosh.grad(y, p, { reduction: 'sum' });
      let worstLoss = 0;
      let worstGrad = 0;
      for (let i = 0; i < p.length; i++) {
        worstLoss = Math.max(worstLoss, ulps32(losses[i]!, ref.loss(y[i]!, p[i]!, {})));
        worstGrad = Math.max(worstGrad, ulps32(grads[i]!, ref.grad(y[i]!, p[i]!, {})));
      }
      expect(worstLoss).toBeLessThanOrEqual(2);
      expect(worstGrad).toBeLessThanOrEqual(2);
    });

    test('float64 loss and gradient within 1e-13 relative for residuals across ±1e4', () => {
      const { y, p } = residuals(100_001, 12);
      const y64 = Float64Array.from(y, (v, i) => v + 1e-9 * (i % 7));
      const p64 = Float64Array.from(p);
      const losses = logCosh(y64, p64, { reduction: 'none' });
      const grads = logCosh.grad(y64, p64, { reduction: 'sum' });
      for (let i = 0; i < p64.length; i++) {
        const l = ref.loss(y64[i]!, p64[i]!, {});
        const g = ref.grad(y64[i]!, p64[i]!, {});
        if (Math.abs(losses[i]! - l) > 1e-13 * l) expect(losses[i], `loss at r = ${p64[i]! - y64[i]!}`).toBe(l);
        if (Math.abs(grads[i]! - g) > 1e-13 * Math.abs(g)) expect(grads[i], `grad at r = ${p64[i]! - y64[i]!}`).toBe(g);
      }
    });

    test('huge and infinite residuals stay finite where the math is: |r| − ln 2 and ±1', () => {
      for (const Ctor of [Float32Array, Float64Array]) {
        const y = Ctor.from([0, 0, 0, 0, 1e4, 0]);
        const p = Ctor.from([1e4, -1e4, 3e38, Infinity, -1e4, -Infinity]);
        const losses = logCosh(y, p, { reduction: 'none' });
        const grads = logCosh.grad(y, p, { reduction: 'sum' });
        expect(losses[0]).toBeCloseTo(1e4 - Math.LN2, 3);
        expect(losses[1]).toBeCloseTo(1e4 - Math.LN2, 3);
        expect(losses[4]).toBeCloseTo(2e4 - Math.LN2, 3);
        expect(losses[2]).toBe(Ctor === Float32Array ? Math.fround(3e38 - Math.LN2) : 3e38 - Math.LN2);
        expect(losses[3]).toBe(Infinity);
        expect(losses[5]).toBe(Infinity);
        expect(Array.from(grads)).toEqual([1, -1, 1, 1, -1, -1]);
      }
    });
  });
}
