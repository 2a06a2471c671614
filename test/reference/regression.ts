// float64 references for the regression family, written from the formulas (r = ŷ − y), each with
// what tests draw for it.
import type { ElementReference } from './index.js';

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
  loss: (y, p, o) => huberLoss(p - y, o.delta ?? 1),
  grad: (y, p, o) => huberGrad(p - y, o.delta ?? 1),
  ...anyReal,
  cases: [{}, { delta: 0.25 }, { delta: 3 }],
  kinks: (o) => [o.delta ?? 1],
  f32Tolerance: 1e-6,
  formula: 'l = ½r² if |r| ≤ δ, else δ(|r| − ½δ),  r = ŷ − y',
};

export const smoothL1: ElementReference = {
  loss: (y, p, o) => {
    const beta = o.beta ?? 1;
    const r = Math.abs(p - y);
    return r < beta ? (0.5 * r * r) / beta : r - 0.5 * beta;
  },
  grad: (y, p, o) => huberGrad(p - y, o.beta ?? 1) / (o.beta ?? 1),
  ...anyReal,
  cases: [{}, { beta: 0.5 }, { beta: 4 }],
  kinks: (o) => [o.beta ?? 1],
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
