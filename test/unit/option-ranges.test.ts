// Each numeric option's documented range, written out here rather than read from the loss's
// `.options`: a call exactly at each bound is accepted or refused as the documentation says, a
// step beyond it is refused, and `.options` describes the same range. (A test that took the range
// from `.options` would move with a wrong bound instead of catching it.)
import { beforeAll, describe, expect, test } from 'vitest';
import {
  binaryAccuracy,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  binaryFocal,
  categoricalCrossEntropy,
  contrastive,
  cosineEmbedding,
  dice,
  gaussianNLL,
  huber,
  init,
  klDivergence,
  mape,
  marginRanking,
  msle,
  multiMargin,
  poissonNLL,
  quantile,
  SimdlossError,
  smoothL1,
  softmaxCrossEntropy,
  sparseSoftmaxCrossEntropy,
  triplet,
  tversky,
} from '../../src/node.js';

beforeAll(async () => {
  await init();
});

type AnyFn = (...args: unknown[]) => unknown;
/** A loss or metric called with valid arrays and `opts`. */
type Call = (opts: Record<string, number>) => unknown;

const y = Float32Array.of(0, 1);
const p = Float32Array.of(0.25, 0.75);
const labels = Int32Array.of(1);
const pair =
  (f: unknown): Call =>
  (opts) =>
    (f as AnyFn)(y, p, opts);
const row =
  (f: unknown, target: Float32Array | Int32Array): Call =>
  (opts) =>
    (f as AnyFn)(target, p, { classes: 2, ...opts });
const three =
  (f: unknown, target: Float32Array): Call =>
  (opts) =>
    (f as AnyFn)(target, p, Float32Array.of(0.5, 2), opts);
const rows =
  (f: unknown, first: Float32Array): Call =>
  (opts) =>
    (f as AnyFn)(first, p, Float32Array.of(0.5, 0.5), { dim: 2, ...opts });
const masks =
  (f: unknown): Call =>
  (opts) =>
    (f as AnyFn)(y, p, { dim: 2, ...opts });

/** [name, loss, a valid call with opts, option, min, min excluded, max (Infinity: none), max excluded], as documented. */
const RANGES: [string, unknown, Call, string, number, boolean, number, boolean][] = [
  ['huber', huber, pair(huber), 'delta', 0, true, Infinity, false],
  ['smoothL1', smoothL1, pair(smoothL1), 'beta', 0, true, Infinity, false],
  ['binaryCrossEntropy', binaryCrossEntropy, pair(binaryCrossEntropy), 'eps', 0, true, 0.5, true],
  ['binaryCrossEntropy', binaryCrossEntropy, pair(binaryCrossEntropy), 'posWeight', 0, false, Infinity, false],
  [
    'binaryCrossEntropyWithLogits',
    binaryCrossEntropyWithLogits,
    pair(binaryCrossEntropyWithLogits),
    'posWeight',
    0,
    false,
    Infinity,
    false,
  ],
  ['binaryCrossEntropyWithLogits', binaryCrossEntropyWithLogits, pair(binaryCrossEntropyWithLogits), 'labelSmoothing', 0, false, 1, false],
  ['binaryFocal', binaryFocal, pair(binaryFocal), 'gamma', 0, false, Infinity, false],
  ['binaryFocal', binaryFocal, pair(binaryFocal), 'alpha', 0, false, 1, false],
  ['binaryAccuracy', binaryAccuracy, pair(binaryAccuracy), 'threshold', 0, false, 1, false],
  ['softmaxCrossEntropy', softmaxCrossEntropy, row(softmaxCrossEntropy, y), 'labelSmoothing', 0, false, 1, false],
  ['sparseSoftmaxCrossEntropy', sparseSoftmaxCrossEntropy, row(sparseSoftmaxCrossEntropy, labels), 'labelSmoothing', 0, false, 1, false],
  ['categoricalCrossEntropy', categoricalCrossEntropy, row(categoricalCrossEntropy, y), 'eps', 0, true, 0.5, true],
  ['klDivergence', klDivergence, row(klDivergence, y), 'eps', 0, true, 0.5, true],
  ['contrastive', contrastive, rows(contrastive, Float32Array.of(1)), 'margin', 0, false, Infinity, false],
  ['triplet', triplet, rows(triplet, Float32Array.of(0.5, 0.5)), 'margin', 0, false, Infinity, false],
  ['cosineEmbedding', cosineEmbedding, rows(cosineEmbedding, Float32Array.of(1)), 'margin', 0, false, Infinity, false],
  ['gaussianNLL', gaussianNLL, three(gaussianNLL, y), 'eps', 0, true, 0.5, true],
  ['marginRanking', marginRanking, three(marginRanking, Float32Array.of(1, -1)), 'margin', 0, false, Infinity, false],
  ['multiMargin', multiMargin, row(multiMargin, labels), 'margin', 0, false, Infinity, false],
  ['quantile', quantile, pair(quantile), 'q', 0, true, 1, true],
  ['mape', mape, pair(mape), 'eps', 0, true, 0.5, true],
  ['msle', msle, pair(msle), 'eps', 0, true, 0.5, true],
  ['poissonNLL', poissonNLL, pair(poissonNLL), 'eps', 0, true, 0.5, true],
  ['dice', dice, masks(dice), 'smooth', 0, true, Infinity, false],
  ['tversky', tversky, masks(tversky), 'alpha', 0, false, Infinity, false],
  ['tversky', tversky, masks(tversky), 'beta', 0, false, Infinity, false],
  ['tversky', tversky, masks(tversky), 'smooth', 0, true, Infinity, false],
];

describe.each(RANGES)('%s opts.%s', (name, loss, call, option, min, minOpen, max, maxOpen) => {
  const refused = (value: number) => {
    expect(() => call({ [option]: value })).toThrow(SimdlossError);
    expect(() => call({ [option]: value })).toThrow(`${name}: opts.${option} must be a finite number`);
  };

  test('at the lower bound and below it', () => {
    if (minOpen) refused(min);
    else expect(() => call({ [option]: min })).not.toThrow();
    refused(min - 1e-3);
    expect(() => call({ [option]: min + 1e-3 })).not.toThrow();
  });

  test('at the upper bound and above it', () => {
    if (max === Infinity) {
      expect(() => call({ [option]: 1e30 })).not.toThrow();
      refused(Infinity);
      return;
    }
    if (maxOpen) refused(max);
    else expect(() => call({ [option]: max })).not.toThrow();
    refused(max + 1e-3);
    expect(() => call({ [option]: max - 1e-3 })).not.toThrow();
  });

  test('.options describes the same range', () => {
    const described = (loss as { options: readonly Record<string, unknown>[] }).options.find((o) => o.name === option)!;
    expect({
      min: described.min,
      minOpen: described.minOpen === true,
      max: described.max ?? Infinity,
      maxOpen: described.maxOpen === true,
    }).toEqual({ min, minOpen, max, maxOpen });
  });
});
