/**
 * The baseline for the three-input losses: plain JS loops a developer would write, one element at a
 * time, the sum in a JS number (float64), new Float32Array gradients per call (or reused ones), mean
 * reduction. Written from the formulas; bench/run.ts checks simdloss against them before timing.
 * The shape is the embedding baselines' (bench/plain-embedding.ts), the target in the label's place.
 */
import type { PlainEmbedding } from './plain-embedding.js';

export const plainTernary: Record<string, PlainEmbedding> = {
  // ½(ln v + (ŷ − y)²/v), v = max(variance, ε); d/dŷ = (ŷ − y)/v, d/dvariance = ½(1/v − (ŷ − y)²/v²)
  gaussianNLL(target, [mean, variance], { eps = 1e-6 }, out) {
    const y = target!;
    const n = y.length;
    const gm = out?.[0] ?? new Float32Array(n);
    const gv = out?.[1] ?? new Float32Array(n);
    const k = n > 0 ? 1 / n : 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = Math.max(variance![i]!, eps);
      const r = mean![i]! - y[i]!;
      sum += 0.5 * (Math.log(v) + (r * r) / v);
      gm[i] = (k * r) / v;
      gv[i] = 0.5 * k * (1 / v - (r * r) / (v * v));
    }
    return { loss: n > 0 ? sum / n : 0, grad: { mean: gm, variance: gv } };
  },

  // max(0, m − y·(x₁ − x₂)); d/dx₁ = −y, d/dx₂ = y where m − y·(x₁ − x₂) ≥ 0, else 0
  marginRanking(target, [x1, x2], { margin = 0 }, out) {
    const y = target!;
    const n = y.length;
    const g1 = out?.[0] ?? new Float32Array(n);
    const g2 = out?.[1] ?? new Float32Array(n);
    const k = n > 0 ? 1 / n : 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const l = margin - y[i]! * (x1![i]! - x2![i]!);
      if (l >= 0) {
        sum += l;
        g1[i] = -k * y[i]!;
        g2[i] = k * y[i]!;
      } else {
        g1[i] = 0;
        g2[i] = 0;
      }
    }
    return { loss: n > 0 ? sum / n : 0, grad: { x1: g1, x2: g2 } };
  },
};
