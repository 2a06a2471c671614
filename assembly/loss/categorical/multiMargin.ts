// Multi-class margin loss (Weston–Watkins; PyTorch's multi_margin_loss), a label t per row:
//   x_k = m − z_t + z_k,  l = w_t/C · Σ_{k≠t} max(0, x_k)^p,  p ∈ {1, 2}
//   dl/dz_k = w_t/C · (p = 1: [x_k > 0]; p = 2: 2·max(0, x_k)),  dl/dz_t = −Σ_{k≠t} dl/dz_k
// The kink x_k = 0 takes gradient 0 (PyTorch's x > 0). A NaN anywhere in the row makes its loss NaN
// (max keeps a NaN x, as v128.pmax does). Two layouts, chosen by C (kernel/classification.ts):
// below LANES_BELOW, V rows at a time in the V lanes, each lane walking its row in class order as the
// scalar loop over one row does; from LANES_BELOW, row-major, SIMD across the classes of a row with
// the label's lane masked out, then the row's tail one element at a time, the scalar build's twin
// keeping the V lane sums in memory (ACC) and combining them in the same order. Both builds agree bit
// for bit. (C = 10, float32, withGrad: the lanes layout measured 1.4× the row-major one.)

import { ARGUMENT_TARGET, MODE_ACCURACY, MODE_GRAD, MODE_LOSSES, MODE_WEIGHTED, RESULT_ARGUMENT, RESULT_CORRECT, RESULT_COUNTED,
  RESULT_SUM } from "../../abi";
import { ACC, IOTA32, IOTA64, LANES_BELOW, ROW_LOSS, at, combineSum, countLabel, gather, scatter, vzero }
  from "../../kernel/classification";
import { Off, On, lanes, setResult, vone } from "../../kernel/shared";

/** max(0, x) keeping a NaN: v128.pmax(x, 0) = x < 0 ? 0 : x. */
// @ts-ignore: decorator
@inline function shinge<T>(x: T): T {
  return select<T>(<T>0, x, x < 0);
}

/**
 * The first nv classes of a row (SIMD): Σ h^p and Σ dh per lane left at ACC and ACC + 16, the
 * gradient kr·dh stored (0 at the label's lane).
 */
// @ts-ignore: decorator
@inline function vectorRow<T, P, G>(z: usize, gr: usize, nv: i32, t: i32, a: T, kr: T): void {
  const V = lanes<T>();
  const va = v128.splat<T>(a);
  const vk = v128.splat<T>(kr);
  const tv = sizeof<T>() == 4 ? i32x4.splat(t) : i64x2.splat(<i64>t);
  const iota = sizeof<T>() == 4 ? IOTA32 : IOTA64;
  const step = v128.load(iota + 16);
  let idx = v128.load(iota);
  let vs = vzero();
  let vd = vzero();
  for (let k = 0; k < nv; k += V) {
    const x = v128.add<T>(va, v128.load(at<T>(z, k)));
    const mask = sizeof<T>() == 4 ? i32x4.eq(idx, tv) : i64x2.eq(idx, tv);
    idx = sizeof<T>() == 4 ? i32x4.add(idx, step) : i64x2.add(idx, step);
    const h = v128.andnot(v128.pmax<T>(x, vzero()), mask);
    vs = v128.add<T>(vs, isInteger<P>() ? v128.mul<T>(h, h) : h);
    if (isInteger<G>()) {
      const d = isInteger<P>() ? v128.add<T>(h, h) : v128.and(v128.gt<T>(h, vzero()), vone<T>());
      vd = v128.add<T>(vd, d);
      v128.store(at<T>(gr, k), v128.mul<T>(vk, d));
    }
  }
  v128.store(ACC, vs);
  v128.store(ACC + 16, vd);
}

/** vectorRow's scalar twin: lane k mod V of each sum in memory. */
// @ts-ignore: decorator
@inline function scalarRow<T, P, G>(z: usize, gr: usize, nv: i32, t: i32, a: T, kr: T): void {
  const V = lanes<T>();
  memory.fill(ACC, 0, 32);
  for (let k = 0; k < nv; k++) {
    const lane = <usize>(k & (V - 1)) << alignof<T>();
    const h = k == t ? <T>0 : shinge<T>(a + load<T>(at<T>(z, k)));
    store<T>(ACC + lane, load<T>(ACC + lane) + (isInteger<P>() ? h * h : h));
    if (isInteger<G>()) {
      const d: T = isInteger<P>() ? h + h : <T>(h > 0);
      store<T>(ACC + 16 + lane, load<T>(ACC + 16 + lane) + d);
      store<T>(at<T>(gr, k), kr * d);
    }
  }
}

