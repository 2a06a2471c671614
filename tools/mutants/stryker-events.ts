// `npx tsx tools/mutants/stryker-events.ts <events dir> <out.json>`: a Stryker JSON report (the part
// stryker-score.ts and apply-stryker.ts read) from the event recorder's per-mutant records, for a
// run that was stopped before Stryker wrote its own report at the end. Mutants the plan holds but
// the run never got to are listed as Pending (no column of the score); sources are read from the
// working tree, so run it on the checkout the run was made from.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

interface Mutant {
  id: string;
  fileName: string;
  status?: string;
}

const [dir, out] = process.argv.slice(2);
if (dir === undefined || out === undefined) {
  console.error('usage: tsx tools/mutants/stryker-events.ts <events dir> <out.json>');
  process.exit(2);
}
const root = new URL('../..', import.meta.url).pathname;
const read = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
const names = readdirSync(dir).sort();
const tested = new Map<string, Mutant>();
for (const name of names.filter((n) => n.endsWith('-onMutantTested.json'))) {
  const m = read(name) as Mutant;
  tested.set(m.id, m);
}
const plan = names.find((n) => n.endsWith('-onMutationTestingPlanReady.json'));
const planned: Mutant[] = plan === undefined ? [] : (read(plan) as { mutantPlans: { mutant: Mutant }[] }).mutantPlans.map((p) => p.mutant);
const files: Record<string, { language: string; source: string; mutants: object[] }> = {};
for (const m of [...tested.values(), ...planned.filter((p) => !tested.has(p.id)).map((p) => ({ ...p, status: 'Pending' }))]) {
  const file = relative(root, m.fileName);
  files[file] ??= { language: 'typescript', source: readFileSync(join(root, file), 'utf8'), mutants: [] };
  files[file].mutants.push({ ...m, fileName: undefined });
}
writeFileSync(out, `${JSON.stringify({ schemaVersion: '2', thresholds: { high: 90, low: 80 }, files }, null, 1)}\n`);
console.log(`${tested.size} tested of ${Math.max(planned.length, tested.size)} planned`);
