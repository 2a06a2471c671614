// Losses on probabilities whose row is a plain sum of per-element terms: each element's term and
// its derivative (a vector form and a scalar twin with the same operations in the same order), summed
// per row with V strided lanes (the scalar build: V accumulators in memory, combined alike).

import { MODE_ACCURACY, MODE_GRAD, MODE_LOSSES, MODE_WEIGHTED, RESULT_CORRECT, RESULT_COUNTED, RESULT_SUM } from "../../abi";
import { ACC, at, combineSum, countDense, firstBadTarget, vzero } from "../../kernel/classification";
import { Off, On, lanes, setParam, setResult, sparam, vone, vparam } from "../../kernel/shared";
import { slog, vlog } from "../../math";
import { P_EPS, P_NEG, P_SCALE } from "./params";

/** −y·log p, p clamped to [ε, 1] (not renormalised); d/dp = −y / p at the clamped p. */
@unmanaged class CategoricalCE {
  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, p: v128): v128 {
    const pc = v128.pmin<T>(v128.pmax<T>(p, vparam(P_EPS)), vone<T>());
    return v128.mul<T>(vparam(P_NEG), v128.mul<T>(y, vlog<T>(pc)));
  }
  // @ts-ignore: decorator
  @inline vgrad<T>(y: v128, p: v128): v128 {
    const pc = v128.pmin<T>(v128.pmax<T>(p, vparam(P_EPS)), vone<T>());
    return v128.div<T>(v128.mul<T>(vparam(P_NEG), y), pc);
  }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, p: T): T {
    const pc = clampUnit<T>(p);
    return sparam<T>(P_NEG) * (y * slog<T>(pc));
  }
  // @ts-ignore: decorator
  @inline sgrad<T>(y: T, p: T): T {
    return (sparam<T>(P_NEG) * y) / clampUnit<T>(p);
  }
}

/** P·(log P − log Q), 0 where P = 0, Q clamped to [ε, 1]; d/dQ = −P / Q at the clamped Q. */
@unmanaged class KlDivergence {
  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, p: v128): v128 {
    const qc = v128.pmin<T>(v128.pmax<T>(p, vparam(P_EPS)), vone<T>());
    const t = v128.mul<T>(y, v128.sub<T>(vlog<T>(y), vlog<T>(qc)));
    return v128.and(t, v128.gt<T>(y, vzero())); // 0·log 0 = 0
  }
  // @ts-ignore: decorator
  @inline vgrad<T>(y: v128, p: v128): v128 {
    const qc = v128.pmin<T>(v128.pmax<T>(p, vparam(P_EPS)), vone<T>());
    return v128.div<T>(v128.mul<T>(vparam(P_NEG), y), qc);
  }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, p: T): T {
    const t = y * (slog<T>(y) - slog<T>(clampUnit<T>(p)));
    return select<T>(t, 0, y > 0);
  }
  // @ts-ignore: decorator
  @inline sgrad<T>(y: T, p: T): T {
    return (sparam<T>(P_NEG) * y) / clampUnit<T>(p);
  }
}

/** pmin(pmax(p, ε), 1): p clamped to [ε, 1] (a NaN p stays NaN). */
// @ts-ignore: decorator
@inline export function vclampUnit<T>(p: v128): v128 {
  return v128.pmin<T>(v128.pmax<T>(p, vparam(P_EPS)), vone<T>());
}

/** min(max(p, ε), 1) as one lane of pmin(pmax(p, ε), 1) (a NaN p stays NaN). */
// @ts-ignore: decorator
@inline export function clampUnit<T>(p: T): T {
  const eps = sparam<T>(P_EPS);
  const lo = select<T>(eps, p, p < eps);
  return select<T>(<T>1, lo, <T>1 < lo);
}

