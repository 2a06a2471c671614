// The metrics' refusals read whole: the hint for a plain array is added only for a plain array,
// and an accumulator's merge names itself.
import { expect, test } from 'vitest';
import { alloc, binaryConfusion, confusionMatrix } from '../../src/node.js';

test('a typed array of the wrong kind gets no plain-array hint', () => {
  expect(() => confusionMatrix(Float64Array.of(0, 1) as never, Float64Array.of(0, 1), { classes: 3 })).toThrow(
    /^confusionMatrix: labels must be an Int32Array \(or a WasmArray of 'i32'\); got Float64Array$/,
  );
  expect(() => binaryConfusion(Int32Array.of(0, 1), Int32Array.of(0, 1) as never)).toThrow(
    /^binaryConfusion: scores must be a Float32Array or a Float64Array \(or a WasmArray of one\); got Int32Array$/,
  );
});

test('merge names itself when given something that is not an accumulator', () => {
  const acc = binaryConfusion.create();
  expect(() => acc.merge({} as never)).toThrow(/^binaryConfusion\.merge: other must be an accumulator/);
  expect(() => acc.merge({} as never)).toThrow(expect.objectContaining({ argument: 'other' }));
  expect(() => acc.merge(confusionMatrix.create({ classes: 2 }) as never)).toThrow(expect.objectContaining({ argument: 'other' }));
  expect(() => acc.merge(confusionMatrix.create({ classes: 2 }) as never)).toThrow(
    /^binaryConfusion\.merge: cannot merge an accumulator of confusionMatrix into one of binaryConfusion$/,
  );
});

test('a target that is not an array, or a freed WasmArray, is named target', () => {
  expect(() => binaryConfusion('0,1' as never, Float64Array.of(0.2, 0.9))).toThrow(expect.objectContaining({ argument: 'target' }));
  const freed = alloc(2, 'f64');
  freed.free();
  expect(() => binaryConfusion(freed, Float64Array.of(0.2, 0.9))).toThrow(expect.objectContaining({ argument: 'target' }));
});
