// KL divergence with the target given as log-probabilities y = log P (PyTorch's log_target), per row:
//   term e^y·(y − log Q), 0 where e^y = 0 (y = −∞, or y below exp's range): never −∞·0.
//   Probabilities: log Q = log min(max(q, ε), 1), d/dq = −e^y / q at the clamped q (klDivergence's rule).
//   Logits: d = z − max z, s = Σ e^d, log Q = d − log s; the row is Σ e^y·(y − d) + (Σ e^y)·log s,
//   and d/dz = e^d·(Σ e^y / s) − e^y (the softmax's Jacobian applied to −e^y / Q).
// Each row's sums in V strided lanes (the scalar build: V accumulators in memory, combined alike), so
// both builds agree bit for bit. A target above 0 or NaN is refused; −∞ is P = 0.
// Every gradient element is written after its own target and pred are read, and nothing else
// is read after it: out may be pred or target itself.

import { MODE_ACCURACY, MODE_GRAD, MODE_LOSSES, MODE_WEIGHTED, ARGUMENT_TARGET, RESULT_ARGUMENT, RESULT_CORRECT, RESULT_COUNTED,
  RESULT_SUM } from "../../abi";
import { ACC, ROW_LOSS, at, combineSum, countDense, vzero } from "../../kernel/classification";
import { Off, On, lanes, setParam, setResult, sparam } from "../../kernel/shared";
import { sexp, slog, vexp, vlog } from "../../math";
import { P_EPS, P_SCALE } from "./params";
import { clampUnit, vclampUnit } from "./probability";
import { rowMax } from "./softmaxRow";
import { sexpq, vexpq } from "./softmaxTerms";

/** e^y·(y − log Q), 0 where e^y = 0 (vector, and its scalar twin). */
// @ts-ignore: decorator
@inline function vterm<T>(e: v128, y: v128, logq: v128): v128 {
  return v128.and(v128.mul<T>(e, v128.sub<T>(y, logq)), v128.gt<T>(e, vzero()));
}
// @ts-ignore: decorator
@inline function sterm<T>(e: T, y: T, logq: T): T {
  return select<T>(e * (y - logq), 0, e > 0);
}

/** L: the prediction is logits; G: write the gradient. */
function klLogTarget<T, L, G>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, scale: f64, eps: f64,
                              flags: i32): i32 {
  setParam<T>(P_EPS, eps);
  setParam<T>(P_SCALE, scale);
  const weighted = (flags & MODE_WEIGHTED) != 0;
  const accuracy = (flags & MODE_ACCURACY) != 0;
  const storing = (flags & MODE_LOSSES) != 0;
  const V = lanes<T>();
  const nv = C & ~(V - 1);
  const rb = <usize>C << alignof<T>();
  let sum: f64 = 0;
  setResult<f64>(RESULT_CORRECT, 0);
  setResult<f64>(RESULT_COUNTED, 0);
  for (let r = 0; r < rows; r++) {
    const yr = y + <usize>r * rb;
    const pr = p + <usize>r * rb;
    const gr = g + <usize>r * rb;
    const wr: T = weighted ? load<T>(at<T>(w, r)) : <T>1;
    // before the gradient may overwrite pred
    if (accuracy) countDense<T>(pr, yr, C, wr);
    const kr = sparam<T>(P_SCALE) * wr;
    const bad = isInteger<L>() ? logitsRow<T, G>(yr, pr, gr, C, nv, kr) : probabilityRow<T, G>(yr, pr, gr, C, nv, kr);
    if (bad) return firstBadLogTarget<T>(r, C, y);
    const l = load<T>(ROW_LOSS) * wr;
    sum += <f64>l;
    if (storing) store<T>(at<T>(lo, r), l);
  }
  setResult<f64>(RESULT_SUM, sum);
  return -1;
}

/** One row on probabilities: its loss left at ROW_LOSS, its gradient written; true if a target is not ≤ 0. */
// @ts-ignore: decorator
@inline function probabilityRow<T, G>(yr: usize, pr: usize, gr: usize, C: i32, nv: i32, kr: T): bool {
  let s: T = 0;
  let bad = false;
  if (nv > 0) {
    if (ASC_FEATURE_SIMD) bad = vectorProbability<T, G>(yr, pr, gr, nv, kr);
    else bad = scalarProbability<T, G>(yr, pr, gr, nv, kr);
    s = combineSum<T>(ACC);
  }
  for (let k = nv; k < C; k++) {
    const yk = load<T>(at<T>(yr, k));
    const qc = clampUnit<T>(load<T>(at<T>(pr, k)));
    const e = sexp<T>(yk);
    bad = bad || !(yk <= 0);
    s += sterm<T>(e, yk, slog<T>(qc));
    if (isInteger<G>()) store<T>(at<T>(gr, k), kr * (-e / qc));
  }
  store<T>(ROW_LOSS, s);
  return bad;
}

