// Multi-class losses and metrics: an example is one row of C values (kernel/rowwise.ts: layouts).
//
// Softmax cross-entropy, sparse (an i32 label per row) or dense (a target row), with class weights
// w_k and label smoothing α (ỹ = (1 − α)y + α/C), per row in the working dtype:
//   m = max z, d_k = z_k − m, s = Σ e^{d_k}, c_k = w_k ỹ_k
//   l = (Σ c_k)·log s − Σ c_k d_k                       (= −Σ c_k log softmax(z)_k, never overflows)
//   dl/dz_j = p_j Σ c_k − c_j = e^{d_j}·(Σ c_k / s) − c_j
// The exponentials are stored in the gradient's place by the pass that sums them and scaled by
// the next: one exp per element. Σ c_k d_k sums products already scaled by α/C, so that it does not
// overflow where the loss itself does not (float32 logits of 1e37 with smoothing).

import { vlog, slog } from "../math";
import { exp64, exp64x2, expNonPositive32, expNonPositive32x4 } from "../math/exp";
import { setParam, sparam, vparam, vone, lanes, ARGUMENT_TARGET, ARGUMENT_PRED } from "../kernel/shared";
import {
  LANES_BELOW, ROW_SUM, ROW_SUM2, ROW_CORRECT, ROW_COUNTED, ROW_ARGUMENT, BUF_Z, BUF_E, BUF_C, ACC,
  gather, scatter, laneTotal, vzero, combineSum, combineMax, spmax, argmax, rankOf,
} from "../kernel/rowwise";

export const MODE_GRAD: i32 = 1;
export const MODE_WEIGHTED: i32 = 2;
export const MODE_LOSSES: i32 = 4;
export const MODE_ACCURACY: i32 = 8;
export const MODE_SMOOTH: i32 = 16;
/** Dense only: add Σ y log y per row (KL divergence from logits: KL(P‖softmax z) = CE(P, z) + Σ P log P). */
export const MODE_ENTROPY: i32 = 32;
/** Sparse: rows whose label is `ignore` are skipped (without it every i32 label is checked). */
export const MODE_IGNORE: i32 = 64;

type On = i32;
type Off = f32;

// Parameter slots (shared.ts PARAMS).
const P_A = 0;      // 1 − α
const P_B = 1;      // α / C
const P_WSUM = 2;   // Σ w_k (sparse with smoothing)
const P_SCALE = 3;  // gradient scale (1 / denominator for 'mean')

// Per-call state of the row loop (one kernel runs at a time).
let total: f64 = 0;
let correct: f64 = 0;
let counted: f64 = 0;
let badIndex: i32 = -1;
/** MODE_LOSSES: per-row losses stored (a flag read at run time: one store per row, not a loop copy). */
let storing = false;
/** Lane j: byte offset of row j's target class in a transposed buffer (lanes layout, sparse). */
const TARGETS: usize = memory.data(16, 16);

// @ts-ignore: decorator
@inline function at<T>(base: usize, k: i32): usize {
  return base + (<usize>k << alignof<T>());
}

// e^d, d ≤ 0 (or NaN), for the softmax: float32 without exp's two correction terms (expQuick32x4's bits: 1.05 ulp
// where exp32x4 has 0.81, exhaustive audit; the row's loss and gradient are held to 2e-5), float64 as
// is. With the two running maxima below: sparse softmax CE C = 1000 withGrad +10–18% (interleaved A/B).
// @ts-ignore: decorator
@inline function vexpq<T>(d: v128): v128 { return sizeof<T>() == 4 ? expNonPositive32x4(d) : exp64x2(d); }
// @ts-ignore: decorator
@inline function sexpq<T>(d: T): T { return sizeof<T>() == 4 ? <T>expNonPositive32(<f32>d) : <T>exp64(<f64>d); }

/**
 * D: dense targets (else i32 labels); LS: sparse: smoothing (every class weight enters); dense: the
 * entropy term Σ y log y (0·log 0 = 0) is added;
 * G: write the gradient (per-row losses: `storing`, read at run time).
 */
