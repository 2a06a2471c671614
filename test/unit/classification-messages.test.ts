// What a row-wise loss or metric refuses, message and argument whole: classes at its largest, the
// options a metric or an accumulator does not take (named as the loss names its arguments), an
// option that only a per-class option may give as an array, options its class defines that the loss
// does not take, and an opts.out over an input at another offset.
import { beforeAll, describe, expect, test } from 'vitest';
import {
  alloc,
  categoricalAccuracy,
  categoricalCrossEntropy,
  categoricalHinge,
  init,
  klDivergence,
  multilabelSoftMargin,
  multiMargin,
  nll,
  softmaxCrossEntropy,
  softmaxFocal,
  sparseCategoricalAccuracy,
  sparseSoftmaxCrossEntropy,
  sparseSoftmaxFocal,
  topKAccuracy,
} from '../../src/node.js';
import { refusal } from '../helpers.js';

beforeAll(async () => {
  await init();
});

type AnyLoss = any; // each loss has its own option type; every call passes the right ones

/** Each loss, whether it takes labels, and the options its accumulator takes (its documented ones, but weights, out and accuracy). */
const LOSSES: [string, AnyLoss, boolean, string][] = [
  ['sparseSoftmaxCrossEntropy', sparseSoftmaxCrossEntropy, true, 'classes, reduction, labelSmoothing, classWeights, ignoreIndex'],
  ['softmaxCrossEntropy', softmaxCrossEntropy, false, 'classes, reduction, labelSmoothing, classWeights'],
  ['categoricalAccuracy', categoricalAccuracy, false, 'classes, reduction'],
  ['sparseCategoricalAccuracy', sparseCategoricalAccuracy, true, 'classes, reduction'],
  ['topKAccuracy', topKAccuracy, true, 'classes, reduction, k'],
  ['categoricalCrossEntropy', categoricalCrossEntropy, false, 'classes, reduction, eps'],
  ['klDivergence', klDivergence, false, 'classes, reduction, eps, fromLogits, logTarget'],
  ['categoricalHinge', categoricalHinge, false, 'classes, reduction'],
  ['multiMargin', multiMargin, true, 'classes, reduction, p, margin, classWeights'],
  ['multilabelSoftMargin', multilabelSoftMargin, false, 'classes, reduction, classWeights'],
  ['nll', nll, true, 'classes, reduction, classWeights, ignoreIndex'],
  ['softmaxFocal', softmaxFocal, false, 'classes, reduction, gamma, alpha, labelSmoothing'],
  ['sparseSoftmaxFocal', sparseSoftmaxFocal, true, 'classes, reduction, gamma, alpha, labelSmoothing, ignoreIndex'],
];

describe.each(LOSSES)('%s', (name, loss, sparse, takes) => {
  const none = () => (sparse ? new Int32Array(0) : new Float32Array(0));

  test('opts.classes up to 2³⁰ − 1 (the kernels index rows by int32 bytes), and not past it', () => {
    // no rows: the mean over none is 0
    expect(loss(none(), new Float32Array(0), { classes: 0x3fffffff })).toBe(0);
    expect(loss.create({ classes: 0x3fffffff }).result()).toBe(0);
    const past = `opts.classes must be an integer ≥ 1 (values per row); got ${0x40000000}`;
    expect(refusal(() => loss(none(), new Float32Array(0), { classes: 0x40000000 }))).toEqual([`${name}: ${past}`, 'opts.classes']);
    expect(refusal(() => loss.create({ classes: 0x40000000 }))).toEqual([`${name}.create: ${past}`, 'opts.classes']);
  });

  test('an accumulator refuses weights, out, accuracy and per-row losses, and names the options it takes', () => {
    const batch = sparse ? 'labels, pred' : 'target, pred';
    expect(refusal(() => loss.create({ classes: 3, weights: new Float32Array(2) }))).toEqual([
      `${name}.create: opts.weights is not an accumulator option (weights go with each batch: update(${batch}, weights))`,
      'opts.weights',
    ]);
    for (const [key, value] of [
      ['out', new Float32Array(6)],
      ['accuracy', true],
    ] as const) {
      expect(refusal(() => loss.create({ classes: 3, [key]: value }))).toEqual([
        `${name}.create: opts.${key} is not an accumulator option (an accumulator computes no gradient)`,
        `opts.${key}`,
      ]);
    }
    expect(refusal(() => loss.create({ classes: 3, reduction: 'none' }))).toEqual([
      `${name}.create: opts.reduction must be 'mean' or 'sum': an accumulator keeps sums, not per-row losses; got 'none'`,
      'opts.reduction',
    ]);
    expect(refusal(() => loss.create({ classes: 3, clases: 3 }))).toEqual([
      `${name}.create: unknown option 'clases' (this loss takes: ${takes})`,
      'opts.clases',
    ]);
  });
});

describe.each([
  ['categoricalAccuracy', categoricalAccuracy, Float32Array.of(0, 1, 0), ''],
  ['sparseCategoricalAccuracy', sparseCategoricalAccuracy, Int32Array.of(1), ''],
  ['topKAccuracy', topKAccuracy, Int32Array.of(1), ', k'],
] as [string, AnyLoss, Float32Array | Int32Array, string][])('the metric %s', (name, metric, target, own) => {
  test('takes neither out nor accuracy: it gives no gradient', () => {
    const pred = Float32Array.of(0.1, 0.7, 0.2);
    expect(metric(target, pred, { classes: 3 })).toBe(1);
    for (const [key, value] of [
      ['out', new Float32Array(3)],
      ['accuracy', false],
      ['accuracy', true],
    ] as const) {
      expect(refusal(() => metric(target, pred, { classes: 3, [key]: value }))).toEqual([
        `${name}: unknown option '${key}' (this loss takes: classes, reduction, weights${own})`,
        `opts.${key}`,
      ]);
    }
  });
});

