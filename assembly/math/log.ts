// ln x and ln(1 + x) for f32x4 and f64x2, with scalar twins that give each lane bit for bit.
//
// Algorithm (fdlibm's, written anew here): u = m·2^k with m in [√½, √2) taken from the bits,
// f = m − 1 (exact), s = f/(2 + f); then ln(1 + f) = 2·atanh(s) = f − ½f² + s·(½f² + R(s²)), with R a
// near-minimax (Chebyshev) fit computed for this project, and ln u = k·ln2_hi + (that + k·ln2_lo).
// ln(1 + x) takes u = 1 + x and adds back what that addition rounded away, (x − (u − 1))/u, and
// with hasLow also the low part of an x carried as x + low (softplus passes e^−|x| that way).
//
// Accuracy (exhaustive audit, `npm run ulp`, every float32): see the figures beside each function.

import {
  HALF_32, HALF_64, INF_32, INF_64, LN2HI_32, LN2HI_64, LN2LO_32, LN2LO_64, NEG_INF_32, NEG_INF_64, ONE_32, ONE_64, TWO_32, TWO_64, k,
} from "./constants";

// float32: the offset that moves m's range to [√½, √2) (0x3f800000 − bits(√½)), the mantissa mask,
// bits(√½), the bias, subnormal scaling (2^23) and −1.
const OFFSET_32 = memory.data<u32>([0x004afb0d, 0x004afb0d, 0x004afb0d, 0x004afb0d], 16);
const MANTISSA_32 = memory.data<u32>([0x007fffff, 0x007fffff, 0x007fffff, 0x007fffff], 16);
const SQRT_HALF_32 = memory.data<u32>([0x3f3504f3, 0x3f3504f3, 0x3f3504f3, 0x3f3504f3], 16);   // 0x1.6a09e6p-1
const BIAS_32 = memory.data<u32>([127, 127, 127, 127], 16);
const MIN_NORMAL_32 = memory.data<u32>([0x00800000, 0x00800000, 0x00800000, 0x00800000], 16);  // 0x1p-126
const SCALE_32 = memory.data<u32>([0x4b000000, 0x4b000000, 0x4b000000, 0x4b000000], 16);       // 0x1p+23
const SCALE_BITS_32 = memory.data<u32>([23, 23, 23, 23], 16);
const MINUS_ONE_32 = memory.data<u32>([0xbf800000, 0xbf800000, 0xbf800000, 0xbf800000], 16);   // −1
// R(z)/z on z = s² ∈ [0, 0.0295], degree 2: |error| ≤ 2.1e-7, ≤ 3.1e-9 relative in ln(1 + f).
const R0_32 = memory.data<u32>([0x3f2aaaae, 0x3f2aaaae, 0x3f2aaaae, 0x3f2aaaae], 16);          // 0x1.55555cp-1
const R1_32 = memory.data<u32>([0x3eccbe11, 0x3eccbe11, 0x3eccbe11, 0x3eccbe11], 16);          // 0x1.997c22p-2
const R2_32 = memory.data<u32>([0x3e977464, 0x3e977464, 0x3e977464, 0x3e977464], 16);          // 0x1.2ee8c8p-2

// float64: the same, with the bits of √½ = 0x1.6a09e667f3bcdp-1 and subnormal scaling 2^54.
const OFFSET_64 = memory.data<u64>([0x00095f619980c433, 0x00095f619980c433], 16);
const MANTISSA_64 = memory.data<u64>([0x000fffffffffffff, 0x000fffffffffffff], 16);
const SQRT_HALF_64 = memory.data<u64>([0x3fe6a09e667f3bcd, 0x3fe6a09e667f3bcd], 16);
const BIAS_64 = memory.data<u64>([1023, 1023], 16);
const MIN_NORMAL_64 = memory.data<u64>([0x0010000000000000, 0x0010000000000000], 16);  // 0x1p-1022
const SCALE_64 = memory.data<u64>([0x4350000000000000, 0x4350000000000000], 16);       // 0x1p+54
const SCALE_BITS_64 = memory.data<u64>([54, 54], 16);
const MINUS_ONE_64 = memory.data<u64>([0xbff0000000000000, 0xbff0000000000000], 16);
const MAGIC_64 = memory.data<u64>([0x4338000000000000, 0x4338000000000000], 16);       // 0x1.8p+52: i64 → f64 for small integers
// R(z)/z on z ∈ [0, 0.0295], degree 6: |error| ≤ 3.3e-16, ≤ 5e-18 relative in ln(1 + f).
const R0_64 = memory.data<u64>([0x3fe5555555555558, 0x3fe5555555555558], 16);  // 0x1.5555555555558p-1
const R1_64 = memory.data<u64>([0x3fd9999999995273, 0x3fd9999999995273], 16);  // 0x1.9999999995273p-2
const R2_64 = memory.data<u64>([0x3fd2492492dfd86c, 0x3fd2492492dfd86c], 16);  // 0x1.2492492dfd86cp-2
const R3_64 = memory.data<u64>([0x3fcc71c62d5e53e0, 0x3fcc71c62d5e53e0], 16);  // 0x1.c71c62d5e53e0p-3
const R4_64 = memory.data<u64>([0x3fc7462b91b8df65, 0x3fc7462b91b8df65], 16);  // 0x1.7462b91b8df65p-3
const R5_64 = memory.data<u64>([0x3fc39fdcceb4bb45, 0x3fc39fdcceb4bb45], 16);  // 0x1.39fdcceb4bb45p-3
const R6_64 = memory.data<u64>([0x3fc2b5f68a50d903, 0x3fc2b5f68a50d903], 16);  // 0x1.2b5f68a50d903p-3

