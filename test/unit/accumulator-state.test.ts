// An accumulator's saved state, field by field: what fromJSON accepts (the non-finite sums JSON
// cannot hold, written as strings) and the whole message of each refusal; merge's refusals, with
// options compared whatever order their keys were given in; the version rule; update's weights
// named as the argument they are there.
import { beforeAll, describe, expect, test } from 'vitest';
import { huber, init, mae, mse, SimdlossError, sparseSoftmaxCrossEntropy } from '../../src/node.js';
import { VERSION } from '../../src/version.js';

beforeAll(async () => {
  await init();
});

/** The SimdlossError `run` throws: its whole message, .argument and .index. */
function thrown(run: () => unknown): { message: string; argument: string | undefined; index: number | undefined } {
  try {
    run();
  } catch (e) {
    if (!(e instanceof SimdlossError)) throw e;
    return { message: e.message, argument: e.argument, index: e.index };
  }
  return expect.fail('no error thrown');
}

const y = Float64Array.of(0, 1);
const p = Float64Array.of(1, 1);
// mse over (y, p): Σ l = 1 over 2 examples
const state = () => ({ ...mse.create().update(y, p).toJSON() }) as Record<string, unknown>;
const restore = (s: unknown) => mse.fromJSON(s as never);

describe('fromJSON', () => {
  test('a state or its JSON text restores the same sums', () => {
    expect(restore(state()).result()).toBe(0.5);
    expect(restore(JSON.stringify(state())).result()).toBe(0.5);
    expect(restore(state()).count).toBe(2);
  });

  test('what is not a state object', () => {
    const must = 'mse.fromJSON: state must be an object from toJSON() (or its JSON text); got';
    expect(thrown(() => restore('{'))).toEqual({
      message: "mse.fromJSON: state is a string but not JSON; got '{'",
      argument: 'state',
      index: undefined,
    });
    expect(thrown(() => restore(3))).toEqual({ message: `${must} 3`, argument: 'state', index: undefined });
    expect(thrown(() => restore(null)).message).toBe(`${must} null`);
    expect(thrown(() => restore([])).message).toBe(`${must} Array`);
    expect(thrown(() => restore('[1]')).message).toBe(`${must} Array`);
    expect(thrown(() => restore('7')).message).toBe(`${must} 7`);
  });

  test('every field is known, in the order a state has them', () => {
    expect(thrown(() => restore({ ...state(), extra: 1 }))).toEqual({
      message:
        'mse.fromJSON: unknown field state.extra (a state has: simdloss, loss, options, sum, sumCompensation, weightSum, weightSumCompensation, count)',
      argument: 'state.extra',
      index: undefined,
    });
  });

  test('the version: a string, read within the same minor while the major is 0', () => {
    expect(thrown(() => restore({ ...state(), simdloss: 1 }))).toEqual({
      message: 'mse.fromJSON: state.simdloss must be the version string of the simdloss that wrote it; got 1',
      argument: 'state.simdloss',
      index: undefined,
    });
    const [major, minor] = VERSION.split('.');
    const other = `${major}.${Number(minor) + 1}.0`;
    expect(thrown(() => restore({ ...state(), simdloss: other }))).toEqual({
      message: `mse.fromJSON: state.simdloss is '${other}', which this simdloss (${VERSION}) does not read: states are kept within ${major}.${minor}.x`,
      argument: 'state.simdloss',
      index: undefined,
    });
    expect(restore({ ...state(), simdloss: `${major}.${minor}.99` }).result()).toBe(0.5);
  });

  test('the loss and its options', () => {
    expect(thrown(() => restore({ ...state(), loss: 'mae' }))).toEqual({
      message: "mse.fromJSON: state.loss must be 'mse' (restore a state with the loss that wrote it); got 'mae'",
      argument: 'state.loss',
      index: undefined,
    });
    for (const [options, shown] of [
      [null, 'null'],
      [[], 'Array'],
      ['mean', "'mean'"],
    ] as const) {
      expect(thrown(() => restore({ ...state(), options }))).toEqual({
        message: `mse.fromJSON: state.options must be an object; got ${shown}`,
        argument: 'state.options',
        index: undefined,
      });
    }
    const h = { ...huber.create().toJSON(), options: { reduction: 'mean', delta: -1 } };
    expect(thrown(() => huber.fromJSON(h as never))).toEqual({
      message: 'huber.fromJSON: state.options.delta must be a finite number > 0; got -1',
      argument: 'state.options.delta',
      index: undefined,
    });
    expect(huber.fromJSON({ ...huber.create().toJSON(), options: { delta: 0.5, reduction: 'sum' } }).options).toEqual({
      reduction: 'sum',
      delta: 0.5,
    });
  });

  test("the sums: numbers, or 'Infinity', '-Infinity', 'NaN' as strings; the weight never negative", () => {
    const sumMust = "mse.fromJSON: state.sum must be a number (or 'Infinity', '-Infinity', 'NaN'); got";
    const weightMust = "mse.fromJSON: state.weightSum must be a number ≥ 0 (or 'Infinity'); got";
    expect(restore({ ...state(), sum: 'Infinity' }).result()).toBe(Infinity);
    expect(restore({ ...state(), sum: '-Infinity' }).result()).toBe(-Infinity);
    expect(restore({ ...state(), sum: 'NaN' }).result()).toBeNaN();
    expect(restore({ ...state(), sum: -3, sumCompensation: 0 }).result()).toBe(-1.5);
    expect(thrown(() => restore({ ...state(), sum: 'inf' }))).toEqual({
      message: `${sumMust} 'inf'`,
      argument: 'state.sum',
      index: undefined,
    });
    expect(thrown(() => restore({ ...state(), sum: '1' })).message).toBe(`${sumMust} '1'`);
    expect(thrown(() => restore({ ...state(), sum: true })).message).toBe(`${sumMust} boolean`);
    // an infinite weight: the mean of a finite sum over it is 0
    expect(restore({ ...state(), weightSum: 'Infinity' }).result()).toBe(0);
    expect(restore({ ...state(), weightSum: 0, weightSumCompensation: 0 }).result()).toBe(0);
    expect(thrown(() => restore({ ...state(), weightSum: '-Infinity' }))).toEqual({
      message: `${weightMust} '-Infinity'`,
      argument: 'state.weightSum',
      index: undefined,
    });
    expect(thrown(() => restore({ ...state(), weightSum: 'NaN' })).message).toBe(`${weightMust} 'NaN'`);
    expect(thrown(() => restore({ ...state(), weightSum: -1e-300 })).message).toBe(`${weightMust} 1e-300`.replace(' 1e', ' -1e'));
  });

  test('the compensations: finite numbers', () => {
    for (const field of ['sumCompensation', 'weightSumCompensation']) {
      for (const [value, shown] of [
        [NaN, 'NaN'],
        [Infinity, 'Infinity'],
        ['0', "'0'"],
      ] as const) {
        expect(thrown(() => restore({ ...state(), [field]: value }))).toEqual({
          message: `mse.fromJSON: state.${field} must be a finite number; got ${shown}`,
          argument: `state.${field}`,
          index: undefined,
        });
      }
    }
  });

  test('the count: a safe integer ≥ 0, and 0 only with every sum 0', () => {
    const must = 'mse.fromJSON: state.count must be an integer ≥ 0; got';
    expect(thrown(() => restore({ ...state(), count: -1 }))).toEqual({ message: `${must} -1`, argument: 'state.count', index: undefined });
    expect(thrown(() => restore({ ...state(), count: 2 ** 53 })).message).toBe(`${must} 9007199254740992`);
    expect(thrown(() => restore({ ...state(), count: '2' })).message).toBe(`${must} '2'`);
    expect(restore({ ...state(), count: 2 ** 53 - 1 }).count).toBe(2 ** 53 - 1);
    const empty = { ...mse.create().toJSON() } as Record<string, unknown>;
    expect(restore(empty).result()).toBe(0);
    const inconsistent = 'mse.fromJSON: state.count is 0 but the sums are not: the state is inconsistent';
    for (const field of ['sum', 'weightSum', 'sumCompensation', 'weightSumCompensation']) {
      expect(thrown(() => restore({ ...empty, [field]: 1e-300 }))).toEqual({
        message: inconsistent,
        argument: 'state.count',
        index: undefined,
      });
    }
  });
});

