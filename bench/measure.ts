/** The timing loop shared by bench/run.ts and bench/tfjs.ts: interleaved rounds of tinybench tasks. */
import { Bench } from 'tinybench';
import { ownCopy } from './own-copy.js';

// Each task's time is split over rounds that interleave the variants (order reversed every other
// round): this machine's speed drifts by up to 1.6× over hundreds of ms, which would otherwise
// land whole on whichever variant happened to run then. Medians are over the pooled samples.
export const ROUNDS = 5;

export interface Prepared<R = { loss: number }> {
  call: () => R;
  free?: () => void;
}

let sink = 0; // every loss value lands here, so no call can be optimised away

/**
 * `reps` calls, their losses summed. Each task times its own copy (ownCopy): with one loop for all,
 * its call site would see every variant's function and slow each call by a polymorphic dispatch.
 */
function timedLoop(call: () => { loss: number }, reps: number): number {
  let s = 0;
  for (let i = 0; i < reps; i++) s += call().loss;
  return s;
}
/** Whether some timed call returned a NaN loss. */
export const sawNaN = (): boolean => Number.isNaN(sink);

export const medianOf = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Times each task over ROUNDS interleaved rounds (order reversed every other round), `timeMs` in
 * all per task; a sample is `reps` calls, recorded as the mean per call. prepare() runs outside the
 * timed samples (build or backend switches, allocations). Returns every task's pooled samples (ms per call).
 */
export async function measure(
  tasks: { name: string; prepare(): Prepared | Promise<Prepared> }[],
  reps: number,
  what: string,
  timeMs: number,
  /** Samples per task and round at the least, whatever timeMs. */
  iterations = 8,
): Promise<Map<string, number[]>> {
  const pooled = new Map<string, number[]>(tasks.map((t) => [t.name, []]));
  const loops = new Map(tasks.map((t) => [t, ownCopy(timedLoop)]));
  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({
      time: timeMs / ROUNDS,
      iterations,
      // every round warms up: a task's call is prepared afresh each round, and compiled afresh
      warmup: true,
      warmupTime: timeMs / 5 / ROUNDS,
      warmupIterations: 2,
      retainSamples: true,
      throws: true,
    });
    for (const t of round % 2 ? [...tasks].reverse() : tasks) {
      let prep: Prepared | undefined;
      const timed = loops.get(t)!;
      bench.add(
        t.name,
        () => {
          const t0 = performance.now();
          sink += timed(prep!.call, reps);
          const ms = performance.now() - t0;
          return { overriddenDuration: ms / reps, overriddenIterationCost: ms };
        },
        {
          async: false,
          beforeAll: async () => {
            prep = await t.prepare();
          },
          afterAll: () => prep?.free?.(),
        },
      );
    }
    await bench.run();
    for (const task of bench.tasks) {
      const r = task.result;
      if (r.state !== 'completed') throw new Error(`${what} ${task.name}: ${r.state}`);
      // (not push(...samples): a task of a few ns has more samples than a call's arguments may be)
      const samples = pooled.get(task.name)!;
      for (const sample of r.latency.samples!) samples.push(sample);
    }
  }
  return pooled;
}
