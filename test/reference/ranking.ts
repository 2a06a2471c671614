// float64 references of the ranking metrics, written from scikit-learn's definitions
// (sklearn.metrics._ranking: _binary_clf_curve, roc_curve, roc_auc_score via auc (np.trapz),
// precision_recall_curve, average_precision_score), plus the Mann–Whitney pair count for ROC AUC.
// Plain loops and Array.prototype.sort: nothing of the library.

/** Per distinct score, highest first: the score, and the weight of positives and negatives at or above it. */
export interface ClfCurve {
  thresholds: number[];
  tps: number[];
  fps: number[];
}

/**
 * scikit-learn's _binary_clf_curve: examples of zero weight dropped, the rest ordered by decreasing
 * score (a stable sort), and the cumulative weights taken at the last example of every distinct score.
 */
export function binaryClfCurve(y: ArrayLike<number>, s: ArrayLike<number>, w?: ArrayLike<number>): ClfCurve {
  const order: number[] = [];
  for (let i = 0; i < y.length; i++) if (w === undefined || w[i] !== 0) order.push(i);
  order.sort((a, b) => (s[b]! > s[a]! ? 1 : s[b]! < s[a]! ? -1 : 0)); // not s[b] − s[a]: ∞ − ∞ is NaN
  const curve: ClfCurve = { thresholds: [], tps: [], fps: [] };
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const weight = w === undefined ? 1 : w[i]!;
    if (y[i] === 1) tp += weight;
    else fp += weight;
    // -0 === +0: numpy's diff finds no threshold between them either.
    if (k === order.length - 1 || s[order[k + 1]!] !== s[i]) {
      curve.thresholds.push(s[i]!);
      curve.tps.push(tp);
      curve.fps.push(fp);
    }
  }
  return curve;
}

/** roc_curve(drop_intermediate=False): (0, 0) at +Infinity, then one point per distinct score. */
export function rocCurveRef(y: ArrayLike<number>, s: ArrayLike<number>, w?: ArrayLike<number>) {
  const c = binaryClfCurve(y, s, w);
  const P = c.tps[c.tps.length - 1]!;
  const N = c.fps[c.fps.length - 1]!;
  return {
    fpr: [0, ...c.fps.map((f) => f / N)],
    tpr: [0, ...c.tps.map((t) => t / P)],
    thresholds: [Infinity, ...c.thresholds],
  };
}

/** roc_auc_score: the trapezoid rule (np.trapz) under the ROC curve. */
export function rocAucRef(y: ArrayLike<number>, s: ArrayLike<number>, w?: ArrayLike<number>): number {
  const { fpr, tpr } = rocCurveRef(y, s, w);
  let area = 0;
  for (let k = 1; k < fpr.length; k++) area += ((fpr[k]! - fpr[k - 1]!) * (tpr[k]! + tpr[k - 1]!)) / 2;
  return area;
}

/**
 * The Mann–Whitney form: over every (positive, negative) pair, 1 if the positive scores higher,
 * ½ on a tie; returned as the integer twice that count and twice P·N (unweighted: the exact fraction).
 */
export function pairCount(y: ArrayLike<number>, s: ArrayLike<number>): { right2: number; pairs2: number } {
  let right2 = 0;
  let pairs2 = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < y.length; j++) {
      if (y[j] === 1) continue;
      pairs2 += 2;
      right2 += s[i]! > s[j]! ? 2 : s[i] === s[j] ? 1 : 0;
    }
  }
  return { right2, pairs2 };
}

/** precision_recall_curve(drop_intermediate=False): increasing thresholds, then (precision 1, recall 0). */
export function precisionRecallCurveRef(y: ArrayLike<number>, s: ArrayLike<number>, w?: ArrayLike<number>) {
  const c = binaryClfCurve(y, s, w);
  const P = c.tps[c.tps.length - 1]!;
  const precision = c.tps.map((t, k) => (t + c.fps[k]! === 0 ? 0 : t / (t + c.fps[k]!)));
  const recall = c.tps.map((t) => t / P);
  return {
    precision: [...precision.reverse(), 1],
    recall: [...recall.reverse(), 0],
    thresholds: [...c.thresholds].reverse(),
  };
}

/** average_precision_score: −Σ diff(recall)·precision[:−1] over the precision-recall curve. */
export function averagePrecisionRef(y: ArrayLike<number>, s: ArrayLike<number>, w?: ArrayLike<number>): number {
  const { precision, recall } = precisionRecallCurveRef(y, s, w);
  let ap = 0;
  for (let k = 0; k + 1 < recall.length; k++) ap -= (recall[k + 1]! - recall[k]!) * precision[k]!;
  return ap;
}

/** The bin of a score under create({ bins, range }): ⌊(s − lo)·bins/(hi − lo)⌋, clamped to the end bins. */
export function binOf(s: number, bins: number, [lo, hi]: readonly [number, number]): number {
  const t = Math.floor((s - lo) * (bins / (hi - lo)));
  return Math.min(Math.max(t, 0), bins - 1);
}
