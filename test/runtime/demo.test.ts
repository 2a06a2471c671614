// `npm run demo` in CI's fast mode, as a child process with stdout a pipe (not a TTY): every figure
// it prints is checked against the lesson's rounded figure and against the float64 formula.
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, test } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
let out: string;

beforeAll(() => {
  out = execFileSync(process.execPath, ['--import', 'tsx', 'examples/demo.ts', '--fast'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    stdio: 'pipe',
  });
});

/** The number printed at the end of the line that starts with `label` (after the indent). */
function value(label: string): number {
  const hit = out.split('\n').find((l) => l.trimStart().startsWith(label));
  expect(hit, `a line starting with ${label}`).toBeDefined();
  const m = /(-?\d+(?:\.\d+)?)\s+lesson:/.exec(hit!) ?? /(-?\d+(?:\.\d+)?)\s*$/.exec(hit!);
  return Number(m![1]);
}

/** Printed to 4 decimals: within 5e-5 of the formula, and the lesson's figure to its own rounding. */
function expectFigure(printed: number, formula: number, lesson: number, lessonDigits: number) {
  expect(Math.abs(printed - formula)).toBeLessThanOrEqual(5e-5 + 1e-12);
  expect(Math.abs(printed - lesson)).toBeLessThanOrEqual(0.5 * 10 ** -lessonDigits);
}

