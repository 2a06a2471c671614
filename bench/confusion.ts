/**
 * confusionMatrix at N = 1e6 examples, C = 10 classes, float32: from rows of scores (argmax, then
 * count) and from predicted labels, against the plain JS loop that most code writes (a first-largest
 * argmax per row, then one increment). Part of `npm run bench`; `--only confusionMatrix` runs it alone.
 */
import { alloc, confusionMatrix } from '../dist/node.js';
import { random, uniform } from '../test/random.js';
import { measure, medianOf, type Prepared } from './measure.js';

const N = 1e6;
const C = 10;

/**
 * The plain JS baselines: what a hand-written evaluation loop does. One function per input kind, as a
 * user writes it: one function taking either (scores or labels, the other undefined) made V8's code
 * for the labels loop 1.2× slower (3.06 against 2.57 ms at N = 1e6, loaded machine).
 */
function plainScores(labels: Int32Array, scores: Float32Array, C: number): Float64Array {
  const m = new Float64Array(C * C);
  for (let r = 0; r < labels.length; r++) {
    let k = 0;
    let best = scores[r * C]!;
    for (let j = 1; j < C; j++) {
      const v = scores[r * C + j]!;
      if (v > best) {
        best = v;
        k = j;
      }
    }
    m[labels[r]! * C + k]! += 1;
  }
  return m;
}

function plainLabels(labels: Int32Array, pred: Int32Array, C: number): Float64Array {
  const m = new Float64Array(C * C);
  for (let r = 0; r < labels.length; r++) m[labels[r]! * C + pred[r]!]! += 1;
  return m;
}

export async function benchConfusion(timeMs: number): Promise<void> {
  const rand = random(17);
  const labels = Int32Array.from({ length: N }, () => Math.floor(rand() * C));
  const scores = uniform(Float32Array, N * C, [0, 1], rand);
  const pred = Int32Array.from({ length: N }, () => Math.floor(rand() * C));
  const want = plainScores(labels, scores, C);
  const got = confusionMatrix(labels, scores, { classes: C });
  if (got.some((v, i) => v !== want[i])) throw new Error('confusionMatrix and the plain loop disagree');
  const once = (f: () => Float64Array): Prepared => ({ call: () => ({ loss: f()[0]! }) });
  const zeroCopy = (): Prepared => {
    const y = alloc(N, 'i32');
    const s = alloc(N * C, 'f32');
    y.array.set(labels);
    s.array.set(scores);
    return {
      call: () => ({ loss: confusionMatrix(y, s, { classes: C })[0]! }),
      free: () => {
        y.free();
        s.free();
      },
    };
  };
  const tasks = [
    { name: 'scores: simdloss', prepare: () => once(() => confusionMatrix(labels, scores, { classes: C })) },
    { name: 'scores: zero-copy', prepare: zeroCopy },
    { name: 'scores: plain JS', prepare: () => once(() => plainScores(labels, scores, C)) },
    { name: 'labels: simdloss', prepare: () => once(() => confusionMatrix(labels, pred, { classes: C })) },
    { name: 'labels: plain JS', prepare: () => once(() => plainLabels(labels, pred, C)) },
  ];
  // 3 samples a round at the least (not measure's 8): a call is 10–200 ms, so 5 rounds give each task 15 or more.
  const samples = await measure(tasks, 1, 'confusionMatrix', timeMs, 3);
  const ms = (name: string) => medianOf(samples.get(name)!);
  console.log(`\nconfusionMatrix, N = 1e6 examples, C = ${C}, float32 scores (median ms a call; ratio to plain JS)`);
  for (const name of samples.keys()) {
    const base = ms(name.startsWith('scores') ? 'scores: plain JS' : 'labels: plain JS');
    console.log(`  ${name.padEnd(20)}${ms(name).toFixed(2).padStart(9)} ms  ${(base / ms(name)).toFixed(2).padStart(6)}×`);
  }
}
