// `npx tsx tools/mutants/apply-stryker.ts <mutation.json> <id>`: plants one mutant of a Stryker JSON
// report in the working tree, so that a survivor can be run by hand against any test files (the
// slow sweeps Stryker's suite leaves out, or the whole suite: its per-test coverage runs only the
// tests it saw reach the mutant). Then `npm run build:ts` (a few tests load dist/), the test files,
// and `git checkout <file>` to put the source back.
//
// It refuses unless every line the mutant spans reads exactly as in the report's copy of the
// source, so a report from an older commit plants a mutant only where that code is unchanged; and
// unless the file is unmodified in git, so that restoring it cannot lose work.
//
//   npx tsx tools/mutants/apply-stryker.ts <mutation.json> --list [status]   ids, places and text
//                                                                            (status: Survived by default)
//   npx tsx tools/mutants/apply-stryker.ts <mutation.json> <id>              plant mutant <id>
import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Position {
  line: number;
  column: number;
}
interface Mutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  location: { start: Position; end: Position };
}
interface Report {
  files: Record<string, { source: string; mutants: Mutant[] }>;
}

const ROOT = realpathSync(new URL('../..', import.meta.url).pathname);
const [reportPath, arg, status = 'Survived'] = process.argv.slice(2);
if (reportPath === undefined || arg === undefined) {
  console.error('usage: tsx tools/mutants/apply-stryker.ts <mutation.json> (<id> | --list [status])');
  process.exit(2);
}
const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;

/** Offset of a report position (line and column both 1-based, the end exclusive) in `text`. */
function offsetOf(text: string, { line, column }: Position): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    at = text.indexOf('\n', at) + 1;
    if (at === 0) throw new Error(`line ${line} is past the end`);
  }
  return at + column - 1;
}

/** The whole lines a mutant spans: what must be unchanged for its location to still mean the same code. */
function linesOf(text: string, m: Mutant): string {
  return text
    .split('\n')
    .slice(m.location.start.line - 1, m.location.end.line)
    .join('\n');
}

const where = (m: Mutant) => `${m.location.start.line}:${m.location.start.column}`;

if (arg === '--list') {
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    for (const m of mutants.filter((x) => x.status === status)) {
      const original = source.slice(offsetOf(source, m.location.start), offsetOf(source, m.location.end));
      console.log(`${m.id}\t${file}:${where(m)}\t${m.mutatorName}\t${JSON.stringify(original)} → ${JSON.stringify(m.replacement)}`);
    }
  }
  process.exit(0);
}

const found = Object.entries(report.files).flatMap(([file, f]) => f.mutants.filter((m) => m.id === arg).map((m) => ({ file, f, m })));
if (found.length !== 1) {
  console.error(`mutant ${arg}: ${found.length === 0 ? 'not in the report' : 'more than one in the report'}`);
  process.exit(2);
}
const { file, f, m } = found[0]!;
if (m.replacement === undefined) {
  console.error(`mutant ${arg}: the report gives no replacement text`);
  process.exit(2);
}
const path = join(ROOT, file);
const current = readFileSync(path, 'utf8');
if (linesOf(current, m) !== linesOf(f.source, m)) {
  console.error(`mutant ${arg}: ${file}:${where(m)} changed since the report's run; not planted.`);
  console.error(`report:  ${linesOf(f.source, m)}\ncurrent: ${linesOf(current, m)}`);
  process.exit(1);
}
const dirty = spawnSync('git', ['status', '--porcelain', '--', file], { cwd: ROOT, encoding: 'utf8' });
if (dirty.status !== 0 || dirty.stdout.trim() !== '') {
  console.error(`mutant ${arg}: ${file} is modified (or git failed); commit or restore it first.`);
  process.exit(1);
}
const start = offsetOf(current, m.location.start);
const end = offsetOf(current, m.location.end);
writeFileSync(path, current.slice(0, start) + m.replacement + current.slice(end));
console.log(
  `mutant ${arg} (${m.mutatorName}) planted at ${file}:${where(m)}: ${JSON.stringify(current.slice(start, end))} → ${JSON.stringify(m.replacement)}`,
);
console.log(`restore with: git checkout -- ${file}`);
