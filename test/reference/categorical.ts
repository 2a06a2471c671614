// float64 references for the multi-class family, written from the formulas (one row = one example).

export interface RowOpts {
  classes: number;
  labelSmoothing?: number;
  classWeights?: ArrayLike<number>;
  ignoreIndex?: number;
  p?: number;
  margin?: number;
  /** Focal: the exponent γ and α (one number, or one per class). */
  gamma?: number;
  alpha?: number | ArrayLike<number>;
}

export interface RowExpected {
  /** w_row·l per row. */
  losses: Float64Array;
  mean: number;
  sum: number;
  gradMean: Float64Array;
  gradSum: Float64Array;
  /** Σ w_row·[argmax(pred) = target] / Σ w_row over the rows that count. */
  accuracy: number;
  /** Per row, 1 where a kink of the gradient lies within rounding of the inputs: only finiteness is checked there. */
  kinks?: Uint8Array;
  /** Focal: per row, w_row·Σₖ |bₖ| (the terms its gradient is a difference of). */
  termScale?: Float64Array;
}

/** log Σ e^z, by the max. */
function logSumExp(z: ArrayLike<number>, at: number, C: number): { m: number; lse: number } {
  let m = -Infinity;
  for (let k = 0; k < C; k++) m = Math.max(m, z[at + k]!);
  let s = 0;
  for (let k = 0; k < C; k++) s += Math.exp(z[at + k]! - m);
  return { m, lse: m + Math.log(s) };
}

/** First index of the largest (a NaN counts as the largest). */
export function argmaxRef(z: ArrayLike<number>, at: number, C: number): number {
  let best = 0;
  for (let k = 1; k < C; k++) {
    const v = z[at + k]!;
    const b = z[at + best]!;
    if (v > b || (Number.isNaN(v) && !Number.isNaN(b))) best = k;
  }
  return best;
}

/**
 * Softmax cross-entropy on logits with a target distribution per row: dense target rows, or labels
 * (one-hot). ỹ = (1 − α)y + α/C, c_k = w_k ỹ_k, l = −Σ c_k log softmax(z)_k, d = Σ w_k y_k.
 */
export function softmaxCrossEntropyRef(
  target: ArrayLike<number>,
  sparse: boolean,
  z: ArrayLike<number>,
  o: RowOpts,
  weights?: ArrayLike<number>,
): RowExpected {
  const C = o.classes;
  const rows = z.length / C;
  const alpha = o.labelSmoothing ?? 0;
  const losses = new Float64Array(rows);
  const gradSum = new Float64Array(z.length);
  let sum = 0;
  let denominator = 0;
  let right = 0;
  let counted = 0;
  const y = new Float64Array(C);
  for (let r = 0; r < rows; r++) {
    const wr = weights ? weights[r]! : 1;
    if (sparse) {
      const t = target[r]!;
      if (t === o.ignoreIndex) continue;
      y.fill(0);
      y[t] = 1;
    } else {
      for (let k = 0; k < C; k++) y[k] = target[r * C + k]!;
    }
    const { lse } = logSumExp(z, r * C, C);
    let l = 0;
    let sc = 0;
    let d = 0;
    for (let k = 0; k < C; k++) {
      const wk = o.classWeights ? o.classWeights[k]! : 1;
      const c = wk * ((1 - alpha) * y[k]! + alpha / C);
      l -= c === 0 ? 0 : c * (z[r * C + k]! - lse);
      sc += c;
      d += wk * y[k]!;
    }
    for (let k = 0; k < C; k++) {
      const wk = o.classWeights ? o.classWeights[k]! : 1;
      const c = wk * ((1 - alpha) * y[k]! + alpha / C);
      gradSum[r * C + k] = wr * (Math.exp(z[r * C + k]! - lse) * sc - c);
    }
    losses[r] = wr * l;
    sum += wr * l;
    denominator += wr * (o.classWeights ? d : 1);
    right += wr * (argmaxRef(z, r * C, C) === argmaxRef(y, 0, C) ? 1 : 0);
    counted += wr;
  }
  const mean = denominator > 0 ? sum / denominator : 0;
  const gradMean = gradSum.map((g) => (denominator > 0 ? g / denominator : 0));
  return { losses, mean, sum, gradMean, gradSum, accuracy: counted > 0 ? right / counted : 0 };
}

