// The similarity losses over rows of `dim` values (kernel/similarity.ts: the ABI and the loop):
// soft Dice and Tversky overlap of masks, cosine similarity. Each row's loss comes from three sums
// over the row, in float64; its gradient with respect to pred is c₀ + c₁·y + c₂·p.

import { setCoefficients, similarity } from "../kernel/similarity";

/**
 * Base of the overlap losses: sums Σ y·p, Σ y, Σ p; target and pred in [0, 1] (NaN refused), which
 * keeps the denominators ≥ the smoothing term and the loss in [0, 1].
 */
@unmanaged class Overlap {
  // @ts-ignore: decorator
  @inline squares(): bool { return false; }
  // @ts-ignore: decorator
  @inline narrow(): bool { return true; }
  // @ts-ignore: decorator
  @inline readsPred(): bool { return false; }
  // @ts-ignore: decorator
  @inline unit(): bool { return true; }
}

/**
 * Soft Dice, p0 = s: l = 1 − q, q = n/d, n = 2·Σ y·p + s, d = Σ y + Σ p + s;
 * dl/dpᵢ = (n − 2yᵢ·d)/d² = q/d − (2/d)·yᵢ. (1 − q can round below 0 where every y·p is y = p = 1
 * but the float32 lane sums rounded 2·Σ y·p above Σ y + Σ p: the loss is clamped at 0.)
 */
@unmanaged class Dice extends Overlap {
  // @ts-ignore: decorator
  @inline finish(tp: f64, y: f64, p: f64, s: f64, p1: f64, p2: f64): f64 {
    const d = y + p + s;
    const q = (2 * tp + s) / d;
    setCoefficients(q / d, -2 / d, 0);
    return max<f64>(1 - q, 0);
  }
}

/**
 * Tversky, p0 = s, p1 = α, p2 = β: l = 1 − q, q = n/d, n = TP + s, d = TP + α·FP + β·FN + s, with
 * TP = Σ y·p, FP = Σ p − TP, FN = Σ y − TP (each ≥ 0 but for rounding, so clamped there);
 * dl/dpᵢ = (n·(α + (1 − α − β)·yᵢ) − yᵢ·d)/d² = α·q/d + ((1 − α − β)·q − 1)/d · yᵢ.
 */
@unmanaged class Tversky extends Overlap {
  // @ts-ignore: decorator
  @inline finish(tp: f64, y: f64, p: f64, s: f64, alpha: f64, beta: f64): f64 {
    const fp = max<f64>(p - tp, 0), fn = max<f64>(y - tp, 0);
    const d = tp + alpha * fp + beta * fn + s;
    const q = (tp + s) / d;
    setCoefficients(alpha * q / d, ((1 - alpha - beta) * q - 1) / d, 0);
    return max<f64>(1 - q, 0);
  }
}

// Keras's l2_normalize: x / sqrt(max(Σ x², 1e-12)), i.e. each row divided by max(‖x‖, 1e-6).
const NORM_FLOOR: f64 = 1e-12;

/**
 * Cosine similarity (Keras): l = −cos, cos = Σ y·p / (‖y‖'·‖p‖'), ‖x‖' = sqrt(max(Σ x², 1e-12));
 * dl/dpᵢ = −yᵢ/(‖y‖'‖p‖') + cos·pᵢ/‖p‖'², the second term 0 where ‖p‖ is floored (Σ p² < 1e-12: the
 * floor is a constant there; at the tie the gradient goes through Σ p², as TensorFlow's maximum
 * sends it to its first argument). A zero target row: cos = 0, gradient 0. cos is clamped to
 * [−1, 1] (rounding took it 2.2e-16 beyond in cosineEmbedding); the gradient uses the clamped value.
 */
@unmanaged class CosineSimilarity {
  // @ts-ignore: decorator
  @inline squares(): bool { return true; }
  // @ts-ignore: decorator
  @inline narrow(): bool { return false; }
  // @ts-ignore: decorator
  @inline readsPred(): bool { return true; }
  // @ts-ignore: decorator
  @inline unit(): bool { return false; }
  // @ts-ignore: decorator
  @inline finish(yp: f64, yy: f64, pp: f64, p0: f64, p1: f64, p2: f64): f64 {
    const ny = sqrt<f64>(max<f64>(yy, NORM_FLOOR));
    const np2 = max<f64>(pp, NORM_FLOOR);
    const inv = 1 / (ny * sqrt<f64>(np2));
    const cos = min<f64>(max<f64>(yp * inv, -1), 1);
    setCoefficients(0, -inv, pp >= NORM_FLOOR ? cos / np2 : 0);
    return 0 - cos; // (not −cos: a zero target row gives +0)
  }
}

export function dice_f32(rows: i32, dim: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, p0: f64, p1: f64, p2: f64,
                         mode: i32): i32 {
  return similarity<f32, Dice>(rows, dim, y, p, w, lo, g, k, p0, p1, p2, mode);
}
export function dice_f64(rows: i32, dim: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, p0: f64, p1: f64, p2: f64,
                         mode: i32): i32 {
  return similarity<f64, Dice>(rows, dim, y, p, w, lo, g, k, p0, p1, p2, mode);
}
export function tversky_f32(rows: i32, dim: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, p0: f64, p1: f64, p2: f64,
                            mode: i32): i32 {
  return similarity<f32, Tversky>(rows, dim, y, p, w, lo, g, k, p0, p1, p2, mode);
}
export function tversky_f64(rows: i32, dim: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, p0: f64, p1: f64, p2: f64,
                            mode: i32): i32 {
  return similarity<f64, Tversky>(rows, dim, y, p, w, lo, g, k, p0, p1, p2, mode);
}
export function cosineSimilarity_f32(rows: i32, dim: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, p0: f64, p1: f64,
                                     p2: f64, mode: i32): i32 {
  return similarity<f32, CosineSimilarity>(rows, dim, y, p, w, lo, g, k, p0, p1, p2, mode);
}
export function cosineSimilarity_f64(rows: i32, dim: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, p0: f64, p1: f64,
                                     p2: f64, mode: i32): i32 {
  return similarity<f64, CosineSimilarity>(rows, dim, y, p, w, lo, g, k, p0, p1, p2, mode);
}
