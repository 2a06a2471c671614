// Every similarity loss (dice, tversky, cosineSimilarity), on both builds and both dtypes, against
// its float64 reference: every reduction, weights, out, zero copy, every dim 1–40 and 1000, 4097,
// 65,536 (rows wider than a slot, streamed a segment at a time, bit-identical to one call on
// WasmArrays), central differences, degenerate rows, accumulators, bad input, the properties.
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import * as lib from '../../src/node.js';
import { alloc, cosineSimilarity, dice, initSync, SimdlossError, tversky } from '../../src/node.js';
import { BUILDS, DTYPES, expectIdentical, random } from '../helpers.js';
import { type Opts, type SimilarityReference, type SimilarityRow, similarityReferences } from '../reference/similarity.js';
import { type SimilarityEntry, similarityOf } from '../registry.js';

type AnyLoss = any; // each loss has its own option type; every call passes the right ones
type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
type Float = Float32Array | Float64Array;
const entries = similarityOf(lib);
const F64_TOLERANCE = 1e-12;
const DIMS = [...Array.from({ length: 40 }, (_, i) => i + 1), 1000, 4097];

/** Rows drawn from the entry's domain; with masks, every other row's target is 0/1; one row of zero target. */
function data(ref: SimilarityReference, C: Ctor, rows: number, dim: number, seed: number): { y: Float; p: Float } {
  const rand = random(seed);
  const draw = ([lo, hi]: readonly [number, number]) => lo + (hi - lo) * rand();
  const y = new C(rows * dim);
  const p = new C(rows * dim);
  for (let r = 0; r < rows; r++) {
    const zero = r === 2;
    for (let k = r * dim; k < (r + 1) * dim; k++) {
      y[k] = zero ? 0 : ref.masks && r % 2 === 0 ? (rand() < 0.4 ? 1 : 0) : draw(ref.domain.target);
      p[k] = draw(ref.domain.pred);
    }
  }
  return { y, p };
}

function referenceRows(ref: SimilarityReference, y: Float, p: Float, dim: number, opts: Opts): SimilarityRow[] {
  const rows = dim > 0 ? y.length / dim : 0;
  return Array.from({ length: rows }, (_, r) => ref.row(y.subarray(r * dim, (r + 1) * dim), p.subarray(r * dim, (r + 1) * dim), opts));
}

/**
 * Per-row losses (times weights), the reduced loss, and the gradient of the reduction, each within tol
 * of its scale: a row's loss of 1 (the losses' range), a gradient element of its row's gradScale.
 */
function check(
  rows: SimilarityRow[],
  dim: number,
  tol: number,
  what: string,
  got: { loss?: unknown; grad?: Float },
  reduction: string,
  weights?: ArrayLike<number>,
): void {
  const w = (r: number) => (weights ? weights[r]! : 1);
  const wsum = rows.reduce((s, _, r) => s + w(r), 0);
  const k = reduction === 'mean' ? (wsum > 0 ? 1 / wsum : 0) : 1;
  if (got.loss !== undefined) {
    if (reduction === 'none') {
      const losses = got.loss as Float;
      expect(losses.length, what).toBe(rows.length);
      rows.forEach((row, r) => {
        if (!(Math.abs(losses[r]! - w(r) * row.loss) <= tol * w(r)))
          expect.fail(`${what} loss[${r}] = ${losses[r]}, expected ${w(r) * row.loss}`);
      });
    } else {
      const total = rows.reduce((s, row, r) => s + w(r) * row.loss, 0);
      const scale = rows.reduce((s, _, r) => s + w(r), 0);
      const want = k * total;
      if (!(Math.abs((got.loss as number) - want) <= tol * k * scale + 1e-15)) expect.fail(`${what} loss = ${got.loss}, expected ${want}`);
    }
  }
  if (got.grad !== undefined) {
    expect(got.grad.length, what).toBe(rows.length * dim);
    rows.forEach((row, r) => {
      const c = k * w(r);
      for (let j = 0; j < dim; j++) {
        const a = got.grad![r * dim + j]!;
        const e = c * row.grad[j]!;
        if (!(Math.abs(a - e) <= tol * c * row.gradScale + 2 ** -140)) expect.fail(`${what} grad[${r * dim + j}] = ${a}, expected ${e}`);
      }
    });
  }
}

