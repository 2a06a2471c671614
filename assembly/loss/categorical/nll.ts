// Negative log-likelihood on log-probabilities (PyTorch's nll_loss), an i32 label per row and class
// weights w_k: l = −w_t·x_t, dl/dx = −w_t at the label and 0 elsewhere. As in PyTorch the values
// are not checked (a log-probability above 0 gives a negative loss); as in the other row-wise
// losses a NaN anywhere in the row makes its loss and its gradient at the label NaN.
// Kernel ABI: the softmax one (kernel/classification.ts), its smoothing scalar unused.

import { ARGUMENT_TARGET, MODE_ACCURACY, MODE_GRAD, MODE_IGNORE, MODE_LOSSES, MODE_WEIGHTED, RESULT_ARGUMENT, RESULT_CORRECT,
  RESULT_COUNTED, RESULT_SUM } from "../../abi";
import { LANES_BELOW, at, countLabel } from "../../kernel/classification";
import { Off, On, lanes, setResult } from "../../kernel/shared";

/** NaN if one of the row's C values is NaN, else 0 (SIMD across the row, then its tail; the same answer in both builds).
 * With the gradient on, the row's gradient is zeroed in the same pass: a `memory.fill` per row cost ~19 ns a row of 10
 * (zero copy ran at 0.72× a plain loop), and each value is read before its slot is written, so out = pred is safe. */
function scanRow<T, G>(z: usize, gr: usize, C: i32): T {
  let nan = false;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const V = lanes<T>();
    let any = v128.splat<i32>(0);
    const zero = v128.splat<i32>(0);
    for (; i + V <= C; i += V) {
      const v = v128.load(at<T>(z, i));
      any = v128.or(any, v128.ne<T>(v, v));
      if (isInteger<G>()) v128.store(at<T>(gr, i), zero);
    }
    nan = v128.any_true(any);
  }
  for (; i < C; i++) {
    const v = load<T>(at<T>(z, i));
    nan = nan || v != v;
    if (isInteger<G>()) store<T>(at<T>(gr, i), 0);
  }
  return nan ? <T>NaN : <T>0;
}

/** Whether one of the n values from z is NaN: SIMD over the whole run, then its tail (the same answer in both builds). */
function anyNaN<T>(z: usize, n: i32): bool {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const V = lanes<T>();
    let any = v128.splat<i32>(0);
    for (; i + 2 * V <= n; i += 2 * V) {
      const a = v128.load(at<T>(z, i));
      const b = v128.load(at<T>(z, i + V));
      any = v128.or(any, v128.or(v128.ne<T>(a, a), v128.ne<T>(b, b)));
    }
    for (; i + V <= n; i += V) {
      const a = v128.load(at<T>(z, i));
      any = v128.or(any, v128.ne<T>(a, a));
    }
    if (v128.any_true(any)) return true;
  }
  for (; i < n; i++) {
    const v = load<T>(at<T>(z, i));
    if (v != v) return true;
  }
  return false;
}

/** The per-row pass: each row scanned for NaN (and its gradient zeroed) on its own; for a run that holds a NaN. */
function nllRows<T, G>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, k: T, ignore: i32,
                       flags: i32): i32 {
  const weighted = (flags & MODE_WEIGHTED) != 0;
  const accuracy = (flags & MODE_ACCURACY) != 0;
  const ignoring = (flags & MODE_IGNORE) != 0;
  const storing = (flags & MODE_LOSSES) != 0;
  const rb = <usize>C << alignof<T>();
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const z = p + <usize>r * rb;
    const gr = g + <usize>r * rb;
    const t = load<i32>(y + (<usize>r << 2));
    let l: T = 0;
    if (ignoring && t == ignore) {
      scanRow<T, G>(z, gr, C);
    } else {
      if (t < 0 || t >= C) {
        setResult<i32>(RESULT_ARGUMENT, ARGUMENT_TARGET);
        return r;
      }
      const wr: T = weighted ? load<T>(at<T>(w, r)) : <T>1;
      if (accuracy) countLabel<T>(z, t, C, wr);
      const wt = load<T>(at<T>(cw, t));
      l = -(wt * load<T>(at<T>(z, t))) * wr; // read before the scan may zero it (out = pred)
      const nan = scanRow<T, G>(z, gr, C);
      l += nan;
      if (isInteger<G>()) store<T>(at<T>(gr, t), -(wt * (k * wr)) + nan);
    }
    if (storing) store<T>(at<T>(lo, r), l);
    total += <f64>l;
  }
  setResult<f64>(RESULT_SUM, total);
  return -1;
}

/**
 * The pass over a run without NaN: the label's value alone per row, the gradient one memory.fill and a store per row.
 * nllRows's operations (+ 0 where it adds the row's NaN-or-0, so −0 comes out +0 as there), so both give the same bits.
 * With `grad` false it leaves the gradient alone (out = pred: every row is read before the fill).
 */
