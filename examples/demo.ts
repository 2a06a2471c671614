// npm run demo — the lesson (losses, worked examples, the medical scenario, loss vs accuracy)
// computed by simdloss, iris trained with its gradients, and a quick speed sample.
// `--fast` (or CI set): fewer epochs and timing runs. Not a TTY: no progress bar, same figures.

import { plain } from '../bench/plain.js';
import {
  averagePrecision,
  binaryConfusion,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  calibration,
  categoricalCrossEntropy,
  confusionMatrix,
  type ElementwiseLoss,
  huber,
  init,
  mae,
  mse,
  ntXent,
  precisionRecallF1,
  rocAuc,
  smoothL1,
  sparseCategoricalAccuracy,
  sparseSoftmaxCrossEntropy,
} from '../src/node.js';
import { random } from '../test/random.js';
import { lineChart, progressBar } from './chart.js';
import { CLASS_NAMES, CLASSES, type Epoch, loadIris, logisticTrainer, softmaxTrainer, type Trainer } from './iris.js';
import { scatter, simclr } from './simclr.js';

const fast = process.argv.includes('--fast') || !!process.env.CI;
const tty = process.stdout.isTTY === true;
const info = await init();
const lib = { sparseSoftmaxCrossEntropy, binaryCrossEntropyWithLogits, sparseCategoricalAccuracy };

/** label, the library's value, the lesson's figure: 2 + 44 + 12 + 2 + 20 columns at most. */
const line = (label: string, value: string, expected = '') =>
  console.log(`  ${label.padEnd(44)}${value.padStart(12)}  ${expected}`.trimEnd());
const f4 = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(4));
const list = (a: ArrayLike<number>, digits = 3) => Array.from(a, (v) => (Number.isInteger(v) ? String(v) : v.toFixed(digits))).join(', ');
const heading = (s: string) => console.log(`\n${s}\n${'─'.repeat(Math.min(s.length, 78))}`);

console.log(`simdloss demo — ${info.simd ? 'SIMD' : 'scalar'} build${fast ? ', fast mode' : ''}`);

// ── 1. The lesson's worked examples ─────────────────────────────────────────────────────────────
heading('1. The lesson’s worked examples, computed by simdloss (float64)');
console.log('Exam scores: y = [85, 72, 90, 60], ŷ = [80, 75, 88, 65]');
const y = Float64Array.of(85, 72, 90, 60);
const yHat = Float64Array.of(80, 75, 88, 65);
line('squared errors (reduction: none)', list(mse(y, yHat, { reduction: 'none' })), 'lesson: 25, 9, 4, 25');
line('MSE = (25 + 9 + 4 + 25) / 4', f4(mse(y, yHat)), 'lesson: 15.75');
line('dMSE/dŷ = −2(y − ŷ)/N', list(mse.grad(y, yHat)));

console.log('\nOne target, y = 100: which model has the higher MSE?');
for (const p of [95, 110])
  line(`prediction ${p}: (100 − ${p})²`, f4(mse(Float64Array.of(100), Float64Array.of(p))), `lesson: ${(100 - p) ** 2}`);
console.log('  → 110 is 10 off and costs 100, 95 is 5 off and costs 25: big misses cost more.');

console.log('\nBinary cross-entropy, L = −[y ln p + (1 − y) ln(1 − p)]');
const bceCases: [number, number, string, string][] = [
  [1, 0.95, '−ln 0.95', '0.051'],
  [1, 0.05, '−ln 0.05', '3.00'],
  [0, 0.05, '−ln 0.95', '0.051'],
  [0, 0.95, '−ln 0.05', '3.00'],
  [0, 0.9, '−ln 0.1', '2.30'],
];
for (const [t, p, formula, lesson] of bceCases) {
  line(`y = ${t}, p = ${p}: ${formula}`, f4(binaryCrossEntropy(Float64Array.of(t), Float64Array.of(p))), `lesson: ${lesson}`);
}
console.log('  → p = 0.9 for a "no" (y = 0): confident and wrong, it costs 2.30.');

