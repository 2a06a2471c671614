// Reliability bins: probability p falls in bin min(⌊p·B⌋, B − 1), p·B rounded in float64 (so 1.0
// is in the last bin); each bin holds three cells (tally.ts): Σ w, Σ w·p and Σ w·y. The target is
// 0 or 1, a probability in [0, 1] (NaN refused), a weight finite and ≥ 0.

import { ARGUMENT_PRED, ARGUMENT_TARGET, ARGUMENT_WEIGHTS, MODE_FLOAT_TARGET } from "../abi";
import { byteOffset } from "../kernel/shared";
import { addTo, binaryAt, CELL, refuse, weightAt } from "./tally";

function binProbabilities<T>(n: i32, B: i32, y: usize, p: usize, w: usize, table: usize, mode: i32): i32 {
  const floatTarget = (mode & MODE_FLOAT_TARGET) != 0;
  for (let i = 0; i < n; i++) {
    const t = binaryAt<T>(y, i, floatTarget);
    if (t < 0) return refuse(ARGUMENT_TARGET, i);
    const v = <f64>load<T>(p + byteOffset<T>(i));
    if (!(v >= 0 && v <= 1)) return refuse(ARGUMENT_PRED, i);
    const wi = weightAt<T>(w, i, mode);
    if (wi < 0) return refuse(ARGUMENT_WEIGHTS, i);
    const bin = table + <usize>min(<i32>(v * <f64>B), B - 1) * 3 * CELL;
    addTo(bin, wi);
    addTo(bin + CELL, wi * v);
    addTo(bin + 2 * CELL, wi * <f64>t);
  }
  return -1;
}

export function calibration_f32(n: i32, B: i32, y: usize, p: usize, w: usize, table: usize, mode: i32): i32 {
  return binProbabilities<f32>(n, B, y, p, w, table, mode);
}
export function calibration_f64(n: i32, B: i32, y: usize, p: usize, w: usize, table: usize, mode: i32): i32 {
  return binProbabilities<f64>(n, B, y, p, w, table, mode);
}
