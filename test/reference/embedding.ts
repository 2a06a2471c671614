// float64 references for the embedding losses, written from their formulas,
// one row at a time: the loss and the gradient of that row's loss for every embedding input.
export type Opts = Record<string, number | boolean>;

export interface RowResult {
  loss: number;
  /** d loss / d input, one array per embedding input, in argument order. */
  grads: number[][];
  /** The size of the terms the loss is made of (for tolerances relative to the row). */
  scale: number;
  /** The size of the terms each gradient element is made of (its tolerance is relative to this). */
  gradScale: number;
  /** Within `near` (relative) of a kink, where float32 and float64 may take different sides. */
  kinkGap: number;
}

export interface RowReference {
  /** `label` is NaN for losses without one. */
  row(label: number, xs: number[][], opts: Opts): RowResult;
}

const sub = (x: number[], y: number[]) => x.map((v, i) => v - y[i]!);
const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i]!, 0);
const norm = (x: number[]) => Math.sqrt(dot(x, x));
const scaled = (k: number, x: number[]) => x.map((v) => k * v);
const add = (x: number[], y: number[]) => x.map((v, i) => v + y[i]!);
const maxAbs = (...xs: number[][]) => Math.max(0, ...xs.flat().map(Math.abs));

export const contrastive: RowReference = {
  row(y, [a, b], opts) {
    const m = (opts.margin as number | undefined) ?? 1;
    const u = sub(a!, b!);
    const d = norm(u);
    const h = Math.max(0, m - d);
    const loss = (1 - y) * 0.5 * d * d + y * 0.5 * h * h;
    // d/da ½D² = u; d/da ½(m − D)² = −(m − D)·u/D, taken as 0 at D = 0 (the documented subgradient).
    const c = 1 - y - (d > 0 ? (y * h) / d : 0);
    const ga = scaled(c, u);
    const gradScale = (Math.abs(1 - y) + (d > 0 ? (y * h) / d : 0)) * maxAbs(u);
    return { loss, grads: [ga, scaled(-1, ga)], scale: 0.5 * d * d + 0.5 * m * m + d, gradScale, kinkGap: y > 0 ? d : Infinity };
  },
};

export const triplet: RowReference = {
  row(_y, [a, p, n], opts) {
    const m = (opts.margin as number | undefined) ?? 1;
    const sq = opts.squared === true;
    const dist = (x: number[], y: number[]) => (sq ? dot(sub(x, y), sub(x, y)) : norm(sub(x, y)));
    // gradient of dist(x, y) with respect to x: (x − y)/‖x − y‖ (0 at 0), or 2(x − y) squared
    const dgrad = (x: number[], y: number[]) => {
      const u = sub(x, y);
      if (sq) return scaled(2, u);
      const d = norm(u);
      return d > 0 ? scaled(1 / d, u) : u.map(() => 0);
    };
    const dap = dist(a!, p!);
    const dan = dist(a!, n!);
    const dpn = dist(p!, n!);
    const useSwap = opts.swap === true && dpn < dan;
    const t = dap - (useSwap ? dpn : dan) + m;
    const zero = a!.map(() => 0);
    let grads = [zero, zero, zero];
    if (t >= 0) {
      const gAp = dgrad(a!, p!); // d dap / da; d dap / dp = −gAp
      if (useSwap) {
        const gPn = dgrad(p!, n!); // d dpn / dp; d dpn / dn = −gPn
        grads = [gAp, sub(scaled(-1, gAp), gPn), gPn];
      } else {
        const gAn = dgrad(a!, n!);
        grads = [sub(gAp, gAn), scaled(-1, gAp), gAn];
      }
    }
    const gaps = [Math.abs(t), dap, useSwap ? dpn : dan];
    if (opts.swap === true) gaps.push(Math.abs(dpn - dan));
    const gradScale = sq ? 2 * maxAbs(sub(a!, p!), sub(a!, n!), sub(p!, n!)) : 2;
    return { loss: Math.max(0, t), grads, scale: dap + dan + dpn + m, gradScale, kinkGap: Math.min(...gaps) };
  },
};

export const cosineEmbedding: RowReference = {
  row(y, [a, b], opts) {
    const m = (opts.margin as number | undefined) ?? 0;
    const na = norm(a!);
    const nb = norm(b!);
    const zeroNorm = na === 0 || nb === 0;
    const cos = zeroNorm ? 0 : dot(a!, b!) / (na * nb);
    const loss = y > 0 ? 1 - cos : Math.max(0, cos - m);
    const zero = a!.map(() => 0);
    let grads = [zero, zero];
    const k = y > 0 ? -1 : cos - m >= 0 ? 1 : 0;
    if (k !== 0 && !zeroNorm) {
      const dA = add(scaled(1 / (na * nb), b!), scaled(-cos / (na * na), a!));
      const dB = add(scaled(1 / (na * nb), a!), scaled(-cos / (nb * nb), b!));
      grads = [scaled(k, dA), scaled(k, dB)];
    }
    const gradScale = zeroNorm ? 0 : maxAbs(b!) / (na * nb) + maxAbs(a!) / (na * na) + maxAbs(a!) / (na * nb) + maxAbs(b!) / (nb * nb);
    return { loss, grads, scale: 1 + m, gradScale, kinkGap: y > 0 ? Infinity : Math.abs(cos - m) };
  },
};

export const embeddingReferences: Record<string, RowReference> = { contrastive, triplet, cosineEmbedding };
