// The per-class term of the multi-label soft margin loss (multilabel.ts: the formula), a vector
// form and its scalar twin with the same operations in the same order.

import { vzero } from "../../kernel/classification";
import { vone } from "../../kernel/shared";
import { ONE_32, SIGN_32, k } from "../../math/constants";
import { expNonPositive32x4 } from "../../math/exp";
import { logPlus32x4 } from "../../math/log";
import { SIGMA } from "../../math/logistic";
import { slogistic, vlogistic } from "../binary/logits";

/** V classes: the weighted terms w_k·term_k returned, the gradient kw·[(1 − y)σ(z) − yσ(−z)] stored at g (kw = kr·w_k). */
// @ts-ignore: decorator
@inline export function vterm<T, G>(yk: v128, zk: v128, wk: v128, kw: v128, g: usize): v128 {
  let l1p: v128;
  let big: v128;
  let small: v128;
  if (sizeof<T>() == 4) {
    // logistic32x4's operations in its order, σ(|z|) and σ(−|z|) kept in registers: V8 keeps the
    // store to SIGMA and the load back. C = 1000, float32 withGrad, zero copy: +3% (0.271 → 0.279
    // elements per ns of CPU time, interleaved A/B).
    const one = k(ONE_32);
    const t = expNonPositive32x4(v128.or(zk, k(SIGN_32)));
    const u = f32x4.add(one, t);
    const r = f32x4.div(one, u);
    const c = lostOver32(t, u, r);
    big = sigmaBig32(r, c);
    small = f32x4.mul(t, big);
    l1p = logPlus32x4(u, c);
  } else {
    l1p = vlogistic<T>(zk);
    big = v128.load(SIGMA);
    small = v128.load(SIGMA + 16);
  }
  return vfinish<T, G>(yk, zk, wk, kw, g, big, small, l1p);
}

/**
 * Two vectors of classes, a and b: vterm of each, a's term returned and b's stored at `second`. Each lane does vterm's
 * operations in vterm's order (the same bits); float32 takes the two vectors' steps in turn (exponentials, reciprocals,
 * logarithms, then the rest), so that each vector's chain of ~40 dependent operations runs beside the other's rather
 * than after it (V8 emits wasm in its order, and the core's window holds about one vector's work). Float32 withGrad,
 * zero copy, elements/ns: C = 10 0.26–0.27 → 0.31 (with blockLosses' vector sums), C = 1000 0.30–0.31 → 0.33
 * (two interleaved runs each, on a loaded machine).
 */
// @ts-ignore: decorator
@inline export function vterms<T, G>(ya: v128, za: v128, wa: v128, kwa: v128, ga: usize, yb: v128, zb: v128, wb: v128, kwb: v128,
                                     gb: usize, second: usize): v128 {
  if (sizeof<T>() != 4) {
    v128.store(second, vterm<T, G>(yb, zb, wb, kwb, gb));
    return vterm<T, G>(ya, za, wa, kwa, ga);
  }
  const one = k(ONE_32);
  const ta = expNonPositive32x4(v128.or(za, k(SIGN_32)));
  const tb = expNonPositive32x4(v128.or(zb, k(SIGN_32)));
  const ua = f32x4.add(one, ta);
  const ub = f32x4.add(one, tb);
  const ra = f32x4.div(one, ua);
  const rb = f32x4.div(one, ub);
  const ca = lostOver32(ta, ua, ra);
  const cb = lostOver32(tb, ub, rb);
  const bigA = sigmaBig32(ra, ca);
  const bigB = sigmaBig32(rb, cb);
  const la = logPlus32x4(ua, ca);
  const lb = logPlus32x4(ub, cb);
  v128.store(second, vfinish<T, G>(yb, zb, wb, kwb, gb, bigB, f32x4.mul(tb, bigB), lb));
  return vfinish<T, G>(ya, za, wa, kwa, ga, bigA, f32x4.mul(ta, bigA), la);
}

/**
 * Three vectors, float32, vterms' way (each lane vterm's operations in vterm's order): a's term returned, b's stored at
 * `second`, c's at `third`. A third chain beside the two still fills the core's wait: C = 10 withGrad, zero copy,
 * elements per ns of CPU time 0.310 → 0.337 (+8.6%), into out 0.266 → 0.289 (21 interleaved samples, loaded machine).
 */
