// The ranking metrics' accumulators: exactly the metric of the binned scores, within their stated
// bound of the exact metric, merged in any order to the same bits, through JSON and back.
import { beforeAll, describe, expect, test } from 'vitest';
import { alloc, averagePrecision, initSync, memory, rocAuc, SimdlossError } from '../../src/node.js';
import { VERSION } from '../../src/version.js';
import { BUILDS, DTYPES, expectIdentical, expectNear, random, refusal } from '../helpers.js';
import { averagePrecisionRef, binOf, rocAucRef } from '../reference/ranking.js';

const METRICS = [
  { f: rocAuc, ref: rocAucRef },
  { f: averagePrecision, ref: averagePrecisionRef },
] as const;

/** Seeded examples: scores spread over [−0.2, 1.2] (some outside the default range), weights integers or reals. */
function data(Ctor: Float32ArrayConstructor | Float64ArrayConstructor, n: number, seed: number, weights: 'none' | 'integer' | 'real') {
  const rand = random(seed);
  const y = new Ctor(n);
  const s = new Ctor(n);
  const w = weights === 'none' ? undefined : new Ctor(n);
  for (let i = 0; i < n; i++) {
    y[i] = rand() < 0.4 ? 1 : 0;
    s[i] = rand() * 1.1 - 0.2 + 0.3 * y[i]!;
    if (w) w[i] = weights === 'integer' ? Math.floor(rand() * 4) : rand() * 2;
  }
  y[0] = 1;
  y[1] = 0;
  if (w) w[0] = w[1] = 1;
  return { y, s, w };
}

/** The scores replaced by their bins' indices: the binned scores the accumulator's result is the metric of. */
function binned(s: Float32Array | Float64Array, bins: number, range: readonly [number, number]): Float64Array {
  return Float64Array.from(s, (v) => binOf(v, bins, range));
}

beforeAll(() => {
  initSync(BUILDS[0].bytes);
});

describe('the result is exactly the metric of the binned scores', () => {
  for (const { f } of METRICS) {
    test.each(DTYPES)(`${f.name} %s`, ({ Array: A }) => {
      for (const [bins, range] of [
        [4096, [0, 1]],
        [1, [0, 1]],
        [7, [-0.1, 0.9]],
        [100_000, [-1, 2]],
      ] as const) {
        for (const weights of ['none', 'integer'] as const) {
          const { y, s, w } = data(A, 5000, bins, weights);
          const acc = f.create({ bins, range }).update(y, s, w);
          const exact = f(Float64Array.from(y), binned(s, bins, range), w ? { weights: Float64Array.from(w) } : undefined);
          expect(acc.result(), `bins ${bins} ${weights}`).toBe(exact);
          expect(acc.count).toBe(5000);
        }
      }
    });
  }
  test('out of range and infinite scores fall in the end bins', () => {
    const acc = rocAuc.create({ bins: 4 });
    // 1 (the range's top) and ∞ share the last bin with 0.8; −∞ and −3 share the first with 0.
    acc.update(Float32Array.of(1, 0, 1, 0, 0, 1), Float32Array.of(Infinity, 1, 0.8, -Infinity, -3, 0));
    // pos {last, last, first}; neg {last, first, first}: last–last ½ ×2, last–first 1 ×4, first–last 0, first–first ½ ×2: 6/9.
    expect(acc.result()).toBe(6 / 9);
  });
});

describe('errorBound() bounds the distance to the exact metric', () => {
  for (const { f } of METRICS) {
    test(`${f.name}`, () => {
      for (const bins of [1, 2, 10, 64, 4096]) {
        for (const weights of ['none', 'real'] as const) {
          for (const seed of [1, 2, 3]) {
            const { y, s, w } = data(Float64Array, 3000, seed * 31 + bins, weights);
            const acc = f.create({ bins, range: [-0.2, 1.2] }).update(y, s, w);
            const exact = f(y, s, w ? { weights: w } : undefined);
            const bound = acc.errorBound();
            expect(Math.abs(acc.result() - exact), `bins ${bins} ${weights}`).toBeLessThanOrEqual(bound + 1e-12);
            if (bins === 4096) expect(bound).toBeLessThan(f === rocAuc ? 1e-3 : 2e-2);
          }
        }
      }
    });
  }
  test('a bound that is reached: every pair in one bin', () => {
    // Positives all above negatives, one bin: exact AUC 1, binned ½, bound ½.
    const acc = rocAuc.create({ bins: 1 }).update(Float64Array.of(1, 1, 0), Float64Array.of(0.9, 0.8, 0.1));
    expect([acc.result(), acc.errorBound()]).toEqual([0.5, 0.5]);
  });
});

