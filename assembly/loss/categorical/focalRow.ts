// The softmax focal loss of one row (focal.ts: the formula and the switches D, S, Q, G), row-major:
// SIMD across the classes of the row for C ≥ LANES_BELOW, then its tail one element at a time (every
// class below LANES_BELOW, as each lane of focalLanes.ts does). The scalar build's twin
// of each vector pass keeps V strided accumulators in memory (ACC) and combines them in the same
// order, so both builds agree bit for bit.

import { ARGUMENT_TARGET, RESULT_ARGUMENT } from "../../abi";
import { ACC, LANES_BELOW, ROW_LOSS, at, combineSum, countDense, countLabel, firstBadTarget, vzero } from "../../kernel/classification";
import { lanes, setResult, sparam, vone, vparam } from "../../kernel/shared";
import { slog, slog1p } from "../../math";
import { TERMS, sterm, vterm } from "./focalTerms";
import { P_A, P_B, P_SCALE } from "./params";
import { rowMax } from "./softmaxRow";
import { sexpq, vexpq } from "./softmaxTerms";

/** Row scalars the passes share: log-sum-exp, 1/s, u at the max. */
const ROW: usize = memory.data(32, 16);

/** One row: ignored (sparse), checked, its loss left at ROW_LOSS and its gradient written. -1, or the index of the first bad element. */
export function focalRow<T, D, S, Q, G>(r: i32, C: i32, rb: usize, y: usize, p: usize, w: usize, g: usize, cw: usize,
                                        ignoring: bool, ignore: i32, weighted: bool, accuracy: bool): i32 {
  const z = p + <usize>r * rb;
  const gr = g + <usize>r * rb;
  const wr: T = weighted ? load<T>(at<T>(w, r)) : <T>1;
  let t = 0;
  if (!isInteger<D>()) {
    t = load<i32>(y + (<usize>r << 2));
    if (ignoring && t == ignore) {
      if (isInteger<G>()) memory.fill(gr, 0, rb);
      store<T>(ROW_LOSS, 0);
      return -1;
    }
    if (t < 0 || t >= C) {
      setResult<i32>(RESULT_ARGUMENT, ARGUMENT_TARGET);
      return r;
    }
  }
  const yr = isInteger<D>() ? y + <usize>r * rb : 0;
  if (accuracy) {
    if (isInteger<D>()) countDense<T>(z, yr, C, wr);
    else countLabel<T>(z, t, C, wr);
  }
  const nv = C < LANES_BELOW ? 0 : C & ~(lanes<T>() - 1);
  const m = rowMax<T>(z, C, nv);
  const zt: T = isInteger<D>() ? <T>0 : load<T>(at<T>(z, t)); // before the gradient may overwrite it
  const stored = !isInteger<D>() && !isInteger<S>() && isInteger<G>(); // e^d in the gradient's place
  const kept = isInteger<G>() && !stored && gr != z && gr != yr; // b_k in the gradient's place, unless that is z or y itself
  rowScalars<T>(z, gr, C, nv, m, stored);
  let loss: T = 0;
  let lo: T = 0; // Σ b_k below the max, and at it (p → 1 there: kept apart, see termGrad)
  let top: T = 0;
  if (isInteger<D>() || isInteger<S>()) {
    const bad = termSums<T, D, Q>(z, yr, cw, C, nv, m, kept ? gr : 0);
    if (isInteger<D>() && bad) return firstBadTarget<T>(r, 1, C, y);
    loss = load<T>(ACC);
    lo = load<T>(ACC + 16);
    top = load<T>(ACC + 32);
  }
  let bt: T = 0;
  if (!isInteger<D>()) {
    const at_ = sparam<T>(P_A) * load<T>(at<T>(cw, t));
    bt = at_ * sterm<T, Q>(zt - m, load<T>(ROW), load<T>(ROW + 8), load<T>(ROW + 16));
    loss += at_ * load<T>(TERMS);
    if (zt - m == 0) top += bt;
    else lo += bt;
  }
  store<T>(ROW_LOSS, loss * wr);
  if (isInteger<G>()) {
    const kr = sparam<T>(P_SCALE) * wr;
    if (stored) storedGrad<T>(gr, C, nv, t, -bt * load<T>(ROW + 8), kr, bt * load<T>(TERMS + 32));
    else {
      termGrad<T, D, Q>(z, yr, cw, gr, C, nv, m, lo, top, kr, kept);
      if (!isInteger<D>()) labelGrad<T, Q>(zt - m, scoef<T, D>(cw, yr, t), bt, gr, t, lo, top, kr);
    }
  }
  return -1;
}