/** Per row 1 if the label is among the k largest (ties: the lower index first; NaN the largest), else 0. */
export function topKRef(labels: ArrayLike<number>, z: ArrayLike<number>, C: number, k: number): Float64Array {
  const rows = labels.length;
  const hits = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const order = Array.from({ length: C }, (_, j) => j).sort((a, b) => {
      const va = z[r * C + a]!;
      const vb = z[r * C + b]!;
      const na = Number.isNaN(va);
      const nb = Number.isNaN(vb);
      if (na !== nb) return na ? -1 : 1;
      if (!na && va !== vb) return vb - va;
      return a - b;
    });
    hits[r] = order.slice(0, k).includes(labels[r]!) ? 1 : 0;
  }
  return hits;
}

/** A loss whose row is Σ_k term(y_k, p_k), with d/dp_k = deriv(y_k, p_k); mean over Σ w_row. */
function rowSumRef(
  term: (y: number, p: number) => number,
  deriv: (y: number, p: number) => number,
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  C: number,
  weights?: ArrayLike<number>,
): RowExpected {
  const rows = p.length / C;
  const losses = new Float64Array(rows);
  const gradSum = new Float64Array(p.length);
  let sum = 0;
  let wsum = 0;
  for (let r = 0; r < rows; r++) {
    const wr = weights ? weights[r]! : 1;
    let l = 0;
    for (let k = 0; k < C; k++) {
      l += term(y[r * C + k]!, p[r * C + k]!);
      gradSum[r * C + k] = wr * deriv(y[r * C + k]!, p[r * C + k]!);
    }
    losses[r] = wr * l;
    sum += wr * l;
    wsum += wr;
  }
  const mean = wsum > 0 ? sum / wsum : 0;
  return { losses, sum, mean, gradSum, gradMean: gradSum.map((g) => (wsum > 0 ? g / wsum : 0)), accuracy: denseAccuracy(y, p, C, weights) };
}

/** Σ w·[argmax(pred) = argmax(target)] / Σ w over dense rows. */
function denseAccuracy(y: ArrayLike<number>, p: ArrayLike<number>, C: number, w?: ArrayLike<number>): number {
  let right = 0;
  let total = 0;
  for (let r = 0; r < p.length / C; r++) {
    const wr = w ? w[r]! : 1;
    right += wr * (argmaxRef(p, r * C, C) === argmaxRef(y, r * C, C) ? 1 : 0);
    total += wr;
  }
  return total > 0 ? right / total : 0;
}

const clamp = (p: number, eps: number): number => (Number.isNaN(p) ? p : Math.min(Math.max(p, eps), 1));

/** −y log p and KL's P log(P/Q), p clamped to [ε, 1]; KL from logits is softmax cross-entropy plus Σ P log P. */
export function categoricalCrossEntropyRef(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  o: RowOpts & { eps?: number },
  w?: ArrayLike<number>,
): RowExpected {
  const eps = o.eps ?? 1e-7;
  return rowSumRef(
    (t, q) => (t === 0 ? 0 : -t * Math.log(clamp(q, eps))),
    (t, q) => -t / clamp(q, eps),
    y,
    p,
    o.classes,
    w,
  );
}

