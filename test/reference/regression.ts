// float64 references for the regression family, written from the formulas (r = ŷ − y), each with
// what tests draw for it.
import { count, rate } from './domains.js';
import { type ElementReference, flag, num, type Options } from './index.js';

/** Any real target and prediction; nothing is refused. */
const anyReal = { domain: { target: [-10, 10], pred: [-10, 10] }, checks: {} } as const;

export const mse: ElementReference = {
  loss: (y, p) => (y - p) ** 2,
  grad: (y, p) => 2 * (p - y),
  ...anyReal,
  cases: [{}],
  kinks: () => [],
  f32Tolerance: 1e-6,
  formula: 'l = (ŷ − y)²',
};

export const mae: ElementReference = {
  loss: (y, p) => Math.abs(y - p),
  grad: (y, p) => Math.sign(p - y) + 0, // sign(0) = 0 (the subgradient); NaN stays NaN
  ...anyReal,
  cases: [{}],
  kinks: () => [0],
  f32Tolerance: 1e-6,
  formula: 'l = |ŷ − y|',
};

function huberLoss(r: number, delta: number): number {
  return Math.abs(r) <= delta ? 0.5 * r * r : delta * (Math.abs(r) - 0.5 * delta);
}
function huberGrad(r: number, delta: number): number {
  return Math.min(Math.max(r, -delta), delta);
}

export const huber: ElementReference = {
  loss: (y, p, o) => huberLoss(p - y, num(o, 'delta', 1)),
  grad: (y, p, o) => huberGrad(p - y, num(o, 'delta', 1)),
  ...anyReal,
  cases: [{}, { delta: 0.25 }, { delta: 3 }],
  kinks: (o) => [num(o, 'delta', 1)],
  f32Tolerance: 1e-6,
  formula: 'l = ½r² if |r| ≤ δ, else δ(|r| − ½δ),  r = ŷ − y',
};

export const smoothL1: ElementReference = {
  loss: (y, p, o) => {
    const beta = num(o, 'beta', 1);
    const r = Math.abs(p - y);
    return r < beta ? (0.5 * r * r) / beta : r - 0.5 * beta;
  },
  grad: (y, p, o) => huberGrad(p - y, num(o, 'beta', 1)) / num(o, 'beta', 1),
  ...anyReal,
  cases: [{}, { beta: 0.5 }, { beta: 4 }],
  kinks: (o) => [num(o, 'beta', 1)],
  f32Tolerance: 1e-6,
  formula: 'l = ½r²/β if |r| ≤ β, else |r| − ½β',
};

export const logCosh: ElementReference = {
  // ln cosh r = ln(1 + 2 sinh²(r/2)): no cancellation near 0, where ln(cosh r) loses ~1/r² relative
  loss: (y, p) => {
    const r = Math.abs(p - y);
    return r < 20 ? Math.log1p(2 * Math.sinh(r / 2) ** 2) : r - Math.LN2 + Math.log1p(Math.exp(-2 * r));
  },
  grad: (y, p) => Math.tanh(p - y),
  ...anyReal,
  cases: [{}],
  kinks: () => [],
  // float32 elements are within 2 ulp (test/unit/logcosh.test.ts); 1e-6 leaves room for the reductions
  f32Tolerance: 1e-6,
  formula: 'l = ln cosh(ŷ − y)',
};

export const quantile: ElementReference = {
  loss: (y, p, o) => Math.max(num(o, 'q', 0.5) * (y - p), (num(o, 'q', 0.5) - 1) * (y - p)),
  // −q below the target, 1 − q above it, 0 on it (NaN stays NaN)
  grad: (y, p, o) => {
    const r = y - p;
    return r > 0 ? -num(o, 'q', 0.5) : r < 0 ? 1 - num(o, 'q', 0.5) : r === 0 ? 0 : NaN;
  },
  ...anyReal,
  cases: [{}, { q: 0.1 }, { q: 0.9 }],
  kinks: () => [0],
  // q rounded to float32, then one rounding of each product: ≤ 1 ulp
  f32Tolerance: 1e-6,
  formula: 'l = max(q·(y − ŷ), (q − 1)·(y − ŷ))',
};