function softmaxCE<T, D, LS, G>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize,
                                   scale: f64, alpha: f64, ignore: i32, flags: i32): i32 {
  setParam<T>(P_A, 1 - alpha);
  setParam<T>(P_B, alpha / <f64>C);
  if (!isInteger<D>() && isInteger<LS>()) { // (C loads per call: the wrapper calls once per chunk of rows)
    let wsum: f64 = 0;
    for (let k = 0; k < C; k++) wsum += <f64>load<T>(at<T>(cw, k));
    setParam<T>(P_WSUM, wsum);
  }
  setParam<T>(P_SCALE, scale);
  total = 0;
  correct = 0;
  counted = 0;
  const weighted = (flags & MODE_WEIGHTED) != 0;
  const accuracy = (flags & MODE_ACCURACY) != 0;
  const ignoring = (flags & MODE_IGNORE) != 0;
  storing = (flags & MODE_LOSSES) != 0;
  const rb = <usize>C << alignof<T>();
  let r = 0;
  if (ASC_FEATURE_SIMD) {
    if (C < LANES_BELOW) {
      const V = lanes<T>();
      for (; r + V <= rows; r += V) {
        let plain = true;
        if (!isInteger<D>()) {
          for (let j = 0; j < V; j++) {
            const t = load<i32>(y + ((<usize>(r + j)) << 2));
            plain = plain && t >= 0 && t < C && !(ignoring && t == ignore);
          }
        }
        if (plain) {
          if (!group<T, D, LS, G>(r, C, rb, y, p, w, lo, g, cw, weighted, accuracy)) return badIndex;
        } else {
          for (let j = 0; j < V; j++) {
            if (!oneRow<T, D, LS, G>(r + j, C, rb, y, p, w, lo, g, cw, ignoring, ignore, weighted, accuracy)) return badIndex;
          }
        }
      }
    }
  }
  for (; r < rows; r++) {
    if (!oneRow<T, D, LS, G>(r, C, rb, y, p, w, lo, g, cw, ignoring, ignore, weighted, accuracy)) return badIndex;
  }
  store<f64>(ROW_SUM, total);
  store<f64>(ROW_CORRECT, correct);
  store<f64>(ROW_COUNTED, counted);
  return -1;
}

function fail(argument: i32, index: i32): bool {
  store<i32>(ROW_ARGUMENT, argument);
  badIndex = index;
  return false;
}

/** First target element of rows [r, r + n) outside [0, 1] (dense targets). */
function firstBadTarget<T>(r: i32, n: i32, C: i32, y: usize): bool {
  for (let i = r * C; i < (r + n) * C; i++) {
    const v = load<T>(at<T>(y, i));
    if (!(v >= 0 && v <= 1)) return fail(ARGUMENT_TARGET, i);
  }
  return true;
}