// @ts-ignore: decorator
@inline function nllFlat<T>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, k: T, ignore: i32,
                            flags: i32, grad: bool): i32 {
  const weighted = (flags & MODE_WEIGHTED) != 0;
  const accuracy = (flags & MODE_ACCURACY) != 0;
  const ignoring = (flags & MODE_IGNORE) != 0;
  const storing = (flags & MODE_LOSSES) != 0;
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const t = load<i32>(y + (<usize>r << 2));
    let l: T = 0;
    if (!(ignoring && t == ignore)) {
      if (t < 0 || t >= C) {
        setResult<i32>(RESULT_ARGUMENT, ARGUMENT_TARGET);
        return r;
      }
      const wr: T = weighted ? load<T>(at<T>(w, r)) : <T>1;
      if (accuracy) countLabel<T>(at<T>(p, r * C), t, C, wr);
      const wLabel = load<T>(at<T>(cw, t));
      l = -(wLabel * load<T>(at<T>(p, r * C + t))) * wr + <T>0;
      if (grad) store<T>(at<T>(g, r * C + t), -(wLabel * (k * wr)) + <T>0);
    }
    if (storing) store<T>(at<T>(lo, r), l);
    total += <f64>l;
  }
  setResult<f64>(RESULT_SUM, total);
  return -1;
}

/** The n values from g set to 0. */
// @ts-ignore: decorator
@inline function clearRun<T>(g: usize, n: i32): void {
  memory.fill(g, 0, <usize>n << alignof<T>());
}

/** The gradient of a run without NaN after nllFlat without it, on a cleared run: −w_t·k·w_row at each label. */
function nllFlatGrad<T>(rows: i32, C: i32, y: usize, w: usize, g: usize, cw: usize, k: T, ignore: i32, flags: i32): void {
  const weighted = (flags & MODE_WEIGHTED) != 0;
  const ignoring = (flags & MODE_IGNORE) != 0;
  for (let r = 0; r < rows; r++) {
    const t = load<i32>(y + (<usize>r << 2));
    if (ignoring && t == ignore) continue;
    const wr: T = weighted ? load<T>(at<T>(w, r)) : <T>1;
    store<T>(at<T>(g, r * C + t), -(load<T>(at<T>(cw, t)) * (k * wr)) + <T>0);
  }
}

function nll<T, G>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, scale: f64, ignore: i32,
                   flags: i32): i32 {
  setResult<f64>(RESULT_CORRECT, 0);
  setResult<f64>(RESULT_COUNTED, 0);
  const k = <T>scale;
  // Each row scanned on its own, zero copy ran at ~1.1× a plain loop that reads the label alone (C = 10, float32 withGrad);
  // one flat SIMD pass over the run finds whether it holds a NaN at all, and without one a row needs its label alone:
  // 1.9 → 2.7 elements/ns there (loaded machine, back to back). From LANES_BELOW classes a row's scan is whole vectors
  // that read and zero in one pass, where the flat pass makes two (its NaN scan, then the fill): 6% slower at C = 1000.
  if (C >= LANES_BELOW || anyNaN<T>(p, rows * C)) return nllRows<T, G>(rows, C, y, p, w, lo, g, cw, k, ignore, flags);
  if (!isInteger<G>()) return nllFlat<T>(rows, C, y, p, w, lo, g, cw, k, ignore, flags, false);
  const apart = g != p;
  if (apart) clearRun<T>(g, rows * C);
  const bad = nllFlat<T>(rows, C, y, p, w, lo, g, cw, k, ignore, flags, apart);
  if (bad < 0 && !apart) {
    clearRun<T>(g, rows * C);
    nllFlatGrad<T>(rows, C, y, w, g, cw, k, ignore, flags);
  }
  return bad;
}

// Kernel ABI: (rows, C, labels, logProbs, weights, losses, grad, classWeights: byte offsets; gradient
// scale, (unused), ignoreIndex, mode bits) → -1 or the row of the first label outside [0, C).
export function nll_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, k: f64, _a: f64, ignore: i32,
                        mode: i32): i32 {
  if (mode & MODE_GRAD) return nll<f32, On>(rows, C, y, p, w, lo, g, cw, k, ignore, mode);
  return nll<f32, Off>(rows, C, y, p, w, lo, g, cw, k, ignore, mode);
}
export function nll_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, k: f64, _a: f64, ignore: i32,
                        mode: i32): i32 {
  if (mode & MODE_GRAD) return nll<f64, On>(rows, C, y, p, w, lo, g, cw, k, ignore, mode);
  return nll<f64, Off>(rows, C, y, p, w, lo, g, cw, k, ignore, mode);
}
