// The in-batch losses (infoNCE, ntXent) on both builds and both dtypes against their float64
// references: every reduction, the gradients (and central differences of the library's own
// float64 loss), batch sizes and dims around every tile edge of the kernel (2 × 4 logit blocks,
// 16-row strips, 256-candidate chunks, 1024-element blocks), zero copy and out, the two builds bit
// for bit, zero and identical rows, extremes, properties, accumulators and bad input.
//
// float32 tolerances, from the kernel's error analysis (u = 2⁻²⁴): a logit z = cos/τ is off by at
// most (dim/4 + 6)·u/τ (x̂ rounded, ≤ dim/4 products per lane, the lanes and z rounded); a row's
// loss by twice that plus its softmax sum's (M/L + 10)·u; a gradient element by its row's scale
// (Σ|dℓ/dz|/(τ‖x‖), from the reference) times 2·that logit bound plus the float32 partial sums'
// (min(M, 256) + 32)·u. float64: the same with u = 2⁻⁵³.
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import * as lib from '../../src/node.js';
import { alloc, initSync, SimdlossError } from '../../src/node.js';
import { special } from '../fuzz/engine.js';
import { BUILDS, DTYPES, expectIdentical, random } from '../helpers.js';
import type { BatchResult, Opts } from '../reference/inbatch.js';
import { type InbatchEntry, inbatchOf } from '../registry.js';

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const entries = inbatchOf(lib);
const SHAPES: readonly (readonly [number, number])[] = [
  [1, 3],
  [2, 1],
  [2, 4],
  [3, 5],
  [4, 8],
  [5, 7],
  [7, 9],
  [16, 16],
  [17, 6],
  [33, 12],
  [9, 130],
  [4, 1100],
  [300, 3],
  [260, 9],
];

type Arr = any; // Float32Array or Float64Array: each test passes one dtype to losses typed for both

function rows(C: Ctor, n: number, dim: number, seed: number): Arr {
  const rand = random(seed);
  const x = new C(n * dim);
  for (let i = 0; i < x.length; i++) x[i] = 2 * rand() - 1;
  return x;
}

/** b: a noisy copy of a, so that each row's positive is its nearest candidate, as in training. */
function pairOf(C: Ctor, n: number, dim: number, seed: number): { a: Arr; b: Arr } {
  const a = rows(C, n, dim, seed);
  const noise = rows(C, n, dim, seed + 1);
  const b = new C(a.length);
  for (let i = 0; i < b.length; i++) b[i] = a[i] + 0.5 * noise[i];
  return { a, b };
}

const tauOf = (e: InbatchEntry, o: Opts) => (o.temperature as number | undefined) ?? (e.name === 'infoNCE' ? 0.1 : 0.5);
const candidates = (e: InbatchEntry, n: number) => (e.name === 'infoNCE' ? n : 2 * n);

/** Per-row loss and per-row gradient bounds of the analysis above. */
function bounds(e: InbatchEntry, n: number, dim: number, o: Opts, f32: boolean) {
  const u = f32 ? 2 ** -24 : 2 ** -53;
  const M = candidates(e, n);
  const z = ((dim / 4 + 6) * u) / tauOf(e, o);
  return { loss: 2 * z + (M / (f32 ? 4 : 2) + 10) * u, grad: 2 * z + (Math.min(M, 256) + 32) * u };
}

function expectRowsWithin(got: ArrayLike<number>, want: BatchResult, dim: number, tol: number, which: 0 | 1, what: string) {
  const g = want.grads[which];
  expect(got.length, `${what} length`).toBe(g.length);
  for (let i = 0; i < g.length; i++) {
    const bound = tol * want.gradScales[which][Math.floor(i / dim)]! + 1e-300;
    if (!(Math.abs(got[i]! - g[i]!) <= bound)) expect.fail(`${what}[${i}] = ${got[i]}, expected ${g[i]} within ${bound}`);
  }
}

function expectLosses(got: ArrayLike<number>, want: readonly number[], tol: number, what: string) {
  expect(got.length, `${what} length`).toBe(want.length);
  want.forEach((w, i) => {
    if (!(Math.abs(got[i]! - w) <= tol * (1 + Math.abs(w)))) expect.fail(`${what}[${i}] = ${got[i]}, expected ${w} within ${tol}`);
  });
}

const sum = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v, 0);

