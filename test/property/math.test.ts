// The vector math (assembly/math/), sampled: 10⁶ inputs per function and dtype on both builds,
// every special value bit for bit, and the worst inputs the exhaustive audit (`npm run ulp`) found.
// float32 is measured against float64 Math; float64 against double-double references.
import { describe, expect, test } from 'vitest';
import { type Audit, loadAudit } from '../audit.js';
import { random } from '../random.js';
import { doubleDouble, float64, ulps32, ulps64 } from '../reference/math.js';

const FUNCTIONS = ['exp', 'log', 'log1p', 'softplus', 'sigmoid'] as const;
type Name = (typeof FUNCTIONS)[number];
/** The stated bounds (ulp): float32 exp and log ≤ 1, the rest ≤ 2; float64 all ≤ 2. */
const BOUND32: Record<Name, number> = { exp: 1, log: 1, log1p: 2, softplus: 2, sigmoid: 2 };
const BOUND64 = 2;
const SAMPLES = 1_000_000;

const builds = { simd: loadAudit('simd'), scalar: loadAudit('scalar') };

/** fn over xs in one build, through wasm memory. */
function run(audit: Audit, name: Name, xs: Float32Array | Float64Array): Float32Array | Float64Array {
  const base = Math.ceil(audit.heapBase() / 16) * 16;
  const bytes = xs.byteLength;
  const need = base + 2 * bytes + 16 - audit.memory.buffer.byteLength;
  if (need > 0) audit.memory.grow(Math.ceil(need / 65536));
  const Ctor = xs.constructor as Float32ArrayConstructor | Float64ArrayConstructor;
  new Ctor(audit.memory.buffer, base, xs.length).set(xs);
  audit.evaluate(FUNCTIONS.indexOf(name), xs.BYTES_PER_ELEMENT, base, base + bytes, xs.length);
  return new Ctor(audit.memory.buffer, base + bytes, xs.length).slice();
}

/** Half uniform random bit patterns (every binade, NaNs, infinities), half uniform over the working range. */
function sample(
  Ctor: Float32ArrayConstructor | Float64ArrayConstructor,
  range: readonly [number, number],
  seed: number,
): Float32Array | Float64Array {
  const rand = random(seed);
  const xs = new Ctor(SAMPLES);
  const words = new Uint32Array(xs.buffer, 0, (SAMPLES / 2) * (xs.BYTES_PER_ELEMENT / 4));
  for (let i = 0; i < words.length; i++) words[i] = Math.floor(rand() * 2 ** 32);
  for (let i = SAMPLES / 2; i < SAMPLES; i++) xs[i] = range[0] + (range[1] - range[0]) * rand();
  return xs;
}

const RANGES: Record<Name, readonly [number, number]> = {
  exp: [-110, 90],
  log: [0, 4],
  log1p: [-1, 4],
  softplus: [-40, 40],
  sigmoid: [-40, 40],
};

/** Worst inputs the exhaustive float32 audit found (its table in tools/ulp.ts's output and docs/numerics.md). */
const AUDIT_WORST: Record<Name, number[]> = {
  exp: [-87.68022155761719],
  log: [0.7051712870597839],
  log1p: [0.4077052175998688],
  softplus: [0.34536322951316833],
  sigmoid: [-16.22616958618164],
};

const bits32 = (x: number) => new Uint32Array(new Float32Array([x]).buffer)[0]!;
const f32 = (b: number) => new Float32Array(new Uint32Array([b]).buffer)[0]!;

/** Special values and what each function must return, bit for bit (NaN: any NaN). */
const SPECIAL: Record<Name, [number, number][]> = {
  exp: [
    [0, 1],
    [-0, 1],
    [-Infinity, 0],
    [Infinity, Infinity],
    [NaN, NaN],
    [-1e30, 0],
    [1e30, Infinity],
  ],
  log: [
    [0, -Infinity],
    [-0, -Infinity],
    [-1, NaN],
    [-Infinity, NaN],
    [Infinity, Infinity],
    [NaN, NaN],
    [1, 0],
    [-1e-40, NaN],
  ],
  log1p: [
    [0, 0],
    [-0, -0],
    [-1, -Infinity],
    [-2, NaN],
    [-Infinity, NaN],
    [Infinity, Infinity],
    [NaN, NaN],
    [1e-30, 1e-30],
    [-1e-30, -1e-30],
  ],
  softplus: [
    [-Infinity, 0],
    [Infinity, Infinity],
    [NaN, NaN],
    [-1e30, 0],
    [1e30, 1e30],
    [0, Math.LN2],
  ],
  sigmoid: [
    [-Infinity, 0],
    [Infinity, 1],
    [NaN, NaN],
    [0, 0.5],
    [-0, 0.5],
    [1e30, 1],
    [-1e30, 0],
  ],
};
/** Underflow and overflow, per dtype. */
const LIMITS = {
  f32: [
    [-200, 0],
    [-104, 0],
    [100, Infinity],
    [89, Infinity],
  ],
  f64: [
    [-800, 0],
    [-746, 0],
    [710, Infinity],
    [1000, Infinity],
  ],
} as const;
const NAN_PAYLOADS32 = [0x7fc00000, 0x7f800001, 0xffc00000, 0xffffffff, 0x7fbfffff].map(f32);

