// The metrics' refusals read whole: the hint for a plain array is added only for a plain array,
// an accumulator's merge names itself, a restored state's inconsistency is named, and an integer
// option's range ends where the contract says.
import { expect, test } from 'vitest';
import { alloc, binaryConfusion, calibration, confusionMatrix, precisionRecallF1, rocAuc } from '../../src/node.js';
import { refusal } from '../helpers.js';

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

test('a merge of other options names other', () => {
  const acc = binaryConfusion.create({ threshold: 0.25 });
  expect(() => acc.merge(binaryConfusion.create({ threshold: 0.75 }))).toThrow(expect.objectContaining({ argument: 'other' }));
});

test('a state of no examples whose compensations are not all 0 is refused whole', () => {
  const state = binaryConfusion.create().toJSON();
  const compensations = state.compensations.map((_, i) => (i === 2 ? 0.5 : 0));
  const restore = () => binaryConfusion.fromJSON({ ...state, compensations });
  expect(restore).toThrow(/^binaryConfusion\.fromJSON: state\.count is 0 but the sums are not: the state is inconsistent$/);
  expect(restore).toThrow(expect.objectContaining({ argument: 'state.count' }));
});

test('calibration takes up to 65536 bins; past that the message names the range, without "(required)"', () => {
  // p·B = 16384 and 49152: one example in each of two bins, each |accuracy − confidence| = 0.75
  const r = calibration(Int32Array.of(1, 0), Float64Array.of(0.25, 0.75), { bins: 65536 });
  expect(r.bins.count.length).toBe(65536);
  expect([r.bins.count[16384], r.bins.confidence[16384], r.bins.accuracy[16384]]).toEqual([1, 0.25, 1]);
  expect([r.bins.count[49152], r.bins.confidence[49152], r.bins.accuracy[49152]]).toEqual([1, 0.75, 0]);
  expect([r.ece, r.mce]).toEqual([0.75, 0.75]);
  expect(() => calibration(Int32Array.of(1), Float64Array.of(0.5), { bins: 65537 })).toThrow(
    /^calibration: opts\.bins must be an integer in \[1, 65536\]; got 65537$/,
  );
});

test("a restored state's refused cell names the cell and says which rule it breaks", () => {
  const state = binaryConfusion.create().update(Int32Array.of(1, 0), Float64Array.of(0.9, 0.2)).toJSON();
  const sums = state.sums.map((s, i) => (i === 1 ? -1 : s));
  expect(() => binaryConfusion.fromJSON({ ...state, sums })).toThrow(
    /^binaryConfusion\.fromJSON: state\.sums\[1\] is not a valid sum \(a number ≥ 0\); got -1$/,
  );
  const compensations = state.compensations.map((c, i) => (i === 3 ? Infinity : c));
  expect(() => binaryConfusion.fromJSON({ ...state, compensations })).toThrow(
    /^binaryConfusion\.fromJSON: state\.compensations\[3\] is not a valid compensation \(a finite number\); got Infinity$/,
  );
});

test('a matrix of counts has 1 to 4096 classes, each cell a number', () => {
  expect(() => precisionRecallF1(new Float64Array(0))).toThrow(
    /^precisionRecallF1: matrix must have C² elements for a class count C in \[1, 4096\]; got 0$/,
  );
  // zero counts score 0 everywhere (zero_division = 0); only the class count is at stake here
  expect(precisionRecallF1(new Float64Array(4096 * 4096)).f1.length).toBe(4096);
  expect(() => precisionRecallF1(new Float64Array(4097 * 4097))).toThrow(/C in \[1, 4096\]; got 16785409$/);
  expect(() => precisionRecallF1(['1', 0, 0, 0] as never)).toThrow(/^precisionRecallF1: matrix\[0\] must be a finite count ≥ 0; got '1'$/);
  expect(() => precisionRecallF1(['1', 0, 0, 0] as never)).toThrow(expect.objectContaining({ argument: 'matrix', index: 0 }));
});