const copyTo = (x: Float, dtype: 'f32' | 'f64') => {
  const a = alloc(x.length, dtype);
  a.array.set(x);
  return a;
};

for (const build of BUILDS) {
  describe(`${build.name} build`, () => {
    beforeAll(() => {
      expect(initSync(build.bytes).simd).toBe(build.simd);
    });
    for (const entry of entries) {
      const ref = entry.reference;
      const loss = entry.loss as AnyLoss;
      for (const dtype of DTYPES) {
        const C = dtype.Array;
        const tol = dtype.name === 'f32' ? entry.f32Tolerance : F64_TOLERANCE;

        test(`${entry.name} ${dtype.name}: every reduction and the gradient of each match the reference, dim 1–40, 1000, 4097`, () => {
          for (const opts of entry.cases) {
            for (const dim of DIMS) {
              for (const rows of dim > 40 ? [1, 3] : [0, 1, 3, 7]) {
                const { y, p } = data(ref, C, rows, dim, rows * 131 + dim);
                const want = referenceRows(ref, y, p, dim, opts);
                const o = { ...opts, dim };
                const at = `${JSON.stringify(o)} rows=${rows}`;
                check(want, dim, tol, `mean ${at}`, { loss: loss(y, p, o) }, 'mean');
                check(want, dim, tol, `sum ${at}`, { loss: loss(y, p, { ...o, reduction: 'sum' }) }, 'sum');
                const none = loss(y, p, { ...o, reduction: 'none' });
                expect(none).toBeInstanceOf(C);
                check(want, dim, tol, `none ${at}`, { loss: none }, 'none');
                for (const reduction of ['mean', 'sum', 'none']) {
                  const g = loss.grad(y, p, { ...o, reduction });
                  expect(g).toBeInstanceOf(C);
                  check(want, dim, tol, `grad ${reduction} ${at}`, { grad: g }, reduction);
                  const both = loss.withGrad(y, p, { ...o, reduction });
                  expectIdentical(both.grad, g, `withGrad's gradient ${reduction} ${at}`);
                  if (reduction === 'none') expectIdentical(both.loss, none, `withGrad's losses ${at}`);
                  else expect(both.loss).toBe(loss(y, p, { ...o, reduction }));
                }
              }
            }
          }
        });

        test(`${entry.name} ${dtype.name}: weights in every reduction, rows across chunk edges`, () => {
          for (const opts of entry.cases) {
            // dim 100: 81 (f32) or 40 (f64) rows per 32 KiB chunk
            const dim = 100;
            const rows = 170;
            const { y, p } = data(ref, C, rows, dim, 5);
            const rand = random(9);
            const weights = new C(rows).map((_, r) => (r % 13 === 0 ? 0 : rand() * 3));
            const want = referenceRows(ref, y, p, dim, opts);
            for (const reduction of ['mean', 'sum', 'none']) {
              const o = { ...opts, dim, weights, reduction };
              const both = loss.withGrad(y, p, o);
              check(want, dim, tol, `weighted ${reduction} ${JSON.stringify(opts)}`, both, reduction, weights);
            }
            const zero = new C(rows);
            const both = loss.withGrad(y, p, { ...opts, dim, weights: zero });
            expect(both.loss).toBe(0);
            expect(both.grad.every((v: number) => v === 0)).toBe(true);
          }
        });

        test(`${entry.name} ${dtype.name}: rows of 65,536 and 8193 (wider than a slot) match the reference and zero copy bit for bit`, () => {
          for (const dim of [65536, 8193, 4097]) {
            const rows = dim === 65536 ? 3 : 2;
            const { y, p } = data(ref, C, rows, dim, dim);
            const weights = C.of(...Array.from({ length: rows }, (_, r) => 0.5 + r));
            const opts = entry.cases[entry.cases.length - 1]!;
            const want = referenceRows(ref, y, p, dim, opts);
            const o = { ...opts, dim, weights };
            const copied = { none: loss(y, p, { ...o, reduction: 'none' }), mean: loss(y, p, o), both: loss.withGrad(y, p, o) };
            check(want, dim, tol, `wide none dim=${dim}`, { loss: copied.none }, 'none', weights);
            check(want, dim, tol, `wide dim=${dim}`, copied.both, 'mean', weights);
            expect(copied.mean).toBe(copied.both.loss);
            const wy = copyTo(y, dtype.name);
            const wp = copyTo(p, dtype.name);
            const out = alloc(y.length, dtype.name);
            const inPlace = loss.withGrad(wy, wp, { ...o, out });
            expect(inPlace.loss, `dim=${dim}`).toBe(copied.both.loss);
            expectIdentical(inPlace.grad, copied.both.grad, `zero copy dim=${dim}`);
            expectIdentical(loss(wy, p, { ...o, reduction: 'none' }), copied.none, `half copied dim=${dim}`);
            // The gradient written over pred itself, a segment at a time.
            const own = C.from(p);
            loss.grad(y, own, { ...o, out: own });
            expectIdentical(own, copied.both.grad, `out = pred dim=${dim}`);
            for (const a of [wy, wp, out]) a.free();
          }
        });

        if (dtype.name === 'f64') {
          test(`${entry.name}: central differences of the float64 kernel, dims 1–9`, () => {
            for (const opts of entry.cases) {
              for (let dim = 1; dim <= 9; dim++) {
                const { y, p } = data(ref, Float64Array, 3, dim, dim + 40);
                // away from the [0, 1] edges, so that p ± h stays in the domain
                for (let k = 0; k < p.length; k++) p[k] = 0.05 + 0.9 * p[k]!;
                const g = loss.grad(y, p, { ...opts, dim, reduction: 'sum' }) as Float64Array;
                const h = 1e-6;
                for (let k = 0; k < p.length; k++) {
                  const at = p[k]!;
                  p[k] = at + h;
                  const up = loss(y, p, { ...opts, dim, reduction: 'sum' }) as number;
                  p[k] = at - h;
                  const down = loss(y, p, { ...opts, dim, reduction: 'sum' }) as number;
                  p[k] = at;
                  const fd = (up - down) / (2 * h);
                  // the difference's error: its rounding (2·2⁻⁵³·|loss|/h ≈ 1e-10·loss) plus h²·f‴ (≲ 1e-9 on these rows)
                  if (!(Math.abs(g[k]! - fd) <= 1e-6 * (1 + Math.abs(fd))))
                    expect.fail(`${JSON.stringify(opts)} dim=${dim} grad[${k}] = ${g[k]}, fd ${fd}`);
                }
              }
            }
          });
        }
      }
    }
  });
}

