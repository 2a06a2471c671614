// The input domains an elementwise loss checks: what the library refuses, what the bad-input matrix
// passes to see it refused, and the in-domain edge values the fuzz draws instead (docs/guide.md).

export interface Checked {
  /** Whether the library accepts v here. */
  accepts(v: number): boolean;
  /** Values outside the domain the bad-input matrix passes, one at a time. */
  bad: readonly number[];
  /** A piece of the error message that names the domain. */
  message: string;
  /** Values inside the domain at its edges, drawn by the fuzz where a clean case may not leave it. */
  edges: readonly number[];
  /** Under which of the loss's options the check applies (absent: always). */
  when?(opts: Readonly<Record<string, number | boolean>>): boolean;
}

/** Whether `check` applies under `opts`. */
export const applies = (check: Checked | undefined, opts: Readonly<Record<string, number | boolean>>): check is Checked =>
  check !== undefined && (check.when === undefined || check.when(opts));

export const probability: Checked = {
  accepts: (v) => v >= 0 && v <= 1,
  bad: [-0.5, 1.5, NaN, -Infinity, Infinity],
  message: 'in [0, 1]',
  edges: [0, 1, -0, 2 ** -30, 1 - 2 ** -24, 2 ** -149],
};

/** A hinge label: −1 or 1, and 0 read as −1. */
export const hingeLabel: Checked = {
  accepts: (v) => v === -1 || v === 0 || v === 1,
  bad: [0.5, 2, -2, NaN, Infinity],
  message: 'or 1',
  edges: [-1, 0, 1, -0],
};

/** A count: y ≥ 0 (+∞ included, as IEEE arithmetic takes it). */
export const count: Checked = {
  accepts: (v) => v >= 0,
  bad: [-1, -0.5, -(2 ** -100), NaN, -Infinity],
  message: 'a count ≥ 0',
  edges: [0, -0, 1, 2, 1e6, 2 ** -149],
};

/** A Poisson rate given as itself (poissonNLL with logInput false): λ ≥ 0. */
export const rate: Checked = {
  accepts: (v) => v >= 0,
  bad: [-1, -(2 ** -100), NaN, -Infinity],
  message: '≥ 0 (a rate',
  edges: [0, -0, 1e-30, 1, 1e6, 2 ** -149],
  when: (opts) => opts.logInput === false,
};