/** Sparse with smoothing: the label's element again, its b the smoothing's and the label's own together. */
// @ts-ignore: decorator
@inline function labelGrad<T, Q>(d: T, c: T, bt: T, gr: usize, t: i32, lo: T, top: T, kr: T): void {
  const b = c * sterm<T, Q>(d, load<T>(ROW), load<T>(ROW + 8), load<T>(ROW + 16)) + bt;
  store<T>(at<T>(gr, t), kr * gradAt<T>(b, load<T>(TERMS + 16), load<T>(TERMS + 32), d == 0, lo, top));
}

/**
 * g = b − p·Σb; at the max, where p → 1, as b·u − p·(Σ below + (Σ at − b)) (= the same, without the
 * cancellation of b − p·b: Σ at − b is exactly 0 for a unique max).
 */
// @ts-ignore: decorator
@inline function gradAt<T>(b: T, p: T, u: T, atMax: bool, lo: T, top: T): T {
  return select<T>(b * u - p * (lo + (top - b)), b - p * (lo + top), atMax);
}
// @ts-ignore: decorator
@inline export function vgradAt<T>(b: v128, p: v128, u: v128, atMax: v128, lo: v128, top: v128): v128 {
  const near1 = v128.sub<T>(v128.mul<T>(b, u), v128.mul<T>(p, v128.add<T>(lo, v128.sub<T>(top, b))));
  return v128.bitselect(near1, v128.sub<T>(b, v128.mul<T>(p, v128.add<T>(lo, top))), atMax);
}

/** Pass 2: n₀ and Σ (the exponentials stored in the gradient's place when `stored`), then lse, 1/s and u at the max at ROW. */
// @ts-ignore: decorator
@inline function rowScalars<T>(z: usize, gr: usize, C: i32, nv: i32, m: T, stored: bool): void {
  let lo: T = 0;
  let n0: T = 0;
  if (nv > 0) {
    if (ASC_FEATURE_SIMD) vectorCounts<T>(z, gr, nv, m, stored);
    else scalarCounts<T>(z, gr, nv, m, stored);
    lo = combineSum<T>(ACC);
    n0 = combineSum<T>(ACC + 16);
  }
  for (let i = nv; i < C; i++) {
    const d = load<T>(at<T>(z, i)) - m;
    const e = sexpq<T>(d);
    lo += select<T>(0, e, d == 0);
    n0 += select<T>(1, 0, d == 0);
    if (stored) store<T>(at<T>(gr, i), e);
  }
  const s = n0 + lo;
  const inv = <T>1 / s;
  store<T>(ROW, n0 == 1 ? slog1p<T>(lo) : slog<T>(s));
  store<T>(ROW + 8, inv);
  store<T>(ROW + 16, (n0 - 1 + lo) * inv);
}

// @ts-ignore: decorator
@inline function vectorCounts<T>(z: usize, gr: usize, nv: i32, m: T, stored: bool): void {
  const V = lanes<T>();
  const vm = v128.splat<T>(m);
  let vlo = vzero();
  let vn = vlo;
  for (let k = 0; k < nv; k += V) {
    const d = v128.sub<T>(v128.load(at<T>(z, k)), vm);
    const e = vexpq<T>(d);
    const top = v128.eq<T>(d, vzero());
    vlo = v128.add<T>(vlo, v128.andnot(e, top));
    vn = v128.add<T>(vn, v128.and(vone<T>(), top));
    if (stored) v128.store(at<T>(gr, k), e);
  }
  v128.store(ACC, vlo);
  v128.store(ACC + 16, vn);
}

// @ts-ignore: decorator
@inline function scalarCounts<T>(z: usize, gr: usize, nv: i32, m: T, stored: bool): void {
  const V = lanes<T>();
  for (let j = 0; j < V; j++) {
    store<T>(at<T>(ACC, j), 0);
    store<T>(at<T>(ACC + 16, j), 0);
  }
  for (let k = 0; k < nv; k += V) {
    for (let j = 0; j < V; j++) {
      const d = load<T>(at<T>(z, k + j)) - m;
      const e = sexpq<T>(d);
      store<T>(at<T>(ACC, j), load<T>(at<T>(ACC, j)) + select<T>(0, e, d == 0));
      store<T>(at<T>(ACC + 16, j), load<T>(at<T>(ACC + 16, j)) + select<T>(1, 0, d == 0));
      if (stored) store<T>(at<T>(gr, k + j), e);
    }
  }
}