describe('merges: any split, any order, the same bits as one update', () => {
  for (const { f } of METRICS) {
    test.each(['none', 'integer'] as const)(`${f.name}, weights %s`, (weights) => {
      const { y, s, w } = data(Float32Array, 9001, 77, weights);
      const one = f.create().update(y, s, w);
      const rand = random(5);
      for (let trial = 0; trial < 5; trial++) {
        const cuts = [0, ...Array.from({ length: 6 }, () => Math.floor(rand() * 9001)).sort((a, b) => a - b), 9001];
        const parts = cuts.slice(1).map((end, k) => {
          const from = cuts[k]!;
          return f.create().update(y.subarray(from, end), s.subarray(from, end), w?.subarray(from, end));
        });
        for (let k = parts.length - 1; k > 0; k--) {
          const j = Math.floor(rand() * (k + 1));
          [parts[k], parts[j]] = [parts[j]!, parts[k]!];
        }
        const merged = parts.reduce((a, b) => a.merge(b), f.create());
        expect(merged.result()).toBe(one.result());
        expect(merged.count).toBe(9001);
        expect(merged.toJSON()).toEqual(one.toJSON());
      }
    });
    test(`${f.name}, real weights: within the rounding of the bin sums`, () => {
      const { y, s, w } = data(Float64Array, 9001, 78, 'real');
      const one = f.create().update(y, s, w).result();
      const a = f.create().update(y.subarray(0, 5000), s.subarray(0, 5000), w!.subarray(0, 5000));
      const b = f.create().update(y.subarray(5000), s.subarray(5000), w!.subarray(5000));
      // Each bin sum is rounded at most once per example (relative 9001ε), and the sweep is the same.
      expectNear(b.merge(a).result(), one, 9001 * 2 ** -52, 'merged');
    });
  }
  test('merge with itself doubles every bin', () => {
    const { y, s } = data(Float64Array, 100, 3, 'none');
    const acc = rocAuc.create().update(y, s);
    const twice = rocAuc.create().update(y, s).update(y, s);
    expect(acc.merge(acc).toJSON()).toEqual(twice.toJSON());
  });
  test('refused: another metric, other options, not an accumulator (whole messages, named other)', () => {
    expect(refusal(() => rocAuc.create().merge(averagePrecision.create()))).toEqual([
      'rocAuc.merge: cannot merge an accumulator of averagePrecision into one of rocAuc',
      'other',
    ]);
    expect(refusal(() => rocAuc.create().merge(rocAuc.create({ bins: 10 })))).toEqual([
      'rocAuc.merge: cannot merge accumulators with different options: {"bins":4096,"range":[0,1]} here, {"bins":10,"range":[0,1]} in other',
      'other',
    ]);
    expect(refusal(() => rocAuc.create().merge({} as never))).toEqual([
      'rocAuc.merge: other must be an accumulator (from create() or fromJSON()); got Object',
      'other',
    ]);
  });
});

