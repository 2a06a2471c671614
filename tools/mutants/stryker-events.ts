// `npx tsx tools/mutants/stryker-events.ts <events dir> <out.json> [--incremental <rev>]`: a Stryker
// JSON report from the event recorder's per-mutant records, for a run that was stopped before
// Stryker wrote its own report at the end.
//
// Without --incremental: the part stryker-score.ts and apply-stryker.ts read. Mutants the plan holds
// but the run never got to are listed as Pending (no column of the score), those it took from an
// incremental file with their result; sources are read from the working tree, so run it on the
// checkout the run was made from.
//
// With --incremental <rev> (the commit the run was made on): an incremental file for the group's
// next run to start from (`reports/stryker/<group>/incremental.json`), so a stopped run resumes
// instead of starting over. The sources are the files as they were at <rev>, and Stryker's own
// diff against the current checkout drops the results of every mutant whose code changed since.
// A killed mutant is reused only while the test that killed it still covers it; a mutant the type
// checker rejected keeps its result (it does not depend on which tests cover it, so it is recorded
// as covered by every test of the run, which is what lets Stryker reuse it). Survivors and
// timeouts are left out, to be tested again: the tests may have changed since, and a run on a
// loaded machine can time out without the mutant being at fault. Results the run itself reused
// from an earlier incremental file (its plan's early results) are kept as well.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

interface Mutant {
  id: string;
  fileName: string;
  status?: string;
  killedBy?: string[];
  coveredBy?: string[];
  location?: { start: Position; end: Position };
}
interface Position {
  line: number;
  column: number;
}
interface DryRunTest {
  id: string;
  name: string;
  fileName: string;
}

const args = process.argv.slice(2);
const at = args.indexOf('--incremental');
const rev = at >= 0 ? args.splice(at, 2)[1] : undefined;
const [dir, out] = args;
if (dir === undefined || out === undefined || (at >= 0 && rev === undefined)) {
  console.error('usage: tsx tools/mutants/stryker-events.ts <events dir> <out.json> [--incremental <rev>]');
  process.exit(2);
}
const root = new URL('../..', import.meta.url).pathname;
const read = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
const fromOne = (l: Mutant['location']) =>
  l === undefined
    ? l
    : { start: { line: l.start.line + 1, column: l.start.column + 1 }, end: { line: l.end.line + 1, column: l.end.column + 1 } };
// a file of the checkout the run was made in, as a path in this one (the run may have been in another worktree)
const inRepo = (path: string) => {
  const own = relative(root, path);
  return own.startsWith('..') ? path.slice(Math.max(path.lastIndexOf('/src/'), path.lastIndexOf('/test/')) + 1) : own;
};
const sourceOf = (file: string) =>
  rev === undefined
    ? readFileSync(join(root, file), 'utf8')
    : execFileSync('git', ['show', `${rev}:${file}`], { cwd: root, encoding: 'utf8' });
const names = readdirSync(dir).sort();
const tested = new Map<string, Mutant>();
for (const name of names.filter((n) => n.endsWith('-onMutantTested.json'))) {
  const m = read(name) as Mutant;
  tested.set(m.id, m);
}
const plan = names.find((n) => n.endsWith('-onMutationTestingPlanReady.json'));
const plans = plan === undefined ? [] : (read(plan) as { mutantPlans: { plan: string; mutant: Mutant }[] }).mutantPlans;
// the plan holds Stryker's own locations, lines and columns from 0; the report's count from 1
const planned = plans.map((p) => ({ ...p.mutant, location: fromOne(p.mutant.location) }));
const early = planned.filter((m, i) => plans[i]!.plan === 'EarlyResult' && !tested.has(m.id));
const dryRun = names.find((n) => n.endsWith('-onDryRunCompleted.json'));
const tests: DryRunTest[] = dryRun === undefined ? [] : (read(dryRun) as { result: { tests: DryRunTest[] } }).result.tests;

const mutants =
  rev === undefined
    ? [
        ...tested.values(),
        ...early,
        ...planned.filter((p) => !tested.has(p.id) && !early.includes(p)).map((p) => ({ ...p, status: 'Pending' })),
      ]
    : [...tested.values(), ...early]
        .filter((m) => m.status === 'Killed' || m.status === 'CompileError')
        .map((m) => (m.status === 'Killed' ? m : { ...m, coveredBy: tests.map((t) => t.id) }));
const files: Record<string, { language: string; source: string; mutants: object[] }> = {};
for (const m of mutants) {
  const file = inRepo(m.fileName);
  files[file] ??= { language: 'typescript', source: sourceOf(file), mutants: [] };
  files[file].mutants.push({ ...m, fileName: undefined });
}
const testFiles: Record<string, { tests: { id: string; name: string }[] }> = {};
for (const t of rev === undefined ? [] : tests) {
  const file = inRepo(t.fileName);
  testFiles[file] ??= { tests: [] };
  testFiles[file].tests.push({ id: t.id, name: t.name });
}
writeFileSync(
  out,
  `${JSON.stringify({ schemaVersion: '2', thresholds: { high: 90, low: 80 }, files, ...(rev === undefined ? {} : { testFiles }) }, null, 1)}\n`,
);
console.log(
  `${tested.size} tested of ${Math.max(planned.length, tested.size)} planned${rev === undefined ? '' : `; ${mutants.length} kept for the next run`}`,
);
