// Bad input of every kind: a SimdlossError naming the argument, index, expected range and value
// seen; and the library keeps giving right answers afterwards.
import { beforeAll, describe, expect, test } from 'vitest';
import * as lib from '../../src/node.js';
import { alloc, init, SimdlossError } from '../../src/node.js';
import { type ElementwiseEntry, elementwiseOf } from '../registry.js';

const elementwiseRegistry = elementwiseOf(lib);

import { describeRange } from '../../src/core/args.js';
import { elementwise } from '../../src/core/elementwise.js';

beforeAll(async () => {
  await init();
});

type AnyLoss = any;

/** Four valid examples for the entry: targets from its labels or domain, predictions inside its domain. */
function valid(entry: ElementwiseEntry): { y: Float32Array; p: Float32Array } {
  const at = (range: readonly [number, number], f: number) => range[0] + (range[1] - range[0]) * f;
  const labels = entry.labels?.values;
  const y = Float32Array.from([0.1, 0.4, 0.6, 0.9], (f, i) => (labels ? labels[i % labels.length]! : at(entry.domain.target, f)));
  const p = Float32Array.from([0.15, 0.4, 0.35, 0.95], (f) => at(entry.domain.pred, f));
  return { y, p };
}

function expectError(call: () => unknown, argument: string, message: RegExp, index?: number): void {
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  expect(error, 'throws').toBeInstanceOf(SimdlossError);
  const e = error as SimdlossError;
  expect(e).toBeInstanceOf(Error);
  expect(e.name).toBe('SimdlossError');
  expect(e.argument).toBe(argument);
  expect(e.message).toMatch(message);
  expect(e.index).toBe(index);
}

