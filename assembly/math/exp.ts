// e^x for f32x4 and f64x2, with scalar twins that give each lane bit for bit.
//
// Algorithm: Cody–Waite range reduction x = n·ln2 + r, |r| ≤ ln2/2 (n rounded by the 1.5·2^p
// magic-number add: V8 lowers the float→int conversion to 6 instructions); e^r = 1 + r + r²·q(r)
// with q a near-minimax (Chebyshev) fit computed for this project; 2^n applied as two exact power-
// of-two factors 2^⌊n/2⌋·2^⌈n/2⌉, so that subnormal results are rounded once and the factors never
// overflow. Inputs are first clamped to a range whose results are already 0 or ∞ at its ends.
//
// Accuracy (exhaustive audit, `npm run ulp`, every float32): see the figures beside each function.
// Both forms carry what two roundings lose as correction terms: r = (x − n·ln2_hi) − n·ln2_lo
// and 1 + r (each an exact Fast2Sum error). Without them the max error was 0.88 ulp, and sigmoid,
// which adds its own two roundings to exp's, reached 2.13 ulp.

import { k, LN2HI_32, LN2LO_32, LN2HI_64, LN2LO_64, ONE_32, ONE_64 } from "./constants";

// float32 constants, splatted across the 4 lanes.
const LOG2E_32 = memory.data<u32>([0x3fb8aa3b, 0x3fb8aa3b, 0x3fb8aa3b, 0x3fb8aa3b], 16);   // 0x1.715476p+0   log2(e)
const MAGIC_32 = memory.data<u32>([0x4b400000, 0x4b400000, 0x4b400000, 0x4b400000], 16);   // 0x1.8p+23       rounds to an integer
const MIN_32 = memory.data<u32>([0xc3160000, 0xc3160000, 0xc3160000, 0xc3160000], 16);     // -0x1.2cp+7 = −150: e^x is +0 below −103.98
const MAX_32 = memory.data<u32>([0x43160000, 0x43160000, 0x43160000, 0x43160000], 16);     // 0x1.2cp+7 = 150: e^x is +∞ above 88.73
const BIAS_32 = memory.data<u32>([127, 127, 127, 127], 16);                                // exponent bias
// q(r) ≈ (e^r − 1 − r)/r² on |r| ≤ 0.3469, degree 4: |error| ≤ 6.7e-8, i.e. ≤ 8e-9 relative in e^r.
const Q0_32 = memory.data<u32>([0x3f000000, 0x3f000000, 0x3f000000, 0x3f000000], 16);      // 0x1p-1
const Q1_32 = memory.data<u32>([0x3e2aaa6e, 0x3e2aaa6e, 0x3e2aaa6e, 0x3e2aaa6e], 16);      // 0x1.5554dcp-3
const Q2_32 = memory.data<u32>([0x3d2aaa8c, 0x3d2aaa8c, 0x3d2aaa8c, 0x3d2aaa8c], 16);      // 0x1.555518p-5
const Q3_32 = memory.data<u32>([0x3c0905f1, 0x3c0905f1, 0x3c0905f1, 0x3c0905f1], 16);      // 0x1.120be2p-7
const Q4_32 = memory.data<u32>([0x3ab688be, 0x3ab688be, 0x3ab688be, 0x3ab688be], 16);      // 0x1.6d117cp-10

// float64 constants, splatted across the 2 lanes.
const LOG2E_64 = memory.data<u64>([0x3ff71547652b82fe, 0x3ff71547652b82fe], 16);  // 0x1.71547652b82fep+0
const MAGIC_64 = memory.data<u64>([0x4338000000000000, 0x4338000000000000], 16);  // 0x1.8p+52
const MIN_64 = memory.data<u64>([0xc095e00000000000, 0xc095e00000000000], 16);    // −1400: e^x rounds to +0 below −745.14
const MAX_64 = memory.data<u64>([0x4095e00000000000, 0x4095e00000000000], 16);    // 1400: e^x is +∞ above 709.79
const BIAS_64 = memory.data<u64>([1023, 1023], 16);
// q(r) ≈ (e^r − 1 − r)/r² on |r| ≤ 0.3469, degree 9: |error| ≤ 1.2e-16, ≤ 1.5e-17 relative in e^r.
const Q0_64 = memory.data<u64>([0x3fe0000000000001, 0x3fe0000000000001], 16);     // 0x1.0000000000001p-1
const Q1_64 = memory.data<u64>([0x3fc5555555555556, 0x3fc5555555555556], 16);     // 0x1.5555555555556p-3
const Q2_64 = memory.data<u64>([0x3fa5555555553d37, 0x3fa5555555553d37], 16);     // 0x1.5555555553d37p-5
const Q3_64 = memory.data<u64>([0x3f811111111109a6, 0x3f811111111109a6], 16);     // 0x1.11111111109a6p-7
const Q4_64 = memory.data<u64>([0x3f56c16c1789d1d7, 0x3f56c16c1789d1d7], 16);     // 0x1.6c16c1789d1d7p-10
const Q5_64 = memory.data<u64>([0x3f2a01a01a7cebcd, 0x3f2a01a01a7cebcd], 16);     // 0x1.a01a01a7cebcdp-13
const Q6_64 = memory.data<u64>([0x3efa019b8ca26fcf, 0x3efa019b8ca26fcf], 16);     // 0x1.a019b8ca26fcfp-16
const Q7_64 = memory.data<u64>([0x3ec71de0d85293b8, 0x3ec71de0d85293b8], 16);     // 0x1.71de0d85293b8p-19
const Q8_64 = memory.data<u64>([0x3e92891d4ffbb0f9, 0x3e92891d4ffbb0f9], 16);     // 0x1.2891d4ffbb0f9p-22
const Q9_64 = memory.data<u64>([0x3e5af390ba7e6f47, 0x3e5af390ba7e6f47], 16);     // 0x1.af390ba7e6f47p-26