for (const build of BUILDS) {
  describe(`${build.name} build`, () => {
    beforeAll(() => {
      expect(initSync(build.bytes).simd).toBe(build.simd);
    });

    for (const e of entries) {
      const [ka, kb] = e.reference.inputs;
      describe(e.name, () => {
        for (const dtype of DTYPES) {
          const f32 = dtype.name === 'f32';
          for (const o of e.reference.cases) {
            test(`${dtype.name} ${JSON.stringify(o)}: every reduction and both gradients against float64, every tile edge`, () => {
              for (const [n, dim] of SHAPES) {
                const { a, b } = pairOf(dtype.Array, n, dim, n * 31 + dim);
                const want = e.reference.batch(a, b, dim, o);
                const tol = bounds(e, n, dim, o, f32);
                const opts = { dim, ...o };
                const none = e.loss(a, b, { ...opts, reduction: 'none' });
                expect(none).toBeInstanceOf(dtype.Array);
                expectLosses(none, want.losses, tol.loss, `${n}×${dim} none`);
                const rowsN = e.reference.rows(n);
                const total = sum(want.losses);
                expectLosses([e.loss(a, b, { ...opts, reduction: 'sum' })], [total], tol.loss * rowsN, `${n}×${dim} sum`);
                expectLosses([e.loss(a, b, opts)], [total / rowsN], tol.loss, `${n}×${dim} mean`);
                const s = e.loss.withGrad(a, b, { ...opts, reduction: 'sum' });
                expectRowsWithin(s.grad[ka], want, dim, tol.grad, 0, `${n}×${dim} d${ka}`);
                expectRowsWithin(s.grad[kb], want, dim, tol.grad, 1, `${n}×${dim} d${kb}`);
                expectIdentical(e.loss.grad(a, b, { ...opts, reduction: 'sum' })[ka], s.grad[ka], `grad and withGrad, ${ka}`);
                const m = e.loss.grad(a, b, opts);
                expect(m[ka]).toBeInstanceOf(dtype.Array);
                const scaledWant = { ...want, gradScales: want.gradScales.map((r) => r.map((v) => v / rowsN)) as [number[], number[]] };
                const wantMean = { ...scaledWant, grads: want.grads.map((g) => g.map((v) => v / rowsN)) as [Float64Array, Float64Array] };
                expectRowsWithin(m[ka], wantMean, dim, tol.grad, 0, `${n}×${dim} mean d${ka}`);
                expectRowsWithin(m[kb], wantMean, dim, tol.grad, 1, `${n}×${dim} mean d${kb}`);
              }
            });
          }

          test(`${dtype.name}: withGrad is the loss and grad of the same call; 'none' gives the gradient of the sum`, () => {
            const { a, b } = pairOf(dtype.Array, 19, 10, 5);
            const opts = { dim: 10 };
            const w = e.loss.withGrad(a, b, { ...opts, reduction: 'none' });
            expectIdentical(w.loss, e.loss(a, b, { ...opts, reduction: 'none' }), 'loss');
            const s = e.loss.grad(a, b, { ...opts, reduction: 'sum' });
            expectIdentical(w.grad[ka], s[ka], ka);
            expectIdentical(w.grad[kb], s[kb], kb);
            expect(e.loss.withGrad(a, b, opts).loss).toBe(e.loss(a, b, opts));
          });

          test(`${dtype.name}: zero copy and out (WasmArrays, an input as its own output)`, () => {
            const n = 21;
            const dim = 6;
            const { a, b } = pairOf(dtype.Array, n, dim, 8);
            const expected = e.loss.withGrad(a, b, { dim });
            const wa = alloc(n * dim, dtype.name);
            const wb = alloc(n * dim, dtype.name);
            const ga = alloc(n * dim, dtype.name);
            try {
              wa.array.set(a);
              wb.array.set(b);
              const got = e.loss.withGrad(wa, wb, { dim, out: { [ka]: ga, [kb]: wb } });
              expect(got.loss).toBe(expected.loss);
              expect(got.grad[ka]).toBe(ga.array);
              expectIdentical(ga.array, expected.grad[ka], ka);
              expectIdentical(wb.array, expected.grad[kb], `${kb} over its input`);
              const into = new dtype.Array(n * dim);
              expect(e.loss.grad(a, b, { dim, out: { [kb]: into } })[kb]).toBe(into);
              expectIdentical(into, expected.grad[kb], 'out, ordinary array');
            } finally {
              wa.free();
              wb.free();
              ga.free();
            }
          });

          test(`${dtype.name}: zero rows, identical rows, one pair and no pairs are finite and as documented`, () => {
            const dim = 5;
            const zero = new dtype.Array(3 * dim);
            const { a } = pairOf(dtype.Array, 3, dim, 2);
            const z = e.loss.withGrad(zero, a, { dim, reduction: 'none' });
            const wantZ = e.reference.batch(zero, a, dim, {});
            expectLosses(z.loss, wantZ.losses, 1e-5, 'zero rows');
            for (const g of [z.grad[ka], z.grad[kb]]) expect(Array.from(g).every(Number.isFinite)).toBe(true);
            // every row the same: the softmax is uniform, the loss log(candidates), no direction to move
            const same = new dtype.Array(4 * dim).map((_, i) => (i % dim) + 1);
            const s = e.loss.withGrad(same, same, { dim, reduction: 'none' });
            const M = e.name === 'infoNCE' ? 4 : 7;
            expectLosses(s.loss, new Array(s.loss.length).fill(Math.log(M)), f32 ? 1e-6 : 1e-14, 'identical rows');
            for (const g of [s.grad[ka], s.grad[kb]]) for (const v of g) expect(Math.abs(v)).toBeLessThan(f32 ? 1e-5 : 1e-14);
            const one = e.loss.withGrad(a.subarray(0, dim), a.subarray(dim, 2 * dim), { dim, reduction: 'none' });
            expect(Array.from(one.loss)).toEqual(new Array(e.reference.rows(1)).fill(0));
            expect(Array.from(one.grad[ka])).toEqual(new Array(dim).fill(0));
            const empty = new dtype.Array(0);
            expect(e.loss(empty, empty, { dim })).toBe(0);
            expect(e.loss(empty, empty, { dim, reduction: 'sum' })).toBe(0);
            expect(e.loss.grad(empty, empty, { dim })[ka].length).toBe(0);
          });

          test(`${dtype.name}: extreme rows (huge, below the norm's floor, subnormal) and a small temperature`, () => {
            const dim = 4;
            const o = { temperature: 0.01 };
            const { a, b } = pairOf(dtype.Array, 6, dim, 3);
            const tol = bounds(e, 6, dim, o, f32);
            for (const k of f32 ? [1e30, 1e-7, 1e-30, 1e-40] : [1e300, 1e-300, 1e-310]) {
              const x = a.map((v: number) => v * k);
              const want = e.reference.batch(x, b, dim, o);
              const got = e.loss.withGrad(x, b, { dim, ...o, reduction: 'sum' });
              expectLosses([got.loss], [sum(want.losses)], 6 * tol.loss, `rows ×${k}`);
              expectRowsWithin(got.grad[ka], want, dim, tol.grad, 0, `rows ×${k} d${ka}`);
              expectRowsWithin(got.grad[kb], want, dim, tol.grad, 1, `rows ×${k} d${kb}`);
            }
          });
        }

        test('central differences of the float64 loss agree with its gradient', () => {
          for (const o of e.reference.cases) {
            const dim = 3;
            const n = 4;
            const { a, b } = pairOf(Float64Array, n, dim, 77);
            const opts = { dim, ...o, reduction: 'sum' as const };
            const g = e.loss.grad(a, b, opts);
            const want = e.reference.batch(a, b, dim, o);
            for (const [which, x] of [[0, a] as const, [1, b] as const]) {
              for (let i = 0; i < x.length; i++) {
                const h = 1e-6;
                const keep = x[i]!;
                x[i] = keep + h;
                const up = e.loss(a, b, opts);
                x[i] = keep - h;
                const down = e.loss(a, b, opts);
                x[i] = keep;
                const fd = (up - down) / (2 * h);
                const got = g[e.reference.inputs[which]][i]!;
                const scale = want.gradScales[which][Math.floor(i / dim)]!;
                if (!(Math.abs(fd - got) <= 1e-6 * scale))
                  expect.fail(`${JSON.stringify(o)} d${which}[${i}] = ${got}, central difference ${fd}`);
              }
            }
          }
        });
      });
    }
  });
}