/** One row: ignored (sparse), checked, then the lanes twin (C < LANES_BELOW) or row-major. */
function oneRow<T, D, LS, G>(r: i32, C: i32, rb: usize, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize,
                                ignoring: bool, ignore: i32, weighted: bool, accuracy: bool): bool {
  const z = p + <usize>r * rb;
  const gr = g + <usize>r * rb;
  const wr: T = weighted ? load<T>(at<T>(w, r)) : <T>1;
  let t = 0;
  if (!isInteger<D>()) {
    t = load<i32>(y + (<usize>r << 2));
    if (ignoring && t == ignore) {
      if (isInteger<G>()) memory.fill(gr, 0, rb);
      if (storing) store<T>(at<T>(lo, r), 0);
      return true;
    }
    if (t < 0 || t >= C) return fail(ARGUMENT_TARGET, r);
  }
  const yr = isInteger<D>() ? y + <usize>r * rb : 0;
  if (accuracy) {
    const hit = isInteger<D>() ? argmax<T>(z, C) == argmax<T>(yr, C) : argmax<T>(z, C) == t;
    correct += <f64>wr * <f64>hit;
    counted += <f64>wr;
  }
  // Pass 1: the row's max.
  let m: T;
  const V = lanes<T>();
  const nv = C < LANES_BELOW ? 0 : C & ~(V - 1);
  let i = nv;
  if (nv > 0) {
    // Two running maxima (alternate vectors), so that the loop is not one chain of dependent pmax.
    let k = V;
    if (ASC_FEATURE_SIMD) {
      let vm = v128.load(z);
      let vm2 = vm;
      for (; k + V < nv; k += 2 * V) {
        vm = v128.pmax<T>(vm, v128.load(at<T>(z, k)));
        vm2 = v128.pmax<T>(vm2, v128.load(at<T>(z, k + V)));
      }
      if (k < nv) vm = v128.pmax<T>(vm, v128.load(at<T>(z, k)));
      v128.store(ACC, v128.pmax<T>(vm, vm2));
    } else {
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
    m = combineMax<T>(ACC);
  } else {
    m = load<T>(z);
    i = 1;
  }
  for (; i < C; i++) m = spmax<T>(m, load<T>(at<T>(z, i)));
  // Read before pass 2, which may overwrite the row (out may be pred itself).
  const zt: T = isInteger<D>() ? <T>0 : load<T>(at<T>(z, t));
  // Pass 2: s = Σ e^{d}, and the coefficient sums; e^{d} into the gradient's place.
  let s: T = 0;
  let sc: T = 0;
  let tt: T = 0;
  let ent: T = 0;
  let bad = false;
  if (nv > 0) {
    if (ASC_FEATURE_SIMD) {
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
          if (isInteger<LS>()) vent = v128.add<T>(vent, ylogy<T>(yk));
        } else if (isInteger<LS>()) {
          vtt = v128.add<T>(vtt, v128.mul<T>(v128.mul<T>(vparam(P_B), v128.load(at<T>(cw, k))), d));
        }
        if (isInteger<G>()) v128.store(at<T>(gr, k), e);
      }
      bad = v128.any_true(vbad);
      v128.store(ACC, vs);
      v128.store(ACC + 16, vsc);
      v128.store(ACC + 32, vtt);
      v128.store(ACC + 48, vent);
    } else {
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
            if (isInteger<LS>()) store<T>(at<T>(ACC + 48, j), load<T>(at<T>(ACC + 48, j)) + sylogy<T>(yk));
          } else if (isInteger<LS>()) {
            store<T>(at<T>(ACC + 32, j), load<T>(at<T>(ACC + 32, j)) + (sparam<T>(P_B) * load<T>(at<T>(cw, k + j))) * d);
          }
          if (isInteger<G>()) store<T>(at<T>(gr, k + j), e);
        }
      }
    }
    s = combineSum<T>(ACC);
    sc = combineSum<T>(ACC + 16);
    tt = combineSum<T>(ACC + 32);
    ent = combineSum<T>(ACC + 48);
  }
  for (i = nv; i < C; i++) {
    const d = load<T>(at<T>(z, i)) - m;
    const e = sexpq<T>(d);
    s += e;
    if (isInteger<D>()) {
      const yk = load<T>(at<T>(yr, i));
      bad = bad || !(yk >= 0 && yk <= 1);
      const c = load<T>(at<T>(cw, i)) * (yk * sparam<T>(P_A) + sparam<T>(P_B));
      sc += c;
      tt += c * d;
      if (isInteger<LS>()) ent += sylogy<T>(yk);
    } else if (isInteger<LS>()) {
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
    if (isInteger<LS>()) l = l + ent;
  } else {
    const dt = zt - m;
    const at_ = sparam<T>(P_A) * load<T>(at<T>(cw, t));
    if (isInteger<LS>()) {
      sc = at_ + sparam<T>(P_B) * sparam<T>(P_WSUM);
      l = sc * lse - (at_ * dt + tt);
      ct = sparam<T>(P_B) * load<T>(at<T>(cw, t)) + at_;
    } else {
      sc = at_;
      l = sc * lse - at_ * dt;
      ct = at_;
    }
  }
  l = l * wr;
  total += <f64>l;
  if (storing) store<T>(at<T>(lo, r), l);
  if (isInteger<G>()) {
    const q = sc / s;
    const kr = sparam<T>(P_SCALE) * wr;
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
          } else if (isInteger<LS>()) {
            v = v128.mul<T>(vk, v128.sub<T>(v128.mul<T>(e, vq), v128.mul<T>(vparam(P_B), v128.load(at<T>(cw, k)))));
          } else {
            v = v128.mul<T>(vk, v128.mul<T>(e, vq));
          }
          v128.store(at<T>(gr, k), v);
        }
      } else {
        for (let k = 0; k < nv; k++) store<T>(at<T>(gr, k), gradOf<T, D, LS>(load<T>(at<T>(gr, k)), q, kr, k, yr, cw));
      }
    }
    for (i = nv; i < C; i++) store<T>(at<T>(gr, i), gradOf<T, D, LS>(load<T>(at<T>(gr, i)), q, kr, i, yr, cw));
    if (!isInteger<D>()) store<T>(at<T>(gr, t), kr * (et * q - ct));
  }
  return true;
}

