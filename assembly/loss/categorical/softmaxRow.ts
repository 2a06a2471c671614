// Softmax cross-entropy of one row, row-major: SIMD across the classes of the row for C ≥
// LANES_BELOW (kernel/classification.ts), then the row's tail one element at a time. The scalar build's
// twin of each vector pass keeps V strided accumulators in memory (ACC) and combines them in the
// same order, so both builds agree bit for bit.

import { ARGUMENT_TARGET, RESULT_ARGUMENT } from "../../abi";
import {
  ACC, LANES_BELOW, ROW_LOSS, at, combineMax, combineSum, countDense, countLabel, firstBadTarget, spmax, vzero,
} from "../../kernel/classification";
import { lanes, setResult, sparam, vone, vparam } from "../../kernel/shared";
import { slog } from "../../math";
import { P_A, P_B, P_SCALE, P_WSUM } from "./params";
import { sexpq, sylogy, vexpq, ylogy } from "./softmaxTerms";

/**
 * One row (softmax.ts: the formula and the switches D, S, E, G): ignored (sparse), checked, its
 * loss left at ROW_LOSS and its gradient written. -1, or the index of the first bad element.
 */
export function softmaxRow<T, D, S, E, G>(r: i32, C: i32, rb: usize, y: usize, p: usize, w: usize, g: usize, cw: usize,
                                          ignoring: bool, ignore: i32, weighted: bool, accuracy: bool): i32 {
  const z = p + <usize>r * rb;
  const gr = g + <usize>r * rb;
  const wr: T = weighted ? load<T>(at<T>(w, r)) : <T>1;
  let t = 0;
  if (!isInteger<D>()) {
    t = load<i32>(y + (<usize>r << 2));
    if (ignoring && t == ignore) return ignoredRow<T, G>(rb, gr);
    if (t < 0 || t >= C) return badLabel(r);
  }
  const yr = isInteger<D>() ? y + <usize>r * rb : 0;
  if (accuracy) {
    if (isInteger<D>()) countDense<T>(z, yr, C, wr);
    else countLabel<T>(z, t, C, wr);
  }
  const V = lanes<T>();
  const nv = C < LANES_BELOW ? 0 : C & ~(V - 1);
  const m = rowMax<T>(z, C, nv);
  // Read before pass 2, which may overwrite the row (out may be pred itself).
  const zt: T = isInteger<D>() ? <T>0 : load<T>(at<T>(z, t));
  // Pass 2: s = Σ e^{d}, and the coefficient sums; e^{d} into the gradient's place.
  let s: T = 0;
  let sc: T = 0;
  let tt: T = 0;
  let ent: T = 0;
  let bad = false;
  if (nv > 0) {
    if (ASC_FEATURE_SIMD) bad = vectorSums<T, D, S, E, G>(z, yr, cw, gr, nv, m);
    else bad = scalarSums<T, D, S, E, G>(z, yr, cw, gr, nv, m);
    s = combineSum<T>(ACC);
    sc = combineSum<T>(ACC + 16);
    tt = combineSum<T>(ACC + 32);
    ent = combineSum<T>(ACC + 48);
  }
  for (let i = nv; i < C; i++) {
    const d = load<T>(at<T>(z, i)) - m;
    const e = sexpq<T>(d);
    s += e;
    if (isInteger<D>()) {
      const yk = load<T>(at<T>(yr, i));
      bad = bad || !(yk >= 0 && yk <= 1);
      const c = load<T>(at<T>(cw, i)) * (yk * sparam<T>(P_A) + sparam<T>(P_B));
      sc += c;
      tt += c * d;
      if (isInteger<E>()) ent += sylogy<T>(yk);
    } else if (isInteger<S>()) {
      tt += (sparam<T>(P_B) * load<T>(at<T>(cw, i))) * d;
    }
    if (isInteger<G>()) store<T>(at<T>(gr, i), e);
  }
  if (isInteger<D>() && bad) return firstBadTarget<T>(r, 1, C, y);
  const lse = slog<T>(s);
  let l: T;
  let ct: T = 0;
  if (isInteger<D>()) {
    l = sc * lse - tt;
    if (isInteger<E>()) l = l + ent;
  } else {
    const dt = zt - m;
    const a = sparam<T>(P_A) * load<T>(at<T>(cw, t));
    if (isInteger<S>()) {
      sc = a + sparam<T>(P_B) * sparam<T>(P_WSUM);
      l = sc * lse - (a * dt + tt);
      ct = sparam<T>(P_B) * load<T>(at<T>(cw, t)) + a;
    } else {
      sc = a;
      l = sc * lse - a * dt;
      ct = a;
    }
  }
  store<T>(ROW_LOSS, l * wr);
  if (isInteger<G>()) rowGrad<T, D, S>(gr, yr, cw, nv, C, t, sc / s, sparam<T>(P_SCALE) * wr, ct);
  return -1;
}