export function klDivergenceRef(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  o: RowOpts & { eps?: number; fromLogits?: boolean; logTarget?: boolean },
  w?: ArrayLike<number>,
): RowExpected {
  const eps = o.eps ?? 1e-7;
  if (o.logTarget) return klLogTargetRef(y, p, o.classes, o.fromLogits ? undefined : eps, w);
  if (!o.fromLogits) {
    return rowSumRef(
      (t, q) => (t > 0 ? t * (Math.log(t) - Math.log(clamp(q, eps))) : 0),
      (t, q) => -t / clamp(q, eps),
      y,
      p,
      o.classes,
      w,
    );
  }
  const e = softmaxCrossEntropyRef(y, false, p, { classes: o.classes }, w);
  const C = o.classes;
  let sum = 0;
  for (let r = 0; r < e.losses.length; r++) {
    let entropy = 0;
    for (let k = 0; k < C; k++) {
      const t = y[r * C + k]!;
      if (t > 0) entropy += t * Math.log(t);
    }
    e.losses[r] = e.losses[r]! + (w ? w[r]! : 1) * entropy;
    sum += e.losses[r]!;
  }
  const rows = e.losses.length;
  const wsum = w ? Array.from(w).reduce((a, b) => a + b, 0) : rows;
  return { ...e, sum, mean: wsum > 0 ? sum / wsum : 0 };
}

/**
 * KL with the target given as y = log P (PyTorch's `log_target`): Σ e^y·(y − log Q), 0 where e^y = 0.
 * On probabilities (eps given) log Q = log clamp(q, ε) and d/dq = −e^y / clamp(q, ε); on logits
 * log Q = (z − m) − log Σ e^(z−m) and d/dz = softmax(z)·Σ e^y − e^y.
 */
function klLogTargetRef(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  C: number,
  eps: number | undefined,
  w?: ArrayLike<number>,
): RowExpected {
  const rows = p.length / C;
  const losses = new Float64Array(rows);
  const gradSum = new Float64Array(p.length);
  let sum = 0;
  let wsum = 0;
  for (let r = 0; r < rows; r++) {
    const wr = w ? w[r]! : 1;
    let m = -Infinity;
    let s = 0;
    let mass = 0;
    if (eps === undefined) {
      for (let k = 0; k < C; k++) m = Math.max(m, p[r * C + k]!);
      for (let k = 0; k < C; k++) s += Math.exp(p[r * C + k]! - m);
      for (let k = 0; k < C; k++) mass += Math.exp(y[r * C + k]!);
    }
    let l = 0;
    for (let k = 0; k < C; k++) {
      const i = r * C + k;
      const P = Math.exp(y[i]!);
      const logQ = eps === undefined ? p[i]! - m - Math.log(s) : Math.log(clamp(p[i]!, eps));
      if (P > 0) l += P * (y[i]! - logQ);
      gradSum[i] = wr * (eps === undefined ? (Math.exp(p[i]! - m) / s) * mass - P : -P / clamp(p[i]!, eps));
    }
    losses[r] = wr * l;
    sum += wr * l;
    wsum += wr;
  }
  const mean = wsum > 0 ? sum / wsum : 0;
  return { losses, sum, mean, gradSum, gradMean: gradSum.map((g) => (wsum > 0 ? g / wsum : 0)), accuracy: denseAccuracy(y, p, C, w) };
}

/** max(0, 1 + max_{k≠t} ŷ_k − ŷ_t), t = argmax target; gradient ∓1 where the margin is ≥ 0. */
export function categoricalHingeRef(y: ArrayLike<number>, p: ArrayLike<number>, o: RowOpts, w?: ArrayLike<number>): RowExpected {
  const C = o.classes;
  const rows = p.length / C;
  const losses = new Float64Array(rows);
  const gradSum = new Float64Array(p.length);
  let sum = 0;
  let wsum = 0;
  for (let r = 0; r < rows; r++) {
    const wr = w ? w[r]! : 1;
    wsum += wr;
    const t = argmaxRef(y, r * C, C);
    let j = -1;
    for (let k = 0; k < C; k++) if (k !== t && (j < 0 || p[r * C + k]! > p[r * C + j]!)) j = k;
    if (j < 0) continue;
    const margin = 1 + p[r * C + j]! - p[r * C + t]!;
    if (margin >= 0) {
      losses[r] = wr * margin;
      sum += wr * margin;
      gradSum[r * C + j] = wr;
      gradSum[r * C + t] = -wr;
    }
  }
  const mean = wsum > 0 ? sum / wsum : 0;
  return { losses, sum, mean, gradSum, gradMean: gradSum.map((g) => (wsum > 0 ? g / wsum : 0)), accuracy: denseAccuracy(y, p, C, w) };
}

