// Seeded data for tests and benchmarks (no test-runner import, so bench/ can use it too).

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
  Ctor: C, n: number, [lo, hi]: readonly [number, number], rand: () => number): InstanceType<C> {
  const a = new Ctor(n) as InstanceType<C>;
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rand();
  return a;
}