/** One gradient element from its exponential e: the scalar form of the vector lines above. */
// @ts-ignore: decorator
@inline function gradOf<T, D, LS>(e: T, q: T, kr: T, k: i32, yr: usize, cw: usize): T {
  if (isInteger<D>()) {
    const c = load<T>(at<T>(cw, k)) * (load<T>(at<T>(yr, k)) * sparam<T>(P_A) + sparam<T>(P_B));
    return kr * (e * q - c);
  } else if (isInteger<LS>()) {
    return kr * (e * q - sparam<T>(P_B) * load<T>(at<T>(cw, k)));
  }
  return kr * (e * q);
}

/** V rows r… in the V lanes (SIMD build, C < LANES_BELOW, every label valid and not ignored). */
function group<T, D, LS, G>(r: i32, C: i32, rb: usize, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize,
                               weighted: bool, accuracy: bool): bool {
  const V = lanes<T>();
  const size = <usize>sizeof<T>();
  const z = p + <usize>r * rb;
  const gr = g + <usize>r * rb;
  const yr = isInteger<D>() ? y + <usize>r * rb : 0;
  const wv = weighted ? v128.load(at<T>(w, r)) : vone<T>();
  if (accuracy) {
    for (let j = 0; j < V; j++) {
      const row = z + <usize>j * rb;
      const hit = isInteger<D>() ? argmax<T>(row, C) == argmax<T>(yr + <usize>j * rb, C)
                                 : argmax<T>(row, C) == load<i32>(y + (<usize>(r + j) << 2));
      const wj: f64 = weighted ? <f64>load<T>(at<T>(w, r + j)) : 1;
      correct += wj * <f64>hit;
      counted += wj;
    }
  }
  // Transpose: BUF_Z[k] holds class k of the V rows. Pass 1: the max.
  let vm = gather<T>(z, rb);
  v128.store(BUF_Z, vm);
  for (let k = 1; k < C; k++) {
    const v = gather<T>(at<T>(z, k), rb);
    v128.store(BUF_Z + (<usize>k << 4), v);
    vm = v128.pmax<T>(vm, v);
  }
  // Pass 2.
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
      if (isInteger<LS>()) vent = v128.add<T>(vent, ylogy<T>(yk));
      if (isInteger<G>()) v128.store(BUF_C + (<usize>k << 4), c);
    } else if (isInteger<LS>()) {
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
    if (isInteger<LS>()) l = v128.add<T>(l, vent);
  } else {
    // Per lane: its row's label t, z_t and w_t (lane by lane through memory: lane indices must be constants).
    for (let j = 0; j < V; j++) {
      const t = load<i32>(y + (<usize>(r + j) << 2));
      const off = (<usize>t << 4) + <usize>j * size;
      store<i32>(TARGETS + (<usize>j << 2), <i32>off);
      store<T>(at<T>(ACC + 64, j), load<T>(BUF_Z + off));
      store<T>(at<T>(ACC + 80, j), load<T>(at<T>(cw, t)));
    }
    const zt = v128.load(ACC + 64);
    const wt = v128.load(ACC + 80);
    const dt = v128.sub<T>(zt, vm);
    const a = v128.mul<T>(vparam(P_A), wt);
    if (isInteger<LS>()) {
      vsc = v128.add<T>(a, v128.mul<T>(vparam(P_B), vparam(P_WSUM)));
      l = v128.sub<T>(v128.mul<T>(vsc, lse), v128.add<T>(v128.mul<T>(a, dt), vtt));
      ct = v128.add<T>(v128.mul<T>(vparam(P_B), wt), a);
    } else {
      vsc = a;
      l = v128.sub<T>(v128.mul<T>(vsc, lse), v128.mul<T>(a, dt));
      ct = a;
    }
  }
  l = v128.mul<T>(l, wv);
  v128.store(ACC, l);
  total += laneTotal<T>(ACC);
  if (storing) v128.store(at<T>(lo, r), l);
  if (isInteger<G>()) {
    const q = v128.div<T>(vsc, vs);
    const kr = v128.mul<T>(vparam(P_SCALE), wv);
    for (let k = 0; k < C; k++) {
      const e = v128.load(BUF_E + (<usize>k << 4));
      let v: v128;
      if (isInteger<D>()) {
        v = v128.mul<T>(kr, v128.sub<T>(v128.mul<T>(e, q), v128.load(BUF_C + (<usize>k << 4))));
      } else if (isInteger<LS>()) {
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
  return true;
}

/** y log y, 0 where y = 0 (vector, and its scalar twin). */
// @ts-ignore: decorator
@inline function ylogy<T>(y: v128): v128 {
  return v128.and(v128.mul<T>(y, vlog<T>(y)), v128.gt<T>(y, vzero()));
}
// @ts-ignore: decorator
@inline function sylogy<T>(y: T): T {
  return select<T>(y * slog<T>(y), 0, y > 0);
}

function softmaxCEModes<T, D>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize,
                              scale: f64, alpha: f64, ignore: i32, mode: i32): i32 {
  const smooth = (mode & (isInteger<D>() ? MODE_ENTROPY : MODE_SMOOTH)) != 0;
  switch ((mode & MODE_GRAD) | (smooth ? 8 : 0)) {
    case 0: return softmaxCE<T, D, Off, Off>(rows, C, y, p, w, lo, g, cw, scale, alpha, ignore, mode);
    case 1: return softmaxCE<T, D, Off, On>(rows, C, y, p, w, lo, g, cw, scale, alpha, ignore, mode);
    case 8: return softmaxCE<T, D, On, Off>(rows, C, y, p, w, lo, g, cw, scale, alpha, ignore, mode);
    default: return softmaxCE<T, D, On, On>(rows, C, y, p, w, lo, g, cw, scale, alpha, ignore, mode);
  }
}

// Row-wise kernel ABI: (rows, C, target or labels, pred, weights, losses, grad, classWeights: byte
// offsets; gradient scale, α, ignoreIndex, mode bits) → -1 or the index of the first bad element
// (labels: the row), argument code at ROW_ARGUMENT; Σ w·l at ROW_SUM, accuracy at ROW_CORRECT / ROW_COUNTED.
export function sparse_softmax_ce_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, k: f64, a: f64, ignore: i32, mode: i32): i32 { return softmaxCEModes<f32, Off>(rows, C, y, p, w, lo, g, cw, k, a, ignore, mode); }
export function sparse_softmax_ce_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, k: f64, a: f64, ignore: i32, mode: i32): i32 { return softmaxCEModes<f64, Off>(rows, C, y, p, w, lo, g, cw, k, a, ignore, mode); }
export function softmax_ce_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, k: f64, a: f64, ignore: i32, mode: i32): i32 { return softmaxCEModes<f32, On>(rows, C, y, p, w, lo, g, cw, k, a, ignore, mode); }
export function softmax_ce_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, k: f64, a: f64, ignore: i32, mode: i32): i32 { return softmaxCEModes<f64, On>(rows, C, y, p, w, lo, g, cw, k, a, ignore, mode); }

