// Streaming accumulators for every loss of the registry: any split into chunks (empty ones, cuts
// inside the SIMD tile, across block and scratch-chunk edges), any merge order, through JSON, on
// both builds and both dtypes, give the one-shot result; plus the state format and misuse.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import * as lib from '../../src/node.js';
import { type AccumulatorState, huber, initSync, mae, mse, SimdlossError } from '../../src/node.js';
import { type ElementwiseEntry, elementwiseOf, registryOf } from '../registry.js';

const registry = registryOf(lib);
const elementwiseRegistry = elementwiseOf(lib);

import { canonical, compatible, versionRange } from '../../src/core/stream.js';
import { VERSION } from '../../src/version.js';
import { BUILDS, DTYPES, elementwiseData, expectNear, random, uniform } from '../helpers.js';
import { expected, references } from '../reference/index.js';

type AnyLoss = any; // the registry holds losses of several option types
type FloatArray = Float32Array | Float64Array;
const F64_TOLERANCE = 1e-12;
// Elements per SIMD tile: two vectors of 4 float32 or 2 float64 (assembly/kernel/elementwise.ts).
const TILE = { f32: 8, f64: 4 };

/** The arguments of one batch, for each kind of loss the registry holds. */
const batches: Record<
  string,
  (entry: ElementwiseEntry, Ctor: Float32ArrayConstructor | Float64ArrayConstructor, n: number, seed: number) => { args: FloatArray[] }
> = {
  elementwise(entry, Ctor, n, seed) {
    const { y, p } = elementwiseData(entry, Ctor, n, random(seed));
    return { args: [y, p] };
  },
};

/**
 * Cut points of [0, n): random ones, some repeated (empty chunks), some at 1, 3, 4, 5 mod tile from
 * a tile edge, plus 0 and n themselves repeated (empty first and last chunks).
 */
function cuts(n: number, tile: number, rand: () => number): number[] {
  const at = [0, 0, n, n];
  for (let k = 0; k < 12; k++) {
    const base = Math.floor((rand() * n) / tile) * tile;
    at.push(Math.min(n, base + [1, 3, 4, 5][k % 4]!));
  }
  for (let k = 0; k < 6; k++) at.push(Math.floor(rand() * (n + 1)));
  at.push(at[5]!, at[9]!); // repeated cuts: more empty chunks
  return at.sort((a, b) => a - b);
}

/** Merges accumulators in a random tree, some of them sent through JSON text on the way. */
function mergeRandomly(loss: AnyLoss, accs: AnyLoss[], rand: () => number): AnyLoss {
  const pool = [...accs];
  while (pool.length > 1) {
    const i = Math.floor(rand() * pool.length);
    const a = pool.splice(i, 1)[0];
    const j = Math.floor(rand() * pool.length);
    const b = rand() < 0.5 ? loss.fromJSON(JSON.parse(JSON.stringify(pool[j]))) : pool[j];
    pool[j] = rand() < 0.3 ? loss.fromJSON(JSON.stringify(b.merge(a))) : b.merge(a);
  }
  return pool[0];
}

const slice = (args: FloatArray[], from: number, to: number) => args.map((a) => a.subarray(from, to));

test('every registry entry streams: create and fromJSON exist, and the tests know its kind', () => {
  for (const entry of registry) {
    expect(typeof (entry.loss as AnyLoss).create, entry.name).toBe('function');
    expect(typeof (entry.loss as AnyLoss).fromJSON, entry.name).toBe('function');
    // (Row-wise and embedding losses stream whole rows: their split and merge tests are in
    // categorical.test.ts and embedding-stream.test.ts.)
    if (entry.kind === 'elementwise')
      expect(batches[entry.kind], `no batch generator for kind '${entry.kind}' in stream.test.ts`).toBeDefined();
  }
});

test('the version written into states is package.json’s', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  expect(VERSION).toBe(pkg.version);
});

