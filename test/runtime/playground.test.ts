// `npm run playground` in Debian's Chromium (playwright-core): the page loads the built package
// without a console error, moving a slider re-plots values equal to what the library computes in
// Node, training on iris runs in the page, and a screenshot is left in .vitest-artifacts/.
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RankingState } from '../../examples/playground/ranking.js';
import { type Playground, startPlayground } from '../../examples/playground/serve.js';
import type { UploadState } from '../../examples/playground/upload.js';
import * as lib from '../../src/node.js';
import {
  binaryCrossEntropy,
  calibration,
  contrastive,
  gaussianNLL,
  huber,
  init,
  marginRanking,
  msle,
  multilabelSoftMargin,
  multiMargin,
  quantile,
  sparseSoftmaxFocal,
} from '../../src/node.js';
import { browser as browserPath, CHROMIUM } from '../browsers.js';
import { averagePrecisionRef, precisionRecallCurveRef, rocAucRef, rocCurveRef } from '../reference/ranking.js';
import { elementwiseOf, similarityOf, ternaryOf } from '../registry.js';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const STEP = 30_000; // every launch and wait is bounded
const artifacts = new URL('../../.vitest-artifacts/', import.meta.url).pathname;

interface Plotted {
  ready: boolean;
  loss: string;
  target: number;
  options: Record<string, number>;
  x: number[];
  lossValues: number[];
  gradValues: number[];
  error: string;
  training: { running: boolean; epoch: number; trainLoss: number; testAccuracy: number };
  ranking: RankingState;
  upload: UploadState;
  reliability?: {
    target: number[];
    probs: number[];
    bins: number;
    result: { ece: number; mce: number; count: number[]; confidence: number[]; accuracy: number[] };
  };
}

let playground: Playground;
let browser: Browser;
let page: Page;
const errors: string[] = [];

const plotted = () => page.evaluate(() => (window as unknown as { __playground: Plotted }).__playground);

/** Presses the arrow key on a range input, as a user moving it: each press is one `step`. */
async function move(id: string, presses: number, key = 'ArrowRight') {
  await page.focus(`#${id}`);
  for (let i = 0; i < presses; i++) await page.keyboard.press(key);
}