// Denominators of a class-weighted or ignoring 'mean', computed before the loss pass that needs
// 1/denominator to scale the gradient: ROW_SUM2 = Σ w_row·d_row, ROW_COUNTED = Σ w_row over the rows
// that count (accuracy's denominator).

/** Sparse: d = w[label], 0 for ignored rows; checks the labels. */
function sparseDenominator<T>(rows: i32, C: i32, y: usize, w: usize, cw: usize, ignore: i32, flags: i32): i32 {
  const weighted = (flags & MODE_WEIGHTED) != 0;
  const ignoring = (flags & MODE_IGNORE) != 0;
  let d: f64 = 0;
  let n: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const t = load<i32>(y + (<usize>r << 2));
    if (ignoring && t == ignore) continue;
    if (t < 0 || t >= C) {
      store<i32>(ROW_ARGUMENT, ARGUMENT_TARGET);
      return r;
    }
    const wr: f64 = weighted ? <f64>load<T>(at<T>(w, r)) : 1;
    d += wr * <f64>load<T>(at<T>(cw, t));
    n += wr;
  }
  store<f64>(ROW_SUM2, d);
  store<f64>(ROW_COUNTED, n);
  return -1;
}

/** Dense: d = Σ_k w_k y_k; checks the targets. */
function denseDenominator<T>(rows: i32, C: i32, y: usize, w: usize, cw: usize, weighted: i32): i32 {
  let d: f64 = 0;
  for (let r = 0; r < rows; r++) {
    let row: f64 = 0;
    for (let k = 0; k < C; k++) {
      const i = r * C + k;
      const v = load<T>(at<T>(y, i));
      if (!(v >= 0 && v <= 1)) {
        store<i32>(ROW_ARGUMENT, ARGUMENT_TARGET);
        return i;
      }
      row += <f64>load<T>(at<T>(cw, k)) * <f64>v;
    }
    d += (weighted ? <f64>load<T>(at<T>(w, r)) : 1) * row;
  }
  store<f64>(ROW_SUM2, d);
  return -1;
}

