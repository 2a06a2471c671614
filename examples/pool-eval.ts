// npm run pool-eval — the edge example's evaluation on one machine: shards scored by a pool of
// worker threads (piscina), their accumulator states merged as they come back, in any order; the
// merged metrics are exactly those of one call over all the data (examples/edge-eval/metrics.ts
// says why: exact counts, probabilities that sum exactly).
//   npm run pool-eval -- --shards 64 --size 20000 --threads 4
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { report } from './edge-eval/metrics.js';

/**
 * Scores `shards` shards of `size` examples on `threads` worker threads and merges their states.
 * Each worker runs pool-eval-worker.mjs, which loads the TypeScript task through tsx.
 */
export async function poolEval(shards: number, size: number, threads: number): Promise<Record<string, unknown>> {
  const pool = new Piscina({
    filename: new URL('./pool-eval-worker.mjs', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
  });
  try {
    const states: Record<string, unknown>[] = [];
    // pushed as they finish: the order of arrival is the pool's, and the merge does not depend on it
    await Promise.all(Array.from({ length: shards }, (_, k) => pool.run({ k, size }).then((s: Record<string, unknown>) => states.push(s))));
    return report(states);
  } finally {
    await pool.destroy();
  }
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer; got ${process.argv[at + 1]}`);
  return value;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const shards = option('shards', 16);
  const size = option('size', 10_000);
  const threads = option('threads', Math.max(2, availableParallelism()));
  const t0 = performance.now();
  const merged = await poolEval(shards, size, threads);
  console.log(`${shards} shards × ${size} examples on ${threads} threads, merged in ${(performance.now() - t0).toFixed(0)} ms:`);
  console.log(JSON.stringify(merged, null, 2));
}
