// Not shipped: an entry for the accuracy audit (`npm run ulp`) and the math tests. It evaluates the
// vector math on float32 bit patterns or on arrays, against float64 references computed in wasm by
// AssemblyScript's std Math (musl's algorithms, < 1 ulp in float64: ~2⁻²⁹ of a float32 ulp).

import { exp32, exp32x4, exp64, exp64x2, expNonPositive32, expNonPositive32x4, expQuick32, expQuick32x4 } from "./math/exp";
import { layout, logits } from "./kernel/inbatch";
import { log1p32, log1p32x4, log1p64, log1p64x2, log32, log32x4, log64, log64x2 } from "./math/log";
import {
  SIGMA, logistic32, logistic32x4, sigmoid32, sigmoid32x4, sigmoid64, sigmoid64x2, softplus32, softplus32x4, softplus64, softplus64x2,
} from "./math/logistic";

export const SIMD: i32 = ASC_FEATURE_SIMD ? 1 : 0;

/**
 * Function codes, in this order: exp, log, log1p, softplus, sigmoid, and the kernels' quicker forms
 * expQuick, softplusQuick, sigmoidQuick (the logits kernels' math, math/logistic.ts), expNonPositive
 * (of −|x|), float32 only.
 */
export const FUNCTIONS: i32 = 9;

/** [0] worst ulp error, [8] its input's bits, [12] lanes whose scalar twin differed. */
export const AUDIT: usize = memory.data(32, 16);

@unmanaged class Exp {
  // @ts-ignore: decorator
  @inline v(x: v128): v128 { return exp32x4(x); }
  // @ts-ignore: decorator
  @inline s(x: f32): f32 { return exp32(x); }
  // @ts-ignore: decorator
  @inline ref(x: f64): f64 { return Math.exp(x); }
}
@unmanaged class Log {
  // @ts-ignore: decorator
  @inline v(x: v128): v128 { return log32x4(x); }
  // @ts-ignore: decorator
  @inline s(x: f32): f32 { return log32(x); }
  // @ts-ignore: decorator
  @inline ref(x: f64): f64 { return Math.log(x); }
}
@unmanaged class Log1p {
  // @ts-ignore: decorator
  @inline v(x: v128): v128 { return log1p32x4(x); }
  // @ts-ignore: decorator
  @inline s(x: f32): f32 { return log1p32(x); }
  // @ts-ignore: decorator
  @inline ref(x: f64): f64 { return Math.log1p(x); }
}
@unmanaged class Softplus {
  // @ts-ignore: decorator
  @inline v(x: v128): v128 { return softplus32x4(x); }
  // @ts-ignore: decorator
  @inline s(x: f32): f32 { return softplus32(x); }
  // @ts-ignore: decorator
  @inline ref(x: f64): f64 { return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)); }
}
@unmanaged class Sigmoid {
  // @ts-ignore: decorator
  @inline v(x: v128): v128 { return sigmoid32x4(x); }
  // @ts-ignore: decorator
  @inline s(x: f32): f32 { return sigmoid32(x); }
  // @ts-ignore: decorator
  @inline ref(x: f64): f64 { return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)); }
}

@unmanaged class ExpQuick {
  // @ts-ignore: decorator
  @inline v(x: v128): v128 { return expQuick32x4(x); }
  // @ts-ignore: decorator
  @inline s(x: f32): f32 { return expQuick32(x); }
  // @ts-ignore: decorator
  @inline ref(x: f64): f64 { return Math.exp(x); }
}
// e^−|x|: expNonPositive on its domain, every x ≤ 0 (each one twice).
@unmanaged class ExpNonPositive {
  // @ts-ignore: decorator
  @inline v(x: v128): v128 { return expNonPositive32x4(v128.or(x, v128.splat<u32>(0x80000000))); }
  // @ts-ignore: decorator
  @inline s(x: f32): f32 { return expNonPositive32(reinterpret<f32>(reinterpret<u32>(x) | 0x80000000)); }
  // @ts-ignore: decorator
  @inline ref(x: f64): f64 { return Math.exp(-Math.abs(x)); }
}
// softplus(x) = max(x, 0) + ln(1 + e^−|x|) and σ(x) as the logits kernels compute them.
@unmanaged class SoftplusQuick {
  // @ts-ignore: decorator
  @inline v(x: v128): v128 { return f32x4.add(f32x4.pmax(x, f32x4.splat(0)), logistic32x4(x)); }
  // @ts-ignore: decorator
  @inline s(x: f32): f32 { return select<f32>(0, x, x < 0) + logistic32(x); }
  // @ts-ignore: decorator
  @inline ref(x: f64): f64 { return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)); }
}
@unmanaged class SigmoidQuick {
  // @ts-ignore: decorator
  @inline v(x: v128): v128 {
    logistic32x4(x);
    return v128.bitselect(v128.load(SIGMA), v128.load(SIGMA + 16), f32x4.ge(x, f32x4.splat(0)));
  }
  // @ts-ignore: decorator
  @inline s(x: f32): f32 {
    logistic32(x);
    return select<f32>(load<f32>(SIGMA), load<f32>(SIGMA + 16), x >= 0);
  }
  // @ts-ignore: decorator
  @inline ref(x: f64): f64 { return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)); }
}