/** One row with a valid label t: its loss (unweighted by the row), the gradient written scaled by kr per unit of dh. */
// @ts-ignore: decorator
@inline function marginRow<T, P, G>(z: usize, gr: usize, C: i32, t: i32, m: T, q: T, kr: T): T {
  const nv = C < LANES_BELOW ? 0 : C & ~(lanes<T>() - 1);
  const a = m - load<T>(at<T>(z, t)); // read first: the gradient may overwrite the row (out may be pred)
  let s: T = 0;
  let d: T = 0;
  if (nv > 0) {
    if (ASC_FEATURE_SIMD) vectorRow<T, P, G>(z, gr, nv, t, a, kr);
    else scalarRow<T, P, G>(z, gr, nv, t, a, kr);
    s = combineSum<T>(ACC);
    d = combineSum<T>(ACC + 16);
  }
  for (let k = nv; k < C; k++) {
    const h = k == t ? <T>0 : shinge<T>(a + load<T>(at<T>(z, k)));
    s += isInteger<P>() ? h * h : h;
    if (isInteger<G>()) {
      const dk: T = isInteger<P>() ? h + h : <T>(h > 0);
      d += dk;
      store<T>(at<T>(gr, k), kr * dk);
    }
  }
  if (isInteger<G>()) store<T>(at<T>(gr, t), -(kr * d));
  return s * q;
}

/** Lane j: the label of row r + j, as the lane type of the mask (i32 for float32, i64 for float64). */
// @ts-ignore: decorator
@inline function labelLanes<T>(y: usize, r: i32): v128 {
  if (sizeof<T>() == 4) return v128.load(y + (<usize>r << 2));
  return i64x2.replace_lane(i64x2.splat(<i64>load<i32>(y + (<usize>r << 2))), 1, <i64>load<i32>(y + (<usize>(r + 1) << 2)));
}

/** Lane j: element t_j of row j of the group (the label's score, its class weight), through ACC. */
// @ts-ignore: decorator
@inline function atLabels<T>(base: usize, rb: usize, y: usize, r: i32): v128 {
  for (let j = 0; j < lanes<T>(); j++) {
    store<T>(at<T>(ACC + 32, j), load<T>(at<T>(base + <usize>j * rb, load<i32>(y + (<usize>(r + j) << 2)))));
  }
  return v128.load(ACC + 32);
}

/**
 * V rows r… (valid labels) in the lanes: each lane computes what marginRow computes for its row with
 * nv = 0, in the same order. The rows' weighted losses left at ROW_LOSS.
 */
// @ts-ignore: decorator
@inline function marginLanes<T, P, G>(r: i32, C: i32, rb: usize, y: usize, z: usize, gr: usize, cw: usize, wv: v128, m: T,
                                      scale: T): void {
  const tv = labelLanes<T>(y, r);
  const a = v128.sub<T>(v128.splat<T>(m), atLabels<T>(z, rb, y, r));
  const q = v128.div<T>(atLabels<T>(cw, 0, y, r), v128.splat<T>(<T>C));
  const kr = v128.mul<T>(v128.mul<T>(v128.splat<T>(scale), wv), q);
  const step = sizeof<T>() == 4 ? i32x4.splat(1) : i64x2.splat(1);
  let kv = vzero();
  let vs = vzero();
  let vd = vzero();
  for (let k = 0; k < C; k++) {
    const x = v128.add<T>(a, gather<T>(at<T>(z, k), rb));
    const mask = sizeof<T>() == 4 ? i32x4.eq(kv, tv) : i64x2.eq(kv, tv);
    kv = sizeof<T>() == 4 ? i32x4.add(kv, step) : i64x2.add(kv, step);
    const h = v128.andnot(v128.pmax<T>(x, vzero()), mask);
    vs = v128.add<T>(vs, isInteger<P>() ? v128.mul<T>(h, h) : h);
    if (isInteger<G>()) {
      const d = isInteger<P>() ? v128.add<T>(h, h) : v128.and(v128.gt<T>(h, vzero()), vone<T>());
      vd = v128.add<T>(vd, d);
      scatter<T>(at<T>(gr, k), rb, v128.mul<T>(kr, d));
    }
  }
  if (isInteger<G>()) {
    v128.store(ACC + 32, v128.neg<T>(v128.mul<T>(kr, vd)));
    for (let j = 0; j < lanes<T>(); j++) {
      store<T>(at<T>(gr + <usize>j * rb, load<i32>(y + (<usize>(r + j) << 2))), load<T>(at<T>(ACC + 32, j)));
    }
  }
  v128.store(ROW_LOSS, v128.mul<T>(v128.mul<T>(vs, q), wv));
}

