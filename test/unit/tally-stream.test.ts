// The counting metrics' accumulators (confusionMatrix, binaryConfusion, calibration): a batch split
// into updates, states merged in any order, and JSON round trips all give the one-shot call's
// result bit for bit where the sums are exact (integer counts; weights that are multiples of 1/8,
// whose sums float64 holds exactly at these sizes); a refused update changes nothing; a state is
// validated when restored.
import { beforeAll, describe, expect, test } from 'vitest';
import { staging } from '../../src/core/wasm.js';
import { binaryConfusion, calibration, confusionMatrix, initSync, SimdlossError } from '../../src/node.js';
import { VERSION } from '../../src/version.js';
import { BUILDS, random, uniform } from '../helpers.js';

beforeAll(() => initSync(BUILDS[0].bytes));

const N = 5000;
const rand = random(42);
const C = 7;
const labels = Int32Array.from({ length: N }, () => Math.floor(rand() * C));
const scores = uniform(Float32Array, N * C, [-2, 2], rand);
const binary = Int32Array.from(labels, (t) => t & 1);
// multiples of 2⁻¹⁰, so that Σ w·p is exact too (a score of the binary metric and a probability of calibration)
const probs = Float32Array.from({ length: N }, () => Math.floor(rand() * 1025) / 1024);
const weights = Float32Array.from({ length: N }, () => Math.floor(rand() * 32) / 8);

/** Each metric: how to make one, how a batch [a, b) updates it, and the one-shot call over everything. */
const METRICS = [
  {
    name: 'confusionMatrix',
    f: confusionMatrix,
    opts: { classes: C },
    batch: (a: number, b: number) => [labels.subarray(a, b), scores.subarray(a * C, b * C), weights.subarray(a, b)] as const,
    whole: () => confusionMatrix(labels, scores, { classes: C, weights }),
  },
  {
    name: 'binaryConfusion',
    f: binaryConfusion,
    opts: { threshold: 0.25 },
    batch: (a: number, b: number) => [binary.subarray(a, b), probs.subarray(a, b), weights.subarray(a, b)] as const,
    whole: () => binaryConfusion(binary, probs, { threshold: 0.25, weights }),
  },
  {
    name: 'calibration',
    f: calibration,
    opts: { bins: 12 },
    batch: (a: number, b: number) => [binary.subarray(a, b), probs.subarray(a, b), weights.subarray(a, b)] as const,
    whole: () => calibration(binary, probs, { bins: 12, weights }),
  },
] as const;

type Acc = { update(...a: unknown[]): Acc; merge(o: Acc): Acc; result(): unknown; reset(): Acc; toJSON(): unknown; count: number };
const create = (m: (typeof METRICS)[number]) => (m.f.create as (o: unknown) => Acc)(m.opts);
const restore = (m: (typeof METRICS)[number], state: unknown) => (m.f.fromJSON as (s: unknown) => Acc)(state);

/** 8 shard boundaries, uneven, one of them empty. */
const BOUNDS = [0, 1, 700, 700, 1901, 2500, 4097, 4999, N];

describe.each(METRICS)('$name', (m) => {
  test('updates over uneven batches = one call; a chunking of the copy path changes nothing', () => {
    const acc = create(m);
    for (let k = 0; k < 8; k++) acc.update(...m.batch(BOUNDS[k]!, BOUNDS[k + 1]!));
    expect(acc.result()).toEqual(m.whole());
    expect(acc.count).toBe(N);
    staging.limit = 3; // chunks of 3 examples: the kernel continues into the same table across chunks
    try {
      expect(
        create(m)
          .update(...m.batch(0, N))
          .result(),
      ).toEqual(m.whole());
    } finally {
      staging.limit = 0;
    }
  });

  test('8 shards merged in several orders, through JSON, a shard merged into itself = one call', () => {
    const states = BOUNDS.slice(0, 8).map((a, k) => JSON.stringify(create(m).update(...m.batch(a, BOUNDS[k + 1]!))));
    const shuffle = random(7);
    for (let trial = 0; trial < 6; trial++) {
      const order = [...states.keys()].sort(() => shuffle() - 0.5);
      const merged = create(m);
      for (const k of order) merged.merge(restore(m, states[k]!));
      expect(merged.result(), `order ${order}`).toEqual(m.whole());
      expect(merged.count).toBe(N);
      // a tree of merges, as a fleet would do it
      const pairs = order.map((k) => restore(m, states[k]!));
      while (pairs.length > 1) pairs.push(pairs.shift()!.merge(pairs.shift()!));
      expect(pairs[0]!.result()).toEqual(m.whole());
    }
    const twice = restore(m, states[3]!);
    twice.merge(twice);
    const half = restore(m, states[3]!).merge(restore(m, states[3]!));
    expect(twice.result()).toEqual(half.result());
  });

  test('JSON round trip: the same state and result; reset forgets everything', () => {
    const acc = create(m).update(...m.batch(0, 1234));
    const again = restore(m, JSON.parse(JSON.stringify(acc)));
    expect(again.toJSON()).toEqual(acc.toJSON());
    expect(again.result()).toEqual(acc.result());
    expect(restore(m, JSON.stringify(acc)).result()).toEqual(acc.result());
    acc.reset();
    expect(acc.count).toBe(0);
    expect(acc.result()).toEqual(create(m).result());
  });

  test('a refused update changes nothing; a merge of another metric or other options is refused', () => {
    const acc = create(m).update(...m.batch(0, 100));
    const before = JSON.stringify(acc);
    const [y, p, w] = m.batch(100, 200);
    const bad = Float32Array.from(w);
    bad[50] = -1;
    expect(() => acc.update(y, p, bad)).toThrow(/update: weights\[50\] must be a finite number ≥ 0/);
    expect(JSON.stringify(acc)).toBe(before);
    const other = METRICS.find((o) => o.name !== m.name)!;
    expect(() => acc.merge(create(other))).toThrow(SimdlossError);
    const key = Object.keys(m.opts)[0]!;
    expect(() => acc.merge((m.f.create as (o: unknown) => Acc)({ [key]: 3 }))).toThrow(/different options/);
    expect(() => acc.merge({} as Acc)).toThrow(/must be an accumulator/);
  });

  test('states are validated when restored', () => {
    const state = create(m)
      .update(...m.batch(0, 10))
      .toJSON() as Record<string, unknown>;
    const bad = (patch: Record<string, unknown>, argument: string) => {
      try {
        restore(m, { ...state, ...patch });
        expect.fail(`accepted ${JSON.stringify(patch)}`);
      } catch (e) {
        expect((e as SimdlossError).argument, JSON.stringify(patch)).toBe(argument);
      }
    };
    const cells = (state.sums as unknown[]).length;
    bad({ simdloss: '9.0.0' }, 'state.simdloss');
    bad({ metric: 'mse' }, 'state.metric');
    bad({ sums: new Array(cells + 1).fill(0) }, 'state.sums');
    bad({ sums: new Array(cells).fill(-1) }, 'state.sums');
    bad({ compensations: new Array(cells).fill(Number.NaN) }, 'state.compensations');
    bad({ count: -1 }, 'state.count');
    bad({ count: 0 }, 'state.count');
    bad({ extra: 1 }, 'state.extra');
    bad({ options: { ...m.opts, [Object.keys(m.opts)[0]!]: Number.NaN } }, `state.options.${Object.keys(m.opts)[0]}`);
    expect(() => restore(m, '{')).toThrow(/not JSON/);
  });
});

