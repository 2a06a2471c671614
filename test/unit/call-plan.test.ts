// A loss keeps what it parsed out of an options object for the next call with the same object. The
// object is the caller's: every change between calls — a value, a key added, deleted or misspelt, an
// array swapped or changed in place, an option inherited from its prototype — must give what a first
// call with that object gives. Expected values are worked out by hand from the definitions below.
import { beforeAll, describe, expect, test } from 'vitest';
import {
  alloc,
  binaryCrossEntropyWithLogits,
  gaussianNLL,
  huber,
  init,
  klDivergence,
  marginRanking,
  mse,
  SimdlossError,
  softmaxFocal,
  sparseSoftmaxCrossEntropy,
} from '../../src/node.js';

beforeAll(async () => {
  await init();
});

/** The message of the SimdlossError `run` throws. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (!(e instanceof SimdlossError)) throw e;
    return e.message;
  }
  return expect.fail('no error thrown');
}

// Two examples, each off by 0.25: a squared error of 1/16. Huber with δ ≥ 0.25: ½e² = 1/32 each;
// with δ = 0.1: δ(|e| − δ/2) = 0.1 · 0.2 = 0.02 each.
const y = Float32Array.of(0, 1);
const p = Float32Array.of(0.25, 0.75);
const HUBER_NAMES = "huber: unknown option 'reductoin' (this loss takes: reduction, weights, out, delta)";

describe('an options object changed between calls', () => {
  test('a changed value, a key added, a key deleted', () => {
    const opts: Record<string, unknown> = { delta: 1 };
    expect(huber(y, p, opts)).toBeCloseTo(1 / 32, 7);
    expect(huber(y, p, opts)).toBeCloseTo(1 / 32, 7);
    opts.reduction = 'sum';
    expect(huber(y, p, opts)).toBeCloseTo(1 / 16, 7);
    opts.delta = 0.1;
    expect(huber(y, p, opts)).toBeCloseTo(0.04, 7);
    delete opts.reduction;
    expect(huber(y, p, opts)).toBeCloseTo(0.02, 7);
    delete opts.delta; // back to the default δ = 1
    expect(huber(y, p, opts)).toBeCloseTo(1 / 32, 7);
  });

  test('a value made invalid is refused with its first-call message', () => {
    const opts: Record<string, unknown> = { delta: 1 };
    huber(y, p, opts);
    opts.delta = -1;
    expect(refusal(() => huber(y, p, opts))).toBe('huber: opts.delta must be a finite number > 0; got -1');
    opts.delta = 1;
    opts.reduction = 'avg';
    expect(refusal(() => huber(y, p, opts))).toBe("huber: opts.reduction must be 'mean', 'sum' or 'none'; got 'avg'");
  });

  test('a misspelt key added is refused, also when it replaces a key of the same count', () => {
    const opts: Record<string, unknown> = { delta: 1 };
    huber(y, p, opts);
    opts.reductoin = 'sum';
    expect(refusal(() => huber(y, p, opts))).toBe(HUBER_NAMES);
    delete opts.reductoin;
    expect(huber(y, p, opts)).toBeCloseTo(1 / 32, 7);
    // An option given as undefined, then deleted and a misspelt one added: as many keys as before.
    const same: Record<string, unknown> = { delta: 1, reduction: undefined };
    huber(y, p, same);
    delete same.reduction;
    same.reductoin = 'sum';
    expect(refusal(() => huber(y, p, same))).toBe(HUBER_NAMES);
  });

  test('the first key replaced by a misspelt one, the others the same', () => {
    const opts: Record<string, unknown> = { reduction: undefined, delta: 1 };
    huber(y, p, opts);
    delete opts.reduction;
    const rest = opts.delta;
    delete opts.delta;
    opts.reductoin = 'sum';
    opts.delta = rest;
    expect(refusal(() => huber(y, p, opts))).toBe(HUBER_NAMES);
  });

  // What a plan saves: an unchanged object is read once a call (to compare), not again to parse.
  test('a repeated call with the same unchanged object reads each option once', () => {
    let reads = 0;
    const opts = {
      get delta() {
        reads++;
        return 0.5;
      },
    };
    expect(huber(y, p, opts)).toBeCloseTo(1 / 32, 7);
    reads = 0;
    expect(huber(y, p, opts)).toBeCloseTo(1 / 32, 7);
    expect(huber(y, p, opts)).toBeCloseTo(1 / 32, 7);
    expect(reads).toBe(2);
  });

  test('a loss without options of its own refuses a misspelt key added later', () => {
    const opts: Record<string, unknown> = {};
    expect(mse(y, p, opts)).toBeCloseTo(1 / 16, 7);
    opts.reductoin = 'sum';
    expect(refusal(() => mse(y, p, opts))).toBe("mse: unknown option 'reductoin' (this loss takes: reduction, weights, out)");
  });

  test('out swapped for another array, then for a shifted view of pred', () => {
    const out1 = new Float32Array(2);
    const out2 = new Float32Array(2);
    const opts: Record<string, unknown> = { delta: 1, out: out1 };
    // d/dp of the mean of ½e²: e / 2 = ±0.125
    expect(huber.withGrad(y, p, opts).grad).toBe(out1);
    opts.out = out2;
    const { grad } = huber.withGrad(y, p, opts);
    expect(grad).toBe(out2);
    expect(Array.from(out2)).toEqual([0.125, -0.125]);
    const pred = new Float32Array(3);
    pred.set(p);
    const inPlace = pred.subarray(0, 2);
    opts.out = inPlace;
    huber.withGrad(y, inPlace, opts);
    opts.out = pred.subarray(1, 3);
    expect(refusal(() => huber.withGrad(y, inPlace, opts))).toBe(
      'huber.withGrad: opts.out overlaps pred at a different offset (it may be pred itself, not a shifted view)',
    );
  });

  test('weights swapped, and changed in place, are read on every call', () => {
    const w = Float32Array.of(1, 1);
    const opts: Record<string, unknown> = { delta: 1, weights: w };
    expect(huber(y, p, opts)).toBeCloseTo(1 / 32, 7);
    opts.weights = Float32Array.of(2, 0);
    expect(huber(y, p, { ...opts })).toBeCloseTo(1 / 32, 7);
    expect(huber(y, p, opts)).toBeCloseTo(1 / 32, 7);
    opts.reduction = 'sum';
    expect(huber(y, p, opts)).toBeCloseTo(1 / 16, 7);
    (opts.weights as Float32Array)[1] = -1;
    expect(refusal(() => huber(y, p, opts))).toBe('huber: opts.weights[1] must be a finite number ≥ 0; got -1');
  });

  test('accuracy asked of a call that computes no gradient, with the object of an earlier withGrad', () => {
    const z = Float32Array.of(1, 0, 0);
    const labels = Int32Array.of(0);
    const opts = { classes: 3, accuracy: true };
    expect(sparseSoftmaxCrossEntropy.withGrad(labels, z, opts).accuracy).toBe(1);
    expect(refusal(() => sparseSoftmaxCrossEntropy(labels, z, opts))).toBe('sparseSoftmaxCrossEntropy: opts.accuracy is for withGrad');
  });

  test('the second option of a loss set to undefined, its key kept, is its default again', () => {
    // A logit ln 3 against target 1: softplus(−z) = ln(4/3), softplus(z) = ln 4. Smoothing α gives
    // ỹ = 1 − α/2 and ỹ·ln(4/3) + (1 − ỹ)·ln 4: ln(4/3) = 0.2877 for α = 0, 0.5623 for α = ½.
    const target = Float32Array.of(1);
    const logit = Float32Array.of(Math.log(3));
    const opts: Record<string, unknown> = { posWeight: 1, labelSmoothing: 0.5 };
    const smoothed = 0.75 * Math.log(4 / 3) + 0.25 * Math.log(4);
    expect(binaryCrossEntropyWithLogits(target, logit, opts)).toBeCloseTo(smoothed, 5);
    expect(binaryCrossEntropyWithLogits(target, logit, opts)).toBeCloseTo(smoothed, 5);
    opts.labelSmoothing = undefined;
    expect(binaryCrossEntropyWithLogits(target, logit, opts)).toBeCloseTo(Math.log(4 / 3), 5);
  });

  test('a frozen object gives the same on every call', () => {
    const opts = Object.freeze({ delta: 0.1, reduction: 'sum' as const });
    for (let i = 0; i < 3; i++) expect(huber(y, p, opts)).toBeCloseTo(0.04, 7);
  });

  test('options inherited from the prototype are read, and a change to the prototype is seen', () => {
    const proto: Record<string, unknown> = { reduction: 'sum' };
    const opts = Object.create(proto) as Record<string, unknown>;
    opts.delta = 1;
    expect(huber(y, p, opts)).toBeCloseTo(1 / 16, 7);
    proto.reduction = 'mean';
    expect(huber(y, p, opts)).toBeCloseTo(1 / 32, 7);
    proto.reductoin = 'sum';
    expect(refusal(() => huber(y, p, opts))).toBe(HUBER_NAMES);
  });

  test('zero copy: the same object with WasmArrays, a WasmArray freed between calls', () => {
    const wy = alloc(2);
    const wp = alloc(2);
    const out = alloc(2);
    wy.array.set(y);
    wp.array.set(p);
    const opts = { delta: 1, out };
    expect(huber.withGrad(wy, wp, opts).loss).toBeCloseTo(1 / 32, 7);
    expect(huber.withGrad(wy, wp, opts).grad).toBe(out.array);
    out.free();
    expect(refusal(() => huber.withGrad(wy, wp, opts))).toBe('huber.withGrad: opts.out is a WasmArray used after free()');
    wy.free();
    wp.free();
  });
});

describe('the elementwise family: accuracy and the call the plan was made for', () => {
  // Logits (ln 3, ln 3) against targets (1, 0): softplus(−z) = ln(4/3) for the first, softplus(z) =
  // ln 4 for the second; the first is classified right (z > 0 and target 1), the second not.
  const target = Float32Array.of(1, 0);
  const logits = Float32Array.of(Math.log(3), Math.log(3));
  const mean = (Math.log(4 / 3) + Math.log(4)) / 2;
  // opts.accuracy is a boolean variable here, not the literal true the accuracy overload wants
  const accuracyOf = (result: object) => (result as { accuracy?: number }).accuracy;

  test('accuracy asked of the loss alone, with the object of an earlier withGrad, is refused', () => {
    const opts = { posWeight: 1, accuracy: true };
    const first = binaryCrossEntropyWithLogits.withGrad(target, logits, opts);
    expect(accuracyOf(first)).toBe(0.5);
    expect(first.loss).toBeCloseTo(mean, 6);
    expect(refusal(() => binaryCrossEntropyWithLogits(target, logits, opts))).toBe(
      'binaryCrossEntropyWithLogits: opts.accuracy is for binaryCrossEntropyWithLogits.withGrad',
    );
    expect(refusal(() => binaryCrossEntropyWithLogits.grad(target, logits, opts))).toBe(
      'binaryCrossEntropyWithLogits.grad: opts.accuracy is for binaryCrossEntropyWithLogits.withGrad',
    );
  });

  test('accuracy switched from false to true on the same object, and back', () => {
    const opts = { posWeight: 1, accuracy: false };
    expect('accuracy' in binaryCrossEntropyWithLogits.withGrad(target, logits, opts)).toBe(false);
    expect('accuracy' in binaryCrossEntropyWithLogits.withGrad(target, logits, opts)).toBe(false);
    opts.accuracy = true;
    expect(accuracyOf(binaryCrossEntropyWithLogits.withGrad(target, logits, opts))).toBe(0.5);
    expect(accuracyOf(binaryCrossEntropyWithLogits.withGrad(target, logits, opts))).toBe(0.5);
    opts.accuracy = false;
    expect('accuracy' in binaryCrossEntropyWithLogits.withGrad(target, logits, opts)).toBe(false);
  });

  test('a loss that does not classify never reads an accuracy its options class defines', () => {
    // A getter on a class's prototype is not enumerable: the name check does not see it, and mse,
    // which takes no accuracy, must not read it either.
    let reads = 0;
    class TrainingOptions {
      reduction = 'sum' as const;
      get accuracy() {
        reads++;
        return true;
      }
    }
    const result = mse.withGrad(y, p, new TrainingOptions());
    expect(result.loss).toBeCloseTo(1 / 8, 7);
    expect('accuracy' in result).toBe(false);
    expect(reads).toBe(0);
  });
});

describe('the classification family', () => {
  // One row of logits (1, 0, 0), label 0: L = ln(e + 2) − 1. With smoothing α the target is
  // (1 − α)·onehot + α/3: L_α = (1 − α)(ln(e + 2) − 1) + (α/3)(3 ln(e + 2) − 1).
  const z = Float32Array.of(1, 0, 0);
  const labels = Int32Array.of(0);
  const lse = Math.log(Math.E + 2);
  const smoothed = (a: number) => (1 - a) * (lse - 1) + (a / 3) * (3 * lse - 1);

  test('a changed option, reduction and ignoreIndex, and a misspelt key', () => {
    const opts: { classes: number; [key: string]: unknown } = { classes: 3 };
    expect(sparseSoftmaxCrossEntropy(labels, z, opts)).toBeCloseTo(lse - 1, 6);
    opts.labelSmoothing = 0.3;
    expect(sparseSoftmaxCrossEntropy(labels, z, opts)).toBeCloseTo(smoothed(0.3), 6);
    opts.labelSmoothing = 0.6;
    expect(sparseSoftmaxCrossEntropy(labels, z, opts)).toBeCloseTo(smoothed(0.6), 6);
    opts.reduction = 'none';
    const losses = sparseSoftmaxCrossEntropy(labels, z, opts) as unknown as Float32Array;
    expect(losses[0]).toBeCloseTo(smoothed(0.6), 6);
    opts.ignoreIndex = 0;
    expect((sparseSoftmaxCrossEntropy(labels, z, opts) as unknown as Float32Array)[0]).toBe(0);
    delete opts.ignoreIndex;
    delete opts.reduction;
    opts.clases = 3;
    expect(refusal(() => sparseSoftmaxCrossEntropy(labels, z, opts))).toBe(
      "sparseSoftmaxCrossEntropy: unknown option 'clases' (this loss takes: classes, reduction, weights, labelSmoothing, out, accuracy, classWeights, ignoreIndex)",
    );
  });

  test('logTarget and fromLogits switched on and off on the same object', () => {
    // P = (½, ½) against Q = (¼, ¾): KL = ½ ln 2 + ½ ln ⅔, whichever way P and Q are given.
    const kl = 0.5 * Math.log(2) + 0.5 * Math.log(2 / 3);
    const P = Float32Array.of(0.5, 0.5);
    const logP = Float32Array.of(Math.log(0.5), Math.log(0.5));
    const Q = Float32Array.of(0.25, 0.75);
    const logits = Float32Array.of(Math.log(0.25), Math.log(0.75));
    const opts: { classes: number; [key: string]: unknown } = { classes: 2 };
    expect(klDivergence(P, Q, opts)).toBeCloseTo(kl, 6);
    opts.logTarget = true;
    expect(refusal(() => klDivergence(P, Q, opts))).toContain('target[0] must be a log-probability in [-Infinity, 0] (logTarget)');
    expect(klDivergence(logP, Q, opts)).toBeCloseTo(kl, 6);
    expect(klDivergence(logP, Q, opts)).toBeCloseTo(kl, 6);
    opts.fromLogits = true;
    expect(klDivergence(logP, logits, opts)).toBeCloseTo(kl, 6);
    opts.logTarget = false;
    expect(refusal(() => klDivergence(logP, logits, opts))).toContain('target[0] must be in [0, 1]');
    delete opts.logTarget;
    expect(klDivergence(P, logits, opts)).toBeCloseTo(kl, 6);
  });

  test('a repeated call with the same unchanged object reads each option once', () => {
    let reads = 0;
    const opts = {
      get classes() {
        reads++;
        return 3;
      },
      labelSmoothing: 0, // a 0 kept is no change (0 and -0 differ, 0 and 0 do not)
    };
    expect(sparseSoftmaxCrossEntropy(labels, z, opts)).toBeCloseTo(lse - 1, 6);
    reads = 0;
    expect(sparseSoftmaxCrossEntropy(labels, z, opts)).toBeCloseTo(lse - 1, 6);
    expect(sparseSoftmaxCrossEntropy(labels, z, opts)).toBeCloseTo(lse - 1, 6);
    expect(reads).toBe(2);
  });

  test('an option changed from 0 to -0 is a change (softmaxFocal with α = -0 gives gradients of the other sign of zero)', () => {
    const signs = (a: ArrayLike<number>) => Array.from(a, (x) => (Object.is(x, -0) ? '-0' : String(x)));
    const t = Float32Array.of(0, 1, 1, 0);
    const q = Float32Array.of(0.2, 0.7, 0.4, 0.9);
    const opts = { classes: 2, alpha: 0 };
    const plus = signs(softmaxFocal.grad(t, q, opts));
    opts.alpha = -0;
    const minus = signs(softmaxFocal.grad(t, q, opts));
    expect(minus).toEqual(signs(softmaxFocal.grad(t, q, { classes: 2, alpha: -0 })));
    expect(minus).not.toEqual(plus);
  });

  test('classes changed to one that does not divide pred, then back', () => {
    const opts: { classes: number; [key: string]: unknown } = { classes: 3 };
    sparseSoftmaxCrossEntropy(labels, z, opts);
    opts.classes = 2;
    expect(refusal(() => sparseSoftmaxCrossEntropy(labels, z, opts))).toBe(
      'sparseSoftmaxCrossEntropy: opts.classes must divide the length of pred; got 2 for 3 elements',
    );
    opts.classes = 3;
    expect(sparseSoftmaxCrossEntropy(labels, z, opts)).toBeCloseTo(lse - 1, 6);
  });

  test('class weights changed in place are checked on every call', () => {
    const classWeights = [1, 1, 1];
    const opts = { classes: 3, classWeights };
    expect(sparseSoftmaxCrossEntropy(labels, z, opts)).toBeCloseTo(lse - 1, 6);
    classWeights[0] = -1;
    expect(refusal(() => sparseSoftmaxCrossEntropy(labels, z, opts))).toBe(
      'sparseSoftmaxCrossEntropy: opts.classWeights[0] must be a finite number ≥ 0; got -1',
    );
  });

  test('per-class values (focal α) changed in place are checked on every call', () => {
    const alpha = [0.25, 0.25];
    const opts = { classes: 2, alpha };
    const t = Float32Array.of(0, 1);
    const q = Float32Array.of(0.2, 0.7);
    expect(softmaxFocal(t, q, opts)).toBeGreaterThan(0);
    alpha[1] = -1;
    expect(refusal(() => softmaxFocal(t, q, opts))).toBe('softmaxFocal: opts.alpha[1] must be a finite number ≥ 0; got -1');
  });

  test('out swapped, and the gradient written to the new one', () => {
    const out1 = new Float32Array(3);
    const out2 = new Float32Array(3);
    const opts: { classes: number; [key: string]: unknown } = { classes: 3, out: out1 };
    expect(sparseSoftmaxCrossEntropy.withGrad(labels, z, opts).grad).toBe(out1);
    opts.out = out2;
    expect(sparseSoftmaxCrossEntropy.withGrad(labels, z, opts).grad).toBe(out2);
    // softmax − onehot: e/(e + 2) − 1, 1/(e + 2), 1/(e + 2)
    expect(out2[0]).toBeCloseTo(Math.E / (Math.E + 2) - 1, 6);
    expect(out2[1]).toBeCloseTo(1 / (Math.E + 2), 6);
  });
});

describe('the three-input family', () => {
  // gaussianNLL of targets (0, 1) against means (½, ½) and variances (1, 1): ½(ln v + (y − μ)²/v) = 1/8
  // each, plus ½ ln 2π with full. marginRanking of labels (1, −1), x1 = (0.2, 0.2), x2 = (0.5, 0.5):
  // max(0, −y(x1 − x2) + m) = 0.3 + m and max(0, m − 0.3).
  const t = Float32Array.of(0, 1);
  const mean = Float32Array.of(0.5, 0.5);
  const variance = Float32Array.of(1, 1);
  const half = 0.5 * Math.log(2 * Math.PI);
  const labels = Float32Array.of(1, -1);
  const x1 = Float32Array.of(0.2, 0.2);
  const x2 = Float32Array.of(0.5, 0.5);

  test('a changed value, a key added, a key deleted, a misspelt key, then no opts', () => {
    const opts: Record<string, unknown> = { full: false };
    expect(gaussianNLL(t, mean, variance, opts)).toBeCloseTo(1 / 8, 6);
    expect(gaussianNLL(t, mean, variance, opts)).toBeCloseTo(1 / 8, 6);
    opts.full = true;
    expect(gaussianNLL(t, mean, variance, opts)).toBeCloseTo(1 / 8 + half, 6);
    opts.reduction = 'sum';
    expect(gaussianNLL(t, mean, variance, opts)).toBeCloseTo(2 * (1 / 8 + half), 6);
    delete opts.full;
    expect(gaussianNLL(t, mean, variance, opts)).toBeCloseTo(1 / 4, 6);
    opts.ful = true;
    expect(refusal(() => gaussianNLL(t, mean, variance, opts))).toBe(
      "gaussianNLL: unknown option 'ful' (this loss takes: reduction, weights, out, eps, full)",
    );
    expect(gaussianNLL(t, mean, variance)).toBeCloseTo(1 / 8, 6);
  });

  test('the second option set to undefined, its key kept, is its default again', () => {
    const opts: Record<string, unknown> = { eps: 1e-6, full: true };
    expect(gaussianNLL(t, mean, variance, opts)).toBeCloseTo(1 / 8 + half, 6);
    expect(gaussianNLL(t, mean, variance, opts)).toBeCloseTo(1 / 8 + half, 6);
    opts.full = undefined;
    expect(gaussianNLL(t, mean, variance, opts)).toBeCloseTo(1 / 8, 6);
  });

  test('a value made invalid is refused with its first-call message', () => {
    const opts: Record<string, unknown> = { margin: 0.5 };
    expect(marginRanking(labels, x1, x2, opts)).toBeCloseTo(0.5, 6);
    opts.margin = -1;
    expect(refusal(() => marginRanking(labels, x1, x2, opts))).toBe('marginRanking: opts.margin must be a finite number ≥ 0; got -1');
    opts.margin = 0;
    expect(marginRanking(labels, x1, x2, opts)).toBeCloseTo(0.15, 6);
    opts.reduction = 'avg';
    expect(refusal(() => marginRanking(labels, x1, x2, opts))).toBe(
      "marginRanking: opts.reduction must be 'mean', 'sum' or 'none'; got 'avg'",
    );
  });

  test('a repeated call with the same unchanged object reads each option once', () => {
    let reads = 0;
    const opts = {
      get margin() {
        reads++;
        return 0.5;
      },
    };
    expect(marginRanking(labels, x1, x2, opts)).toBeCloseTo(0.5, 6);
    reads = 0;
    expect(marginRanking(labels, x1, x2, opts)).toBeCloseTo(0.5, 6);
    expect(marginRanking(labels, x1, x2, opts)).toBeCloseTo(0.5, 6);
    expect(reads).toBe(2);
  });

  test('options inherited from the prototype are read, and a change to the prototype is seen', () => {
    const proto: Record<string, unknown> = { reduction: 'sum' };
    const opts = Object.create(proto) as Record<string, unknown>;
    opts.margin = 0;
    expect(marginRanking(labels, x1, x2, opts)).toBeCloseTo(0.3, 6);
    proto.reduction = 'mean';
    expect(marginRanking(labels, x1, x2, opts)).toBeCloseTo(0.15, 6);
    proto.margn = 1;
    expect(refusal(() => marginRanking(labels, x1, x2, opts))).toBe(
      "marginRanking: unknown option 'margn' (this loss takes: reduction, weights, out, margin)",
    );
  });

  test('weights and out swapped between calls are read on every call', () => {
    const out1 = new Float32Array(2);
    const out2 = new Float32Array(2);
    const opts: Record<string, unknown> = { margin: 0, weights: Float32Array.of(1, 1), out: { x1: out1 } };
    // d/dx1 of the mean: −y/2 where the hinge is active (the first example only)
    expect(marginRanking.withGrad(labels, x1, x2, opts).grad.x1).toBe(out1);
    opts.out = { x1: out2 };
    opts.weights = Float32Array.of(0, 1);
    const { loss, grad } = marginRanking.withGrad(labels, x1, x2, opts);
    expect(grad.x1).toBe(out2);
    expect(loss).toBe(0);
    expect(Array.from(out2)).toEqual([0, 0]);
    opts.weights = Float32Array.of(1, 1);
    marginRanking.withGrad(labels, x1, x2, opts);
    expect(Array.from(out2)).toEqual([-0.5, 0]);
    opts.out = { x1: x1 };
    expect(refusal(() => marginRanking(labels, x1, x2, opts))).toBe(
      'marginRanking: opts.out is for the gradients; marginRanking() returns none',
    );
  });
});
