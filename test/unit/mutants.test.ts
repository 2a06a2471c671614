// The kernel mutants of `npm run mutants:kernels` (tools/mutants/kernels.ts) still apply: each one's
// text occurs exactly once in its file, so a change that moves or rewrites kernel code shows here
// which mutants to rewrite, and each names test files that exist.
import { existsSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { mutants } from '../../tools/mutants/kernels.js';

const root = new URL('../../', import.meta.url);

test('at least 40 mutants, each with a unique id, a reason and tests', () => {
  expect(mutants.length).toBeGreaterThanOrEqual(40);
  expect(new Set(mutants.map((m) => m.id)).size).toBe(mutants.length);
  for (const m of mutants) {
    expect(m.why.length, m.id).toBeGreaterThan(0);
    expect(m.tests.length, m.id).toBeGreaterThan(0);
    expect(m.replace, m.id).not.toBe(m.find);
    for (const file of m.tests) expect(existsSync(new URL(file, root)), `${m.id}: ${file}`).toBe(true);
  }
});

test('every kernel family and the math have mutants', () => {
  const files = new Set(mutants.map((m) => m.file));
  for (const dir of ['assembly/loss/', 'assembly/kernel/', 'assembly/math/']) {
    expect(
      [...files].some((f) => f.startsWith(dir)),
      dir,
    ).toBe(true);
  }
  // A family is one file (regression.ts, embedding.ts) or a directory of them (binary/, categorical/).
  for (const family of ['regression', 'binary', 'categorical', 'embedding']) {
    expect(
      [...files].some((f) => f === `assembly/loss/${family}.ts` || f.startsWith(`assembly/loss/${family}/`)),
      family,
    ).toBe(true);
  }
});

test('no mutant is stale: its text occurs exactly once in its file', () => {
  const stale = mutants.filter((m) => {
    const path = new URL(m.file, root);
    return !existsSync(path) || readFileSync(path, 'utf8').split(m.find).length !== 2;
  });
  expect(stale.map((m) => `${m.id} (${m.file})`)).toEqual([]);
});
