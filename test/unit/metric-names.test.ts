// Every metric export names itself: `metricName` (what its accumulators' states and errors carry)
// and the function's own name are the name it is exported under, and a ranking metric's `options`
// (no numeric option on the call) is an empty frozen list.
import { expect, test } from 'vitest';
import * as api from '../../src/node.js';

const metrics = Object.entries(api).filter(([, f]) => typeof f === 'function' && 'metricName' in f) as [
  string,
  { name: string; metricName: unknown; options?: unknown },
][];

test('the metrics are found: the counting and the ranking ones', () => {
  expect(metrics.map(([name]) => name).sort()).toEqual(['averagePrecision', 'binaryConfusion', 'calibration', 'confusionMatrix', 'rocAuc']);
});

test.each(metrics)('%s names itself', (name, f) => {
  expect(f.metricName).toBe(name);
  expect(f.name).toBe(name);
});

test.each([
  ['rocAuc', api.rocAuc],
  ['averagePrecision', api.averagePrecision],
] as const)('%s takes no numeric option on the call', (_, f) => {
  expect(f.options).toEqual([]);
  expect(Object.isFrozen(f.options)).toBe(true);
});

test.each(metrics)('%s.create names itself in a refusal', (name, f) => {
  const create = (f as unknown as { create(o: object): unknown }).create;
  expect(() => create({ nope: 1 })).toThrow(new RegExp(`^${name}\\.create: `));
});
