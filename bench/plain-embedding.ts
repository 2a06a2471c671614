/**
 * The baseline for the embedding losses: plain JS loops a developer would write, one row at a time,
 * sums in JS numbers (float64), new Float32Array gradients per call (or reused ones), mean
 * reduction. Written from the formulas; bench/run.ts checks simdloss against them before timing.
 */
export interface EmbeddingResult {
  loss: number;
  grad: Record<string, Float32Array>;
}
/** `label` is undefined for triplet; `xs` the embedding inputs in argument order; `out` reused gradients. */
export type PlainEmbedding = (
  label: Float32Array | undefined,
  xs: Float32Array[],
  opts: Record<string, number>,
  out?: Float32Array[],
) => EmbeddingResult;

export const plainEmbedding: Record<string, PlainEmbedding> = {
  // (1 − y)·½D² + y·½max(0, m − D)²; d/da = c(a − b), c = (1 − y) − y·max(0, m − D)/D
  contrastive(label, [a, b], { dim, margin = 1 }, out) {
    const n = a!.length / dim!;
    const ga = out?.[0] ?? new Float32Array(a!.length);
    const gb = out?.[1] ?? new Float32Array(a!.length);
    let sum = 0;
    for (let r = 0; r < n; r++) {
      const o = r * dim!;
      let d2 = 0;
      for (let i = 0; i < dim!; i++) {
        const d = a![o + i]! - b![o + i]!;
        d2 += d * d;
      }
      const y = label![r]!;
      const d = Math.sqrt(d2);
      const h = Math.max(0, margin - d);
      sum += (1 - y) * 0.5 * d2 + y * 0.5 * h * h;
      const c = (1 - y - (d > 0 ? (y * h) / d : 0)) / n;
      for (let i = 0; i < dim!; i++) {
        const g = c * (a![o + i]! - b![o + i]!);
        ga[o + i] = g;
        gb[o + i] = -g;
      }
    }
    return { loss: n > 0 ? sum / n : 0, grad: { a: ga, b: gb } };
  },

  // max(0, ‖a − p‖ − ‖a − n‖ + α)
  triplet(_label, [a, p, q], { dim, margin = 1 }, out) {
    const n = a!.length / dim!;
    const ga = out?.[0] ?? new Float32Array(a!.length);
    const gp = out?.[1] ?? new Float32Array(a!.length);
    const gn = out?.[2] ?? new Float32Array(a!.length);
    let sum = 0;
    for (let r = 0; r < n; r++) {
      const o = r * dim!;
      let ap = 0;
      let an = 0;
      for (let i = 0; i < dim!; i++) {
        const u = a![o + i]! - p![o + i]!;
        const v = a![o + i]! - q![o + i]!;
        ap += u * u;
        an += v * v;
      }
      const dap = Math.sqrt(ap);
      const dan = Math.sqrt(an);
      const t = dap - dan + margin;
      if (t >= 0) {
        sum += t;
        const cu = dap > 0 ? 1 / (n * dap) : 0;
        const cv = dan > 0 ? 1 / (n * dan) : 0;
        for (let i = 0; i < dim!; i++) {
          const u = cu * (a![o + i]! - p![o + i]!);
          const v = cv * (a![o + i]! - q![o + i]!);
          ga[o + i] = u - v;
          gp[o + i] = -u;
          gn[o + i] = v;
        }
      } else {
        ga.fill(0, o, o + dim!);
        gp.fill(0, o, o + dim!);
        gn.fill(0, o, o + dim!);
      }
    }
    return { loss: n > 0 ? sum / n : 0, grad: { anchor: ga, positive: gp, negative: gn } };
  },

  // 1 − cos where y = 1, max(0, cos − m) where y = −1
  cosineEmbedding(label, [a, b], { dim, margin = 0 }, out) {
    const n = a!.length / dim!;
    const ga = out?.[0] ?? new Float32Array(a!.length);
    const gb = out?.[1] ?? new Float32Array(a!.length);
    let sum = 0;
    for (let r = 0; r < n; r++) {
      const o = r * dim!;
      let ab = 0;
      let aa = 0;
      let bb = 0;
      for (let i = 0; i < dim!; i++) {
        const x = a![o + i]!;
        const y = b![o + i]!;
        ab += x * y;
        aa += x * x;
        bb += y * y;
      }
      const zero = aa === 0 || bb === 0;
      const inv = zero ? 0 : 1 / Math.sqrt(aa * bb);
      const cos = ab * inv;
      const positive = label![r]! > 0;
      sum += positive ? 1 - cos : Math.max(0, cos - margin);
      const k = zero ? 0 : (positive ? -1 : cos - margin >= 0 ? 1 : 0) / n;
      const alpha = k * inv;
      const beta = zero ? 0 : (-k * cos) / aa;
      const gamma = zero ? 0 : (-k * cos) / bb;
      for (let i = 0; i < dim!; i++) {
        const x = a![o + i]!;
        const y = b![o + i]!;
        ga[o + i] = alpha * y + beta * x;
        gb[o + i] = alpha * x + gamma * y;
      }
    }
    return { loss: n > 0 ? sum / n : 0, grad: { a: ga, b: gb } };
  },
};
