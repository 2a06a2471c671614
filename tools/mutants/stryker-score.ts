// `npx tsx tools/mutants/stryker-score.ts reports/mutation-*.json`: one mutation score over Stryker
// JSON reports of runs on different groups of files (`--mutate` per group). A file in several
// reports counts from the last one given. Prints, per file and in all: killed, timeout, survived,
// no coverage, ignored, rejected by the type checker, and the score as Stryker computes it:
// (killed + timeout) / (killed + timeout + survived + no coverage).
import { readFileSync } from 'node:fs';

type Status = 'Killed' | 'Timeout' | 'Survived' | 'NoCoverage' | 'Ignored' | 'CompileError' | 'RuntimeError' | 'Pending';
interface Report {
  files: Record<string, { mutants: { status: Status }[] }>;
}

const COLUMNS = ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'Ignored', 'CompileError', 'RuntimeError'] as const;

const paths = process.argv.slice(2);
if (paths.length === 0) {
  console.error('usage: tsx tools/mutants/stryker-score.ts <mutation.json>…');
  process.exit(2);
}

const byFile = new Map<string, Record<string, number>>();
for (const path of paths) {
  const report = JSON.parse(readFileSync(path, 'utf8')) as Report;
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const counts: Record<string, number> = Object.fromEntries(COLUMNS.map((c) => [c, 0]));
    for (const m of mutants) counts[m.status] = (counts[m.status] ?? 0) + 1;
    byFile.set(file, counts);
  }
}

const score = (c: Record<string, number>): string => {
  const detected = c.Killed! + c.Timeout!;
  const valid = detected + c.Survived! + c.NoCoverage!;
  return valid === 0 ? '—' : `${((100 * detected) / valid).toFixed(1)}%`;
};

const total: Record<string, number> = Object.fromEntries(COLUMNS.map((c) => [c, 0]));
const rows = [['file', ...COLUMNS, 'score']];
for (const [file, counts] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
  for (const c of COLUMNS) total[c]! += counts[c]!;
  rows.push([file, ...COLUMNS.map((c) => String(counts[c])), score(counts)]);
}
rows.push(['all', ...COLUMNS.map((c) => String(total[c])), score(total)]);
const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)));
for (const r of rows) console.log(r.map((x, j) => (j === 0 ? x.padEnd(widths[j]!) : x.padStart(widths[j]!))).join('  '));