/**
 * PyTorch's multi_margin_loss per row, label t: (w_t/C)·Σ_{k≠t} max(0, m − z_t + z_k)^p, the gradient
 * (w_t/C)·p·max(0, x)^(p−1) where x > 0 (0 at the kink), −Σ of them at t; 'mean' over Σ w_row.
 */
export function multiMarginRef(labels: ArrayLike<number>, z: ArrayLike<number>, o: RowOpts, w?: ArrayLike<number>): RowExpected {
  const C = o.classes;
  const rows = z.length / C;
  const p = o.p ?? 1;
  const m = o.margin ?? 1;
  const u = z instanceof Float32Array ? 2 ** -24 : 2 ** -53;
  const losses = new Float64Array(rows);
  const gradSum = new Float64Array(z.length);
  const kinks = new Uint8Array(rows);
  let sum = 0;
  let wsum = 0;
  let right = 0;
  for (let r = 0; r < rows; r++) {
    const wr = w ? w[r]! : 1;
    const t = labels[r]!;
    const q = (o.classWeights ? o.classWeights[t]! : 1) / C;
    const zt = z[r * C + t]!;
    let l = 0;
    let d = 0;
    for (let k = 0; k < C; k++) {
      if (k === t) continue;
      const x = m - zt + z[r * C + k]!;
      // (x is formed in the dtype: within a few units of rounding of |m| + |z_t| + |z_k| of 0, its sign may differ)
      if (Math.abs(x) <= 4 * u * (m + Math.abs(zt) + Math.abs(z[r * C + k]!))) kinks[r] = 1;
      const h = Number.isNaN(x) ? x : Math.max(0, x);
      l += p === 1 ? h : h * h;
      const dh = p === 1 ? (x > 0 ? 1 : 0) : 2 * h;
      gradSum[r * C + k] = wr * q * dh;
      d += dh;
    }
    gradSum[r * C + t] = -wr * q * d;
    losses[r] = wr * q * l;
    sum += losses[r]!;
    wsum += wr;
    right += wr * (argmaxRef(z, r * C, C) === t ? 1 : 0);
  }
  const mean = wsum > 0 ? sum / wsum : 0;
  const gradMean = gradSum.map((g) => (wsum > 0 ? g / wsum : 0));
  return { losses, sum, mean, gradSum, gradMean, accuracy: wsum > 0 ? right / wsum : 0, kinks };
}

/**
 * PyTorch's multilabel_soft_margin_loss per row: (1/C)·Σ_k w_k·[y_k·softplus(−z_k) + (1 − y_k)·softplus(z_k)],
 * gradient (w_k/C)·(σ(z_k) − y_k); 'mean' over Σ w_row.
 */
export function multilabelSoftMarginRef(y: ArrayLike<number>, z: ArrayLike<number>, o: RowOpts, w?: ArrayLike<number>): RowExpected {
  const C = o.classes;
  const rows = z.length / C;
  const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
  const losses = new Float64Array(rows);
  const gradSum = new Float64Array(z.length);
  let sum = 0;
  let wsum = 0;
  for (let r = 0; r < rows; r++) {
    const wr = w ? w[r]! : 1;
    let l = 0;
    for (let k = 0; k < C; k++) {
      const i = r * C + k;
      const q = (o.classWeights ? o.classWeights[k]! : 1) / C;
      l += q * (y[i]! * softplus(-z[i]!) + (1 - y[i]!) * softplus(z[i]!));
      gradSum[i] = wr * q * (sigmoid(z[i]!) - y[i]!);
    }
    losses[r] = wr * l;
    sum += wr * l;
    wsum += wr;
  }
  const mean = wsum > 0 ? sum / wsum : 0;
  return { losses, sum, mean, gradSum, gradMean: gradSum.map((g) => (wsum > 0 ? g / wsum : 0)), accuracy: denseAccuracy(y, z, C, w) };
}

