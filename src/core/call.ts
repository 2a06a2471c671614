/**
 * The one call path of every family: what a call wants (the loss, the gradient, both, or an
 * accumulator's sums), the reductions of what a pass adds up, and the public function built around
 * a family's pass: `f`, `.grad`, `.withGrad`, `.create`, `.fromJSON`.
 */
import { MEAN, type NumericOption, SUM } from './args.js';
import { SimdlossError } from './errors.js';
import { SHAPE, type Shape } from './shape.js';
import { type Json, type Sums, streaming } from './stream.js';

export const LOSS = 1;
export const GRAD = 2;
/** Internal: Σ w·l, the mean's denominator and the example count, for an accumulator, instead of the reduced loss. */
export const SUMS = 4;

export type Opts = Record<string, unknown> | undefined;

/**
 * One call of a family: `family` is the loss's own state (its spec, kernels), `fn` names the
 * caller in messages, `want` is LOSS, GRAD, LOSS | GRAD or SUMS; x0, x1 (and x2 for three-input
 * losses) are the arrays before opts. x2 comes last so that a two-array call passes no extra
 * undefined (measured: mse on ordinary arrays at N = 16, 5% faster).
 */
export type Pass<S> = (family: S, fn: string, want: number, x0: unknown, x1: unknown, opts: Opts, x2?: unknown) => unknown;

export interface Wiring<S> {
  name: string;
  /** The loss's numeric options (its public `.options`). */
  options: readonly NumericOption[];
  /** The arrays before opts: 2 (target, pred) or 3 (label, a, b; anchor, positive, negative; target, mean, variance). */
  arrays: 2 | 3;
  /** The arrays an accumulator's update takes, for its message ('target, pred'). */
  updateArguments: string;
  /** false for metrics: the function alone, without .grad and .withGrad. */
  grad: boolean;
  /** One function per family, not a closure per loss: the public function calls it directly (measured: a closure between them cost mse ~5% at N = 16). */
  pass: Pass<S>;
  family: S;
  /** What its arrays are, for adapters outside the call path (simdloss/tfjs); a family without one is refused there. */
  shape?: Shape;
  /** create()'s options checked, defaults filled in: the JSON an accumulator's state keeps. */
  resolve(fn: string, opts: unknown): { reduction: 'mean' | 'sum'; [key: string]: Json };
}

/** The public function of a loss or metric. */
export function wire<F, S>(w: Wiring<S>): F {
  const { name, pass, family } = w;
  const gradName = `${name}.grad`;
  const withGradName = `${name}.withGrad`;
  const two = w.arrays === 2;
  // Named by a computed key rather than by redefining `name`, which put the function's properties
  // in dictionary mode: every read of `mse.withGrad` then took ~6 ns instead of ~1 (Node 20).
  // Stryker disable all: a mutant here puts the arrow functions inside its switch, where they lose
  // their names and Stryker's first, unmutated test run fails. Planted by hand, each of these
  // mutants is killed by driver-wiring, call-plan or ternary.
  const f = two
    ? { [name]: (a: unknown, b: unknown, opts?: Opts) => pass(family, name, LOSS, a, b, opts) }[name]!
    : { [name]: (a: unknown, b: unknown, c: unknown, opts?: Opts) => pass(family, name, LOSS, a, b, opts, c) }[name]!;
  // Stryker restore all
  const props: PropertyDescriptorMap = { lossName: { value: name }, options: { value: w.options } };
  if (w.shape) props[SHAPE] = { value: w.shape };
  if (w.grad) {
    props.grad = {
      value: two
        ? (a: unknown, b: unknown, opts?: Opts) => pass(family, gradName, GRAD, a, b, opts)
        : (a: unknown, b: unknown, c: unknown, opts?: Opts) => pass(family, gradName, GRAD, a, b, opts, c),
    };
    props.withGrad = {
      value: two
        ? (a: unknown, b: unknown, opts?: Opts) => pass(family, withGradName, LOSS | GRAD, a, b, opts)
        : (a: unknown, b: unknown, c: unknown, opts?: Opts) => pass(family, withGradName, LOSS | GRAD, a, b, opts, c),
    };
  }
  Object.defineProperties(f, props);
  // Accumulators: each batch is checked as the one-shot call checks it; options are fixed at create.
  streaming(f, {
    name,
    resolve: w.resolve,
    batch(fn, options, args) {
      if (args.length > w.arrays + 1) {
        throw new SimdlossError(`${fn}: takes (${w.updateArguments}, weights?); got ${args.length} arguments`, 'arguments');
      }
      const weights = args[w.arrays];
      return pass(family, fn, SUMS, args[0], args[1], { ...options, weights }, two ? undefined : args[2]) as Sums;
    },
  });
  return f as F;
}

/**
 * The loss a call returns from what its pass added up (Σ w·l, the mean's denominator — Σ w, a
 * class-weighted sum, or the example count — and the example count): the per-example losses when
 * kept (reduction 'none'), else the sum or the mean; an accumulator's sums for SUMS.
 */
export function reduced(want: number, reduction: number, sum: number, denominator: number, count: number, losses: unknown): unknown {
  if (want === SUMS) return { sum, weight: denominator, count } satisfies Sums;
  return losses ?? (reduction === SUM ? sum : denominator > 0 ? sum / denominator : 0);
}

/** 1 / the mean's denominator, the gradient's scale for 'mean' (1 for the other reductions). */
export function scaleOf(reduction: number, denominator: number): number {
  return reduction !== MEAN ? 1 : denominator > 0 ? 1 / denominator : 0;
}
