/**
 * npm run ulp [-- --functions exp,log] [--builds simd,scalar] [--every 1] [--json out.json]
 *
 * The exhaustive accuracy audit of the float32 vector math: every float32 (2³² bit patterns, NaNs
 * and infinities included) through each function, against a float64 reference computed inside wasm
 * (assembly/audit.ts). Prints the max ulp error per function and build, where it occurs, and how
 * many lanes the scalar twin failed to reproduce bit for bit; exits 1 if a bound is broken.
 *
 * The SIMD build runs the vector form and, on the same input, the scalar twin (the code the scalar
 * build and every tail run), so one pass proves both; `--builds simd,scalar` also runs the twin as
 * compiled without SIMD. `--every k` audits one chunk of 2²⁰ inputs in k, for a quick look.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

/** Function codes of assembly/audit.ts, and the bound each must meet (ulp, float32). */
export const FUNCTIONS = [
  { name: 'exp', bound: 1 },
  { name: 'log', bound: 1 },
  { name: 'log1p', bound: 2 },
  { name: 'softplus', bound: 2 },
  { name: 'sigmoid', bound: 2 },
  // the logits and softmax kernels' float32 math (without exp's correction terms; math/logistic.ts)
  { name: 'expQuick', bound: 1.1 },
  { name: 'softplusQuick', bound: 2 },
  { name: 'sigmoidQuick', bound: 2.5 },
  { name: 'expNonPositive', bound: 1.1 }, // of −|x|: every x ≤ 0, each twice
] as const;

const CHUNK = 2 ** 20;
const CHUNKS = 2 ** 32 / CHUNK;

// Each worker instantiates its own module and audits the chunks it is sent.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const module = new WebAssembly.Module(workerData.bytes);
const e = new WebAssembly.Instance(module, { env: { abort() { throw new Error('abort'); } } }).exports;
const at = e.AUDIT.value;
parentPort.on('message', ({ fn, chunk, size }) => {
  const worst = e.audit(fn, chunk * size, size);
  const view = new DataView(e.memory.buffer);
  parentPort.postMessage({ worst, bits: view.getUint32(at + 8, true), differ: view.getInt32(at + 12, true) });
});
`;

interface Finding {
  worst: number;
  bits: number;
  differ: number;
  seconds: number;
  top: { ulp: number; bits: number }[];
}
/** How many of the worst inputs (each its chunk's worst) to keep for the tests. */
const TOP = 6;

async function audit(bytes: Uint8Array, fn: number, chunks: number[], workers: number): Promise<Finding> {
  const started = performance.now();
  const result = { worst: -1, bits: 0, differ: 0 };
  const top: { ulp: number; bits: number }[] = [];
  let next = 0;
  await Promise.all(
    Array.from(
      { length: Math.min(workers, chunks.length) },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(WORKER, { eval: true, workerData: { bytes } });
          const send = () => {
            if (next < chunks.length) worker.postMessage({ fn, chunk: chunks[next++], size: CHUNK });
            else void worker.terminate().then(() => resolve());
          };
          worker.on('message', (m: { worst: number; bits: number; differ: number }) => {
            if (m.worst > result.worst) {
              result.worst = m.worst;
              result.bits = m.bits;
            }
            result.differ += m.differ;
            top.push({ ulp: m.worst, bits: m.bits });
            top.sort((a, b) => b.ulp - a.ulp).splice(TOP);
            send();
          });
          worker.on('error', reject);
          send();
        }),
    ),
  );
  return { ...result, top, seconds: (performance.now() - started) / 1000 };
}

function float32(bits: number): number {
  return new Float32Array(new Uint32Array([bits]).buffer)[0]!;
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      functions: { type: 'string', default: FUNCTIONS.map((f) => f.name).join(',') },
      builds: { type: 'string', default: 'simd' },
      every: { type: 'string', default: '1' },
      workers: { type: 'string', default: String(os.availableParallelism()) },
      json: { type: 'string' },
    },
  });
  const names = args.functions.split(',');
  for (const name of names) if (!FUNCTIONS.some((f) => f.name === name)) throw new Error(`--functions: no function '${name}'`);
  const every = Number(args.every);
  const chunks = Array.from({ length: CHUNKS }, (_, c) => c).filter((c) => c % every === 0);
  const workers = Number(args.workers);

  console.log(
    `ulp audit: ${chunks.length * CHUNK} float32 inputs per function (${every === 1 ? 'every one' : `1 chunk in ${every}`}), ${workers} workers, ${os.cpus()[0]?.model ?? ''}`,
  );
  console.log('function  build   max ulp  bound  at x                scalar twin ≠ vector  seconds');
  const rows = [];
  let failed = false;
  for (const build of args.builds.split(',')) {
    const bytes = readFileSync(new URL(`../build/audit-${build}.wasm`, import.meta.url));
    for (const name of names) {
      const fn = FUNCTIONS.findIndex((f) => f.name === name);
      const { bound } = FUNCTIONS[fn]!;
      const r = await audit(bytes, fn, chunks, workers);
      const ok = r.worst <= bound && r.differ === 0;
      failed ||= !ok;
      const x = float32(r.bits);
      const worstInputs = r.top.map((t) => ({ ulp: t.ulp, x: float32(t.bits), bits: `0x${t.bits.toString(16).padStart(8, '0')}` }));
      rows.push({
        function: name,
        build,
        maxUlp: r.worst,
        bound,
        at: x,
        atBits: `0x${r.bits.toString(16).padStart(8, '0')}`,
        twinDiffers: r.differ,
        seconds: r.seconds,
        worstInputs,
      });
      console.log(
        `${name.padEnd(9)} ${build.padEnd(7)} ${r.worst.toFixed(3).padStart(7)}  ${String(bound).padStart(5)}  ${String(x).padEnd(19)} ${String(build === 'simd' ? r.differ : '—').padStart(20)}  ${r.seconds.toFixed(1).padStart(7)}${ok ? '' : '  FAILED'}`,
      );
    }
  }
  console.log('\nworst inputs (the worst of each chunk of 2²⁰, as float32 bit patterns):');
  for (const row of rows)
    console.log(
      `${row.function.padEnd(9)} ${row.build.padEnd(7)} ${row.worstInputs.map((w) => `${w.bits} (${w.ulp.toFixed(3)})`).join(' ')}`,
    );
  if (args.json) writeFileSync(args.json, JSON.stringify(rows, null, 2));
  if (failed) process.exit(1);
}

await main();
