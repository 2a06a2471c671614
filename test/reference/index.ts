// float64 references for every loss in the registry, and the reductions of the contract.
//
// An elementwise loss's reference is an export of its family's file (regression.ts, binary.ts),
// named as the loss: the formula and, beside it, what the tests need to drive the loss (option
// cases, domain, labels, extremes, kinks, float32 tolerance, checked inputs). The registry
// (test/registry.ts) joins these with the library's exports by name; nothing of it enters the library.
import * as binary from './binary.js';
import type { Checked } from './domains.js';
import * as regression from './regression.js';

export { type RowReference, rowReferences } from './categorical.js';

/** A loss's own options as tests pass them: numbers, and booleans for the boolean options. */
export type Options = Readonly<Record<string, number | boolean>>;

/** Numeric option `name` of `o`, or its default. */
export const num = (o: Options, name: string, value: number): number => {
  const v = o[name];
  return typeof v === 'number' ? v : value;
};

/** Boolean option `name` of `o`, or its default. */
export const flag = (o: Options, name: string, value: boolean): boolean => {
  const v = o[name];
  return typeof v === 'boolean' ? v : value;
};

/** The formula of one example, in float64. */
export interface ElementFormula {
  /** Loss of one example, in float64 (`f32`: for the float32 kernel, where its constants differ). */
  loss(y: number, p: number, opts: Options, f32?: boolean): number;
  /** dl/dp of one example, in float64. */
  grad(y: number, p: number, opts: Options, f32?: boolean): number;
  /**
   * For a gradient that is a difference of terms (and so cancels near its zero): the sum of their
   * magnitudes, the scale its rounding error is relative to. Absent: |grad| itself.
   */
  gradScale?(y: number, p: number, opts: Options, f32?: boolean): number;
  /**
   * For a loss that is a difference of terms (it crosses 0): the sum of their magnitudes, the scale
   * its rounding error is relative to. Absent: |loss| itself.
   */
  lossScale?(y: number, p: number, opts: Options, f32?: boolean): number;
}

/** An elementwise loss's reference: its formula and how tests and benchmarks drive it. */
export interface ElementReference extends ElementFormula {
  /** Option sets worth testing (`{}`: the defaults). */
  cases: readonly Options[];
  /** Where target and pred are drawn from in tests and benchmarks. */
  domain: { target: readonly [number, number]; pred: readonly [number, number] };
  /** Targets that are labels: a share of them (1: all) drawn from these values instead of the domain. */
  labels?: { values: readonly number[]; share: number };
  /** (target, pred) pairs at the edges of the domain, replacing the generic extremes (huge, ±∞, NaN) where those are refused. */
  extremes?: readonly (readonly [number, number])[];
  /** Places the loss has a kink, where central differences do not apply (|r| values). */
  kinks(opts: Options): number[];
  /** Per-element relative tolerance of the float32 kernel against float64 (float64 kernels: 1e-12). */
  f32Tolerance: number;
  /** The arguments the library checks element by element (absent: any value is accepted). */
  checks: { target?: Checked; pred?: Checked };
  /**
   * Inputs where the float32 kernel is knowingly not within tolerance of the reference (docs/numerics.md,
   * "Known limitations"): the fuzz checks only that the builds agree there.
   */
  known?(y: number, p: number, f32: boolean): boolean;
  /**
   * The float32 kernel sums the unweighted loss another way than the weighted one (docs/numerics.md):
   * weights of all ones give the same elements, and a sum within rounding rather than bit for bit.
   */
  f32UnweightedSumDiffers?: boolean;
  /**
   * The loss is a negative log-likelihood without its constant: it may be negative, and is not 0 at
   * ŷ = y (the properties that say otherwise of the others do not hold).
   */
  signed?: boolean;
  /** The formula as the playground shows it. */
  formula: string;
}

/** The families of elementwise losses, each a file of references: the family is the file's. */
const families = { regression, binary } as const;
export type ElementFamily = keyof typeof families;

/**
 * Every elementwise reference by loss name, with its family: family by family, by name within one
 * (a module namespace's order is the name order in ES modules, but declaration order under
 * vitest's transform: sorted here, tests, bench and the bundled playground see one order).
 */
export const references: Readonly<Record<string, ElementReference & { family: ElementFamily }>> = Object.fromEntries(
  Object.entries(families).flatMap(([family, refs]) =>
    Object.keys(refs)
      .sort()
      .map((name) => [name, { ...(refs as Record<string, ElementReference>)[name]!, family: family as ElementFamily }]),
  ),
);

export interface Expected {
  /** wᵢ·lᵢ per example. */
  losses: Float64Array;
  mean: number;
  sum: number;
  /** Gradients of the mean, the sum, and of Σ wᵢlᵢ (= 'none'). */
  gradMean: Float64Array;
  gradSum: Float64Array;
  /** The scale of each gradient's rounding error (ElementReference.gradScale), for the mean and the sum. */
  gradMeanScale: Float64Array;
  gradSumScale: Float64Array;
  /** The scale of each loss's rounding error beyond |loss| (ElementReference.lossScale; 0 without one), and of the mean's and the sum's. */
  lossScale: Float64Array;
  meanScale: number;
  sumScale: number;
}

/** What every reduction of the contract must give, from the float64 reference. */
export function expected(
  ref: ElementFormula,
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  opts: Options,
  w?: ArrayLike<number>,
  f32 = false,
): Expected {
  const n = p.length;
  const losses = new Float64Array(n);
  const gradSum = new Float64Array(n);
  const gradSumScale = new Float64Array(n);
  const lossScale = new Float64Array(n);
  let sum = 0;
  let sumScale = 0;
  let weightSum = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    losses[i] = wi * ref.loss(y[i]!, p[i]!, opts, f32);
    lossScale[i] = wi * (ref.lossScale ? ref.lossScale(y[i]!, p[i]!, opts, f32) : 0);
    if (Number.isFinite(lossScale[i])) sumScale += lossScale[i]!;
    gradSum[i] = wi * ref.grad(y[i]!, p[i]!, opts, f32);
    gradSumScale[i] = wi * (ref.gradScale ? ref.gradScale(y[i]!, p[i]!, opts, f32) : 0);
    sum += losses[i]!;
    weightSum += wi;
  }
  const mean = weightSum > 0 ? sum / weightSum : 0;
  const gradMean = gradSum.map((g) => (weightSum > 0 ? g / weightSum : 0));
  const gradMeanScale = gradSumScale.map((g) => (weightSum > 0 ? g / weightSum : 0));
  const meanScale = weightSum > 0 ? sumScale / weightSum : 0;
  return { losses, mean, sum, gradMean, gradSum, gradMeanScale, gradSumScale, lossScale, meanScale, sumScale };
}
