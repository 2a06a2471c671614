// float64 references for the binary family, written from the formulas. `f32`: the kernel under test
// is the float32 one, whose constants (the BCE clamp bounds) are defined in float32.
import type { ElementReference } from './index.js';

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

function clamped(p: number, o: Record<string, number>, f32?: boolean): number {
  const [lo, hi] = bceBounds(o.eps ?? 1e-7, f32);
  return Math.min(Math.max(p, lo), hi);
}

export const binaryCrossEntropy: ElementReference = {
  loss: (y, p, o, f32) => {
    const c = clamped(p, o, f32);
    return -((o.posWeight ?? 1) * y * Math.log(c) + (1 - y) * Math.log1p(-c));
  },
  grad: (y, p, o, f32) => {
    const c = clamped(p, o, f32);
    return -((o.posWeight ?? 1) * y) / c + (1 - y) / (1 - c);
  },
  gradScale: (y, p, o, f32) => {
    const c = clamped(p, o, f32);
    return ((o.posWeight ?? 1) * y) / c + (1 - y) / (1 - c);
  },
};

/** Label smoothing: y(1 − α) + α/2. */
const smooth = (y: number, o: Record<string, number>) => y * (1 - (o.labelSmoothing ?? 0)) + (o.labelSmoothing ?? 0) / 2;

export const binaryCrossEntropyWithLogits: ElementReference = {
  // −[w₊ỹ ln σ(z) + (1 − ỹ) ln(1 − σ(z))], ln σ(z) = −softplus(−z), ln(1 − σ(z)) = −softplus(z)
  loss: (y, z, o) => {
    const s = smooth(y, o);
    return (o.posWeight ?? 1) * s * softplus(-z) + (1 - s) * softplus(z);
  },
  grad: (y, z, o) => {
    const s = smooth(y, o);
    return (1 - s) * sigmoid(z) - (o.posWeight ?? 1) * s * sigmoid(-z);
  },
  gradScale: (y, z, o) => {
    const s = smooth(y, o);
    return (1 - s) * sigmoid(z) + (o.posWeight ?? 1) * s * sigmoid(-z);
  },
};

/** The pieces of the focal loss at one example. */
function focal(y: number, z: number, o: Record<string, number>) {
  const gamma = o.gamma ?? 2;
  const alpha = o.alpha ?? 0.25;
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
};

/** A hinge label as ±1 (0 read as −1). */
const sign = (y: number) => (y === 0 ? -1 : y);

export const hinge: ElementReference = {
  loss: (y, p) => Math.max(0, 1 - sign(y) * p),
  grad: (y, p) => {
    const m = 1 - sign(y) * p;
    return Number.isNaN(m) ? NaN : m >= 0 ? -sign(y) : 0; // the kink (m = 0) takes the active side
  },
};

export const squaredHinge: ElementReference = {
  loss: (y, p) => Math.max(0, 1 - sign(y) * p) ** 2,
  grad: (y, p) => -2 * sign(y) * Math.max(0, 1 - sign(y) * p),
};