describe('the reference against central differences of itself', () => {
  for (const e of entries) {
    test(e.name, () => {
      for (const o of e.reference.cases) {
        const dim = 3;
        const { a, b } = pairOf(Float64Array, 5, dim, 4);
        // one zero row: the gradient below the floor is g/floor, which central differences at the
        // floor's scale check
        const r = e.reference.batch(a, b, dim, o);
        for (const [which, x] of [[0, a] as const, [1, b] as const]) {
          for (let i = 0; i < x.length; i++) {
            const h = 1e-6;
            const keep = x[i]!;
            x[i] = keep + h;
            const up = sum(e.reference.batch(a, b, dim, o).losses);
            x[i] = keep - h;
            const down = sum(e.reference.batch(a, b, dim, o).losses);
            x[i] = keep;
            const fd = (up - down) / (2 * h);
            expect(Math.abs(fd - r.grads[which][i]!)).toBeLessThan(1e-7 * r.gradScales[which][Math.floor(i / dim)]!);
          }
        }
      }
    });
  }
});

describe('the two builds give the same bits', () => {
  test.each(entries.map((e) => [e.name, e] as const))('%s', (_, e) => {
    const results = BUILDS.map((build) => {
      initSync(build.bytes);
      return DTYPES.flatMap((dtype) =>
        SHAPES.flatMap(([n, dim]) => {
          const { a, b } = pairOf(dtype.Array, n, dim, 3 * n + dim);
          return e.reference.cases.map((o) => {
            const r = e.loss.withGrad(a, b, { dim, ...o, reduction: 'none' });
            const [ka, kb] = e.reference.inputs;
            return [r.loss, r.grad[ka], r.grad[kb]] as ArrayLike<number>[];
          });
        }),
      );
    });
    results[0]!.forEach((r, i) => {
      r.forEach((x, j) => {
        expectIdentical(results[1]![i]![j]!, x, `case ${i} array ${j}`);
      });
    });
  });
});

