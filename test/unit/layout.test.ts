// The test folders are the kinds that `npm run test:unit`, `test:property` and `test:runtime` run:
// a test file outside them runs only in `npm test`, and a unit file that starts a process or a
// browser makes the fast run slow. Benchmarks, tools and examples share the support code of test/,
// never a test file (importing one would register its tests in a script that is not a test run).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const KINDS = ['unit', 'property', 'runtime'];

/** Every file under `dir` (relative to the repository), node_modules left out. */
function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .filter((f) => !f.split('/').includes('node_modules'));
}

const isTest = (f: string) => /\.test\.[cm]?[jt]s$/.test(f);

test('every test file is in test/unit, test/property or test/runtime', () => {
  const tests = filesUnder('test').filter(isTest);
  expect(tests.length).toBeGreaterThan(0);
  expect(tests.filter((f) => !KINDS.includes(f.split('/')[1]!))).toEqual([]);
});

test('no unit test file starts a child process or a browser', () => {
  const spawns = /from\s+'(node:child_process|node:worker_threads|playwright-core|puppeteer-core)'/;
  const units = filesUnder('test/unit').filter(isTest);
  expect(units).toContain('test/unit/layout.test.ts');
  expect(units.filter((f) => spawns.test(readFileSync(join(root, f), 'utf8')))).toEqual([]);
});

test('nothing in bench/, tools/ or examples/ imports a test file', () => {
  const importsTest = /(?:from\s+|import\()'[^']*\.test(?:\.[cm]?[jt]s)?'/;
  const sources = ['bench', 'tools', 'examples'].flatMap(filesUnder).filter((f) => /\.[cm]?[jt]s$/.test(f));
  expect(sources).toContain('tools/fuzz.ts');
  expect(sources.filter((f) => importsTest.test(readFileSync(join(root, f), 'utf8')))).toEqual([]);
});
