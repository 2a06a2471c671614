// One task of examples/pool-eval.ts, run in a piscina worker thread: produce shard k (as if read from
// a file) and return the states of every accumulator of edge-eval/metrics.ts after it.
import { init } from '../src/node.js';
import { batchOf, score, shard } from './edge-eval/metrics.js';

await init();

export default function evaluate({ k, size }: { k: number; size: number }): Record<string, unknown> {
  const { labels, scores } = shard(k, size);
  return score(batchOf(labels, scores));
}
