// In-batch contrastive losses: every row of a batch against every other (kernel/inbatch.ts: the
// strips, their order of operations and the workspace).
//
// Kernel ABI (one export per loss and dtype):
//   (n, dim, a, b, losses, ga, gb, work, scale, invTau, mode) → -1
// n rows of dim values at a and at b (byte offsets), the row losses (unscaled, as T) at `losses`
// with MODE_LOSSES, the gradients scaled by `scale` at ga and gb with MODE_GRAD, `work` the
// workspace (inbatchWorkspace_<T> bytes); Σ of the row losses is left at RESULT_SUM. Inputs are
// read before any output is written, so a gradient may be written over its input.

import { MODE_GRAD, MODE_LOSSES, MODE_SYMMETRIC, RESULT_SUM } from "../abi";
import { setResult } from "../kernel/shared";
import { backward, clear, layout, normalise, rowLosses, sweep } from "../kernel/inbatch";

/** Rows normalised, buffers cleared: Â at rows [0, n), B̂ at [n, 2n). */
// @ts-ignore: decorator
@inline function prepare<T>(n: i32, dim: i32, a: usize, b: usize, work: usize): void {
  layout<T>(2 * n, dim, work);
  clear<T>(2 * n, dim);
  normalise<T>(n, dim, a, 0);
  normalise<T>(n, dim, b, n);
}

// @ts-ignore: decorator
@inline function finish<T>(n: i32, dim: i32, rows: i32, losses: usize, ga: usize, gb: usize, invTau: f64, mode: i32): i32 {
  if (mode & MODE_GRAD) {
    backward<T>(n, dim, 0, ga, invTau);
    backward<T>(n, dim, n, gb, invTau);
  }
  setResult<f64>(RESULT_SUM, rowLosses<T>(rows, mode & MODE_LOSSES ? <isize>losses : -1));
  return -1;
}

/**
 * Row i: −log softmaxⱼ(cos(aᵢ, bⱼ)/τ) at j = i; MODE_SYMMETRIC: ½ of it plus ½ of the same with a
 * and b swapped (row i of the reverse direction is bᵢ against every a).
 */
function infoNCE<T>(n: i32, dim: i32, a: usize, b: usize, losses: usize, ga: usize, gb: usize, work: usize,
                    scale: f64, invTau: f64, mode: i32): i32 {
  prepare<T>(n, dim, a, b, work);
  const grad = (mode & MODE_GRAD) != 0;
  const symmetric = (mode & MODE_SYMMETRIC) != 0;
  const lw: f64 = symmetric ? 0.5 : 1;
  sweep<T>(n, n, dim, 0, n, 0, false, lw, lw * scale, invTau, grad);
  if (symmetric) sweep<T>(n, n, dim, n, 0, 0, false, lw, lw * scale, invTau, grad);
  return finish<T>(n, dim, n, losses, ga, gb, invTau, mode);
}

/** SimCLR over the 2n rows [a; b]: row k's positive is row k ± n, its negatives the other 2n − 2 rows. */
function ntXent<T>(n: i32, dim: i32, a: usize, b: usize, losses: usize, ga: usize, gb: usize, work: usize,
                   scale: f64, invTau: f64, mode: i32): i32 {
  prepare<T>(n, dim, a, b, work);
  sweep<T>(2 * n, 2 * n, dim, 0, 0, n, true, 1, scale, invTau, (mode & MODE_GRAD) != 0);
  return finish<T>(n, dim, 2 * n, losses, ga, gb, invTau, mode);
}

export function infoNCE_f32(n: i32, dim: i32, a: usize, b: usize, losses: usize, ga: usize, gb: usize, work: usize,
                            scale: f64, invTau: f64, mode: i32): i32 {
  return infoNCE<f32>(n, dim, a, b, losses, ga, gb, work, scale, invTau, mode);
}
export function infoNCE_f64(n: i32, dim: i32, a: usize, b: usize, losses: usize, ga: usize, gb: usize, work: usize,
                            scale: f64, invTau: f64, mode: i32): i32 {
  return infoNCE<f64>(n, dim, a, b, losses, ga, gb, work, scale, invTau, mode);
}
export function ntXent_f32(n: i32, dim: i32, a: usize, b: usize, losses: usize, ga: usize, gb: usize, work: usize,
                           scale: f64, invTau: f64, mode: i32): i32 {
  return ntXent<f32>(n, dim, a, b, losses, ga, gb, work, scale, invTau, mode);
}
export function ntXent_f64(n: i32, dim: i32, a: usize, b: usize, losses: usize, ga: usize, gb: usize, work: usize,
                           scale: f64, invTau: f64, mode: i32): i32 {
  return ntXent<f64>(n, dim, a, b, losses, ga, gb, work, scale, invTau, mode);
}

/** Bytes of workspace a call with n rows of dim values needs (16 more than the layout, for alignment). */
export function inbatchWorkspace_f32(n: i32, dim: i32): f64 {
  return <f64>layout<f32>(2 * n, dim, 0) + 16;
}
export function inbatchWorkspace_f64(n: i32, dim: i32): f64 {
  return <f64>layout<f64>(2 * n, dim, 0) + 16;
}
