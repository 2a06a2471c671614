// Softmax focal cross-entropy from logits (Keras's CategoricalFocalCrossentropy(from_logits=True),
// without its clip of p), sparse (an i32 label per row) or dense, α_k per class (in the class-weights
// slot), label smoothing (ỹ = (1 − α_s)y + α_s/C), per row in the working dtype:
//   m = max z, d_k = z_k − m, n₀ = #{d_k = 0}, Σ = Σ_{d_k≠0} e^{d_k}, s = n₀ + Σ
//   ℓ_k = d_k − lse = log p_k, lse = log1p(Σ) where the max is unique, else log s (exact as p → 1)
//   u_k = 1 − p_k: 1 − e^{d_k}/s below the max (p < ½: no cancellation), (n₀ − 1 + Σ)/s at it
//   l = −Σ_k c_k u_k^γ ℓ_k,   c_k = α_k ỹ_k
//   dl/dz_j = b_j − p_j Σ_k b_k,   b_k = c_k u_k^γ (γ p_k ℓ_k / u_k − 1)
// Sparse targets without smoothing have one c_k ≠ 0: the exponentials are stored in the gradient's
// place and scaled once, as softmax cross-entropy does. Otherwise every element has a b_k: a pass
// sums them, keeping each in the gradient's place, and the next reads it back (and recomputes it
// from z where that place is z itself: out = pred). softmaxFocal C = 1000 withGrad, zero copy:
// 0.15 → 0.19 elements/ns against recomputing always.
//
// Below LANES_BELOW classes the SIMD build takes V rows at a time in the lanes layout (focalLanes.ts),
// each row's classes in order as focalRow.ts takes them there; sparse targets without smoothing two
// such groups at a time where both are plain (focalPairs.ts), the same operations per lane.
//
// Compile-time switches (On / Off): D dense targets (else labels); S smoothing of sparse targets;
// Q γ = 2 (u² by one multiply); G the gradient.

import { MODE_ACCURACY, MODE_GRAD, MODE_IGNORE, MODE_LOSSES, MODE_WEIGHTED, RESULT_CORRECT, RESULT_COUNTED, RESULT_SUM } from "../../abi";
import { LANES_BELOW, ROW_LOSS, at } from "../../kernel/classification";
import { Off, On, lanes, setParam, setResult } from "../../kernel/shared";
import { focalLanes } from "./focalLanes";
import { PAIR_LOSS, focalPair } from "./focalPairs";
import { focalRow } from "./focalRow";
import { P_A, P_B, P_GAMMA, P_SCALE } from "./params";

function focal<T, D, S, Q, G>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize,
                              scale: f64, gamma: f64, smoothing: f64, ignore: i32, flags: i32): i32 {
  setParam<T>(P_A, 1 - smoothing);
  setParam<T>(P_B, smoothing / <f64>C);
  setParam<T>(P_SCALE, scale);
  setParam<T>(P_GAMMA, gamma);
  setResult<f64>(RESULT_CORRECT, 0);
  setResult<f64>(RESULT_COUNTED, 0);
  const weighted = (flags & MODE_WEIGHTED) != 0;
  const accuracy = (flags & MODE_ACCURACY) != 0;
  const ignoring = (flags & MODE_IGNORE) != 0;
  const storing = (flags & MODE_LOSSES) != 0;
  const rb = <usize>C << alignof<T>();
  let total: f64 = 0;
  let r = 0;
  if (ASC_FEATURE_SIMD && C < LANES_BELOW) {
    for (; r + lanes<T>() <= rows; r += lanes<T>()) {
      if (!isInteger<D>() && !isInteger<S>() && r + 2 * lanes<T>() <= rows && plainLabels<T>(r, C, y, ignoring, ignore)
          && plainLabels<T>(r + lanes<T>(), C, y, ignoring, ignore)) {
        focalPair<T, Q, G>(r, C, rb, y, p, w, g, cw, weighted, accuracy);
        for (let j = 0; j < 2 * lanes<T>(); j++) total = addLoss<T>(r + j, load<T>(at<T>(PAIR_LOSS, j)), lo, storing, total);
        r += lanes<T>();
      } else if (isInteger<D>() || plainLabels<T>(r, C, y, ignoring, ignore)) {
        const bad = focalLanes<T, D, S, Q, G>(r, C, rb, y, p, w, g, cw, weighted, accuracy);
        if (bad >= 0) return bad;
        for (let j = 0; j < lanes<T>(); j++) total = addLoss<T>(r + j, load<T>(at<T>(ROW_LOSS, j)), lo, storing, total);
      } else {
        for (let j = r; j < r + lanes<T>(); j++) {
          const bad = focalRow<T, D, S, Q, G>(j, C, rb, y, p, w, g, cw, ignoring, ignore, weighted, accuracy);
          if (bad >= 0) return bad;
          total = addLoss<T>(j, load<T>(ROW_LOSS), lo, storing, total);
        }
      }
    }
  }
  for (; r < rows; r++) {
    const bad = focalRow<T, D, S, Q, G>(r, C, rb, y, p, w, g, cw, ignoring, ignore, weighted, accuracy);
    if (bad >= 0) return bad;
    total = addLoss<T>(r, load<T>(ROW_LOSS), lo, storing, total);
  }
  setResult<f64>(RESULT_SUM, total);
  return -1;
}