describe('properties (float64)', () => {
  beforeAll(() => {
    initSync(BUILDS[0].bytes);
  });
  const batch = fc.record({
    n: fc.integer({ min: 1, max: 9 }),
    dim: fc.integer({ min: 1, max: 9 }),
    seed: fc.integer({ min: 0, max: 1e9 }),
    tau: fc.double({ min: 0.02, max: 5, noNaN: true }),
  });

  test.each(entries.map((e) => [e.name, e] as const))(
    '%s: loss ≥ 0, and the same with every row scaled by its own positive factor',
    (_, e) => {
      fc.assert(
        fc.property(batch, fc.array(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), { minLength: 18, maxLength: 18 }), (x, k) => {
          const { a, b } = pairOf(Float64Array, x.n, x.dim, x.seed);
          const opts = { dim: x.dim, temperature: x.tau, reduction: 'none' as const };
          const l = e.loss(a, b, opts);
          for (const v of l) expect(v).toBeGreaterThanOrEqual(0);
          const sa = a.map((v: number, i: number) => v * k[Math.floor(i / x.dim) % 18]!);
          const sb = b.map((v: number, i: number) => v * k[(Math.floor(i / x.dim) + 5) % 18]!);
          const ls = e.loss(sa, sb, opts);
          ls.forEach((v: number, i: number) => {
            expect(Math.abs(v - l[i]!)).toBeLessThan((1e-12 * (1 + l[i]!)) / x.tau);
          });
          // d/dx of a scale-free loss is orthogonal to x: Σₖ xₖ·gₖ = 0 per row
          const g = e.loss.grad(a, b, { ...opts, reduction: 'sum' });
          const [ka] = e.reference.inputs;
          for (let r = 0; r < x.n; r++) {
            let d = 0;
            let s = 0;
            for (let c = 0; c < x.dim; c++) {
              d += a[r * x.dim + c]! * g[ka][r * x.dim + c]!;
              s += Math.abs(a[r * x.dim + c]! * g[ka][r * x.dim + c]!);
            }
            expect(Math.abs(d)).toBeLessThanOrEqual(1e-12 * (s + 1));
          }
        }),
        { numRuns: 60 },
      );
    },
  );

  test('infoNCE symmetric is the mean of both directions, row by row and in its gradients', () => {
    const { infoNCE } = lib;
    fc.assert(
      fc.property(batch, (x) => {
        const { a, b } = pairOf(Float64Array, x.n, x.dim, x.seed);
        const o = { dim: x.dim, temperature: x.tau, reduction: 'none' as const };
        const sym = infoNCE.withGrad(a, b, { ...o, symmetric: true });
        const f = infoNCE.withGrad(a, b, o);
        const r = infoNCE.withGrad(b, a, o);
        sym.loss.forEach((v: number, i: number) => {
          expect(Math.abs(v - 0.5 * (f.loss[i]! + r.loss[i]!))).toBeLessThan(1e-12 * (1 + v));
        });
        sym.grad.anchors.forEach((v: number, i: number) => {
          expect(Math.abs(v - 0.5 * (f.grad.anchors[i]! + r.grad.positives[i]!))).toBeLessThan(1e-9);
        });
      }),
      { numRuns: 40 },
    );
  });

  test('ntXent: swapping a and b swaps the halves of the row losses; permuting pairs permutes them', () => {
    const { ntXent } = lib;
    fc.assert(
      fc.property(batch, (x) => {
        const { a, b } = pairOf(Float64Array, x.n, x.dim, x.seed);
        const o = { dim: x.dim, temperature: x.tau, reduction: 'none' as const };
        const l = ntXent(a, b, o);
        const s = ntXent(b, a, o);
        for (let i = 0; i < x.n; i++) {
          expect(Math.abs(s[i]! - l[x.n + i]!)).toBeLessThan(1e-12 * (1 + l[x.n + i]!));
          expect(Math.abs(s[x.n + i]! - l[i]!)).toBeLessThan(1e-12 * (1 + l[i]!));
        }
        const perm = (v: Float64Array) => {
          const out = new Float64Array(v.length);
          for (let r = 0; r < x.n; r++) out.set(v.subarray(r * x.dim, (r + 1) * x.dim), ((r + 1) % x.n) * x.dim);
          return out;
        };
        const p = ntXent(perm(a), perm(b), o);
        for (let r = 0; r < x.n; r++) expect(Math.abs(p[(r + 1) % x.n]! - l[r]!)).toBeLessThan(1e-12 * (1 + l[r]!));
      }),
      { numRuns: 40 },
    );
  });
});

