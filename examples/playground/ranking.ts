// The evaluation panel's ranking part: the ROC and precision-recall curves of the iris model being
// trained, on the 30 test rows, with their AUC and average precision — every number from simdloss
// (rocCurve, precisionRecallCurve, rocAuc, averagePrecision) in the browser. The panel's other parts
// live in modules of their own beside this one; each draws into its own element of #evaluation.
import uPlot from 'uplot';
import type * as Simdloss from '../../src/index.js';
import { CLASS_NAMES, CLASSES, type Split } from '../iris.js';

type Lib = Pick<typeof Simdloss, 'rocAuc' | 'averagePrecision' | 'rocCurve' | 'precisionRecallCurve' | 'SimdlossError'>;

/** What the page shows, for a test to read back. */
export interface RankingState {
  /** The positive class (one against the rest). */
  positive: string;
  target: number[];
  scores: number[];
  auc: number;
  ap: number;
  roc: { fpr: number[]; tpr: number[] };
  pr: { recall: number[]; precision: number[] };
  error: string;
}

export interface RankingPanel {
  readonly state: RankingState;
  /** Re-draws from the model's test logits: rows × 3 (softmax regression) or one per row (logistic, virginica). */
  update(logits: Float32Array): void;
}

/** Row-wise softmax probability of class c. */
function probabilityOf(logits: Float32Array, c: number): Float32Array {
  return Float32Array.from({ length: logits.length / CLASSES }, (_, r) => {
    const row = logits.subarray(r * CLASSES, (r + 1) * CLASSES);
    const top = Math.max(...row);
    let sum = 0;
    for (const z of row) sum += Math.exp(z - top);
    return Math.exp(row[c]! - top) / sum;
  });
}

function curveChart(el: HTMLElement, title: string, xLabel: string, yLabel: string, stroke: string): uPlot {
  return new uPlot(
    {
      title,
      width: 255,
      height: 230,
      scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1.02] } },
      axes: [{ label: xLabel }, { label: yLabel }],
      legend: { show: false },
      series: [{ label: xLabel }, { label: yLabel, stroke, width: 2 }],
    },
    [[], []],
    el,
  );
}

/** Builds the panel in `root`: a class selector, the two curves and their summary line. */
export function rankingPanel(lib: Lib, root: HTMLElement, data: Split): RankingPanel {
  root.innerHTML = `
    <div class="controls"><label for="ranking-class">positive class</label><select id="ranking-class"></select><span></span></div>
    <div id="ranking-summary" class="formula"></div>
    <div class="error" id="ranking-error"></div>
    <div style="display: flex; gap: 8px"><div id="roc-chart"></div><div id="pr-chart"></div></div>`;
  const select = root.querySelector<HTMLSelectElement>('#ranking-class')!;
  select.innerHTML = CLASS_NAMES.map((name, c) => `<option value="${c}"${c === 2 ? ' selected' : ''}>${name} vs the rest</option>`).join(
    '',
  );
  const roc = curveChart(root.querySelector('#roc-chart')!, 'ROC curve', 'false positive rate', 'true positive rate', '#1f77b4');
  const pr = curveChart(root.querySelector('#pr-chart')!, 'precision-recall', 'recall', 'precision', '#2ca02c');
  const state: RankingState = {
    positive: '',
    target: [],
    scores: [],
    auc: NaN,
    ap: NaN,
    roc: { fpr: [], tpr: [] },
    pr: { recall: [], precision: [] },
    error: '',
  };
  let last: Float32Array | undefined;

  function update(logits: Float32Array): void {
    last = logits;
    // The logistic model scores virginica only; the softmax model any class, by its probability.
    const logistic = logits.length === data.yTest.length;
    select.disabled = logistic;
    if (logistic) select.value = '2';
    const c = Number(select.value);
    const y = Float32Array.from(data.yTest, (k) => (k === c ? 1 : 0));
    const s = logistic ? logits : probabilityOf(logits, c);
    try {
      const r = lib.rocCurve(y, s);
      const p = lib.precisionRecallCurve(y, s);
      Object.assign(state, {
        positive: CLASS_NAMES[c],
        target: Array.from(y),
        scores: Array.from(s),
        auc: lib.rocAuc(y, s),
        ap: lib.averagePrecision(y, s),
        roc: { fpr: Array.from(r.fpr), tpr: Array.from(r.tpr) },
        // uPlot wants x increasing: the curve from recall 0 up.
        pr: { recall: Array.from(p.recall).reverse(), precision: Array.from(p.precision).reverse() },
        error: '',
      });
      roc.setData([state.roc.fpr, state.roc.tpr]);
      pr.setData([state.pr.recall, state.pr.precision]);
    } catch (err) {
      state.error = err instanceof lib.SimdlossError ? err.message : String(err);
    }
    root.querySelector('#ranking-summary')!.textContent =
      `${state.positive} vs the rest, ${data.yTest.length} test rows: ROC AUC ${state.auc.toFixed(4)} · average precision ${state.ap.toFixed(4)}`;
    root.querySelector('#ranking-error')!.textContent = state.error;
  }
  select.addEventListener('change', () => last && update(last));
  return { state, update };
}
