// Multi-label soft margin (PyTorch's multilabel_soft_margin_loss): one logistic loss per class, a
// target row in [0, 1], class weights w_k, per row
//   l = (1/C)·Σ_k w_k·[y_k·softplus(−z_k) + (1 − y_k)·softplus(z_k)]
//   dl/dz_k = (w_k/C)·[(1 − y_k)·σ(z_k) − y_k·σ(−z_k)]
// with softplus(±z) = max(±z, 0) + ln(1 + e^−|z|): each term is ln(1 + e^−|z|) + |z|·(z ≥ 0 ? 1 − y : y),
// a sum of non-negative parts, finite and accurate for any finite z (binary/logits.ts: the same
// logistic, one t = e^−|z| for loss and gradient). From LANES_BELOW classes, row-major: SIMD across the
// classes of a row, then the row's tail one element at a time; the scalar build's twin keeps the V lane
// sums in memory. Below, rows in blocks (multilabelBlock.ts), each row's terms added in class order.

import { MODE_ACCURACY, MODE_GRAD, MODE_LOSSES, MODE_WEIGHTED, RESULT_CORRECT, RESULT_COUNTED, RESULT_SUM } from "../../abi";
import { ACC, LANES_BELOW, at, combineSum, countDense, firstBadTarget, vzero } from "../../kernel/classification";
import { Off, On, lanes, setResult, vone } from "../../kernel/shared";
import { blockLosses, blockRows, blockTerms, countRows, scaleTile, tileWeights } from "./multilabelBlock";
import { term, vterm, vterms } from "./multilabelTerms";
import { vnotUnit } from "../binary/domain";

/** Where vterms leaves the second vector's terms. */
const SECOND: usize = memory.data(16, 16);

/** Whether the first nv classes of a row (SIMD) hold a target outside [0, 1]; Σ w_k·term_k per lane left at ACC, the gradient stored. */
// @ts-ignore: decorator
@inline function vectorRow<T, G>(y: usize, z: usize, gr: usize, cw: usize, nv: i32, kr: T): bool {
  const V = lanes<T>();
  const one = vone<T>();
  const vk = v128.splat<T>(kr);
  let vs = vzero();
  let bad = vzero();
  let k = 0;
  for (; k + 2 * V <= nv; k += 2 * V) { // two vectors' steps in turn (vterms), their terms added in class order
    const j = k + V;
    const ya = v128.load(at<T>(y, k));
    const yb = v128.load(at<T>(y, j));
    const wa = v128.load(at<T>(cw, k));
    const wb = v128.load(at<T>(cw, j));
    bad = v128.or(bad, v128.or(vnotUnit<T>(ya), vnotUnit<T>(yb)));
    const a = vterms<T, G>(ya, v128.load(at<T>(z, k)), wa, v128.mul<T>(vk, wa), at<T>(gr, k),
                           yb, v128.load(at<T>(z, j)), wb, v128.mul<T>(vk, wb), at<T>(gr, j), SECOND);
    vs = v128.add<T>(v128.add<T>(vs, a), v128.load(SECOND));
  }
  if (k < nv) {
    const yk = v128.load(at<T>(y, k));
    const wk = v128.load(at<T>(cw, k));
    bad = v128.or(bad, v128.not(v128.and(v128.ge<T>(yk, vzero()), v128.le<T>(yk, one))));
    vs = v128.add<T>(vs, vterm<T, G>(yk, v128.load(at<T>(z, k)), wk, v128.mul<T>(vk, wk), at<T>(gr, k)));
  }
  v128.store(ACC, vs);
  return v128.any_true(bad);
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
  const nv = C < LANES_BELOW ? 0 : C & ~(lanes<T>() - 1);
  const invC = <T>1 / <T>C;
  let total: f64 = 0;
  setResult<f64>(RESULT_CORRECT, 0);
  setResult<f64>(RESULT_COUNTED, 0);
  if (isInteger<G>() && g == y) { // out = target: the gradient overwrites each target as it goes, so all are checked first
    const bad = firstBadTarget<T>(0, rows, C, y);
    if (bad >= 0) return bad;
  }
  let r = 0;
  if (ASC_FEATURE_SIMD && C < LANES_BELOW && rows >= lanes<T>()) {
    const R = min<i32>(blockRows<T>(C), rows & ~(lanes<T>() - 1));
    tileWeights<T>(C, R, cw, <T>scale * <T>1 * invC);
    for (let n = R; r + lanes<T>() <= rows; r += n) {
      n = min<i32>(R, (rows - r) & ~(lanes<T>() - 1));
      if (accuracy) countRows<T>(r, n, C, y, p, w, weighted);
      if (weighted) scaleTile<T>(r, n, C, w, <T>scale, invC);
      if (blockTerms<T, G>(n * C, at<T>(y, r * C), at<T>(p, r * C), at<T>(g, r * C))) return firstBadTarget<T>(r, n, C, y);
      total = blockLosses<T>(r, n, C, w, lo, invC, weighted, storing, total);
    }
  }
  for (; r < rows; r++) {
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
