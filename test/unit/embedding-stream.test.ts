// Accumulators of the embedding losses: any split of the rows (empty batches included), any merge
// order, through JSON, gives the one-shot result (float64 within 1e-12, float32 within the entry's
// tolerance), on both builds; create() options are checked.
import { beforeAll, describe, expect, test } from 'vitest';
import * as lib from '../../src/node.js';
import { contrastive, cosineEmbedding, initSync, SimdlossError, triplet } from '../../src/node.js';
import { type EmbeddingEntry, embeddingOf } from '../registry.js';

const embeddingRegistry = embeddingOf(lib);

import { BUILDS, DTYPES, random, refusal, uniform } from '../helpers.js';

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const DIM = 5;

function data(entry: EmbeddingEntry, C: Ctor, rows: number, seed: number) {
  const rand = random(seed);
  const xs = entry.inputs.map(() => uniform(C, rows * DIM, [-1, 1], rand));
  const label = entry.labels === 'none' ? undefined : new C(rows);
  for (let r = 0; label && r < rows; r++) label[r] = entry.labels === 'sign' ? (rand() < 0.5 ? -1 : 1) : rand() < 0.5 ? 0 : 1;
  const w = uniform(C, rows, [0, 2], rand);
  return { args: [...(label ? [label] : []), ...xs], w };
}

/** Rows [from, to) of each argument. */
const slice = (args: (Float32Array | Float64Array)[], w: Float32Array | Float64Array, from: number, to: number, rows: number) => [
  ...args.map((a) => a.subarray((from * a.length) / rows, (to * a.length) / rows)),
  w.subarray(from, to),
];

for (const build of BUILDS) {
  describe(`${build.name} build`, () => {
    beforeAll(() => void initSync(build.bytes));

    for (const entry of embeddingRegistry) {
      for (const dtype of DTYPES) {
        test(`${entry.name} ${dtype.name}: chunks, merges and JSON give the one-shot result`, () => {
          const rows = 41;
          const { args, w } = data(entry, dtype.Array, rows, rows + entry.name.length);
          const loss = entry.loss as any;
          const tol = dtype.name === 'f32' ? entry.f32Tolerance : 1e-12;
          for (const opts of entry.cases) {
            for (const reduction of ['mean', 'sum'] as const) {
              const o = { ...opts, dim: DIM, reduction };
              const want = loss(...args, { ...o, weights: w });
              const rand = random(7);
              // cut points: 0, a repeated cut (an empty batch), random ones, rows
              const cuts = [0, 0, 1, 1, ...Array.from({ length: 4 }, () => Math.floor(rand() * rows)), rows].sort((a, b) => a - b);
              const parts = cuts.slice(1).map((to, i) => {
                const acc = loss.create(o);
                const [x0, x1, x2, wi] = slice(args, w, cuts[i]!, to, rows);
                return acc.update(x0, x1, x2, wi);
              });
              // merge in reverse, every other state through JSON text
              const total = loss.create(o);
              parts.reverse().forEach((p: any, i: number) => void total.merge(i % 2 ? loss.fromJSON(JSON.stringify(p)) : p));
              expect(total.count).toBe(rows);
              const got = loss.fromJSON(JSON.parse(JSON.stringify(total))).result();
              expect(Math.abs(got - want), `${JSON.stringify(o)}: ${got} vs ${want}`).toBeLessThanOrEqual(tol * Math.abs(want) + 1e-300);
            }
          }
        });
      }
    }

    test('create() requires dim, checks margins and flags, refuses none, out and weights', () => {
      expect(() => triplet.create({} as any)).toThrow(SimdlossError);
      expect(() => triplet.create({ dim: 4, margin: -1 })).toThrow(/margin/);
      expect(() => triplet.create({ dim: 4, swap: 1 } as any)).toThrow(/swap/);
      expect(() => triplet.create({ dim: 4, reduction: 'none' } as any)).toThrow(/reduction/);
      expect(() => triplet.create({ dim: 4, weights: new Float32Array(1) } as any)).toThrow(/weights/);
      expect(() => triplet.create({ dim: 4, nope: 1 } as any)).toThrow(/nope/);
      const a = triplet.create({ dim: 4 });
      expect(a.options).toEqual({ reduction: 'mean', margin: 1, dim: 4, squared: false, swap: false });
      expect(() => a.merge(triplet.create({ dim: 4, swap: true }))).toThrow(SimdlossError);
    });

    test('create() with no options, or null, is the missing opts.dim of create({})', () => {
      const want = ['triplet.create: opts.dim (values per row) is required: an integer ≥ 1; got undefined', 'opts.dim'];
      expect(refusal(() => triplet.create({} as never))).toEqual(want);
      expect(refusal(() => triplet.create(undefined as never))).toEqual(want);
      expect(refusal(() => triplet.create(null as never))).toEqual(want);
    });

    test('create() refuses weights and out, naming the arguments update() takes, and reduction none', () => {
      expect(refusal(() => triplet.create({ dim: 4, weights: new Float32Array(1) } as never))).toEqual([
        'triplet.create: opts.weights is not an accumulator option (weights go with each batch: update(anchor, positive, negative, weights))',
        'opts.weights',
      ]);
      expect(refusal(() => contrastive.create({ dim: 4, weights: new Float32Array(1) } as never))).toEqual([
        'contrastive.create: opts.weights is not an accumulator option (weights go with each batch: update(label, a, b, weights))',
        'opts.weights',
      ]);
      expect(refusal(() => triplet.create({ dim: 4, out: {} } as never))).toEqual([
        'triplet.create: opts.out is not an accumulator option (an accumulator computes no gradient)',
        'opts.out',
      ]);
      expect(refusal(() => triplet.create({ dim: 4, reduction: 'none' } as never))).toEqual([
        "triplet.create: opts.reduction must be 'mean' or 'sum': an accumulator keeps sums, not per-example losses; got 'none'",
        'opts.reduction',
      ]);
    });

    test('update() given one argument too many names the arguments it takes, the label first where there is one', () => {
      const five = Array.from({ length: 5 }, () => new Float64Array(2)) as unknown as [never, never, never];
      expect(refusal(() => triplet.create({ dim: 2 }).update(...five))).toEqual([
        'triplet.update: takes (anchor, positive, negative, weights?); got 5 arguments',
        'arguments',
      ]);
      expect(refusal(() => contrastive.create({ dim: 2 }).update(...five))).toEqual([
        'contrastive.update: takes (label, a, b, weights?); got 5 arguments',
        'arguments',
      ]);
      expect(refusal(() => cosineEmbedding.create({ dim: 2 }).update(...five))).toEqual([
        'cosineEmbedding.update: takes (label, a, b, weights?); got 5 arguments',
        'arguments',
      ]);
    });
  });
}