/** MAPE's ε as the kernel uses it: in the kernel's dtype, and at least 2⁻¹²⁰ (float64: 2⁻¹⁰¹⁶), so that 100/ε is finite. */
const mapeEps = (o: Options, f32?: boolean) =>
  f32 ? Math.max(Math.fround(num(o, 'eps', 1e-7)), 2 ** -120) : Math.max(num(o, 'eps', 1e-7), 2 ** -1016);

export const mape: ElementReference = {
  // (Keras's order: the ratio, then × 100, which overflows only where the loss does)
  loss: (y, p, o, f32) => 100 * (Math.abs(y - p) / Math.max(Math.abs(y), mapeEps(o, f32))),
  grad: (y, p, o, f32) => (100 * (Math.sign(p - y) + 0)) / Math.max(Math.abs(y), mapeEps(o, f32)),
  // Targets away from 0, where a percentage means something (the float32 sums of terms ~1/|y| would
  // otherwise be dominated by the rare target near 0); negative targets and 0: the extremes
  domain: { target: [0.5, 10], pred: [-10, 10] },
  checks: {},
  cases: [{}, { eps: 0.25 }],
  kinks: () => [0],
  // a division and two roundings: ≤ 2 ulp
  f32Tolerance: 1e-6,
  formula: 'l = 100·|y − ŷ| / max(|y|, ε)',
};

/** MSLE's ε in the kernel's dtype. */
const msleEps = (o: Options, f32?: boolean) => (f32 ? Math.fround(num(o, 'eps', 1e-7)) : num(o, 'eps', 1e-7));

/**
 * ln(1 + a) − ln(1 + b), a = max(ŷ, ε), b = max(y, ε), as ±ln1p(|a − b| / (1 + min(a, b))): the same
 * number, without the difference of two logs, which cancels as ŷ → y.
 */
function logRatio(y: number, p: number, o: Options, f32?: boolean): number {
  const a = Math.max(p, msleEps(o, f32));
  const b = Math.max(y, msleEps(o, f32));
  return Math.sign(a - b) * Math.log1p(Math.abs(a - b) / (1 + Math.min(a, b)));
}

export const msle: ElementReference = {
  loss: (y, p, o, f32) => logRatio(y, p, o, f32) ** 2,
  // 0 strictly below ε; the formula from ε on
  grad: (y, p, o, f32) => (p < msleEps(o, f32) ? 0 : (2 * logRatio(y, p, o, f32)) / (1 + Math.max(p, msleEps(o, f32)))),
  domain: { target: [-1, 8], pred: [-1, 8] },
  checks: {},
  cases: [{}, { eps: 0.1 }],
  kinks: () => [],
  // ln1p ≤ 0.87 ulp at an argument within 1.5 ulp (condition ≤ 1), squared: ≤ 6 ulp
  f32Tolerance: 1e-6,
  extremes: [
    [0, 0],
    [-0, 0],
    [3, 3],
    [1, 1e-7],
    [1, 9.9e-8],
    [1, 1.01e-7],
    [5, -5],
    [-5, 5],
    [0, 1e-30],
    [1e6, 1e6 + 1],
    [0, 1e19],
    [1e30, 0],
    [3e38, 1],
    [1, 3e38],
    [0, Infinity],
    [Infinity, 0],
    [-Infinity, 5],
    [5, -Infinity],
    [Infinity, Infinity],
    [NaN, 1],
    [1, NaN],
  ],
  formula: 'l = (ln(1 + max(ŷ, ε)) − ln(1 + max(y, ε)))²',
};

