/**
 * The baseline for the similarity losses: the plain JS loops a developer would write for rows of
 * `dim` values — per row, one loop for its three sums (in JS numbers, float64), then one writing its
 * gradient, an affine function of the row's elements whose coefficients are taken once per row; a
 * new Float32Array gradient per call (or a reused one), mean over rows. Written from the formulas;
 * bench/run.ts checks simdloss against them before timing.
 *
 * Each element is read once per loop into a local, and the row's end is a local: the same loops
 * indexing `y[i]` twice per use and recomputing `start + dim` in each test ran 15% slower (dice,
 * 16 × 65,536, CPU time per call), and tversky's gradient written as the formula, a division per
 * element, was slower again: neither is what a developer who times their code keeps.
 */
import type { PlainLoss } from './plain.js';

export const plainSimilarity: Record<string, PlainLoss> = {
  // 1 − (2·Σ y·p + s)/(Σ y + Σ p + s) per row; d/dpᵢ = (2·Σ y·p + s)/d² − 2yᵢ/d
  dice(y, p, { dim = 1, smooth = 1e-5 }, out) {
    const n = p.length;
    const rows = n / dim;
    const grad = out ?? new Float32Array(n);
    const k = rows > 0 ? 1 / rows : 0;
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const start = r * dim;
      const end = start + dim;
      let tp = 0;
      let sy = 0;
      let sp = 0;
      for (let i = start; i < end; i++) {
        const t = y[i]!;
        const q = p[i]!;
        tp += t * q;
        sy += t;
        sp += q;
      }
      const d = sy + sp + smooth;
      const num = 2 * tp + smooth;
      sum += 1 - num / d;
      const c0 = (k * num) / (d * d);
      const c1 = (-2 * k) / d;
      for (let i = start; i < end; i++) grad[i] = c0 + c1 * y[i]!;
    }
    return { loss: rows > 0 ? sum / rows : 0, grad };
  },

  // 1 − (TP + s)/(TP + α·FP + β·FN + s) per row, FP = Σ p − TP, FN = Σ y − TP;
  // d/dpᵢ = −(yᵢ·d − (TP + s)·(yᵢ + α(1 − yᵢ) − β·yᵢ))/d² = ((TP + s)·α + yᵢ·((TP + s)(1 − α − β) − d))/d²
  tversky(y, p, { dim = 1, alpha = 0.5, beta = 0.5, smooth = 1e-5 }, out) {
    const n = p.length;
    const rows = n / dim;
    const grad = out ?? new Float32Array(n);
    const k = rows > 0 ? 1 / rows : 0;
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const start = r * dim;
      const end = start + dim;
      let tp = 0;
      let sy = 0;
      let sp = 0;
      for (let i = start; i < end; i++) {
        const t = y[i]!;
        const q = p[i]!;
        tp += t * q;
        sy += t;
        sp += q;
      }
      const d = tp + alpha * (sp - tp) + beta * (sy - tp) + smooth;
      const num = tp + smooth;
      sum += 1 - num / d;
      const c0 = (k * num * alpha) / (d * d);
      const c1 = (k * (num * (1 - alpha - beta) - d)) / (d * d);
      for (let i = start; i < end; i++) grad[i] = c0 + c1 * y[i]!;
    }
    return { loss: rows > 0 ? sum / rows : 0, grad };
  },

  // −Σ y·p/(‖y‖‖p‖) per row, norms floored at 1e-6; d/dpᵢ = −yᵢ/(‖y‖‖p‖) + cos·pᵢ/‖p‖²
  cosineSimilarity(y, p, { dim = 1 }, out) {
    const n = p.length;
    const rows = n / dim;
    const grad = out ?? new Float32Array(n);
    const k = rows > 0 ? 1 / rows : 0;
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const start = r * dim;
      const end = start + dim;
      let yp = 0;
      let yy = 0;
      let pp = 0;
      for (let i = start; i < end; i++) {
        const t = y[i]!;
        const q = p[i]!;
        yp += t * q;
        yy += t * t;
        pp += q * q;
      }
      const ny = Math.sqrt(Math.max(yy, 1e-12));
      const np = Math.sqrt(Math.max(pp, 1e-12));
      const cos = yp / (ny * np);
      sum -= cos;
      const a = -k / (ny * np);
      const b = pp >= 1e-12 ? (k * cos) / (np * np) : 0;
      for (let i = start; i < end; i++) grad[i] = a * y[i]! + b * p[i]!;
    }
    return { loss: rows > 0 ? sum / rows : 0, grad };
  },
};