/** Elements whose bits differ, a NaN matching any NaN (wasm leaves a NaN's sign and payload open). */
function differences(a: Float32Array | Float64Array, b: Float32Array | Float64Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) n++;
  return n;
}

function expectSame(actual: number, expected: number, what: string): void {
  if (Number.isNaN(expected)) expect(Number.isNaN(actual), what).toBe(true);
  else expect(Object.is(actual, expected), `${what}: got ${actual}, want ${expected}`).toBe(true);
}

describe('float32', () => {
  for (const name of FUNCTIONS) {
    test(`${name}: ≤ ${BOUND32[name]} ulp on 10⁶ samples, and the SIMD and scalar builds agree bit for bit`, () => {
      const xs = sample(Float32Array, RANGES[name], FUNCTIONS.indexOf(name) + 1);
      const simd = run(builds.simd, name, xs);
      const scalar = run(builds.scalar, name, xs);
      const ref = float64[name];
      let worst = 0;
      let at = 0;
      for (let i = 0; i < xs.length; i++) {
        const e = ulps32(simd[i]!, ref(xs[i]!));
        if (e > worst) {
          worst = e;
          at = xs[i]!;
        }
      }
      expect(worst, `worst at x = ${at}`).toBeLessThanOrEqual(BOUND32[name]);
      expect(differences(simd, scalar)).toBe(0);
    });

    test(`${name}: special values, NaN payloads and the audit's worst inputs`, () => {
      const cases = [...SPECIAL[name], ...(name === 'exp' ? LIMITS.f32 : []), ...NAN_PAYLOADS32.map((x): [number, number] => [x, NaN])];
      const worst = AUDIT_WORST[name];
      const xs = Float32Array.from([...cases.map((c) => c[0]), ...worst]);
      for (const [buildName, build] of Object.entries(builds)) {
        // Every input in every lane position, and in the scalar tail.
        for (let shift = 0; shift < 4; shift++) {
          const shifted = new Float32Array(xs.length + shift + 3);
          shifted.set(xs, shift);
          const ys = run(build, name, shifted).subarray(shift);
          cases.forEach(([x, want], i) => void expectSame(ys[i]!, Math.fround(want), `${buildName} ${name}(${x}) [shift ${shift}]`));
          worst.forEach((x, i) => {
            expect(ulps32(ys[cases.length + i]!, float64[name](x)), `${name}(${x}) 0x${bits32(x).toString(16)}`).toBeLessThanOrEqual(
              BOUND32[name],
            );
          });
        }
      }
    });
  }

  test('exp under- and overflows where float32 does, subnormal results included', () => {
    // e^x is the largest float32 below 88.7228394, +∞ above; subnormal from −87.3365 to −103.972.
    const xs = Float32Array.from([88.72283, 88.7228394, 88.72284, -87.33654, -87.3366, -100, -103.97, -103.973, -104]);
    for (const build of Object.values(builds)) {
      const ys = run(build, 'exp', xs);
      xs.forEach((x, i) => void expect(ulps32(ys[i]!, Math.exp(x)), `exp(${x}) = ${ys[i]}`).toBeLessThanOrEqual(1));
    }
  });
});

describe('float64', () => {
  for (const name of FUNCTIONS) {
    test(`${name}: ≤ ${BOUND64} ulp on 10⁶ samples against double-double, and the builds agree bit for bit`, () => {
      const xs = sample(Float64Array, RANGES[name], 100 + FUNCTIONS.indexOf(name));
      const simd = run(builds.simd, name, xs);
      const scalar = run(builds.scalar, name, xs);
      const ref = doubleDouble[name];
      let worst = 0;
      let at = 0;
      for (let i = 0; i < xs.length; i++) {
        const e = ulps64(simd[i]!, ref(xs[i]!));
        if (e > worst) {
          worst = e;
          at = xs[i]!;
        }
      }
      expect(worst, `worst at x = ${at}`).toBeLessThanOrEqual(BOUND64);
      expect(differences(simd, scalar)).toBe(0);
    });

    test(`${name}: special values`, () => {
      const cases: (readonly [number, number])[] = [...SPECIAL[name], ...(name === 'exp' ? LIMITS.f64 : [])];
      const xs = Float64Array.from(cases.map((c) => c[0]));
      for (const [buildName, build] of Object.entries(builds)) {
        for (let shift = 0; shift < 2; shift++) {
          const shifted = new Float64Array(xs.length + shift + 1);
          shifted.set(xs, shift);
          const ys = run(build, name, shifted).subarray(shift);
          cases.forEach(([x, want], i) => {
            if (name === 'softplus' && x === 0) expect(ulps64(ys[i]!, doubleDouble.softplus(0))).toBeLessThanOrEqual(BOUND64);
            else expectSame(ys[i]!, want, `${buildName} ${name}(${x}) [shift ${shift}]`);
          });
        }
      }
    });
  }
});
