/**
 * npm run soak [-- --calls 1e6] [--seed 1] [--check 20] [--scalar]
 *
 * The long soak (test/soak.ts): random losses, methods, dtypes, reductions and sizes,
 * WasmArrays alloc'd and freed at random, memory forced to grow between calls; a sample of results
 * against the float64 references. Prints wasm memory, heapUsed and RSS at the start, after warm-up
 * (the first 10% of the calls) and at the end; exits 1 on any failure or growth after warm-up.
 */
import { parseArgs } from 'node:util';
import { init } from '../src/node.js';
import { HEAP_SLACK, RSS_SLACK, soak } from '../test/soak.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '1e6' },
    seed: { type: 'string', default: '1' },
    check: { type: 'string', default: '20' },
    scalar: { type: 'boolean', default: false },
  },
});
const calls = Math.round(Number(values.calls));
const info = await init(values.scalar ? { simd: false } : undefined);
console.log(`soak: ${calls} calls, seed ${values.seed}, ${info.simd ? 'SIMD' : 'scalar'} build, Node ${process.version}`);
const r = soak({
  calls,
  seed: Number(values.seed),
  check: Number(values.check),
  progress: (done) => process.stdout.write(`\r  ${done} calls`),
});
const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
console.log(
  `\r  ${r.calls} calls in ${r.seconds.toFixed(1)} s (${((r.seconds * 1e6) / r.calls).toFixed(1)} µs a call), ${r.checked} checked against the reference, ${r.allocs} WasmArrays alloc'd, ${r.wide} wide-row calls, ${r.grows} forced grows (${mb(r.forcedBytes)})`,
);
console.log('               wasm memory*    heapUsed        RSS');
for (const [name, m] of [
  ['start', r.start],
  ['after warm-up', r.warm],
  ['end', r.end],
] as const) {
  console.log(`  ${name.padEnd(14)} ${mb(m.wasm).padEnd(15)} ${mb(m.heapUsed).padEnd(15)} ${mb(m.rss)}`);
}
console.log(`  * less the forced growth; peak after warm-up ${mb(r.wasmPeakAfterWarmup)}`);
const problems = [...r.failures];
if (r.wasmPeakAfterWarmup > r.warm.wasm) problems.push(`wasm memory grew after warm-up: ${r.warm.wasm} → ${r.wasmPeakAfterWarmup} bytes`);
if (r.end.heapUsed > r.warm.heapUsed + HEAP_SLACK) problems.push(`heapUsed grew by ${mb(r.end.heapUsed - r.warm.heapUsed)} after warm-up`);
if (r.end.rss > r.warm.rss + RSS_SLACK) problems.push(`RSS grew by ${mb(r.end.rss - r.warm.rss)} after warm-up`);
for (const p of problems) console.log(`FAIL ${p}`);
console.log(problems.length === 0 ? 'soak: flat and correct' : `soak: ${problems.length} problem(s)`);
process.exitCode = problems.length === 0 ? 0 : 1;
