// Denominators of a class-weighted or ignoring softmax 'mean', computed before the loss pass that
// needs 1/denominator to scale the gradient: RESULT_SUM2 = Σ w_row·d_row, RESULT_COUNTED = Σ w_row
// over the rows that count (accuracy's denominator).

import { ARGUMENT_TARGET, MODE_IGNORE, MODE_WEIGHTED, RESULT_ARGUMENT, RESULT_COUNTED, RESULT_SUM2 } from "../../abi";
import { at } from "../../kernel/classification";
import { setResult } from "../../kernel/shared";

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
      setResult<i32>(RESULT_ARGUMENT, ARGUMENT_TARGET);
      return r;
    }
    const wr: f64 = weighted ? <f64>load<T>(at<T>(w, r)) : 1;
    d += wr * <f64>load<T>(at<T>(cw, t));
    n += wr;
  }
  setResult<f64>(RESULT_SUM2, d);
  setResult<f64>(RESULT_COUNTED, n);
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
        setResult<i32>(RESULT_ARGUMENT, ARGUMENT_TARGET);
        return i;
      }
      row += <f64>load<T>(at<T>(cw, k)) * <f64>v;
    }
    d += (weighted ? <f64>load<T>(at<T>(w, r)) : 1) * row;
  }
  setResult<f64>(RESULT_SUM2, d);
  return -1;
}

export function sparseDenominator_f32(rows: i32, C: i32, y: usize, w: usize, cw: usize, ignore: i32, mode: i32): i32 {
  return sparseDenominator<f32>(rows, C, y, w, cw, ignore, mode);
}
export function sparseDenominator_f64(rows: i32, C: i32, y: usize, w: usize, cw: usize, ignore: i32, mode: i32): i32 {
  return sparseDenominator<f64>(rows, C, y, w, cw, ignore, mode);
}
export function denseDenominator_f32(rows: i32, C: i32, y: usize, w: usize, cw: usize, weighted: i32): i32 {
  return denseDenominator<f32>(rows, C, y, w, cw, weighted);
}
export function denseDenominator_f64(rows: i32, C: i32, y: usize, w: usize, cw: usize, weighted: i32): i32 {
  return denseDenominator<f64>(rows, C, y, w, cw, weighted);
}

/** Sparse, rows counted by their weight alone (the class-weights slot holds something else, as focal's α): d = w, 0 for ignored rows. */
function sparseRowCount<T>(rows: i32, C: i32, y: usize, w: usize, _cw: usize, ignore: i32, flags: i32): i32 {
  const weighted = (flags & MODE_WEIGHTED) != 0;
  const ignoring = (flags & MODE_IGNORE) != 0;
  let n: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const t = load<i32>(y + (<usize>r << 2));
    if (ignoring && t == ignore) continue;
    if (t < 0 || t >= C) {
      setResult<i32>(RESULT_ARGUMENT, ARGUMENT_TARGET);
      return r;
    }
    n += weighted ? <f64>load<T>(at<T>(w, r)) : 1;
  }
  setResult<f64>(RESULT_SUM2, n);
  setResult<f64>(RESULT_COUNTED, n);
  return -1;
}

export function sparseRowCount_f32(rows: i32, C: i32, y: usize, w: usize, cw: usize, ignore: i32, mode: i32): i32 {
  return sparseRowCount<f32>(rows, C, y, w, cw, ignore, mode);
}
export function sparseRowCount_f64(rows: i32, C: i32, y: usize, w: usize, cw: usize, ignore: i32, mode: i32): i32 {
  return sparseRowCount<f64>(rows, C, y, w, cw, ignore, mode);
}