test("a cell keeps what its float64 sum rounds away in its compensation, in the kernel's step", () => {
  // 0.5 + 2⁵³ rounds to 2⁵³: the compensation holds the 0.5
  const acc = binaryConfusion.create().update(Int32Array.of(1, 1), Float64Array.of(1, 1), Float64Array.of(0.5, 2 ** 53));
  expect(acc.toJSON().sums[0]).toBe(2 ** 53);
  expect(acc.toJSON().compensations[0]).toBe(0.5);
});

describe('a merge adds each cell of the other state with the compensated step', () => {
  // Worked by hand in float64 (ulp 2 on [2⁵³, 2⁵⁴), 4 on [2⁵⁴, 2⁵⁵); ties round to even). Each case
  // puts its numbers in one cell, in turn each of the four, and wants every other cell left at 0.
  const state = (cell: number, sum: number, compensation: number) => {
    const sums = [0, 0, 0, 0];
    const compensations = [0, 0, 0, 0];
    sums[cell] = sum;
    compensations[cell] = compensation;
    return binaryConfusion.fromJSON({
      simdloss: VERSION,
      metric: 'binaryConfusion',
      options: { threshold: 0.5 },
      sums,
      compensations,
      count: 1,
    });
  };
  const expectCell = (acc: ReturnType<typeof state>, cell: number, sum: number | string, compensation: number) => {
    const { sums, compensations } = acc.toJSON();
    expect(sums).toEqual(sums.map((_, i) => (i === cell ? sum : 0)));
    expect(compensations).toEqual(compensations.map((_, i) => (i === cell ? compensation : 0)));
  };
  const cells = [0, 1, 2, 3];

  test.each(cells)('cell %i: the sum the larger addend; what the sum rounds away is kept', (cell) => {
    // 2⁵³ + 1 rounds to 2⁵³: the compensation gains the 1 and the cell's value is 2⁵³ + 2, exact
    const acc = state(cell, 2 ** 53, 1).merge(state(cell, 1, 0));
    expectCell(acc, cell, 2 ** 53, 2);
    expect(Object.values(acc.result())[cell]).toBe(2 ** 53 + 2);
  });

  test.each(cells)("cell %i: the other state's sum the larger addend", (cell) => {
    // 1.5 + 2⁵⁴ rounds to 2⁵⁴, and the compensation is 2⁵⁴ − 2⁵⁴ + 1.5 = 1.5; taken the other way
    // round, 1.5 − 2⁵⁴ rounds to −(2⁵⁴ − 2) and the compensation would be 2
    expectCell(state(cell, 1.5, 0).merge(state(cell, 2 ** 54, 0)), cell, 2 ** 54, 1.5);
  });

  test.each(cells)("cell %i: the other state's compensation is added too", (cell) => {
    // 2⁵³ + 2⁵³ = 2⁵⁴ exactly; then its compensation 1: 2⁵⁴ + 1 rounds to 2⁵⁴, the 1 joins this one's 1
    expectCell(state(cell, 2 ** 53, 1).merge(state(cell, 2 ** 53, 1)), cell, 2 ** 54, 2);
  });

  test.each(cells)('cell %i: a sum that overflows is Infinity, its compensation left as it was', (cell) => {
    // the step's terms would be ∞ − ∞: the compensation stays finite and the value ∞, not NaN
    const acc = state(cell, 1.7e308, 0.5).merge(state(cell, 1.7e308, 0));
    expectCell(acc, cell, 'Infinity', 0.5); // the state's JSON spells a non-finite sum out
    expect(Object.values(acc.result())[cell]).toBe(Infinity);
  });
});

test('weighted sums that overflow survive the JSON trip as Infinity', () => {
  const acc = binaryConfusion.create();
  acc.update(Int32Array.of(1, 1), Float64Array.of(1, 1), Float64Array.of(1.7e308, 1.7e308));
  const again = binaryConfusion.fromJSON(JSON.stringify(acc));
  expect(again.result().tp).toBe(Infinity);
});