export function sparse_denominator_f32(rows: i32, C: i32, y: usize, w: usize, cw: usize, ignore: i32, mode: i32): i32 { return sparseDenominator<f32>(rows, C, y, w, cw, ignore, mode); }
export function sparse_denominator_f64(rows: i32, C: i32, y: usize, w: usize, cw: usize, ignore: i32, mode: i32): i32 { return sparseDenominator<f64>(rows, C, y, w, cw, ignore, mode); }
export function dense_denominator_f32(rows: i32, C: i32, y: usize, w: usize, cw: usize, weighted: i32): i32 { return denseDenominator<f32>(rows, C, y, w, cw, weighted); }
export function dense_denominator_f64(rows: i32, C: i32, y: usize, w: usize, cw: usize, weighted: i32): i32 { return denseDenominator<f64>(rows, C, y, w, cw, weighted); }

// Metrics: per row 1 if right else 0 (times the row weight), Σ at ROW_SUM; the same ABI as the
// losses, without gradient. argmax: the first index of the largest value, a NaN counting as the
// largest (as NumPy and PyTorch do).

/** K = 0: dense targets, argmax(pred) = argmax(target). Labels: K = 1 is argmax(pred) = label; K > 1 top-K. */
function metric<T>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, K: i32, dense: bool, mode: i32): i32 {
  const rb = <usize>C << alignof<T>();
  const weighted = (mode & MODE_WEIGHTED) != 0;
  const losses = (mode & MODE_LOSSES) != 0;
  let sum: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const z = p + <usize>r * rb;
    let hit: bool;
    if (dense) {
      const yr = y + <usize>r * rb;
      for (let k = 0; k < C; k++) {
        const v = load<T>(at<T>(yr, k));
        if (!(v >= 0 && v <= 1)) {
          store<i32>(ROW_ARGUMENT, ARGUMENT_TARGET);
          return r * C + k;
        }
      }
      hit = argmax<T>(z, C) == argmax<T>(yr, C);
    } else {
      const t = load<i32>(y + (<usize>r << 2));
      if (t < 0 || t >= C) {
        store<i32>(ROW_ARGUMENT, ARGUMENT_TARGET);
        return r;
      }
      hit = K == 1 ? argmax<T>(z, C) == t : rankOf<T>(z, C, t) < K;
    }
    const v: T = (weighted ? load<T>(at<T>(w, r)) : <T>1) * <T>hit;
    if (losses) store<T>(at<T>(lo, r), v);
    sum += <f64>v;
  }
  store<f64>(ROW_SUM, sum);
  return -1;
}