console.log('\nCat / dog / bird, true class dog: L = −ln p_dog (categoricalCrossEntropy)');
const dog = Float64Array.of(0, 1, 0, 0, 1, 0, 0, 1, 0);
const probs = Float64Array.of(0.1, 0.7, 0.2, 0.05, 0.9, 0.05, 0.05, 0.1, 0.85);
const perRow = categoricalCrossEntropy(dog, probs, { classes: 3, reduction: 'none' });
const sameFromLogits = sparseSoftmaxCrossEntropy(Int32Array.of(1, 1, 1), probs.map(Math.log), { classes: 3, reduction: 'none' });
[
  ['[0.1, 0.7, 0.2]', '−ln 0.7', '0.357'],
  ['[0.05, 0.9, 0.05]', '−ln 0.9', '0.105'],
  ['[0.05, 0.1, 0.85]', '−ln 0.1', '2.30'],
].forEach(([p, formula, lesson], r) => {
  line(`p = ${p}: ${formula}`, f4(perRow[r]!), `lesson: ${lesson}`);
});
line('the same from logits ln p (sparseSoftmaxCE)', list(sameFromLogits, 4));
line('mean over the three = the training loss', f4(categoricalCrossEntropy(dog, probs, { classes: 3 })));

console.log('\nThe same residuals under the robust regression losses (δ = β = 1)');
const residuals = Float64Array.of(-3, -1, -0.5, 0, 0.5, 1, 3);
const zeros = new Float64Array(residuals.length);
console.log(`  ${'r = ŷ − y'.padEnd(12)}${Array.from(residuals, (r) => String(r).padStart(8)).join('')}`);
const robust: [string, ElementwiseLoss][] = [
  ['mse', mse],
  ['mae', mae],
  ['huber', huber],
  ['smoothL1', smoothL1],
];
for (const [name, loss] of robust) {
  const { loss: values, grad } = loss.withGrad(zeros, residuals, { reduction: 'none' });
  console.log(`  ${name.padEnd(12)}${Array.from(values, (v) => v.toFixed(3).padStart(8)).join('')}`);
  console.log(`  ${'  d/dŷ'.padEnd(12)}${Array.from(grad, (v) => v.toFixed(3).padStart(8)).join('')}`);
}

// ── 2. The medical scenario ─────────────────────────────────────────────────────────────────────
heading('2. A medical test: a missed disease vs a false alarm, both 95% confident');
const medical = (t: number, p: number, posWeight: number) =>
  binaryCrossEntropy.withGrad(Float64Array.of(t), Float64Array.of(p), { posWeight });
const logit = (p: number) => Math.log(p / (1 - p));
const medicalLogits = (t: number, p: number, posWeight: number) =>
  binaryCrossEntropyWithLogits.withGrad(Float64Array.of(t), Float64Array.of(logit(p)), { posWeight });
console.log(`  ${''.padEnd(38)}${'loss'.padStart(10)}${'dL/dp'.padStart(10)}${'dL/dz'.padStart(10)}`);
const medRow = (label: string, t: number, p: number, w: number) => {
  const a = medical(t, p, w);
  const b = medicalLogits(t, p, w);
  console.log(
    `  ${label.padEnd(38)}${a.loss.toFixed(4).padStart(10)}${a.grad[0]!.toFixed(2).padStart(10)}${b.grad[0]!.toFixed(4).padStart(10)}`,
  );
};
medRow('false negative  y = 1, p = 0.05', 1, 0.05, 1);
medRow('false positive  y = 0, p = 0.95', 0, 0.95, 1);
console.log('  Plain BCE charges both 3.00 (−ln 0.05): it cannot tell which mistake is worse.');
console.log('  Missing the disease is worse, so weight the positive class: posWeight = 10.');
medRow('false negative, posWeight 10', 1, 0.05, 10);
medRow('false positive, posWeight 10', 0, 0.95, 10);
console.log(`  The missed disease now costs 10 × 3.00 = ${medical(1, 0.05, 10).loss.toFixed(2)} and pulls 10× harder on the`);
console.log('  model (dL/dz: z is the logit, what a network outputs before the sigmoid);');
console.log('  the false alarm is unchanged. The cost of that: more false alarms.');

