// Binary cross-entropy on logits: on t = e^−|z| ∈ [0, 1], which never overflows, ln(1 + t),
// σ(|z|) = 1/(1 + t) and σ(−|z|) = t/(1 + t). The loss is y·softplus(−z) + (1 − y)·softplus(z) with
// softplus(±z) = max(±z, 0) + ln(1 + e^−|z|): non-negative terms, finite and accurate for any
// finite z; the gradient is a difference of two such terms and cancels only where it is ~0.

import { MODE_LOSSES, MODE_WEIGHTED } from "../../abi";
import { classifier } from "../../kernel/elementwise";
import { Off, On, setParam, sparam, vone, vparam } from "../../kernel/shared";
import { sexp, slog1p, vexp, vlog1p } from "../../math";
import { SIGMA, logistic32, logistic32x4 } from "../../math/logistic";
import { sbadTarget, vnotUnit } from "./domain";
import { logitsProduct } from "./logitsProduct";
import { HALF, KEEP, POS, SHIFT } from "./params";

/**
 * Binary cross-entropy on logits, a = w₊, b = label smoothing α (target ỹ = y(1 − α) + α/2):
 *   l = w₊ỹ·softplus(−z) + (1 − ỹ)·softplus(z)
 *     = PyTorch's (1 − ỹ)z + (1 + (w₊ − 1)ỹ)·(ln(1 + e^−|z|) + max(−z, 0)), written without cancelling,
 *   dl/dz = (1 − ỹ)·σ(z) − w₊ỹ·σ(−z).
 */
@unmanaged class BceLogits {
  // @ts-ignore: decorator
  @inline setup<T>(a: f64, b: f64): void {
    setParam<T>(POS, a);
    setParam<T>(KEEP, 1 - b);
    setParam<T>(SHIFT, 0.5 * b);
    setParam<T>(HALF, 0.5);
  }
  // @ts-ignore: decorator
  @inline checked(): bool { return true; }
  // @ts-ignore: decorator
  @inline vbad<T>(y: v128, p: v128): v128 { return vnotUnit<T>(y); }
  // @ts-ignore: decorator
  @inline sbad<T>(y: T, p: T): i32 { return sbadTarget<T>(y); }

  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, z: v128): v128 { return logitsV<T, Off>(y, z, y, 0, false); }
  // @ts-ignore: decorator
  @inline vboth<T>(y: v128, z: v128, k: v128, g: usize, G: bool): v128 { return logitsV<T, On>(y, z, k, g, G); }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, z: T): T { return logitsS<T, Off>(y, z, 0, 0, false); }
  // @ts-ignore: decorator
  @inline sboth<T>(y: T, z: T, k: T, g: usize, G: bool): T { return logitsS<T, On>(y, z, k, g, G); }
  // @ts-ignore: decorator
  @inline vright<T>(y: v128, z: v128): v128 {
    return v128.not(v128.xor(v128.gt<T>(z, v128.splat<T>(0)), v128.gt<T>(y, vparam(HALF))));
  }
  // @ts-ignore: decorator
  @inline sright<T>(y: T, z: T): bool { return (z > 0) == (y > sparam<T>(HALF)); }
}

/**
 * ln(1 + e^−|z|), with σ(|z|) and σ(−|z|) left at SIGMA and SIGMA + 16, for the logit losses.
 * float32: logistic32x4 (one t, one reciprocal, one ln); float64: exp, log1p and one division.
 */
// @ts-ignore: decorator
@inline export function vlogistic<T>(z: v128): v128 {
  if (sizeof<T>() == 4) return logistic32x4(z);
  const one = vone<T>();
  const t = vexp<T>(v128.neg<T>(v128.abs<T>(z)));
  const big = v128.div<T>(one, v128.add<T>(one, t));
  v128.store(SIGMA, big);
  v128.store(SIGMA + 16, v128.mul<T>(t, big));
  return vlog1p<T>(t);
}

/** vlogistic's scalar twin. */
// @ts-ignore: decorator
@inline export function slogistic<T>(z: T): T {
  if (sizeof<T>() == 4) return <T>logistic32(<f32>z);
  const t = sexp<T>(-abs<T>(z));
  const big = <T>1 / (<T>1 + t);
  store<T>(SIGMA, big);
  store<T>(SIGMA + 16, t * big);
  return slog1p<T>(t);
}

// softplus(±z) = max(±z, 0) + ln(1 + e^−|z|): the loss is (ns + ws)·ln(1 + e^−|z|) + |z|·(z ≥ 0 ? ns : ws),
// non-negative terms still. Each pair of lanes is picked with two xors (V8 turns bitselect into three
// instructions). Float32: one t, one reciprocal, one ln for loss and gradient (math/logistic.ts).
// @ts-ignore: decorator
@inline function logitsV<T, G>(y: v128, z: v128, k: v128, g: usize, wantGrad: bool): v128 {
  const one = vone<T>();
  const l1p = vlogistic<T>(z);
  const big = v128.load(SIGMA);
  const small = v128.load(SIGMA + 16);
  const s = v128.add<T>(v128.mul<T>(y, vparam(KEEP)), vparam(SHIFT));
  const ns = v128.sub<T>(one, s);
  const ws = v128.mul<T>(vparam(POS), s);
  const pos = v128.ge<T>(z, v128.splat<T>(0));
  if (isInteger<G>() && wantGrad) {
    const x = v128.xor(big, small);
    const p = v128.xor(small, v128.and(x, pos));                        // σ(z)
    v128.store(g, v128.mul<T>(k, v128.sub<T>(v128.mul<T>(ns, p), v128.mul<T>(ws, v128.xor(p, x))))); // − ws·σ(−z)
  }
  const side = v128.xor(ws, v128.and(v128.xor(ns, ws), pos));
  return v128.add<T>(v128.mul<T>(v128.add<T>(ns, ws), l1p), v128.mul<T>(v128.abs<T>(z), side));
}

// @ts-ignore: decorator
@inline function logitsS<T, G>(y: T, z: T, k: T, g: usize, wantGrad: bool): T {
  const l1p = slogistic<T>(z);
  const big = load<T>(SIGMA);
  const small = load<T>(SIGMA + 16);
  const s = y * sparam<T>(KEEP) + sparam<T>(SHIFT);
  const ns = <T>1 - s;
  const ws = sparam<T>(POS) * s;
  const pos = z >= 0;
  if (isInteger<G>() && wantGrad) store<T>(g, k * (ns * select<T>(big, small, pos) - ws * select<T>(small, big, pos)));
  return (ns + ws) * l1p + abs<T>(z) * select<T>(ns, ws, pos);
}

export function binaryCrossEntropyWithLogits_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64,
                                                 mode: i32): i32 {
  if (a == 1 && (mode & (MODE_WEIGHTED | MODE_LOSSES)) == 0) return logitsProduct<BceLogits>(n, y, p, g, k, b, mode);
  return classifier<f32, BceLogits>(n, y, p, w, lo, g, k, a, b, mode);
}
export function binaryCrossEntropyWithLogits_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64,
                                                 mode: i32): i32 {
  return classifier<f64, BceLogits>(n, y, p, w, lo, g, k, a, b, mode);
}
