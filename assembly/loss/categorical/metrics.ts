// Metrics of rows: per row 1 if right else 0 (times the row weight), Σ at RESULT_SUM; the losses'
// ABI without gradient. argmax: the first index of the largest value, a NaN counting as the largest
// (as NumPy and PyTorch do).

import { ARGUMENT_TARGET, MODE_LOSSES, MODE_WEIGHTED, RESULT_ARGUMENT, RESULT_SUM } from "../../abi";
import { argmax, at, rankOf } from "../../kernel/classification";
import { setResult } from "../../kernel/shared";

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
          setResult<i32>(RESULT_ARGUMENT, ARGUMENT_TARGET);
          return r * C + k;
        }
      }
      hit = argmax<T>(z, C) == argmax<T>(yr, C);
    } else {
      const t = load<i32>(y + (<usize>r << 2));
      if (t < 0 || t >= C) {
        setResult<i32>(RESULT_ARGUMENT, ARGUMENT_TARGET);
        return r;
      }
      hit = K == 1 ? argmax<T>(z, C) == t : rankOf<T>(z, C, t) < K;
    }
    const v: T = (weighted ? load<T>(at<T>(w, r)) : <T>1) * <T>hit;
    if (losses) store<T>(at<T>(lo, r), v);
    sum += <f64>v;
  }
  setResult<f64>(RESULT_SUM, sum);
  return -1;
}

export function categoricalAccuracy_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, mode: i32): i32 {
  return metric<f32>(rows, C, y, p, w, lo, 0, true, mode);
}
export function categoricalAccuracy_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, mode: i32): i32 {
  return metric<f64>(rows, C, y, p, w, lo, 0, true, mode);
}
export function topKAccuracy_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, K: i32, mode: i32): i32 {
  return metric<f32>(rows, C, y, p, w, lo, K, false, mode);
}
export function topKAccuracy_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, K: i32, mode: i32): i32 {
  return metric<f64>(rows, C, y, p, w, lo, K, false, mode);
}
