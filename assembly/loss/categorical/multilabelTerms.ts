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
    const c = f32x4.mul(f32x4.sub(t, f32x4.sub(u, one)), r);
    big = f32x4.sub(r, f32x4.mul(r, c));
    small = f32x4.mul(t, big);
    l1p = logPlus32x4(u, c);
  } else {
    l1p = vlogistic<T>(zk);
    big = v128.load(SIGMA);
    small = v128.load(SIGMA + 16);
  }
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