/** Whether the V labels from row r are all in [0, C) and none ignored (the lanes layout's precondition). */
// @ts-ignore: decorator
@inline function plainLabels<T>(r: i32, C: i32, y: usize, ignoring: bool, ignore: i32): bool {
  let plain = true;
  for (let j = 0; j < lanes<T>(); j++) {
    const t = load<i32>(y + (<usize>(r + j) << 2));
    plain = plain && t >= 0 && t < C && !(ignoring && t == ignore);
  }
  return plain;
}

/** Row r's loss l, stored when asked, added to the running total in row order. */
// @ts-ignore: decorator
@inline function addLoss<T>(r: i32, l: T, lo: usize, storing: bool, total: f64): f64 {
  if (storing) store<T>(at<T>(lo, r), l);
  return total + <f64>l;
}

function withPower<T, D, S, G>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize,
                               k: f64, gamma: f64, smoothing: f64, ignore: i32, mode: i32): i32 {
  if (gamma == 2) return focal<T, D, S, On, G>(rows, C, y, p, w, lo, g, cw, k, gamma, smoothing, ignore, mode);
  return focal<T, D, S, Off, G>(rows, C, y, p, w, lo, g, cw, k, gamma, smoothing, ignore, mode);
}

function sparseModes<T>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize,
                        k: f64, gamma: f64, smoothing: f64, ignore: i32, mode: i32): i32 {
  const grad = (mode & MODE_GRAD) != 0;
  if (smoothing > 0) {
    if (grad) return withPower<T, Off, On, On>(rows, C, y, p, w, lo, g, cw, k, gamma, smoothing, ignore, mode);
    return withPower<T, Off, On, Off>(rows, C, y, p, w, lo, g, cw, k, gamma, smoothing, ignore, mode);
  }
  if (grad) return withPower<T, Off, Off, On>(rows, C, y, p, w, lo, g, cw, k, gamma, smoothing, ignore, mode);
  return withPower<T, Off, Off, Off>(rows, C, y, p, w, lo, g, cw, k, gamma, smoothing, ignore, mode);
}

function denseModes<T>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize,
                       k: f64, gamma: f64, smoothing: f64, ignore: i32, mode: i32): i32 {
  if (mode & MODE_GRAD) return withPower<T, On, Off, On>(rows, C, y, p, w, lo, g, cw, k, gamma, smoothing, ignore, mode);
  return withPower<T, On, Off, Off>(rows, C, y, p, w, lo, g, cw, k, gamma, smoothing, ignore, mode);
}

// Kernel ABI: (rows, C, labels or target, logits, weights, losses, grad, α per class: byte offsets;
// gradient scale, γ, label smoothing, ignoreIndex, mode bits) → -1 or the index of the first bad
// element (labels: the row), its argument code at RESULT_ARGUMENT; Σ w·l at RESULT_SUM, accuracy at
// RESULT_CORRECT / RESULT_COUNTED.
export function sparseSoftmaxFocal_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, k: f64,
                                       gamma: f64, smoothing: f64, ignore: i32, mode: i32): i32 {
  return sparseModes<f32>(rows, C, y, p, w, lo, g, cw, k, gamma, smoothing, ignore, mode);
}
export function sparseSoftmaxFocal_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, k: f64,
                                       gamma: f64, smoothing: f64, ignore: i32, mode: i32): i32 {
  return sparseModes<f64>(rows, C, y, p, w, lo, g, cw, k, gamma, smoothing, ignore, mode);
}
export function softmaxFocal_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, k: f64,
                                 gamma: f64, smoothing: f64, ignore: i32, mode: i32): i32 {
  return denseModes<f32>(rows, C, y, p, w, lo, g, cw, k, gamma, smoothing, ignore, mode);
}
export function softmaxFocal_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, k: f64,
                                 gamma: f64, smoothing: f64, ignore: i32, mode: i32): i32 {
  return denseModes<f64>(rows, C, y, p, w, lo, g, cw, k, gamma, smoothing, ignore, mode);
}
