// The playground page: a loss explorer and a live iris training panel, every number from simdloss's
// wasm in the browser. Bundled by serve.ts with esbuild; the import of ../../src/index.js is
// rewritten to the package as built (dist/index.js, through the page's import map).
import uPlot from 'uplot';
import * as simdloss from '../../src/index.js';
import { elementwiseOf, similarityOf, ternaryOf } from '../../test/registry.js';
import { CLASSES, type Epoch, loadIris, logisticTrainer, softmaxTrainer, type Trainer } from '../iris.js';
import { type RankingState, rankingPanel } from './ranking.js';
import { probabilitiesOf, type Reliability, reliabilityDiagram } from './reliability.js';
import { type UploadState, uploadPanel } from './upload.js';

const { contrastive, init, multiMargin, multilabelSoftMargin, nll, softmaxFocal, sparseSoftmaxFocal } = simdloss;
// The test registry's elementwise entries (kind, options, domain, formula), bound to this page's copy of the library.
const elementwiseRegistry = elementwiseOf(simdloss);
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** What a test (or a curious reader in the console) can read back: the values now plotted. */
const state = {
  ready: false,
  loss: '',
  target: 0,
  options: {} as Record<string, number>,
  x: [] as number[],
  lossValues: [] as number[],
  gradValues: [] as number[],
  error: '',
  training: { running: false, epoch: 0, trainLoss: NaN, testAccuracy: NaN },
  ranking: undefined as RankingState | undefined,
  reliability: undefined as Reliability | undefined,
  upload: undefined as UploadState | undefined,
};
(window as unknown as { __playground: typeof state }).__playground = state;

// ── Loss explorer ─────────────────────────────────────────────────────────────────────────────

const SLIDERS = ['delta', 'beta', 'margin', 'posWeight', 'gamma', 'alpha', 'labelSmoothing', 'q', 'eps'] as const;

interface Curve {
  name: string;
  /** The sliders that apply. */
  options: readonly string[];
  formula: string;
  xLabel: string;
  target: { label: string; min: number; max: number; step: number; value: number };
  range(target: number): [number, number];
  compute(target: number, x: Float64Array, opts: Record<string, number>): { loss: ArrayLike<number>; grad: ArrayLike<number> };
}

const probability = { label: 'target y', min: 0, max: 1, step: 0.05, value: 1 };
const curves: Curve[] = elementwiseRegistry.map((e): Curve => {
  const regression = e.family === 'regression';
  // (targets that are labels only: ±1 margins; predictions in [0, 1]: probabilities; else logits)
  const hingeLike = e.labels?.share === 1;
  const onProbabilities = e.domain.pred[0] === 0 && e.domain.pred[1] === 1;
  return {
    name: e.name,
    options: e.options.map((o) => o.name).filter((n) => (SLIDERS as readonly string[]).includes(n)),
    formula: e.formula,
    xLabel: regression ? 'prediction ŷ' : onProbabilities ? 'probability p' : hingeLike ? 'score ŷ' : 'logit z',
    target: regression
      ? { label: 'target y', min: -10, max: 10, step: 0.5, value: 0 }
      : hingeLike
        ? { label: 'label y (±1)', min: -1, max: 1, step: 2, value: 1 }
        : probability,
    range: (t) => (regression ? [t - 4, t + 4] : onProbabilities ? [0.001, 0.999] : hingeLike ? [-2.5, 2.5] : [-6, 6]),
    compute(t, x, opts) {
      const y = new Float64Array(x.length).fill(t);
      const o = { ...opts, reduction: 'none' as const };
      // (the options record hides the 'none' overload from the type checker)
      return { loss: e.loss(y, x, o) as unknown as Float64Array, grad: e.loss.grad(y, x, o) };
    },
  };
});
// The margin belongs to the embedding losses: contrastive, plotted against the distance D = ‖a − b‖
// of a pair in one dimension (a = 0, b = D), its gradient with respect to b.
curves.push({
  name: 'contrastive',
  options: ['margin'],
  formula: 'l = (1 − y)·½D² + y·½max(0, m − D)²,  y = 0 similar, 1 dissimilar',
  xLabel: 'distance D',
  target: { label: 'label y (0/1)', min: 0, max: 1, step: 1, value: 1 },
  range: () => [0, 3],
  compute(t, x, opts) {
    const label = new Float64Array(x.length).fill(t);
    const a = new Float64Array(x.length);
    const o = { dim: 1, margin: opts.margin!, reduction: 'none' as const };
    return { loss: contrastive(label, a, x, o), grad: contrastive.grad(label, a, x, o).b };
  },
});

