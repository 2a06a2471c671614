// float64 references for the three-input elementwise losses (target, a, b), written from the
// formulas, each with what tests draw for it. An example is one element of each array.
import type { Checked } from './domains.js';

export type Opts = Record<string, number | boolean>;
type Three = readonly [number, number, number];

/** A three-input loss's reference: its formula and how tests and benchmarks drive it. */
export interface TernaryReference {
  /** The names of a and b (also the keys of the library's gradient). */
  inputs: readonly [string, string];
  /** Loss of one example (`f32`: with the float32 kernel's constants). */
  loss(y: number, a: number, b: number, opts: Opts, f32?: boolean): number;
  /** [dl/da, dl/db] of one example. */
  grads(y: number, a: number, b: number, opts: Opts, f32?: boolean): readonly [number, number];
  /** The size of the terms the loss is made of: its rounding error is relative to this. */
  scale(y: number, a: number, b: number, opts: Opts, f32?: boolean): number;
  /** The same for each gradient (a difference of terms cancels near its zero). */
  gradScales(y: number, a: number, b: number, opts: Opts, f32?: boolean): readonly [number, number];
  /**
   * How far the example lies from a kink, where the gradient jumps, in the units of a and b (the
   * loss changes at most as fast as they do there): float32 may take either side within its
   * rounding, and central differences need room.
   */
  kinkGap(y: number, a: number, b: number, opts: Opts): number;
  /**
   * How far the example lies inside the region where the gradient is the loss's derivative, in the
   * units of a and b (≤ 0: a convention there, e.g. a gradient taken at a clamped value). Absent: everywhere.
   */
  clampGap?(y: number, a: number, b: number, opts: Opts): number;
  /** (y, a, b) moved onto the loss's kink or clamp (every 7th example of the test data). */
  edge(y: number, a: number, b: number, opts: Opts): Three;
  /** Option sets worth testing (`{}`: the defaults). */
  cases: readonly Opts[];
  /** Where target, a and b are drawn from. */
  domain: { target: readonly [number, number]; a: readonly [number, number]; b: readonly [number, number] };
  /** Targets that are labels: a share of them (1: all) drawn from these values instead of the domain. */
  labels?: { values: readonly number[]; share: number };
  /** (target, a, b) at the edges of the domain: huge, tiny, ±∞, NaN where they are allowed. */
  extremes: readonly Three[];
  /** Per-element relative tolerance of the float32 kernel against float64, on the scale above. */
  f32Tolerance: number;
  /** The arguments the library checks element by element, by name. */
  checks: Readonly<Record<string, Checked>>;
  /** The formula as the playground shows it. */
  formula: string;
  /** The loss may be negative (a log-likelihood's ln v < 0 for v < 1): not a sum of non-negative terms. */
  signed?: boolean;
  /** The playground's curve: input `along` (0: a, 1: b) over `range`, the other input held at `held`, the target from the page. */
  playground: {
    along: 0 | 1;
    range: readonly [number, number];
    held: number;
    target: { label: string; min: number; max: number; step: number; value: number };
  };
}

const HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI);

/** The variance floor: ε (float32: rounded), no lower than the smallest normal number of the dtype. */
function floorOf(opts: Opts, f32 = false): number {
  const eps = (opts.eps as number | undefined) ?? 1e-6;
  return f32 ? Math.max(Math.fround(eps), 2 ** -126) : Math.max(eps, 2 ** -1022);
}
const fullOf = (opts: Opts, f32 = false) => (opts.full === true ? (f32 ? Math.fround(HALF_LN_2PI) : HALF_LN_2PI) : 0);

const nonNegative: Checked = {
  accepts: (v) => !(v < 0),
  bad: [-1, -0.5, -(2 ** -100), -(2 ** -149), -Infinity],
  message: '≥ 0',
  edges: [0, -0, 5e-324, 1e-45, 1e-7],
};