export function categorical_accuracy_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, mode: i32): i32 { return metric<f32>(rows, C, y, p, w, lo, 0, true, mode); }
export function categorical_accuracy_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, mode: i32): i32 { return metric<f64>(rows, C, y, p, w, lo, 0, true, mode); }
export function topk_accuracy_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, K: i32, mode: i32): i32 { return metric<f32>(rows, C, y, p, w, lo, K, false, mode); }
export function topk_accuracy_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, K: i32, mode: i32): i32 { return metric<f64>(rows, C, y, p, w, lo, K, false, mode); }

// Losses on probabilities whose row is a plain sum of per-element terms: each element's term and
// its derivative (a vector form and a scalar twin with the same operations in the same order), summed
// per row with V strided lanes (the scalar build: V accumulators in memory, combined alike).

const P_EPS = 4;
const P_NEG = 5; // −1

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

/** min(max(p, ε), 1) as one lane of pmin(pmax(p, ε), 1) (a NaN p stays NaN). */
// @ts-ignore: decorator
@inline function clampUnit<T>(p: T): T {
  const eps = sparam<T>(P_EPS);
  const lo = select<T>(eps, p, p < eps);
  return select<T>(<T>1, lo, <T>1 < lo);
}

function rowSum<T, L, G>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, scale: f64, eps: f64, flags: i32): i32 {
  const op = changetype<L>(0);
  storing = (flags & MODE_LOSSES) != 0;
  setParam<T>(P_EPS, eps);
  setParam<T>(P_NEG, -1);
  setParam<T>(P_SCALE, scale);
  const weighted = (flags & MODE_WEIGHTED) != 0;
  const accuracy = (flags & MODE_ACCURACY) != 0;
  const V = lanes<T>();
  const nv = C & ~(V - 1);
  const rb = <usize>C << alignof<T>();
  let sum: f64 = 0;
  correct = 0;
  counted = 0;
  for (let r = 0; r < rows; r++) {
    const yr = y + <usize>r * rb;
    const pr = p + <usize>r * rb;
    const gr = g + <usize>r * rb;
    const wr: T = weighted ? load<T>(at<T>(w, r)) : <T>1;
    if (accuracy) countHit<T>(pr, yr, C, wr); // before the gradient may overwrite pred
    const kr = sparam<T>(P_SCALE) * wr;
    let s: T = 0;
    let bad = false;
    if (nv > 0) {
      if (ASC_FEATURE_SIMD) {
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
        bad = v128.any_true(vbad);
        v128.store(ACC, acc);
      } else {
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
      }
      s = combineSum<T>(ACC);
    }
    for (let k = nv; k < C; k++) {
      const yk = load<T>(at<T>(yr, k));
      const pk = load<T>(at<T>(pr, k));
      bad = bad || !(yk >= 0 && yk <= 1);
      s += op.sloss<T>(yk, pk);
      if (isInteger<G>()) store<T>(at<T>(gr, k), kr * op.sgrad<T>(yk, pk));
    }
    if (bad) {
      firstBadTarget<T>(r, 1, C, y);
      return badIndex;
    }
    const l = s * wr;
    sum += <f64>l;
    if (storing) store<T>(at<T>(lo, r), l);
  }
  store<f64>(ROW_SUM, sum);
  store<f64>(ROW_CORRECT, correct);
  store<f64>(ROW_COUNTED, counted);
  return -1;
}

/** Accuracy of a dense row: argmax(pred) = argmax(target). */
function countHit<T>(pr: usize, yr: usize, C: i32, wr: T): void {
  correct += <f64>wr * <f64>(argmax<T>(pr, C) == argmax<T>(yr, C));
  counted += <f64>wr;
}

/**
 * max(0, 1 + max_{k≠t} ŷ_k − ŷ_t), t = argmax of the target row (its one-hot class); gradient −1 at t
 * and +1 at the first largest other class, also at the kink (PyTorch's active side); 0 for C = 1.
 * Scalar in both builds: one compare per element and no transcendental.
 */
