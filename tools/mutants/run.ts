// `npm run mutants:kernels`: plants each kernel mutant of tools/mutants/kernels.ts, one at a time,
// in a scratch copy of the repository, rebuilds the wasm there and runs the mutant's test files
// with CI's fixed seeds. Killed: a test failed. Survived: every test passed, and then the golden
// digest (test/unit/golden.test.ts) is run too, to tell a change that no behavioural test notices from
// one that changes nothing at all. Stale: the text to find is not in the file exactly once (the
// code moved: rewrite the mutant). Exit status 1 unless every mutant is killed or documented as
// equivalent.
//
// Faster, not weaker: the build's targets compile side by side (the audit build only for a mutant
// in assembly/math), and the mutant's test files first run only the tests named by its filter (by
// default the losses its file exports): most mutants die there. Where those pass, the whole files
// run, so the filter never lets a mutant survive.
//
//   npm run mutants:kernels                 every mutant
//   npm run mutants:kernels -- --check      only the stale check (no builds, seconds)
//   npm run mutants:kernels -- id1 id2 …    the named mutants
//   --from <id>                             the mutants from <id> on, in list order
//   --skip-baseline                         no test run of the unmutated tree first (when another
//                                           run has just checked the same tree: a second worker)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Mutant, mutants } from './kernels.js';

const ROOT = realpathSync(new URL('../..', import.meta.url).pathname);
const SEEDS = { FC_SEED: '20261201', FUZZ_SEED: '20261201' };
const GOLDEN = 'test/unit/golden.test.ts';
/** What a scratch copy needs to build and test (node_modules is linked, not copied). */
const COPIED = ['assembly', 'src', 'test', 'package.json', 'asconfig.json', 'tsconfig.json', 'tsconfig.build.json', 'vitest.config.ts'];

type Status = 'killed' | 'survived' | 'equivalent' | 'stale' | 'build error' | 'killed, marked equivalent';
interface Outcome {
  id: string;
  family: string;
  status: Status;
  seconds: number;
  buildSeconds: number;
  by?: string;
}

const familyOf = (m: Mutant) => m.file.replace(/^assembly\//, '').replace(/\.ts$/, '');
const occurrences = (text: string, find: string) => text.split(find).length - 1;

function stale(m: Mutant, root: string): boolean {
  try {
    return occurrences(readFileSync(join(root, m.file), 'utf8'), m.find) !== 1;
  } catch {
    return true;
  }
}

function run(cmd: string, args: string[], cwd: string): { ok: boolean; output: string } {
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...SEEDS }, encoding: 'utf8', maxBuffer: 1 << 28, timeout: 30 * 60_000 });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** The first failing test's name in vitest's output, for the report. */
function firstFailure(output: string): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape that starts a terminal colour code
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  return /FAIL\s+(.+)/.exec(plain)?.[1]?.trim().slice(0, 160);
}

function runAsync(command: string, cwd: string): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], {
      cwd,
      env: { ...process.env, ...SEEDS, PATH: `${cwd}/node_modules/.bin:${process.env.PATH}` },
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('close', (code) => resolve({ ok: code === 0, output }));
  });
}

/** The commands of package.json's build scripts (`a && b`), each target compiled on its own. */
function buildCommands(cwd: string, math: boolean): string[] {
  const scripts = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')).scripts as Record<string, string>;
  return (math ? ['build:wasm', 'build:audit'] : ['build:wasm']).flatMap((name) => scripts[name]!.split(' && '));
}

/** The wasm (and with `math`, the audit build) of the tree as it is: the targets side by side. */
async function buildAll(cwd: string, math: boolean): Promise<{ ok: boolean; output: string }> {
  const results = await Promise.all(buildCommands(cwd, math).map((c) => runAsync(c, cwd)));
  return { ok: results.every((r) => r.ok), output: results.map((r) => r.output).join('') };
}

function vitest(cwd: string, files: string[], filter?: string): { ok: boolean; output: string } {
  const only = filter === undefined ? [] : ['-t', filter, '--passWithNoTests'];
  return run('npx', ['vitest', 'run', '--bail=1', ...only, ...files], cwd);
}

