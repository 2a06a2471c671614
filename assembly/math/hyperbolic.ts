// ln cosh x and tanh x, the logCosh loss and its derivative. Computed in float64 lanes (float32
// inputs are widened and the results rounded once, so float32 is within ~0.5 ulp): ln cosh x ≈ x²/2
// comes out of terms near ln 2, so the general forms lose ~1/x² relative to cancellation near 0, and
// below |x| = 0.05 a Taylor series takes over (its next term is < 2⁻⁵² relative there; the general
// form's cancellation at 0.05 costs ~550× an ulp of ln 2, ~1e-13 relative).
//   ln cosh x = |x| − ln 2 + ln(1 + e^−2|x|)      tanh x = ±(1 − e^−2|x|)/(1 + e^−2|x|)
// e^−2|x| never overflows: residuals of ±1e4 (and ±∞) give |x| − ln 2 and ±1.

import { LOW, exp64, exp64x2 } from "./exp";
import { log1p64, log1p64x2 } from "./log";
import { LN2HI_64, LN2LO_64, ONE_64, SIGN_64, k } from "./constants";

const CUT = memory.data<u64>([0x3fa999999999999a, 0x3fa999999999999a], 16);     // 0.05
const MINUS_TWO = memory.data<u64>([0xc000000000000000, 0xc000000000000000], 16); // −2
// ln cosh x = z·(1/2 + z·(−1/12 + z·(1/45 + z·(−17/2520 + z·31/14175)))), z = x²
const C0 = memory.data<u64>([0x3fe0000000000000, 0x3fe0000000000000], 16);       // 0x1p-1
const C1 = memory.data<u64>([0xbfb5555555555555, 0xbfb5555555555555], 16);       // −0x1.5555555555555p-4
const C2 = memory.data<u64>([0x3f96c16c16c16c17, 0x3f96c16c16c16c17], 16);       // 0x1.6c16c16c16c17p-6
const C3 = memory.data<u64>([0xbf7ba1ba1ba1ba1c, 0xbf7ba1ba1ba1ba1c], 16);       // −0x1.ba1ba1ba1ba1cp-8
const C4 = memory.data<u64>([0x3f61ea5d39bcda62, 0x3f61ea5d39bcda62], 16);       // 0x1.1ea5d39bcda62p-9
// tanh x = x·(1 + z·(−1/3 + z·(2/15 + z·(−17/315 + z·62/2835))))
const T1 = memory.data<u64>([0xbfd5555555555555, 0xbfd5555555555555], 16);       // −0x1.5555555555555p-2
const T2 = memory.data<u64>([0x3fc1111111111111, 0x3fc1111111111111], 16);       // 0x1.1111111111111p-3
const T3 = memory.data<u64>([0xbfaba1ba1ba1ba1c, 0xbfaba1ba1ba1ba1c], 16);       // −0x1.ba1ba1ba1ba1cp-5
const T4 = memory.data<u64>([0x3f9664f4882c10fa, 0x3f9664f4882c10fa], 16);       // 0x1.664f4882c10fap-6

/** ln cosh x, f64x2. */
// @ts-ignore: decorator
@inline export function logCosh64x2(x: v128): v128 {
  const a = f64x2.abs(x);
  const z = f64x2.mul(x, x);
  const series = f64x2.mul(z, f64x2.add(k(C0), f64x2.mul(z, f64x2.add(k(C1), f64x2.mul(z,
                 f64x2.add(k(C2), f64x2.mul(z, f64x2.add(k(C3), f64x2.mul(z, k(C4))))))))));
  const t = exp64x2(f64x2.mul(a, k(MINUS_TWO)), true);
  const general = f64x2.add(f64x2.sub(f64x2.sub(a, k(LN2HI_64)), k(LN2LO_64)), log1p64x2(t, v128.load(LOW), true));
  return v128.bitselect(series, general, f64x2.lt(a, k(CUT)));
}

/** ln cosh x, f64: each lane of logCosh64x2. */
// @ts-ignore: decorator
@inline export function logCosh64(x: f64): f64 {
  const a = abs(x);
  const z = x * x;
  const series = z * (load<f64>(C0) + z * (load<f64>(C1) + z * (load<f64>(C2) + z * (load<f64>(C3) + z * load<f64>(C4)))));
  const t = exp64(a * load<f64>(MINUS_TWO), true);
  const general = ((a - load<f64>(LN2HI_64)) - load<f64>(LN2LO_64)) + log1p64(t, load<f64>(LOW), true);
  return select<f64>(series, general, a < load<f64>(CUT));
}

/** tanh x, f64x2. */
// @ts-ignore: decorator
@inline export function tanh64x2(x: v128): v128 {
  const one = k(ONE_64);
  const a = f64x2.abs(x);
  const z = f64x2.mul(x, x);
  const series = f64x2.mul(x, f64x2.add(one, f64x2.mul(z, f64x2.add(k(T1), f64x2.mul(z,
                 f64x2.add(k(T2), f64x2.mul(z, f64x2.add(k(T3), f64x2.mul(z, k(T4))))))))));
  const t = exp64x2(f64x2.mul(a, k(MINUS_TWO)));
  const general = v128.or(f64x2.div(f64x2.sub(one, t), f64x2.add(one, t)), v128.and(x, k(SIGN_64)));
  return v128.bitselect(series, general, f64x2.lt(a, k(CUT)));
}

/** tanh x, f64: each lane of tanh64x2. */
// @ts-ignore: decorator
@inline export function tanh64(x: f64): f64 {
  const one = load<f64>(ONE_64);
  const a = abs(x);
  const z = x * x;
  const series = x * (one + z * (load<f64>(T1) + z * (load<f64>(T2) + z * (load<f64>(T3) + z * load<f64>(T4)))));
  const t = exp64(a * load<f64>(MINUS_TWO));
  const general = reinterpret<f64>(reinterpret<u64>((one - t) / (one + t)) | (reinterpret<u64>(x) & 0x8000000000000000));
  return select<f64>(series, general, a < load<f64>(CUT));
}

/** The float32 vector of two float64 vectors (lanes 0–1, lanes 2–3), each lane rounded once. */
// @ts-ignore: decorator
@inline export function narrow32x4(low: v128, high: v128): v128 {
  return i8x16.shuffle(f32x4.demote_f64x2_zero(low), f32x4.demote_f64x2_zero(high), 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
}

/** Lanes 0–1 of a float32 vector as float64. */
// @ts-ignore: decorator
@inline export function low64(x: v128): v128 { return f64x2.promote_low_f32x4(x); }

/** Lanes 2–3 of a float32 vector as float64. */
// @ts-ignore: decorator
@inline export function high64(x: v128): v128 {
  return f64x2.promote_low_f32x4(i8x16.shuffle(x, x, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15));
}