describe('toJSON', () => {
  test('non-finite sums as strings, finite ones as numbers, through JSON and back', () => {
    const inf = mse.create().update(Float64Array.of(0), Float64Array.of(Infinity));
    expect(inf.toJSON().sum).toBe('Infinity');
    expect(inf.toJSON().weightSum).toBe(1);
    expect(inf.toJSON().simdloss).toBe(VERSION);
    expect(inf.toJSON().loss).toBe('mse');
    // two weights of 1e308 overflow their float64 sum
    const weighted = mse.create().update(Float64Array.of(0, 0), Float64Array.of(1, 1), Float64Array.of(1e308, 1e308));
    expect(weighted.toJSON().weightSum).toBe('Infinity');
    expect(weighted.toJSON().sum).toBe('Infinity');
    const nan = mse.create().update(Float64Array.of(0), Float64Array.of(NaN));
    expect(nan.toJSON().sum).toBe('NaN');
    expect(mse.fromJSON(JSON.stringify(nan)).result()).toBeNaN();
    // (−∞ − 0)² is +∞: a sum of −∞ only comes from a state
    const negative = restore({ ...state(), sum: '-Infinity' });
    expect(negative.toJSON().sum).toBe('-Infinity');
    expect(mse.fromJSON(JSON.stringify(negative)).result()).toBe(-Infinity);
  });
});