describe('JSON', () => {
  test.each(METRICS.map((m) => [m.f.name, m.f] as const))('%s: round trip, as object and as text', (_, f) => {
    const { y, s, w } = data(Float64Array, 2000, 9, 'real');
    const acc = f.create({ bins: 300, range: [-0.5, 1.5] }).update(y, s, w);
    for (const state of [acc.toJSON(), JSON.stringify(acc), JSON.parse(JSON.stringify(acc))]) {
      const back = f.fromJSON(state);
      expect(back.result()).toBe(acc.result());
      expect(back.errorBound()).toBe(acc.errorBound());
      expect(back.count).toBe(2000);
      expect(back.options).toEqual({ bins: 300, range: [-0.5, 1.5] });
      expectIdentical(back.update(y, s, w).toJSON().positive, acc.update(y, s, w).toJSON().positive);
      acc.reset().update(y, s, w);
    }
  });
  test('a bin weighs its sum plus its compensation', () => {
    // bins 2: negatives of weight 1 + 1 in bin 0 and 1 in bin 1, a positive of 0.5 + 0.5 in bin 1:
    // AUC = (N₀·P₁ + ½·N₁·P₁) / (P·N) = (2 + ½) / 3
    const state = {
      simdloss: VERSION,
      loss: 'rocAuc',
      options: { bins: 2, range: [0, 1] as [number, number] },
      count: 4,
      positive: [0, 0.5],
      negative: [1, 1],
      positiveCompensation: [0, 0.5],
      negativeCompensation: [1, 0],
    };
    expectNear(rocAuc.fromJSON(state).result(), 2.5 / 3, 1e-15, 'rocAuc');
  });
  test('bad states', () => {
    const good = rocAuc.create({ bins: 2 }).update(Float64Array.of(1, 0), Float64Array.of(0.9, 0.1)).toJSON();
    const bad = (change: object, message: RegExp, argument: string) => {
      let error: unknown;
      try {
        rocAuc.fromJSON({ ...good, ...change } as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SimdlossError);
      expect((error as Error).message).toMatch(message);
      expect((error as SimdlossError).argument).toBe(argument);
    };
    bad(
      { loss: 'averagePrecision' },
      /^rocAuc.fromJSON: state.loss must be 'rocAuc' \(restore a state with the metric that wrote it\); got 'averagePrecision'$/,
      'state.loss',
    );
    bad({ simdloss: '9.0.0' }, /state.simdloss is '9.0.0', which this simdloss .* does not read/, 'state.simdloss');
    bad({ count: -1 }, /state.count must be an integer ≥ 0/, 'state.count');
    bad({ count: 0 }, /state.count is 0 but the bins are not empty/, 'state.count');
    bad({ positive: [1] }, /state.positive must be an array of 2 numbers/, 'state.positive');
    bad({ negative: [0, -1] }, /state.negative\[1\] must be a finite number ≥ 0; got -1/, 'state.negative');
    bad({ positive: [-1, 0] }, /state.positive\[0\] must be a finite number ≥ 0; got -1/, 'state.positive');
    bad(
      { positiveCompensation: [0, 'x'] },
      /state.positiveCompensation\[1\] must be a finite number; got 'x'/,
      'state.positiveCompensation',
    );
    bad({ options: { bins: 0, range: [0, 1] } }, /state.options.bins must be an integer in \[1, 1048576\]; got 0/, 'state.options.bins');
    bad({ options: { bins: 2, range: [0, 1], x: 1 } }, /unknown option 'x'/, 'state.options.x');
    bad({ extra: 1 }, /unknown field state.extra/, 'state.extra');
    for (const options of [null, [1, 2], 3]) {
      const shown = options === null ? 'null' : Array.isArray(options) ? 'Array' : '3';
      expect(refusal(() => rocAuc.fromJSON({ ...good, options } as never))).toEqual([
        `rocAuc.fromJSON: state.options must be an object of bins and range; got ${shown}`,
        'state.options',
      ]);
    }
    // weights are an unknown option of a state, not a call's option refused for accumulators
    expect(refusal(() => rocAuc.fromJSON({ ...good, options: { bins: 2, range: [0, 1], weights: 1 } } as never))).toEqual([
      "rocAuc.fromJSON: unknown option 'weights' (this loss takes: bins, range)",
      'state.options.weights',
    ]);
    expect(() => rocAuc.fromJSON('{')).toThrow(/state is a string but not JSON/);
    expect(() => rocAuc.fromJSON(3 as never)).toThrow(/state must be an object/);
  });
});

test('a plain view of wasm memory as weights, detached by the growth update() itself causes: refused by name', () => {
  const n = 8;
  const w = alloc(n, 'f32');
  const filler: ReturnType<typeof alloc>[] = [];
  const before = memory().buffer.byteLength;
  while (memory().buffer.byteLength === before) filler.push(alloc(4096));
  const grownTo = memory().buffer.byteLength;
  const view = new Float32Array(memory().buffer, w.ptr, n).fill(1);
  // 2²⁰ bins want a block of 16 MiB, more than the free list holds: update() grows memory
  const acc = rocAuc.create({ bins: 2 ** 20 });
  const y = Float32Array.of(1, 0, 1, 0, 1, 0, 1, 0);
  const s = Float32Array.from(y, (_, i) => i / 8);
  expect(refusal(() => acc.update(y, s, view))).toEqual([
    'rocAuc.update: weights has 0 elements but scores has 8 (a detached view: memory grew; take WasmArray.array again)',
    'weights',
  ]);
  expect(memory().buffer.byteLength, 'update() grew memory').toBeGreaterThan(grownTo);
  for (const f of filler) f.free();
  w.free();
});

test('update() gives its block back: repeated updates of 2²⁰ bins (a 16 MiB block) grow memory once at most', () => {
  const acc = averagePrecision.create({ bins: 2 ** 20 });
  const y = Float64Array.of(1, 0, 1);
  const s = Float64Array.of(0.75, 0.25, 0.5);
  acc.update(y, s);
  const bytes = memory().buffer.byteLength;
  for (let k = 0; k < 4; k++) acc.update(y, s);
  expect(memory().buffer.byteLength).toBe(bytes);
  expect(acc.count).toBe(15);
});

describe('create() and update() refuse bad input and change nothing', () => {
  test('options', () => {
    for (const [opts, message, argument] of [
      [{ bins: 0 }, /opts.bins must be an integer in \[1, 1048576\]; got 0/, 'opts.bins'],
      [{ bins: 2.5 }, /opts.bins must be an integer/, 'opts.bins'],
      [{ bins: 2 ** 21 }, /opts.bins must be an integer/, 'opts.bins'],
      [{ range: [1, 0] }, /opts.range must be \[lo, hi\], finite numbers with lo < hi; got \[1, 0\]/, 'opts.range'],
      [{ range: [0, Infinity] }, /opts.range must be/, 'opts.range'],
      // a width that overflows, and one so narrow that bins per unit of score overflow
      [
        { range: [-1.7e308, 1.7e308] },
        /opts.range must be \[lo, hi\], finite numbers with lo < hi; got \[-1.7e\+308, 1.7e\+308\]$/,
        'opts.range',
      ],
      [{ range: [0, 1e-310] }, /opts.range must be \[lo, hi\], finite numbers with lo < hi; got \[0, 1e-310\]$/, 'opts.range'],
      [{ range: [0, 1, 2] }, /opts.range must be/, 'opts.range'],
      [{ range: 1 }, /opts.range must be .*; got 1$/, 'opts.range'],
      [{ weights: Float64Array.of(1) }, /opts.weights is not an accumulator option/, 'opts.weights'],
      [{ reduction: 'mean' }, /unknown option 'reduction'/, 'opts.reduction'],
    ] as const) {
      let error: unknown;
      try {
        rocAuc.create(opts as never);
      } catch (e) {
        error = e;
      }
      expect((error as Error).message, JSON.stringify(opts)).toMatch(message);
      expect((error as SimdlossError).argument).toBe(argument);
    }
    expect(rocAuc.create().options).toEqual({ bins: 4096, range: [0, 1] });
    // wide, with many bins: bins · width would overflow, bins / width does not
    expect(rocAuc.create({ range: [0, 1e305] }).options).toEqual({ bins: 4096, range: [0, 1e305] });
  });
  test.each(DTYPES)('a refused batch (%s) leaves the state as it was', ({ Array: A }) => {
    const { y, s } = data(A, 9000, 4, 'none');
    const acc = averagePrecision.create().update(y, s);
    const before = acc.toJSON();
    const t = y.slice();
    t[8999] = 3;
    expect(() => acc.update(t, s)).toThrow(/^averagePrecision.update: target\[8999\] must be 0 or 1; got 3$/);
    const nan = s.slice();
    nan[8200] = Number.NaN;
    expect(() => acc.update(y, nan)).toThrow(/^averagePrecision.update: scores\[8200\] must be a number, not NaN/);
    expect(() => acc.update(y, s, new A(9000).fill(-2))).toThrow(
      /^averagePrecision.update: weights\[0\] must be a finite number ≥ 0; got -2$/,
    );
    expect(() => acc.update(y, s.subarray(1))).toThrow(/target has 9000 elements but scores has 8999/);
    expect(refusal(() => acc.update(y, s, new A(8999)))).toEqual([
      'averagePrecision.update: weights has 8999 elements but scores has 9000',
      'weights',
    ]);
    expect(acc.toJSON()).toEqual(before);
    // One class absent: result() says so (an empty accumulator too).
    expect(() => rocAuc.create().result()).toThrow(/^rocAuc: target has no positive example/);
    expect(() => rocAuc.create().update(A.of(1), A.of(0.5)).errorBound()).toThrow(/^rocAuc.errorBound: target has no negative example/);
  });
});

test('both builds give the same bits', () => {
  const states = BUILDS.map((build) => {
    initSync(build.bytes);
    const { y, s, w } = data(Float32Array, 20_000, 12, 'real');
    return [rocAuc.create().update(y, s, w).toJSON(), averagePrecision.create({ bins: 77 }).update(y, s).result()];
  });
  expect(states[1]).toEqual(states[0]);
  initSync(BUILDS[0].bytes);
});

describe('update() in wasm lanes: every batch length around a vector, scores on bin edges and range ends', () => {
  // Scores on the edges of 8 bins over [0, 1] (exact in float32), the range's ends and just inside them,
  // outside it, ±∞ and -0: each bin's sums are the float64 sums of its examples' weights, in order.
  const EDGES = [0, 1, 0.125, 0.5, 0.875, 0.999, 1e-9, -0, -0.5, 2, Infinity, -Infinity, 0.25, 0.625, 0.375];
  for (const build of BUILDS) {
    test.each(DTYPES)(`${build.name} build, %s`, ({ Array: A }) => {
      initSync(build.bytes);
      for (let n = 0; n <= 17; n++) {
        for (const weighted of [false, true]) {
          const y = A.from(Array.from({ length: n }, (_, i) => ((i * 5) % 3 === 0 ? 1 : 0)));
          const s = A.from(Array.from({ length: n }, (_, i) => EDGES[(i * 7 + n) % EDGES.length]!));
          const w = weighted ? A.from(Array.from({ length: n }, (_, i) => 0.1 + i)) : undefined;
          const positive = new Array<number>(8).fill(0);
          const negative = new Array<number>(8).fill(0);
          for (let i = 0; i < n; i++) {
            const b = binOf(s[i]!, 8, [0, 1]);
            if (y[i] === 1) positive[b]! += w ? w[i]! : 1;
            else negative[b]! += w ? w[i]! : 1;
          }
          const state = rocAuc.create({ bins: 8 }).update(y, s, w).toJSON();
          expect(state.positive, `n = ${n}, weighted ${weighted}`).toEqual(positive);
          expect(state.negative, `n = ${n}, weighted ${weighted}`).toEqual(negative);
          // A bad value in any lane: refused with its index, the first of them when two are bad.
          for (let at = 0; at < n; at++) {
            const nan = s.slice();
            nan[at] = Number.NaN;
            expect(() => rocAuc.create({ bins: 8 }).update(y, nan, w)).toThrow(new RegExp(`scores\\[${at}\\] must be a number`));
            const t = y.slice();
            t[at] = 0.5;
            if (at + 1 < n) t[at + 1] = 2;
            expect(() => rocAuc.create({ bins: 8 }).update(t, s, w)).toThrow(new RegExp(`target\\[${at}\\] must be 0 or 1`));
            const bad = new A(n).fill(1);
            bad[at] = at % 2 === 0 ? Infinity : -1;
            expect(() => rocAuc.create({ bins: 8 }).update(y, s, bad)).toThrow(new RegExp(`weights\\[${at}\\] must be a finite number`));
          }
        }
      }
      initSync(BUILDS[0].bytes);
    });
  }
});
