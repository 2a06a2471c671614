// softplus(x) = ln(1 + e^x) and sigmoid(x) = 1/(1 + e^−x), for f32x4 and f64x2, with scalar twins.
// Both go through t = e^−|x| ∈ [0, 1], which never overflows, carried with what its last rounding
// lost (exp's keepLow):
//   softplus(x) = max(x, 0) + ln(1 + t),   sigmoid(x) = (x ≥ 0 ? 1 : t) / (1 + t).
// Without the low part, softplus reached 2.01 ulp in float64 (x = −32.9).
//
// Accuracy (exhaustive audit, `npm run ulp`, every float32): see the figures beside each function.

import { LOW, exp32, exp32x4, exp64, exp64x2, expNonPositive32, expNonPositive32x4 } from "./exp";
import { log1p32, log1p32x4, log1p64, log1p64x2, logPlus32, logPlus32x4 } from "./log";
import { ONE_32, ONE_64, SIGN_32, SIGN_64, k } from "./constants";

/** ln(1 + e^x), f32x4. Max error 1.235 ulp over all float32 (audit; at x = 0.3454); −∞ → +0, +∞ → +∞, NaN → NaN. */
// @ts-ignore: decorator
@inline export function softplus32x4(x: v128): v128 {
  const t = exp32x4(v128.or(x, k(SIGN_32)), true);
  return f32x4.add(f32x4.pmax(x, v128.xor(x, x)), log1p32x4(t, v128.load(LOW), true));
}

/** ln(1 + e^x), f32: each lane of softplus32x4. */
// @ts-ignore: decorator
@inline export function softplus32(x: f32): f32 {
  const t = exp32(reinterpret<f32>(reinterpret<u32>(x) | 0x80000000), true);
  return select<f32>(0, x, x < 0) + log1p32(t, load<f32>(LOW), true); // pmax(x, 0)
}

// Sigmoid works on t and 1 + t each carried with what its rounding lost: with t and
// 1 + t rounded and then divided, relative errors of up to ~2⁻²³ add up, and a quotient near the top of
// its binade from a t near the bottom of its own read that as 2.13 ulp (at x = −2.007).
//   (n + nLow)/(d + dLow) = q + (nLow − q·dLow)/d + O(2⁻⁴⁸), with q = n/d.

/** 1/(1 + e^−x), f32x4. Max error 1.218 ulp over all float32 (audit; at x = −16.23); −∞ → +0, +∞ → 1, NaN → NaN. */
// @ts-ignore: decorator
@inline export function sigmoid32x4(x: v128): v128 {
  const one = k(ONE_32);
  const t = exp32x4(v128.or(x, k(SIGN_32)), true);
  const tLow = v128.load(LOW);
  const d = f32x4.add(one, t);
  const dLow = f32x4.add(f32x4.add(f32x4.sub(one, d), t), tLow);
  const positive = f32x4.ge(x, v128.xor(x, x));
  const n = v128.bitselect(one, t, positive);
  const nLow = v128.andnot(tLow, positive);
  const q = f32x4.div(n, d);
  return f32x4.add(q, f32x4.div(f32x4.sub(nLow, f32x4.mul(q, dLow)), d));
}

/** 1/(1 + e^−x), f32: each lane of sigmoid32x4. */
// @ts-ignore: decorator
@inline export function sigmoid32(x: f32): f32 {
  const one = load<f32>(ONE_32);
  const t = exp32(reinterpret<f32>(reinterpret<u32>(x) | 0x80000000), true);
  const tLow = load<f32>(LOW);
  const d = one + t;
  const dLow = ((one - d) + t) + tLow;
  const positive = x >= 0;
  const n = select<f32>(one, t, positive);
  const nLow = select<f32>(0, tLow, positive);
  const q = n / d;
  return q + (nLow - q * dLow) / d;
}

/** ln(1 + e^x), f64x2. Max error 1.12 ulp over 10⁶ samples; the special values of softplus32x4. */
// @ts-ignore: decorator
@inline export function softplus64x2(x: v128): v128 {
  const t = exp64x2(v128.or(x, k(SIGN_64)), true);
  return f64x2.add(f64x2.pmax(x, v128.xor(x, x)), log1p64x2(t, v128.load(LOW), true));
}

