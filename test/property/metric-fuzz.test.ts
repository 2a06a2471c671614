// The short CI run of the metrics' differential fuzz (test/fuzz/metrics.ts; long runs: `npm run fuzz
// -- --minutes N`): adversarial inputs through every evaluation metric and accumulator on both builds
// and the float64 references. FUZZ_SEED replays a run (CI's default below); FUZZ_CASES sets its size.
import { expect, test } from 'vitest';
import * as lib from '../../src/node.js';
import { type Build, fuzzMetricBatch, fuzzMetrics, METRICS, makeMetricCase, PATTERNS } from '../fuzz/metrics.js';
import { buildSwitch } from '../helpers.js';
import { random } from '../random.js';

const switchTo = buildSwitch(lib.initSync);
const use = (build: Build) => {
  switchTo(build);
  return lib;
};
const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
const CASES = Number(process.env.FUZZ_CASES ?? 1800);

test(`metric fuzz: ${CASES} cases over every metric, both builds against each other and the references (seed ${SEED})`, () => {
  const { stats, failures } = fuzzMetrics(use, { seed: SEED, cases: CASES });
  const lines = failures.map((f) => `${f.what}\n  reproduction: ${f.reproduction}`);
  expect(lines, `seed ${SEED} (rerun: FUZZ_SEED=${SEED} npx vitest run test/property/metric-fuzz.test.ts)`).toEqual([]);
  for (const kind of METRICS) {
    expect(stats[kind].cases, kind).toBeGreaterThanOrEqual(Math.floor(CASES / METRICS.length));
    expect(stats[kind].rejected, `${kind}: some cases refused`).toBeGreaterThan(0);
    expect(stats[kind].rejected, `${kind}: most cases accepted`).toBeLessThan(stats[kind].cases / 2);
  }
});

test('every adversarial pattern is drawn for every metric', () => {
  const rand = random(SEED);
  for (const kind of METRICS) {
    const seen = new Set<string>();
    for (let k = 0; k < 400; k++) seen.add(makeMetricCase(kind, rand).pattern);
    expect([...seen].sort(), kind).toEqual([...PATTERNS].sort());
  }
});

test('the metric fuzz can fail: a wrong answer, a build that differs, an accepted bad value', () => {
  const rand = random(3);
  const clean = (kind: (typeof METRICS)[number]) => {
    for (;;) {
      const c = makeMetricCase(kind, rand);
      if (c.pattern === 'random' && c.target.length > 4 && c.target.some((t) => t === 1) && c.target.some((t) => t === 0)) return c;
    }
  };
  const stats = () => ({ cases: 0, calls: 0, elements: 0, rejected: 0, failures: 0 });
  const right: { what: string }[] = [];
  const c = clean('ranking');
  fuzzMetricBatch(use, [c], stats(), right as never);
  expect(right).toEqual([]);
  // rocAuc that answers 1 − AUC on the scalar build: both the builds and the reference catch it.
  const flipped = (build: Build) => {
    const l = use(build);
    if (build === 'simd') return l;
    return { ...l, rocAuc: Object.assign((...a: never[]) => 1 - (l.rocAuc as (...x: never[]) => number)(...a), l.rocAuc) } as typeof lib;
  };
  const wrong: { what: string }[] = [];
  fuzzMetricBatch(flipped, [c], stats(), wrong as never);
  expect(wrong.map((f) => f.what).join('\n')).toMatch(/SIMD and scalar results differ/);
  // Ranking metrics that accept a target of 2 (read as 1): the policy catches it.
  const target = Int32Array.from(c.target);
  target[1] = 2;
  const lax = (build: Build) => {
    const l = use(build);
    const fixed = Int32Array.from(target, (t) => Math.min(t, 1));
    const read = (f: typeof l.rocAuc) => Object.assign((_t: never, s: never, o: never) => f(fixed, s, o), f);
    return { ...l, rocAuc: read(l.rocAuc), averagePrecision: read(l.averagePrecision) } as typeof lib;
  };
  const accepted: { what: string }[] = [];
  fuzzMetricBatch(lax, [{ ...c, target }], stats(), accepted as never);
  expect(accepted.map((f) => f.what).join('\n')).toMatch(/accepted input outside the domain \(example 1: target\)/);
});