describe('merge', () => {
  test('refuses what is not an accumulator of the same loss and options', () => {
    const acc = mse.create();
    expect(thrown(() => acc.merge({} as never))).toEqual({
      message: 'mse.merge: other must be an accumulator (from create() or fromJSON()); got Object',
      argument: 'other',
      index: undefined,
    });
    expect(thrown(() => acc.merge(mae.create()))).toEqual({
      message: 'mse.merge: cannot merge an accumulator of mae into one of mse',
      argument: 'other',
      index: undefined,
    });
    expect(thrown(() => huber.create({ delta: 1 }).merge(huber.create({ delta: 2, reduction: 'sum' })))).toEqual({
      message:
        'huber.merge: cannot merge accumulators with different options: {"delta":1,"reduction":"mean"} here, {"delta":2,"reduction":"sum"} in other',
      argument: 'other',
      index: undefined,
    });
  });

  test('options are equal whatever order their keys come in; arrays compared element by element', () => {
    const a = huber.create({ delta: 2, reduction: 'sum' }).update(y, p);
    const b = huber.fromJSON({ ...huber.create().toJSON(), options: { reduction: 'sum', delta: 2 } });
    // huber with δ = 2 at |p − y| = 1: ½·1² = 0.5
    expect(b.merge(a).result()).toBe(0.5);
    const labels = Int32Array.of(0);
    const logits = Float64Array.of(0, 0);
    const weighted = (classWeights: number[]) =>
      sparseSoftmaxCrossEntropy.create({ classes: 2, classWeights: Float64Array.from(classWeights) } as never);
    expect(weighted([1, 2]).merge(weighted([1, 2]).update(labels, logits)).count).toBe(1);
    expect(thrown(() => weighted([1, 2]).merge(weighted([2, 1]))).message).toMatch(
      /: \{"classWeights":\[1,2\],"classes":2,.*\} here, \{"classWeights":\[2,1\],"classes":2,.*\} in other$/,
    );
  });

  test('merging an accumulator into itself doubles it', () => {
    const acc = mse.create({ reduction: 'sum' }).update(y, p);
    expect(acc.merge(acc).result()).toBe(2);
    expect(acc.count).toBe(4);
  });

  test('the compensations are merged too: the sums are exact across a merge', () => {
    // 2⁵³ + 1 + 1 in float64: plain addition loses both ones (ties to even), compensated addition keeps them
    const big = mse.fromJSON({ ...mse.create({ reduction: 'sum' }).toJSON(), sum: 2 ** 53, weightSum: 1, count: 1 });
    const one = mse.create({ reduction: 'sum' }).update(Float64Array.of(0), Float64Array.of(1));
    expect(2 ** 53 + 1 + 1).toBe(2 ** 53);
    expect(big.merge(one).merge(one).result()).toBe(2 ** 53 + 2);
    expect(mse.fromJSON(JSON.stringify(big)).result()).toBe(2 ** 53 + 2);
  });
});

describe('compensation', () => {
  test('the part of a sum that rounding drops is kept, whichever addend is the larger', () => {
    // 1 + 2⁵⁴ rounds to 2⁵⁴ (ties to even): the 1 must go to the compensation in either order
    const one = [Float64Array.of(0), Float64Array.of(1)] as const;
    const huge = [Float64Array.of(0), Float64Array.of(2 ** 27)] as const;
    const smallFirst = mse
      .create({ reduction: 'sum' })
      .update(...one)
      .update(...huge);
    expect(smallFirst.toJSON()).toMatchObject({ sum: 2 ** 54, sumCompensation: 1, count: 2 });
    const largeFirst = mse
      .create({ reduction: 'sum' })
      .update(...huge)
      .update(...one);
    expect(largeFirst.toJSON()).toMatchObject({ sum: 2 ** 54, sumCompensation: 1, count: 2 });
    // the weights too: 1 then 2⁵⁴
    const weighted = mse
      .create()
      .update(...one, Float64Array.of(1))
      .update(...one, Float64Array.of(2 ** 54));
    expect(weighted.toJSON()).toMatchObject({ weightSum: 2 ** 54, weightSumCompensation: 1 });
  });
});

describe('update', () => {
  test("weights are named as update's argument, other arguments as they are", () => {
    expect(thrown(() => mse.create().update(y, p, Float64Array.of(1, -1)))).toEqual({
      message: 'mse.update: weights[1] must be a finite number ≥ 0; got -1',
      argument: 'weights',
      index: 1,
    });
    expect(thrown(() => mse.create().update(y, Float64Array.of(1)))).toEqual({
      message: 'mse.update: target has 2 elements but pred has 1',
      argument: 'target',
      index: undefined,
    });
  });

  test('reset forgets the examples and keeps the options', () => {
    const acc = huber.create({ delta: 2, reduction: 'sum' }).update(y, p);
    acc.reset();
    expect(acc.count).toBe(0);
    expect(acc.result()).toBe(0);
    expect(acc.toJSON()).toMatchObject({ sum: 0, sumCompensation: 0, weightSum: 0, weightSumCompensation: 0, count: 0 });
    expect(acc.options).toEqual({ reduction: 'sum', delta: 2 });
  });
});