/** c_k: α_k ỹ_k (dense), α_k·α_s/C (sparse, the label's own part apart). */
// @ts-ignore: decorator
@inline function scoef<T, D>(cw: usize, yr: usize, k: i32): T {
  if (isInteger<D>()) return load<T>(at<T>(cw, k)) * (load<T>(at<T>(yr, k)) * sparam<T>(P_A) + sparam<T>(P_B));
  return load<T>(at<T>(cw, k)) * sparam<T>(P_B);
}
// @ts-ignore: decorator
@inline function vcoef<T, D>(cw: usize, yr: usize, k: i32): v128 {
  if (isInteger<D>()) {
    const smoothed = v128.add<T>(v128.mul<T>(v128.load(at<T>(yr, k)), vparam(P_A)), vparam(P_B));
    return v128.mul<T>(v128.load(at<T>(cw, k)), smoothed);
  }
  return v128.mul<T>(v128.load(at<T>(cw, k)), vparam(P_B));
}

/** Pass 3: Σ c_k·H_k (the loss) at ACC, Σ b_k below the max at ACC + 16 and at it at ACC + 32; true if a dense target is outside [0, 1]. */
function termSums<T, D, Q>(z: usize, yr: usize, cw: usize, C: i32, nv: i32, m: T, gb: usize): bool {
  const lse = load<T>(ROW), inv = load<T>(ROW + 8), umax = load<T>(ROW + 16);
  let loss: T = 0;
  let lo: T = 0;
  let top: T = 0;
  let bad = false;
  if (nv > 0) {
    if (ASC_FEATURE_SIMD) bad = vectorTermSums<T, D, Q>(z, yr, cw, nv, m, gb);
    else bad = scalarTermSums<T, D, Q>(z, yr, cw, nv, m, gb);
    loss = combineSum<T>(ACC);
    lo = combineSum<T>(ACC + 16);
    top = combineSum<T>(ACC + 32);
  }
  for (let i = nv; i < C; i++) {
    if (isInteger<D>()) {
      const yk = load<T>(at<T>(yr, i));
      bad = bad || !(yk >= 0 && yk <= 1);
    }
    const c = scoef<T, D>(cw, yr, i);
    const d = load<T>(at<T>(z, i)) - m;
    const b = c * sterm<T, Q>(d, lse, inv, umax);
    loss += c * load<T>(TERMS);
    lo += select<T>(0, b, d == 0);
    top += select<T>(b, 0, d == 0);
    if (gb) store<T>(at<T>(gb, i), b);
  }
  store<T>(ACC, loss);
  store<T>(ACC + 16, lo);
  store<T>(ACC + 32, top);
  return bad;
}

// @ts-ignore: decorator
@inline function vectorTermSums<T, D, Q>(z: usize, yr: usize, cw: usize, nv: i32, m: T, gb: usize): bool {
  const V = lanes<T>();
  const vm = v128.splat<T>(m);
  const lse = v128.splat<T>(load<T>(ROW)), inv = v128.splat<T>(load<T>(ROW + 8)), umax = v128.splat<T>(load<T>(ROW + 16));
  let vl = vzero();
  let vlo = vl;
  let vtop = vl;
  let vbad = vl;
  for (let k = 0; k < nv; k += V) {
    if (isInteger<D>()) {
      const yk = v128.load(at<T>(yr, k));
      vbad = v128.or(vbad, v128.not(v128.and(v128.ge<T>(yk, vzero()), v128.le<T>(yk, vone<T>()))));
    }
    const c = vcoef<T, D>(cw, yr, k);
    const d = v128.sub<T>(v128.load(at<T>(z, k)), vm);
    const b = v128.mul<T>(c, vterm<T, Q>(d, lse, inv, umax));
    const atMax = v128.eq<T>(d, vzero());
    vl = v128.add<T>(vl, v128.mul<T>(c, v128.load(TERMS)));
    vlo = v128.add<T>(vlo, v128.andnot(b, atMax));
    vtop = v128.add<T>(vtop, v128.and(b, atMax));
    if (gb) v128.store(at<T>(gb, k), b);
  }
  v128.store(ACC, vl);
  v128.store(ACC + 16, vlo);
  v128.store(ACC + 32, vtop);
  return v128.any_true(vbad);
}