/**
 * Where exp32x4 / exp32 called with keepLow leave what the final rounding lost (times 2^n): with it,
 * the result is e^x to ~2⁻³⁰ relative, for callers whose own roundings would add up past their bound.
 */
export const LOW = memory.data(16, 16);

/** e^x, f32x4. Max error 0.807 ulp over all float32 (audit; at x = −87.68, a subnormal result); ±0 → 1, −∞ → +0, +∞ → +∞, NaN → NaN. */
// @ts-ignore: decorator
@inline export function exp32x4(x: v128, keepLow: bool = false): v128 {
  x = f32x4.pmin(f32x4.pmax(x, k(MIN_32)), k(MAX_32)); // pmax/pmin keep a NaN x
  const t = f32x4.add(f32x4.mul(x, k(LOG2E_32)), k(MAGIC_32));
  const n = f32x4.sub(t, k(MAGIC_32));
  const high = f32x4.sub(x, f32x4.mul(n, k(LN2HI_32)));
  const low = f32x4.mul(n, k(LN2LO_32));
  const r = f32x4.sub(high, low);
  const lost = f32x4.sub(f32x4.sub(high, r), low); // what r = high − low rounded away
  const q = f32x4.add(k(Q0_32), f32x4.mul(r, f32x4.add(k(Q1_32), f32x4.mul(r,
            f32x4.add(k(Q2_32), f32x4.mul(r, f32x4.add(k(Q3_32), f32x4.mul(r, k(Q4_32)))))))));
  const head = f32x4.add(k(ONE_32), r);
  const tail = f32x4.add(f32x4.sub(k(ONE_32), head), r); // what 1 + r rounded away
  const rest = f32x4.add(tail, f32x4.add(f32x4.mul(f32x4.mul(r, r), q), lost));
  const p = f32x4.add(head, rest);
  const ni = i32x4.sub(t, k(MAGIC_32));
  const n1 = i32x4.shr_s(ni, 1);
  const s1 = i32x4.shl(i32x4.add(n1, k(BIAS_32)), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(ni, n1), k(BIAS_32)), 23);
  if (keepLow) v128.store(LOW, f32x4.mul(f32x4.mul(f32x4.add(f32x4.sub(head, p), rest), s1), s2));
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/** e^x, f32: each lane of exp32x4. */
// @ts-ignore: decorator
@inline export function exp32(x: f32, keepLow: bool = false): f32 {
  const min = load<f32>(MIN_32), max = load<f32>(MAX_32), magic = load<f32>(MAGIC_32);
  x = select<f32>(min, x, x < min);
  x = select<f32>(max, x, max < x);
  const t = x * load<f32>(LOG2E_32) + magic;
  const n = t - magic;
  const high = x - n * load<f32>(LN2HI_32);
  const low = n * load<f32>(LN2LO_32);
  const r = high - low;
  const lost = (high - r) - low;
  const q = load<f32>(Q0_32) + r * (load<f32>(Q1_32) + r * (load<f32>(Q2_32) + r * (load<f32>(Q3_32) + r * load<f32>(Q4_32))));
  const head = load<f32>(ONE_32) + r;
  const tail = (load<f32>(ONE_32) - head) + r;
  const rest = tail + ((r * r) * q + lost);
  const p = head + rest;
  const ni = reinterpret<i32>(t) - reinterpret<i32>(magic);
  const n1 = ni >> 1;
  const s1 = reinterpret<f32>((n1 + 127) << 23);
  const s2 = reinterpret<f32>((ni - n1 + 127) << 23);
  if (keepLow) store<f32>(LOW, (((head - p) + rest) * s1) * s2);
  return (p * s1) * s2;
}

