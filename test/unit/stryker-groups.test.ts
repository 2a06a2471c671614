// `npm run mutate` runs Stryker group by group, each against its own test files: a source file in
// no group would never be mutated, one in two would count twice in the score, and a test path
// that does not exist would silently run fewer tests than the table says.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { GROUPS } from '../../tools/mutants/stryker-groups.js';

const root = new URL('../..', import.meta.url).pathname;

/** Stryker's `mutate` globs as used in the table: `*` within one path segment. */
const matches = (glob: string, file: string) => new RegExp(`^${glob.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`).test(file);

const sources = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
  .map((e) => relative(root, join(e.parentPath, e.name)));

test('every source file of src/ but the declarations is in exactly one group', () => {
  expect(sources.length).toBeGreaterThan(40);
  const owners = sources.map((f) => [f, GROUPS.filter((g) => g.mutate.some((glob) => matches(glob, f))).map((g) => g.name)] as const);
  expect(owners.filter(([, groups]) => groups.length !== 1)).toEqual([]);
});

test('every glob of a group matches a file, and every test file exists', () => {
  expect(GROUPS.flatMap((g) => g.mutate).filter((glob) => !sources.some((f) => matches(glob, f)))).toEqual([]);
  expect(GROUPS.flatMap((g) => g.tests).filter((t) => !existsSync(join(root, t)))).toEqual([]);
});

test('group names are unique', () => {
  const names = GROUPS.map((g) => g.name);
  expect(new Set(names).size).toBe(names.length);
});