// The three-input losses: one input along the x axis, the other held (the reference says which).
for (const e of ternaryOf(simdloss)) {
  const { along, range, held, target } = e.reference.playground;
  curves.push({
    name: e.name,
    options: e.options.map((o) => o.name).filter((n) => (SLIDERS as readonly string[]).includes(n)),
    formula: e.formula,
    xLabel: e.inputs[along]!,
    target,
    range: () => [range[0], range[1]],
    compute(t, x, opts) {
      const y = new Float64Array(x.length).fill(t);
      const other = new Float64Array(x.length).fill(held);
      const [a, b] = along === 0 ? [x, other] : [other, x];
      const { loss, grad } = e.loss.withGrad(y, a, b, { ...opts, reduction: 'none' as const });
      // (the options record hides the 'none' overload from the type checker)
      return { loss: loss as unknown as Float64Array, grad: grad[e.inputs[along]!]! };
    },
  });
}

// Two row-wise losses on rows small enough to plot: multiMargin over two classes, label 0 with its
// score held at the target slider, against the other class's score (and its gradient there);
// multilabelSoftMargin over one class, against its logit.
curves.push({
  name: 'multiMargin',
  options: ['margin'],
  formula: 'l = (1/C)·Σ_{k≠t} max(0, m − ŷ_t + ŷ_k)^p,  here C = 2, t = 0, p = 1',
  xLabel: 'score ŷ₁ of the other class',
  target: { label: 'score ŷ₀ of the label', min: -2, max: 2, step: 0.25, value: 0 },
  range: (t) => [t - 3, t + 2],
  compute(t, x, opts) {
    const rows = new Float64Array(2 * x.length);
    x.forEach((v, i) => {
      rows[2 * i] = t;
      rows[2 * i + 1] = v;
    });
    const labels = new Int32Array(x.length);
    const { loss, grad } = multiMargin.withGrad(labels, rows, { classes: 2, margin: opts.margin!, reduction: 'none' });
    return { loss, grad: grad.filter((_, i) => i % 2 === 1) };
  },
});
curves.push({
  name: 'multilabelSoftMargin',
  options: [],
  formula: 'l = −(1/C)·Σₖ [yₖ·log σ(zₖ) + (1 − yₖ)·log σ(−zₖ)],  here C = 1',
  xLabel: 'logit z',
  target: probability,
  range: () => [-6, 6],
  compute(t, x) {
    const y = new Float64Array(x.length).fill(t);
    const { loss, grad } = multilabelSoftMargin.withGrad(y, x, { classes: 1, reduction: 'none' });
    return { loss, grad };
  },
});
// The similarity losses: a row of two values, its first along the x axis (pred (x, ½), target (y, 1 − y)).
for (const e of similarityOf(simdloss)) {
  curves.push({
    name: e.name,
    options: e.options.map((o) => o.name).filter((n) => (SLIDERS as readonly string[]).includes(n)),
    formula: e.formula,
    xLabel: 'pred[0] of a row (x, ½)',
    target: { label: 'target row (y, 1 − y)', min: 0, max: 1, step: 0.05, value: 1 },
    range: () => [e.domain.pred[0], e.domain.pred[1]],
    compute(t, x, opts) {
      const y = new Float64Array(2 * x.length).map((_, k) => (k % 2 === 0 ? t : 1 - t));
      const p = new Float64Array(2 * x.length).map((_, k) => (k % 2 === 0 ? x[k / 2]! : 0.5));
      const { loss, grad } = e.loss.withGrad(y, p, { ...opts, dim: 2, reduction: 'none' as const });
      // (the options record hides the 'none' overload from the type checker)
      return { loss: loss as unknown as Float64Array, grad: grad.filter((_, k) => k % 2 === 0) };
    },
  });
}
// Row-wise losses: each point a row of three classes, the first along the x axis and the others held
// at 1 and −1 (nll: log-probabilities −1 and −2), the label from the target slider; the gradient
// plotted is the first class's.
const rowCurves = [
  {
    name: 'sparseSoftmaxFocal',
    loss: sparseSoftmaxFocal,
    formula: 'l = −α(1 − p_t)^γ ln p_t,  p = softmax(z)',
    held: [1, -1],
    xLabel: 'logit z₀',
    range: [-6, 6],
  },
  {
    name: 'softmaxFocal',
    loss: softmaxFocal,
    formula: 'l = −Σₖ α(1 − pₖ)^γ yₖ ln pₖ,  y one-hot',
    held: [1, -1],
    xLabel: 'logit z₀',
    range: [-6, 6],
  },
  { name: 'nll', loss: nll, formula: 'l = −x_t on log-probabilities x', held: [-1, -2], xLabel: 'log-probability x₀', range: [-6, 0] },
] as const;
for (const r of rowCurves) {
  const loss = r.loss;
  curves.push({
    name: r.name,
    options: loss.options.map((o) => o.name).filter((n) => (SLIDERS as readonly string[]).includes(n)),
    formula: r.formula,
    xLabel: r.xLabel,
    target: { label: 'label t (class 0–2)', min: 0, max: 2, step: 1, value: 0 },
    range: () => [r.range[0], r.range[1]],
    compute(t, x, opts) {
      const z = new Float64Array(3 * x.length);
      x.forEach((v, i) => {
        z.set([v, ...r.held], 3 * i);
      });
      const labels = new Int32Array(x.length).fill(t);
      const target = r.name === 'softmaxFocal' ? z.map((_, i) => (i % 3 === t ? 1 : 0)) : labels;
      const { loss: l, grad } = (loss.withGrad as (...a: unknown[]) => { loss: Float64Array; grad: Float64Array })(target, z, {
        ...opts,
        classes: 3,
        reduction: 'none',
      });
      return { loss: l, grad: grad.filter((_, i) => i % 3 === 0) };
    },
  });
}