/** The first nv elements of a probability row in vectors: the lanes of Σ terms left at ACC. */
// @ts-ignore: decorator
@inline function vectorProbability<T, G>(yr: usize, pr: usize, gr: usize, nv: i32, kr: T): bool {
  const V = lanes<T>();
  let acc = v128.splat<T>(0);
  let vbad = acc;
  const vk = v128.splat<T>(kr);
  for (let k = 0; k < nv; k += V) {
    const yk = v128.load(at<T>(yr, k));
    const qc = vclampUnit<T>(v128.load(at<T>(pr, k)));
    const e = vexp<T>(yk);
    vbad = v128.or(vbad, v128.not(v128.le<T>(yk, vzero())));
    acc = v128.add<T>(acc, vterm<T>(e, yk, vlog<T>(qc)));
    if (isInteger<G>()) v128.store(at<T>(gr, k), v128.mul<T>(vk, v128.div<T>(v128.neg<T>(e), qc)));
  }
  v128.store(ACC, acc);
  return v128.any_true(vbad);
}

/** vectorProbability's scalar twin. */
// @ts-ignore: decorator
@inline function scalarProbability<T, G>(yr: usize, pr: usize, gr: usize, nv: i32, kr: T): bool {
  const V = lanes<T>();
  let bad = false;
  for (let j = 0; j < V; j++) store<T>(at<T>(ACC, j), 0);
  for (let k = 0; k < nv; k += V) {
    for (let j = 0; j < V; j++) {
      const yk = load<T>(at<T>(yr, k + j));
      const qc = clampUnit<T>(load<T>(at<T>(pr, k + j)));
      const e = sexp<T>(yk);
      bad = bad || !(yk <= 0);
      store<T>(at<T>(ACC, j), load<T>(at<T>(ACC, j)) + sterm<T>(e, yk, slog<T>(qc)));
      if (isInteger<G>()) store<T>(at<T>(gr, k + j), kr * (-e / qc));
    }
  }
  return bad;
}

/**
 * One row on logits: max, then Σ e^d, Σ e^y and Σ e^y·(y − d) in one pass, then the gradient from
 * them (e^d and e^y again: nothing is kept in the gradient's place, which may be the target's).
 */
// @ts-ignore: decorator
@inline function logitsRow<T, G>(yr: usize, z: usize, gr: usize, C: i32, nv: i32, kr: T): bool {
  const m = rowMax<T>(z, C, nv);
  let s: T = 0;
  let sp: T = 0;
  let a: T = 0;
  let bad = false;
  if (nv > 0) {
    if (ASC_FEATURE_SIMD) bad = vectorLogitSums<T>(yr, z, nv, m);
    else bad = scalarLogitSums<T>(yr, z, nv, m);
    s = combineSum<T>(ACC);
    sp = combineSum<T>(ACC + 16);
    a = combineSum<T>(ACC + 32);
  }
  for (let k = nv; k < C; k++) {
    const yk = load<T>(at<T>(yr, k));
    const d = load<T>(at<T>(z, k)) - m;
    const e = sexp<T>(yk);
    bad = bad || !(yk <= 0);
    s += sexpq<T>(d);
    sp += e;
    a += sterm<T>(e, yk, d);
  }
  store<T>(ROW_LOSS, a + sp * slog<T>(s));
  if (isInteger<G>()) logitsGrad<T>(yr, z, gr, C, nv, m, sp / s, kr);
  return bad;
}

/** Σ e^d, Σ e^y, Σ e^y·(y − d) over the first nv elements: their lanes left at ACC, +16, +32. */
// @ts-ignore: decorator
@inline function vectorLogitSums<T>(yr: usize, z: usize, nv: i32, m: T): bool {
  const V = lanes<T>();
  const vm = v128.splat<T>(m);
  let vs = v128.splat<T>(0);
  let vsp = vs;
  let va = vs;
  let vbad = vs;
  for (let k = 0; k < nv; k += V) {
    const yk = v128.load(at<T>(yr, k));
    const d = v128.sub<T>(v128.load(at<T>(z, k)), vm);
    const e = vexp<T>(yk);
    vbad = v128.or(vbad, v128.not(v128.le<T>(yk, vzero())));
    vs = v128.add<T>(vs, vexpq<T>(d));
    vsp = v128.add<T>(vsp, e);
    va = v128.add<T>(va, vterm<T>(e, yk, d));
  }
  v128.store(ACC, vs);
  v128.store(ACC + 16, vsp);
  v128.store(ACC + 32, va);
  return v128.any_true(vbad);
}