/** ln u + c for positive, normal u (bits in `u`), whose exponent is to be lowered by `lower`. */
// @ts-ignore: decorator
@inline function core32x4(u: v128, lower: v128, c: v128, corrected: bool, lowered: bool = true): v128 {
  const bits = i32x4.add(u, k(OFFSET_32));
  let n = i32x4.sub(i32x4.shr_s(bits, 23), k(BIAS_32));
  if (lowered) n = i32x4.sub(n, lower);
  const f = f32x4.sub(i32x4.add(v128.and(bits, k(MANTISSA_32)), k(SQRT_HALF_32)), k(ONE_32));
  const s = f32x4.div(f, f32x4.add(k(TWO_32), f));
  const z = f32x4.mul(s, s);
  const r = f32x4.mul(z, f32x4.add(k(R0_32), f32x4.mul(z, f32x4.add(k(R1_32), f32x4.mul(z, k(R2_32))))));
  const hfsq = f32x4.mul(f32x4.mul(k(HALF_32), f), f);
  const kf = f32x4.convert_i32x4_s(n);
  let low = f32x4.add(f32x4.mul(s, f32x4.add(hfsq, r)), f32x4.mul(kf, k(LN2LO_32)));
  if (corrected) low = f32x4.add(low, c);
  return f32x4.add(f32x4.mul(kf, k(LN2HI_32)), f32x4.add(f32x4.sub(low, hfsq), f));
}

// @ts-ignore: decorator
@inline function core32(u: f32, lower: i32, c: f32, corrected: bool): f32 {
  const bits = reinterpret<i32>(u) + load<i32>(OFFSET_32);
  const n = ((bits >> 23) - 127) - lower;
  const f = reinterpret<f32>((bits & 0x007fffff) + load<i32>(SQRT_HALF_32)) - load<f32>(ONE_32);
  const s = f / (load<f32>(TWO_32) + f);
  const z = s * s;
  const r = z * (load<f32>(R0_32) + z * (load<f32>(R1_32) + z * load<f32>(R2_32)));
  const hfsq = (load<f32>(HALF_32) * f) * f;
  const kf = <f32>n;
  let low = s * (hfsq + r) + kf * load<f32>(LN2LO_32);
  if (corrected) low = low + c;
  return kf * load<f32>(LN2HI_32) + ((low - hfsq) + f);
}

/**
 * ln u + c, f32x4, for u ≥ 1 normal and c a correction well below ulp(ln u) (what u's own rounding
 * lost, divided by u): ln1p's core without its special values, for the logits kernels' u = 1 + e^−|z|.
 */
// @ts-ignore: decorator
@inline export function logPlus32x4(u: v128, c: v128): v128 { return core32x4(u, u, c, true, false); }

/** ln u + c, f32: each lane of logPlus32x4. */
// @ts-ignore: decorator
@inline export function logPlus32(u: f32, c: f32): f32 { return core32(u, 0, c, true); }

/** ln x, f32x4, for x positive and normal only: log32x4's bits there, without its special values (~10 operations). */
// @ts-ignore: decorator
@inline export function logNormal32x4(x: v128): v128 { return core32x4(x, x, x, false, false); }

/** ln x, f32, x positive and normal: each lane of logNormal32x4. */
// @ts-ignore: decorator
@inline export function logNormal32(x: f32): f32 { return core32(x, 0, x, false); }