/** A ranking label: −1 or 1, nothing else (0 included). */
const rankLabel: Checked = {
  accepts: (v) => v === -1 || v === 1,
  bad: [0, -0, 0.5, 2, -2, NaN, Infinity],
  message: '-1 or 1',
  edges: [-1, 1],
};

// (½r²/v written (½r)·(r/v) and ½r²/v² as (½t)·t, t = r/v: r² overflows float64 beyond r ≈ 1.3e154,
// and r·t beyond 1.8e308, where the loss and the gradient need not)
export const gaussianNLL: TernaryReference = {
  inputs: ['mean', 'variance'],
  loss: (y, a, b, o, f32) => {
    const v = Math.max(b, floorOf(o, f32));
    const r = a - y;
    return 0.5 * Math.log(v) + 0.5 * r * (r / v) + fullOf(o, f32);
  },
  // d/dvariance at the clamped v, below ε too (PyTorch clamps under no_grad)
  grads: (y, a, b, o, f32) => {
    const v = Math.max(b, floorOf(o, f32));
    const t = (a - y) / v;
    return [t, 0.5 / v - 0.5 * t * t];
  },
  scale: (y, a, b, o, f32) => {
    const v = Math.max(b, floorOf(o, f32));
    const r = a - y;
    return 0.5 * Math.abs(Math.log(v)) + 0.5 * r * (r / v) + fullOf(o, f32);
  },
  gradScales: (y, a, b, o, f32) => {
    const v = Math.max(b, floorOf(o, f32));
    const t = (a - y) / v;
    return [Math.abs(t), 0.5 / v + 0.5 * t * t];
  },
  kinkGap: () => Infinity, // the gradient is continuous at the clamp: only its meaning changes there
  clampGap: (_y, _a, b, o) => b - floorOf(o),
  // on the clamp, with a residual small enough that r²/ε stays of the size of the other losses
  edge: (y, a, _b, o) => [y, y + (a - y) * 1e-3, (o.eps as number | undefined) ?? 1e-6],
  cases: [{}, { full: true }, { eps: 0.01 }, { eps: 0.25, full: true }],
  domain: { target: [-3, 3], a: [-3, 3], b: [0, 4] },
  extremes: [
    [0, 0, 0],
    [0, 0, -0],
    [1, 1, 1e-30],
    [0, 1e-3, 5e-7],
    [0, 1e-3, 1e-6],
    [0, 1e-3, 2e-6],
    [0, 1e19, 1],
    [0, 2.5e19, 1], // float32: r·t = 6.25e38 overflows, the loss (½r)·t = 3.1e38 does not
    [0, 1e30, 1],
    [-1e20, 1e20, 1e10],
    [0, 1, 1e30],
    [0, 1, Infinity],
    [0, 3e38, 3e38],
    [Infinity, 0, 1],
    [NaN, 0, 1],
    [0, NaN, 1],
    [0, 0, NaN],
    [5e-324, 0, 5e-324],
  ],
  f32Tolerance: 2e-6,
  checks: { variance: nonNegative },
  formula: 'l = ½(ln v + (ŷ − y)²/v),  v = max(variance, ε);  plotted against the variance, ŷ = 0',
  signed: true,
  // against the variance: the minimum at v = (ŷ − y)², the clamp below ε (flat loss, the gradient held)
  playground: { along: 1, range: [0, 3], held: 0, target: { label: 'target y (mean 0)', min: -3, max: 3, step: 0.25, value: 1 } },
};