describe.each(elementwiseRegistry.map((e) => [e.name, e]))('%s', (name, entry) => {
  const loss = entry.loss as AnyLoss;
  const { y, p } = valid(entry);
  const right = { mean: 0, grad: [] as number[] };
  beforeAll(() => {
    right.mean = loss(y, p);
    right.grad = Array.from(loss.grad(y, p) as Float32Array);
  });
  const calls = [
    ['', (t: unknown, q: unknown, o?: unknown) => loss(t, q, o)],
    ['.grad', (t: unknown, q: unknown, o?: unknown) => loss.grad(t, q, o)],
    ['.withGrad', (t: unknown, q: unknown, o?: unknown) => loss.withGrad(t, q, o)],
  ] as const;

  test.each(calls)(`${name}%s: wrong types, dtypes and lengths`, (suffix, call) => {
    const fn = `${name}${suffix}`;
    expectError(
      () => call(y, [1, 2, 3, 4]),
      'pred',
      new RegExp(
        `^${fn.replace('.', '\\.')}: pred must be a Float32Array or a Float64Array \\(or a WasmArray of one\\); got Array \\(wrap`,
      ),
    );
    expectError(() => call([1, 2, 3, 4], p), 'target', /target must be a Float32Array or a Float64Array .*got Array/);
    expectError(() => call(y, undefined), 'pred', /got undefined/);
    expectError(() => call(Int32Array.of(1, 2, 3, 4), p), 'target', /got Int32Array/);
    const labels = alloc(4, 'i32');
    expectError(() => call(y, labels), 'pred', /got a WasmArray of 'i32'/);
    labels.free();
    expectError(
      () => call(Float64Array.from(y), p),
      'target',
      /target is a Float64Array but pred is a Float32Array: float32 and float64 cannot be mixed/,
    );
    expectError(() => call(y, p.subarray(1)), 'target', /target has 4 elements but pred has 3/);
    expectError(() => call(y, p, 'mean'), 'opts', /opts must be an object; got 'mean'/);
    expectError(() => call(y, p, { reduction: 'avg' }), 'opts.reduction', /opts.reduction must be 'mean', 'sum' or 'none'; got 'avg'/);
    expectError(() => call(y, p, { reduciton: 'sum' }), 'opts.reduciton', /unknown option 'reduciton'/);
    expectError(() => call(y, p, { weights: new Float32Array(3) }), 'opts.weights', /opts.weights has 3 elements but pred has 4/);
    expectError(() => call(y, p, { weights: new Float64Array(4) }), 'opts.weights', /cannot be mixed/);
  });

  test.each(calls)(`${name}%s: weights outside [0, ∞) are reported with their index and value`, (_, call) => {
    for (const [bad, shown] of [
      [-1, '-1'],
      [NaN, 'NaN'],
      [Infinity, 'Infinity'],
      [-Infinity, '-Infinity'],
    ] as const) {
      for (const at of [0, 3, 9000]) {
        const n = 9001;
        const w = new Float32Array(n).fill(1);
        w[at] = bad;
        const t = new Float32Array(n);
        expectError(
          () => call(t, t, { weights: w }),
          'opts.weights',
          new RegExp(`: opts\\.weights\\[${at}\\] must be a finite number ≥ 0; got ${shown}$`),
          at,
        );
        const wasmWeights = alloc(n, 'f32');
        wasmWeights.array.set(w);
        expectError(() => call(t, t, { weights: wasmWeights }), 'opts.weights', new RegExp(`opts\\.weights\\[${at}\\]`), at);
        wasmWeights.free();
      }
    }
  });

  test(`${name}: opts.out must match pred and is only for gradients`, () => {
    expectError(() => loss.grad(y, p, { out: new Float32Array(3) }), 'opts.out', /opts.out has 3 elements but pred has 4/);
    expectError(() => loss.grad(y, p, { out: new Float64Array(4) }), 'opts.out', /cannot be mixed/);
    expectError(() => loss.grad(y, p, { out: [0, 0, 0, 0] }), 'opts.out', /must be a Float32Array/);
    expectError(() => loss(y, p, { out: new Float32Array(4) }), 'opts.out', /opts.out is for the gradient/);
    const shared = new Float32Array(5);
    shared.set(p);
    expectError(
      () => loss.grad(y, shared.subarray(0, 4), { out: shared.subarray(1, 5) }),
      'opts.out',
      /opts.out overlaps pred at a different offset/,
    );
  });

  test(`${name}: every numeric option out of its range or of the wrong type`, () => {
    for (const option of entry.options) {
      const lo = option.min;
      const hi = option.max ?? Infinity;
      const badValues: unknown[] = [NaN, Infinity, -Infinity, '1', null, option.minOpen ? lo : lo - 1];
      if (hi < Infinity) badValues.push(option.maxOpen ? hi : hi + 1);
      const range = describeRange(option).replace(/[()[\]]/g, '\\$&');
      for (const value of badValues) {
        expectError(
          () => loss(y, p, { [option.name]: value }),
          `opts.${option.name}`,
          new RegExp(`opts.${option.name} must be a finite number ${range}; got `),
        );
      }
    }
  });

  test(`${name}: after every error above, the next valid call returns the right answer`, () => {
    expect(loss(y, p)).toBe(right.mean);
    expect(Array.from(loss.grad(y, p) as Float32Array)).toEqual(right.grad);
  });
});

// Every exported loss names the domain of each argument its kernel can refuse; a spec that does not
// (here binary cross-entropy's kernel, which refuses a pred outside [0, 1], with only the target's
// domain described) still names the argument, index and value, and says only "in the domain".
test('a refused value of an argument whose domain the spec does not describe', () => {
  const loss = elementwise({
    name: 'undescribed',
    kernel: 'binaryCrossEntropy',
    options: [],
    params: () => [1e-7, 1],
    domain: { target: 'in [0, 1]' },
  }) as AnyLoss;
  const y = new Float32Array([0.5, 0.5, 0.5]);
  expectError(() => loss(y, new Float32Array([0.5, 0.5, 2])), 'pred', /^undescribed: pred\[2\] must be in the domain; got 2$/, 2);
  expectError(() => loss(new Float32Array([0.5, 3, 0.5]), y), 'target', /^undescribed: target\[1\] must be in \[0, 1\]; got 3$/, 1);
});