describe('accumulators: the mean of the batches’ losses', () => {
  beforeAll(() => {
    initSync(BUILDS[0].bytes);
  });
  test.each(entries.map((e) => [e.name, e] as const))('%s', (_, e) => {
    const dim = 4;
    const batches = [3, 5, 2].map((n, i) => pairOf(Float64Array, n, dim, 40 + i));
    const means = batches.map(({ a, b }) => e.loss(a, b, { dim, temperature: 0.3 }));
    const sums = batches.map(({ a, b }) => e.loss(a, b, { dim, temperature: 0.3, reduction: 'sum' }));
    const acc = e.loss.create({ dim, temperature: 0.3 });
    acc.update(batches[0]!.a, batches[0]!.b);
    const other = e.loss.create({ dim, temperature: 0.3 });
    for (const x of batches.slice(1)) other.update(x.a, x.b);
    const restored = e.loss.fromJSON(JSON.stringify(other));
    acc.merge(restored);
    expect(acc.result()).toBeCloseTo(sum(means) / 3, 14);
    expect(acc.count).toBe(e.reference.rows(10));
    // an empty batch adds nothing: no mean of its own to count (weight 0), and no rows
    const before = acc.result();
    acc.update(new Float64Array(0), new Float64Array(0));
    expect(acc.result()).toBe(before);
    expect(acc.count).toBe(e.reference.rows(10));
    const total = e.loss.create({ dim, temperature: 0.3, reduction: 'sum' });
    for (const x of batches) total.update(x.a, x.b);
    expect(total.result()).toBeCloseTo(sum(sums), 12);
    expect(acc.toJSON().options).toEqual({
      reduction: 'mean',
      dim,
      temperature: 0.3,
      ...(e.name === 'infoNCE' ? { symmetric: false } : {}),
    });
    expect(() => acc.update(batches[0]!.a, batches[0]!.b, new Float64Array(3))).toThrow(/no weights/);
    const [ka, kb] = e.reference.inputs;
    expect(() => (acc.update as (...x: unknown[]) => void)(batches[0]!.a, batches[0]!.b, undefined, 1)).toThrow(
      `${e.name}.update: takes (${ka}, ${kb}, weights?); got 4 arguments`,
    );
    expect(() => e.loss.create({ dim, reduction: 'none' })).toThrow(
      `${e.name}.create: opts.reduction must be 'mean' or 'sum': an accumulator keeps sums, not per-row losses; got 'none'`,
    );
    if (e.name === 'infoNCE') {
      // a flag set at create holds for every batch, and is kept in the state
      const opts = { dim, temperature: 0.3, symmetric: true, reduction: 'sum' } as const;
      const symmetric = e.loss.create(opts);
      for (const x of batches) symmetric.update(x.a, x.b);
      const want = sum(batches.map(({ a, b }) => e.loss(a, b, opts)));
      expect(want).not.toBeCloseTo(sum(sums), 3);
      expect(symmetric.result()).toBeCloseTo(want, 12);
      expect(symmetric.toJSON().options).toMatchObject({ symmetric: true });
    }
    expect(() => e.loss.create({ dim, weights: new Float64Array(1) })).toThrow(/opts\.weights/);
    expect(() => e.loss.create({})).toThrow(/opts\.dim/);
    expect(() => e.loss.create({ dim, weights: new Float64Array(1) })).toThrow(
      `${e.name}.create: opts.weights is not an accumulator option (weights go with each batch: update(${ka}, ${kb}, weights))`,
    );
    expect(() => e.loss.create({ dim, out: {} } as never)).toThrow(
      `${e.name}.create: opts.out is not an accumulator option (an accumulator computes no gradient)`,
    );
    // no options at all is the same missing opts.dim as {}
    for (const none of [undefined, null]) {
      expect(() => e.loss.create(none as never)).toThrow(expect.objectContaining({ argument: 'opts.dim' }));
      expect(() => e.loss.create(none as never)).toThrow(
        `${e.name}.create: opts.dim (values per row) is required: an integer ≥ 1; got undefined`,
      );
    }
  });
});