/** |y − ref| in units of the float32 ulp at ref (2⁻¹⁴⁹ below the normal range); ∞ for a wrong NaN or ∞. */
// @ts-ignore: decorator
@inline function ulpError(y: f32, ref: f64): f64 {
  if (isNaN(ref) || isNaN(y)) return isNaN(ref) && isNaN(y) ? 0 : Infinity;
  const rounded = <f32>ref;
  if (!isFinite(rounded) || !isFinite(y)) return rounded == y ? 0 : Infinity;
  const e = max(<i32>((reinterpret<u64>(abs(ref)) >> 52) & 0x7ff) - 1023, -126);
  return abs(<f64>y - ref) * reinterpret<f64>(<u64>(23 - e + 1023) << 52); // × 1/ulp, a power of two
}

const LANES = memory.data<i32>([0, 1, 2, 3], 16);
const VECTOR = memory.data(16, 16);

/**
 * Every float32 whose bits are in [start, start + count), count a multiple of 4: the worst error of
 * the function (the vector form in the SIMD build, the scalar twin in the scalar build), and in the
 * SIMD build how many lanes the scalar twin did not reproduce bit for bit.
 */
export function audit(fn: i32, start: u32, count: u32): f64 {
  switch (fn) {
    case 0: return run<Exp>(start, count);
    case 1: return run<Log>(start, count);
    case 2: return run<Log1p>(start, count);
    case 3: return run<Softplus>(start, count);
    case 4: return run<Sigmoid>(start, count);
    case 5: return run<ExpQuick>(start, count);
    case 6: return run<SoftplusQuick>(start, count);
    case 7: return run<SigmoidQuick>(start, count);
    default: return run<ExpNonPositive>(start, count);
  }
}

function run<F>(start: u32, count: u32): f64 {
  const op = changetype<F>(0);
  let worst: f64 = -1;
  let worstBits: u32 = start;
  let differ = 0;
  for (let i: u32 = 0; i < count; i += 4) {
    const base = start + i;
    if (ASC_FEATURE_SIMD) v128.store(VECTOR, op.v(i32x4.add(i32x4.splat(base), v128.load(LANES))));
    for (let lane: u32 = 0; lane < 4; lane++) {
      const x = reinterpret<f32>(base + lane);
      let y = op.s(x);
      if (ASC_FEATURE_SIMD) {
        const scalar = y;
        y = load<f32>(VECTOR + (<usize>lane << 2));
        // (a NaN's sign and payload are not fixed by wasm's semantics: any NaN matches any NaN)
        if (reinterpret<u32>(y) != reinterpret<u32>(scalar) && !(isNaN(y) && isNaN(scalar))) differ++;
      }
      const e = ulpError(y, op.ref(<f64>x));
      if (e > worst) {
        worst = e;
        worstBits = base + lane;
      }
    }
  }
  store<f64>(AUDIT, worst);
  store<u32>(AUDIT + 8, worstBits);
  store<i32>(AUDIT + 12, differ);
  return worst;
}

/** y[i] = fn(x[i]) for n float32 (dtype 4) or float64 (dtype 8) at byte offsets x, y: the tests' entry. */
export function evaluate(fn: i32, dtype: i32, x: usize, y: usize, n: i32): void {
  if (dtype == 4) {
    switch (fn) {
      case 0: { each32<Exp>(x, y, n); break; }
      case 1: { each32<Log>(x, y, n); break; }
      case 2: { each32<Log1p>(x, y, n); break; }
      case 3: { each32<Softplus>(x, y, n); break; }
      case 4: { each32<Sigmoid>(x, y, n); break; }
      case 5: { each32<ExpQuick>(x, y, n); break; }
      case 6: { each32<SoftplusQuick>(x, y, n); break; }
      case 7: { each32<SigmoidQuick>(x, y, n); break; }
      default: each32<ExpNonPositive>(x, y, n);
    }
  } else {
    switch (fn) {
      case 0: { each64<Exp64>(x, y, n); break; }
      case 1: { each64<Log64>(x, y, n); break; }
      case 2: { each64<Log1p64>(x, y, n); break; }
      case 3: { each64<Softplus64>(x, y, n); break; }
      default: each64<Sigmoid64>(x, y, n);
    }
  }
}