/** ln x, f32x4. Max error 0.843 ulp over all float32 (audit; at x = 0.7052, near √½); ±0 → −∞, x < 0 → NaN, +∞ → +∞, NaN → NaN. */
// @ts-ignore: decorator
@inline export function log32x4(x: v128): v128 {
  const tiny = f32x4.lt(x, k(MIN_NORMAL_32)); // subnormals are scaled into the normal range first
  const u = v128.bitselect(f32x4.mul(x, k(SCALE_32)), x, tiny);
  let y = core32x4(u, v128.and(tiny, k(SCALE_BITS_32)), x, false);
  y = v128.bitselect(x, y, f32x4.eq(x, k(INF_32)));
  y = v128.bitselect(k(NEG_INF_32), y, f32x4.eq(x, v128.xor(x, x)));
  return v128.or(y, v128.not(f32x4.ge(x, v128.xor(x, x)))); // all ones, a NaN, where x < 0 or NaN
}

/** ln x, f32: each lane of log32x4. */
// @ts-ignore: decorator
@inline export function log32(x: f32): f32 {
  const tiny = x < reinterpret<f32>(load<u32>(MIN_NORMAL_32));
  const u = select<f32>(x * load<f32>(SCALE_32), x, tiny);
  let y = core32(u, select<i32>(23, 0, tiny), x, false);
  y = select<f32>(x, y, x == load<f32>(INF_32));
  y = select<f32>(load<f32>(NEG_INF_32), y, x == 0);
  return reinterpret<f32>(reinterpret<u32>(y) | select<u32>(0, 0xffffffff, x >= 0));
}

/** ln(1 + x), f32x4. Max error 0.870 ulp over all float32 (audit; at x = 0.4077); ±0 → ±0, −1 → −∞, x < −1 → NaN, +∞ → +∞, NaN → NaN. */
// @ts-ignore: decorator
@inline export function log1p32x4(x: v128, low: v128 = v128.splat<i32>(0), hasLow: bool = false): v128 {
  const u = f32x4.add(k(ONE_32), x);
  let lost = f32x4.sub(x, f32x4.sub(u, k(ONE_32)));
  if (hasLow) lost = f32x4.add(lost, low);
  const c = f32x4.div(lost, u);
  let y = core32x4(u, v128.xor(x, x), c, true);
  y = v128.bitselect(x, y, v128.or(f32x4.eq(x, k(INF_32)), f32x4.eq(x, v128.xor(x, x))));
  y = v128.bitselect(k(NEG_INF_32), y, f32x4.eq(x, k(MINUS_ONE_32)));
  return v128.or(y, v128.not(f32x4.ge(x, k(MINUS_ONE_32))));
}

/** ln(1 + x), f32: each lane of log1p32x4. */
// @ts-ignore: decorator
@inline export function log1p32(x: f32, low: f32 = 0, hasLow: bool = false): f32 {
  const one = load<f32>(ONE_32);
  const u = one + x;
  let lost = x - (u - one);
  if (hasLow) lost = lost + low;
  const c = lost / u;
  let y = core32(u, 0, c, true);
  y = select<f32>(x, y, (x == load<f32>(INF_32)) | (x == 0));
  y = select<f32>(load<f32>(NEG_INF_32), y, x == load<f32>(MINUS_ONE_32));
  return reinterpret<f32>(reinterpret<u32>(y) | select<u32>(0, 0xffffffff, x >= load<f32>(MINUS_ONE_32)));
}

// @ts-ignore: decorator
@inline function core64x2(u: v128, lower: v128, c: v128, corrected: bool): v128 {
  const bits = i64x2.add(u, k(OFFSET_64));
  const n = i64x2.sub(i64x2.sub(i64x2.shr_s(bits, 52), k(BIAS_64)), lower);
  const f = f64x2.sub(i64x2.add(v128.and(bits, k(MANTISSA_64)), k(SQRT_HALF_64)), k(ONE_64));
  const s = f64x2.div(f, f64x2.add(k(TWO_64), f));
  const z = f64x2.mul(s, s);
  let r = f64x2.add(k(R5_64), f64x2.mul(z, k(R6_64)));
  r = f64x2.add(k(R4_64), f64x2.mul(z, r));
  r = f64x2.add(k(R3_64), f64x2.mul(z, r));
  r = f64x2.add(k(R2_64), f64x2.mul(z, r));
  r = f64x2.add(k(R1_64), f64x2.mul(z, r));
  r = f64x2.mul(z, f64x2.add(k(R0_64), f64x2.mul(z, r)));
  const hfsq = f64x2.mul(f64x2.mul(k(HALF_64), f), f);
  const kf = f64x2.sub(i64x2.add(n, k(MAGIC_64)), k(MAGIC_64)); // wasm has no i64x2 → f64x2
  let low = f64x2.add(f64x2.mul(s, f64x2.add(hfsq, r)), f64x2.mul(kf, k(LN2LO_64)));
  if (corrected) low = f64x2.add(low, c);
  return f64x2.add(f64x2.mul(kf, k(LN2HI_64)), f64x2.add(f64x2.sub(low, hfsq), f));
}