/** A row whose label is ignoreIndex: no loss, a zero gradient. */
// @ts-ignore: decorator
@inline function ignoredRow<T, G>(rb: usize, gr: usize): i32 {
  if (isInteger<G>()) memory.fill(gr, 0, rb);
  store<T>(ROW_LOSS, 0);
  return -1;
}

/** A label outside [0, C): the row is the index reported. */
// @ts-ignore: decorator
@inline function badLabel(r: i32): i32 {
  setResult<i32>(RESULT_ARGUMENT, ARGUMENT_TARGET);
  return r;
}

/** Pass 1: the row's max; the first nv classes in V lanes (vectorMax or its twin), then the rest in order. */
// @ts-ignore: decorator
@inline export function rowMax<T>(z: usize, C: i32, nv: i32): T {
  let m: T;
  let i = nv;
  if (nv > 0) {
    if (ASC_FEATURE_SIMD) vectorMax<T>(z, nv);
    else scalarMax<T>(z, nv);
    m = combineMax<T>(ACC);
  } else {
    m = load<T>(z);
    i = 1;
  }
  for (; i < C; i++) m = spmax<T>(m, load<T>(at<T>(z, i)));
  return m;
}

/** Two running maxima (alternate vectors), so that the loop is not one chain of dependent pmax; the lanes left at ACC. */
// @ts-ignore: decorator
@inline function vectorMax<T>(z: usize, nv: i32): void {
  const V = lanes<T>();
  let k = V;
  let vm = v128.load(z);
  let vm2 = vm;
  for (; k + V < nv; k += 2 * V) {
    vm = v128.pmax<T>(vm, v128.load(at<T>(z, k)));
    vm2 = v128.pmax<T>(vm2, v128.load(at<T>(z, k + V)));
  }
  if (k < nv) vm = v128.pmax<T>(vm, v128.load(at<T>(z, k)));
  v128.store(ACC, v128.pmax<T>(vm, vm2));
}

/** vectorMax's scalar twin: the V lanes of both maxima in memory. */
// @ts-ignore: decorator
@inline function scalarMax<T>(z: usize, nv: i32): void {
  const V = lanes<T>();
  let k = V;
  for (let j = 0; j < V; j++) {
    store<T>(at<T>(ACC, j), load<T>(at<T>(z, j)));
    store<T>(at<T>(ACC + 16, j), load<T>(at<T>(z, j)));
  }
  for (; k + V < nv; k += 2 * V) {
    for (let j = 0; j < V; j++) {
      store<T>(at<T>(ACC, j), spmax<T>(load<T>(at<T>(ACC, j)), load<T>(at<T>(z, k + j))));
      store<T>(at<T>(ACC + 16, j), spmax<T>(load<T>(at<T>(ACC + 16, j)), load<T>(at<T>(z, k + V + j))));
    }
  }
  for (let j = 0; j < V; j++) {
    if (k < nv) store<T>(at<T>(ACC, j), spmax<T>(load<T>(at<T>(ACC, j)), load<T>(at<T>(z, k + j))));
    store<T>(at<T>(ACC, j), spmax<T>(load<T>(at<T>(ACC, j)), load<T>(at<T>(ACC + 16, j))));
  }
}

/**
 * Pass 2 over the first nv classes: the lanes of Σ e^d, Σ c, Σ c·d and Σ y log y left at ACC, +16,
 * +32, +48; e^d stored in the gradient's place. True if a dense target is outside [0, 1].
 */
// @ts-ignore: decorator
@inline function vectorSums<T, D, S, E, G>(z: usize, yr: usize, cw: usize, gr: usize, nv: i32, m: T): bool {
  const V = lanes<T>();
  const vm = v128.splat<T>(m);
  let vs = v128.splat<T>(0);
  let vsc = vs;
  let vtt = vs;
  let vent = vs;
  let vbad = vs;
  for (let k = 0; k < nv; k += V) {
    const d = v128.sub<T>(v128.load(at<T>(z, k)), vm);
    const e = vexpq<T>(d);
    vs = v128.add<T>(vs, e);
    if (isInteger<D>()) {
      const yk = v128.load(at<T>(yr, k));
      vbad = v128.or(vbad, v128.not(v128.and(v128.ge<T>(yk, vzero()), v128.le<T>(yk, vone<T>()))));
      const c = v128.mul<T>(v128.load(at<T>(cw, k)), v128.add<T>(v128.mul<T>(yk, vparam(P_A)), vparam(P_B)));
      vsc = v128.add<T>(vsc, c);
      vtt = v128.add<T>(vtt, v128.mul<T>(c, d));
      if (isInteger<E>()) vent = v128.add<T>(vent, ylogy<T>(yk));
    } else if (isInteger<S>()) {
      vtt = v128.add<T>(vtt, v128.mul<T>(v128.mul<T>(vparam(P_B), v128.load(at<T>(cw, k))), d));
    }
    if (isInteger<G>()) v128.store(at<T>(gr, k), e);
  }
  v128.store(ACC, vs);
  v128.store(ACC + 16, vsc);
  v128.store(ACC + 32, vtt);
  v128.store(ACC + 48, vent);
  return v128.any_true(vbad);
}