for (const build of BUILDS) {
  describe(`${build.name} build`, () => {
    beforeAll(() => {
      expect(initSync(build.bytes).simd).toBe(build.simd);
    });

    for (const entry of elementwiseRegistry) {
      const loss = entry.loss as AnyLoss;
      const ref = references[entry.name]!;
      for (const dtype of DTYPES) {
        const tol = dtype.name === 'f32' ? entry.f32Tolerance : F64_TOLERANCE;
        const tile = TILE[dtype.name];

        test(`${entry.name} ${dtype.name}: any split, any merge order, through JSON = the one-shot result`, () => {
          for (const opts of entry.cases) {
            for (const [n, seed] of [
              [0, 1],
              [1, 2],
              [13, 3],
              [67, 4],
              [5000, 5],
              [3 * 8192 + 7, 6],
            ] as const) {
              const rand = random(seed * 101);
              const { args } = batches[entry.kind]!(entry, dtype.Array, n, seed);
              const w = uniform(dtype.Array, n, [0, 2], rand);
              for (let i = 1; i < n; i += 5) w[i] = 0;
              for (const weighted of [false, true]) {
                for (const reduction of ['mean', 'sum'] as const) {
                  const at = `${JSON.stringify(opts)} n=${n} ${reduction}${weighted ? ' weighted' : ''}`;
                  const all = { ...opts, reduction, ...(weighted ? { weights: w } : {}) };
                  const oneShot = loss(...args, all);
                  const e = expected(ref, args[0]!, args[1]!, opts, weighted ? w : undefined, dtype.name === 'f32');
                  const c = cuts(n, tile, rand);
                  // One accumulator fed chunk by chunk.
                  const seq = loss.create({ ...opts, reduction });
                  // One accumulator per chunk, merged in a random tree.
                  const parts: AnyLoss[] = [];
                  for (let k = 1; k < c.length; k++) {
                    const chunk = slice(args, c[k - 1]!, c[k]!);
                    const wk = weighted ? w.subarray(c[k - 1]!, c[k]!) : undefined;
                    seq.update(...chunk, wk);
                    parts.push(loss.create({ ...opts, reduction }).update(...chunk, wk));
                  }
                  const merged = mergeRandomly(loss, parts, rand);
                  const restored = loss.fromJSON(JSON.parse(JSON.stringify(seq)));
                  for (const [how, acc] of [
                    ['sequential', seq],
                    ['merged', merged],
                    ['restored', restored],
                  ] as const) {
                    expectNear(acc.result(), oneShot, tol, `${how} vs one-shot ${at}`);
                    expectNear(acc.result(), reduction === 'mean' ? e.mean : e.sum, tol, `${how} vs reference ${at}`);
                    expect(acc.count, `${how} count ${at}`).toBe(n);
                  }
                  if (dtype.name === 'f64') expectNear(merged.result(), seq.result(), 1e-14, `merged vs sequential ${at}`);
                  // A round trip changes nothing, bit for bit.
                  expect(restored.result()).toBe(seq.result());
                  expect(restored.toJSON()).toEqual(seq.toJSON());
                }
              }
            }
          }
        });

        test(`${entry.name} ${dtype.name}: unweighted updates count as weight 1 beside weighted ones`, () => {
          const opts = entry.cases[entry.cases.length - 1]!;
          const n = 3000;
          const { args } = batches[entry.kind]!(entry, dtype.Array, n, 77);
          const w = uniform(dtype.Array, n, [0, 3], random(78));
          w.fill(1, 1000, 2000); // the middle third goes in without weights
          const acc = loss
            .create(opts)
            .update(...slice(args, 0, 1000), w.subarray(0, 1000))
            .update(...slice(args, 1000, 2000))
            .update(...slice(args, 2000, n), w.subarray(2000));
          expectNear(acc.result(), loss(...args, { ...opts, weights: w }), tol, 'mixed');
        });

        test(`${entry.name} ${dtype.name}: nothing seen, empty batches and all-zero weights give 0`, () => {
          const empty = new dtype.Array(0);
          for (const reduction of ['mean', 'sum'] as const) {
            const acc = loss.create({ reduction });
            expect(acc.result()).toBe(0);
            acc.update(empty, empty).update(empty, empty, empty);
            expect(acc.result()).toBe(0);
            expect(acc.count).toBe(0);
            const { args } = batches[entry.kind]!(entry, dtype.Array, 9, 1);
            acc.update(...args, new dtype.Array(9));
            expect(acc.result()).toBe(0);
            expect(acc.count).toBe(9);
            expect(loss.fromJSON(acc.toJSON()).result()).toBe(0);
          }
        });
      }
    }
  });
}

