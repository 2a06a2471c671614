// The golden digest: the bits of every math function's and every loss call's output over fixed
// seeded inputs (test/golden/digest.ts), on both builds, against test/golden/digest.json. The
// accuracy tests bound the error; this one notices any change at all. Elements must be the same
// bits in both builds; reduced numbers are pinned per build (each adds its lanes in its own order).
// A deliberate change of numerics runs `npm run golden:update` and commits the new digest in the
// same commit, saying why the numbers changed.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { BUILD_NAMES, type Digest, digestOf, GOLDEN, type Golden } from '../golden/digest.js';

const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Golden;

/** Keys of `pinned` whose digest differs in `actual` (missing ones included). */
const changed = (actual: Digest, pinned: Digest): string[] => Object.keys(pinned).filter((key) => actual[key] !== pinned[key]);

for (const build of BUILD_NAMES) {
  describe(`${build} build`, () => {
    const actual = digestOf(build);

    test("every element (math, 'none' losses, gradients) hashes to its pinned digest", () => {
      const differ = changed(actual.elements, golden.elements);
      expect(differ, `outputs whose bits changed (${differ.length} of ${Object.keys(golden.elements).length})`).toEqual([]);
    });

    test('every reduced loss hashes to its pinned digest', () => {
      const differ = changed(actual.reduced, golden[build]);
      expect(differ, `reductions whose bits changed (${differ.length} of ${Object.keys(golden[build]).length})`).toEqual([]);
    });

    test('the digest covers exactly the calls computed (a new loss or case is added to it)', () => {
      expect(Object.keys(actual.elements).sort()).toEqual(Object.keys(golden.elements).sort());
      expect(Object.keys(actual.reduced).sort()).toEqual(Object.keys(golden[build]).sort());
    });
  });
}
