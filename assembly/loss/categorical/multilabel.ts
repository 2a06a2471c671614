// Multi-label soft margin (PyTorch's multilabel_soft_margin_loss): one logistic loss per class, a
// target row in [0, 1], class weights w_k, per row
//   l = (1/C)·Σ_k w_k·[y_k·softplus(−z_k) + (1 − y_k)·softplus(z_k)]
//   dl/dz_k = (w_k/C)·[(1 − y_k)·σ(z_k) − y_k·σ(−z_k)]
// with softplus(±z) = max(±z, 0) + ln(1 + e^−|z|): each term is ln(1 + e^−|z|) + |z|·(z ≥ 0 ? 1 − y : y),
// a sum of non-negative parts, finite and accurate for any finite z (binary/logits.ts: the same
// logistic, one t = e^−|z| for loss and gradient). Row-major: SIMD across the classes of a row, then
// the row's tail one element at a time; the scalar build's twin keeps the V lane sums in memory.

import { MODE_ACCURACY, MODE_GRAD, MODE_LOSSES, MODE_WEIGHTED, RESULT_CORRECT, RESULT_COUNTED, RESULT_SUM } from "../../abi";
import { ACC, at, combineSum, countDense, firstBadTarget, vzero } from "../../kernel/classification";
import { Off, On, lanes, setResult, vone } from "../../kernel/shared";
import { SIGMA } from "../../math/logistic";
import { slogistic, vlogistic } from "../binary/logits";

/** Whether the first nv classes of a row (SIMD) hold a target outside [0, 1]; Σ w_k·term_k per lane left at ACC, the gradient stored. */
// @ts-ignore: decorator
@inline function vectorRow<T, G>(y: usize, z: usize, gr: usize, cw: usize, nv: i32, kr: T): bool {
  const V = lanes<T>();
  const one = vone<T>();
  const vk = v128.splat<T>(kr);
  let vs = vzero();
  let bad = vzero();
  for (let k = 0; k < nv; k += V) {
    const yk = v128.load(at<T>(y, k));
    const zk = v128.load(at<T>(z, k));
    const wk = v128.load(at<T>(cw, k));
    bad = v128.or(bad, v128.not(v128.and(v128.ge<T>(yk, vzero()), v128.le<T>(yk, one))));
    const l1p = vlogistic<T>(zk);
    const ny = v128.sub<T>(one, yk);
    const pos = v128.ge<T>(zk, vzero());
    const side = v128.xor(yk, v128.and(v128.xor(ny, yk), pos));
    vs = v128.add<T>(vs, v128.mul<T>(wk, v128.add<T>(l1p, v128.mul<T>(v128.abs<T>(zk), side))));
    if (isInteger<G>()) {
      const big = v128.load(SIGMA);
      const small = v128.load(SIGMA + 16);
      const x = v128.xor(big, small);
      const sp = v128.xor(small, v128.and(x, pos)); // σ(z)
      const d = v128.sub<T>(v128.mul<T>(ny, sp), v128.mul<T>(yk, v128.xor(sp, x)));
      v128.store(at<T>(gr, k), v128.mul<T>(v128.mul<T>(vk, wk), d));
    }
  }
  v128.store(ACC, vs);
  return v128.any_true(bad);
}

/** One class: the weighted term, the gradient stored; vectorRow's lanes do the same operations in the same order. */
// @ts-ignore: decorator
@inline function term<T, G>(yk: T, zk: T, wk: T, kr: T, g: usize): T {
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

/** vectorRow's scalar twin. */
// @ts-ignore: decorator
@inline function scalarRow<T, G>(y: usize, z: usize, gr: usize, cw: usize, nv: i32, kr: T): bool {
  const V = lanes<T>();
  memory.fill(ACC, 0, 16);
  let bad = false;
  for (let k = 0; k < nv; k++) {
    const lane = <usize>(k & (V - 1)) << alignof<T>();
    const yk = load<T>(at<T>(y, k));
    bad = bad || !(yk >= 0 && yk <= 1);
    store<T>(ACC + lane, load<T>(ACC + lane) + term<T, G>(yk, load<T>(at<T>(z, k)), load<T>(at<T>(cw, k)), kr, at<T>(gr, k)));
  }
  return bad;
}

function multilabel<T, G>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, scale: f64, flags: i32): i32 {
  const storing = (flags & MODE_LOSSES) != 0;
  const weighted = (flags & MODE_WEIGHTED) != 0;
  const accuracy = (flags & MODE_ACCURACY) != 0;
  const rb = <usize>C << alignof<T>();
  const nv = C & ~(lanes<T>() - 1);
  const invC = <T>1 / <T>C;
  let total: f64 = 0;
  setResult<f64>(RESULT_CORRECT, 0);
  setResult<f64>(RESULT_COUNTED, 0);
  for (let r = 0; r < rows; r++) {
    const yr = y + <usize>r * rb;
    const z = p + <usize>r * rb;
    const gr = g + <usize>r * rb;
    const wr: T = weighted ? load<T>(at<T>(w, r)) : <T>1;
    if (accuracy) countDense<T>(z, yr, C, wr); // before the gradient may overwrite the row (out may be pred)
    const kr = <T>scale * wr * invC;
    let s: T = 0;
    let bad = false;
    if (nv > 0) {
      if (ASC_FEATURE_SIMD) bad = vectorRow<T, G>(yr, z, gr, cw, nv, kr);
      else bad = scalarRow<T, G>(yr, z, gr, cw, nv, kr);
      s = combineSum<T>(ACC);
    }
    for (let k = nv; k < C; k++) {
      const yk = load<T>(at<T>(yr, k));
      bad = bad || !(yk >= 0 && yk <= 1);
      s += term<T, G>(yk, load<T>(at<T>(z, k)), load<T>(at<T>(cw, k)), kr, at<T>(gr, k));
    }
    if (bad) return firstBadTarget<T>(r, 1, C, y);
    const l = s * invC * wr;
    total += <f64>l;
    if (storing) store<T>(at<T>(lo, r), l);
  }
  setResult<f64>(RESULT_SUM, total);
  return -1;
}

// Kernel ABI ('terms'): (rows, C, target, pred, weights, losses, grad, classWeights: byte offsets;
// gradient scale, two unused scalars, mode bits) → -1 or the index of the first target outside [0, 1]; Σ w·l at RESULT_SUM.
export function multilabelSoftMargin_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, k: f64,
                                         a: f64, b: f64, mode: i32): i32 {
  if (mode & MODE_GRAD) return multilabel<f32, On>(rows, C, y, p, w, lo, g, cw, k, mode);
  return multilabel<f32, Off>(rows, C, y, p, w, lo, g, cw, k, mode);
}
export function multilabelSoftMargin_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, k: f64,
                                         a: f64, b: f64, mode: i32): i32 {
  if (mode & MODE_GRAD) return multilabel<f64, On>(rows, C, y, p, w, lo, g, cw, k, mode);
  return multilabel<f64, Off>(rows, C, y, p, w, lo, g, cw, k, mode);
}
