// The test hook staging.limit, which the chunking property test sets so that chunk edges fall
// anywhere in a small array: it must cap every chunk of the copy path at that many elements (a hook
// that did nothing would leave that property test comparing a call with itself), and 0 must leave a
// slot's worth. Counted on an instance whose mse kernels are wrapped.
import { afterEach, beforeAll, expect, test } from 'vitest';
import { staging } from '../../src/core/wasm.js';
import { mse } from '../../src/node.js';
import { countedCalls } from '../helpers.js';

let counter: { calls: number };

beforeAll(() => {
  counter = countedCalls((k) => k === 'mse_f32' || k === 'mse_f64');
});

afterEach(() => {
  staging.limit = 0;
});

// (pᵢ − yᵢ)² = i² for i = 0 … 9: Σ = 285, the mean 28.5, exact in float32
const target = Float32Array.from({ length: 10 }, (_, i) => i);
const pred = new Float32Array(10);

function callsOf(run: () => unknown): number {
  counter.calls = 0;
  run();
  return counter.calls;
}

test('limit 0 (every call outside the property test): the 10 values in one chunk', () => {
  staging.limit = 0;
  expect(callsOf(() => expect(mse(target, pred)).toBe(28.5))).toBe(1);
});

test('limit 3: chunks of 3, 3, 3 and 1 values, the same loss', () => {
  staging.limit = 3;
  expect(callsOf(() => expect(mse(target, pred)).toBe(28.5))).toBe(4);
  staging.limit = 10;
  expect(callsOf(() => expect(mse(target, pred)).toBe(28.5))).toBe(1);
  staging.limit = 1;
  expect(callsOf(() => expect(mse(target, pred)).toBe(28.5))).toBe(10);
});