// @ts-ignore: decorator
@inline export function vterms3<G>(ya: v128, za: v128, wa: v128, kwa: v128, ga: usize, yb: v128, zb: v128, wb: v128, kwb: v128,
                                   gb: usize, second: usize, yc: v128, zc: v128, wc: v128, kwc: v128, gc: usize, third: usize): v128 {
  const one = k(ONE_32);
  const ta = expNonPositive32x4(v128.or(za, k(SIGN_32)));
  const tb = expNonPositive32x4(v128.or(zb, k(SIGN_32)));
  const tc = expNonPositive32x4(v128.or(zc, k(SIGN_32)));
  const ua = f32x4.add(one, ta);
  const ub = f32x4.add(one, tb);
  const uc = f32x4.add(one, tc);
  const ra = f32x4.div(one, ua);
  const rb = f32x4.div(one, ub);
  const rc = f32x4.div(one, uc);
  const ca = lostOver32(ta, ua, ra);
  const cb = lostOver32(tb, ub, rb);
  const cc = lostOver32(tc, uc, rc);
  const bigA = sigmaBig32(ra, ca);
  const bigB = sigmaBig32(rb, cb);
  const bigC = sigmaBig32(rc, cc);
  const la = logPlus32x4(ua, ca);
  const lb = logPlus32x4(ub, cb);
  const lc = logPlus32x4(uc, cc);
  v128.store(third, vfinish<f32, G>(yc, zc, wc, kwc, gc, bigC, f32x4.mul(tc, bigC), lc));
  v128.store(second, vfinish<f32, G>(yb, zb, wb, kwb, gb, bigB, f32x4.mul(tb, bigB), lb));
  return vfinish<f32, G>(ya, za, wa, kwa, ga, bigA, f32x4.mul(ta, bigA), la);
}

/** What u = 1 + t lost to rounding, over u: (t − (u − 1))·(1/u). */
// @ts-ignore: decorator
@inline function lostOver32(t: v128, u: v128, r: v128): v128 {
  return f32x4.mul(f32x4.sub(t, f32x4.sub(u, k(ONE_32))), r);
}

/** σ(|z|) = 1/(1 + t) from r = 1/u and the correction c. */
// @ts-ignore: decorator
@inline function sigmaBig32(r: v128, c: v128): v128 {
  return f32x4.sub(r, f32x4.mul(r, c));
}

/** vterm from σ(|z|), σ(−|z|) and ln(1 + e^−|z|): the gradient stored at g, the weighted term returned. */
// @ts-ignore: decorator
@inline function vfinish<T, G>(yk: v128, zk: v128, wk: v128, kw: v128, g: usize, big: v128, small: v128, l1p: v128): v128 {
  const ny = v128.sub<T>(vone<T>(), yk);
  const pos = v128.ge<T>(zk, vzero());
  const side = v128.xor(yk, v128.and(v128.xor(ny, yk), pos));
  if (isInteger<G>()) {
    const x = v128.xor(big, small);
    const sp = v128.xor(small, v128.and(x, pos)); // σ(z)
    const d = v128.sub<T>(v128.mul<T>(ny, sp), v128.mul<T>(yk, v128.xor(sp, x)));
    v128.store(g, v128.mul<T>(kw, d));
  }
  return v128.mul<T>(wk, v128.add<T>(l1p, v128.mul<T>(v128.abs<T>(zk), side)));
}

/** One class: the weighted term, the gradient stored; vterm's lanes do the same operations in the same order. */
// @ts-ignore: decorator
@inline export function term<T, G>(yk: T, zk: T, wk: T, kr: T, g: usize): T {
  const l1p = slogistic<T>(zk);
  const pos = zk >= 0;
  const ny = <T>1 - yk;
  if (isInteger<G>()) {
    const big = load<T>(SIGMA);
    const small = load<T>(SIGMA + 16);
    store<T>(g, (kr * wk) * (ny * select<T>(big, small, pos) - yk * select<T>(small, big, pos)));
  }
  return wk * (l1p + abs<T>(zk) * select<T>(ny, yk, pos));
}