function hinge<T, G>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, scale: f64, flags: i32): i32 {
  storing = (flags & MODE_LOSSES) != 0;
  const weighted = (flags & MODE_WEIGHTED) != 0;
  const accuracy = (flags & MODE_ACCURACY) != 0;
  const rb = <usize>C << alignof<T>();
  let sum: f64 = 0;
  correct = 0;
  counted = 0;
  for (let r = 0; r < rows; r++) {
    const yr = y + <usize>r * rb;
    const pr = p + <usize>r * rb;
    const gr = g + <usize>r * rb;
    for (let k = 0; k < C; k++) {
      const v = load<T>(at<T>(yr, k));
      if (!(v >= 0 && v <= 1)) {
        store<i32>(ROW_ARGUMENT, ARGUMENT_TARGET);
        return r * C + k;
      }
    }
    const wr: T = weighted ? load<T>(at<T>(w, r)) : <T>1;
    if (accuracy) countHit<T>(pr, yr, C, wr);
    const t = argmax<T>(yr, C);
    // The first largest prediction among the other classes.
    let j = -1;
    let neg: T = 0;
    for (let k = 0; k < C; k++) {
      if (k == t) continue;
      const v = load<T>(at<T>(pr, k));
      if (j < 0 || v > neg || (v != v && neg == neg)) {
        neg = v;
        j = k;
      }
    }
    let l: T = 0;
    const margin = j >= 0 ? (<T>1 + neg) - load<T>(at<T>(pr, t)) : <T>0; // read before the row is zeroed (out may be pred)
    if (isInteger<G>()) memory.fill(gr, 0, rb);
    if (j >= 0) {
      const active = margin >= 0;
      l = select<T>(margin, 0, active || margin != margin);
      if (isInteger<G>() && (active || margin != margin)) {
        const kr = <T>scale * wr;
        store<T>(at<T>(gr, j), margin == margin ? kr : margin);
        store<T>(at<T>(gr, t), margin == margin ? -kr : margin);
      }
    }
    l = l * wr;
    sum += <f64>l;
    if (storing) store<T>(at<T>(lo, r), l);
  }
  store<f64>(ROW_SUM, sum);
  store<f64>(ROW_CORRECT, correct);
  store<f64>(ROW_COUNTED, counted);
  return -1;
}

function rowSumModes<T, L>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, scale: f64, eps: f64, mode: i32): i32 {
  if (mode & MODE_GRAD) return rowSum<T, L, On>(rows, C, y, p, w, lo, g, scale, eps, mode);
  return rowSum<T, L, Off>(rows, C, y, p, w, lo, g, scale, eps, mode);
}

function hingeModes<T>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, scale: f64, mode: i32): i32 {
  if (mode & MODE_GRAD) return hinge<T, On>(rows, C, y, p, w, lo, g, scale, mode);
  return hinge<T, Off>(rows, C, y, p, w, lo, g, scale, mode);
}

// ABI of the probability losses: (rows, C, target, pred, weights, losses, grad: byte offsets; gradient
// scale, ε, mode) → -1 or the index of the first target element outside [0, 1].
export function categorical_ce_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, eps: f64, mode: i32): i32 { return rowSumModes<f32, CategoricalCE>(rows, C, y, p, w, lo, g, k, eps, mode); }
export function categorical_ce_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, eps: f64, mode: i32): i32 { return rowSumModes<f64, CategoricalCE>(rows, C, y, p, w, lo, g, k, eps, mode); }
export function kl_divergence_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, eps: f64, mode: i32): i32 { return rowSumModes<f32, KlDivergence>(rows, C, y, p, w, lo, g, k, eps, mode); }
export function kl_divergence_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, eps: f64, mode: i32): i32 { return rowSumModes<f64, KlDivergence>(rows, C, y, p, w, lo, g, k, eps, mode); }
export function categorical_hinge_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, eps: f64, mode: i32): i32 { return hingeModes<f32>(rows, C, y, p, w, lo, g, k, mode); }
export function categorical_hinge_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, eps: f64, mode: i32): i32 { return hingeModes<f64>(rows, C, y, p, w, lo, g, k, mode); }