/** Stirling's term of ln y!, where y > 1. */
const stirling = (y: number) => (y > 1 ? y * Math.log(y) - y + 0.5 * Math.log(2 * Math.PI * y) : 0);
const stirlingScale = (y: number) => (y > 1 ? Math.abs(y * Math.log(y)) + y + 0.5 * Math.abs(Math.log(2 * Math.PI * y)) : 0);
/**
 * ln(ŷ + ε) without the rounding of ŷ + ε where the log is small: near 1 (ŷ in [½, 2], where ŷ − 1 is
 * exact) as ln1p((ŷ − 1) + ε); y·ln(ŷ + ε) would otherwise carry that rounding y times over.
 */
const lnRate = (p: number, eps: number) => (p >= 0.5 && p <= 2 ? Math.log1p(p - 1 + eps) : Math.log(p + eps));
const logInput = (o: Options) => flag(o, 'logInput', true);
const full = (o: Options) => flag(o, 'full', false);
/** poissonNLL's ε as the kernel takes it: in its dtype, and at least the smallest normal number. */
const poissonEps = (o: Options, f32?: boolean) =>
  f32 ? Math.max(Math.fround(num(o, 'eps', 1e-8)), 2 ** -126) : Math.max(num(o, 'eps', 1e-8), 2 ** -1022);

export const poissonNLL: ElementReference = {
  loss: (y, p, o, f32) => (logInput(o) ? Math.exp(p) - y * p : p - y * lnRate(p, poissonEps(o, f32))) + (full(o) ? stirling(y) : 0),
  grad: (y, p, o, f32) => (logInput(o) ? Math.exp(p) - y : 1 - y / (p + poissonEps(o, f32))),
  gradScale: (y, p, o, f32) => (logInput(o) ? Math.exp(p) + Math.abs(y) : 1 + Math.abs(y / (p + poissonEps(o, f32)))),
  // (a difference of terms that crosses 0 where e^ŷ = y·ŷ: its error is relative to their sum)
  lossScale: (y, p, o, f32) =>
    (logInput(o) ? Math.exp(p) + Math.abs(y * p) : Math.abs(p) + Math.abs(y * lnRate(p, poissonEps(o, f32)))) +
    (full(o) ? stirlingScale(y) : 0),
  // Counts, half of them small integers; predictions ≥ 0, which are rates as well as log rates
  // (negative log rates: test/unit/regression-options.test.ts).
  domain: { target: [0, 20], pred: [0, 3] },
  labels: { values: [0, 1, 2, 3, 5, 10], share: 0.5 },
  checks: { target: count, pred: rate },
  cases: [{}, { full: true }, { logInput: false }, { logInput: false, full: true, eps: 0.01 }],
  kinks: () => [],
  // float32, on the scale of the terms (lossScale): log form e^ŷ ≤ 1.05 ulp, then 2 roundings; rates ln ≤ 0.84
  // ulp of an exactly corrected ŷ + ε, then 3 roundings; Stirling's term ln ≤ 0.84 ulp and 4 roundings
  f32Tolerance: 1e-6,
  extremes: [
    [0, 0],
    [1, 0],
    [-0, 0],
    [0, 1e-30],
    [2, 2 ** -149],
    [1, 0.5],
    [1.5, 0.5],
    [1e6, 0],
    [1e6, 13.8155],
    [1e6, 1e6],
    [3, 80],
    [0, 80],
    [2, 88],
    [1, 100],
    [0, 3e38],
    [5, Infinity],
    [Infinity, 1],
    [Infinity, 0],
  ],
  // float32: y·ŷ (log form) or y·ln(ŷ + ε) (rates) overflows float32 where the loss itself may not
  known: (y, p, f32) => f32 && Math.max(Math.abs(y * p), Math.abs(y * Math.log(Math.abs(p) + 1e-8))) > 3.4028234663852886e38,
  signed: true,
  formula: 'l = e^ŷ − y·ŷ (logInput), ŷ − y·ln(ŷ + ε) (rates); full: + y·ln y − y + ½·ln(2πy) where y > 1',
};
