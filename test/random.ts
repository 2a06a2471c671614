// Seeded data for tests and benchmarks (no test-runner import, so bench/ can use it too).
import type { ElementwiseEntry, TernaryEntry } from './registry.js';

/** mulberry32: repeatable uniform numbers in [0, 1). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function uniform<C extends Float32ArrayConstructor | Float64ArrayConstructor>(
  Ctor: C,
  n: number,
  [lo, hi]: readonly [number, number],
  rand: () => number,
): InstanceType<C> {
  const a = new Ctor(n) as InstanceType<C>;
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rand();
  return a;
}

/**
 * Target and prediction for an elementwise registry entry: uniform over its domain, a share of the
 * targets replaced by its labels, and every 7th prediction equal to its target (a zero residual:
 * the kinks and subgradients at 0 get exercised).
 */
export function elementwiseData<C extends Float32ArrayConstructor | Float64ArrayConstructor>(
  entry: Pick<ElementwiseEntry, 'domain' | 'labels'>,
  Ctor: C,
  n: number,
  rand: () => number,
): { y: InstanceType<C>; p: InstanceType<C> } {
  const y = uniform(Ctor, n, entry.domain.target, rand);
  const p = uniform(Ctor, n, entry.domain.pred, rand);
  if (entry.labels) {
    const { values, share } = entry.labels;
    for (let i = 0; i < n; i++) if (rand() < share) y[i] = values[Math.floor(rand() * values.length)]!;
  }
  for (let i = 0; i < n; i += 7) p[i] = y[i]!;
  return { y, p };
}

/**
 * Target and the two inputs for a three-input registry entry: uniform over its domain, a share of
 * the targets replaced by its labels, and every 7th example moved onto the loss's kink or clamp for
 * `opts` (the reference's edge).
 */
export function ternaryData<C extends Float32ArrayConstructor | Float64ArrayConstructor>(
  entry: Pick<TernaryEntry, 'domain' | 'labels' | 'reference'>,
  Ctor: C,
  n: number,
  rand: () => number,
  opts: Record<string, number | boolean> = {},
): { y: InstanceType<C>; a: InstanceType<C>; b: InstanceType<C> } {
  const y = uniform(Ctor, n, entry.domain.target, rand);
  const a = uniform(Ctor, n, entry.domain.a, rand);
  const b = uniform(Ctor, n, entry.domain.b, rand);
  if (entry.labels) {
    const { values, share } = entry.labels;
    for (let i = 0; i < n; i++) if (rand() < share) y[i] = values[Math.floor(rand() * values.length)]!;
  }
  for (let i = 0; i < n; i += 7) [y[i], a[i], b[i]] = entry.reference.edge(y[i]!, a[i]!, b[i]!, opts);
  return { y, a, b };
}