/** −w_t·x_t per row on log-probabilities x (NaN if the row has one); 'mean' over Σ w_row·w_t of the rows not ignored. */
export function nllRef(labels: ArrayLike<number>, x: ArrayLike<number>, o: RowOpts, weights?: ArrayLike<number>): RowExpected {
  const C = o.classes;
  const rows = x.length / C;
  const losses = new Float64Array(rows);
  const gradSum = new Float64Array(x.length);
  let sum = 0;
  let denominator = 0;
  let right = 0;
  let counted = 0;
  for (let r = 0; r < rows; r++) {
    const t = labels[r]!;
    if (t === o.ignoreIndex) continue;
    const wr = weights ? weights[r]! : 1;
    const wt = o.classWeights ? o.classWeights[t]! : 1;
    // A NaN anywhere in the row: NaN, as in the other row-wise losses (PyTorch reads the label's value alone).
    const nan = Array.from({ length: C }, (_, k) => x[r * C + k]!).some(Number.isNaN) ? Number.NaN : 0;
    losses[r] = -wr * wt * x[r * C + t]! + nan;
    sum += losses[r]!;
    gradSum[r * C + t] = -wr * wt + nan;
    denominator += wr * wt;
    right += wr * (argmaxRef(x, r * C, C) === t ? 1 : 0);
    counted += wr;
  }
  const mean = denominator > 0 ? sum / denominator : 0;
  return {
    losses,
    mean,
    sum,
    gradSum,
    gradMean: gradSum.map((g) => (denominator > 0 ? g / denominator : 0)),
    accuracy: counted > 0 ? right / counted : 0,
  };
}

/**
 * Softmax focal cross-entropy on logits, dense targets or labels (one-hot): ỹ = (1 − α_s)y + α_s/C,
 * cₖ = αₖỹₖ, l = −Σ cₖ(1 − pₖ)^γ log pₖ with log pₖ = zₖ − lse; 1 − pₖ as Σ_{j≠k} pⱼ for the
 * largest p (the only one that may exceed ½), else 1 − pₖ. Gradient by the chain rule:
 * dl/dzⱼ = bⱼ − pⱼ Σ bₖ, bₖ = cₖ(1 − pₖ)^γ (γ pₖ log pₖ / (1 − pₖ) − 1) (the ratio's limit −pₖ where 1 − pₖ = 0).
 * 'mean' over Σ w_row of the rows not ignored.
 */
