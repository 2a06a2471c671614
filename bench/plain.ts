/**
 * The baseline: what a JS developer would write by hand — one loop, the sum in a JS number (float64),
 * a new Float32Array for the gradient (or a reused one), mean reduction. Written from the formulas, not from the
 * kernels, and checked against simdloss before anything is timed (bench/run.ts).
 */
export interface LossAndGrad {
  loss: number;
  grad: Float32Array;
}
/** `out`: a gradient array to reuse, as a training loop would (else a new one per call). */
/** `target`: a Float32Array, or for sparse row-wise losses an Int32Array of labels (opts.classes per row). */
export type PlainLoss = (
  target: Float32Array | Int32Array,
  pred: Float32Array,
  opts: Record<string, number>,
  out?: Float32Array,
) => LossAndGrad;

/** Keyed by registry name; an elementwise loss missing here is timed against its float64 reference in a loop (bench/reference-loop.ts), a row-wise one refuses to run. */
export const plain: Record<string, PlainLoss> = {
  // (y − ŷ)², grad 2(ŷ − y)/N
  mse(y, p, _opts, out) {
    const n = p.length;
    const grad = out ?? new Float32Array(n);
    const s = n > 0 ? 2 / n : 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const r = p[i]! - y[i]!;
      sum += r * r;
      grad[i] = s * r;
    }
    return { loss: n > 0 ? sum / n : 0, grad };
  },

  // |y − ŷ|, grad sign(ŷ − y)/N, 0 where ŷ = y
  mae(y, p, _opts, out) {
    const n = p.length;
    const grad = out ?? new Float32Array(n);
    const s = n > 0 ? 1 / n : 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const r = p[i]! - y[i]!;
      sum += Math.abs(r);
      grad[i] = r > 0 ? s : r < 0 ? -s : 0;
    }
    return { loss: n > 0 ? sum / n : 0, grad };
  },

  // ½r² if |r| ≤ δ else δ(|r| − ½δ), grad clamp(r, −δ, δ)/N
  huber(y, p, { delta = 1 }, out) {
    const n = p.length;
    const grad = out ?? new Float32Array(n);
    const s = n > 0 ? 1 / n : 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const r = p[i]! - y[i]!;
      const a = Math.abs(r);
      if (a <= delta) {
        sum += 0.5 * r * r;
        grad[i] = s * r;
      } else {
        sum += delta * (a - 0.5 * delta);
        grad[i] = r > 0 ? s * delta : -s * delta;
      }
    }
    return { loss: n > 0 ? sum / n : 0, grad };
  },

  // huber with δ = β, divided by β: ½r²/β if |r| ≤ β else |r| − ½β, grad clamp(r, −β, β)/(βN)
  smoothL1(y, p, { beta = 1 }, out) {
    const n = p.length;
    const grad = out ?? new Float32Array(n);
    const s = n > 0 ? 1 / n : 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const r = p[i]! - y[i]!;
      const a = Math.abs(r);
      if (a <= beta) {
        sum += (0.5 * r * r) / beta;
        grad[i] = (s * r) / beta;
      } else {
        sum += a - 0.5 * beta;
        grad[i] = r > 0 ? s : -s;
      }
    }
    return { loss: n > 0 ? sum / n : 0, grad };
  },

  // ln cosh r, grad tanh(r)/N (Math.cosh overflows past |r| ≈ 710; the bench's residuals stay within ±20)
  logCosh(y, p, _opts, out) {
    const n = p.length;
    const grad = out ?? new Float32Array(n);
    const s = n > 0 ? 1 / n : 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const r = p[i]! - y[i]!;
      sum += Math.log(Math.cosh(r));
      grad[i] = s * Math.tanh(r);
    }
    return { loss: n > 0 ? sum / n : 0, grad };
  },

  // max(q(y − ŷ), (q − 1)(y − ŷ)), grad −q where ŷ < y, 1 − q where ŷ > y, 0 on it
  quantile(y, p, { q = 0.5 }, out) {
    const n = p.length;
    const grad = out ?? new Float32Array(n);
    const s = n > 0 ? 1 / n : 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const r = y[i]! - p[i]!;
      sum += Math.max(q * r, (q - 1) * r);
      grad[i] = r > 0 ? -s * q : r < 0 ? s * (1 - q) : 0;
    }
    return { loss: n > 0 ? sum / n : 0, grad };
  },

  // 100|y − ŷ| / max(|y|, ε), grad ±100 / max(|y|, ε), 0 where ŷ = y
  mape(y, p, { eps = 1e-7 }, out) {
    const n = p.length;
    const grad = out ?? new Float32Array(n);
    const s = n > 0 ? 100 / n : 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const r = p[i]! - y[i]!;
      const m = Math.max(Math.abs(y[i]!), eps);
      sum += (100 * Math.abs(r)) / m;
      grad[i] = r > 0 ? s / m : r < 0 ? -s / m : 0;
    }
    return { loss: n > 0 ? sum / n : 0, grad };
  },

  // (ln(1 + max(ŷ, ε)) − ln(1 + max(y, ε)))², grad 2d / (1 + ŷ), 0 where ŷ < ε
  msle(y, p, { eps = 1e-7 }, out) {
    const n = p.length;
    const grad = out ?? new Float32Array(n);
    const s = n > 0 ? 2 / n : 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.max(p[i]!, eps);
      const d = Math.log1p(a) - Math.log1p(Math.max(y[i]!, eps));
      sum += d * d;
      grad[i] = p[i]! < eps ? 0 : (s * d) / (1 + a);
    }
    return { loss: n > 0 ? sum / n : 0, grad };
  },

  // logInput (the default): e^ŷ − yŷ, grad e^ŷ − y
  poissonNLL(y, p, _opts, out) {
    const n = p.length;
    const grad = out ?? new Float32Array(n);
    const s = n > 0 ? 1 / n : 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const e = Math.exp(p[i]!);
      sum += e - y[i]! * p[i]!;
      grad[i] = s * (e - y[i]!);
    }
    return { loss: n > 0 ? sum / n : 0, grad };
  },

  // −[w₊y ln p + (1 − y) ln(1 − p)], p clamped to [ε, 1 − ε]; grad −w₊y/p + (1 − y)/(1 − p)
  binaryCrossEntropy(y, p, { eps = 1e-7, posWeight = 1 }, out) {
    const n = p.length;
    const grad = out ?? new Float32Array(n);
    const s = n > 0 ? 1 / n : 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const c = Math.min(Math.max(p[i]!, eps), 1 - eps);
      const t = y[i]!;
      sum -= posWeight * t * Math.log(c) + (1 - t) * Math.log(1 - c);
      grad[i] = s * (-(posWeight * t) / c + (1 - t) / (1 - c));
    }
    return { loss: n > 0 ? sum / n : 0, grad };
  },

  // max(z, 0) − z·y + ln(1 + e^−|z|) (PyTorch's pos_weight form), grad (1 − y)σ(z) − w₊yσ(−z); one exp per element
  binaryCrossEntropyWithLogits(y, z, { posWeight = 1, labelSmoothing = 0 }, out) {
    const n = z.length;
    const grad = out ?? new Float32Array(n);
    const s = n > 0 ? 1 / n : 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const x = z[i]!;
      const t = y[i]! * (1 - labelSmoothing) + labelSmoothing / 2;
      const e = Math.exp(-Math.abs(x));
      const l = (posWeight - 1) * t + 1;
      sum += (1 - t) * x + l * (Math.log1p(e) + Math.max(-x, 0));
      const sig = x >= 0 ? 1 / (1 + e) : e / (1 + e); // σ(z)
      grad[i] = s * ((1 - t) * sig - posWeight * t * (1 - sig));
    }
    return { loss: n > 0 ? sum / n : 0, grad };
  },

  // αₜ(1 − pₜ)^γ·ce on logits (torchvision's form), grad by the chain rule
  binaryFocal(y, z, { gamma = 2, alpha = 0.25 }, out) {
    const n = z.length;
    const grad = out ?? new Float32Array(n);
    const s = n > 0 ? 1 / n : 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const x = z[i]!;
      const t = y[i]!;
      const e = Math.exp(-Math.abs(x));
      const lp = Math.log1p(e);
      const p = x >= 0 ? 1 / (1 + e) : e / (1 + e);
      const q = x >= 0 ? e / (1 + e) : 1 / (1 + e);
      const ce = t * (Math.max(-x, 0) + lp) + (1 - t) * (Math.max(x, 0) + lp);
      const m = t * q + (1 - t) * p;
      const at = alpha * t + (1 - alpha) * (1 - t);
      const mod = m ** gamma;
      sum += at * mod * ce;
      const dm = m > 0 ? gamma * (1 - 2 * t) * ((p * q) / m) * ce : 0;
      grad[i] = s * at * mod * (dm + (1 - t) * p - t * q);
    }
    return { loss: n > 0 ? sum / n : 0, grad };
  },

  // max(0, 1 − y·ŷ) with y ∈ {−1, 1} (0 read as −1), grad −y where 1 − y·ŷ ≥ 0
  hinge(y, p, _opts, out) {
    const n = p.length;
    const grad = out ?? new Float32Array(n);
    const s = n > 0 ? 1 / n : 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const t = y[i] === 0 ? -1 : y[i]!;
      const m = 1 - t * p[i]!;
      if (m >= 0) {
        sum += m;
        grad[i] = -s * t;
      } else {
        grad[i] = 0;
      }
    }
    return { loss: n > 0 ? sum / n : 0, grad };
  },

  // max(0, 1 − y·ŷ)², grad −2y·max(0, 1 − y·ŷ)
  squaredHinge(y, p, _opts, out) {
    const n = p.length;
    const grad = out ?? new Float32Array(n);
    const s = n > 0 ? 1 / n : 0;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const t = y[i] === 0 ? -1 : y[i]!;
      const m = Math.max(0, 1 - t * p[i]!);
      sum += m * m;
      grad[i] = -2 * s * t * m;
    }
    return { loss: n > 0 ? sum / n : 0, grad };
  },

  // Row-wise: −log softmax(z)_label per row by log-sum-exp (max first, so no overflow), grad
  // (softmax(z) − onehot)/rows; the exponentials kept in the gradient array between the two loops.
  sparseSoftmaxCrossEntropy(labels, z, { classes }, out) {
    const C = classes!;
    const rows = z.length / C;
    const grad = out ?? new Float32Array(z.length);
    const s = rows > 0 ? 1 / rows : 0;
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const o = r * C;
      let m = -Infinity;
      for (let k = 0; k < C; k++) if (z[o + k]! > m) m = z[o + k]!;
      let total = 0;
      for (let k = 0; k < C; k++) {
        const e = Math.exp(z[o + k]! - m);
        grad[o + k] = e;
        total += e;
      }
      const t = labels[r]!;
      sum += Math.log(total) - (z[o + t]! - m);
      const q = s / total;
      for (let k = 0; k < C; k++) grad[o + k] = grad[o + k]! * q;
      grad[o + t] = grad[o + t]! - s;
    }
    return { loss: rows > 0 ? sum / rows : 0, grad };
  },

  // Row-wise, dense targets: −Σ y_k log softmax(z)_k per row, grad (softmax(z)·Σy − y)/rows.
  softmaxCrossEntropy(y, z, { classes }, out) {
    const C = classes!;
    const rows = z.length / C;
    const grad = out ?? new Float32Array(z.length);
    const s = rows > 0 ? 1 / rows : 0;
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const o = r * C;
      let m = -Infinity;
      for (let k = 0; k < C; k++) if (z[o + k]! > m) m = z[o + k]!;
      let total = 0;
      let ySum = 0;
      let yz = 0;
      for (let k = 0; k < C; k++) {
        const e = Math.exp(z[o + k]! - m);
        grad[o + k] = e;
        total += e;
        ySum += y[o + k]!;
        yz += y[o + k]! * (z[o + k]! - m);
      }
      sum += ySum * Math.log(total) - yz;
      const q = (s * ySum) / total;
      for (let k = 0; k < C; k++) grad[o + k] = grad[o + k]! * q - s * y[o + k]!;
    }
    return { loss: rows > 0 ? sum / rows : 0, grad };
  },

  // −Σ y log p per row, p clamped to [ε, 1]; grad −y/p (at the clamp)/rows.
  categoricalCrossEntropy(y, p, { classes, eps = 1e-7 }, out) {
    const rows = p.length / classes!;
    const grad = out ?? new Float32Array(p.length);
    const s = rows > 0 ? 1 / rows : 0;
    let sum = 0;
    for (let i = 0; i < p.length; i++) {
      const q = Math.min(Math.max(p[i]!, eps), 1);
      if (y[i]! !== 0) sum -= y[i]! * Math.log(q);
      grad[i] = (-s * y[i]!) / q;
    }
    return { loss: rows > 0 ? sum / rows : 0, grad };
  },

  // Σ P log(P/Q) per row, 0 where P = 0, Q clamped to [ε, 1]; grad −P/Q/rows.
  klDivergence(y, q, { classes, eps = 1e-7 }, out) {
    const rows = q.length / classes!;
    const grad = out ?? new Float32Array(q.length);
    const s = rows > 0 ? 1 / rows : 0;
    let sum = 0;
    for (let i = 0; i < q.length; i++) {
      const c = Math.min(Math.max(q[i]!, eps), 1);
      const t = y[i]!;
      if (t > 0) sum += t * Math.log(t / c);
      grad[i] = (-s * t) / c;
    }
    return { loss: rows > 0 ? sum / rows : 0, grad };
  },

  // max(0, 1 + max_{k≠t} ŷ_k − ŷ_t) per row, t the target's class; grad ±1/rows where active.
  categoricalHinge(y, p, { classes }, out) {
    const C = classes!;
    const rows = p.length / C;
    const grad = out ?? new Float32Array(p.length);
    grad.fill(0);
    const s = rows > 0 ? 1 / rows : 0;
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const o = r * C;
      let t = 0;
      for (let k = 1; k < C; k++) if (y[o + k]! > y[o + t]!) t = k;
      let j = -1;
      for (let k = 0; k < C; k++) if (k !== t && (j < 0 || p[o + k]! > p[o + j]!)) j = k;
      if (j < 0) continue;
      const margin = 1 + p[o + j]! - p[o + t]!;
      if (margin >= 0) {
        sum += margin;
        grad[o + j] = s;
        grad[o + t] = -s;
      }
    }
    return { loss: rows > 0 ? sum / rows : 0, grad };
  },

  // Σ_{k≠t} max(0, m − ŷ_t + ŷ_k)^p / C per row; grad p·max(0, ·)^(p−1)/C/rows at k, minus their sum at t.
  multiMargin(labels, z, { classes, p = 1, margin = 1 }, out) {
    const C = classes!;
    const rows = z.length / C;
    const grad = out ?? new Float32Array(z.length);
    const s = rows > 0 ? 1 / (rows * C) : 0;
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const o = r * C;
      const t = labels[r]!;
      const a = margin - z[o + t]!;
      let l = 0;
      let d = 0;
      for (let k = 0; k < C; k++) {
        const x = a + z[o + k]!;
        if (k !== t && x > 0) {
          const g = p === 1 ? s : 2 * s * x;
          l += p === 1 ? x : x * x;
          grad[o + k] = g;
          d += g;
        } else grad[o + k] = 0;
      }
      grad[o + t] = -d;
      sum += l / C;
    }
    return { loss: rows > 0 ? sum / rows : 0, grad };
  },

  // −(1/C)·Σ [y log σ(z) + (1 − y) log σ(−z)] per row, by softplus; grad (σ(z) − y)/C/rows.
  multilabelSoftMargin(y, z, { classes }, out) {
    const C = classes!;
    const rows = z.length / C;
    const grad = out ?? new Float32Array(z.length);
    const s = rows > 0 ? 1 / (rows * C) : 0;
    let sum = 0;
    for (let i = 0; i < z.length; i++) {
      const x = z[i]!;
      const t = y[i]!;
      const e = Math.exp(-Math.abs(x));
      const l1p = Math.log1p(e);
      sum += l1p + (x >= 0 ? (1 - t) * x : -t * x);
      const sigma = x >= 0 ? 1 / (1 + e) : e / (1 + e);
      grad[i] = s * (sigma - t);
    }
    return { loss: rows > 0 ? sum / (rows * C) : 0, grad };
  },

  // Row-wise on log-probabilities: −x_label per row, grad −1/rows at the label (a new gradient is
  // zeroed by its allocation; a reused one is cleared first).
  nll(labels, x, { classes }, out) {
    const C = classes!;
    const rows = x.length / C;
    const grad = out ?? new Float32Array(x.length);
    if (out) grad.fill(0);
    const s = rows > 0 ? 1 / rows : 0;
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const t = labels[r]!;
      sum -= x[r * C + t]!;
      grad[r * C + t] = -s;
    }
    return { loss: rows > 0 ? sum / rows : 0, grad };
  },

  // Row-wise focal, labels: −α(1 − p_t)^γ log p_t with p = softmax(z) by log-sum-exp; grad by the
  // chain rule, b = α(1 − p_t)^γ(γ p_t log p_t / (1 − p_t) − 1): b − p_t b at the label, −p_k b elsewhere.
  sparseSoftmaxFocal(labels, z, { classes, gamma = 2, alpha = 0.25 }, out) {
    const C = classes!;
    const rows = z.length / C;
    const grad = out ?? new Float32Array(z.length);
    const s = rows > 0 ? 1 / rows : 0;
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const o = r * C;
      let m = -Infinity;
      for (let k = 0; k < C; k++) if (z[o + k]! > m) m = z[o + k]!;
      let total = 0;
      for (let k = 0; k < C; k++) {
        const e = Math.exp(z[o + k]! - m);
        grad[o + k] = e;
        total += e;
      }
      const t = labels[r]!;
      const logp = z[o + t]! - m - Math.log(total);
      const p = grad[o + t]! / total;
      const u = 1 - p;
      const pw = u ** gamma;
      sum -= alpha * pw * logp;
      const b = alpha * pw * (u > 0 ? (gamma * p * logp) / u - 1 : -gamma * p - 1);
      const q = (-s * b) / total;
      for (let k = 0; k < C; k++) grad[o + k] = grad[o + k]! * q;
      grad[o + t] = grad[o + t]! + s * b;
    }
    return { loss: rows > 0 ? sum / rows : 0, grad };
  },

  // Row-wise focal, dense targets: −Σ α y_k (1 − p_k)^γ log p_k per row; grad b_k − p_k Σ b, b as above per class.
  softmaxFocal(y, z, { classes, gamma = 2, alpha = 0.25 }, out) {
    const C = classes!;
    const rows = z.length / C;
    const grad = out ?? new Float32Array(z.length);
    const s = rows > 0 ? 1 / rows : 0;
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const o = r * C;
      let m = -Infinity;
      for (let k = 0; k < C; k++) if (z[o + k]! > m) m = z[o + k]!;
      let total = 0;
      for (let k = 0; k < C; k++) total += Math.exp(z[o + k]! - m);
      const lse = m + Math.log(total);
      let B = 0;
      for (let k = 0; k < C; k++) {
        const logp = z[o + k]! - lse;
        const p = Math.exp(logp);
        const u = 1 - p;
        const pw = u ** gamma;
        const c = alpha * y[o + k]!;
        sum -= c * pw * logp;
        const b = c * pw * (u > 0 ? (gamma * p * logp) / u - 1 : -gamma * p - 1);
        grad[o + k] = b;
        B += b;
      }
      for (let k = 0; k < C; k++) grad[o + k] = s * (grad[o + k]! - Math.exp(z[o + k]! - lse) * B);
    }
    return { loss: rows > 0 ? sum / rows : 0, grad };
  },
};
