// `npm run fuzz -- --minutes N [--seed S]`: the differential fuzz of test/fuzz/engine.ts for N
// minutes (default 1) over every registry loss, and of test/fuzz/metrics.ts over every evaluation
// metric (the last fifth of the time), SIMD build against scalar build against the float64
// references. Prints per loss and metric: cases, calls, elements, refused cases and failures; exits
// 1 on any failure, with a reproduction for each of the first ones.
import { readFileSync } from 'node:fs';
import * as lib from '../src/node.js';
import { type Build, fuzz } from '../test/fuzz/engine.js';
import { fuzzMetrics } from '../test/fuzz/metrics.js';
import { registryOf } from '../test/registry.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
};
const minutes = Number(option('minutes') ?? 1);
const seed = Number(option('seed') ?? Math.floor(Math.random() * 2 ** 31));
if (!(minutes > 0) || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- --minutes N [--seed S]');
  process.exit(2);
}

const modules: Record<Build, WebAssembly.Module> = {
  simd: new WebAssembly.Module(readFileSync(new URL('../wasm/simdloss-simd.wasm', import.meta.url))),
  scalar: new WebAssembly.Module(readFileSync(new URL('../wasm/simdloss-scalar.wasm', import.meta.url))),
};
let live: Build | undefined;
const use = (build: Build) => {
  if (live !== build) {
    lib.initSync(modules[build]);
    live = build;
  }
  return { registry: registryOf(lib) };
};

console.log(`fuzz: seed ${seed}, ${minutes} min`);
const started = Date.now();
let last = started;
const onBatch = () => {
  if (Date.now() - last > 30_000) {
    last = Date.now();
    console.log(`  … ${Math.round((last - started) / 1000)} s`);
  }
};
const losses = fuzz(use, { seed, deadline: started + minutes * 48_000, onBatch });
const useLib = (build: Build) => {
  use(build);
  return lib;
};
const metrics = fuzzMetrics(useLib, { seed, deadline: started + minutes * 60_000, onBatch });
const stats = { ...losses.stats, ...metrics.stats };
const failures = [...losses.failures, ...metrics.failures];
const cases = losses.cases + metrics.cases;

const rows = Object.entries(stats).map(([name, s]) => ({ loss: name, ...s }));
console.table(rows);
const total = rows.reduce(
  (t, r) => ({ cases: t.cases + r.cases, calls: t.calls + r.calls, elements: t.elements + r.elements, failures: t.failures + r.failures }),
  { cases: 0, calls: 0, elements: 0, failures: 0 },
);
console.log(
  `${cases} cases, ${total.calls} calls, ${total.elements} elements in ${((Date.now() - started) / 1000).toFixed(0)} s; ${total.failures} failures; seed ${seed}`,
);
if (failures.length > 0) {
  for (const f of failures) console.log(`\nFAIL ${f.what}\n  reproduction: ${f.reproduction}`);
  console.log(`\nrerun: npm run fuzz -- --minutes ${minutes} --seed ${seed}`);
  process.exit(1);
}