/** Every plotted point equals the library's value in Node for the same (target, x, options). */
function expectSameAsNode(p: Plotted, f: (y: Float64Array, x: Float64Array) => { loss: ArrayLike<number>; grad: ArrayLike<number> }) {
  const x = Float64Array.from(p.x);
  const { loss, grad } = f(new Float64Array(x.length).fill(p.target), x);
  expect(p.lossValues).toHaveLength(x.length);
  for (let i = 0; i < x.length; i++) {
    expect(Math.abs(p.lossValues[i]! - loss[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(loss[i]!)));
    expect(Math.abs(p.gradValues[i]! - grad[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(grad[i]!)));
  }
}

beforeAll(async () => {
  const executablePath = browserPath(CHROMIUM);
  await init();
  playground = await startPlayground(0);
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: STEP });
  page = await browser.newPage({ viewport: { width: 1240, height: 900 } });
  page.setDefaultTimeout(STEP);
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request: ${r.url()} ${r.failure()?.errorText}`));
  await page.goto(playground.url, { timeout: STEP });
  await page.waitForFunction(() => (window as unknown as { __playground?: Plotted }).__playground?.ready === true, undefined, {
    timeout: STEP,
  });
}, 4 * STEP);

afterAll(async () => {
  await browser?.close();
  await playground?.close();
});

describe('npm run playground (Chromium)', () => {
  test('loads the built package without errors, offers every elementwise loss, contrastive, the three-input losses, the row-wise ones and the similarity losses', async () => {
    expect(errors).toEqual([]);
    expect(await page.textContent('#build')).toMatch(/^(SIMD|scalar) build$/);
    const names = await page.$$eval('#loss option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(names).toEqual([
      ...elementwiseOf(lib).map((e) => e.name),
      'contrastive',
      ...ternaryOf(lib).map((e) => e.name),
      'multiMargin',
      'multilabelSoftMargin',
      ...similarityOf(lib).map((e) => e.name),
      'sparseSoftmaxFocal',
      'softmaxFocal',
      'nll',
    ]);
    const p = await plotted();
    expect(p.loss).toBe('huber');
    expect(p.options).toEqual({ delta: 1 });
    expectSameAsNode(p, (y, x) => huber.withGrad(y, x, { delta: 1, reduction: 'none' }));
  });

  test('moving δ re-plots huber, the same values as in Node', async () => {
    const before = await plotted();
    await move('delta', 20); // step 0.05: δ 1 → 2
    const after = await plotted();
    expect(after.options.delta).toBeCloseTo(2, 12);
    expect(after.lossValues).not.toEqual(before.lossValues);
    // Outside |r| ≤ 1 the loss changes (the quadratic reaches further), inside it does not.
    const far = after.x.findIndex((x) => x >= 3);
    expect(after.lossValues[far]).not.toBe(before.lossValues[far]);
    expectSameAsNode(after, (y, x) => huber.withGrad(y, x, { delta: after.options.delta!, reduction: 'none' }));
  });

  test('posWeight on binaryCrossEntropy: the missed positive costs more, the same values as in Node', async () => {
    await page.selectOption('#loss', 'binaryCrossEntropy');
    const before = await plotted();
    expect(before.target).toBe(1);
    await move('posWeight', 90); // step 0.1: 1 → 10
    const after = await plotted();
    expect(after.options.posWeight).toBeCloseTo(10, 12);
    const i = after.x.findIndex((x) => x >= 0.05);
    expect(after.lossValues[i]! / before.lossValues[i]!).toBeCloseTo(10, 10);
    expectSameAsNode(after, (y, x) => binaryCrossEntropy.withGrad(y, x, { posWeight: after.options.posWeight!, reduction: 'none' }));
  });

  test('q on quantile and ε on msle re-plot, the same values as in Node', async () => {
    await page.selectOption('#loss', 'quantile');
    const before = await plotted();
    expect(before.options).toEqual({ q: 0.5 });
    await move('q', 40); // step 0.01: q 0.5 → 0.9
    const after = await plotted();
    expect(after.options.q).toBeCloseTo(0.9, 12);
    // Below the target (ŷ < y = 0) an under-prediction now costs 0.9 per unit, not 0.5.
    const i = after.x.findIndex((x) => x >= -1);
    expect(after.lossValues[i]! / before.lossValues[i]!).toBeCloseTo(0.9 / 0.5, 10);
    expectSameAsNode(after, (y, x) => quantile.withGrad(y, x, { q: after.options.q!, reduction: 'none' }));

    await page.selectOption('#loss', 'msle');
    expect((await plotted()).options).toEqual({ eps: 1e-7 });
    await move('eps', 6); // 10^−7 → 10^−1
    const wide = await plotted();
    expect(wide.options).toEqual({ eps: 0.1 });
    // Every prediction below ε is ε: a flat loss and a zero gradient there.
    const j = wide.x.findIndex((x) => x >= 0.05);
    expect(wide.gradValues[j]).toBe(0);
    expectSameAsNode(wide, (y, x) => msle.withGrad(y, x, { eps: 0.1, reduction: 'none' }));
  });

  test('margin on contrastive (a dissimilar pair against its distance), the same values as in Node', async () => {
    await page.selectOption('#loss', 'contrastive');
    const before = await plotted();
    await move('margin', 10, 'ArrowLeft'); // step 0.05: m 1 → 0.5
    const after = await plotted();
    expect(after.options).toEqual({ margin: 0.5 });
    expect(after.lossValues).not.toEqual(before.lossValues);
    // ½max(0, m − D)²: zero from D = m on.
    expect(after.lossValues[after.x.findIndex((x) => x > 0.5)]).toBe(0);
    expectSameAsNode(after, (label, b) => {
      const a = new Float64Array(b.length);
      const o = { dim: 1, margin: 0.5, reduction: 'none' as const };
      return { loss: contrastive(label, a, b, o), grad: contrastive.grad(label, a, b, o).b };
    });
  });

  test('ε on gaussianNLL (against the variance): the loss flat below ε, the same values as in Node', async () => {
    await page.selectOption('#loss', 'gaussianNLL');
    await move('eps', 8, 'ArrowLeft'); // to the slider's low end, 10^−9, wherever an earlier test left it
    const before = await plotted();
    expect(before.options).toEqual({ eps: 1e-9 });
    await move('eps', 8); // 10^−9 → 10^−1
    const after = await plotted();
    expect(after.options).toEqual({ eps: 0.1 });
    expect(after.lossValues).not.toEqual(before.lossValues);
    // v = max(variance, ε): every variance below ε gives the loss at ε, and the gradient taken there.
    const below = after.x.map((x, i) => [x, i] as const).filter(([x]) => x < after.options.eps!);
    for (const [, i] of below) expect(after.lossValues[i]).toBe(after.lossValues[below[0]![1]]);
    expectSameAsNode(after, (y, v) => {
      const { loss, grad } = gaussianNLL.withGrad(y, new Float64Array(v.length), v, { eps: after.options.eps!, reduction: 'none' });
      return { loss, grad: grad.variance };
    });
  });

  test('margin on marginRanking (against x₁, x₂ = 0), the same values as in Node', async () => {
    await page.selectOption('#loss', 'marginRanking');
    await move('margin', 10); // step 0.05: m → m + 0.5
    const after = await plotted();
    expect(after.target).toBe(1);
    const m = after.options.margin!;
    // max(0, m − x₁) for y = 1: zero from x₁ = m on
    expect(after.lossValues[after.x.findIndex((x) => x > m)]).toBe(0);
    expectSameAsNode(after, (y, x1) => {
      const { loss, grad } = marginRanking.withGrad(y, x1, new Float64Array(x1.length), { margin: m, reduction: 'none' });
      return { loss, grad: grad.x1 };
    });
  });

  test('margin on multiMargin (two classes, against the other class’s score), the same values as in Node', async () => {
    await page.selectOption('#loss', 'multiMargin');
    await move('margin', 10); // step 0.05: m → m + 0.5
    const after = await plotted();
    const m = after.options.margin!;
    const t = after.target;
    // ½·max(0, m − ŷ₀ + ŷ₁): zero up to ŷ₁ = ŷ₀ − m, then slope ½
    expect(after.lossValues[after.x.findIndex((x) => x < t - m)]).toBe(0);
    expectSameAsNode(after, (y, x) => {
      const rows = new Float64Array(2 * x.length);
      x.forEach((v, i) => {
        rows[2 * i] = y[i]!;
        rows[2 * i + 1] = v;
      });
      const { loss, grad } = multiMargin.withGrad(new Int32Array(x.length), rows, { classes: 2, margin: m, reduction: 'none' });
      return { loss, grad: grad.filter((_, i) => i % 2 === 1) };
    });
    await page.selectOption('#loss', 'multilabelSoftMargin');
    await page.fill('#target', '0.25');
    const soft = await plotted();
    expect(soft.target).toBe(0.25);
    expectSameAsNode(soft, (y, z) => multilabelSoftMargin.withGrad(y, z, { classes: 1, reduction: 'none' }));
  });

  test('γ on sparseSoftmaxFocal (a row of three logits against the first), the same values as in Node', async () => {
    await page.selectOption('#loss', 'sparseSoftmaxFocal');
    const before = await plotted();
    expect(before.target).toBe(0);
    await move('gamma', 10, 'ArrowLeft'); // step 0.1: γ 2 → 1
    const after = await plotted();
    expect(after.options.gamma).toBeCloseTo(1, 12);
    expect(after.lossValues).not.toEqual(before.lossValues);
    // A confident right row is down-weighted less with a smaller γ: (1 − p)¹ > (1 − p)².
    const i = after.x.findIndex((x) => x >= 4);
    expect(after.lossValues[i]!).toBeGreaterThan(before.lossValues[i]!);
    expectSameAsNode(after, (y, x) => {
      const z = new Float64Array(3 * x.length);
      x.forEach((v, j) => {
        z.set([v, 1, -1], 3 * j);
      });
      const o = { classes: 3, reduction: 'none' as const, ...after.options };
      const { loss, grad } = sparseSoftmaxFocal.withGrad(Int32Array.from(y), z, o);
      return { loss, grad: grad.filter((_, j) => j % 3 === 0) };
    });
  });

  test('a target outside the loss’s domain is reported on the page, not thrown', async () => {
    await page.selectOption('#loss', 'hinge');
    await page.fill('#target', '0.5');
    expect((await plotted()).error).toMatch(/hinge: target\[0\] .*0\.5/);
    expect(await page.textContent('#explorer-error')).toContain('0.5');
    await page.fill('#target', '1');
    expect((await plotted()).error).toBe('');
  });

  test('training softmax regression on iris in the page: status, curves, test accuracy ≥ 0.9; screenshot', async () => {
    await page.selectOption('#loss', 'huber');
    await page.click('#train');
    await page.waitForFunction(() => (window as unknown as { __playground: Plotted }).__playground.training.epoch >= 150, undefined, {
      timeout: STEP,
    });
    const t = (await plotted()).training;
    expect(t.testAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(t.trainLoss).toBeLessThan(0.2);
    expect(await page.textContent('#status')).toMatch(/^epoch 150 · train loss 0\.\d{4} · test accuracy 0\.9\d\d$/);
    expect(await page.textContent('#train')).toBe('Done');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: `${artifacts}playground.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  test('the evaluation panel: ROC and precision-recall curves of the trained model, as the float64 references give them', async () => {
    // After the training test: the softmax model of epoch 150, virginica against the rest, then versicolor.
    for (const positive of ['virginica', 'versicolor']) {
      if (positive === 'versicolor') await page.selectOption('#ranking-class', '1');
      const r = (await plotted()).ranking;
      expect(r.positive).toBe(positive);
      expect(r.error).toBe('');
      expect(r.target).toHaveLength(30);
      const close = (a: number[], b: number[]) => {
        expect(a).toHaveLength(b.length);
        for (const [i, v] of a.entries()) expect(Math.abs(v - b[i]!)).toBeLessThanOrEqual(1e-12);
      };
      close([r.auc, r.ap], [rocAucRef(r.target, r.scores), averagePrecisionRef(r.target, r.scores)]);
      const roc = rocCurveRef(r.target, r.scores);
      close(r.roc.fpr, roc.fpr);
      close(r.roc.tpr, roc.tpr);
      const pr = precisionRecallCurveRef(r.target, r.scores);
      close(r.pr.recall, [...pr.recall].reverse());
      close(r.pr.precision, [...pr.precision].reverse());
      expect(r.auc).toBeGreaterThan(0.9);
      expect(await page.textContent('#ranking-summary')).toMatch(
        new RegExp(`^${positive} vs the rest, 30 test rows: ROC AUC ${r.auc.toFixed(4)} · average precision ${r.ap.toFixed(4)}$`),
      );
    }
    await page.screenshot({ path: `${artifacts}playground-evaluation.png`, fullPage: true });
  });

  test('the evaluation panel: the trained model\u2019s reliability diagram, the values calibration gives in Node', async () => {
    const r = (await plotted()).reliability!;
    expect(r.target).toHaveLength(30);
    expect(r.result.count.reduce((a, b) => a + b, 0)).toBe(30);
    const node = calibration(Int32Array.from(r.target), Float32Array.from(r.probs), { bins: r.bins });
    expect(r.result).toEqual({
      ece: node.ece,
      mce: node.mce,
      count: [...node.bins.count],
      confidence: [...node.bins.confidence],
      accuracy: [...node.bins.accuracy],
    });
    expect(await page.textContent('#reliability-chart')).toMatch(/ECE 0\.\d{4} · MCE [01]\.\d{4} · 30 test rows in 10 bins/);
    expect(await page.locator('#reliability-chart canvas').count()).toBe(1);
    await page.locator('#evaluation').screenshot({ path: `${artifacts}evaluation.png` });
    expect(errors).toEqual([]);
  });
  test('the evaluation panel: an uploaded CSV of target,score rows, its curves and reliability as the references and Node give them', async () => {
    // A header, CRLF line ends, a blank line, tied scores, a score of exactly 0 and of 1.
    const rows = [
      [1, 0.9],
      [0, 0.8],
      [1, 0.8],
      [0, 0.35],
      [1, 0.6],
      [0, 0.1],
      [0, 0.6],
      [1, 1],
      [0, 0],
      [1, 0.45],
    ] as const;
    const csv = `target,score\r\n${rows.map(([t, v]) => `${t},${v}`).join('\r\n')}\r\n\r\n`;
    const upload = (name: string, text: string) =>
      page.setInputFiles('#upload-file', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
    await upload('scores.csv', csv);
    await page.waitForFunction(() => (window as unknown as { __playground: Plotted }).__playground.upload.rows > 0);
    const u = (await plotted()).upload;
    expect(u.error).toBe('');
    expect(u.rows).toBe(rows.length);
    const y = rows.map(([t]) => t);
    const s = rows.map(([, v]) => v);
    const close = (a: number[], b: number[]) => {
      expect(a).toHaveLength(b.length);
      for (const [i, v] of a.entries()) expect(Math.abs(v - b[i]!)).toBeLessThanOrEqual(1e-12);
    };
    close([u.auc, u.ap], [rocAucRef(y, s), averagePrecisionRef(y, s)]);
    const roc = rocCurveRef(y, s);
    close(u.roc.fpr, roc.fpr);
    close(u.roc.tpr, roc.tpr);
    const pr = precisionRecallCurveRef(y, s);
    close(u.pr.recall, [...pr.recall].reverse());
    close(u.pr.precision, [...pr.precision].reverse());
    const node = calibration(Int32Array.from(y), Float32Array.from(s), { bins: u.reliability!.bins });
    expect(u.reliability!.result).toEqual({
      ece: node.ece,
      mce: node.mce,
      count: [...node.bins.count],
      confidence: [...node.bins.confidence],
      accuracy: [...node.bins.accuracy],
    });
    expect(await page.textContent('#upload-summary')).toBe(
      `scores.csv: 10 rows · ROC AUC ${u.auc.toFixed(4)} · average precision ${u.ap.toFixed(4)}`,
    );
    expect(await page.locator('#upload canvas').count()).toBe(3);
    await page.locator('#evaluation').screenshot({ path: `${artifacts}evaluation-upload.png` });

    // Bad files: the problem is shown on the page, by line, and nothing is thrown.
    const shown = async (name: string, text: string) => {
      await upload(name, text);
      await page.waitForFunction((n) => (window as unknown as { __playground: Plotted }).__playground.upload.file === n, name);
      return (await page.textContent('#upload-error')) ?? '';
    };
    expect(await shown('label.csv', 'target,score\n1,0.5\n0,0.2\n2,0.7\n')).toBe('label.csv: line 4: target must be 0 or 1; got “2”');
    expect(await shown('score.csv', '1,0.5\n0,abc\n')).toBe('score.csv: line 2: score must be a finite number; got “abc”');
    expect(await shown('fields.csv', '1,0.5,3\n')).toMatch(/^fields\.csv: line 1: expected two fields, target,score; got 3/);
    expect(await shown('empty.csv', 'target,score\n')).toBe('empty.csv: the file has no rows of target,score');
    // One class only: the library's own refusal, shown.
    expect(await shown('one.csv', '1,0.5\n1,0.2\n')).toMatch(/^one\.csv: rocCurve: target has no negative example \(0\)/);
    // Scores that are not probabilities: the curves are drawn, the reliability diagram says why it is not.
    expect(await shown('logits.csv', '1,2.5\n0,-1\n1,0.5\n')).toMatch(
      /^no reliability diagram: calibration: probs\[0\] must be a probability in \[0, 1\]; got 2\.5$/,
    );
    const logits = (await plotted()).upload;
    expect(logits.rows).toBe(3);
    expect(logits.auc).toBe(1);
    expect(errors).toEqual([]);
  });
});