test('only the per-class option (focal α) may be an array of one value per class', () => {
  const t = Float32Array.of(0, 1, 0);
  const z = Float32Array.of(0.5, 2, -1);
  for (const gamma of [[2, 2, 2], Float32Array.of(2, 2, 2)]) {
    expect(refusal(() => (softmaxFocal as AnyLoss)(t, z, { classes: 3, gamma }))).toEqual([
      `softmaxFocal: opts.gamma must be a finite number ≥ 0; got ${gamma.constructor.name}`,
      'opts.gamma',
    ]);
  }
  expect(
    refusal(() => (categoricalCrossEntropy as AnyLoss)(t, Float32Array.of(0.25, 0.5, 0.25), { classes: 3, eps: [0.1, 0.1, 0.1] })),
  ).toEqual(['categoricalCrossEntropy: opts.eps must be a finite number in (0, 0.5); got Array', 'opts.eps']);
});

test('labels of another typed array: refused without a hint that fits only floats or plain arrays', () => {
  const z = Float32Array.of(0.5, 2, -1, 0, 1, 2);
  const must = "sparseSoftmaxCrossEntropy: labels must be an Int32Array (or a WasmArray of 'i32'); got";
  expect(refusal(() => (sparseSoftmaxCrossEntropy as AnyLoss)(Uint8Array.of(0, 1), z, { classes: 3 }))).toEqual([
    `${must} Uint8Array`,
    'labels',
  ]);
  expect(refusal(() => (sparseSoftmaxCrossEntropy as AnyLoss)(Float32Array.of(0, 1), z, { classes: 3 }))).toEqual([
    `${must} Float32Array (class indices: Int32Array.from(labels))`,
    'labels',
  ]);
});

test('class weights or a per-class option of the wrong kind, or freed, named whole', () => {
  const t = Float32Array.of(0, 1, 0);
  const z = Float32Array.of(0.5, 2, -1);
  const freed = alloc(3, 'f32');
  freed.free();
  expect(refusal(() => (softmaxCrossEntropy as AnyLoss)(t, z, { classes: 3, classWeights: freed }))).toEqual([
    'softmaxCrossEntropy: opts.classWeights is a WasmArray used after free()',
    'opts.classWeights',
  ]);
  expect(refusal(() => (softmaxFocal as AnyLoss)(t, z, { classes: 3, alpha: Int32Array.of(1, 1, 1) }))).toEqual([
    'softmaxFocal: opts.alpha must be a number or an array of numbers (one per class); got Int32Array',
    'opts.alpha',
  ]);
});

test('fromLogits and logTarget are only the options of the losses that take them, even where an options class defines them', () => {
  // A getter on a class's prototype is not enumerable: the name check does not see it.
  class Options {
    classes = 3;
    get fromLogits() {
      return true;
    }
    get logTarget() {
      return true;
    }
  }
  const t = Float64Array.of(0.25, 0.5, 0.25);
  const p = Float64Array.of(0.5, 0.25, 0.25);
  // −Σ t log p on probabilities: categoricalCrossEntropy reads p as probabilities whatever the getter says
  const crossEntropy = -(0.25 * Math.log(0.5) + 0.5 * Math.log(0.25) + 0.25 * Math.log(0.25));
  expect(categoricalCrossEntropy(t, p, new Options())).toBeCloseTo(crossEntropy, 12);
  // log-sum-exp(p) − Σ t·p with Σ t = 1: softmaxCrossEntropy reads targets as probabilities, not logs
  const lse = Math.log(Math.exp(0.5) + 2 * Math.exp(0.25));
  expect(softmaxCrossEntropy(t, p, new Options())).toBeCloseTo(lse - (0.25 * 0.5 + 0.5 * 0.25 + 0.25 * 0.25), 12);
});

describe.each([
  ['softmaxCrossEntropy', softmaxCrossEntropy, false],
  ['sparseSoftmaxCrossEntropy', sparseSoftmaxCrossEntropy, true],
] as [string, AnyLoss, boolean][])('%s', (name, loss, sparse) => {
  test('an opts.out over an input at another offset is refused, naming the input', () => {
    const over = (input: string) => [
      `${name}.grad: opts.out overlaps ${input} at a different offset (it may be pred itself, not a shifted view)`,
      'opts.out',
    ];
    const buffer = new Float32Array(7);
    const y = (rows: number) => (sparse ? new Int32Array(rows) : new Float32Array(rows * 3).fill(1 / 3));
    const p = new Float32Array(6).fill(0.5);
    expect(refusal(() => loss.grad(y(2), buffer.subarray(0, 6), { classes: 3, out: buffer.subarray(1) }))).toEqual(over('pred'));
    if (!sparse)
      expect(refusal(() => loss.grad(buffer.subarray(1), p, { classes: 3, out: buffer.subarray(0, 6) }))).toEqual(over('target'));
    // one class: weights as long as out, shifted by one
    expect(
      refusal(() =>
        loss.grad(sparse ? new Int32Array(6) : new Float32Array(6).fill(1), p, {
          classes: 1,
          weights: buffer.subarray(1),
          out: buffer.subarray(0, 6),
        }),
      ),
    ).toEqual(over('opts.weights'));
    // three classes: weights (one per row) inside out, at out's own start
    const rows = new Float32Array(6);
    expect(refusal(() => loss.grad(y(2), p, { classes: 3, weights: rows.subarray(0, 2), out: rows }))).toEqual(over('opts.weights'));
  });
});