describe('compensated sums', () => {
  beforeAll(() => {
    initSync(BUILDS[0].bytes);
  });

  test('small batches after a huge one are not lost (a plain float64 sum would drop every one)', () => {
    const big = mse.create({ reduction: 'sum' }).update(Float64Array.of(0), Float64Array.of(2 ** 27)); // loss 2^54: ulp 4
    const parts = [big];
    for (let k = 0; k < 1000; k++) {
      const acc = mse.create({ reduction: 'sum' });
      big.update(Float64Array.of(0), Float64Array.of(1));
      parts.push(acc.update(Float64Array.of(0), Float64Array.of(1)));
    }
    expect(big.result()).toBe(2 ** 54 + 1000);
    const merged = mse.create({ reduction: 'sum' });
    for (const p of parts) merged.merge(mse.fromJSON(JSON.stringify(p)));
    expect(merged.result()).toBe(2 ** 54 + 2000);
    let naive = 2 ** 54;
    for (let k = 0; k < 1000; k++) naive += 1;
    expect(naive).toBe(2 ** 54);
  });

  test('the weight sum is compensated too, across merges', () => {
    const heavy = mse.create().update(Float64Array.of(0), Float64Array.of(1), Float64Array.of(2 ** 54));
    for (let k = 0; k < 1000; k++) heavy.merge(mse.create().update(Float64Array.of(0), Float64Array.of(2 ** 20)));
    const state = mse.fromJSON(JSON.stringify(heavy)).toJSON();
    expect((state.weightSum as number) + state.weightSumCompensation).toBe(2 ** 54 + 1000);
    expect(heavy.result()).toBe((2 ** 54 + 1000 * 2 ** 40) / (2 ** 54 + 1000));
  });

  test('Infinity and NaN losses survive updates, merges and JSON (which has no Infinity)', () => {
    const inf = mse.create().update(Float64Array.of(0, 1), Float64Array.of(Infinity, 2));
    expect(inf.result()).toBe(Infinity);
    const text = JSON.stringify(inf);
    expect(JSON.parse(text).sum).toBe('Infinity');
    const back = mse.fromJSON(text).merge(mse.create().update(Float64Array.of(1), Float64Array.of(3)));
    expect(back.result()).toBe(mse(Float64Array.of(0, 1, 1), Float64Array.of(Infinity, 2, 3)));
    const nan = mae.create({ reduction: 'sum' }).update(Float32Array.of(NaN), Float32Array.of(1));
    expect(mae.fromJSON(JSON.stringify(nan)).result()).toBeNaN();
  });

  test('an accumulator merged into itself counts its examples twice', () => {
    const acc = mse.create({ reduction: 'sum' }).update(Float64Array.of(0, 0), Float64Array.of(1, 2));
    expect(acc.merge(acc).result()).toBe(10);
    expect(acc.count).toBe(4);
  });
});

