/**
 * The one error type simdloss throws for bad input or misuse. `argument` names the argument at
 * fault ('pred', 'opts.delta', …); `index` is set when one element is at fault. The library stays
 * usable after it.
 */
export class SimdlossError extends Error {
  readonly argument: string | undefined;
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