/** vectorLogitSums' scalar twin. */
// @ts-ignore: decorator
@inline function scalarLogitSums<T>(yr: usize, z: usize, nv: i32, m: T): bool {
  const V = lanes<T>();
  let bad = false;
  for (let j = 0; j < V; j++) {
    store<T>(at<T>(ACC, j), 0);
    store<T>(at<T>(ACC + 16, j), 0);
    store<T>(at<T>(ACC + 32, j), 0);
  }
  for (let k = 0; k < nv; k += V) {
    for (let j = 0; j < V; j++) {
      const yk = load<T>(at<T>(yr, k + j));
      const d = load<T>(at<T>(z, k + j)) - m;
      const e = sexp<T>(yk);
      bad = bad || !(yk <= 0);
      store<T>(at<T>(ACC, j), load<T>(at<T>(ACC, j)) + sexpq<T>(d));
      store<T>(at<T>(ACC + 16, j), load<T>(at<T>(ACC + 16, j)) + e);
      store<T>(at<T>(ACC + 32, j), load<T>(at<T>(ACC + 32, j)) + sterm<T>(e, yk, d));
    }
  }
  return bad;
}

/** The logits row's gradient kr·(e^d·q − e^y), q = Σ e^y / s. */
// @ts-ignore: decorator
@inline function logitsGrad<T>(yr: usize, z: usize, gr: usize, C: i32, nv: i32, m: T, q: T, kr: T): void {
  const V = lanes<T>();
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    const vm = v128.splat<T>(m);
    const vq = v128.splat<T>(q);
    const vk = v128.splat<T>(kr);
    for (; k < nv; k += V) {
      const e = vexpq<T>(v128.sub<T>(v128.load(at<T>(z, k)), vm));
      const v = v128.mul<T>(vk, v128.sub<T>(v128.mul<T>(e, vq), vexp<T>(v128.load(at<T>(yr, k)))));
      v128.store(at<T>(gr, k), v);
    }
  }
  for (; k < C; k++) {
    const e = sexpq<T>(load<T>(at<T>(z, k)) - m);
    store<T>(at<T>(gr, k), kr * (e * q - sexp<T>(load<T>(at<T>(yr, k)))));
  }
}

/** -1 if every target of row r is ≤ 0 (−∞ included); else the index of the first that is not, its argument code left. */
function firstBadLogTarget<T>(r: i32, C: i32, y: usize): i32 {
  for (let i = r * C; i < (r + 1) * C; i++) {
    if (!(load<T>(at<T>(y, i)) <= 0)) {
      setResult<i32>(RESULT_ARGUMENT, ARGUMENT_TARGET);
      return i;
    }
  }
  return -1;
}

function probabilityModes<T>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, scale: f64, eps: f64, mode: i32): i32 {
  if (mode & MODE_GRAD) return klLogTarget<T, Off, On>(rows, C, y, p, w, lo, g, scale, eps, mode);
  return klLogTarget<T, Off, Off>(rows, C, y, p, w, lo, g, scale, eps, mode);
}

function logitsModes<T>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, scale: f64, eps: f64, mode: i32): i32 {
  if (mode & MODE_GRAD) return klLogTarget<T, On, On>(rows, C, y, p, w, lo, g, scale, eps, mode);
  return klLogTarget<T, On, Off>(rows, C, y, p, w, lo, g, scale, eps, mode);
}

// Kernel ABI (probability.ts's): (rows, C, log-target, pred, weights, losses, grad: byte offsets; gradient
// scale, ε (unused on logits), mode) → -1 or the index of the first target element that is not ≤ 0.
export function klDivergenceLogTarget_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, eps: f64,
                                          mode: i32): i32 {
  return probabilityModes<f32>(rows, C, y, p, w, lo, g, k, eps, mode);
}
export function klDivergenceLogTarget_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, eps: f64,
                                          mode: i32): i32 {
  return probabilityModes<f64>(rows, C, y, p, w, lo, g, k, eps, mode);
}
export function klDivergenceLogTargetLogits_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, eps: f64,
                                                mode: i32): i32 {
  return logitsModes<f32>(rows, C, y, p, w, lo, g, k, eps, mode);
}
export function klDivergenceLogTargetLogits_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, eps: f64,
                                                mode: i32): i32 {
  return logitsModes<f64>(rows, C, y, p, w, lo, g, k, eps, mode);
}
