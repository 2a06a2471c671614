// Merging an accumulator that carries compensation (its sums hold more than a float64 can): into
// an empty one, in the middle of others, after a JSON round trip, and as a tree of many small
// ones. Each compensation term is lost on its own by a merge that drops it, so each is pinned.
// The numbers are integers chosen so that every exact sum is a float64 and every expected value
// is one division of exact operands (correctly rounded, hence the same as any exact computation).
import { beforeAll, describe, expect, test } from 'vitest';
import { initSync, mse } from '../../src/node.js';
import { BUILDS } from '../helpers.js';

const one = (x: number) => Float64Array.of(x);

/**
 * Σwl = 2⁵⁶ + 1008 and Σw = 2⁵⁴ + 1012, each 1008 units past where a float64 sum stops moving
 * (the ulp is 16 and 4 there): an example of loss 2⁵⁴ with weight 4, one of loss 0 with weight
 * 2⁵⁴, then 1008 of loss 1, weight 1.
 */
function heavy() {
  const acc = mse
    .create()
    .update(one(0), one(2 ** 27), one(4))
    .update(one(0), one(0), one(2 ** 54));
  for (let k = 0; k < 1008; k++) acc.update(one(0), one(1), one(1));
  return acc;
}
const SUM = 2 ** 56 + 1008;
const WEIGHT = 2 ** 54 + 1012;

for (const build of BUILDS) {
  describe(`${build.name} build`, () => {
    beforeAll(() => {
      expect(initSync(build.bytes).simd).toBe(build.simd);
    });

    test('the heavy accumulator holds both sums exactly (a plain float64 sum would drop all 1008)', () => {
      let plain = 2 ** 56;
      for (let k = 0; k < 1008; k++) plain += 1;
      expect(plain).toBe(2 ** 56);
      const state = heavy().toJSON();
      expect(state.sumCompensation).not.toBe(0);
      expect(state.weightSumCompensation).not.toBe(0);
      expect((state.sum as number) + state.sumCompensation).toBe(SUM);
      expect((state.weightSum as number) + state.weightSumCompensation).toBe(WEIGHT);
      expect(heavy().result()).toBe(SUM / WEIGHT);
    });

    test('merged into an empty accumulator, both compensations come along', () => {
      const merged = mse.create().merge(heavy());
      expect(merged.result()).toBe(SUM / WEIGHT);
      expect(merged.count).toBe(1010);
      const state = merged.toJSON();
      expect((state.sum as number) + state.sumCompensation).toBe(SUM);
      expect((state.weightSum as number) + state.weightSumCompensation).toBe(WEIGHT);
      // 'sum' reduction: the loss sum alone
      const sums = mse.create({ reduction: 'sum' });
      const h = mse
        .create({ reduction: 'sum' })
        .update(one(0), one(2 ** 27), one(4))
        .update(one(0), one(0), one(2 ** 54));
      for (let k = 0; k < 1008; k++) h.update(one(0), one(1), one(1));
      expect(sums.merge(h).result()).toBe(SUM);
    });

    test('after a JSON round trip, merged into an empty accumulator and into a used one', () => {
      const restored = mse.fromJSON(JSON.stringify(heavy()));
      expect(restored.result()).toBe(SUM / WEIGHT);
      expect(mse.create().merge(restored).result()).toBe(SUM / WEIGHT);
      expect(mse.create().merge(mse.fromJSON(heavy().toJSON())).result()).toBe(SUM / WEIGHT);
      // one more example (loss 4, weight 4) before and one after: exact sums 2⁵⁶ + 1040, 2⁵⁴ + 1020
      const used = mse.create().update(one(0), one(2), one(4)).merge(restored).update(one(0), one(2), one(4));
      expect(used.result()).toBe((2 ** 56 + 1040) / (2 ** 54 + 1020));
    });

    test('a tree of merges: 1008 one-example accumulators and the two big examples give the one-shot sums', () => {
      const leaves = Array.from({ length: 1008 }, () => mse.create().update(one(0), one(1), one(1)));
      // pairwise, so that inner nodes carry compensation into nodes that have their own
      let level = [mse.create().update(one(0), one(2 ** 27), one(4)), mse.create().update(one(0), one(0), one(2 ** 54)), ...leaves];
      while (level.length > 1) {
        const next = [];
        for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? level[i]!.merge(level[i + 1]!) : level[i]!);
        level = next;
      }
      expect(level[0]!.count).toBe(1010);
      expect(level[0]!.result()).toBe(SUM / WEIGHT);
      // and in the reverse order, the heavy ones last
      const reverse = mse.create();
      for (const leaf of Array.from({ length: 1008 }, () => mse.create().update(one(0), one(1), one(1)))) reverse.merge(leaf);
      reverse.merge(mse.create().update(one(0), one(2 ** 27), one(4))).merge(mse.create().update(one(0), one(0), one(2 ** 54)));
      expect(reverse.result()).toBe(SUM / WEIGHT);
    });
  });
}