describe('the SIMD and scalar builds agree bit for bit', () => {
  test.each(entries.map((e) => [e.name, e] as const))('%s', (_, entry) => {
    const loss = entry.loss as AnyLoss;
    for (const dtype of DTYPES) {
      for (const opts of entry.cases) {
        const runs = BUILDS.map((build) => {
          initSync(build.bytes);
          return [1, 3, 4, 5, 7, 8, 9, 16, 33, 1023, 1025, 8193].map((dim) => {
            const { y, p } = data(entry.reference, dtype.Array, 3, dim, dim);
            return { dim, mean: loss(y, p, { ...opts, dim }) as number, both: loss.withGrad(y, p, { ...opts, dim, reduction: 'none' }) };
          });
        });
        runs[0]!.forEach((simd, k) => {
          const scalar = runs[1]![k]!;
          const at = `${dtype.name} ${JSON.stringify(opts)} dim=${simd.dim}`;
          expect(simd.mean, at).toBe(scalar.mean);
          expectIdentical(simd.both.loss, scalar.both.loss, `losses ${at}`);
          expectIdentical(simd.both.grad, scalar.both.grad, `grad ${at}`);
        });
      }
    }
  });
});

describe('degenerate rows and extreme values, on both builds', () => {
  for (const build of BUILDS) {
    test(`${build.name}: empty masks, full masks, zero rows, tiny and huge smoothing and values`, () => {
      initSync(build.bytes);
      for (const dtype of DTYPES) {
        const C = dtype.Array;
        const tol = (e: SimilarityEntry) => (dtype.name === 'f32' ? e.f32Tolerance : F64_TOLERANCE);
        for (const dim of [1, 4, 5, 9, 4097]) {
          const zeros = new C(dim);
          const ones = new C(dim).fill(1);
          const half = new C(dim).fill(0.5);
          for (const [y, p] of [
            [zeros, zeros],
            [ones, ones],
            [ones, zeros],
            [zeros, ones],
            [half, ones],
            [ones, half],
          ]) {
            for (const entry of entries) {
              for (const opts of [
                {},
                ...entry.cases,
                ...(entry.name === 'cosineSimilarity' ? [] : [{ smooth: 1e-30 }, { smooth: 1e30 }]),
              ]) {
                const both = (entry.loss as AnyLoss).withGrad(y, p, { ...opts, dim, reduction: 'none' });
                const want = referenceRows(entry.reference, y!, p!, dim, opts);
                check(
                  want,
                  dim,
                  tol(entry),
                  `${entry.name} ${dtype.name} ${JSON.stringify(opts)} y=${y![0]} p=${p![0]} dim=${dim}`,
                  both,
                  'sum',
                );
                check(want, dim, tol(entry), `${entry.name} losses`, { loss: both.loss }, 'none');
              }
            }
          }
        }
        // Cosine: a zero target row gives loss 0 and gradient 0; a zero pred row a finite gradient, and a
        // pred row of norm below the floor 1e-6 the floor's (no second term: the floor is a constant).
        const y = C.of(0, 0, 0, 1, 2, 3, 1, 2, 3);
        const p = C.of(1, 2, 3, 0, 0, 0, 1e-7, -3e-7, 2e-7);
        const both = cosineSimilarity.withGrad(y, p, { dim: 3, reduction: 'none' }) as { loss: Float; grad: Float };
        expectIdentical(both.loss.subarray(0, 1), [0], 'zero target row');
        expectIdentical(both.grad.subarray(0, 3), [0, 0, 0], 'zero target row');
        const cosine = entries.find((e) => e.name === 'cosineSimilarity')!;
        check(referenceRows(cosine.reference, y, p, 3, {}), 3, tol(cosine), 'zero and tiny pred', { grad: both.grad }, 'sum');
        check(referenceRows(cosine.reference, y, p, 3, {}), 3, tol(cosine), 'zero and tiny pred', { loss: both.loss }, 'none');
        // Scale: cos is scale-free for norms from 1e-6 (the floor) to 1e30 (float32: squares beyond float32) and 1e150 (float64).
        const big = dtype.name === 'f32' ? 1e30 : 1e150;
        for (const s of [1e-6, big]) {
          const a = C.of(1, -2, 3, 4, 0.5).map((v) => v * s);
          const b = C.of(2, 1, 1, -1, 3).map((v) => v * s);
          const got = cosineSimilarity.withGrad(a, b, { dim: 5, reduction: 'sum' }) as { loss: number; grad: Float };
          const want = referenceRows(similarityReferences.cosineSimilarity!, C.of(1, -2, 3, 4, 0.5), C.of(2, 1, 1, -1, 3), 5, {});
          expect(Math.abs(got.loss - want[0]!.loss)).toBeLessThan(dtype.name === 'f32' ? 1e-6 : 1e-12);
          for (let j = 0; j < 5; j++) {
            const e = want[0]!.grad[j]! / s;
            if (!(Math.abs(got.grad[j]! - e) <= 1e-5 * Math.abs(want[0]!.gradScale / s)))
              expect.fail(`${dtype.name} scale ${s} grad[${j}] = ${got.grad[j]}, expected ${e}`);
          }
        }
      }
    });
  }
});