const POINTS = 241;
const lossSelect = $<HTMLSelectElement>('loss');
const targetInput = $<HTMLInputElement>('target');
for (const c of curves) lossSelect.add(new Option(c.name, c.name));
lossSelect.value = 'huber';

function lineChart(
  el: HTMLElement,
  title: string,
  xLabel: string,
  series: { label: string; stroke: string }[],
  width = 520,
  height = 190,
): uPlot {
  return new uPlot(
    {
      title,
      width,
      height,
      scales: { x: { time: false } },
      axes: [{ label: xLabel }, {}],
      legend: { show: series.length > 1 },
      series: [{ label: xLabel }, ...series.map((s) => ({ ...s, width: 2 }))],
    },
    [[], ...series.map(() => [])],
    el,
  );
}

let lossChart: uPlot;
let gradChart: uPlot;

function currentCurve(): Curve {
  return curves.find((c) => c.name === lossSelect.value)!;
}

function slider(name: string): HTMLInputElement {
  return $<HTMLInputElement>(name);
}

/** A slider's option value: its position, or 10 to that power for a slider marked data-log10 (ε). */
function sliderValue(name: string): number {
  const s = slider(name);
  return 'log10' in s.dataset ? Number(`1e${s.value}`) : Number(s.value);
}

/** Target and sliders follow the chosen loss: its target range, only its own options enabled. */
function selectLoss(): void {
  const c = currentCurve();
  Object.assign(targetInput, {
    min: String(c.target.min),
    max: String(c.target.max),
    step: String(c.target.step),
    value: String(c.target.value),
  });
  $('target-label').textContent = c.target.label;
  for (const name of SLIDERS) {
    const on = c.options.includes(name);
    slider(name).disabled = !on;
    document.querySelector(`label[for=${name}]`)!.classList.toggle('off', !on);
    document.querySelector(`output[for=${name}]`)!.classList.toggle('off', !on);
  }
  $('formula').textContent = c.formula;
  lossChart?.destroy();
  gradChart?.destroy();
  lossChart = lineChart($('loss-chart'), `${c.name}: loss`, c.xLabel, [{ label: 'loss', stroke: '#1f77b4' }]);
  gradChart = lineChart($('grad-chart'), `${c.name}: gradient dl/d${c.xLabel.split(' ').pop()}`, c.xLabel, [
    { label: 'gradient', stroke: '#d62728' },
  ]);
  plot();
}

function plot(): void {
  const c = currentCurve();
  const opts: Record<string, number> = {};
  for (const name of SLIDERS) {
    const value = sliderValue(name);
    document.querySelector<HTMLOutputElement>(`output[for=${name}]`)!.value = String(value);
    if (c.options.includes(name)) opts[name] = value;
  }
  const t = Number(targetInput.value);
  const [lo, hi] = c.range(t);
  const x = Float64Array.from({ length: POINTS }, (_, i) => lo + ((hi - lo) * i) / (POINTS - 1));
  Object.assign(state, { loss: c.name, target: t, options: opts, x: Array.from(x) });
  try {
    const { loss, grad } = c.compute(t, x, opts);
    Object.assign(state, { lossValues: Array.from(loss), gradValues: Array.from(grad), error: '' });
    lossChart.setData([state.x, state.lossValues]);
    gradChart.setData([state.x, state.gradValues]);
  } catch (err) {
    // Bad input (a target outside the loss's domain) is a SimdlossError naming the value: shown, not thrown.
    state.error = err instanceof simdloss.SimdlossError ? err.message : String(err);
  }
  $('explorer-error').textContent = state.error;
}