/** e^r ≈ 1 + (r + r²·q(r)) on the reduced argument, rounded as it comes: the quick forms' polynomial. */
// @ts-ignore: decorator
@inline function quickP32x4(r: v128): v128 {
  const q = f32x4.add(k(Q0_32), f32x4.mul(r, f32x4.add(k(Q1_32), f32x4.mul(r,
            f32x4.add(k(Q2_32), f32x4.mul(r, f32x4.add(k(Q3_32), f32x4.mul(r, k(Q4_32)))))))));
  return f32x4.add(k(ONE_32), f32x4.add(r, f32x4.mul(f32x4.mul(r, r), q)));
}

/** quickP32x4, f32. */
// @ts-ignore: decorator
@inline function quickP32(r: f32): f32 {
  const q = load<f32>(Q0_32) + r * (load<f32>(Q1_32) + r * (load<f32>(Q2_32) + r * (load<f32>(Q3_32) + r * load<f32>(Q4_32))));
  return load<f32>(ONE_32) + (r + (r * r) * q);
}

/**
 * e^x, f32x4, without exp32x4's two correction terms: p = 1 + (r + r²·q(r)) rounded once more. For
 * the kernels whose own bound has room (logits, softmax): 8 fewer operations. Max error 1.049 ulp
 * over all float32 (audit; at x = −48.87), where exp32x4 has 0.807; the special values of exp32x4.
 */
// @ts-ignore: decorator
@inline export function expQuick32x4(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, k(MIN_32)), k(MAX_32));
  const t = f32x4.add(f32x4.mul(x, k(LOG2E_32)), k(MAGIC_32));
  const n = f32x4.sub(t, k(MAGIC_32));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, k(LN2HI_32))), f32x4.mul(n, k(LN2LO_32)));
  const p = quickP32x4(r);
  const ni = i32x4.sub(t, k(MAGIC_32));
  const n1 = i32x4.shr_s(ni, 1);
  const s1 = i32x4.shl(i32x4.add(n1, k(BIAS_32)), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(ni, n1), k(BIAS_32)), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/** e^x, f32: each lane of expQuick32x4. */
// @ts-ignore: decorator
@inline export function expQuick32(x: f32): f32 {
  const min = load<f32>(MIN_32), max = load<f32>(MAX_32), magic = load<f32>(MAGIC_32);
  x = select<f32>(min, x, x < min);
  x = select<f32>(max, x, max < x);
  const t = x * load<f32>(LOG2E_32) + magic;
  const n = t - magic;
  const r = (x - n * load<f32>(LN2HI_32)) - n * load<f32>(LN2LO_32);
  const p = quickP32(r);
  const ni = reinterpret<i32>(t) - reinterpret<i32>(magic);
  const n1 = ni >> 1;
  const s1 = reinterpret<f32>((n1 + 127) << 23);
  const s2 = reinterpret<f32>((ni - n1 + 127) << 23);
  return (p * s1) * s2;
}

// For x ≤ 0 only (the logits' −|z|, the softmax's z − max z): 2^n in one exact factor 2^(n+64)
// and one rounding × 2^−64 (n ≥ −188 once x ≥ −130, where e^x is long 0), where the general forms
// need two factors for subnormal results: the same bits as expQuick32x4 for every x ≤ 0 (both round
// p·2^n once), 5 operations fewer.
const MIN_NP_32 = memory.data<u32>([0xc3020000, 0xc3020000, 0xc3020000, 0xc3020000], 16);  // −130
const BIAS_NP_32 = memory.data<u32>([191, 191, 191, 191], 16);                             // 127 + 64
const DOWN_32 = memory.data<u32>([0x1f800000, 0x1f800000, 0x1f800000, 0x1f800000], 16);   // 0x1p-64

/** e^x for x ≤ 0, −∞ or NaN, f32x4: expQuick32x4's bits there. Max error 1.049 ulp over every x ≤ 0 (audit; at x = −48.87). */
// @ts-ignore: decorator
@inline export function expNonPositive32x4(x: v128): v128 {
  x = f32x4.pmax(x, k(MIN_NP_32));
  const t = f32x4.add(f32x4.mul(x, k(LOG2E_32)), k(MAGIC_32));
  const n = f32x4.sub(t, k(MAGIC_32));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, k(LN2HI_32))), f32x4.mul(n, k(LN2LO_32)));
  const p = quickP32x4(r);
  const s = i32x4.shl(i32x4.add(i32x4.sub(t, k(MAGIC_32)), k(BIAS_NP_32)), 23);
  return f32x4.mul(f32x4.mul(p, s), k(DOWN_32));
}

