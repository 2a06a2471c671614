// `npm run sweep -- --seeds N [--from S] [--jobs J] [--minutes M]`: the property tests and the short
// fuzz under N seeds (S, S + 1, …; S random unless given), each seed one vitest run of both files
// with FC_SEED and FUZZ_SEED set to it, J runs at a time (default 2). Prints a line per seed, then
// the summary: seeds run, every failure with its counterexample and the command that replays it,
// and the time. Exits 1 on any failure. With --minutes, no seed starts after M minutes (the
// summary says how many ran); Ctrl-C prints the summary of the seeds finished.
// Why one process per seed: a run costs ~16 s of tests (properties 13 s, fuzz 3 s) and ~1.5 s of
// start-up (measured), so batching seeds in one process would save < 10% and lose the one-line
// replay of a failing seed.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FILES = ['test/property/properties.test.ts', 'test/property/fuzz.test.ts'];
const root = new URL('..', import.meta.url).pathname;
const vitest = join(root, 'node_modules/vitest/vitest.mjs');

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
};
const count = Number(option('seeds') ?? 200);
const from = Number(option('from') ?? Math.floor(Math.random() * 2 ** 30));
const jobs = Number(option('jobs') ?? 2);
const minutes = Number(option('minutes') ?? Infinity);
if (!(Number.isInteger(count) && count > 0 && Number.isInteger(from) && Number.isInteger(jobs) && jobs > 0 && minutes > 0)) {
  console.error('usage: npm run sweep -- --seeds N [--from S] [--jobs J] [--minutes M]');
  process.exit(2);
}

interface Failure {
  seed: number;
  test: string;
  detail: string;
  replay: string;
}

/** The shell-quoted regular expression that selects exactly this test name (vitest -t). */
const testPattern = (name: string): string => `'^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, `'\\''`)}$'`;

/** The run-size variables set for the sweep, which a replay needs too. */
const sizes = ['FC_RUNS', 'FUZZ_CASES']
  .filter((k) => process.env[k] !== undefined)
  .map((k) => `${k}=${process.env[k]} `)
  .join('');

/** What a failure message says about its case, and the command that replays it. */
function describeFailure(seed: number, file: string, test: string, message: string): Failure {
  const fc = /\{ seed: (-?\d+), path: "([\d:]+)"/.exec(message);
  const counterexample = /Counterexample: (.*)/.exec(message)?.[1];
  if (fc) {
    return {
      seed,
      test,
      detail: `fast-check seed ${fc[1]}, path "${fc[2]}", counterexample ${counterexample}`,
      replay: `${sizes}FC_SEED=${fc[1]} FC_PATH=${fc[2]} npx vitest run ${file} -t ${testPattern(test)}`,
    };
  }
  const first = message.split('\n').slice(0, 6).join('\n    ');
  const seedVar = file === 'test/property/fuzz.test.ts' ? 'FUZZ_SEED' : 'FC_SEED';
  return { seed, test, detail: first, replay: `${sizes}${seedVar}=${seed} npx vitest run ${file} -t ${testPattern(test)}` };
}

const work = mkdtempSync(join(tmpdir(), 'sweep-'));

/** One vitest run of FILES under `seed`: its failures (a run that leaves no report is one failure). */
function runSeed(seed: number): Promise<{ failures: Failure[]; tests: number }> {
  const out = join(work, `${seed}.json`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vitest, 'run', ...FILES, '--reporter=json', `--outputFile=${out}`], {
      cwd: root,
      env: { ...process.env, FC_SEED: String(seed), FUZZ_SEED: String(seed) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('close', (code) => {
      let report: {
        numTotalTests: number;
        testResults: {
          name: string;
          message?: string;
          assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
        }[];
      };
      try {
        report = JSON.parse(readFileSync(out, 'utf8'));
      } catch {
        resolve({
          tests: 0,
          failures: [
            {
              seed,
              test: '(no report)',
              detail: `vitest exited with ${code}: ${stderr.trim().split('\n').slice(-8).join('\n    ')}`,
              replay: `${sizes}FC_SEED=${seed} FUZZ_SEED=${seed} npx vitest run ${FILES.join(' ')}`,
            },
          ],
        });
        return;
      }
      const failures: Failure[] = [];
      for (const f of report.testResults) {
        const file = f.name.slice(root.length);
        if (f.assertionResults.length === 0 && f.message)
          failures.push({
            seed,
            test: file,
            detail: f.message.split('\n')[0]!,
            replay: `${sizes}FC_SEED=${seed} FUZZ_SEED=${seed} npx vitest run ${file}`,
          });
        for (const a of f.assertionResults)
          if (a.status === 'failed') failures.push(describeFailure(seed, file, a.fullName, a.failureMessages.join('\n')));
      }
      if (code !== 0 && failures.length === 0)
        failures.push({
          seed,
          test: '(exit code)',
          detail: `vitest exited with ${code}`,
          replay: `${sizes}FC_SEED=${seed} FUZZ_SEED=${seed} npx vitest run ${FILES.join(' ')}`,
        });
      resolve({ failures, tests: report.numTotalTests });
    });
  });
}

const started = Date.now();
const stopAt = started + minutes * 60_000;
const seeds = Array.from({ length: count }, (_, i) => from + i);
const done: number[] = [];
const failures: Failure[] = [];
let next = 0;
let tests = 0;
console.log(`sweep: ${FILES.join(' + ')}, seeds ${from}…${from + count - 1}, ${jobs} at a time`);
async function worker(): Promise<void> {
  while (next < seeds.length && Date.now() < stopAt) {
    const seed = seeds[next++]!;
    const t0 = Date.now();
    const r = await runSeed(seed);
    done.push(seed);
    tests += r.tests;
    failures.push(...r.failures);
    const elapsed = ((Date.now() - started) / 1000).toFixed(0);
    console.log(
      `seed ${seed}: ${r.failures.length === 0 ? 'ok' : `${r.failures.length} FAILED`} (${((Date.now() - t0) / 1000).toFixed(1)} s; ${done.length}/${count} after ${elapsed} s)`,
    );
  }
}
/** The summary of the seeds finished so far; exit code 1 if any failed. */
function summary(): number {
  rmSync(work, { recursive: true, force: true });
  const seconds = (Date.now() - started) / 1000;
  done.sort((a, b) => a - b);
  const contiguous = done.length > 0 && done[done.length - 1]! - done[0]! === done.length - 1;
  console.log(
    `\n${done.length} of ${count} seeds run (${contiguous ? `${done[0]}…${done[done.length - 1]}` : done.join(', ')}), ${tests} tests, ${failures.length} failures`,
  );
  console.log(
    `time: ${(seconds / 60).toFixed(1)} min (${(seconds / Math.max(1, done.length)).toFixed(1)} s per seed with ${jobs} at a time)`,
  );
  for (const f of failures) console.log(`\nFAILED seed ${f.seed}: ${f.test}\n    ${f.detail}\n  replay: ${f.replay}`);
  return failures.length > 0 ? 1 : 0;
}
// (Ctrl-C: the summary of the seeds that finished; the runs under way are lost)
process.on('SIGINT', () => process.exit(summary() || 130));
await Promise.all(Array.from({ length: jobs }, worker));
process.exit(summary());