// @ts-ignore: decorator
@inline function scalarTermSums<T, D, Q>(z: usize, yr: usize, cw: usize, nv: i32, m: T, gb: usize): bool {
  const V = lanes<T>();
  const lse = load<T>(ROW), inv = load<T>(ROW + 8), umax = load<T>(ROW + 16);
  let bad = false;
  for (let j = 0; j < V; j++) {
    store<T>(at<T>(ACC, j), 0);
    store<T>(at<T>(ACC + 16, j), 0);
    store<T>(at<T>(ACC + 32, j), 0);
  }
  for (let k = 0; k < nv; k += V) {
    for (let j = 0; j < V; j++) {
      if (isInteger<D>()) {
        const yk = load<T>(at<T>(yr, k + j));
        bad = bad || !(yk >= 0 && yk <= 1);
      }
      const c = scoef<T, D>(cw, yr, k + j);
      const d = load<T>(at<T>(z, k + j)) - m;
      const b = c * sterm<T, Q>(d, lse, inv, umax);
      store<T>(at<T>(ACC, j), load<T>(at<T>(ACC, j)) + c * load<T>(TERMS));
      store<T>(at<T>(ACC + 16, j), load<T>(at<T>(ACC + 16, j)) + select<T>(0, b, d == 0));
      store<T>(at<T>(ACC + 32, j), load<T>(at<T>(ACC + 32, j)) + select<T>(b, 0, d == 0));
      if (gb) store<T>(at<T>(gb, k + j), b);
    }
  }
  return bad;
}

/**
 * Pass 4: g_k = kr·gradAt(c_k·F_k, …), written in each element's place; b_k = c_k·F_k as pass 3 left
 * it there when `kept`, else recomputed from z. (u enters gradAt only at the max, where it is umax.)
 */
function termGrad<T, D, Q>(z: usize, yr: usize, cw: usize, gr: usize, C: i32, nv: i32, m: T, lo: T, top: T, kr: T, kept: bool): void {
  const lse = load<T>(ROW), inv = load<T>(ROW + 8), umax = load<T>(ROW + 16);
  const V = lanes<T>();
  if (ASC_FEATURE_SIMD) {
    const vm = v128.splat<T>(m), vlo = v128.splat<T>(lo), vtop = v128.splat<T>(top), vk = v128.splat<T>(kr);
    const vlse = v128.splat<T>(lse), vinv = v128.splat<T>(inv), vumax = v128.splat<T>(umax);
    for (let k = 0; k < nv; k += V) {
      const d = v128.sub<T>(v128.load(at<T>(z, k)), vm);
      let b: v128;
      let p: v128;
      if (kept) {
        b = v128.load(at<T>(gr, k));
        p = v128.mul<T>(vexpq<T>(d), vinv);
      } else {
        b = v128.mul<T>(vcoef<T, D>(cw, yr, k), vterm<T, Q>(d, vlse, vinv, vumax));
        p = v128.load(TERMS + 16);
      }
      const g = vgradAt<T>(b, p, vumax, v128.eq<T>(d, vzero()), vlo, vtop);
      v128.store(at<T>(gr, k), v128.mul<T>(vk, g));
    }
  } else {
    for (let k = 0; k < nv; k++) termGradAt<T, D, Q>(z, yr, cw, gr, k, m, lo, top, kr, lse, inv, umax, kept);
  }
  for (let i = nv; i < C; i++) termGradAt<T, D, Q>(z, yr, cw, gr, i, m, lo, top, kr, lse, inv, umax, kept);
}

// @ts-ignore: decorator
@inline function termGradAt<T, D, Q>(z: usize, yr: usize, cw: usize, gr: usize, k: i32, m: T, lo: T, top: T, kr: T, lse: T, inv: T,
                                     umax: T, kept: bool): void {
  const d = load<T>(at<T>(z, k)) - m;
  let b: T;
  let p: T;
  if (kept) {
    b = load<T>(at<T>(gr, k));
    p = sexpq<T>(d) * inv;
  } else {
    b = scoef<T, D>(cw, yr, k) * sterm<T, Q>(d, lse, inv, umax);
    p = load<T>(TERMS + 16);
  }
  store<T>(at<T>(gr, k), kr * gradAt<T>(b, p, umax, d == 0, lo, top));
}

/** Sparse without smoothing: g_k = kr·e_k·q from the exponentials in the gradient's place; the label's b_t·u_t (= b_t − p_t·b_t) last. */
// @ts-ignore: decorator
@inline function storedGrad<T>(gr: usize, C: i32, nv: i32, t: i32, q: T, kr: T, gt: T): void {
  const V = lanes<T>();
  if (ASC_FEATURE_SIMD) {
    const vq = v128.splat<T>(q), vk = v128.splat<T>(kr);
    for (let k = 0; k < nv; k += V) v128.store(at<T>(gr, k), v128.mul<T>(vk, v128.mul<T>(v128.load(at<T>(gr, k)), vq)));
  } else {
    for (let k = 0; k < nv; k++) store<T>(at<T>(gr, k), kr * (load<T>(at<T>(gr, k)) * q));
  }
  for (let i = nv; i < C; i++) store<T>(at<T>(gr, i), kr * (load<T>(at<T>(gr, i)) * q));
  store<T>(at<T>(gr, t), kr * gt);
}