// ── Training panel ────────────────────────────────────────────────────────────────────────────

const data = loadIris();
const ranking = rankingPanel(simdloss, $('ranking'), data);
state.ranking = ranking.state;
state.upload = uploadPanel(simdloss, $('upload')).state;
const taskSelect = $<HTMLSelectElement>('task');
const lrInput = $<HTMLInputElement>('lr');
const epochsInput = $<HTMLInputElement>('epochs');
const button = $<HTMLButtonElement>('train');
let trainer: Trainer;
let history: Epoch[] = [];
let frame = 0;
let lossHistoryChart: uPlot;
let accHistoryChart: uPlot;
let reliability: ReturnType<typeof reliabilityDiagram> | undefined;

/** The evaluation section: the reliability diagram of the model being trained, on the test rows. */
function evaluate(): void {
  const { target, probs } = probabilitiesOf(trainer.testLogits(), data.yTest, CLASSES, 2);
  state.reliability = reliability!.update(target, probs);
}

function reset(): void {
  stop();
  const opts = { lr: Number(lrInput.value) };
  trainer = taskSelect.value === 'logistic' ? logisticTrainer(simdloss, data, opts) : softmaxTrainer(simdloss, data, opts);
  history = [];
  ranking.update(trainer.testLogits());
  for (const input of [lrInput, epochsInput]) document.querySelector<HTMLOutputElement>(`output[for=${input.id}]`)!.value = input.value;
  lossHistoryChart?.destroy();
  accHistoryChart?.destroy();
  reliability?.destroy();
  $('reliability-chart').replaceChildren();
  reliability = reliabilityDiagram($('reliability-chart'), simdloss.calibration);
  lossHistoryChart = lineChart($('train-loss-chart'), 'loss', 'epoch', [
    { label: 'train', stroke: '#1f77b4' },
    { label: 'test', stroke: '#ff7f0e' },
  ]);
  accHistoryChart = lineChart($('train-acc-chart'), 'accuracy', 'epoch', [
    { label: 'train', stroke: '#1f77b4' },
    { label: 'test', stroke: '#ff7f0e' },
  ]);
  Object.assign(state.training, { running: false, epoch: 0, trainLoss: NaN, testAccuracy: NaN });
  button.textContent = 'Start';
  $('status').textContent = 'not started';
}

function step(): void {
  const h = trainer.next();
  history.push(h);
  const epochs = history.map((e) => e.epoch);
  lossHistoryChart.setData([epochs, history.map((e) => e.trainLoss), history.map((e) => e.testLoss)]);
  accHistoryChart.setData([epochs, history.map((e) => e.trainAccuracy), history.map((e) => e.testAccuracy)]);
  Object.assign(state.training, { epoch: h.epoch, trainLoss: h.trainLoss, testAccuracy: h.testAccuracy });
  ranking.update(trainer.testLogits());
  evaluate();
  $('status').textContent = `epoch ${h.epoch} · train loss ${h.trainLoss.toFixed(4)} · test accuracy ${h.testAccuracy.toFixed(3)}`;
  if (history.length >= Number(epochsInput.value)) stop();
  else frame = requestAnimationFrame(step);
}

function stop(): void {
  cancelAnimationFrame(frame);
  state.training.running = false;
  if (button) button.textContent = history.length >= Number(epochsInput?.value) ? 'Done' : history.length ? 'Resume' : 'Start';
}

button.addEventListener('click', () => {
  if (state.training.running) return stop();
  if (history.length >= Number(epochsInput.value)) reset();
  state.training.running = true;
  button.textContent = 'Stop';
  frame = requestAnimationFrame(step);
});
$('reset').addEventListener('click', reset);
taskSelect.addEventListener('change', reset);
lrInput.addEventListener('input', reset);
epochsInput.addEventListener('input', () => (document.querySelector<HTMLOutputElement>('output[for=epochs]')!.value = epochsInput.value));

// ── Start ─────────────────────────────────────────────────────────────────────────────────────

const info = await init();
$('build').textContent = `${info.simd ? 'SIMD' : 'scalar'} build`;
lossSelect.addEventListener('change', selectLoss);
targetInput.addEventListener('input', plot);
for (const name of SLIDERS) slider(name).addEventListener('input', plot);
selectLoss();
reset();
state.ready = true;
