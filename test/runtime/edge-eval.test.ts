// examples/edge-eval in workerd (miniflare): the Worker bundled with esbuild as a Worker deploy
// would bundle it, its Durable Object bound; 8 shards posted in shuffled orders, one of them twice
// (a retry), must give exactly what one machine computes in one call over all the data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CLASSES, shard } from '../../examples/edge-eval/metrics.js';
import { calibration, confusionMatrix, init, precisionRecallF1, rocAuc } from '../../src/node.js';
import { random } from '../helpers.js';

const SHARDS = 8;
const SIZE = 500;
const dir = mkdtempSync(join(tmpdir(), 'edge-eval-'));
let mf: import('miniflare').Miniflare;

beforeAll(async () => {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [fileURLToPath(new URL('../../examples/edge-eval/worker.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker'],
    loader: { '.wasm': 'copy' },
    outdir: dir,
    logLevel: 'warning',
  });
  const { Miniflare } = await import('miniflare');
  mf = new Miniflare({
    modules: true,
    scriptPath: join(dir, 'worker.js'),
    modulesRoot: dir,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    durableObjects: { EVALUATOR: 'Evaluator' },
    compatibilityDate: '2026-04-01',
    host: '127.0.0.1',
  });
  await init();
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** What one machine computes: every shard concatenated, one call per metric. */
function oneMachine() {
  const labels = new Int32Array(SHARDS * SIZE);
  const scores = new Float32Array(SHARDS * SIZE * CLASSES);
  for (let k = 0; k < SHARDS; k++) {
    const s = shard(k, SIZE);
    labels.set(s.labels, k * SIZE);
    scores.set(s.scores, k * SIZE * CLASSES);
  }
  const matrix = confusionMatrix(labels, scores, { classes: CLASSES });
  // top-label calibration, written out here rather than taken from the example
  const correct = new Int32Array(labels.length);
  const confidence = new Float32Array(labels.length);
  for (let r = 0; r < labels.length; r++) {
    const row = Array.from(scores.subarray(r * CLASSES, (r + 1) * CLASSES));
    const top = row.indexOf(Math.max(...row));
    correct[r] = Number(top === labels[r]);
    confidence[r] = row[top]!;
  }
  const c = calibration(correct, confidence, { bins: 10 });
  return {
    shards: SHARDS,
    confusion: {
      matrix: [...matrix],
      f1: {
        macro: precisionRecallF1(matrix, { average: 'macro' }).f1,
        micro: precisionRecallF1(matrix, { average: 'micro' }).f1,
        perClass: [...precisionRecallF1(matrix).f1],
      },
    },
    calibration: { ece: c.ece, mce: c.mce, count: [...c.bins.count] },
    // the binned AUC of everything in one update (exact merges of counts: the shards must give its bits)
    confidenceAuc: rocAuc.create({ bins: 4096 }).update(correct, confidence).result(),
  };
}

async function post(id: string, k: number): Promise<void> {
  const { labels, scores } = shard(k, SIZE);
  const body = JSON.stringify({ labels: [...labels], scores: [...scores] });
  const response = await mf.dispatchFetch(`http://localhost/shards/${id}`, { method: 'POST', body });
  expect(response.status).toBe(200);
  await response.json();
}

async function metrics(): Promise<unknown> {
  return (await mf.dispatchFetch('http://localhost/metrics')).json();
}

test('8 shards in any order, one retried, give exactly the one-machine metrics', async () => {
  const expected = oneMachine();
  expect(expected.confusion.f1.macro).toBeGreaterThan(0.5); // a model that is neither useless nor perfect
  expect(expected.calibration.ece).toBeGreaterThan(0.01);
  const order = [5, 2, 7, 0, 3, 6, 1, 4];
  for (const [i, k] of order.entries()) {
    await post(`run1-${k}`, k);
    if (i === 2) await post(`run1-${order[0]}`, order[0]!); // a retry of a shard already stored
  }
  expect(await metrics()).toEqual(expected);
  // the same shards again under other ids, posted all at once in another order: a second evaluation in the same object
  const shuffle = random(3);
  const again = [...order].sort(() => shuffle() - 0.5);
  await Promise.all([...again, again[4]!].map((k) => post(`run2-${k}`, k)));
  const both = (await metrics()) as typeof expected;
  expect(both.shards).toBe(2 * SHARDS);
  expect(both.confusion.matrix).toEqual(expected.confusion.matrix.map((v) => 2 * v));
  expect(both.calibration.ece).toBe(expected.calibration.ece);
}, 60_000);