describe('accumulators', () => {
  test.each(entries.map((e) => [e.name, e] as const))('%s: batches over updates, merged, restored, equal one call', (_, entry) => {
    initSync(BUILDS[0].bytes);
    const loss = entry.loss as AnyLoss;
    for (const dtype of DTYPES) {
      for (const dim of [5, 9000]) {
        const rows = dim > 1000 ? 4 : 40;
        const { y, p } = data(entry.reference, dtype.Array, rows, dim, 3);
        const w = new dtype.Array(rows).map((_, r) => 1 + (r % 3));
        const opts = { ...entry.cases[1 % entry.cases.length]!, dim };
        for (const reduction of ['mean', 'sum'] as const) {
          const one = loss(y, p, { ...opts, reduction, weights: w });
          const a = loss.create({ ...opts, reduction });
          const b = loss.create({ ...opts, reduction });
          const cut = Math.floor(rows / 2) * dim;
          a.update(y.subarray(0, cut), p.subarray(0, cut), w.subarray(0, cut / dim));
          b.update(y.subarray(cut), p.subarray(cut), w.subarray(cut / dim));
          a.merge(loss.fromJSON(JSON.stringify(b.toJSON())));
          const tol = dtype.name === 'f32' ? 1e-6 : 1e-14;
          expect(Math.abs(a.result() - one)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(one)) * (reduction === 'sum' ? rows * 3 : 1));
          expect(() => loss.create({ ...opts, weights: w })).toThrow(SimdlossError);
        }
      }
    }
  });
});

