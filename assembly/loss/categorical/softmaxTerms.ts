// The per-element terms of softmax cross-entropy, each a vector form and its scalar twin.

import { vlog, slog } from "../../math";
import { exp64, exp64x2, expNonPositive32, expNonPositive32x4 } from "../../math/exp";
import { vzero } from "../../kernel/classification";

// e^d, d ≤ 0 (or NaN), for the softmax: float32 without exp's two correction terms (expQuick32x4's bits: 1.05 ulp
// where exp32x4 has 0.81, exhaustive audit; the row's loss and gradient are held to 2e-5), float64 as
// is. With the two running maxima of softmaxRow.ts: sparse softmax CE C = 1000 withGrad +10–18% (interleaved A/B).
// @ts-ignore: decorator
@inline export function vexpq<T>(d: v128): v128 { return sizeof<T>() == 4 ? expNonPositive32x4(d) : exp64x2(d); }
// @ts-ignore: decorator
@inline export function sexpq<T>(d: T): T { return sizeof<T>() == 4 ? <T>expNonPositive32(<f32>d) : <T>exp64(<f64>d); }

/** y log y, 0 where y = 0 (vector, and its scalar twin). */
// @ts-ignore: decorator
@inline export function ylogy<T>(y: v128): v128 {
  return v128.and(v128.mul<T>(y, vlog<T>(y)), v128.gt<T>(y, vzero()));
}
// @ts-ignore: decorator
@inline export function sylogy<T>(y: T): T {
  return select<T>(y * slog<T>(y), 0, y > 0);
}
