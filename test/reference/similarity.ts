// float64 references for the similarity losses (rows of `dim` values of target and pred), written
// from MONAI's and Keras's formulas, one row at a time: the row's loss and d loss / d pred. The sums
// are compensated (Neumaier), so that at 65,536 values the reference is exact to ~1e-16 relative,
// far inside the float64 kernels' bound (~4e-14: 256 additions per lane, then one per block).
// Beside each formula, the test-side data: option cases, where data is drawn, what is refused, the
// float32 tolerance and its error analysis.

export type Opts = Readonly<Record<string, number>>;

export interface SimilarityRow {
  loss: number;
  /** d loss / d pred for the row. */
  grad: number[];
  /** The size of the terms a gradient element is made of (its tolerance is relative to this). */
  gradScale: number;
}

export interface SimilarityReference {
  row(y: ArrayLike<number>, p: ArrayLike<number>, opts: Opts): SimilarityRow;
  /** Option sets worth testing besides the defaults. */
  cases: readonly Opts[];
  /** Where tests draw target and pred (targets: masks of 0 and 1 for half the rows where `masks`). */
  domain: { target: readonly [number, number]; pred: readonly [number, number] };
  masks: boolean;
  /** What every element of target and pred must be ('in [0, 1]'), with values the library refuses; none: any number. */
  checked?: { message: string; bad: readonly number[] };
  /** The loss's range for data in the domain. */
  range: readonly [number, number];
  /**
   * Relative error bound of a float32 row's loss and gradient against float64, on the scale of the row
   * (the loss: 1; an element of the gradient: its gradScale).
   */
  f32Tolerance: number;
  /** The playground's formula line. */
  formula: string;
}

const num = (o: Opts, name: string, value: number): number => o[name] ?? value;

/** Σ f(i) over the row, compensated. */
function sum(n: number, f: (i: number) => number): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const x = f(i);
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + c;
}

// The float32 sums of the overlap losses: float32 lanes of at most 128 additions per block, flushed
// into float64. Each sum of non-negative terms is within γ = 129·2⁻²⁴ ≈ 7.7e-6 of its value
// (relative, worst case; the product y·p's own rounding included). Dice: q = n/d with n and d each
// within γ gives |δq| ≤ 2γ·q ≤ 1.6e-5, the loss 1 − q the same absolute; the gradient's c₀ = q/d and
// c₁ = −2/d within 3γ and γ, then rounded to float32 and combined in 2 operations (3·2⁻²⁴): ≤ 2.5e-5
// of its scale, under the 5e-5 allowed. Tversky: FP = Σp − TP and FN = Σy − TP add α·γ·(Σp + TP) and
// β·γ·(Σy + TP) ≤ 2·max(α, β)·γ·d to d (α, β ≤ 1 in the cases), so |δd| ≤ 3γ·d, |δq| ≤ 4γ ≈ 3.1e-5,
// the gradient ≤ 5γ + 3·2⁻²⁴ ≈ 4.1e-5 of its scale, under the 1e-4 allowed.
// (each exact in float32: a message shows the value as stored)
const OVERLAP_BAD = [-0.5, 1.5, -(2 ** -100), 1 + 2 ** -23, NaN, Infinity, -Infinity];

export const dice: SimilarityReference = {
  row(y, p, opts) {
    const s = num(opts, 'smooth', 1e-5);
    const n = y.length;
    const tp = sum(n, (i) => y[i]! * p[i]!);
    const d = sum(n, (i) => y[i]!) + sum(n, (i) => p[i]!) + s;
    const q = (2 * tp + s) / d;
    // d/dpᵢ of −(2·TP + s)/d: −(2yᵢ·d − (2·TP + s))/d²
    const grad = Array.from({ length: n }, (_, i) => q / d - (2 * y[i]!) / d);
    return { loss: 1 - q, grad, gradScale: q / d + 2 / d };
  },
  cases: [{}, { smooth: 1 }, { smooth: 1e-3 }],
  domain: { target: [0, 1], pred: [0, 1] },
  masks: true,
  checked: { message: 'in [0, 1]', bad: OVERLAP_BAD },
  range: [0, 1],
  f32Tolerance: 5e-5,
  formula: '1 − (2·Σ y·p + s)/(Σ y + Σ p + s) per row',
};