/** The tests to try first: the mutant's own filter, or the losses its file exports (`<name>_f32`). */
function filterOf(m: Mutant, root: string): string | undefined {
  if (m.filter !== undefined) return m.filter;
  const names = [...readFileSync(join(root, m.file), 'utf8').matchAll(/export function (\w+)_f32\(/g)].map((x) => x[1]);
  return names.length > 0 ? names.join('|') : undefined;
}

/** The audit build's files, to put back after a mutant of assembly/math changed them. */
function auditFiles(cwd: string): Map<string, Buffer> {
  const dir = join(cwd, 'build');
  return new Map(
    readdirSync(dir)
      .filter((f) => f.startsWith('audit-'))
      .map((f) => [join(dir, f), readFileSync(join(dir, f))]),
  );
}

const argv = process.argv.slice(2);
const checkOnly = argv.includes('--check');
const skipBaseline = argv.includes('--skip-baseline');
const fromIndex = argv.indexOf('--from');
const from = fromIndex >= 0 ? argv[fromIndex + 1] : undefined;
const chosen = argv.filter((a, i) => !a.startsWith('--') && (fromIndex < 0 || i !== fromIndex + 1));
let list = chosen.length > 0 ? mutants.filter((m) => chosen.includes(m.id)) : mutants;
if (from !== undefined)
  list = list.slice(
    Math.max(
      0,
      list.findIndex((m) => m.id === from),
    ),
  );
const unknown = [...chosen, ...(from === undefined ? [] : [from])].filter((id) => !mutants.some((m) => m.id === id));
if (unknown.length > 0) {
  console.error(`unknown mutants: ${unknown.join(', ')}`);
  process.exit(2);
}
const duplicate = mutants.find((m, i) => mutants.findIndex((o) => o.id === m.id) !== i);
if (duplicate) {
  console.error(`two mutants are named ${duplicate.id}`);
  process.exit(2);
}

const staleOnes = list.filter((m) => stale(m, ROOT));
if (checkOnly) {
  for (const m of staleOnes) console.log(`STALE ${m.id}: ${m.file} does not hold its text exactly once`);
  console.log(`${list.length - staleOnes.length} of ${list.length} mutants apply`);
  process.exit(staleOnes.length > 0 ? 1 : 0);
}

const scratch = mkdtempSync(join(tmpdir(), 'simdloss-mutants-'));
const started = Date.now();
const outcomes: Outcome[] = [];
try {
  for (const entry of COPIED) cpSync(join(ROOT, entry), join(scratch, entry), { recursive: true });
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(scratch, 'node_modules'));
  // The unmutated tree must build and pass every listed test file, or a "kill" would mean nothing.
  const base = await buildAll(scratch, true);
  if (!base.ok) throw new Error(`the unmutated tree does not build:\n${base.output}`);
  const audit = auditFiles(scratch);
  if (!skipBaseline) {
    const allFiles = [...new Set(list.flatMap((m) => m.tests))];
    const baseline = vitest(scratch, [...allFiles, GOLDEN]);
    if (!baseline.ok)
      throw new Error(`the unmutated tree fails its tests (${firstFailure(baseline.output)}):\n${baseline.output.slice(-4000)}`);
    console.log(`baseline: built and ${allFiles.length + 1} test files pass (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }

  for (const m of list) {
    const t0 = Date.now();
    const outcome: Outcome = { id: m.id, family: familyOf(m), status: 'stale', seconds: 0, buildSeconds: 0 };
    if (stale(m, scratch)) {
      outcomes.push(outcome);
      console.log(`STALE      ${m.id}`);
      continue;
    }
    const path = join(scratch, m.file);
    const original = readFileSync(path, 'utf8');
    const filter = filterOf(m, scratch);
    const math = m.file.startsWith('assembly/math/');
    try {
      writeFileSync(
        path,
        original.replace(m.find, () => m.replace),
      );
      const built = await buildAll(scratch, math);
      outcome.buildSeconds = (Date.now() - t0) / 1000;
      if (!built.ok) {
        outcome.status = 'build error';
        outcome.by = built.output
          .split('\n')
          .find((l) => /error/i.test(l))
          ?.trim()
          .slice(0, 160);
      } else {
        const first = filter === undefined ? undefined : vitest(scratch, m.tests, filter);
        const tested = first !== undefined && !first.ok ? first : vitest(scratch, m.tests);
        if (!tested.ok) {
          outcome.status = m.equivalent ? 'killed, marked equivalent' : 'killed';
          outcome.by = `${firstFailure(tested.output)}${tested === first ? ` (-t ${filter})` : ''}`;
        } else {
          const golden = vitest(scratch, [GOLDEN]);
          outcome.status = m.equivalent ? 'equivalent' : 'survived';
          outcome.by = golden.ok ? 'no change to the golden digest either' : 'the golden digest only';
        }
      }
    } finally {
      writeFileSync(path, original);
      if (math) for (const [file, bytes] of audit) writeFileSync(file, bytes);
    }
    outcome.seconds = (Date.now() - t0) / 1000;
    outcomes.push(outcome);
    console.log(
      `${outcome.status.toUpperCase().padEnd(10)} ${m.id} (${outcome.seconds.toFixed(0)} s, build ${outcome.buildSeconds.toFixed(0)} s)` +
        `${outcome.by ? `: ${outcome.by}` : ''}`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const count = (s: Status) => outcomes.filter((o) => o.status === s).length;
const families = [...new Set(outcomes.map((o) => o.family))];
console.log('\nfamily                 mutants  killed  survived  equivalent');
for (const f of families) {
  const of = outcomes.filter((o) => o.family === f);
  const n = (s: Status) => of.filter((o) => o.status === s).length;
  console.log(
    `${f.padEnd(22)} ${String(of.length).padStart(7)} ${String(n('killed')).padStart(7)} ${String(n('survived')).padStart(9)} ${String(n('equivalent')).padStart(11)}`,
  );
}
const minutes = (Date.now() - started) / 60_000;
console.log(
  `\n${outcomes.length} mutants: ${count('killed')} killed, ${count('survived')} survived, ${count('equivalent')} equivalent, ` +
    `${count('stale')} stale, ${count('build error')} build errors, ${count('killed, marked equivalent')} killed though marked equivalent; ${minutes.toFixed(1)} min`,
);
for (const o of outcomes.filter((x) => x.status === 'survived')) console.log(`SURVIVED ${o.id} (${o.by})`);
const ok = outcomes.every((o) => o.status === 'killed' || o.status === 'equivalent');
process.exit(ok ? 0 : 1);
