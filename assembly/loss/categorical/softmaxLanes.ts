// Softmax cross-entropy of V rows at once in the lanes layout (kernel/classification.ts; SIMD build,
// C < LANES_BELOW): the rows are transposed on the fly so that lane j walks row r + j, and each
// row's max and sums become plain vertical operations. Each lane computes what softmaxRow.ts
// computes for its row, in the same order (its scalar twin).

import {
  ACC, BUF_C, BUF_E, BUF_Z, ROW_LOSS, argmax, at, countRow, firstBadTarget, gather, scatter, vzero,
} from "../../kernel/classification";
import { lanes, vone, vparam } from "../../kernel/shared";
import { vlog } from "../../math";
import { P_A, P_B, P_SCALE, P_WSUM } from "./params";
import { vexpq, ylogy } from "./softmaxTerms";

/** Lane j: byte offset of row j's target class in a transposed buffer (sparse). */
export const TARGETS: usize = memory.data(16, 16);

/**
 * V rows r… in the V lanes, every label valid and not ignored: their losses left at ROW_LOSS, -1
 * returned, or the index of the first bad target element.
 */
export function softmaxLanes<T, D, S, E, G>(r: i32, C: i32, rb: usize, y: usize, p: usize, w: usize, g: usize, cw: usize,
                                            weighted: bool, accuracy: bool): i32 {
  const V = lanes<T>();
  const z = p + <usize>r * rb;
  const gr = g + <usize>r * rb;
  const yr = isInteger<D>() ? y + <usize>r * rb : 0;
  const wv = weighted ? v128.load(at<T>(w, r)) : vone<T>();
  if (accuracy) countGroup<T, D>(r, C, rb, y, z, yr, w, weighted);
  const vm = transposeMax<T>(z, C, rb);
  // Pass 2: Σ e^d, Σ c, Σ c·d and Σ y log y of each row; e^d (and the dense c) kept for the gradient.
  let vs = v128.splat<T>(0);
  let vsc = vs;
  let vtt = vs;
  let vent = vs;
  let vbad = vs;
  for (let k = 0; k < C; k++) {
    const d = v128.sub<T>(v128.load(BUF_Z + (<usize>k << 4)), vm);
    const e = vexpq<T>(d);
    vs = v128.add<T>(vs, e);
    if (isInteger<D>()) {
      const yk = gather<T>(at<T>(yr, k), rb);
      vbad = v128.or(vbad, v128.not(v128.and(v128.ge<T>(yk, vzero()), v128.le<T>(yk, vone<T>()))));
      const c = v128.mul<T>(v128.load_splat<T>(at<T>(cw, k)), v128.add<T>(v128.mul<T>(yk, vparam(P_A)), vparam(P_B)));
      vsc = v128.add<T>(vsc, c);
      vtt = v128.add<T>(vtt, v128.mul<T>(c, d));
      if (isInteger<E>()) vent = v128.add<T>(vent, ylogy<T>(yk));
      if (isInteger<G>()) v128.store(BUF_C + (<usize>k << 4), c);
    } else if (isInteger<S>()) {
      vtt = v128.add<T>(vtt, v128.mul<T>(v128.mul<T>(vparam(P_B), v128.load_splat<T>(at<T>(cw, k))), d));
    }
    if (isInteger<G>()) v128.store(BUF_E + (<usize>k << 4), e);
  }
  if (isInteger<D>() && v128.any_true(vbad)) return firstBadTarget<T>(r, V, C, y);
  const lse = vlog<T>(vs);
  let l: v128;
  let ct = vs;
  if (isInteger<D>()) {
    l = v128.sub<T>(v128.mul<T>(vsc, lse), vtt);
    if (isInteger<E>()) l = v128.add<T>(l, vent);
  } else {
    gatherTargets<T>(r, y, cw);
    const zt = v128.load(ACC + 64);
    const wt = v128.load(ACC + 80);
    const dt = v128.sub<T>(zt, vm);
    const a = v128.mul<T>(vparam(P_A), wt);
    if (isInteger<S>()) {
      vsc = v128.add<T>(a, v128.mul<T>(vparam(P_B), vparam(P_WSUM)));
      l = v128.sub<T>(v128.mul<T>(vsc, lse), v128.add<T>(v128.mul<T>(a, dt), vtt));
      ct = v128.add<T>(v128.mul<T>(vparam(P_B), wt), a);
    } else {
      vsc = a;
      l = v128.sub<T>(v128.mul<T>(vsc, lse), v128.mul<T>(a, dt));
      ct = a;
    }
  }
  v128.store(ROW_LOSS, v128.mul<T>(l, wv));
  if (isInteger<G>()) lanesGrad<T, D, S>(r, C, rb, y, gr, cw, v128.div<T>(vsc, vs), v128.mul<T>(vparam(P_SCALE), wv), ct);
  return -1;
}

