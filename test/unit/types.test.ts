// The public types as a user meets them: this file must type-check (npm test runs tsc first).
import { expect, expectTypeOf, test } from 'vitest';
import {
  type AccumulatorState,
  alloc,
  type ElementwiseAccumulator,
  huber,
  init,
  mse,
  softmaxCrossEntropy,
  sparseSoftmaxCrossEntropy,
  topKAccuracy,
  type WasmArray,
} from '../../src/node.js';

test('typed arrays in, the same typed arrays out; WasmArrays accepted anywhere', async () => {
  await init();
  const y32 = Float32Array.of(1, 2);
  const p32 = Float32Array.of(2, 2);
  expectTypeOf(mse(y32, p32)).toEqualTypeOf<number>();
  expectTypeOf(mse(y32, p32, { reduction: 'none' })).toEqualTypeOf<Float32Array>();
  expectTypeOf(mse(Float64Array.of(1), Float64Array.of(2), { reduction: 'none' })).toEqualTypeOf<Float64Array>();
  expectTypeOf(mse.grad(Float64Array.of(1), Float64Array.of(2))).toEqualTypeOf<Float64Array>();
  expectTypeOf(huber.withGrad(y32, p32, { delta: 2 })).toEqualTypeOf<{ loss: number; grad: Float32Array }>();
  expectTypeOf(huber.withGrad(y32, p32, { reduction: 'none' })).toEqualTypeOf<{ loss: Float32Array; grad: Float32Array }>();
  const wy: WasmArray<'f32'> = alloc(2, 'f32');
  const wp = alloc(2);
  const out = alloc(2, 'f32');
  wy.array.set(y32);
  wp.array.set(p32);
  const both = mse.withGrad(wy, wp, { out });
  expectTypeOf(both.grad).toEqualTypeOf<Float32Array>();
  expect(both.loss).toBe(0.5);
  expectTypeOf(alloc(3, 'f64').array).toEqualTypeOf<Float64Array>();
  expectTypeOf(alloc(3, 'i32').array).toEqualTypeOf<Int32Array>();
  // @ts-expect-error: an unknown option is a type error as well as a run-time SimdlossError
  expect(() => mse(y32, p32, { delta: 1 })).toThrow(/unknown option 'delta'/);
  // Code written over both dtypes type-checks (the last overloads); mixing them is a run-time error.
  const either = Float64Array.of(1, 2) as Float32Array | Float64Array;
  expectTypeOf(mse.grad(either, either)).toEqualTypeOf<Float32Array | Float64Array>();
  expect(() => mse(y32, either)).toThrow(/cannot be mixed/);
});

test('row-wise losses: labels are Int32Arrays, classes is required, withGrad may carry accuracy', async () => {
  await init();
  const z = Float32Array.of(1, 2, 3, 3, 2, 1);
  const labels = Int32Array.of(2, 0);
  expectTypeOf(sparseSoftmaxCrossEntropy(labels, z, { classes: 3 })).toEqualTypeOf<number>();
  expectTypeOf(sparseSoftmaxCrossEntropy(labels, Float64Array.from(z), { classes: 3, reduction: 'none' })).toEqualTypeOf<Float64Array>();
  expectTypeOf(softmaxCrossEntropy.grad(Float32Array.of(0, 0, 1, 1, 0, 0), z, { classes: 3 })).toEqualTypeOf<Float32Array>();
  const both = sparseSoftmaxCrossEntropy.withGrad(labels, z, { classes: 3, accuracy: true });
  expectTypeOf(both.accuracy).toEqualTypeOf<number | undefined>();
  expect(both.accuracy).toBe(1);
  expect(topKAccuracy(alloc(2, 'i32'), z, { classes: 3, k: 1 })).toBe(0.5);
  // @ts-expect-error: classes is required
  expect(() => sparseSoftmaxCrossEntropy(labels, z)).toThrow(/opts.classes/);
  // @ts-expect-error: labels are an Int32Array, not floats
  expect(() => sparseSoftmaxCrossEntropy(Float32Array.of(2, 0), z, { classes: 3 })).toThrow(/labels must be an Int32Array/);
});

test('accumulators are typed: create takes the loss options and mean or sum, update takes a batch', async () => {
  await init();
  const acc = huber.create({ delta: 2, reduction: 'sum' });
  expectTypeOf(acc).toEqualTypeOf<ElementwiseAccumulator>();
  expectTypeOf(acc.update(Float32Array.of(1), Float32Array.of(2), Float32Array.of(3))).toEqualTypeOf<ElementwiseAccumulator>();
  expectTypeOf(acc.result()).toEqualTypeOf<number>();
  expectTypeOf(acc.toJSON()).toEqualTypeOf<AccumulatorState>();
  expectTypeOf(huber.fromJSON(JSON.stringify(acc))).toEqualTypeOf<ElementwiseAccumulator>();
  expect(acc.merge(huber.fromJSON(acc.toJSON())).result()).toBe(3);
  // @ts-expect-error: an accumulator has no per-example losses
  expect(() => mse.create({ reduction: 'none' })).toThrow(/must be 'mean' or 'sum'/);
  // @ts-expect-error: options are the loss's own
  expect(() => mse.create({ delta: 1 })).toThrow(/unknown option 'delta'/);
});