/** Whether the V labels from row r are all in [0, C). */
// @ts-ignore: decorator
@inline function validLabels<T>(y: usize, r: i32, C: i32): bool {
  let ok = true;
  for (let j = 0; j < lanes<T>(); j++) {
    const t = load<i32>(y + (<usize>(r + j) << 2));
    ok = ok && t >= 0 && t < C;
  }
  return ok;
}

function multiMargin<T, P, G>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, scale: f64,
                              margin: f64, flags: i32): i32 {
  const storing = (flags & MODE_LOSSES) != 0;
  const weighted = (flags & MODE_WEIGHTED) != 0;
  const accuracy = (flags & MODE_ACCURACY) != 0;
  const rb = <usize>C << alignof<T>();
  const m = <T>margin;
  let total: f64 = 0;
  setResult<f64>(RESULT_CORRECT, 0);
  setResult<f64>(RESULT_COUNTED, 0);
  let r = 0;
  if (ASC_FEATURE_SIMD && C < LANES_BELOW) {
    const V = lanes<T>();
    for (; r + V <= rows && validLabels<T>(y, r, C); r += V) {
      const z = p + <usize>r * rb;
      if (accuracy) {
        for (let j = 0; j < V; j++) {
          countLabel<T>(z + <usize>j * rb, load<i32>(y + (<usize>(r + j) << 2)), C, weighted ? load<T>(at<T>(w, r + j)) : <T>1);
        }
      }
      const wv = weighted ? v128.load(at<T>(w, r)) : vone<T>();
      marginLanes<T, P, G>(r, C, rb, y, z, g + <usize>r * rb, cw, wv, m, <T>scale);
      if (storing) v128.store(at<T>(lo, r), v128.load(ROW_LOSS));
      for (let j = 0; j < V; j++) total += <f64>load<T>(at<T>(ROW_LOSS, j));
    }
  }
  for (; r < rows; r++) {
    const t = load<i32>(y + (<usize>r << 2));
    if (t < 0 || t >= C) {
      setResult<i32>(RESULT_ARGUMENT, ARGUMENT_TARGET);
      return r;
    }
    const z = p + <usize>r * rb;
    const wr: T = weighted ? load<T>(at<T>(w, r)) : <T>1;
    if (accuracy) countLabel<T>(z, t, C, wr);
    const q = load<T>(at<T>(cw, t)) / <T>C;
    const l = marginRow<T, P, G>(z, g + <usize>r * rb, C, t, m, q, <T>scale * wr * q) * wr;
    total += <f64>l;
    if (storing) store<T>(at<T>(lo, r), l);
  }
  setResult<f64>(RESULT_SUM, total);
  return -1;
}

function multiMarginModes<T>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, scale: f64,
                             margin: f64, power: f64, mode: i32): i32 {
  if (power == 2) {
    if (mode & MODE_GRAD) return multiMargin<T, On, On>(rows, C, y, p, w, lo, g, cw, scale, margin, mode);
    return multiMargin<T, On, Off>(rows, C, y, p, w, lo, g, cw, scale, margin, mode);
  }
  if (mode & MODE_GRAD) return multiMargin<T, Off, On>(rows, C, y, p, w, lo, g, cw, scale, margin, mode);
  return multiMargin<T, Off, Off>(rows, C, y, p, w, lo, g, cw, scale, margin, mode);
}

// Kernel ABI ('terms'): (rows, C, labels, pred, weights, losses, grad, classWeights: byte offsets;
// gradient scale, margin, p, mode bits) → -1 or the row of the first bad label; Σ w·l at RESULT_SUM.
export function multiMargin_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, k: f64,
                                margin: f64, power: f64, mode: i32): i32 {
  return multiMarginModes<f32>(rows, C, y, p, w, lo, g, cw, k, margin, power, mode);
}
export function multiMargin_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, k: f64,
                                margin: f64, power: f64, mode: i32): i32 {
  return multiMarginModes<f64>(rows, C, y, p, w, lo, g, cw, k, margin, power, mode);
}
