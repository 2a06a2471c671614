// The per-element factors of the softmax focal loss (focal.ts: the formula), each a vector form and
// its scalar twin with the same operations in the same order.

import { spmax, vzero } from "../../kernel/classification";
import { sparam, vone, vparam } from "../../kernel/shared";
import { slog, vlog } from "../../math";
import { P_GAMMA } from "./params";
import { sexpq, vexpq } from "./softmaxTerms";

/** Where a term leaves H = −u^γ·ℓ (the loss factor), p and u, beside the F it returns. */
export const TERMS: usize = memory.data(48, 16);

// −FLT_MAX / −DBL_MAX: the floor of log u, so that γ·log u is never 0·(−∞) (u = 0 at γ = 0: u^γ = 1).
const FLOOR_32 = memory.data<f32>([-3.4028234663852886e38, -3.4028234663852886e38, -3.4028234663852886e38, -3.4028234663852886e38], 16);
const FLOOR_64 = memory.data<f64>([-1.7976931348623157e308, -1.7976931348623157e308], 16);

/** u^γ: u·u when Q (γ = 2: one multiply, the default), else e^{γ·max(log u, floor)}. */
// @ts-ignore: decorator
@inline function vpow<T, Q>(u: v128): v128 {
  if (isInteger<Q>()) return v128.mul<T>(u, u);
  return vexpq<T>(v128.mul<T>(vparam(P_GAMMA), v128.pmax<T>(vlog<T>(u), v128.load(sizeof<T>() == 4 ? FLOOR_32 : FLOOR_64))));
}
// @ts-ignore: decorator
@inline function spow<T, Q>(u: T): T {
  if (isInteger<Q>()) return u * u;
  return sexpq<T>(sparam<T>(P_GAMMA) * spmax<T>(slog<T>(u), load<T>(sizeof<T>() == 4 ? FLOOR_32 : FLOOR_64)));
}

/**
 * Element d = z − max of a row with log-sum-exp lse, 1/s and u at the max: returns
 * F = u^γ·(γ·p·ℓ/u − 1), leaves H, p and u at TERMS. Where u = 0 (p = 1 exactly) p·ℓ/u is its limit −p.
 * Below the max p < ½, so u = 1 − p loses nothing; at it u is the row's exact (n₀ − 1 + Σ)/s.
 */
// @ts-ignore: decorator
@inline export function vterm<T, Q>(d: v128, lse: v128, inv: v128, umax: v128): v128 {
  return vtermOf<T, Q>(d, vexpq<T>(d), lse, inv, umax);
}

/** vterm with e^d given (where a pass has it already). */
// @ts-ignore: decorator
@inline export function vtermOf<T, Q>(d: v128, e: v128, lse: v128, inv: v128, umax: v128): v128 {
  const p = v128.mul<T>(e, inv);
  const l = v128.sub<T>(d, lse);
  const u = v128.bitselect(umax, v128.sub<T>(vone<T>(), p), v128.eq<T>(d, vzero()));
  const pw = vpow<T, Q>(u);
  const r = v128.bitselect(v128.div<T>(v128.mul<T>(p, l), u), v128.neg<T>(p), v128.gt<T>(u, vzero()));
  v128.store(TERMS, v128.neg<T>(v128.mul<T>(pw, l)));
  v128.store(TERMS + 16, p);
  v128.store(TERMS + 32, u);
  return v128.mul<T>(pw, v128.sub<T>(v128.mul<T>(vparam(P_GAMMA), r), vone<T>()));
}

/** vterm's scalar twin: H, p and u at TERMS, + 16, + 32 (lane 0). */
// @ts-ignore: decorator
@inline export function sterm<T, Q>(d: T, lse: T, inv: T, umax: T): T {
  const p = sexpq<T>(d) * inv;
  const l = d - lse;
  const u = select<T>(umax, <T>1 - p, d == 0);
  const pw = spow<T, Q>(u);
  const r = select<T>((p * l) / u, -p, u > 0);
  store<T>(TERMS, -(pw * l));
  store<T>(TERMS + 16, p);
  store<T>(TERMS + 32, u);
  return pw * (sparam<T>(P_GAMMA) * r - <T>1);
}