export function softmaxFocalRef(
  target: ArrayLike<number>,
  sparse: boolean,
  z: ArrayLike<number>,
  o: RowOpts,
  weights?: ArrayLike<number>,
): RowExpected {
  const C = o.classes;
  const rows = z.length / C;
  const smoothing = o.labelSmoothing ?? 0;
  const gamma = o.gamma ?? 2;
  const alpha = (k: number) => (typeof o.alpha === 'number' ? o.alpha : o.alpha === undefined ? 0.25 : o.alpha[k]!);
  const losses = new Float64Array(rows);
  const gradSum = new Float64Array(z.length);
  let sum = 0;
  let denominator = 0;
  let right = 0;
  const y = new Float64Array(C);
  const b = new Float64Array(C);
  const p = new Float64Array(C);
  const termScale = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const wr = weights ? weights[r]! : 1;
    if (sparse) {
      const t = target[r]!;
      if (t === o.ignoreIndex) continue;
      y.fill(0);
      y[t] = 1;
    } else for (let k = 0; k < C; k++) y[k] = target[r * C + k]!;
    // lse = m + log1p(Σ_{j≠top} e^{zⱼ − m}) and 1 − p_top = Σ_{j≠top} pⱼ: exact as p_top → 1.
    const top = argmaxRef(z, r * C, C);
    const m = z[r * C + top]!;
    let rest = 0;
    for (let k = 0; k < C; k++) if (k !== top) rest += Math.exp(z[r * C + k]! - m);
    const lse = Math.log1p(rest); // of z − m: m + lse would round away the digits of log p_top
    for (let k = 0; k < C; k++) p[k] = Math.exp(z[r * C + k]! - m - lse);
    let l = 0;
    let B = 0;
    const u = new Float64Array(C);
    for (let k = 0; k < C; k++) {
      const c = alpha(k) * ((1 - smoothing) * y[k]! + smoothing / C);
      const logp = z[r * C + k]! - m - lse;
      u[k] = k === top ? rest / (1 + rest) : 1 - p[k]!;
      const pw = u[k]! ** gamma;
      l -= c === 0 ? 0 : c * pw * logp;
      const ratio = u[k]! > 0 ? (p[k]! * logp) / u[k]! : -p[k]!;
      b[k] = c * pw * (gamma * ratio - 1);
      B += b[k]!;
    }
    // bₖ − pₖΣb; at the top as b·u − p·Σ_{j≠top} bⱼ, without the cancellation of b − p·b.
    let others = 0;
    for (let k = 0; k < C; k++) if (k !== top) others += b[k]!;
    for (let k = 0; k < C; k++) {
      const g = k === top ? b[k]! * u[k]! - p[k]! * others : b[k]! - p[k]! * B;
      gradSum[r * C + k] = wr * g;
      termScale[r] = termScale[r]! + wr * Math.abs(b[k]!);
    }
    losses[r] = wr * l;
    sum += wr * l;
    denominator += wr;
    right += wr * (argmaxRef(z, r * C, C) === argmaxRef(y, 0, C) ? 1 : 0);
  }
  const mean = denominator > 0 ? sum / denominator : 0;
  const gradMean = gradSum.map((g) => (denominator > 0 ? g / denominator : 0));
  return { losses, mean, sum, gradMean, gradSum, accuracy: denominator > 0 ? right / denominator : 0, termScale };
}

export type RowReference = (
  target: ArrayLike<number>,
  z: ArrayLike<number>,
  o: RowOpts & { k?: number; eps?: number; fromLogits?: boolean; logTarget?: boolean },
  weights?: ArrayLike<number>,
) => RowExpected;

/** A metric as a per-row reference: w·hit per row, mean over Σ w. */
function metricRef(hits: Float64Array, weights?: ArrayLike<number>): RowExpected {
  const losses = hits.map((h, r) => (weights ? weights[r]! : 1) * h);
  const sum = losses.reduce((a, b) => a + b, 0);
  const total = weights ? Array.from(weights).reduce((a, b) => a + b, 0) : hits.length;
  const none = new Float64Array(0);
  return { losses, sum, mean: total > 0 ? sum / total : 0, gradMean: none, gradSum: none, accuracy: NaN };
}

/** Keyed by registry name. */
export const rowReferences: Record<string, RowReference> = {
  sparseSoftmaxCrossEntropy: (t, z, o, w) => softmaxCrossEntropyRef(t, true, z, o, w),
  softmaxCrossEntropy: (t, z, o, w) => softmaxCrossEntropyRef(t, false, z, o, w),
  categoricalAccuracy: (t, z, o, w) => {
    const rows = z.length / o.classes;
    const hits = new Float64Array(rows);
    for (let r = 0; r < rows; r++) hits[r] = argmaxRef(z, r * o.classes, o.classes) === argmaxRef(t, r * o.classes, o.classes) ? 1 : 0;
    return metricRef(hits, w);
  },
  sparseCategoricalAccuracy: (t, z, o, w) => metricRef(topKRef(t, z, o.classes, 1), w),
  topKAccuracy: (t, z, o, w) => metricRef(topKRef(t, z, o.classes, Math.min(o.k ?? 5, o.classes)), w),
  categoricalCrossEntropy: categoricalCrossEntropyRef,
  klDivergence: klDivergenceRef,
  categoricalHinge: categoricalHingeRef,
  multiMargin: multiMarginRef,
  multilabelSoftMargin: multilabelSoftMarginRef,
  nll: nllRef,
  softmaxFocal: (t, z, o, w) => softmaxFocalRef(t, false, z, o, w),
  sparseSoftmaxFocal: (t, z, o, w) => softmaxFocalRef(t, true, z, o, w),
};
