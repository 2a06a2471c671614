// Each public loss or metric function as built around its family's pass: its name and lossName are
// the name it is exported under (what stack traces and messages show), its options are the
// loss's own, the gradient companions exist exactly when it is a loss, and none of these
// properties can be reassigned.
import { expect, test } from 'vitest';
import * as api from '../../src/node.js';

type Built = ((...args: unknown[]) => unknown) & { lossName: string; options: readonly { name: string }[] };

const built = Object.entries(api as Record<string, unknown>).filter(
  (entry): entry is [string, Built] => typeof entry[1] === 'function' && typeof (entry[1] as { lossName?: unknown }).lossName === 'string',
);
// the metrics: they classify or count, with no gradient to give
const METRICS = ['binaryAccuracy', 'categoricalAccuracy', 'sparseCategoricalAccuracy', 'topKAccuracy'];

test('the exports are there (a loss file moved without its exports fails here)', () => {
  expect(built.length).toBeGreaterThanOrEqual(20);
  expect(built.map(([key]) => key)).toEqual(expect.arrayContaining(['mse', 'huber', 'softmaxCrossEntropy', 'triplet', ...METRICS]));
});

test.each(built)('%s: name and lossName are its export name', (key, f) => {
  expect(f.name).toBe(key);
  expect(f.lossName).toBe(key);
});

test('the options are the loss\u2019s own numeric options', () => {
  expect(api.mse.options).toEqual([]);
  expect(api.huber.options).toEqual([{ name: 'delta', default: 1, min: 0, minOpen: true }]);
  expect(api.binaryFocal.options.map((o) => o.name)).toEqual(['gamma', 'alpha']);
});

test.each(built)('%s: grad and withGrad exactly when it is a loss; create and fromJSON always', (key, f) => {
  const loss = !METRICS.includes(key);
  expect(typeof (f as unknown as { grad?: unknown }).grad).toBe(loss ? 'function' : 'undefined');
  expect(typeof (f as unknown as { withGrad?: unknown }).withGrad).toBe(loss ? 'function' : 'undefined');
  expect(typeof (f as unknown as { create?: unknown }).create).toBe('function');
  expect(typeof (f as unknown as { fromJSON?: unknown }).fromJSON).toBe('function');
});

test.each(built)('%s: its properties cannot be reassigned', (_, f) => {
  for (const property of ['name', 'lossName', 'options', 'grad', 'withGrad', 'create', 'fromJSON']) {
    const descriptor = Object.getOwnPropertyDescriptor(f, property);
    if (descriptor === undefined) continue;
    expect(descriptor.writable, property).toBe(false);
  }
});
