// Softmax cross-entropy, sparse (an i32 label per row) or dense (a target row), with class weights
// w_k and label smoothing α (ỹ = (1 − α)y + α/C), per row in the working dtype:
//   m = max z, d_k = z_k − m, s = Σ e^{d_k}, c_k = w_k ỹ_k
//   l = (Σ c_k)·log s − Σ c_k d_k                       (= −Σ c_k log softmax(z)_k, never overflows)
//   dl/dz_j = p_j Σ c_k − c_j = e^{d_j}·(Σ c_k / s) − c_j
// The exponentials are stored in the gradient's place by the pass that sums them and scaled by
// the next: one exp per element. Σ c_k d_k sums products already scaled by α/C, so that it does not
// overflow where the loss itself does not (float32 logits of 1e37 with smoothing).
//
// Compile-time switches (On / Off): D dense targets (else labels); S smoothing of sparse targets
// (every class weight enters each row); E the entropy term Σ y log y of dense targets (0·log 0 = 0);
// G the gradient. Per-row losses (MODE_LOSSES) are a flag read at run time: one store per row.

import {
  MODE_ACCURACY, MODE_ENTROPY, MODE_GRAD, MODE_IGNORE, MODE_LOSSES, MODE_SMOOTH, MODE_WEIGHTED,
  RESULT_CORRECT, RESULT_COUNTED, RESULT_SUM,
} from "../../abi";
import { LANES_BELOW, ROW_LOSS, at, firstBadTarget, laneTotal } from "../../kernel/classification";
import { Off, On, lanes, setParam, setResult } from "../../kernel/shared";
import { P_A, P_B, P_SCALE, P_WSUM } from "./params";
import { softmaxLanes } from "./softmaxLanes";
import { softmaxRow } from "./softmaxRow";

function softmaxCE<T, D, S, E, G>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize,
                                  scale: f64, alpha: f64, ignore: i32, flags: i32): i32 {
  setParam<T>(P_A, 1 - alpha);
  setParam<T>(P_B, alpha / <f64>C);
  if (isInteger<S>()) { // (C loads per call: the wrapper calls once per chunk of rows)
    let wsum: f64 = 0;
    for (let k = 0; k < C; k++) wsum += <f64>load<T>(at<T>(cw, k));
    setParam<T>(P_WSUM, wsum);
  }
  setParam<T>(P_SCALE, scale);
  setResult<f64>(RESULT_CORRECT, 0);
  setResult<f64>(RESULT_COUNTED, 0);
  const weighted = (flags & MODE_WEIGHTED) != 0;
  const accuracy = (flags & MODE_ACCURACY) != 0;
  const ignoring = (flags & MODE_IGNORE) != 0;
  const storing = (flags & MODE_LOSSES) != 0;
  const rb = <usize>C << alignof<T>();
  if (isInteger<D>() && isInteger<G>() && g == y) { // out = target: the exponentials overwrite the targets, so all are checked first
    const bad = firstBadTarget<T>(0, rows, C, y);
    if (bad >= 0) return bad;
  }
  let total: f64 = 0;
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
          const bad = softmaxLanes<T, D, S, E, G>(r, C, rb, y, p, w, g, cw, weighted, accuracy);
          if (bad >= 0) return bad;
          total += groupLoss<T>(r, lo, storing);
        } else {
          for (let j = 0; j < V; j++) {
            const bad = softmaxRow<T, D, S, E, G>(r + j, C, rb, y, p, w, g, cw, ignoring, ignore, weighted, accuracy);
            if (bad >= 0) return bad;
            total += rowLoss<T>(r + j, lo, storing);
          }
        }
      }
    }
  }
  for (; r < rows; r++) {
    const bad = softmaxRow<T, D, S, E, G>(r, C, rb, y, p, w, g, cw, ignoring, ignore, weighted, accuracy);
    if (bad >= 0) return bad;
    total += rowLoss<T>(r, lo, storing);
  }
  setResult<f64>(RESULT_SUM, total);
  return -1;
}

/** The loss softmaxRow left, stored as row r's when asked. */
// @ts-ignore: decorator
@inline function rowLoss<T>(r: i32, lo: usize, storing: bool): f64 {
  const l = load<T>(ROW_LOSS);
  if (storing) store<T>(at<T>(lo, r), l);
  return <f64>l;
}

/** The losses softmaxLanes left for rows r…, stored when asked; their sum in lane order. */
// @ts-ignore: decorator
@inline function groupLoss<T>(r: i32, lo: usize, storing: bool): f64 {
  if (storing) v128.store(at<T>(lo, r), v128.load(ROW_LOSS));
  return laneTotal<T>(ROW_LOSS);
}

function sparseModes<T>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize,
                        scale: f64, alpha: f64, ignore: i32, mode: i32): i32 {
  switch (mode & (MODE_GRAD | MODE_SMOOTH)) {
    case 0: return softmaxCE<T, Off, Off, Off, Off>(rows, C, y, p, w, lo, g, cw, scale, alpha, ignore, mode);
    case MODE_GRAD: return softmaxCE<T, Off, Off, Off, On>(rows, C, y, p, w, lo, g, cw, scale, alpha, ignore, mode);
    case MODE_SMOOTH: return softmaxCE<T, Off, On, Off, Off>(rows, C, y, p, w, lo, g, cw, scale, alpha, ignore, mode);
    default: return softmaxCE<T, Off, On, Off, On>(rows, C, y, p, w, lo, g, cw, scale, alpha, ignore, mode);
  }
}

function denseModes<T>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize,
                       scale: f64, alpha: f64, ignore: i32, mode: i32): i32 {
  switch (mode & (MODE_GRAD | MODE_ENTROPY)) {
    case 0: return softmaxCE<T, On, Off, Off, Off>(rows, C, y, p, w, lo, g, cw, scale, alpha, ignore, mode);
    case MODE_GRAD: return softmaxCE<T, On, Off, Off, On>(rows, C, y, p, w, lo, g, cw, scale, alpha, ignore, mode);
    case MODE_ENTROPY: return softmaxCE<T, On, Off, On, Off>(rows, C, y, p, w, lo, g, cw, scale, alpha, ignore, mode);
    default: return softmaxCE<T, On, Off, On, On>(rows, C, y, p, w, lo, g, cw, scale, alpha, ignore, mode);
  }
}

// Kernel ABI: (rows, C, target or labels, pred, weights, losses, grad, classWeights: byte offsets;
// gradient scale, α, ignoreIndex, mode bits) → -1 or the index of the first bad element (labels:
// the row), its argument code at RESULT_ARGUMENT; Σ w·l at RESULT_SUM, accuracy at RESULT_CORRECT / RESULT_COUNTED.
export function sparseSoftmaxCrossEntropy_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, k: f64,
                                              a: f64, ignore: i32, mode: i32): i32 {
  return sparseModes<f32>(rows, C, y, p, w, lo, g, cw, k, a, ignore, mode);
}
export function sparseSoftmaxCrossEntropy_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, k: f64,
                                              a: f64, ignore: i32, mode: i32): i32 {
  return sparseModes<f64>(rows, C, y, p, w, lo, g, cw, k, a, ignore, mode);
}
export function softmaxCrossEntropy_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, k: f64, a: f64,
                                        ignore: i32, mode: i32): i32 {
  return denseModes<f32>(rows, C, y, p, w, lo, g, cw, k, a, ignore, mode);
}
export function softmaxCrossEntropy_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, cw: usize, k: f64, a: f64,
                                        ignore: i32, mode: i32): i32 {
  return denseModes<f64>(rows, C, y, p, w, lo, g, cw, k, a, ignore, mode);
}
