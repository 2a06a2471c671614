// float64 references for the binary family, written from the formulas, each with what tests draw
// for it. `f32`: the kernel under test is the float32 one, whose constants (the BCE clamp bounds)
// are defined in float32.
import { hingeLabel, probability } from './domains.js';
import { type ElementReference, num, type Options } from './index.js';

/** Half hard labels, half soft targets. */
const hard = { values: [0, 1], share: 0.5 } as const;
/** Targets in [0, 1] (checked), logits anywhere. */
const onLogits = { domain: { target: [0, 1], pred: [-12, 12] }, labels: hard, checks: { target: probability } } as const;
const logitExtremes = [
  [0, 0],
  [1, 0],
  [1, -0],
  [0.5, 0],
  [1, 100],
  [1, -100],
  [0, 100],
  [0, -100],
  [1, -120],
  [0, 120],
  [1, 1e4],
  [1, -1e4],
  [0, 1e4],
  [0, -1e4],
  [0.5, 1e4],
  [0.25, -1e4],
  [1, 3e38],
  [0, -3e38],
  [0.3, 30],
  [1, 1e-30],
  [0, 1e-30],
  [1, NaN],
  [0.5, NaN],
] as const;
/** Labels ±1 (0 read as −1, checked), scores around the margin. */
const onMargins = {
  domain: { target: [-1, 1], pred: [-2.5, 2.5] },
  labels: { values: [-1, 0, 1], share: 1 },
  checks: { target: hingeLabel },
  kinks: () => [0, 1],
  extremes: [
    [1, 1],
    [-1, -1],
    [0, -1],
    [1, 0],
    [0, 0],
    [-1, 0],
    [1, -0],
    [1, 1e30],
    [-1, 1e30],
    [0, -3e38],
    [1, -3e38],
    [1, 1e-30],
    [0, Infinity],
    [1, Infinity],
    [-1, -Infinity],
    [1, NaN],
    [0, NaN],
  ],
} as const;

/** ln(1 + e^x) without overflow. */
function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}
/** σ(x) = 1/(1 + e^−x) without overflow. */
function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** The clamp bounds [lo, hi] of BCE on probabilities: ε and 1 − ε in the kernel's dtype, kept in [smallest normal, largest below 1]. */
function bceBounds(eps: number, f32 = false): [number, number] {
  const round = f32 ? Math.fround : (x: number) => x;
  return [Math.max(round(eps), f32 ? 2 ** -126 : 2 ** -1022), Math.min(round(1 - eps), f32 ? 1 - 2 ** -24 : 1 - 2 ** -53)];
}

function clamped(p: number, o: Options, f32?: boolean): number {
  const [lo, hi] = bceBounds(num(o, 'eps', 1e-7), f32);
  return Math.min(Math.max(p, lo), hi);
}

export const binaryCrossEntropy: ElementReference = {
  loss: (y, p, o, f32) => {
    const c = clamped(p, o, f32);
    return -(num(o, 'posWeight', 1) * y * Math.log(c) + (1 - y) * Math.log1p(-c));
  },
  grad: (y, p, o, f32) => {
    const c = clamped(p, o, f32);
    return -(num(o, 'posWeight', 1) * y) / c + (1 - y) / (1 - c);
  },
  gradScale: (y, p, o, f32) => {
    const c = clamped(p, o, f32);
    return (num(o, 'posWeight', 1) * y) / c + (1 - y) / (1 - c);
  },
  cases: [{}, { posWeight: 3 }, { eps: 1e-3, posWeight: 0.5 }],
  domain: { target: [0, 1], pred: [0, 1] },
  labels: hard,
  checks: { target: probability, pred: probability },
  kinks: () => [],
  // float32: ln ≤ 1 ulp, ln1p ≤ 2 ulp (math/), then 4 roundings of non-negative terms: ≤ ~6 ulp = 4e-7
  f32Tolerance: 1e-6,
  extremes: [
    [0, 0],
    [1, 1],
    [1, 0],
    [0, 1],
    [0.5, 0],
    [0.5, 1],
    [1, 1e-30],
    [0, 1e-30],
    [1, 2e-38],
    [0, -0],
    [1, 0.5],
    [0.3, 0.7],
    [1, 1 - 2 ** -24],
    [0, 1 - 2 ** -24],
    [0, 1e-7],
    [1, 0.9999999],
    [0.7, 0.7],
  ],
  formula: 'l = −[w₊·y ln p + (1 − y) ln(1 − p)]',
};

/** Label smoothing: y(1 − α) + α/2. */
const smooth = (y: number, o: Options) => y * (1 - num(o, 'labelSmoothing', 0)) + num(o, 'labelSmoothing', 0) / 2;