describe('bad input', () => {
  test.each(entries.map((e) => [e.name, e] as const))(
    '%s: values outside the domain are named by argument, index and value',
    (_, entry) => {
      initSync(BUILDS[0].bytes);
      const loss = entry.loss as AnyLoss;
      const bad = entry.checked;
      for (const dtype of DTYPES) {
        // 3, 8: rows summed ahead of the previous row's gradient; 2000: after it (a row that fits a slot, longer than a block); 9000: wide
        for (const dim of [3, 8, 2000, 9000]) {
          const rows = 3;
          const { y, p } = data(entry.reference, dtype.Array, rows, dim, 7);
          if (bad === undefined) {
            // no domain: NaN passes through to the row's loss, never an error
            p[dim + 1] = NaN;
            expect(Number.isNaN((loss(y, p, { dim, reduction: 'none' }) as Float)[1])).toBe(true);
            continue;
          }
          for (const value of bad.bad) {
            for (const argument of ['target', 'pred'] as const) {
              for (const at of [0, dim - 1, dim + 2, rows * dim - 1]) {
                const x = { target: dtype.Array.from(y), pred: dtype.Array.from(p) };
                x[argument][at] = value;
                const seen = x[argument][at];
                for (const f of [loss, loss.grad, loss.withGrad]) {
                  let error: unknown;
                  try {
                    f(x.target, x.pred, { dim });
                  } catch (e) {
                    error = e;
                  }
                  expect(error, `${argument}[${at}] = ${value} dim=${dim}`).toBeInstanceOf(SimdlossError);
                  const e = error as SimdlossError;
                  expect(e.argument).toBe(argument);
                  expect(e.index).toBe(at);
                  expect(e.message).toContain(`${entry.name}`);
                  expect(e.message).toContain(`${argument}[${at}] must be ${bad.message}; got ${String(seen)}`);
                }
              }
            }
          }
        }
      }
      // the library stays usable
      const { y, p } = data(entry.reference, Float32Array, 2, 4, 1);
      expect(Number.isFinite(loss(y, p, { dim: 4 }))).toBe(true);
    },
  );

  test.each(entries.map((e) => [e.name, e] as const))('%s: options, lengths and dtypes', (_, entry) => {
    initSync(BUILDS[0].bytes);
    const loss = entry.loss as AnyLoss;
    const y = new Float32Array(6);
    const p = new Float32Array(6);
    const refuse = (f: () => unknown, argument: string, message: RegExp) => {
      let error: unknown;
      try {
        f();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SimdlossError);
      expect((error as SimdlossError).argument).toBe(argument);
      expect((error as SimdlossError).message).toMatch(message);
    };
    refuse(() => loss(y, p), 'opts', /opts must be an object with opts.dim/);
    refuse(() => loss(y, p, {}), 'opts.dim', /opts.dim \(values per row\) is required: an integer ≥ 1; got undefined/);
    refuse(() => loss(y, p, { dim: 0 }), 'opts.dim', /got 0/);
    refuse(() => loss(y, p, { dim: 1.5 }), 'opts.dim', /got 1.5/);
    refuse(() => loss(y, p, { dim: 4 }), 'opts.dim', /must divide the length of pred; got 4 for 6 elements/);
    refuse(() => loss(y, new Float32Array(3), { dim: 3 }), 'target', /target/);
    refuse(() => loss(new Float64Array(6), p, { dim: 3 }), 'target', /target/);
    refuse(() => loss(y, p, { dim: 3, weights: new Float32Array(3) }), 'opts.weights', /3 elements but pred has 2 rows/);
    refuse(() => loss(y, p, { dim: 3, weights: new Float64Array(2) }), 'opts.weights', /cannot be mixed/);
    refuse(() => loss(y, p, { dim: 3, weights: Float32Array.of(1, -1) }), 'opts.weights', /opts.weights\[1\]/);
    refuse(() => loss(y, p, { dim: 3, classes: 3 }), 'opts.classes', /classes/);
    refuse(() => loss(y, p, { dim: 3, out: new Float32Array(6) }), 'opts.out', /returns none/);
    refuse(() => loss.grad(y, p, { dim: 3, out: new Float32Array(5) }), 'opts.out', /opts.out/);
    const shared = new Float32Array(7);
    refuse(() => loss.grad(y, shared.subarray(0, 6), { dim: 3, out: shared.subarray(1) }), 'opts.out', /opts.out/);
    for (const option of entry.options) {
      for (const value of [option.min - 1, NaN, Infinity, '1', ...(option.minOpen ? [option.min] : [])]) {
        refuse(() => loss(y, p, { dim: 3, [option.name]: value }), `opts.${option.name}`, new RegExp(`opts.${option.name}`));
        refuse(() => loss.create({ dim: 3, [option.name]: value }), `opts.${option.name}`, new RegExp(`opts.${option.name}`));
      }
    }
  });
});

