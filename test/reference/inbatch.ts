// float64 references for the in-batch losses, written from their formulas: the whole batch at once
// (the N×N similarity matrix, as a user would write it), with the row losses and the gradients of
// their sum by the chain rule through the normalisation x̂ = x / max(‖x‖, 1e-8).
export type Opts = Record<string, number | boolean>;

/** The floor on a row's norm. */
export const FLOOR = 1e-8;

export interface BatchResult {
  /** One loss per row ('none' order: infoNCE's N rows; ntXent's a rows then b rows). */
  losses: number[];
  /** d Σ losses / d a and d b, row-major. */
  grads: [Float64Array, Float64Array];
  /**
   * Per row of a and of b, the size of the terms its gradient is made of: Σ |d loss / d logit| over
   * the logits the row enters, / (τ·max(‖x‖, floor)). Rounding errors are relative to this.
   */
  gradScales: [number[], number[]];
}

export interface InbatchReference {
  /** The names of the two inputs (the keys of the library's gradient). */
  inputs: readonly [string, string];
  /** Row losses and gradients of their sum, for n rows of `dim` values in a and b. */
  batch(a: ArrayLike<number>, b: ArrayLike<number>, dim: number, opts: Opts): BatchResult;
  /** Rows the 'mean' divides by, for n pairs. */
  rows(n: number): number;
  /** Option sets worth testing (`{}`: the defaults). */
  cases: readonly Opts[];
  /** The formula as the docs show it. */
  formula: string;
}

/** Rows of x normalised, and their norms. */
function normalised(x: ArrayLike<number>, n: number, dim: number): { hat: Float64Array[]; norms: number[] } {
  const hat: Float64Array[] = [];
  const norms: number[] = [];
  for (let r = 0; r < n; r++) {
    // scaled by the largest element, so that rows of 1e-300 or 1e300 keep their norm
    let big = 0;
    for (let k = 0; k < dim; k++) big = Math.max(big, Math.abs(x[r * dim + k]!));
    let ss = 0;
    for (let k = 0; k < dim; k++) ss += (x[r * dim + k]! / big) ** 2;
    const norm = big > 0 ? big * Math.sqrt(ss) : 0;
    const d = Math.max(norm, FLOOR);
    hat.push(Float64Array.from({ length: dim }, (_, k) => x[r * dim + k]! / d));
    norms.push(norm);
  }
  return { hat, norms };
}

const dot = (x: Float64Array, y: Float64Array) => x.reduce((s, v, k) => s + v * y[k]!, 0);

/** d/dx of a row's x̂ applied to g (dL/dx̂): (g − x̂(x̂·g))/‖x‖ above the floor, g/floor below. */
function throughNorm(hat: Float64Array, norm: number, g: Float64Array): Float64Array {
  if (norm <= FLOOR) return g.map((v) => v / FLOOR);
  const c = dot(hat, g);
  return g.map((v, k) => (v - hat[k]! * c) / norm);
}

/** log Σ e^zⱼ over the entries of z not excluded. */
function logSumExp(z: number[], skip = -1): number {
  let m = -Infinity;
  z.forEach((v, j) => {
    if (j !== skip) m = Math.max(m, v);
  });
  let s = 0;
  z.forEach((v, j) => {
    if (j !== skip) s += Math.exp(v - m);
  });
  return m + Math.log(s);
}

type Grid = number[][];

/**
 * Cross-entropy rows over logits S (rows × cols): row i's loss lse(S_i) − S_i,target(i), times
 * `w`; adds w·(softmax − onehot) into dS, and the size of its terms, w·(softmax + onehot), into
 * `size` (w·(p − 1) near p = 1 is a difference: its rounding is relative to w, not to it). `skip(i)`: a column that is no candidate of row i.
 */
function rowsCE(S: number[][], target: (i: number) => number, skip: (i: number) => number, w: number, dS: Grid, size: Grid): number[] {
  return S.map((row, i) => {
    const lse = logSumExp(row, skip(i));
    row.forEach((v, j) => {
      if (j === skip(i)) return;
      dS[i]![j]! += w * Math.exp(v - lse);
      size[i]![j]! += w * Math.exp(v - lse);
    });
    dS[i]![target(i)]! -= w;
    size[i]![target(i)]! += w;
    return w * (lse - row[target(i)]!);
  });
}

function grid(rows: number, cols: number, f: (i: number, j: number) => number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => f(i, j)));
}