export const tversky: SimilarityReference = {
  row(y, p, opts) {
    const a = num(opts, 'alpha', 0.5);
    const b = num(opts, 'beta', 0.5);
    const s = num(opts, 'smooth', 1e-5);
    const n = y.length;
    const tp = sum(n, (i) => y[i]! * p[i]!);
    const fp = sum(n, (i) => (1 - y[i]!) * p[i]!);
    const fn = sum(n, (i) => y[i]! * (1 - p[i]!));
    const d = tp + a * fp + b * fn + s;
    const q = (tp + s) / d;
    // dTP/dpᵢ = yᵢ, dFP/dpᵢ = 1 − yᵢ, dFN/dpᵢ = −yᵢ: dq/dpᵢ = (yᵢ − q·(yᵢ + α(1 − yᵢ) − β·yᵢ))/d
    const grad = Array.from({ length: n }, (_, i) => -(y[i]! - q * (y[i]! + a * (1 - y[i]!) - b * y[i]!)) / d);
    return { loss: 1 - q, grad, gradScale: (1 + q * (1 + a + b)) / d };
  },
  cases: [{}, { alpha: 0.3, beta: 0.7 }, { alpha: 0.7, beta: 0.3, smooth: 1 }, { alpha: 1, beta: 0 }, { alpha: 0, beta: 1 }],
  domain: { target: [0, 1], pred: [0, 1] },
  masks: true,
  checked: { message: 'in [0, 1]', bad: OVERLAP_BAD },
  range: [0, 1],
  f32Tolerance: 1e-4,
  formula: '1 − (TP + s)/(TP + α·FP + β·FN + s) per row',
};

// Cosine: the sums are float64 (products of float32 values are exact), so the float32 loss is
// rounded once (2⁻²⁴); the gradient's factors are rounded to float32 and combined in 3 operations:
// within 4·2⁻²⁴ ≈ 2.4e-7 of its scale (|y|/(‖y‖‖p‖) + |cos·p|/‖p‖²).
export const cosineSimilarity: SimilarityReference = {
  row(y, p) {
    const n = y.length;
    const ny = Math.sqrt(
      Math.max(
        sum(n, (i) => y[i]! * y[i]!),
        1e-12,
      ),
    );
    const pp = sum(n, (i) => p[i]! * p[i]!);
    const np = Math.sqrt(Math.max(pp, 1e-12));
    const cos = sum(n, (i) => y[i]! * p[i]!) / (ny * np);
    // d/dpᵢ of −Σ y·p/(‖y‖‖p‖): −yᵢ/(‖y‖‖p‖) + cos·pᵢ/‖p‖² (the norm floored: a constant, no second term)
    const live = pp >= 1e-12;
    const grad = Array.from({ length: n }, (_, i) => -y[i]! / (ny * np) + (live ? (cos * p[i]!) / (np * np) : 0));
    const gradScale = Math.max(
      ...Array.from({ length: n }, (_, i) => Math.abs(y[i]! / (ny * np)) + (live ? Math.abs((cos * p[i]!) / (np * np)) : 0)),
      0,
    );
    return { loss: -cos, grad, gradScale };
  },
  cases: [{}],
  domain: { target: [-1, 1], pred: [-1, 1] },
  masks: false,
  range: [-1, 1],
  f32Tolerance: 1e-6,
  formula: '−Σ y·ŷ / (max(‖y‖, 1e-6)·max(‖ŷ‖, 1e-6)) per row',
};

/** Every similarity reference, by the name of its loss. */
export const similarityReferences: Readonly<Record<string, SimilarityReference>> = { dice, tversky, cosineSimilarity };