describe('properties', () => {
  const rowArb = (dim: number) => fc.float64Array({ minLength: dim, maxLength: dim, min: 0, max: 1, noNaN: true });

  test('dice and tversky lie in [0, 1] for target and pred in [0, 1], float32 and float64', () => {
    initSync(BUILDS[0].bytes);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }).chain((dim) => fc.tuple(fc.constant(dim), rowArb(dim * 3), rowArb(dim * 3))),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.double({ min: 1e-8, max: 10, noNaN: true }),
        ([dim, y, p], alpha, beta, smooth) => {
          for (const C of [Float32Array, Float64Array]) {
            const losses = [
              dice(C.from(y), C.from(p), { dim, smooth, reduction: 'none' }),
              tversky(C.from(y), C.from(p), { dim, alpha, beta, smooth, reduction: 'none' }),
            ];
            for (const l of losses) for (const v of l) if (!(v >= 0 && v <= 1)) return false;
          }
          return true;
        },
      ),
      { seed: 19, numRuns: 300 },
    );
  });

  test('tversky with α = β = 0.5 and smoothing s is dice with smoothing 2s', () => {
    initSync(BUILDS[0].bytes);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }).chain((dim) => fc.tuple(fc.constant(dim), rowArb(dim * 2), rowArb(dim * 2))),
        fc.double({ min: 1e-6, max: 1, noNaN: true }),
        ([dim, y, p], s) => {
          // (TP + s)/(½(Σy + Σp) + s) = (2TP + 2s)/(Σy + Σp + 2s): the same loss, its terms summed in another order
          const t = tversky.withGrad(y, p, { dim, smooth: s, reduction: 'none' });
          const d = dice.withGrad(y, p, { dim, smooth: 2 * s, reduction: 'none' });
          for (let r = 0; r < t.loss.length; r++) if (!(Math.abs(t.loss[r]! - d.loss[r]!) <= 1e-14)) return false;
          for (let k = 0; k < y.length; k++) if (!(Math.abs(t.grad[k]! - d.grad[k]!) <= 1e-13 * (1 + Math.abs(d.grad[k]!)))) return false;
          return true;
        },
      ),
      { seed: 19, numRuns: 300 },
    );
  });

  test('cosineSimilarity lies in [−1, 1], is −1 for a row and a positive multiple of it, and scale-free', () => {
    initSync(BUILDS[0].bytes);
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 40 })
          .chain((dim) =>
            fc.tuple(
              fc.constant(dim),
              fc.float64Array({ minLength: dim, maxLength: dim, min: -1e3, max: 1e3, noNaN: true }),
              fc.float64Array({ minLength: dim, maxLength: dim, min: -1e3, max: 1e3, noNaN: true }),
            ),
          ),
        fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
        ([dim, y, p], k) => {
          const l = cosineSimilarity(y, p, { dim }) as number;
          if (!(l >= -1 && l <= 1)) return false;
          const norm = Math.hypot(...y);
          if (
            norm > 1e-3 &&
            !(
              Math.abs(
                (cosineSimilarity(
                  y,
                  y.map((v) => k * v),
                  { dim },
                ) as number) + 1,
              ) <= 1e-14
            )
          )
            return false;
          return (
            Math.abs(
              (cosineSimilarity(
                y,
                p.map((v) => k * v),
                { dim },
              ) as number) - l,
            ) <= 1e-13 ||
            Math.hypot(...p) * k < 1e-6 ||
            Math.hypot(...p) < 1e-6
          );
        },
      ),
      { seed: 19, numRuns: 300 },
    );
  });
});
