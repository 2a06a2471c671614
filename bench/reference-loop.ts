/**
 * The baseline for an elementwise loss with no hand-written loop in bench/plain.ts: its float64
 * reference formula (test/reference/) in the same loop shape — the sum in a JS number, the gradient
 * of the mean into a new or reused array. Slower than a hand-written loop (a call per element, the
 * options read per element), so the bench says when it is the baseline. A reference that serves
 * as one writes small powers as products: `r ** 4` cost 100 ns an element in Node 20 (V8 11.3),
 * `r * r * r * r` 1.8 ns (measured on float32 data).
 */
import type { ElementFormula } from '../test/reference/index.js';

type Out = Float32Array | Float64Array;
export type ReferenceLoop<A extends Out> = (y: A, p: A, opts: Record<string, number>, out?: A) => { loss: number; grad: A };

// Compiled once per call of referenceLoop (new Function): each loss and dtype gets its own copy of
// the loop, whose element loads and formula calls stay monomorphic, as a hand-written loop's do.
// (Closures of one factory share their type feedback, which would mix every loss and dtype.)
const SOURCE = `return function referenceLoop(y, p, opts, out) {
  const n = p.length;
  const grad = out ?? new Out(n);
  const s = n > 0 ? 1 / n : 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += loss(y[i], p[i], opts, f32);
    grad[i] = s * gradOf(y[i], p[i], opts, f32);
  }
  return { loss: n > 0 ? sum / n : 0, grad };
};`;

/** A loop over the reference's formula for arrays of `Out` (float32: with the float32 kernel's constants). */
export function referenceLoop<A extends Out>(ref: ElementFormula, Out: { new (n: number): A }): ReferenceLoop<A> {
  const f32 = (Out as unknown) === Float32Array;
  return new Function('loss', 'gradOf', 'Out', 'f32', SOURCE)(ref.loss, ref.grad, Out, f32);
}
