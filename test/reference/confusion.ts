// float64 references of the counting metrics, written from scikit-learn's definitions: plain
// loops over the examples, no compensation, no chunking, nothing shared with the library.
//   confusion_matrix(y_true, y_pred, labels=range(C), sample_weight=w)
//   precision_recall_fscore_support(y_true, y_pred, average=…, zero_division=0)
//   argmax: numpy.argmax (the first largest)

/** numpy.argmax of row r of C scores: the first index of the largest value. */
export function argmaxRef(s: ArrayLike<number>, r: number, C: number): number {
  let best = 0;
  for (let k = 1; k < C; k++) if (s[r * C + k]! > s[r * C + best]!) best = k;
  return best;
}

/** confusion_matrix: cell [t·C + k] = Σ w over examples with true t and predicted k. */
export function confusionRef(labels: ArrayLike<number>, pred: ArrayLike<number>, C: number, w?: ArrayLike<number>): Float64Array {
  const m = new Float64Array(C * C);
  const n = labels.length;
  const scores = pred.length === n * C && !(pred instanceof Int32Array);
  for (let i = 0; i < n; i++) {
    const k = scores ? argmaxRef(pred, i, C) : pred[i]!;
    m[labels[i]! * C + k]! += w === undefined ? 1 : w[i]!;
  }
  return m;
}

/** tp, fp, fn, tn with positive where score > threshold. */
export function binaryRef(target: ArrayLike<number>, scores: ArrayLike<number>, threshold: number, w?: ArrayLike<number>) {
  const c = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let i = 0; i < target.length; i++) {
    const wi = w === undefined ? 1 : w[i]!;
    const pos = scores[i]! > threshold;
    const key = target[i] === 1 ? (pos ? 'tp' : 'fn') : pos ? 'fp' : 'tn';
    c[key] += wi;
  }
  return c;
}

const div = (a: number, b: number) => (b === 0 ? 0 : a / b);

/**
 * precision_recall_fscore_support(zero_division=0) from a confusion matrix, as scikit-learn
 * computes it: tp_sum, pred_sum, true_sum per class; F = 2·tp / (pred + true) (its β = 1 form);
 * 'micro' sums the three over classes first; 'weighted' averages with true_sum as weights.
 */
export function prfRef(m: ArrayLike<number>, C: number, average: 'none' | 'macro' | 'micro' | 'weighted') {
  const tp: number[] = [];
  const pred: number[] = [];
  const truth: number[] = [];
  for (let k = 0; k < C; k++) {
    tp.push(m[k * C + k]!);
    let p = 0;
    let t = 0;
    for (let j = 0; j < C; j++) {
      p += m[j * C + k]!;
      t += m[k * C + j]!;
    }
    pred.push(p);
    truth.push(t);
  }
  const sum = (x: number[]) => x.reduce((a, b) => a + b, 0);
  if (average === 'micro') {
    const [a, p, t] = [sum(tp), sum(pred), sum(truth)];
    return { precision: div(a, p), recall: div(a, t), f1: div(2 * a, p + t), support: t };
  }
  const precision = tp.map((a, k) => div(a, pred[k]!));
  const recall = tp.map((a, k) => div(a, truth[k]!));
  const f1 = tp.map((a, k) => div(2 * a, pred[k]! + truth[k]!));
  if (average === 'none') return { precision, recall, f1, support: truth };
  const weights = average === 'weighted' ? truth : truth.map(() => 1);
  const avg = (x: number[]) => div(sum(x.map((v, k) => v * weights[k]!)), sum(weights));
  return { precision: avg(precision), recall: avg(recall), f1: avg(f1), support: sum(truth) };
}

/**
 * Reliability bins over [0, 1]: bin min(⌊p·B⌋, B − 1) (p·B in float64), per bin Σ w, the weighted
 * mean p and the weighted fraction of y = 1; ECE = Σ (W_b / W)·|acc_b − conf_b|, MCE the largest gap
 * over non-empty bins.
 */
export function calibrationRef(y: ArrayLike<number>, p: ArrayLike<number>, B: number, w?: ArrayLike<number>) {
  const count = new Float64Array(B);
  const sp = new Float64Array(B);
  const sy = new Float64Array(B);
  for (let i = 0; i < p.length; i++) {
    const b = Math.min(Math.floor(p[i]! * B), B - 1);
    const wi = w === undefined ? 1 : w[i]!;
    count[b]! += wi;
    sp[b]! += wi * p[i]!;
    sy[b]! += wi * y[i]!;
  }
  const confidence = count.map((c, b) => (c > 0 ? sp[b]! / c : 0));
  const accuracy = count.map((c, b) => (c > 0 ? sy[b]! / c : 0));
  let total = 0;
  let ece = 0;
  let mce = 0;
  for (let b = 0; b < B; b++) {
    if (!(count[b]! > 0)) continue;
    const gap = Math.abs(accuracy[b]! - confidence[b]!);
    total += count[b]!;
    ece += count[b]! * gap;
    mce = Math.max(mce, gap);
  }
  return { ece: total > 0 ? ece / total : 0, mce, bins: { count, confidence, accuracy } };
}