/** e^x for x ≤ 0, f32: each lane of expNonPositive32x4. */
// @ts-ignore: decorator
@inline export function expNonPositive32(x: f32): f32 {
  const min = load<f32>(MIN_NP_32), magic = load<f32>(MAGIC_32);
  x = select<f32>(min, x, x < min);
  const t = x * load<f32>(LOG2E_32) + magic;
  const n = t - magic;
  const r = (x - n * load<f32>(LN2HI_32)) - n * load<f32>(LN2LO_32);
  const p = quickP32(r);
  const s = reinterpret<f32>((reinterpret<i32>(t) - reinterpret<i32>(magic) + 191) << 23);
  return (p * s) * load<f32>(DOWN_32);
}

/**
 * e^x, f64x2. Max error 1.0 ulp over 10⁶ samples (at x ≈ −708, where the double-double reference's
 * low word underflows); the same special values as exp32x4.
 */
// @ts-ignore: decorator
@inline export function exp64x2(x: v128, keepLow: bool = false): v128 {
  x = f64x2.pmin(f64x2.pmax(x, k(MIN_64)), k(MAX_64));
  const t = f64x2.add(f64x2.mul(x, k(LOG2E_64)), k(MAGIC_64));
  const n = f64x2.sub(t, k(MAGIC_64));
  const high = f64x2.sub(x, f64x2.mul(n, k(LN2HI_64)));
  const low = f64x2.mul(n, k(LN2LO_64));
  const r = f64x2.sub(high, low);
  const lost = f64x2.sub(f64x2.sub(high, r), low);
  let q = f64x2.add(k(Q8_64), f64x2.mul(r, k(Q9_64)));
  q = f64x2.add(k(Q7_64), f64x2.mul(r, q));
  q = f64x2.add(k(Q6_64), f64x2.mul(r, q));
  q = f64x2.add(k(Q5_64), f64x2.mul(r, q));
  q = f64x2.add(k(Q4_64), f64x2.mul(r, q));
  q = f64x2.add(k(Q3_64), f64x2.mul(r, q));
  q = f64x2.add(k(Q2_64), f64x2.mul(r, q));
  q = f64x2.add(k(Q1_64), f64x2.mul(r, q));
  q = f64x2.add(k(Q0_64), f64x2.mul(r, q));
  const head = f64x2.add(k(ONE_64), r);
  const tail = f64x2.add(f64x2.sub(k(ONE_64), head), r);
  const rest = f64x2.add(tail, f64x2.add(f64x2.mul(f64x2.mul(r, r), q), lost));
  const p = f64x2.add(head, rest);
  const ni = i64x2.sub(t, k(MAGIC_64));
  const n1 = i64x2.shr_s(ni, 1);
  const s1 = i64x2.shl(i64x2.add(n1, k(BIAS_64)), 52);
  const s2 = i64x2.shl(i64x2.add(i64x2.sub(ni, n1), k(BIAS_64)), 52);
  if (keepLow) v128.store(LOW, f64x2.mul(f64x2.mul(f64x2.add(f64x2.sub(head, p), rest), s1), s2));
  return f64x2.mul(f64x2.mul(p, s1), s2);
}

/** e^x, f64: each lane of exp64x2. */
// @ts-ignore: decorator
@inline export function exp64(x: f64, keepLow: bool = false): f64 {
  const min = load<f64>(MIN_64), max = load<f64>(MAX_64), magic = load<f64>(MAGIC_64);
  x = select<f64>(min, x, x < min);
  x = select<f64>(max, x, max < x);
  const t = x * load<f64>(LOG2E_64) + magic;
  const n = t - magic;
  const high = x - n * load<f64>(LN2HI_64);
  const low = n * load<f64>(LN2LO_64);
  const r = high - low;
  const lost = (high - r) - low;
  let q = load<f64>(Q8_64) + r * load<f64>(Q9_64);
  q = load<f64>(Q7_64) + r * q;
  q = load<f64>(Q6_64) + r * q;
  q = load<f64>(Q5_64) + r * q;
  q = load<f64>(Q4_64) + r * q;
  q = load<f64>(Q3_64) + r * q;
  q = load<f64>(Q2_64) + r * q;
  q = load<f64>(Q1_64) + r * q;
  q = load<f64>(Q0_64) + r * q;
  const head = load<f64>(ONE_64) + r;
  const tail = (load<f64>(ONE_64) - head) + r;
  const rest = tail + ((r * r) * q + lost);
  const p = head + rest;
  const ni = reinterpret<i64>(t) - reinterpret<i64>(magic);
  const n1 = ni >> 1;
  const s1 = reinterpret<f64>((n1 + 1023) << 52);
  const s2 = reinterpret<f64>((ni - n1 + 1023) << 52);
  if (keepLow) store<f64>(LOW, (((head - p) + rest) * s1) * s2);
  return (p * s1) * s2;
}