/** L: the per-element term (CategoricalCE, KlDivergence); G: write the gradient. */
function rowSum<T, L, G>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, scale: f64, eps: f64, flags: i32): i32 {
  const op = changetype<L>(0);
  const storing = (flags & MODE_LOSSES) != 0;
  setParam<T>(P_EPS, eps);
  setParam<T>(P_NEG, -1);
  setParam<T>(P_SCALE, scale);
  const weighted = (flags & MODE_WEIGHTED) != 0;
  const accuracy = (flags & MODE_ACCURACY) != 0;
  const V = lanes<T>();
  const nv = C & ~(V - 1);
  const rb = <usize>C << alignof<T>();
  let sum: f64 = 0;
  setResult<f64>(RESULT_CORRECT, 0);
  setResult<f64>(RESULT_COUNTED, 0);
  if (isInteger<G>() && g == y) { // out = target: each row's gradient overwrites its targets before they are re-read
    const bad = firstBadTarget<T>(0, rows, C, y);
    if (bad >= 0) return bad;
  }
  for (let r = 0; r < rows; r++) {
    const yr = y + <usize>r * rb;
    const pr = p + <usize>r * rb;
    const gr = g + <usize>r * rb;
    const wr: T = weighted ? load<T>(at<T>(w, r)) : <T>1;
    // before the gradient may overwrite pred
    if (accuracy) countDense<T>(pr, yr, C, wr);
    const kr = sparam<T>(P_SCALE) * wr;
    let s: T = 0;
    let bad = false;
    if (nv > 0) {
      if (ASC_FEATURE_SIMD) bad = vectorTerms<T, L, G>(yr, pr, gr, nv, kr);
      else bad = scalarTerms<T, L, G>(yr, pr, gr, nv, kr);
      s = combineSum<T>(ACC);
    }
    for (let k = nv; k < C; k++) {
      const yk = load<T>(at<T>(yr, k));
      const pk = load<T>(at<T>(pr, k));
      bad = bad || !(yk >= 0 && yk <= 1);
      s += op.sloss<T>(yk, pk);
      if (isInteger<G>()) store<T>(at<T>(gr, k), kr * op.sgrad<T>(yk, pk));
    }
    if (bad) return firstBadTarget<T>(r, 1, C, y);
    const l = s * wr;
    sum += <f64>l;
    if (storing) store<T>(at<T>(lo, r), l);
  }
  setResult<f64>(RESULT_SUM, sum);
  return -1;
}

/** The first nv elements of a row in vectors: the lanes of Σ terms left at ACC, the gradient stored; true if a target is outside [0, 1]. */
// @ts-ignore: decorator
@inline function vectorTerms<T, L, G>(yr: usize, pr: usize, gr: usize, nv: i32, kr: T): bool {
  const op = changetype<L>(0);
  const V = lanes<T>();
  let acc = v128.splat<T>(0);
  let vbad = acc;
  const vk = v128.splat<T>(kr);
  for (let k = 0; k < nv; k += V) {
    const yk = v128.load(at<T>(yr, k));
    const pk = v128.load(at<T>(pr, k));
    vbad = v128.or(vbad, v128.not(v128.and(v128.ge<T>(yk, vzero()), v128.le<T>(yk, vone<T>()))));
    acc = v128.add<T>(acc, op.vloss<T>(yk, pk));
    if (isInteger<G>()) v128.store(at<T>(gr, k), v128.mul<T>(vk, op.vgrad<T>(yk, pk)));
  }
  v128.store(ACC, acc);
  return v128.any_true(vbad);
}

/** vectorTerms' scalar twin. */
// @ts-ignore: decorator
@inline function scalarTerms<T, L, G>(yr: usize, pr: usize, gr: usize, nv: i32, kr: T): bool {
  const op = changetype<L>(0);
  const V = lanes<T>();
  let bad = false;
  for (let j = 0; j < V; j++) store<T>(at<T>(ACC, j), 0);
  for (let k = 0; k < nv; k += V) {
    for (let j = 0; j < V; j++) {
      const yk = load<T>(at<T>(yr, k + j));
      const pk = load<T>(at<T>(pr, k + j));
      bad = bad || !(yk >= 0 && yk <= 1);
      store<T>(at<T>(ACC, j), load<T>(at<T>(ACC, j)) + op.sloss<T>(yk, pk));
      if (isInteger<G>()) store<T>(at<T>(gr, k + j), kr * op.sgrad<T>(yk, pk));
    }
  }
  return bad;
}

function rowSumModes<T, L>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, scale: f64, eps: f64, mode: i32): i32 {
  if (mode & MODE_GRAD) return rowSum<T, L, On>(rows, C, y, p, w, lo, g, scale, eps, mode);
  return rowSum<T, L, Off>(rows, C, y, p, w, lo, g, scale, eps, mode);
}

// Kernel ABI: (rows, C, target, pred, weights, losses, grad: byte offsets; gradient scale, ε, mode)
// → -1 or the index of the first target element outside [0, 1].
export function categoricalCrossEntropy_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, eps: f64,
                                            mode: i32): i32 {
  return rowSumModes<f32, CategoricalCE>(rows, C, y, p, w, lo, g, k, eps, mode);
}
export function categoricalCrossEntropy_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, eps: f64,
                                            mode: i32): i32 {
  return rowSumModes<f64, CategoricalCE>(rows, C, y, p, w, lo, g, k, eps, mode);
}
export function klDivergence_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, eps: f64, mode: i32): i32 {
  return rowSumModes<f32, KlDivergence>(rows, C, y, p, w, lo, g, k, eps, mode);
}
export function klDivergence_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, eps: f64, mode: i32): i32 {
  return rowSumModes<f64, KlDivergence>(rows, C, y, p, w, lo, g, k, eps, mode);
}