/** dL/dx̂ for rows X and Y from dS (dS_ij: of the logit x̂ᵢ·ŷⱼ/τ), through the normalisation, row-major. */
function backOf(dS: Grid, size: Grid, X: ReturnType<typeof normalised>, Y: ReturnType<typeof normalised>, dim: number, tau: number) {
  const gx = X.hat.map(() => new Float64Array(dim));
  const gy = Y.hat.map(() => new Float64Array(dim));
  const sx = X.hat.map((_, i) => size[i]!.reduce((s, d) => s + d, 0) / (tau * Math.max(X.norms[i]!, FLOOR)));
  const sy = Y.hat.map((_, j) => size.reduce((s, row) => s + row[j]!, 0) / (tau * Math.max(Y.norms[j]!, FLOOR)));
  dS.forEach((row, i) => {
    row.forEach((d, j) => {
      for (let k = 0; k < dim; k++) {
        gx[i]![k]! += (d * Y.hat[j]![k]!) / tau;
        gy[j]![k]! += (d * X.hat[i]![k]!) / tau;
      }
    });
  });
  return { gx, gy, sx, sy };
}

const flat = (rows: Float64Array[], dim: number): Float64Array => {
  const out = new Float64Array(rows.length * dim);
  rows.forEach((r, i) => {
    out.set(r, i * dim);
  });
  return out;
};

export const infoNCE: InbatchReference = {
  inputs: ['anchors', 'positives'],
  rows: (n) => n,
  batch(a, b, dim, opts) {
    const tau = (opts.temperature as number | undefined) ?? 0.1;
    const symmetric = opts.symmetric === true;
    const n = a.length / dim;
    const A = normalised(a, n, dim);
    const B = normalised(b, n, dim);
    const S = grid(n, n, (i, j) => dot(A.hat[i]!, B.hat[j]!) / tau);
    const dS = grid(n, n, () => 0);
    const size = grid(n, n, () => 0);
    const w = symmetric ? 0.5 : 1;
    const losses = rowsCE(
      S,
      (i) => i,
      () => -1,
      w,
      dS,
      size,
    );
    if (symmetric) {
      // The reverse direction: positive i against every anchor, the logits' columns.
      const T = grid(n, n, (i, j) => S[j]![i]!);
      const dT = grid(n, n, () => 0);
      const sizeT = grid(n, n, () => 0);
      rowsCE(
        T,
        (i) => i,
        () => -1,
        w,
        dT,
        sizeT,
      ).forEach((l, i) => {
        losses[i]! += l;
      });
      dT.forEach((row, i) => {
        row.forEach((d, j) => {
          dS[j]![i]! += d;
          size[j]![i]! += sizeT[i]![j]!;
        });
      });
    }
    const { gx, gy, sx, sy } = backOf(dS, size, A, B, dim, tau);
    const ga = A.hat.map((h, i) => throughNorm(h, A.norms[i]!, gx[i]!));
    const gb = B.hat.map((h, j) => throughNorm(h, B.norms[j]!, gy[j]!));
    return { losses, grads: [flat(ga, dim), flat(gb, dim)], gradScales: [sx, sy] };
  },
  cases: [{}, { temperature: 0.5 }, { symmetric: true }, { symmetric: true, temperature: 0.05 }],
  formula: 'ℓᵢ = −log softmaxⱼ(cos(aᵢ, pⱼ)/τ)ᵢ',
};

export const ntXent: InbatchReference = {
  inputs: ['a', 'b'],
  rows: (n) => 2 * n,
  batch(a, b, dim, opts) {
    const tau = (opts.temperature as number | undefined) ?? 0.5;
    const n = a.length / dim;
    const A = normalised(a, n, dim);
    const B = normalised(b, n, dim);
    const Z = { hat: [...A.hat, ...B.hat], norms: [...A.norms, ...B.norms] };
    const S = grid(2 * n, 2 * n, (i, j) => dot(Z.hat[i]!, Z.hat[j]!) / tau);
    const dS = grid(2 * n, 2 * n, () => 0);
    const size = grid(2 * n, 2 * n, () => 0);
    const losses = rowsCE(
      S,
      (i) => (i + n) % (2 * n),
      (i) => i,
      1,
      dS,
      size,
    );
    const { gx, gy, sx, sy } = backOf(dS, size, Z, Z, dim, tau);
    const g = Z.hat.map((h, i) =>
      throughNorm(
        h,
        Z.norms[i]!,
        gx[i]!.map((v, k) => v + gy[i]![k]!),
      ),
    );
    const scales = sx.map((v, i) => v + sy[i]!);
    return { losses, grads: [flat(g.slice(0, n), dim), flat(g.slice(n), dim)], gradScales: [scales.slice(0, n), scales.slice(n)] };
  },
  cases: [{}, { temperature: 0.1 }, { temperature: 2 }],
  formula: 'ℓₖ = −log(e^{s(k,pair)/τ} / Σ_{j≠k} e^{s(k,j)/τ})',
};

export const inbatchReferences: Record<string, InbatchReference> = { infoNCE, ntXent };