/** ln(1 + e^x), f64: each lane of softplus64x2. */
// @ts-ignore: decorator
@inline export function softplus64(x: f64): f64 {
  const t = exp64(reinterpret<f64>(reinterpret<u64>(x) | 0x8000000000000000), true);
  return select<f64>(0, x, x < 0) + log1p64(t, load<f64>(LOW), true);
}

/** 1/(1 + e^−x), f64x2. Max error 1.20 ulp over 10⁶ samples; the special values of sigmoid32x4. */
// @ts-ignore: decorator
@inline export function sigmoid64x2(x: v128): v128 {
  const one = k(ONE_64);
  const t = exp64x2(v128.or(x, k(SIGN_64)), true);
  const tLow = v128.load(LOW);
  const d = f64x2.add(one, t);
  const dLow = f64x2.add(f64x2.add(f64x2.sub(one, d), t), tLow);
  const positive = f64x2.ge(x, v128.xor(x, x));
  const n = v128.bitselect(one, t, positive);
  const nLow = v128.andnot(tLow, positive);
  const q = f64x2.div(n, d);
  return f64x2.add(q, f64x2.div(f64x2.sub(nLow, f64x2.mul(q, dLow)), d));
}

/** 1/(1 + e^−x), f64: each lane of sigmoid64x2. */
// @ts-ignore: decorator
@inline export function sigmoid64(x: f64): f64 {
  const one = load<f64>(ONE_64);
  const t = exp64(reinterpret<f64>(reinterpret<u64>(x) | 0x8000000000000000), true);
  const tLow = load<f64>(LOW);
  const d = one + t;
  const dLow = ((one - d) + t) + tLow;
  const positive = x >= 0;
  const n = select<f64>(one, t, positive);
  const nLow = select<f64>(0, tLow, positive);
  const q = n / d;
  return q + (nLow - q * dLow) / d;
}

// The logits losses (binary cross-entropy and focal on logits) need, for loss and gradient together,
// ln(1 + t), σ(|z|) = 1/(1 + t) and σ(−|z|) = t/(1 + t) of one t = e^−|z|: one exp (without its
// correction terms), one reciprocal r = 1/u of u = 1 + t rounded, one ln. What rounding u lost,
// t − (u − 1) (exact), enters both: ln(1 + t) = ln u + c and 1/(1 + t) = r − r·c to first order,
// c = (t − (u − 1))·r. BCE with logits withGrad +25% (float32, ordinary arrays, interleaved A/B).
// Audited as softplusQuick(x) = max(x, 0) + logistic32x4(x): 1.666 ulp (at x = −1.2653), and
// sigmoidQuick: 2.419 ulp (at x = −1.0999; the accurate sigmoid32x4 has 1.218), every float32.

/** Where logistic32x4 / logistic32 leave σ(|z|) ([0]) and σ(−|z|) ([16]). */
export const SIGMA = memory.data(32, 16);

/** ln(1 + e^−|z|), f32x4; σ(|z|) and σ(−|z|) left at SIGMA. NaN → NaN; ±∞ → 0 (σ: 1, 0). */
// @ts-ignore: decorator
@inline export function logistic32x4(z: v128): v128 {
  const one = k(ONE_32);
  const t = expNonPositive32x4(v128.or(z, k(SIGN_32)));
  const u = f32x4.add(one, t);
  const r = f32x4.div(one, u);
  const c = f32x4.mul(f32x4.sub(t, f32x4.sub(u, one)), r);
  const big = f32x4.sub(r, f32x4.mul(r, c));
  v128.store(SIGMA, big);
  v128.store(SIGMA + 16, f32x4.mul(t, big));
  return logPlus32x4(u, c);
}

/** ln(1 + e^−|z|), f32: each lane of logistic32x4 (σ(|z|), σ(−|z|) at SIGMA, SIGMA + 16). */
// @ts-ignore: decorator
@inline export function logistic32(z: f32): f32 {
  const one = load<f32>(ONE_32);
  const t = expNonPositive32(reinterpret<f32>(reinterpret<u32>(z) | 0x80000000));
  const u = one + t;
  const r = one / u;
  const c = (t - (u - one)) * r;
  const big = r - r * c;
  store<f32>(SIGMA, big);
  store<f32>(SIGMA + 16, t * big);
  return logPlus32(u, c);
}
