// `npm run golden:update`: recomputes test/golden/digest.json from both builds, whose elements must
// agree. Only for a deliberate change of numerics, committed with the change and its reason.
import { writeFileSync } from 'node:fs';
import { BUILD_NAMES, type Digest, digestOf, GOLDEN, type Golden } from './digest.js';

const sorted = (d: Digest): Digest => Object.fromEntries(Object.entries(d).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const [first, ...rest] = BUILD_NAMES.map((build) => ({ build, digest: digestOf(build) }));
for (const other of rest) {
  const keys = new Set([...Object.keys(first!.digest.elements), ...Object.keys(other.digest.elements)]);
  const differ = [...keys].filter((key) => first!.digest.elements[key] !== other.digest.elements[key]);
  if (differ.length > 0) {
    console.error(`the ${first!.build} and ${other.build} builds give different elements (nothing written):\n  ${differ.join('\n  ')}`);
    process.exit(1);
  }
}
const golden = { elements: sorted(first!.digest.elements) } as Golden;
for (const { build, digest } of [first!, ...rest]) golden[build] = sorted(digest.reduced);
writeFileSync(GOLDEN, `${JSON.stringify(golden, null, 1)}\n`);
console.log(
  `${Object.keys(golden.elements).length} element digests and ${Object.keys(golden.simd).length} reductions per build written to ${GOLDEN.pathname}`,
);