export const marginRanking: TernaryReference = {
  inputs: ['x1', 'x2'],
  loss: (y, a, b, o) => Math.max(0, ((o.margin as number | undefined) ?? 0) - y * (a - b)),
  // the active side at the kink (PyTorch's clamp_min passes the gradient where input ≥ min)
  grads: (y, a, b, o) => {
    const m = ((o.margin as number | undefined) ?? 0) - y * (a - b);
    if (Number.isNaN(m)) return [NaN, NaN];
    return m >= 0 ? [-y + 0, y + 0] : [0, 0];
  },
  scale: (_y, a, b, o) => Math.abs(a - b) + ((o.margin as number | undefined) ?? 0),
  gradScales: () => [1, 1],
  kinkGap: (y, a, b, o) => Math.abs(((o.margin as number | undefined) ?? 0) - y * (a - b)),
  edge: (y, _a, b, o) => [y, b + y * ((o.margin as number | undefined) ?? 0), b],
  cases: [{}, { margin: 0.5 }, { margin: 2 }],
  domain: { target: [-1, 1], a: [-2, 2], b: [-2, 2] },
  labels: { values: [-1, 1], share: 1 },
  extremes: [
    [1, 0, 0],
    [-1, 0, -0],
    [1, 1e-30, -1e-30],
    [-1, 3e38, -3e38],
    [1, 3e38, -3e38],
    [1, -3e38, 3e38],
    [-1, 1.7e308, -1.7e308],
    [1, Infinity, 0],
    [-1, Infinity, 0],
    [1, Infinity, Infinity],
    [1, NaN, 0],
    [-1, 0, NaN],
    [1, 5e-324, 0],
  ],
  f32Tolerance: 1e-6,
  checks: { target: rankLabel },
  formula: 'l = max(0, m − y·(x₁ − x₂)),  y = ±1;  plotted against x₁, x₂ = 0',
  playground: { along: 0, range: [-3, 3], held: 0, target: { label: 'label y (±1)', min: -1, max: 1, step: 2, value: 1 } },
};

/** Every three-input reference by loss name, sorted (tests, bench and the playground see one order). */
export const ternaryReferences: Readonly<Record<string, TernaryReference>> = { gaussianNLL, marginRanking };

/** What a batch must give, from the float64 reference (wᵢ-weighted), with the scales of its rounding errors. */
export interface TernaryExpected {
  /** wᵢ·lᵢ and the scale of its rounding error (wᵢ times the size of its terms). */
  losses: Float64Array;
  scales: Float64Array;
  /** Σ wᵢlᵢ, Σ wᵢ·scaleᵢ, Σ wᵢ. */
  sum: number;
  scale: number;
  weight: number;
  /** wᵢ·dlᵢ per input (the gradients of the sum), the scale of each. */
  grads: [Float64Array, Float64Array];
  gradScales: [Float64Array, Float64Array];
  /** How far each example lies from a kink, relative to the size of its terms. */
  kinkGaps: Float64Array;
}

export function ternaryExpected(
  ref: TernaryReference,
  y: ArrayLike<number>,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  opts: Opts,
  f32: boolean,
  w?: ArrayLike<number>,
): TernaryExpected {
  const n = y.length;
  const e: TernaryExpected = {
    losses: new Float64Array(n),
    scales: new Float64Array(n),
    sum: 0,
    scale: 0,
    weight: 0,
    grads: [new Float64Array(n), new Float64Array(n)],
    gradScales: [new Float64Array(n), new Float64Array(n)],
    kinkGaps: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const [yi, ai, bi] = [y[i]!, a[i]!, b[i]!];
    const wi = w ? w[i]! : 1;
    const scale = ref.scale(yi, ai, bi, opts, f32);
    e.losses[i] = wi * ref.loss(yi, ai, bi, opts, f32);
    e.scales[i] = wi * scale;
    const g = ref.grads(yi, ai, bi, opts, f32);
    const gs = ref.gradScales(yi, ai, bi, opts, f32);
    for (let j = 0; j < 2; j++) {
      e.grads[j]![i] = wi * g[j]!;
      e.gradScales[j]![i] = wi * gs[j]!;
    }
    e.kinkGaps[i] = ref.kinkGap(yi, ai, bi, opts) / (scale + 2 ** -1000);
    e.sum += e.losses[i]!;
    e.scale += e.scales[i]!;
    e.weight += wi;
  }
  return e;
}
