// The evaluation panel's upload part: a CSV of `target,score` rows from the reader's own model,
// parsed and checked in the page (a bad row is reported by its line, not thrown), then its ROC and
// precision-recall curves, AUC, average precision and reliability diagram — every number from
// simdloss (rocCurve, precisionRecallCurve, rocAuc, averagePrecision, calibration) in the browser.
import uPlot from 'uplot';
import type * as Simdloss from '../../src/index.js';
import { type Reliability, reliabilityDiagram } from './reliability.js';

type Lib = Pick<typeof Simdloss, 'rocAuc' | 'averagePrecision' | 'rocCurve' | 'precisionRecallCurve' | 'calibration' | 'SimdlossError'>;

/** What the page shows for the last file, for a test to read back. */
export interface UploadState {
  file: string;
  rows: number;
  auc: number;
  ap: number;
  roc: { fpr: number[]; tpr: number[] };
  pr: { recall: number[]; precision: number[] };
  reliability: Reliability | undefined;
  /** Why the file or its reliability diagram could not be drawn ('' when it was). */
  error: string;
}

/** Parsed rows: labels and scores, or the first problem found, naming its line. */
export function parseScores(text: string): { target: Int32Array; scores: Float64Array } | { error: string } {
  const target: number[] = [];
  const scores: number[] = [];
  const lines = text.split(/\r?\n/);
  for (const [k, raw] of lines.entries()) {
    const line = raw.trim();
    const at = `line ${k + 1}`;
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(',').map((f) => f.trim());
    if (target.length === 0 && /^[a-z_ ]+$/i.test(fields[0]!) && fields.length === 2 && !/^(nan|infinity)$/i.test(fields[1]!)) continue; // a header
    if (fields.length !== 2) return { error: `${at}: expected two fields, target,score; got ${fields.length} (“${line}”)` };
    const [t, s] = fields as [string, string];
    if (t !== '0' && t !== '1') return { error: `${at}: target must be 0 or 1; got “${t}”` };
    const v = Number(s);
    if (s === '' || !Number.isFinite(v)) return { error: `${at}: score must be a finite number; got “${s}”` };
    target.push(Number(t));
    scores.push(v);
  }
  if (target.length === 0) return { error: 'the file has no rows of target,score' };
  return { target: Int32Array.from(target), scores: Float64Array.from(scores) };
}

function chart(el: HTMLElement, title: string, x: string, y: string, stroke: string): uPlot {
  return new uPlot(
    {
      title,
      width: 255,
      height: 230,
      scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1.02] } },
      axes: [{ label: x }, { label: y }],
      legend: { show: false },
      series: [{ label: x }, { label: y, stroke, width: 2 }],
    },
    [[], []],
    el,
  );
}

/** Builds the upload part in `root`: a file input, the two curves, the summary, the reliability diagram and the error line. */
export function uploadPanel(lib: Lib, root: HTMLElement): { state: UploadState; show(name: string, text: string): void } {
  root.innerHTML = `
    <div class="controls"><label for="upload-file">your model’s scores (CSV of target,score)</label><input id="upload-file" type="file" accept=".csv,text/csv,text/plain"><span></span></div>
    <div id="upload-summary" class="formula"></div>
    <div class="error" id="upload-error"></div>
    <div style="display: flex; gap: 8px"><div id="upload-roc"></div><div id="upload-pr"></div></div>
    <div id="upload-reliability"></div>`;
  const roc = chart(root.querySelector('#upload-roc')!, 'ROC curve', 'false positive rate', 'true positive rate', '#1f77b4');
  const pr = chart(root.querySelector('#upload-pr')!, 'precision-recall', 'recall', 'precision', '#2ca02c');
  const reliability = reliabilityDiagram(root.querySelector('#upload-reliability')!, lib.calibration, 10, 520, 220, 'rows');
  /** What the panel shows of no file (and of a file before it is read). */
  const empty = (file: string) => ({
    file,
    rows: 0,
    auc: NaN,
    ap: NaN,
    roc: { fpr: [], tpr: [] },
    pr: { recall: [], precision: [] },
    reliability: undefined,
  });
  const state: UploadState = { ...empty(''), error: '' };
  const say = (summary: string, error: string) => {
    state.error = error;
    root.querySelector('#upload-summary')!.textContent = summary;
    root.querySelector('#upload-error')!.textContent = error;
  };

  function show(name: string, text: string): void {
    Object.assign(state, empty(name));
    const parsed = parseScores(text);
    if ('error' in parsed) {
      say('', `${name}: ${parsed.error}`);
      return;
    }
    const { target, scores } = parsed;
    try {
      const r = lib.rocCurve(target, scores);
      const p = lib.precisionRecallCurve(target, scores);
      Object.assign(state, {
        rows: target.length,
        auc: lib.rocAuc(target, scores),
        ap: lib.averagePrecision(target, scores),
        roc: { fpr: Array.from(r.fpr), tpr: Array.from(r.tpr) },
        // uPlot wants x increasing: the curve from recall 0 up.
        pr: { recall: Array.from(p.recall).reverse(), precision: Array.from(p.precision).reverse() },
      });
    } catch (err) {
      say('', `${name}: ${err instanceof lib.SimdlossError ? err.message : String(err)}`);
      return;
    }
    roc.setData([state.roc.fpr, state.roc.tpr]);
    pr.setData([state.pr.recall, state.pr.precision]);
    const summary = `${name}: ${target.length} rows · ROC AUC ${state.auc.toFixed(4)} · average precision ${state.ap.toFixed(4)}`;
    try {
      // The reliability diagram reads the scores as probabilities: calibration refuses any outside [0, 1].
      state.reliability = { ...reliability.update(target, Float32Array.from(scores)) };
      say(summary, '');
    } catch (err) {
      say(summary, `no reliability diagram: ${err instanceof lib.SimdlossError ? err.message : String(err)}`);
    }
  }

  const input = root.querySelector<HTMLInputElement>('#upload-file')!;
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    if (file) show(file.name, await file.text());
  });
  return { state, show };
}