describe('options, state and misuse', () => {
  beforeAll(() => {
    initSync(BUILDS[0].bytes);
  });
  const y = Float32Array.of(1, 2, 3);
  const p = Float32Array.of(1, 4, 0);

  test('options are fixed at create, with defaults filled in; reduction none, weights and out are refused', () => {
    expect(huber.create().options).toEqual({ reduction: 'mean', delta: 1 });
    expect(huber.create({ delta: 2, reduction: 'sum' }).options).toEqual({ reduction: 'sum', delta: 2 });
    // Explicit defaults are the same options: the two merge.
    expect(huber.create().merge(huber.create({ delta: 1, reduction: 'mean' })).count).toBe(0);
    // @ts-expect-error: 'none' has no meaning for an accumulator
    expect(() => mse.create({ reduction: 'none' })).toThrow(/mse.create: opts.reduction must be 'mean' or 'sum'.*got 'none'/);
    // @ts-expect-error: weights go to update
    expect(() => mse.create({ weights: y })).toThrow(/opts.weights is not an accumulator option \(weights go with each batch/);
    // @ts-expect-error: no gradient here
    expect(() => mse.create({ out: y })).toThrow(/opts.out is not an accumulator option/);
    // @ts-expect-error: misspelt
    expect(() => huber.create({ delt: 1 })).toThrow(/unknown option 'delt'/);
    expect(() => huber.create({ delta: 0 })).toThrow(/huber.create: opts.delta must be a finite number > 0; got 0/);
    expect(() => mse.create(3 as never)).toThrow(SimdlossError);
  });

  test('update validates like the one-shot call, names weights as an argument, and a refused batch changes nothing', () => {
    const acc = mse.create().update(y, p);
    const before = acc.toJSON();
    const bad = (call: () => unknown, message: RegExp, argument: string, index?: number) => {
      try {
        call();
        expect.fail('no error');
      } catch (e) {
        expect(e).toBeInstanceOf(SimdlossError);
        expect((e as Error).message).toMatch(message);
        expect((e as SimdlossError).argument).toBe(argument);
        expect((e as SimdlossError).index).toBe(index);
      }
      expect(acc.toJSON()).toEqual(before);
    };
    bad(() => acc.update(y, Float32Array.of(1, 2)), /mse.update: target has 3 elements but pred has 2/, 'target');
    bad(
      () => acc.update(y, Float32Array.of(1, 2, 3), Float32Array.of(1, -1, 1)),
      /mse.update: weights\[1\] must be a finite number ≥ 0; got -1/,
      'weights',
      1,
    );
    bad(
      () => acc.update(y, Float32Array.of(1, 2, 3), Float64Array.of(1, 1, 1) as never),
      /weights is a Float64Array but pred is a Float32Array/,
      'weights',
    );
    const long = new Float32Array(20000);
    const w = new Float32Array(20000).fill(1);
    w[19000] = NaN; // in the third scratch chunk: the first two were already summed inside the call
    bad(() => acc.update(long, long, w), /weights\[19000\] must be a finite number ≥ 0; got NaN/, 'weights', 19000);
    bad(() => (acc.update as AnyLoss)(y, p, undefined, y), /mse.update: takes \(target, pred, weights\?\); got 4 arguments/, 'arguments');
    bad(() => acc.update([1, 2, 3] as never, p), /target must be a Float32Array or a Float64Array/, 'target');
    expect(acc.update(y, p).count).toBe(6);
  });

  test('merge refuses other losses, other options and non-accumulators', () => {
    const acc = huber.create({ delta: 2 });
    expect(() => acc.merge(mse.create())).toThrow(/huber.merge: cannot merge an accumulator of mse into one of huber/);
    expect(() => acc.merge(huber.create())).toThrow(/cannot merge accumulators with different options/);
    expect(() => acc.merge(huber.create({ delta: 2, reduction: 'sum' }))).toThrow(SimdlossError);
    expect(() => acc.merge(acc.toJSON() as never)).toThrow(/other must be an accumulator \(from create\(\) or fromJSON\(\)\); got Object/);
  });

  test('the state carries the version, the loss and its options; fromJSON checks every field', () => {
    const acc = huber.create({ delta: 0.5 }).update(y, p, Float32Array.of(1, 2, 0.5));
    const state = acc.toJSON();
    expect(state).toEqual({
      simdloss: VERSION,
      loss: 'huber',
      options: { reduction: 'mean', delta: 0.5 },
      sum: expect.any(Number),
      sumCompensation: expect.any(Number),
      weightSum: 3.5,
      weightSumCompensation: 0,
      count: 3,
    });
    expect(JSON.parse(JSON.stringify(acc))).toEqual(state);
    expect(huber.fromJSON(JSON.stringify(acc)).result()).toBe(acc.result());
    const refused = (s: unknown, message: RegExp, argument: string) => {
      try {
        huber.fromJSON(s as AccumulatorState);
        expect.fail('no error');
      } catch (e) {
        expect(e).toBeInstanceOf(SimdlossError);
        expect((e as Error).message).toMatch(message);
        expect((e as SimdlossError).argument).toBe(argument);
      }
    };
    refused(mse.create().toJSON(), /huber.fromJSON: state.loss must be 'huber'.*got 'mse'/, 'state.loss');
    refused(
      { ...state, options: { reduction: 'mean', delta: -1 } },
      /state.options.delta must be a finite number > 0; got -1/,
      'state.options.delta',
    );
    refused(
      { ...state, options: { reduction: 'none', delta: 1 } },
      /state.options.reduction must be 'mean' or 'sum'/,
      'state.options.reduction',
    );
    refused({ ...state, options: { delta: 1, beta: 2 } }, /unknown option 'beta'/, 'state.options.beta');
    refused({ ...state, options: null }, /state.options must be an object/, 'state.options');
    refused({ ...state, sum: 'lots' }, /state.sum must be a number/, 'state.sum');
    refused({ ...state, sum: null }, /state.sum must be a number.*got null/, 'state.sum');
    refused({ ...state, weightSum: -1 }, /state.weightSum must be a number ≥ 0/, 'state.weightSum');
    refused({ ...state, weightSum: 'NaN' }, /state.weightSum must be a number ≥ 0/, 'state.weightSum');
    refused({ ...state, count: 1.5 }, /state.count must be an integer ≥ 0; got 1.5/, 'state.count');
    refused({ ...state, count: 0 }, /state.count is 0 but the sums are not/, 'state.count');
    refused({ ...state, sumCompensation: 'Infinity' }, /state.sumCompensation must be a finite number/, 'state.sumCompensation');
    refused({ ...state, extra: 1 }, /unknown field state.extra/, 'state.extra');
    refused({ ...state, simdloss: undefined }, /state.simdloss must be the version string/, 'state.simdloss');
    refused({ ...state, simdloss: '99.0.0' }, /state.simdloss is '99.0.0', which this simdloss \(.*\) does not read/, 'state.simdloss');
    refused('{"sum": ', /state is a string but not JSON/, 'state');
    refused([state], /state must be an object from toJSON\(\)/, 'state');
  });

  test('version policy: a state is read within the same major version (the same minor while 0.x)', () => {
    expect(compatible('0.1.0', '0.1.0')).toBe(true);
    expect(compatible('0.1.7', '0.1.0')).toBe(true);
    expect(compatible('0.1.0', '0.1.7')).toBe(true);
    expect(compatible('0.2.0', '0.1.0')).toBe(false);
    expect(compatible('1.4.2', '1.0.0')).toBe(true);
    expect(compatible('2.0.0', '1.9.0')).toBe(false);
    expect(compatible('0.1.0-beta.1', '0.1.0')).toBe(true);
    expect(compatible('0.1', '0.1.0')).toBe(false);
    // every part a number of any width, the whole string a version and nothing around it
    expect(compatible('10.2.0', '10.0.0')).toBe(true);
    expect(compatible('0.12.3', '0.12.0')).toBe(true);
    expect(compatible('0.12.3', '0.1.0')).toBe(false);
    expect(compatible('v0.1.0', '0.1.0')).toBe(false);
    expect(compatible('0.1.0.7', '0.1.0')).toBe(false);
    expect(compatible('0.1.0 ', '0.1.0')).toBe(false);
  });

  test('options as one string: keys sorted at every depth, arrays kept in order, every JSON value', () => {
    expect(canonical({ b: 2, a: { d: null, c: [1, 'x', true, null] } })).toBe('{"a":{"c":[1,"x",true,null],"d":null},"b":2}');
    expect(canonical(null)).toBe('null');
    expect(canonical([])).toBe('[]');
    expect(canonical({})).toBe('{}');
  });

  test('the versions a message says a state is kept within', () => {
    expect(versionRange('0.1.0')).toBe('0.1.x');
    expect(versionRange('0.12.3')).toBe('0.12.x');
    expect(versionRange('1.4.2')).toBe('1.x');
    expect(versionRange('10.0.0')).toBe('10.x');
  });

  test('creating, merging, restoring and reading results need no init; reset forgets the examples', async () => {
    const acc = huber.create({ delta: 0.5 }).update(y, p);
    const state = acc.toJSON();
    const { vi } = await import('vitest');
    vi.resetModules();
    const fresh = await import('../../src/index.js'); // the browser entry: no wasm until init()
    const merged = fresh.huber.fromJSON(state).merge(fresh.huber.fromJSON(JSON.stringify(state)));
    expect(merged.result()).toBe(acc.result());
    expect(() => merged.update(y, p)).toThrow(/not initialised/);
    expect(merged.reset().count).toBe(0);
    expect(merged.result()).toBe(0);
    expect(merged.toJSON()).toEqual({ ...fresh.huber.create({ delta: 0.5 }).toJSON() });
  });
});
