// npm run sharded — a loss over 10 million examples, split into shards across worker_threads.
// Each worker has its own simdloss instance, streams its shards chunk by chunk into an accumulator
// and sends back toJSON(); the main thread merges the states as they arrive (any order) and prints
// the merged loss beside the one-shot value computed over the whole data in one thread.
//   npm run sharded -- --examples 1e7 --workers 4 --shards 16
// With Web Workers only the plumbing changes: `new Worker(url, { type: 'module' })`, postMessage and
// onmessage in place of parentPort; evaluateShard and the merging stay as they are.
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { type AccumulatorState, huber, init } from '../src/node.js';

const OPTIONS = { delta: 1 } as const;
/** Examples read at a time, as if from a file: the accumulator never sees more than this. */
const CHUNK = 65536;

/**
 * Example i's target and the model's prediction, a function of i alone so that any worker can
 * produce any shard (this stands in for reading the data and running the model: the per-example
 * work that sharding spreads across cores).
 */
function fill(start: number, y: Float64Array, p: Float64Array): void {
  for (let j = 0; j < y.length; j++) {
    let h = Math.imul((start + j) ^ 0x9e3779b9, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    const u = ((h ^ (h >>> 16)) >>> 0) / 4294967296;
    const x = 8 * u - 4;
    y[j] = Math.sin(x) + 0.1 * x * x;
    p[j] = x - (x * x * x) / 6 + (x * x * x * x * x) / 120 + 0.1 * x * x + 0.3 * (u - 0.5); // a model that is close, not exact
  }
}

/** One shard [start, end), streamed through an accumulator; its state is what crosses the thread (or machine) boundary. */
export function evaluateShard(start: number, end: number): AccumulatorState {
  const acc = huber.create(OPTIONS);
  const y = new Float64Array(CHUNK);
  const p = new Float64Array(CHUNK);
  for (let i = start; i < end; i += CHUNK) {
    const m = Math.min(CHUNK, end - i);
    fill(i, y.subarray(0, m), p.subarray(0, m));
    acc.update(y.subarray(0, m), p.subarray(0, m));
  }
  return acc.toJSON();
}

/**
 * A worker running this file. Compiled JavaScript would be `new Worker(new URL(import.meta.url))`;
 * this example is TypeScript run by tsx, whose loader Node 20 does not carry into workers, so the
 * worker imports the file through tsx's API.
 */
function spawn(): Worker {
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const self = JSON.stringify(import.meta.url);
  return new Worker(`import(${api}).then(({ tsImport }) => tsImport(${self}, ${self}))`, { eval: true });
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer; got ${process.argv[at + 1]}`);
  return value;
}

async function main(): Promise<void> {
  const n = option('examples', 1e7);
  const workers = option('workers', Math.max(2, availableParallelism()));
  const shards = option('shards', 4 * workers);
  const info = await init();
  console.log(
    `simdloss sharded evaluation — huber (δ = ${OPTIONS.delta}), ${n.toLocaleString('en')} float64 examples, ${info.simd ? 'SIMD' : 'scalar'} build`,
  );

  // Start the workers and wait until each has loaded its own instance (start-up is reported apart).
  let t0 = performance.now();
  const pool = await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<Worker>((resolve, reject) => {
          const worker = spawn();
          worker.once('message', () => resolve(worker));
          worker.once('error', reject);
        }),
    ),
  );
  const startup = performance.now() - t0;

  // Shards go to whichever worker is free; states are merged in the order they come back.
  t0 = performance.now();
  const bounds = Array.from({ length: shards + 1 }, (_, k) => Math.round((k * n) / shards));
  const merged = huber.create(OPTIONS);
  let next = 0;
  await Promise.all(
    pool.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          const give = () => {
            if (next === shards) return resolve();
            const k = next++;
            worker.postMessage({ start: bounds[k], end: bounds[k + 1] });
          };
          worker.on('message', (state: AccumulatorState) => {
            merged.merge(huber.fromJSON(state));
            give();
          });
          worker.once('error', reject);
          give();
        }),
    ),
  );
  const sharded = performance.now() - t0;
  await Promise.all(pool.map((worker) => worker.terminate()));

  // The same work in this thread alone, shard by shard as a worker does it: the speed-up's baseline.
  t0 = performance.now();
  const alone = huber.create(OPTIONS);
  for (let k = 0; k < shards; k++) alone.merge(huber.fromJSON(evaluateShard(bounds[k]!, bounds[k + 1]!)));
  const serial = performance.now() - t0;

  // The reference: the whole data in two arrays, one call.
  const y = new Float64Array(n);
  const p = new Float64Array(n);
  fill(0, y, p);
  t0 = performance.now();
  const oneShot = huber(y, p, OPTIONS);
  const oneShotTime = performance.now() - t0;

  const line = (label: string, value: string) => console.log(`  ${label.padEnd(36)}${value}`);
  line(`merged (${workers} workers, ${shards} shards)`, String(merged.result()));
  line('one-shot huber(y, p)', String(oneShot));
  line('relative difference', (Math.abs(merged.result() - oneShot) / Math.abs(oneShot)).toExponential(2));
  line('examples merged', String(merged.count));
  line('one thread: fill + loss + merge', `${serial.toFixed(0)} ms (the one-shot loss alone: ${oneShotTime.toFixed(1)} ms)`);
  line(`${workers} workers: fill + loss + merge`, `${sharded.toFixed(0)} ms (+ ${startup.toFixed(0)} ms worker start-up)`);
  line('speed-up', `${(serial / sharded).toFixed(2)}x`);
}

if (isMainThread) {
  await main();
} else {
  await init();
  parentPort!.on('message', ({ start, end }: { start: number; end: number }) => parentPort!.postMessage(evaluateShard(start, end)));
  parentPort!.postMessage('ready');
}