// @ts-ignore: decorator
@inline function core64(u: f64, lower: i64, c: f64, corrected: bool): f64 {
  const bits = reinterpret<i64>(u) + load<i64>(OFFSET_64);
  const n = ((bits >> 52) - 1023) - lower;
  const f = reinterpret<f64>((bits & 0x000fffffffffffff) + load<i64>(SQRT_HALF_64)) - load<f64>(ONE_64);
  const s = f / (load<f64>(TWO_64) + f);
  const z = s * s;
  let r = load<f64>(R5_64) + z * load<f64>(R6_64);
  r = load<f64>(R4_64) + z * r;
  r = load<f64>(R3_64) + z * r;
  r = load<f64>(R2_64) + z * r;
  r = load<f64>(R1_64) + z * r;
  r = z * (load<f64>(R0_64) + z * r);
  const hfsq = (load<f64>(HALF_64) * f) * f;
  const magic = load<f64>(MAGIC_64);
  const kf = reinterpret<f64>(n + reinterpret<i64>(magic)) - magic;
  let low = s * (hfsq + r) + kf * load<f64>(LN2LO_64);
  if (corrected) low = low + c;
  return kf * load<f64>(LN2HI_64) + ((low - hfsq) + f);
}

/** ln x, f64x2. Max error 0.81 ulp over 10⁶ samples; the same special values as log32x4. */
// @ts-ignore: decorator
@inline export function log64x2(x: v128): v128 {
  const tiny = f64x2.lt(x, k(MIN_NORMAL_64));
  const u = v128.bitselect(f64x2.mul(x, k(SCALE_64)), x, tiny);
  let y = core64x2(u, v128.and(tiny, k(SCALE_BITS_64)), x, false);
  y = v128.bitselect(x, y, f64x2.eq(x, k(INF_64)));
  y = v128.bitselect(k(NEG_INF_64), y, f64x2.eq(x, v128.xor(x, x)));
  return v128.or(y, v128.not(f64x2.ge(x, v128.xor(x, x))));
}

/** ln x, f64: each lane of log64x2. */
// @ts-ignore: decorator
@inline export function log64(x: f64): f64 {
  const tiny = x < reinterpret<f64>(load<u64>(MIN_NORMAL_64));
  const u = select<f64>(x * load<f64>(SCALE_64), x, tiny);
  let y = core64(u, select<i64>(54, 0, tiny), x, false);
  y = select<f64>(x, y, x == load<f64>(INF_64));
  y = select<f64>(load<f64>(NEG_INF_64), y, x == 0);
  return reinterpret<f64>(reinterpret<u64>(y) | select<u64>(0, 0xffffffffffffffff, x >= 0));
}

/** ln(1 + x), f64x2. Max error 0.77 ulp over 10⁶ samples; the same special values as log1p32x4. */
// @ts-ignore: decorator
@inline export function log1p64x2(x: v128, low: v128 = v128.splat<i32>(0), hasLow: bool = false): v128 {
  const u = f64x2.add(k(ONE_64), x);
  let lost = f64x2.sub(x, f64x2.sub(u, k(ONE_64)));
  if (hasLow) lost = f64x2.add(lost, low);
  const c = f64x2.div(lost, u);
  let y = core64x2(u, v128.xor(x, x), c, true);
  y = v128.bitselect(x, y, v128.or(f64x2.eq(x, k(INF_64)), f64x2.eq(x, v128.xor(x, x))));
  y = v128.bitselect(k(NEG_INF_64), y, f64x2.eq(x, k(MINUS_ONE_64)));
  return v128.or(y, v128.not(f64x2.ge(x, k(MINUS_ONE_64))));
}

/** ln(1 + x), f64: each lane of log1p64x2. */
// @ts-ignore: decorator
@inline export function log1p64(x: f64, low: f64 = 0, hasLow: bool = false): f64 {
  const one = load<f64>(ONE_64);
  const u = one + x;
  let lost = x - (u - one);
  if (hasLow) lost = lost + low;
  const c = lost / u;
  let y = core64(u, 0, c, true);
  y = select<f64>(x, y, (x == load<f64>(INF_64)) | (x == 0));
  y = select<f64>(load<f64>(NEG_INF_64), y, x == load<f64>(MINUS_ONE_64));
  return reinterpret<f64>(reinterpret<u64>(y) | select<u64>(0, 0xffffffffffffffff, x >= load<f64>(MINUS_ONE_64)));
}
