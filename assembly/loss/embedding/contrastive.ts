// Contrastive loss (embedding/index.ts: the ABI; rows.ts: what the row loops share).

import { MODE_GRAD, RESULT_SUM } from "../../abi";
import { byteOffset, setResult } from "../../kernel/shared";
import { sqDist } from "../../kernel/embedding";
import { badLabel, rowWeight, weigh } from "./rows";

/**
 * (1 − y)·½D² + y·½max(0, m − D)², D = ‖a − b‖, y ∈ [0, 1] (0 similar, 1 dissimilar; the formula is
 * linear in y, so soft labels in between are allowed). dl/da = c·(a − b), dl/db = −dl/da with
 * c = (1 − y) − y·max(0, m − D)/D; at D = 0 the dissimilar term's share of c is 0.
 */
function contrastive<T>(rows: i32, dim: i32, label: usize, a: usize, b: usize, w: usize, lo: usize,
                        ga: usize, gb: usize, scale: f64, margin: f64, mode: i32): i32 {
  const rowBytes = byteOffset<T>(dim);
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const y = <f64>load<T>(label + byteOffset<T>(r));
    if (!(y >= 0 && y <= 1)) return badLabel(r, y);
    const off = <usize>r * rowBytes;
    const d2 = sqDist<T>(dim, a + off, b + off);
    const d = sqrt<f64>(d2);
    const h = max<f64>(margin - d, 0);
    // Each term only where its label weight is non-zero: 0·∞ would be NaN for a distance that overflows.
    const l = (y < 1 ? (1 - y) * (0.5 * d2) : 0) + (y > 0 ? y * (0.5 * h * h) : 0);
    const wr = rowWeight<T>(mode, r, w);
    total += weigh<T>(mode, r, lo, l * wr);
    const k = scale * wr;
    if (mode & MODE_GRAD) {
      const c = k * ((1 - y) - (d > 0 ? y * h / d : 0));
      if (isFinite<T>(<T>c)) diffGrad<T>(dim, a + off, b + off, ga + off, gb + off, <T>c);
      else contrastiveWide<T>(dim, a + off, b + off, ga + off, gb + off, k * (1 - y), d > 0 ? k * y * h : 0, d);
    }
  }
  setResult<f64>(RESULT_SUM, total);
  return -1;
}

/** ga = p·u + q·(u/d), u = a − b, in float64: for rows whose factor overflows T. */
function contrastiveWide<T>(dim: i32, a: usize, b: usize, ga: usize, gb: usize, p: f64, q: f64, d: f64): void {
  for (let i = 0; i < dim; i++) {
    const off = byteOffset<T>(i);
    const u = <f64>load<T>(a + off) - <f64>load<T>(b + off);
    const g = p * u - (q != 0 ? q * (u / d) : 0);
    store<T>(ga + off, <T>g);
    store<T>(gb + off, <T>-g);
  }
}

/** ga = c·(a − b), gb = −ga. */
function diffGrad<T>(dim: i32, a: usize, b: usize, ga: usize, gb: usize, c: T): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const V = 16 / sizeof<T>();
    const nv = dim & ~(V - 1);
    const cv = v128.splat<T>(c);
    for (; i < nv; i += V) {
      const off = byteOffset<T>(i);
      const g = v128.mul<T>(cv, v128.sub<T>(v128.load(a + off), v128.load(b + off)));
      v128.store(ga + off, g);
      v128.store(gb + off, v128.neg<T>(g));
    }
  }
  for (; i < dim; i++) {
    const off = byteOffset<T>(i);
    const g = c * (load<T>(a + off) - load<T>(b + off));
    store<T>(ga + off, g);
    store<T>(gb + off, -g);
  }
}

export function contrastive_f32(rows: i32, dim: i32, y: usize, a: usize, b: usize, w: usize, lo: usize, ga: usize, gb: usize, k: f64,
                                m: f64, mode: i32): i32 {
  return contrastive<f32>(rows, dim, y, a, b, w, lo, ga, gb, k, m, mode);
}
export function contrastive_f64(rows: i32, dim: i32, y: usize, a: usize, b: usize, w: usize, lo: usize, ga: usize, gb: usize, k: f64,
                                m: f64, mode: i32): i32 {
  return contrastive<f64>(rows, dim, y, a, b, w, lo, ga, gb, k, m, mode);
}