// The vector form on whole vectors, the scalar twin on the tail (as the kernels use them).
function each32<F>(x: usize, y: usize, n: i32): void {
  const op = changetype<F>(0);
  let i = 0;
  if (ASC_FEATURE_SIMD) for (; i + 4 <= n; i += 4) v128.store(y + (<usize>i << 2), op.v(v128.load(x + (<usize>i << 2))));
  for (; i < n; i++) store<f32>(y + (<usize>i << 2), op.s(load<f32>(x + (<usize>i << 2))));
}

function each64<F>(x: usize, y: usize, n: i32): void {
  const op = changetype<F>(0);
  let i = 0;
  if (ASC_FEATURE_SIMD) for (; i + 2 <= n; i += 2) v128.store(y + (<usize>i << 3), op.v(v128.load(x + (<usize>i << 3))));
  for (; i < n; i++) store<f64>(y + (<usize>i << 3), op.s(load<f64>(x + (<usize>i << 3))));
}

@unmanaged class Exp64 {
  // @ts-ignore: decorator
  @inline v(x: v128): v128 { return exp64x2(x); }
  // @ts-ignore: decorator
  @inline s(x: f64): f64 { return exp64(x); }
}
@unmanaged class Log64 {
  // @ts-ignore: decorator
  @inline v(x: v128): v128 { return log64x2(x); }
  // @ts-ignore: decorator
  @inline s(x: f64): f64 { return log64(x); }
}
@unmanaged class Log1p64 {
  // @ts-ignore: decorator
  @inline v(x: v128): v128 { return log1p64x2(x); }
  // @ts-ignore: decorator
  @inline s(x: f64): f64 { return log1p64(x); }
}
@unmanaged class Softplus64 {
  // @ts-ignore: decorator
  @inline v(x: v128): v128 { return softplus64x2(x); }
  // @ts-ignore: decorator
  @inline s(x: f64): f64 { return softplus64(x); }
}
@unmanaged class Sigmoid64 {
  // @ts-ignore: decorator
  @inline v(x: v128): v128 { return sigmoid64x2(x); }
  // @ts-ignore: decorator
  @inline s(x: f64): f64 { return sigmoid64(x); }
}

/** First byte free for the caller's arrays. */
export function heapBase(): usize {
  return __heap_base;
}

// The bench's yardsticks for the in-batch losses (bench/inbatch.ts), compiled with the kernels' flags.

const PEAK_C = memory.data<f32>([0.999, 0.999, 0.999, 0.999], 16);
const PEAK_D = memory.data<f32>([0.001, 0.001, 0.001, 0.001], 16);

/**
 * The 128-bit float32 multiply-add peak of one core: `iterations` × 12 independent chains of
 * a = a·c + d (f32x4 mul then add: wasm SIMD has no fused multiply-add without relaxed SIMD),
 * 96 flops per iteration. Twelve chains cover the mul + add latency with registers to spare.
 */
export function peakMulAdd(iterations: i32): f32 {
  if (!ASC_FEATURE_SIMD) return 0; // the scalar audit build has no peak to measure
  const c = v128.load(PEAK_C), d = v128.load(PEAK_D);
  let a0 = f32x4.splat(1);
  let a1 = f32x4.splat(2), a2 = f32x4.splat(3), a3 = f32x4.splat(4), a4 = f32x4.splat(5), a5 = f32x4.splat(6);
  let a6 = f32x4.splat(7), a7 = f32x4.splat(8), a8 = f32x4.splat(9), a9 = f32x4.splat(10), a10 = f32x4.splat(11), a11 = f32x4.splat(12);
  for (let i = 0; i < iterations; i++) {
    a0 = f32x4.add(f32x4.mul(a0, c), d); a1 = f32x4.add(f32x4.mul(a1, c), d);
    a2 = f32x4.add(f32x4.mul(a2, c), d); a3 = f32x4.add(f32x4.mul(a3, c), d);
    a4 = f32x4.add(f32x4.mul(a4, c), d); a5 = f32x4.add(f32x4.mul(a5, c), d);
    a6 = f32x4.add(f32x4.mul(a6, c), d); a7 = f32x4.add(f32x4.mul(a7, c), d);
    a8 = f32x4.add(f32x4.mul(a8, c), d); a9 = f32x4.add(f32x4.mul(a9, c), d);
    a10 = f32x4.add(f32x4.mul(a10, c), d); a11 = f32x4.add(f32x4.mul(a11, c), d);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  const t = f32x4.add(s, f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11)));
  return f32x4.extract_lane(t, 0) + f32x4.extract_lane(t, 3);
}

/** The similarity pass alone: n normalised rows at x against n at y, strip by strip (2·n²·dim flops). */
export function similarity_f32(n: i32, dim: i32, x: usize, y: usize, work: usize, invTau: f64): void {
  layout<f32>(2 * n, dim, work);
  for (let i0 = 0; i0 < n; i0 += 16) logits<f32>(min(16, n - i0), n, dim, x + <usize>i0 * dim * 4, y, invTau);
}
