/**
 * Option checks shared by the one-shot calls and `create`: each option is checked by one function,
 * whichever of the two reads it, so both give the same message for the same mistake.
 */
import { type BooleanOption, checkOptionNames, NONE, type NumericOption, numericOption, reductionOf, SUM } from './args.js';
import { SimdlossError, show } from './errors.js';
import { WasmArray } from './memory.js';
import type { Json } from './stream.js';

/** Options resolved for an accumulator: every option with its default filled in, as JSON. */
export type Resolved = { reduction: 'mean' | 'sum'; [key: string]: Json };

/** What the options of a loss with rows must hold, as its messages say it. */
export const NEEDS_DIM = 'opts.dim (values per row)';

/** `opts` as an object; `required`: what the message says it must hold (undefined: opts may be left out). */
export function optionsObject(fn: string, opts: unknown, required?: string): Record<string, unknown> | undefined {
  if (opts === undefined || opts === null) {
    if (required === undefined) return undefined;
  } else if (typeof opts === 'object') {
    return opts as Record<string, unknown>;
  }
  throw notAnObject(fn, opts, required);
}

// The messages are built apart from the checks: the checks run in every call and stay small enough to inline.
function notAnObject(fn: string, opts: unknown, required: string | undefined): SimdlossError {
  return new SimdlossError(`${fn}: opts must be an object${required === undefined ? '' : ` with ${required}`}; got ${show(opts)}`, 'opts');
}

export function booleanOption(fn: string, name: string, value: unknown): boolean {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new SimdlossError(`${fn}: opts.${name} must be true or false; got ${show(value)}`, `opts.${name}`);
  }
  return value === true;
}

/** An integer in the int32 range (ignoreIndex). */
export function int32Option(fn: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -2147483648 || value > 2147483647) {
    throw new SimdlossError(`${fn}: opts.${name} must be an integer in [-2147483648, 2147483647]; got ${show(value)}`, `opts.${name}`);
  }
  return value;
}

/** opts.accuracy: allowed with the gradient and the loss together; `forWhat` ends the message that says so. */
export function accuracyOption(fn: string, value: unknown, withGrad: boolean, forWhat: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean' || (value && !withGrad)) throw badAccuracy(fn, value, forWhat);
  return value;
}

function badAccuracy(fn: string, value: unknown, forWhat: string): SimdlossError {
  if (typeof value !== 'boolean')
    return new SimdlossError(`${fn}: opts.accuracy must be true or false; got ${show(value)}`, 'opts.accuracy');
  return new SimdlossError(`${fn}: opts.accuracy is for ${forWhat}`, 'opts.accuracy');
}

/** Options of a one-shot call that an accumulator refuses, with the reason each is refused. */
export function refuseCallOptions(fn: string, o: Record<string, unknown>, keys: readonly string[], arrays: string): void {
  for (const key of keys) {
    if (key in o) {
      throw new SimdlossError(
        `${fn}: opts.${key} is not an accumulator option (${
          key === 'weights' ? `weights go with each batch: update(${arrays}, weights)` : 'an accumulator computes no gradient'
        })`,
        `opts.${key}`,
      );
    }
  }
}

/** An accumulator's reduction: 'mean' or 'sum' (it keeps sums, not one loss per `example`). */
export function accumulatorReduction(fn: string, value: unknown, example: string): 'mean' | 'sum' {
  const reduction = reductionOf(fn, value);
  if (reduction === NONE) {
    throw new SimdlossError(
      `${fn}: opts.reduction must be 'mean' or 'sum': an accumulator keeps sums, not per-${example} losses; got 'none'`,
      'opts.reduction',
    );
  }
  return reduction === SUM ? 'sum' : 'mean';
}

/** Each boolean option's value (its default when left out) into `values`, in `flags` order. */
export function booleanValues(fn: string, flags: readonly BooleanOption[], o: Record<string, unknown>, values: boolean[]): boolean[] {
  for (let j = 0; j < flags.length; j++) {
    const value = o[flags[j]!.name];
    values[j] = value === undefined ? flags[j]!.default : booleanOption(fn, flags[j]!.name, value);
  }
  return values;
}

/** create() options of an elementwise loss (`arrays`: what its update takes): reduction plus each numeric and boolean option, defaults filled in. */
export function resolveNumeric(
  fn: string,
  opts: unknown,
  numeric: readonly NumericOption[],
  flags: readonly BooleanOption[] = [],
  arrays = 'target, pred',
): Resolved {
  const resolved: Resolved = { reduction: 'mean' };
  const o = optionsObject(fn, opts) ?? {};
  refuseCallOptions(fn, o, ['weights', 'out'], arrays);
  checkOptionNames(fn, o, ['reduction', ...numeric.map((x) => x.name), ...flags.map((x) => x.name)]);
  resolved.reduction = accumulatorReduction(fn, o.reduction, 'example');
  for (const x of numeric) resolved[x.name] = numericOption(fn, x, o[x.name]);
  const values = booleanValues(fn, flags, o, []);
  flags.forEach((x, j) => {
    resolved[x.name] = values[j]!;
  });
  return resolved;
}

/**
 * opts.out of a loss with one gradient per input: undefined, or an object whose keys are among the
 * input names (each value is checked where it is used).
 */
export function outObject(fn: string, out: unknown, inputs: readonly string[]): Record<string, unknown> | undefined {
  if (out === undefined) return undefined;
  if (out === null || typeof out !== 'object' || ArrayBuffer.isView(out) || Array.isArray(out) || out instanceof WasmArray) {
    throw new SimdlossError(
      `${fn}: opts.out must be an object { ${inputs.join(', ')} } of arrays (each optional); got ${show(out)}`,
      'opts.out',
    );
  }
  for (const key in out) {
    if (!inputs.includes(key))
      throw new SimdlossError(`${fn}: unknown key '${key}' in opts.out (the gradients are ${inputs.join(', ')})`, `opts.out.${key}`);
  }
  return out as Record<string, unknown>;
}
