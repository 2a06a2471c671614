// `npm run mutate [-- <group>…]`: Stryker on the groups of tools/mutants/stryker-groups.ts (all by
// default), one after the other, each against its own test set (STRYKER_TESTS), then one score over
// every group's report with stryker-score.ts. Each group keeps its own files under
// reports/stryker/<group>/: the config it ran with, its incremental file (a re-run on the same
// checkout re-tests only what changed), mutation.json and .html, and events/, the event recorder's
// per-mutant results, which survive a stopped run (the JSON report is written only at its end).
// Groups use their own sandbox directory, so two can run side by side in two shells.
//   npm run mutate                      every group
//   npm run mutate -- metric ranking    those groups
//   npm run mutate -- --list            the groups, their files and tests
//   npm run mutate -- --score           only the score over the reports already there
//   npm run mutate -- embedding --mutate src/core/embedding.ts:191-281
//                                       one group, on part of its files (Stryker's file:from-to
//                                       ranges): the rest of a run that stopped with no events kept
//   npm run mutate -- core --mutate src/core/overlap.ts --without test/unit/faults.test.ts
//                                       without some of the group's test files: a survivor reruns
//                                       every test that covers it, and one slow file can be most of
//                                       that; the survivors are then planted against the files left out
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GROUPS, type StrykerGroup } from './stryker-groups.js';

const root = new URL('../..', import.meta.url).pathname;
const args = process.argv.slice(2);
const at = args.indexOf('--mutate');
const only = at >= 0 ? args.splice(at, 2)[1]?.split(',') : undefined;
const skip = args.indexOf('--without');
const without = skip >= 0 ? (args.splice(skip, 2)[1]?.split(',') ?? []) : [];

function configOf(group: StrykerGroup, dir: string): Record<string, unknown> {
  const { $schema: _, ...base } = JSON.parse(readFileSync(join(root, 'stryker.config.json'), 'utf8')) as Record<string, unknown>;
  return {
    ...base,
    mutate: only ?? group.mutate,
    incrementalFile: join(dir, 'incremental.json'),
    reporters: [...new Set([...(base.reporters as string[]), 'event-recorder'])],
    eventReporter: { baseDir: join(dir, 'events') },
    jsonReporter: { fileName: join(dir, 'mutation.json') },
    htmlReporter: { fileName: join(dir, 'mutation.html') },
    tempDirName: `.stryker-tmp-${group.name}`,
    // another group's sandbox and reports, when two run side by side, are not part of the project (a
    // file that the other run removes while this one copies the tree stops it)
    ignorePatterns: [...((base.ignorePatterns as string[] | undefined) ?? []), '/.stryker-tmp*', '/reports'],
  };
}

function run(group: StrykerGroup): number {
  const dir = join('reports', 'stryker', group.name);
  mkdirSync(join(root, dir), { recursive: true });
  const config = join(dir, 'config.json');
  writeFileSync(join(root, config), `${JSON.stringify(configOf(group, dir), null, 2)}\n`);
  const tests = group.tests.filter((t) => !without.includes(t));
  const strays = without.filter((t) => !group.tests.includes(t));
  if (strays.length > 0) {
    console.error(`--without: not among ${group.name}'s tests: ${strays.join(', ')}`);
    return 2;
  }
  console.log(`\n== ${group.name}: ${(only ?? group.mutate).join(' ')}\n   against ${tests.join(' ')}`);
  const started = Date.now();
  const r = spawnSync('npx', ['stryker', 'run', config], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, STRYKER_TESTS: tests.join(',') },
  });
  console.log(`== ${group.name}: exit ${r.status}, ${((Date.now() - started) / 60_000).toFixed(1)} min`);
  return r.status ?? 1;
}

function score(): number {
  const reports = GROUPS.map((g) => join('reports', 'stryker', g.name, 'mutation.json')).filter((p) => existsSync(join(root, p)));
  if (reports.length === 0) return 0;
  return spawnSync('npx', ['tsx', 'tools/mutants/stryker-score.ts', ...reports], { cwd: root, stdio: 'inherit' }).status ?? 1;
}

if (args.includes('--list')) {
  for (const g of GROUPS) console.log(`${g.name}\n  mutate: ${g.mutate.join(' ')}\n  tests:  ${g.tests.join(' ')}`);
} else if (args.includes('--score')) {
  process.exitCode = score();
} else {
  const unknown = args.filter((a) => !GROUPS.some((g) => g.name === a));
  if (unknown.length > 0) {
    console.error(`unknown group(s): ${unknown.join(', ')}; groups: ${GROUPS.map((g) => g.name).join(', ')}`);
    process.exit(2);
  }
  const chosen = args.length === 0 ? GROUPS : GROUPS.filter((g) => args.includes(g.name));
  if (only !== undefined && (chosen.length !== 1 || only.length === 0)) {
    console.error('--mutate takes one group and a comma-separated list of files or file:from-to ranges');
    process.exit(2);
  }
  let failed = 0;
  for (const g of chosen) if (run(g) !== 0) failed++;
  process.exitCode = failed > 0 ? 1 : score();
}
