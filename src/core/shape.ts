/**
 * What the arrays of a public function are, for code that adapts it from outside the call path
 * (simdloss/tfjs lays tensors out by it): its family, and the roles of its arrays. Kept under a
 * registered symbol so that a copy of the library bundled into another entry (the CommonJS
 * bridge) reads the same key.
 */
export type Shape =
  /** (target, pred): one element of each per example. */
  | { kind: 'elementwise' }
  /** (target, pred) in rows of `classes` values; the target is one label per row or a row of its own. */
  | { kind: 'rows'; target: 'labels' | 'dense' }
  /** (label?, …inputs) in rows of `dim` values, one label per row when `label`. */
  | { kind: 'embedding'; label: boolean; inputs: readonly string[] }
  /** (target, a, b): one element of each per example, a gradient for a and b. */
  | { kind: 'ternary'; inputs: readonly [string, string] };

export const SHAPE: unique symbol = Symbol.for('simdloss.shape') as never;
