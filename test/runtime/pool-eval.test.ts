// examples/pool-eval.ts: shards scored on worker threads (piscina), states merged in the order they
// come back, give exactly the states of the same shards scored and merged here in shard order, and
// exactly the confusion matrix of one call over all the data.
import { expect, test } from 'vitest';
import { batchOf, CLASSES, report, score, shard } from '../../examples/edge-eval/metrics.js';
import { poolEval } from '../../examples/pool-eval.js';
import { confusionMatrix, init } from '../../src/node.js';

test('8 shards on 2 threads = one thread = one call', async () => {
  await init();
  const merged = (await poolEval(8, 400, 2)) as { confusion: { matrix: number[] } };
  const here = report(Array.from({ length: 8 }, (_, k) => score(batchOf(shard(k, 400).labels, shard(k, 400).scores))));
  expect(merged).toEqual(here);
  const whole = shard(0, 8 * 400); // shard k of size s is examples [k·s, (k + 1)·s): shard 0 of size 8s is all of them
  expect(merged.confusion.matrix).toEqual([...confusionMatrix(whole.labels, whole.scores, { classes: CLASSES })]);
}, 60_000);