/** vectorSums' scalar twin. */
// @ts-ignore: decorator
@inline function scalarSums<T, D, S, E, G>(z: usize, yr: usize, cw: usize, gr: usize, nv: i32, m: T): bool {
  const V = lanes<T>();
  let bad = false;
  for (let j = 0; j < V; j++) {
    store<T>(at<T>(ACC, j), 0);
    store<T>(at<T>(ACC + 16, j), 0);
    store<T>(at<T>(ACC + 32, j), 0);
    store<T>(at<T>(ACC + 48, j), 0);
  }
  for (let k = 0; k < nv; k += V) {
    for (let j = 0; j < V; j++) {
      const d = load<T>(at<T>(z, k + j)) - m;
      const e = sexpq<T>(d);
      store<T>(at<T>(ACC, j), load<T>(at<T>(ACC, j)) + e);
      if (isInteger<D>()) {
        const yk = load<T>(at<T>(yr, k + j));
        bad = bad || !(yk >= 0 && yk <= 1);
        const c = load<T>(at<T>(cw, k + j)) * (yk * sparam<T>(P_A) + sparam<T>(P_B));
        store<T>(at<T>(ACC + 16, j), load<T>(at<T>(ACC + 16, j)) + c);
        store<T>(at<T>(ACC + 32, j), load<T>(at<T>(ACC + 32, j)) + c * d);
        if (isInteger<E>()) store<T>(at<T>(ACC + 48, j), load<T>(at<T>(ACC + 48, j)) + sylogy<T>(yk));
      } else if (isInteger<S>()) {
        store<T>(at<T>(ACC + 32, j), load<T>(at<T>(ACC + 32, j)) + (sparam<T>(P_B) * load<T>(at<T>(cw, k + j))) * d);
      }
      if (isInteger<G>()) store<T>(at<T>(gr, k + j), e);
    }
  }
  return bad;
}

/** The gradient row from the exponentials pass 2 left in its place: kr·(e·q − c_k), the label's element last. */
// @ts-ignore: decorator
@inline function rowGrad<T, D, S>(gr: usize, yr: usize, cw: usize, nv: i32, C: i32, t: i32, q: T, kr: T, ct: T): void {
  const V = lanes<T>();
  const et: T = isInteger<D>() ? <T>0 : load<T>(at<T>(gr, t));
  if (nv > 0) {
    if (ASC_FEATURE_SIMD) {
      const vq = v128.splat<T>(q);
      const vk = v128.splat<T>(kr);
      for (let k = 0; k < nv; k += V) {
        const e = v128.load(at<T>(gr, k));
        let v: v128;
        if (isInteger<D>()) {
          const c = v128.mul<T>(v128.load(at<T>(cw, k)), v128.add<T>(v128.mul<T>(v128.load(at<T>(yr, k)), vparam(P_A)), vparam(P_B)));
          v = v128.mul<T>(vk, v128.sub<T>(v128.mul<T>(e, vq), c));
        } else if (isInteger<S>()) {
          v = v128.mul<T>(vk, v128.sub<T>(v128.mul<T>(e, vq), v128.mul<T>(vparam(P_B), v128.load(at<T>(cw, k)))));
        } else {
          v = v128.mul<T>(vk, v128.mul<T>(e, vq));
        }
        v128.store(at<T>(gr, k), v);
      }
    } else {
      for (let k = 0; k < nv; k++) store<T>(at<T>(gr, k), gradOf<T, D, S>(load<T>(at<T>(gr, k)), q, kr, k, yr, cw));
    }
  }
  for (let i = nv; i < C; i++) store<T>(at<T>(gr, i), gradOf<T, D, S>(load<T>(at<T>(gr, i)), q, kr, i, yr, cw));
  if (!isInteger<D>()) store<T>(at<T>(gr, t), kr * (et * q - ct));
}

/** One gradient element from its exponential e: the scalar twin of rowGrad's vector lines. */
// @ts-ignore: decorator
@inline export function gradOf<T, D, S>(e: T, q: T, kr: T, k: i32, yr: usize, cw: usize): T {
  if (isInteger<D>()) {
    const c = load<T>(at<T>(cw, k)) * (load<T>(at<T>(yr, k)) * sparam<T>(P_A) + sparam<T>(P_B));
    return kr * (e * q - c);
  } else if (isInteger<S>()) {
    return kr * (e * q - sparam<T>(P_B) * load<T>(at<T>(cw, k)));
  }
  return kr * (e * q);
}