describe('bad input', () => {
  beforeAll(() => {
    initSync(BUILDS[0].bytes);
  });
  test.each(entries.map((e) => [e.name, e] as const))('%s', (_, e) => {
    const [ka, kb] = e.reference.inputs;
    const { a, b } = pairOf(Float32Array, 4, 3, 1);
    const refuse = (f: () => unknown, argument: string, message: RegExp) => {
      try {
        f();
      } catch (err) {
        expect(err).toBeInstanceOf(SimdlossError);
        expect((err as SimdlossError).argument).toBe(argument);
        expect((err as Error).message).toMatch(message);
        expect((err as Error).message.startsWith(`${e.name}`)).toBe(true);
        return;
      }
      expect.fail(`no error for ${argument}`);
    };
    refuse(() => e.loss(a, b), 'opts', /opts must be an object with opts\.dim/);
    refuse(() => e.loss(a, b, {}), 'opts.dim', /opts\.dim .* required: an integer ≥ 1; got undefined/);
    refuse(() => e.loss(a, b, { dim: 2.5 }), 'opts.dim', /got 2\.5/);
    refuse(() => e.loss(a, b, { dim: 0 }), 'opts.dim', /an integer ≥ 1; got 0$/);
    refuse(() => e.loss(a, b, { dim: -3 }), 'opts.dim', /an integer ≥ 1; got -3$/);
    refuse(() => e.loss(a, b, { dim: 5 }), ka, new RegExp(`${ka} has 12 elements, not a multiple of opts\\.dim = 5`));
    refuse(() => e.loss(a, b.subarray(0, 9), { dim: 3 }), kb, new RegExp(`${kb} has 9 elements but ${ka} has 12 \\(4 rows`));
    refuse(() => e.loss(a, Float64Array.from(b), { dim: 3 }), kb, /float32 and float64 cannot be mixed/);
    refuse(() => e.loss([1, 2, 3], b, { dim: 3 }), ka, /Float32Array or a Float64Array/);
    for (const t of [0, -1, Number.NaN, Infinity, '1']) {
      refuse(() => e.loss(a, b, { dim: 3, temperature: t }), 'opts.temperature', /must be a finite number > 0; got/);
    }
    refuse(() => e.loss(a, b, { dim: 3, weights: new Float32Array(4) }), 'opts.weights', /takes no weights/);
    refuse(() => e.loss(a, b, { dim: 3, margin: 1 }), 'opts.margin', /margin/);
    refuse(() => e.loss(a, b, { dim: 3, reduction: 'avg' }), 'opts.reduction', /'mean', 'sum' or 'none'/);
    refuse(() => e.loss(a, b, { dim: 3, out: {} }), 'opts.out', /opts\.out is for the gradients/);
    refuse(() => e.loss.grad(a, b, { dim: 3, out: { [ka]: new Float32Array(5) } }), `opts.out.${ka}`, /of 12 elements/);
    refuse(() => e.loss.grad(a, b, { dim: 3, out: { c: new Float32Array(12) } }), 'opts.out.c', /unknown key/);
    refuse(
      () => e.loss.grad(a, b, { dim: 3, out: { [ka]: new Float64Array(12) } }),
      `opts.out.${ka}`,
      new RegExp(`opts\\.out\\.${ka} must be a Float32Array of 12 elements, as ${ka}; got a Float64Array of 12$`),
    );
    const shared = new Float32Array(12);
    refuse(() => e.loss.grad(a, b, { dim: 3, out: { [ka]: shared, [kb]: shared } }), `opts.out.${kb}`, /overlaps/);
    if (e.name === 'infoNCE') refuse(() => e.loss(a, b, { dim: 3, symmetric: 1 }), 'opts.symmetric', /true or false/);
    // still usable afterwards
    expect(Number.isFinite(e.loss(a, b, { dim: 3 }))).toBe(true);
  });
});

