// The short CI run of the differential fuzz (test/fuzz/engine.ts; long runs: `npm run fuzz -- --minutes N`):
// adversarial bit patterns through every registry loss on both builds and the float64 reference,
// checked against the "Non-finite input" policy of docs/numerics.md. FUZZ_SEED replays a run; FUZZ_CASES sets its size.
import { expect, test } from 'vitest';
import * as lib from '../../src/node.js';
import {
  type Build,
  type Case,
  firstInvalid,
  fuzz,
  fuzzBatch,
  knows,
  makeCase,
  refusesEveryNonFinite,
  refusesSome,
} from '../fuzz/engine.js';
import { buildSwitch } from '../helpers.js';
import { random } from '../random.js';
import { registryOf } from '../registry.js';

const switchTo = buildSwitch(lib.initSync);
const use = (build: Build) => {
  switchTo(build);
  return { registry: registryOf(lib) };
};
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CASES = Number(process.env.FUZZ_CASES ?? 6000);

test('the policy table knows every registry loss', () => {
  for (const entry of use('simd').registry) expect(knows(entry), entry.name).toBe(true);
});

test(`fuzz: ${CASES} cases over every loss, both builds against each other and the reference (seed ${SEED})`, () => {
  const { stats, failures } = fuzz(use, { seed: SEED, cases: CASES });
  const lines = failures.map((f) => `${f.what}\n  reproduction: ${f.reproduction}`);
  expect(lines, `seed ${SEED} (rerun: FUZZ_SEED=${SEED} npx vitest run test/property/fuzz.test.ts)`).toEqual([]);
  const registry = use('simd').registry;
  for (const entry of registry) {
    const s = stats[entry.name]!;
    // (the entries take turns: each gets its share)
    expect(s.cases, entry.name).toBeGreaterThanOrEqual(Math.floor(CASES / registry.length));
    if (refusesSome(entry)) expect(s.rejected, `${entry.name}: some cases outside the domain`).toBeGreaterThan(0);
    // (a loss that checks both arguments refuses every NaN and ±∞)
    if (!refusesEveryNonFinite(entry)) expect(s.nonFinite, `${entry.name}: some examples with NaN or ±∞`).toBeGreaterThan(0);
  }
});

test('the fuzz can fail: a build whose losses are doubled, a loss that accepts a value outside its domain', () => {
  const mse = use('simd').registry.find((e) => e.name === 'mse')!;
  const rand = random(7);
  const cases: Case[] = [];
  while (cases.length < 20) {
    const c = makeCase(mse, rand);
    if (c.batch.xs[0]!.length > 0 && firstInvalid(mse, c.batch) === undefined) cases.push(c);
  }
  const broken = (build: Build) => {
    const real = use(build);
    if (build === 'simd') return real;
    const double = (f: any) =>
      Object.assign(
        (...a: any[]) => {
          const r = f(...a);
          return typeof r === 'number' ? 2 * r : r.map((v: number) => 2 * v);
        },
        { grad: f.grad, withGrad: f.withGrad },
      );
    return { registry: real.registry.map((e) => (e.name === 'mse' ? { ...e, loss: double(e.loss) } : e)) } as ReturnType<typeof use>;
  };
  const stats = { cases: 0, calls: 0, elements: 0, rejected: 0, nonFinite: 0, overflow: 0, known: 0, failures: 0 };
  const failures: { what: string }[] = [];
  fuzzBatch(broken, cases, stats, failures as never);
  expect(failures.some((f) => /loss none\[\d+\]: SIMD .* vs scalar/.test(f.what))).toBe(true);
  // A loss that accepts what its domain refuses (binaryCrossEntropy's target 1.5): caught too.
  const bce = use('simd').registry.find((e) => e.name === 'binaryCrossEntropy')!;
  const c: Case = {
    entry: bce.name,
    f32: false,
    batch: { target: Float64Array.of(1.5), xs: [Float64Array.of(0.5)], opts: {} },
    dirty: true,
  };
  expect(firstInvalid(bce, c.batch)).toEqual({ arguments: ['target'], index: 0 });
  const right: { what: string }[] = [];
  fuzzBatch(use, [c], { ...stats }, right as never);
  expect(right).toEqual([]);
  const lax = (build: Build) => {
    const real = use(build);
    return { registry: real.registry.map((e) => (e.name === bce.name ? { ...e, loss: mse.loss } : e)) } as ReturnType<typeof use>;
  };
  const wrong: { what: string }[] = [];
  fuzzBatch(lax, [c], { ...stats }, wrong as never);
  expect(wrong[0]?.what).toMatch(
    /^binaryCrossEntropy f64: simd: accepted input outside the domain \(target\[0\] = 1\.5 \(0x3ff8000000000000\)\)$/,
  );
});