// ── 3. Training on iris ─────────────────────────────────────────────────────────────────────────
const epochs = fast ? 40 : 100;
const data = loadIris();
heading(`3. Training on iris (${data.yTrain.length} train / ${data.yTest.length} test, stratified, seeded)`);
console.log('A linear layer and plain SGD (batches of 16, lr 0.5) in a few lines of TS');
console.log('(examples/iris.ts); losses, gradients and accuracy from simdloss’s withGrad.');

/** The accuracy chart's floor: the lowest tenth below the worst epoch, so the steps show. */
const accuracyFloor = (h: Epoch[]) => Math.floor(Math.min(...h.map((e) => e.testAccuracy)) * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function train(trainer: Trainer): Promise<Epoch[]> {
  console.log(`\n${trainer.name}, ${epochs} epochs`);
  const history: Epoch[] = [];
  for (let e = 0; e < epochs; e++) {
    const h = trainer.next();
    history.push(h);
    if (tty) {
      process.stdout.write(`\r${progressBar(h.epoch, epochs, `loss ${h.trainLoss.toFixed(3)}  test acc ${h.testAccuracy.toFixed(3)}`)}`);
      if (!fast) await sleep(12); // an epoch takes ~0.2 ms: paced so the bar can be seen
    }
  }
  if (tty) process.stdout.write('\r\x1b[2K');
  console.log(
    `  ${'epoch'.padStart(5)}${'train loss'.padStart(12)}${'train acc'.padStart(11)}${'test loss'.padStart(11)}${'test acc'.padStart(10)}`,
  );
  const shown = new Set([1, 2, 3, 5, 10, 20, 30, 50, 75, epochs].filter((e) => e <= epochs));
  for (const h of history.filter((x) => shown.has(x.epoch))) {
    console.log(
      `  ${String(h.epoch).padStart(5)}${h.trainLoss.toFixed(4).padStart(12)}${h.trainAccuracy.toFixed(3).padStart(11)}${h.testLoss.toFixed(4).padStart(11)}${h.testAccuracy.toFixed(3).padStart(10)}`,
    );
  }
  const final = history.at(-1)!;
  const right = Math.round(final.testAccuracy * data.yTest.length);
  console.log(`  final test accuracy: ${final.testAccuracy.toFixed(3)} (${right}/${data.yTest.length})`);
  console.log(
    lineChart(
      'training loss',
      history.map((h) => h.trainLoss),
      { width: 60, height: 7, min: 0, digits: 2 },
    ),
  );
  console.log(
    lineChart(
      'test accuracy',
      history.map((h) => h.testAccuracy),
      { width: 60, height: 7, min: accuracyFloor(history), max: 1, digits: 2 },
    ),
  );
  // The lesson's point, measured on this run: after the first epochs the loss keeps falling while
  // accuracy, a count of right answers, moves in steps of one example or not at all.
  const from = history[9]!;
  const accs = history.slice(9).map((h) => h.testAccuracy);
  const [lo, hi] = [Math.min(...accs), Math.max(...accs)];
  const rows = Math.round((hi - lo) * data.yTest.length);
  console.log(
    `  From epoch 10 to ${epochs} training loss fell ${from.trainLoss.toFixed(3)} → ${final.trainLoss.toFixed(3)} (−${(100 * (1 - final.trainLoss / from.trainLoss)).toFixed(0)}%)`,
  );
  console.log(
    `  while test accuracy ${lo === hi ? `stayed at ${lo.toFixed(3)}` : `only moved within ${lo.toFixed(3)}–${hi.toFixed(3)} (${rows} of ${data.yTest.length} rows)`}: track both.`,
  );
  return history;
}
const logistic = logisticTrainer(lib, data);
await train(logistic);
evaluateLogistic(logistic);
const softmax = softmaxTrainer(lib, data);
await train(softmax);
evaluateSoftmax(softmax);
rankingReport(logistic, softmax);

/**
 * How well each trained model ranks the test rows: ROC AUC and average precision, the logistic
 * model's logit as its score, the softmax model's probability of each class one against the rest.
 */
function rankingReport(logisticModel: Trainer, softmaxModel: Trainer): void {
  console.log('\nRanking the test rows: ROC AUC and average precision (rocAuc, averagePrecision)');
  const line = (label: string, y: Float32Array, s: Float32Array) =>
    console.log(`  ${label.padEnd(44)}AUC ${rocAuc(y, s).toFixed(4)}  AP ${averagePrecision(y, s).toFixed(4)}`);
  const oneVsRest = (c: number) => Float32Array.from(data.yTest, (k) => (k === c ? 1 : 0));
  line(`${CLASS_NAMES[2]} vs the rest, logistic (logit)`, oneVsRest(2), logisticModel.testLogits());
  const logits = softmaxModel.testLogits();
  for (let c = 0; c < CLASSES; c++) {
    line(`${CLASS_NAMES[c]} vs the rest, softmax (p)`, oneVsRest(c), softmaxColumn(logits, c));
  }
}

/** Column c of the row-wise softmax of rows × CLASSES logits. */
function softmaxColumn(logits: Float32Array, c: number): Float32Array {
  const rows = logits.length / CLASSES;
  return Float32Array.from({ length: rows }, (_, r) => {
    const row = logits.subarray(r * CLASSES, (r + 1) * CLASSES);
    const top = Math.max(...row);
    let sum = 0;
    for (const z of row) sum += Math.exp(z - top);
    return Math.exp(row[c]! - top) / sum;
  });
}

/** The trained logistic model on the test rows: its counts at p > 0.5 (logit > 0) and its calibration. */
function evaluateLogistic(trainer: Trainer): void {
  const logits = trainer.testLogits();
  const target = Int32Array.from(data.yTest, (c) => Number(c === 2));
  const c = binaryConfusion(target, logits, { threshold: 0 });
  console.log(`  test counts at p > 0.5 (binaryConfusion): tp ${c.tp}, fp ${c.fp}, fn ${c.fn}, tn ${c.tn}`);
  const m = Float64Array.of(c.tn, c.fp, c.fn, c.tp); // the two-class matrix, negatives first
  const f1 = precisionRecallF1(m).f1[1]!;
  line('F1 of virginica (precisionRecallF1)', f4(f1));
  const probs = Float32Array.from(logits, (z) => 1 / (1 + Math.exp(-z)));
  const cal = calibration(target, probs, { bins: 5 });
  line('calibration over 5 bins: ECE', f4(cal.ece));
  line('calibration over 5 bins: MCE', f4(cal.mce));
}

/** The trained softmax model on the test rows: its confusion matrix (argmax of the logits) and F1. */
function evaluateSoftmax(trainer: Trainer): void {
  const m = confusionMatrix(data.yTest, trainer.testLogits(), { classes: CLASSES });
  console.log('  test confusion matrix (confusionMatrix; rows true, columns predicted):');
  console.log(`  ${''.padEnd(12)}${CLASS_NAMES.map((n) => n.padStart(12)).join('')}`);
  for (let t = 0; t < CLASSES; t++) {
    console.log(
      `  ${CLASS_NAMES[t]!.padEnd(12)}${Array.from(m.subarray(t * CLASSES, (t + 1) * CLASSES), (v) => String(v).padStart(12)).join('')}`,
    );
  }
  line('F1 per class (precisionRecallF1)', list(precisionRecallF1(m).f1, 4));
  line('macro F1', f4(precisionRecallF1(m, { average: 'macro' }).f1));
  line('micro F1 (= accuracy: one label a row)', f4(precisionRecallF1(m, { average: 'micro' }).f1));
}

// ── 4. Speed ────────────────────────────────────────────────────────────────────────────────────
const runs = fast ? 15 : 101;
heading(`4. Speed on this machine: withGrad, float32, N = 100 000, median of ${runs}`);
const n = 100_000;
const rand = random(11);
const yReal = Float32Array.from({ length: n }, rand);
const pReal = Float32Array.from({ length: n }, rand);
const yBin = Float32Array.from({ length: n }, () => (rand() < 0.5 ? 0 : 1));
const zLogit = Float32Array.from({ length: n }, () => (rand() - 0.5) * 8);
const labels = Int32Array.from({ length: n / 10 }, () => Math.floor(rand() * 10));
const out = new Float32Array(n);
const outPlain = new Float32Array(n);
function median(fn: () => unknown): number {
  for (let k = 0; k < 5; k++) fn();
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[runs >> 1]!;
}
const cases: [string, () => number, () => number][] = [
  ['mse', () => mse.withGrad(yReal, pReal, { out }).loss, () => plain.mse!(yReal, pReal, {}, outPlain).loss],
  [
    'binaryCrossEntropyWithLogits',
    () => binaryCrossEntropyWithLogits.withGrad(yBin, zLogit, { out }).loss,
    () => plain.binaryCrossEntropyWithLogits!(yBin, zLogit, {}, outPlain).loss,
  ],
  [
    'sparseSoftmaxCrossEntropy C=10',
    () => sparseSoftmaxCrossEntropy.withGrad(labels, zLogit, { classes: 10, out }).loss,
    () => plain.sparseSoftmaxCrossEntropy!(labels, zLogit, { classes: 10 }, outPlain).loss,
  ],
];
console.log(`  ${'loss'.padEnd(32)}${'simdloss'.padStart(10)}${'plain JS'.padStart(10)}${'speed-up'.padStart(10)}`);
for (const [name, lib, js] of cases) {
  const a = lib();
  const b = js();
  if (Math.abs(a - b) > 1e-5 * Math.abs(b)) throw new Error(`${name}: simdloss ${a} and the plain loop ${b} disagree`);
  const tLib = median(lib);
  const tJs = median(js);
  console.log(
    `  ${name.padEnd(32)}${`${tLib.toFixed(3)} ms`.padStart(10)}${`${tJs.toFixed(3)} ms`.padStart(10)}${`${(tJs / tLib).toFixed(1)}×`.padStart(10)}`,
  );
}
console.log('  Both write the gradient into a reused array; results checked equal first.');
console.log('  A quick sample on a possibly busy machine: `npm run bench` measures properly.');

// ── 5. Contrastive learning ─────────────────────────────────────────────────────────────────────
heading('5. SimCLR in miniature: iris without labels, ntXent over two noisy views');
console.log('An encoder 4 → 16 (tanh) → 2 (examples/simclr.ts), all 120 rows a batch, τ 0.2;');
console.log('labels only score the 2-D embeddings afterwards (nearest neighbour by cosine).');
const contrastiveEpochs = 200;
const run = simclr({ ntXent }, data, contrastiveEpochs);
console.log(lineChart('ntXent loss (mean over 240 views)', run.losses, { width: 60, height: 7, digits: 2 }));
console.log(`  neighbours' species accuracy of the embeddings: ${run.before.toFixed(3)} before, ${run.after.toFixed(3)} after`);
console.log('  directions of the embeddings (s setosa, c versicolor, g virginica):');
console.log(scatter(run.embeddings, data.yTrain));
