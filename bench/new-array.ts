/**
 * The floor under a call that returns a new gradient array: the array allocated and n values copied
 * into it once from wasm memory, against the same copy into a reused array — the difference is what
 * the allocation itself costs (the engine's zeroed pages, touched for the first time, and the garbage
 * collections it brings), which no call returning a new array avoids. Timed in the same run as the
 * calls; bench/run.ts prints it under each similarity loss's table, whose gradients are megabytes.
 */
import { alloc } from '../dist/node.js';
import { measure, medianOf } from './measure.js';

/** Median ms per call of `new Float32Array(n)` + one set, and of the set into a reused array. */
export async function newArrayFloor(n: number, timeMs: number): Promise<{ fresh: number; reused: number }> {
  const source = alloc(n, 'f32');
  const from = source.array;
  const fresh = new Function('s', 'n', 'return () => { const a = new Float32Array(n); a.set(s); return { loss: a[n - 1] }; };')(from, n);
  const reused = new Function('s', 'n', 'const a = new Float32Array(n); return () => { a.set(s); return { loss: a[n - 1] }; };')(from, n);
  const pooled = await measure(
    [
      { name: 'fresh', prepare: () => ({ call: fresh }) },
      { name: 'reused', prepare: () => ({ call: reused }) },
    ],
    1,
    'new array floor',
    timeMs,
  );
  source.free();
  return { fresh: medianOf(pooled.get('fresh')!), reused: medianOf(pooled.get('reused')!) };
}