describe('npm run demo (fast, not a TTY)', () => {
  test('the exam-score MSE and the y = 100 question', () => {
    expect(out).toMatch(/squared errors \(reduction: none\)\s+25, 9, 4, 25\s/);
    expectFigure(value('MSE = (25 + 9 + 4 + 25) / 4'), 63 / 4, 15.75, 2);
    expect(out).toMatch(/dMSE\/dŷ = −2\(y − ŷ\)\/N\s+-2\.500, 1\.500, -1, 2\.500\n/);
    expect(value('prediction 95:')).toBe(25);
    expect(value('prediction 110:')).toBe(100);
  });

  test('binary cross-entropy: the two cases of the lesson and the p = 0.9, y = 0 question', () => {
    expectFigure(value('y = 1, p = 0.95:'), -Math.log(0.95), 0.051, 3);
    expectFigure(value('y = 1, p = 0.05:'), -Math.log(0.05), 3.0, 2);
    expectFigure(value('y = 0, p = 0.05:'), -Math.log(0.95), 0.051, 3);
    expectFigure(value('y = 0, p = 0.95:'), -Math.log(0.05), 3.0, 2);
    expectFigure(value('y = 0, p = 0.9:'), -Math.log(0.1), 2.3, 2);
  });

  test('cat / dog / bird', () => {
    expectFigure(value('p = [0.1, 0.7, 0.2]:'), -Math.log(0.7), 0.357, 3);
    expectFigure(value('p = [0.05, 0.9, 0.05]:'), -Math.log(0.9), 0.105, 3);
    expectFigure(value('p = [0.05, 0.1, 0.85]:'), -Math.log(0.1), 2.3, 2);
    const logits = /the same from logits ln p \(sparseSoftmaxCE\)\s+([\d.]+), ([\d.]+), ([\d.]+)\n/.exec(out)!;
    expect(logits.slice(1).map(Number)).toEqual([-Math.log(0.7), -Math.log(0.9), -Math.log(0.1)].map((v) => Number(v.toFixed(4))));
    expectFigure(value('mean over the three'), -(Math.log(0.7) + Math.log(0.9) + Math.log(0.1)) / 3, 0.92, 2);
  });

  test('the medical scenario: equal costs under BCE, the missed disease 10× with posWeight 10, and the gradients', () => {
    const row = (label: string) => {
      const m = new RegExp(`${label.replace(/[()]/g, '\\$&')}\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\n`).exec(out);
      expect(m, label).not.toBeNull();
      return m!.slice(1).map(Number);
    };
    // Printed with 4, 2 and 4 decimals.
    const half = [5e-5, 5e-3, 5e-5];
    const close = (got: number[], want: number[]) =>
      got.forEach((g, i) => void expect(Math.abs(g - want[i]!)).toBeLessThanOrEqual(half[i]! + 1e-12));
    const ce = -Math.log(0.05);
    // loss; dL/dp = −w/p (y = 1) or 1/(1 − p) (y = 0); dL/dz = −w·σ(−z) or σ(z), σ(z) = p.
    const fn = row('false negative  y = 1, p = 0.05');
    const fp = row('false positive  y = 0, p = 0.95');
    const fnW = row('false negative, posWeight 10');
    const fpW = row('false positive, posWeight 10');
    close(fn, [ce, -1 / 0.05, -0.95]);
    close(fp, [ce, 1 / 0.05, 0.95]);
    close(fnW, [10 * ce, -10 / 0.05, -9.5]);
    close(fpW, [ce, 1 / 0.05, 0.95]);
    expect(fn[0]!.toFixed(2)).toBe('3.00');
    expect(fnW[0]!.toFixed(2)).toBe('29.96');
    expect(fn[0]).toBe(fp[0]);
  });

  test('iris: logistic and softmax regression reach a test accuracy ≥ 0.9, with loss and accuracy charts', () => {
    const finals = [...out.matchAll(/final test accuracy: ([\d.]+) \((\d+)\/30\)/g)];
    expect(finals).toHaveLength(2);
    for (const [, acc, right] of finals) {
      expect(Number(acc)).toBeGreaterThanOrEqual(0.9);
      expect(Number(acc)).toBeCloseTo(Number(right) / 30, 3);
    }
    expect(out).toContain('logistic regression (virginica vs the rest), 40 epochs');
    expect(out).toContain('softmax regression (3 classes), 40 epochs');
    expect(out).toContain('120 train / 30 test');
    expect(out.match(/^ {2}training loss$/gm)).toHaveLength(2);
    expect(out.match(/^ {2}test accuracy$/gm)).toHaveLength(2);
    // Each chart: 7 plot rows (3 of them labelled), the curve a point in every column.
    const iris = out.slice(out.indexOf('3. Training on iris'), out.indexOf('4. Speed'));
    expect(iris.match(/^ {4}\d\.\d\d ┤/gm)).toHaveLength(12);
    expect(iris.match(/^ {4}(\d\.\d\d| {4}) ┤/gm)).toHaveLength(28);
    expect(out.match(/•/g)!.length).toBeGreaterThanOrEqual(4 * 40);
    // Epoch table: the first epoch and the last, the loss falling between them.
    const rows = [...out.matchAll(/^ +(\d+) +([\d.]+) +([\d.]+) +([\d.]+) +([\d.]+)$/gm)].map((m) => m.slice(1).map(Number));
    const first = rows.filter((r) => r[0] === 1);
    const last = rows.filter((r) => r[0] === 40);
    expect(first).toHaveLength(2);
    expect(last).toHaveLength(2);
    for (let k = 0; k < 2; k++) expect(last[k]![1]).toBeLessThan(first[k]![1]!);
  });

  test('the ranking of the test rows: AUC and AP of the trained models, as the float64 references give them', async () => {
    const lib = await import('../../src/node.js');
    const { CLASSES, loadIris, logisticTrainer, softmaxTrainer } = await import('../../examples/iris.js');
    const { averagePrecisionRef, rocAucRef } = await import('../reference/ranking.js');
    const data = loadIris();
    const logistic = logisticTrainer(lib, data);
    const softmax = softmaxTrainer(lib, data);
    for (let e = 0; e < 40; e++) logistic.next(); // the demo's fast mode trains 40 epochs
    for (let e = 0; e < 40; e++) softmax.next();
    const oneVsRest = (c: number) => Array.from(data.yTest, (k) => (k === c ? 1 : 0));
    const probability = (z: Float32Array, r: number, c: number) => {
      const row = Array.from(z.subarray(r * CLASSES, (r + 1) * CLASSES), (v) =>
        Math.exp(v - Math.max(...z.subarray(r * CLASSES, (r + 1) * CLASSES))),
      );
      return Math.fround(row[c]! / row.reduce((a, b) => a + b));
    };
    const z = softmax.testLogits();
    const cases: [string, number[], ArrayLike<number>][] = [
      ['virginica vs the rest, logistic (logit)', oneVsRest(2), logistic.testLogits()],
      ...['setosa', 'versicolor', 'virginica'].map(
        (name, c) =>
          [`${name} vs the rest, softmax (p)`, oneVsRest(c), Array.from(data.yTest, (_, r) => probability(z, r, c))] as [
            string,
            number[],
            number[],
          ],
      ),
    ];
    for (const [label, y, s] of cases) {
      const m = new RegExp(`^ {2}${label.replace(/[()]/g, '\\$&')} +AUC ([\\d.]+) +AP ([\\d.]+)$`, 'm').exec(out);
      expect(m, label).not.toBeNull();
      expect(m![1], `${label} AUC`).toBe(rocAucRef(y, s).toFixed(4));
      expect(m![2], `${label} AP`).toBe(averagePrecisionRef(y, s).toFixed(4));
    }
  });

  test('the trained models evaluated: confusion counts, F1 and calibration agree with each other and the accuracy', () => {
    const finals = [...out.matchAll(/final test accuracy: ([\d.]+) \((\d+)\/30\)/g)].map((m) => Number(m[2]));
    const matrix = [...out.matchAll(/^ {2}(?:setosa|versicolor|virginica) +(\d+) +(\d+) +(\d+)$/gm)].flatMap((m) => m.slice(1).map(Number));
    expect(matrix).toHaveLength(9);
    for (let t = 0; t < 3; t++) expect(matrix[3 * t]! + matrix[3 * t + 1]! + matrix[3 * t + 2]!).toBe(10); // 10 test rows a class
    expect(matrix[0]! + matrix[4]! + matrix[8]!).toBe(finals[1]); // the diagonal: the softmax model's right answers
    const f1 = (k: number) => {
      const predicted = matrix[k]! + matrix[3 + k]! + matrix[6 + k]!;
      return (2 * matrix[4 * k]!) / (predicted + 10);
    };
    const perClass = /F1 per class \(precisionRecallF1\)\s+(.+)$/m.exec(out)![1]!.split(', ').map(Number);
    perClass.forEach((v, k) => {
      expect(Math.abs(v - f1(k))).toBeLessThanOrEqual(5e-5);
    });
    expect(Math.abs(value('macro F1') - (f1(0) + f1(1) + f1(2)) / 3)).toBeLessThanOrEqual(5e-5);
    expect(Math.abs(value('micro F1') - finals[1]! / 30)).toBeLessThanOrEqual(5e-5);
    const [tp, fp, fn, tn] = /tp (\d+), fp (\d+), fn (\d+), tn (\d+)/.exec(out)!.slice(1).map(Number) as [number, number, number, number];
    expect(tp + fn).toBe(10);
    expect(tp + tn).toBe(finals[0]);
    expect(fp + tn).toBe(20);
    expect(Math.abs(value('F1 of virginica') - (2 * tp) / (2 * tp + fp + fn))).toBeLessThanOrEqual(5e-5);
    expect(value('calibration over 5 bins: ECE')).toBeLessThanOrEqual(value('calibration over 5 bins: MCE'));
  });

  test('SimCLR on iris: ntXent falls and the embeddings cluster by species better than before training', () => {
    const simclr = out.slice(out.indexOf('5. SimCLR'));
    const m = /species accuracy of the embeddings: ([\d.]+) before, ([\d.]+) after/.exec(simclr);
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThan(Number(m![1]));
    const labels = [...simclr.matchAll(/^ {4}(\d\.\d\d) ┤/gm)].map((x) => Number(x[1]));
    expect(labels).toHaveLength(3); // the loss chart's top, middle and bottom: its first value above its last
    expect(labels[0]).toBeGreaterThan(labels[2]!);
    expect(simclr).toMatch(/│.*s/);
  });

  test('the speed table, and a transcript that fits 80 columns with no progress bar', () => {
    for (const loss of ['mse', 'binaryCrossEntropyWithLogits', 'sparseSoftmaxCrossEntropy C=10']) {
      expect(out).toMatch(new RegExp(`^ {2}${loss} +[\\d.]+ ms +[\\d.]+ ms +[\\d.]+×$`, 'm'));
    }
    expect(out).toContain('`npm run bench` measures properly');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape that starts a terminal control sequence is what must be absent
    expect(out).not.toMatch(/[\r\x1b]/);
    expect(out).not.toContain('█');
    for (const l of out.split('\n')) expect([...l].length, l).toBeLessThanOrEqual(80);
  });
});