describe('differential fuzz: adversarial values (specials, edges, random bits) through both builds', () => {
  test.each(entries.map((e) => [e.name, e] as const))('%s: the same bits in both builds; finite results from finite input', (_, e) => {
    const rand = random(Number(process.env.FUZZ_SEED ?? 20261205) + e.name.length);
    const [ka, kb] = e.reference.inputs;
    for (let c = 0; c < 150; c++) {
      const C = rand() < 0.5 ? Float32Array : Float64Array;
      const n = 1 + Math.floor(rand() * 20);
      const dim = 1 + Math.floor(rand() * 12);
      const xs = [rows(C, n, dim, Math.floor(rand() * 1e9)), rows(C, n, dim, Math.floor(rand() * 1e9))];
      const share = rand() < 0.3 ? 0 : rand() * 0.3;
      for (const x of xs) for (let i = 0; i < x.length; i++) if (rand() < share) special(x, i, rand);
      const opts: Record<string, unknown> = { dim, temperature: [0.01, 0.1, 0.5, 3][Math.floor(rand() * 4)], reduction: 'none' };
      if (e.name === 'infoNCE') opts.symmetric = rand() < 0.5;
      const finite = xs.every((x: Arr) => Array.from(x as ArrayLike<number>).every(Number.isFinite));
      const results = BUILDS.map((build) => {
        initSync(build.bytes);
        const r = e.loss.withGrad(xs[0], xs[1], opts);
        return [r.loss, r.grad[ka], r.grad[kb]] as ArrayLike<number>[];
      });
      const what = `case ${c}: n ${n}, dim ${dim}, ${C.name}, ${JSON.stringify(opts)}`;
      results[0]!.forEach((x, j) => {
        for (let i = 0; i < x.length; i++) {
          const [p, q] = [x[i]!, results[1]![j]![i]!];
          if (!Object.is(p, q) && !(Number.isNaN(p) && Number.isNaN(q))) expect.fail(`${what}: output ${j}[${i}] ${p} vs ${q}`);
          if (finite && !Number.isFinite(p)) expect.fail(`${what}: output ${j}[${i}] = ${p} from finite input`);
        }
      });
    }
  });
});

describe('scratch memory', () => {
  test.each(entries.map((e) => [e.name, e] as const))('%s: each call gives its block back (memory does not grow over calls)', (_, e) => {
    initSync(BUILDS[0].bytes);
    const { a, b } = pairOf(Float64Array, 64, 64, 77);
    // both gradients and the per-row losses staged, plus the workspace: ~100 KB a call
    const first = e.loss.withGrad(a, b, { dim: 64, reduction: 'none' });
    const bytes = lib.memory().buffer.byteLength;
    for (let i = 0; i < 40; i++) e.loss.withGrad(a, b, { dim: 64, reduction: 'none' });
    expect(lib.memory().buffer.byteLength).toBe(bytes);
    expectIdentical(e.loss.withGrad(a, b, { dim: 64, reduction: 'none' }).loss, first.loss);
  });
});