/** Accuracy of the V rows, in row order. */
export function countGroup<T, D>(r: i32, C: i32, rb: usize, y: usize, z: usize, yr: usize, w: usize, weighted: bool): void {
  for (let j = 0; j < lanes<T>(); j++) {
    const row = z + <usize>j * rb;
    const hit = isInteger<D>() ? argmax<T>(row, C) == argmax<T>(yr + <usize>j * rb, C)
                               : argmax<T>(row, C) == load<i32>(y + (<usize>(r + j) << 2));
    countRow(hit, weighted ? <f64>load<T>(at<T>(w, r + j)) : 1);
  }
}

/** Transpose (buf[k], BUF_Z unless given, holds class k of the V rows) and pass 1: the max of each row. */
// @ts-ignore: decorator
@inline export function transposeMax<T>(z: usize, C: i32, rb: usize, buf: usize = BUF_Z): v128 {
  let vm = gather<T>(z, rb);
  v128.store(buf, vm);
  for (let k = 1; k < C; k++) {
    const v = gather<T>(at<T>(z, k), rb);
    v128.store(buf + (<usize>k << 4), v);
    vm = v128.pmax<T>(vm, v);
  }
  return vm;
}

/** Per lane: its row's label t, z_t and w_t at ACC + 64 and ACC + 80 (lane by lane through memory: lane indices must be constants). */
// @ts-ignore: decorator
@inline export function gatherTargets<T>(r: i32, y: usize, cw: usize): void {
  for (let j = 0; j < lanes<T>(); j++) {
    const t = load<i32>(y + (<usize>(r + j) << 2));
    const off = (<usize>t << 4) + <usize>j * <usize>sizeof<T>();
    store<i32>(TARGETS + (<usize>j << 2), <i32>off);
    store<T>(at<T>(ACC + 64, j), load<T>(BUF_Z + off));
    store<T>(at<T>(ACC + 80, j), load<T>(at<T>(cw, t)));
  }
}

/** The gradient of the V rows: kr·(e·q − c_k) per class, scattered back to row order; the labels' elements last. */
// @ts-ignore: decorator
@inline function lanesGrad<T, D, S>(r: i32, C: i32, rb: usize, y: usize, gr: usize, cw: usize, q: v128, kr: v128, ct: v128): void {
  const V = lanes<T>();
  for (let k = 0; k < C; k++) {
    const e = v128.load(BUF_E + (<usize>k << 4));
    let v: v128;
    if (isInteger<D>()) {
      v = v128.mul<T>(kr, v128.sub<T>(v128.mul<T>(e, q), v128.load(BUF_C + (<usize>k << 4))));
    } else if (isInteger<S>()) {
      v = v128.mul<T>(kr, v128.sub<T>(v128.mul<T>(e, q), v128.mul<T>(vparam(P_B), v128.load_splat<T>(at<T>(cw, k)))));
    } else {
      v = v128.mul<T>(kr, v128.mul<T>(e, q));
    }
    scatter<T>(at<T>(gr, k), rb, v);
  }
  if (!isInteger<D>()) {
    for (let j = 0; j < V; j++) store<T>(at<T>(ACC + 96, j), load<T>(BUF_E + <usize>load<i32>(TARGETS + (<usize>j << 2))));
    const et = v128.load(ACC + 96);
    const gt = v128.mul<T>(kr, v128.sub<T>(v128.mul<T>(et, q), ct));
    v128.store(ACC, gt);
    for (let j = 0; j < V; j++) {
      const t = load<i32>(y + (<usize>(r + j) << 2));
      store<T>(at<T>(gr + <usize>j * rb, t), load<T>(at<T>(ACC, j)));
    }
  }
}
