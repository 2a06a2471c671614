// Categorical hinge, a margin loss on rows: the target row's class against the largest other.

import {
  ARGUMENT_TARGET, MODE_ACCURACY, MODE_GRAD, MODE_LOSSES, MODE_WEIGHTED, RESULT_ARGUMENT, RESULT_CORRECT, RESULT_COUNTED, RESULT_SUM,
} from "../../abi";
import { argmax, at, countDense } from "../../kernel/classification";
import { Off, On, setResult } from "../../kernel/shared";

/**
 * max(0, 1 + max_{k≠t} ŷ_k − ŷ_t), t = argmax of the target row (its one-hot class); gradient −1 at t
 * and +1 at the first largest other class, also at the kink (PyTorch's active side); 0 for C = 1.
 * Scalar in both builds: one compare per element and no transcendental.
 */
function hinge<T, G>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, scale: f64, flags: i32): i32 {
  const storing = (flags & MODE_LOSSES) != 0;
  const weighted = (flags & MODE_WEIGHTED) != 0;
  const accuracy = (flags & MODE_ACCURACY) != 0;
  const rb = <usize>C << alignof<T>();
  let sum: f64 = 0;
  setResult<f64>(RESULT_CORRECT, 0);
  setResult<f64>(RESULT_COUNTED, 0);
  for (let r = 0; r < rows; r++) {
    const yr = y + <usize>r * rb;
    const pr = p + <usize>r * rb;
    const gr = g + <usize>r * rb;
    for (let k = 0; k < C; k++) {
      const v = load<T>(at<T>(yr, k));
      if (!(v >= 0 && v <= 1)) {
        setResult<i32>(RESULT_ARGUMENT, ARGUMENT_TARGET);
        return r * C + k;
      }
    }
    const wr: T = weighted ? load<T>(at<T>(w, r)) : <T>1;
    if (accuracy) countDense<T>(pr, yr, C, wr);
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
  setResult<f64>(RESULT_SUM, sum);
  return -1;
}

function hingeModes<T>(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, scale: f64, mode: i32): i32 {
  if (mode & MODE_GRAD) return hinge<T, On>(rows, C, y, p, w, lo, g, scale, mode);
  return hinge<T, Off>(rows, C, y, p, w, lo, g, scale, mode);
}

// Kernel ABI: the probability losses' (probability.ts), ε unused.
export function categoricalHinge_f32(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, eps: f64,
                                     mode: i32): i32 {
  return hingeModes<f32>(rows, C, y, p, w, lo, g, k, mode);
}
export function categoricalHinge_f64(rows: i32, C: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, eps: f64,
                                     mode: i32): i32 {
  return hingeModes<f64>(rows, C, y, p, w, lo, g, k, mode);
}