test('confusionMatrix names pred, whole: freed, of the wrong length, or of another dtype than the weights', () => {
  const labels = Int32Array.of(0, 1);
  const freed = alloc(4, 'f64');
  freed.free();
  expect(refusal(() => confusionMatrix(labels, freed as never, { classes: 2 }))).toEqual([
    'confusionMatrix: pred is a WasmArray used after free()',
    'pred',
  ]);
  expect(refusal(() => confusionMatrix(labels, Int32Array.of(0, 1, 1), { classes: 2 }))).toEqual([
    'confusionMatrix: pred has 3 elements but labels has 2: expected 2 predicted labels',
    'pred',
  ]);
  expect(
    refusal(() => confusionMatrix(labels, Float64Array.of(0.5, 0.5, 0.5, 0.5), { classes: 2, weights: Float32Array.of(1, 1) })),
  ).toEqual([
    'confusionMatrix: opts.weights is a Float32Array but pred is a Float64Array: float32 and float64 cannot be mixed',
    'opts.weights',
  ]);
});

test.each([
  ['calibration', 'probs', calibration],
  ['binaryConfusion', 'scores', binaryConfusion],
] as const)('%s names %s, whole, where the target or the weights do not match them', (fn, name, metric) => {
  const call = metric as (target: unknown, scores: unknown, opts?: object) => unknown;
  const scores = Float64Array.of(0.5, 0.5);
  const mixed = (what: string) => `${fn}: ${what} is a Float32Array but ${name} is a Float64Array: float32 and float64 cannot be mixed`;
  expect(refusal(() => call(Float64Array.of(1, 0, 1), scores))).toEqual([`${fn}: target has 3 elements but ${name} has 2`, 'target']);
  expect(refusal(() => call(Float32Array.of(1, 0), scores))).toEqual([mixed('target'), 'target']);
  expect(refusal(() => call(Float64Array.of(1, 0), scores, { weights: Float32Array.of(1, 1) }))).toEqual([
    mixed('opts.weights'),
    'opts.weights',
  ]);
});

test('a view of a freed WasmArray, in any argument of a metric, is refused by that argument’s name', () => {
  // the view is an ordinary typed array to every check but the one that looks its WasmArray up
  const freedView = (values: ArrayLike<number>, dtype: 'f64' | 'i32') => {
    const a = alloc(values.length, dtype);
    a.array.set(values);
    const view = a.array;
    a.free();
    return view as never;
  };
  const f = (...v: number[]) => Float64Array.from(v);
  const i = (...v: number[]) => Int32Array.from(v);
  const cases: [string, string, () => unknown][] = [
    ['calibration', 'target', () => calibration(freedView([1, 0], 'f64'), f(0.5, 0.5))],
    ['calibration', 'probs', () => calibration(f(1, 0), freedView([0.5, 0.5], 'f64'))],
    ['calibration', 'opts.weights', () => calibration(f(1, 0), f(0.5, 0.5), { weights: freedView([1, 1], 'f64') })],
    ['confusionMatrix', 'labels', () => confusionMatrix(freedView([0, 1], 'i32'), i(0, 1), { classes: 2 })],
    ['confusionMatrix', 'pred', () => confusionMatrix(i(0, 1), freedView([0, 1], 'i32'), { classes: 2 })],
    [
      'confusionMatrix',
      'opts.weights',
      () => confusionMatrix(i(0, 1), f(0.5, 0.5, 0.5, 0.5), { classes: 2, weights: freedView([1, 1], 'f64') }),
    ],
    ['binaryConfusion', 'target', () => binaryConfusion(freedView([1, 0], 'f64'), f(0.5, 0.5))],
    ['binaryConfusion', 'scores', () => binaryConfusion(f(1, 0), freedView([0.5, 0.5], 'f64'))],
    ['binaryConfusion', 'opts.weights', () => binaryConfusion(f(1, 0), f(0.5, 0.5), { weights: freedView([1, 1], 'f64') })],
    ['rocAuc', 'target', () => rocAuc(freedView([1, 0], 'f64'), f(0.75, 0.25))],
    ['rocAuc', 'scores', () => rocAuc(f(1, 0), freedView([0.75, 0.25], 'f64'))],
    ['rocAuc', 'opts.weights', () => rocAuc(f(1, 0), f(0.75, 0.25), { weights: freedView([1, 1], 'f64') })],
  ];
  for (const [fn, name, call] of cases) {
    expect(refusal(call), `${fn} ${name}`).toEqual([
      `${fn}: ${name} is a view of a WasmArray that was freed or belongs to a replaced instance`,
      name,
    ]);
  }
});
