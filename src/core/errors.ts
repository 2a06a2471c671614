/**
 * The one error type simdloss throws for bad input or misuse. `argument` names the argument at
 * fault ('pred', 'opts.delta', …); `index` is set when one element is at fault. The library stays
 * usable after it.
 *
 * @example
 * ```ts
 * import { mse, SimdlossError } from 'simdloss';
 *
 * try {
 *   mse(Float32Array.of(1, 2, 3), Float32Array.of(1, 2, 3), { weights: Float32Array.of(1, 1, -1) });
 * } catch (e) {
 *   if (e instanceof SimdlossError) {
 *     e.message;    // 'mse: opts.weights[2] must be a finite number ≥ 0; got -1'
 *     e.argument;   // 'opts.weights'
 *     e.index;      // 2
 *   }
 * }
 * ```
 */
export class SimdlossError extends Error {
  /** The argument at fault, as the message names it: 'pred', 'opts.delta', 'opts.weights', 'labels' … */
  readonly argument: string | undefined;
  /** The index of the element at fault, when one element is. */
  readonly index: number | undefined;

  constructor(message: string, argument?: string, index?: number) {
    super(message);
    this.name = 'SimdlossError';
    this.argument = argument;
    this.index = index;
  }
}

/** Shows a value as a user would write it: -0, NaN, 1e-7, 'text', [object of type X]. */
export function show(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return `'${value}'`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
