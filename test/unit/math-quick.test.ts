// The kernels' quicker float32 math (assembly/math/exp.ts, logistic.ts), which the logits and
// softmax kernels use in place of exp32x4 and friends: expQuick, expNonPositive (on x ≤ 0), and
// softplus and σ as logistic32x4 gives them. Sampled on both builds against float64 Math within
// the bounds the exhaustive audit (`npm run ulp`) measured over every float32, and the SIMD build's
// vectors and scalar tails bit for bit the scalar build's.
import { describe, expect, test } from 'vitest';
import { type Audit, loadAudit } from '../audit.js';
import { random } from '../random.js';
import { float64, ulps32 } from '../reference/math.js';

const builds = { simd: loadAudit('simd'), scalar: loadAudit('scalar') };

/** assembly/audit.ts's codes, the float64 reference, the audited worst error (ulp) and a working range. */
const QUICK = [
  { name: 'expQuick', code: 5, ref: Math.exp, bound: 1.049, range: [-110, 90] },
  { name: 'softplusQuick', code: 6, ref: float64.softplus, bound: 1.666, range: [-40, 40] },
  { name: 'sigmoidQuick', code: 7, ref: float64.sigmoid, bound: 2.419, range: [-40, 40] },
  // audit.ts evaluates it at −|x|: its domain, every x ≤ 0
  { name: 'expNonPositive', code: 8, ref: (x: number) => Math.exp(-Math.abs(x)), bound: 1.049, range: [-110, 0] },
] as const;

const SAMPLES = 200_003; // not a multiple of 4: the scalar tail runs too

function run(audit: Audit, code: number, xs: Float32Array): Float32Array {
  const base = Math.ceil(audit.heapBase() / 16) * 16;
  const need = base + 2 * xs.byteLength + 16 - audit.memory.buffer.byteLength;
  if (need > 0) audit.memory.grow(Math.ceil(need / 65536));
  new Float32Array(audit.memory.buffer, base, xs.length).set(xs);
  audit.evaluate(code, 4, base, base + xs.byteLength, xs.length);
  return new Float32Array(audit.memory.buffer, base + xs.byteLength, xs.length).slice();
}

/** Half random bit patterns (every binade, NaNs, infinities), half uniform over the range, and the special values. */
function sample(range: readonly [number, number], seed: number): Float32Array {
  const rand = random(seed);
  const special = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-45, 1e30, -1e30, 88.72284, -87.3366, -103.973, -104];
  const xs = new Float32Array(SAMPLES);
  const half = (SAMPLES - special.length) >> 1;
  const words = new Uint32Array(xs.buffer, 0, half);
  for (let i = 0; i < half; i++) words[i] = Math.floor(rand() * 2 ** 32);
  for (let i = half; i < SAMPLES - special.length; i++) xs[i] = range[0] + (range[1] - range[0]) * rand();
  xs.set(special, SAMPLES - special.length);
  return xs;
}

describe('float32 quick forms', () => {
  for (const { name, code, ref, bound, range } of QUICK) {
    test(`${name}: ≤ ${bound} ulp on ${SAMPLES} samples, and the SIMD and scalar builds agree bit for bit`, () => {
      const xs = sample(range, code);
      const simd = run(builds.simd, code, xs);
      const scalar = run(builds.scalar, code, xs);
      let worst = 0;
      let at = 0;
      let differ = 0;
      for (let i = 0; i < xs.length; i++) {
        const e = ulps32(simd[i]!, ref(xs[i]!));
        if (e > worst) {
          worst = e;
          at = xs[i]!;
        }
        if (!Object.is(simd[i], scalar[i]) && !(Number.isNaN(simd[i]) && Number.isNaN(scalar[i]))) differ++;
      }
      expect(worst, `worst at x = ${at}`).toBeLessThanOrEqual(bound);
      expect(differ, 'elements where the builds differ').toBe(0);
    });
  }

  test("expNonPositive gives expQuick's bits on every x ≤ 0 sampled", () => {
    const xs = sample([-110, 0], 9).map((x) => -Math.abs(x));
    for (const build of Object.values(builds)) {
      const quick = run(build, 5, xs);
      const nonPositive = run(build, 8, xs);
      for (let i = 0; i < xs.length; i++) {
        if (!Object.is(quick[i], nonPositive[i]) && !(Number.isNaN(quick[i]) && Number.isNaN(nonPositive[i]))) {
          expect.fail(`x = ${xs[i]}: expQuick ${quick[i]}, expNonPositive ${nonPositive[i]}`);
        }
      }
    }
  });
});