export const binaryCrossEntropyWithLogits: ElementReference = {
  // −[w₊ỹ ln σ(z) + (1 − ỹ) ln(1 − σ(z))], ln σ(z) = −softplus(−z), ln(1 − σ(z)) = −softplus(z)
  loss: (y, z, o) => {
    const s = smooth(y, o);
    return num(o, 'posWeight', 1) * s * softplus(-z) + (1 - s) * softplus(z);
  },
  grad: (y, z, o) => {
    const s = smooth(y, o);
    return (1 - s) * sigmoid(z) - num(o, 'posWeight', 1) * s * sigmoid(-z);
  },
  gradScale: (y, z, o) => {
    const s = smooth(y, o);
    return (1 - s) * sigmoid(z) + num(o, 'posWeight', 1) * s * sigmoid(-z);
  },
  ...onLogits,
  cases: [{}, { posWeight: 3 }, { labelSmoothing: 0.1 }, { posWeight: 0.5, labelSmoothing: 0.2 }],
  kinks: () => [],
  // float32: exp ≤ 1 ulp, ln1p ≤ 2 ulp, ≤ 5 roundings of non-negative terms in the loss; the gradient
  // relative to its terms' scale (gradScale): σ ≤ 3 roundings, then 4
  f32Tolerance: 1e-6,
  extremes: logitExtremes,
  // (float32, w₊ = 1: the unweighted sum is ln of a product)
  f32UnweightedSumDiffers: true,
  formula: 'l = w₊ỹ·softplus(−z) + (1 − ỹ)·softplus(z),  ỹ = y(1 − α) + α/2',
};

/** The pieces of the focal loss at one example. */
function focal(y: number, z: number, o: Options) {
  const gamma = num(o, 'gamma', 2);
  const alpha = num(o, 'alpha', 0.25);
  const p = sigmoid(z);
  const q = sigmoid(-z);
  const ce = y * softplus(-z) + (1 - y) * softplus(z); // −ln pₜ for y ∈ {0, 1}
  const m = y * q + (1 - y) * p; // 1 − pₜ
  const at = alpha * y + (1 - alpha) * (1 - y);
  const mod = m ** gamma; // 0 ** 0 = 1
  const dm = m > 0 ? gamma * (1 - 2 * y) * ((p * q) / m) * ce : 0; // d(m^γ)/dz / m^γ, times ce
  const dce = (1 - y) * p - y * q;
  return { at, mod, ce, dm, dce, scale: Math.abs(dm) + (1 - y) * p + y * q };
}

export const binaryFocal: ElementReference = {
  loss: (y, z, o) => {
    const f = focal(y, z, o);
    return f.at * f.mod * f.ce;
  },
  grad: (y, z, o) => {
    const f = focal(y, z, o);
    return f.at * f.mod * (f.dm + f.dce);
  },
  gradScale: (y, z, o) => {
    const f = focal(y, z, o);
    return f.at * f.mod * f.scale;
  },
  ...onLogits,
  cases: [{}, { gamma: 0 }, { gamma: 0.5, alpha: 0.6 }, { gamma: 5, alpha: 1 }],
  kinks: () => [],
  // float32: m^γ = e^(γ·ln m) turns ln m's rounding (relative to |ln m| ≤ 12 on these logits) into
  // γ·|ln m|·2⁻²⁴ relative: ≤ 1e-5 for γ ≤ 5, on top of the cross-entropy's few ulp
  f32Tolerance: 1e-5,
  extremes: logitExtremes,
  // soft targets within 2⁻²⁴ of 0 or 1 with a confident logit: m^γ alone underflows float32 (γ·ln m < −103) where αₜ·m^γ·ce is normal
  known: (y, _, f32) => f32 && ((y > 0 && y < 2 ** -24) || (y < 1 && y > 1 - 2 ** -24)),
  formula: 'l = αₜ(1 − pₜ)^γ · (−ln pₜ),  p = σ(z)',
};

/** A hinge label as ±1 (0 read as −1). */
const sign = (y: number) => (y === 0 ? -1 : y);

export const hinge: ElementReference = {
  loss: (y, p) => Math.max(0, 1 - sign(y) * p),
  grad: (y, p) => {
    const m = 1 - sign(y) * p;
    return Number.isNaN(m) ? NaN : m >= 0 ? -sign(y) : 0; // the kink (m = 0) takes the active side
  },
  ...onMargins,
  cases: [{}],
  // exact but for the one rounding of 1 − y·ŷ (and its square): 1e-6 as the regression losses
  f32Tolerance: 1e-6,
  formula: 'l = max(0, 1 − y·ŷ),  y ∈ {−1, 1}',
};

export const squaredHinge: ElementReference = {
  loss: (y, p) => Math.max(0, 1 - sign(y) * p) ** 2,
  grad: (y, p) => -2 * sign(y) * Math.max(0, 1 - sign(y) * p),
  ...onMargins,
  cases: [{}],
  f32Tolerance: 1e-6,
  formula: 'l = max(0, 1 − y·ŷ)²',
};
