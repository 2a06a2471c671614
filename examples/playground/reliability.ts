// The evaluation panel's reliability diagram: a model's probabilities in equal-width bins, each
// bin's fraction of positives (bars) against its mean predicted probability (points) and the
// diagonal of perfect calibration, with ECE and MCE — all from simdloss's `calibration`, computed
// in the browser. A module of its own, so that the evaluation panel can include it beside its other charts.
import uPlot from 'uplot';
import type { calibration as Calibrate, Calibration } from '../../src/index.js';

/** What was last drawn: the inputs and the library's result (for tests and the console). */
export interface Reliability {
  target: number[];
  probs: number[];
  bins: number;
  result: { ece: number; mce: number; count: number[]; confidence: number[]; accuracy: number[] };
}

/** A reliability diagram drawn into `el`; `update` re-computes and re-draws it from new probabilities. */
export function reliabilityDiagram(
  el: HTMLElement,
  calibration: typeof Calibrate,
  bins = 10,
  width = 520,
  height = 220,
  rows = 'test rows',
) {
  const centers = Array.from({ length: bins }, (_, b) => (b + 0.5) / bins);
  const chart = new uPlot(
    {
      title: 'reliability diagram',
      width,
      height,
      scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } },
      axes: [{ label: 'predicted probability' }, { label: 'fraction positive' }],
      series: [
        { label: 'bin' },
        { label: 'fraction positive', stroke: '#1f77b4', fill: 'rgba(31,119,180,0.3)', paths: uPlot.paths.bars!({ size: [0.9, 100] }) },
        { label: 'mean probability', stroke: '#ff7f0e', width: 0, points: { show: true, size: 7 } },
        { label: 'perfect', stroke: '#999', dash: [4, 4], width: 1, points: { show: false } },
      ],
    },
    [centers, centers.map(() => null), centers.map(() => null), centers],
    el,
  );
  const caption = document.createElement('p');
  caption.className = 'note';
  el.append(caption);
  const drawn: Reliability = { target: [], probs: [], bins, result: { ece: 0, mce: 0, count: [], confidence: [], accuracy: [] } };

  function update(target: Int32Array, probs: Float32Array): Reliability {
    const r: Calibration = calibration(target, probs, { bins });
    const shown = (a: Float64Array) => Array.from(a, (v, b) => (r.bins.count[b]! > 0 ? v : null));
    chart.setData([centers, shown(r.bins.accuracy), shown(r.bins.confidence), centers]);
    caption.textContent = `ECE ${r.ece.toFixed(4)} · MCE ${r.mce.toFixed(4)} · ${probs.length} ${rows} in ${bins} bins (empty bins not drawn)`;
    Object.assign(drawn, {
      target: [...target],
      probs: [...probs],
      result: { ece: r.ece, mce: r.mce, count: [...r.bins.count], confidence: [...r.bins.confidence], accuracy: [...r.bins.accuracy] },
    });
    return drawn;
  }

  return { update, drawn, destroy: () => chart.destroy() };
}

/**
 * A model's test probabilities as calibration reads them: logistic regression's sigmoid against its
 * 0/1 target; softmax regression's top-class probability against whether the top class is right.
 */
export function probabilitiesOf(logits: Float32Array, labels: Int32Array, classes: number, positive: number) {
  if (logits.length === labels.length) {
    return {
      target: Int32Array.from(labels, (c) => Number(c === positive)),
      probs: Float32Array.from(logits, (z) => 1 / (1 + Math.exp(-z))),
    };
  }
  const target = new Int32Array(labels.length);
  const probs = new Float32Array(labels.length);
  for (let r = 0; r < labels.length; r++) {
    const row = logits.subarray(r * classes, (r + 1) * classes);
    const top = row.indexOf(Math.max(...row));
    const total = row.reduce((a, z) => a + Math.exp(z - row[top]!), 0);
    target[r] = Number(top === labels[r]);
    probs[r] = 1 / total;
  }
  return { target, probs };
}
