// Every embedding loss of the registry, on both builds and both dtypes, against its float64
// reference: reductions, weights, out, zero copy, every dim around the SIMD tiles, row counts
// across chunk edges, central differences for every input, zero distances and norms, bad input.
import { beforeAll, describe, expect, expectTypeOf, test } from 'vitest';
import * as lib from '../../src/node.js';
import { alloc, contrastive, cosineEmbedding, initSync, SimdlossError, triplet } from '../../src/node.js';
import { type EmbeddingEntry, registryOf } from '../registry.js';

const registry = registryOf(lib);

import { BUILDS, DTYPES, expectIdentical, expectNear, random, refusal, uniform } from '../helpers.js';
import { embeddingReferences, type Opts, type RowResult } from '../reference/embedding.js';

type AnyLoss = any; // pair and triplet losses have different signatures; each call passes the right arguments
type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const entries = registry.filter((e): e is EmbeddingEntry => e.kind === 'embedding');
const DIMS = [1, 3, 4, 5, 127, 128, 768];
const F64_TOLERANCE = 1e-12;

interface Data {
  label: Float32Array | Float64Array | undefined;
  xs: (Float32Array | Float64Array)[];
}

/** Rows from [-1, 1]; labels drawn per kind; some rows with equal inputs (zero distances). */
function data(entry: EmbeddingEntry, C: Ctor, rows: number, dim: number, seed: number): Data {
  const rand = random(seed);
  const xs = entry.inputs.map(() => uniform(C, rows * dim, [-1, 1], rand));
  const label = entry.labels === 'none' ? undefined : new C(rows);
  for (let r = 0; r < rows; r++) {
    if (label) label[r] = entry.labels === 'sign' ? (rand() < 0.5 ? -1 : 1) : rand() < 0.4 ? 0 : rand() < 0.8 ? 1 : rand();
  }
  // Every 5th row: the second input equals the first (a = b, or positive = anchor).
  for (let r = 3; r < rows; r += 5) xs[1]!.set(xs[0]!.subarray(r * dim, (r + 1) * dim), r * dim);
  return { label, xs };
}

/** Calls f, f.grad or f.withGrad with the loss's own argument order. */
function call(entry: EmbeddingEntry, method: 'loss' | 'grad' | 'withGrad', d: { label?: unknown; xs: unknown[] }, opts: object): any {
  const loss = entry.loss as AnyLoss;
  const f = method === 'loss' ? loss : loss[method];
  return entry.inputs.length === 2 ? f(d.label, d.xs[0], d.xs[1], opts) : f(d.xs[0], d.xs[1], d.xs[2], opts);
}

function referenceRows(entry: EmbeddingEntry, d: Data, dim: number, opts: Opts): RowResult[] {
  const ref = embeddingReferences[entry.name]!;
  const rows = d.xs[0]!.length / dim;
  const out: RowResult[] = [];
  for (let r = 0; r < rows; r++) {
    const xs = d.xs.map((x) => Array.from(x.subarray(r * dim, (r + 1) * dim)));
    out.push(ref.row(d.label ? d.label[r]! : NaN, xs, opts));
  }
  return out;
}

/** Checks a run against the reference rows: per-row losses, the reduction, and every gradient. */
function checkAgainst(
  entry: EmbeddingEntry,
  ref: RowResult[],
  dim: number,
  tol: number,
  what: string,
  got: { losses?: ArrayLike<number>; loss?: number; grads?: Record<string, ArrayLike<number>> },
  reduction: 'mean' | 'sum' | 'none',
  w?: ArrayLike<number>,
): void {
  const weight = (r: number) => (w ? w[r]! : 1);
  const wsum = ref.reduce((s, _, r) => s + weight(r), 0);
  const k = reduction === 'mean' ? (wsum > 0 ? 1 / wsum : 0) : 1;
  if (got.losses) {
    expect(got.losses.length).toBe(ref.length);
    ref.forEach((row, r) => {
      const e = weight(r) * row.loss;
      if (!(Math.abs(got.losses![r]! - e) <= tol * weight(r) * row.scale))
        expect.fail(`${what} loss[${r}] = ${got.losses![r]}, expected ${e}`);
    });
  }
  if (got.loss !== undefined) {
    const e = k * ref.reduce((s, row, r) => s + weight(r) * row.loss, 0);
    const scale = k * ref.reduce((s, row, r) => s + weight(r) * row.scale, 0);
    if (!(Math.abs(got.loss - e) <= tol * scale)) expect.fail(`${what} loss = ${got.loss}, expected ${e}`);
  }
  if (got.grads) {
    entry.inputs.forEach((name, j) => {
      const g = got.grads![name]!;
      expect(g.length, `${what} grad.${name} length`).toBe(ref.length * dim);
      ref.forEach((row, r) => {
        if (tol > F64_TOLERANCE && row.kinkGap < 1e-4 * row.scale) return; // float32 may take the other side
        const e = row.grads[j]!;
        for (let i = 0; i < dim; i++) {
          const want = k * weight(r) * e[i]!;
          if (!(Math.abs(g[r * dim + i]! - want) <= tol * k * weight(r) * row.gradScale)) {
            expect.fail(`${what} grad.${name}[${r * dim + i}] (row ${r}) = ${g[r * dim + i]}, expected ${want}`);
          }
        }
      });
    });
  }
}

const noNaN = (x: ArrayLike<number>) => Array.prototype.every.call(x, (v: number) => Number.isFinite(v));

for (const build of BUILDS) {
  describe(`${build.name} build`, () => {
    beforeAll(() => {
      expect(initSync(build.bytes).simd).toBe(build.simd);
    });

    for (const entry of entries) {
      for (const dtype of DTYPES) {
        const C = dtype.Array;
        const tol = dtype.name === 'f32' ? entry.f32Tolerance : F64_TOLERANCE;

        test(`${entry.name} ${dtype.name}: every reduction and gradient matches the reference, dims ${DIMS.join(', ')}`, () => {
          for (const opts of entry.cases) {
            for (const dim of DIMS) {
              for (const rows of [0, 1, 2, 7, dim <= 5 ? 130 : 9]) {
                const d = data(entry, C, rows, dim, rows * 31 + dim);
                const ref = referenceRows(entry, d, dim, opts);
                const o = { ...opts, dim };
                const at = `${JSON.stringify(o)} rows=${rows}`;
                checkAgainst(entry, ref, dim, tol, `mean ${at}`, { loss: call(entry, 'loss', d, o) }, 'mean');
                checkAgainst(entry, ref, dim, tol, `sum ${at}`, { loss: call(entry, 'loss', d, { ...o, reduction: 'sum' }) }, 'sum');
                const none = call(entry, 'loss', d, { ...o, reduction: 'none' });
                expect(none).toBeInstanceOf(C);
                checkAgainst(entry, ref, dim, tol, `none ${at}`, { losses: none }, 'none');
                for (const reduction of ['mean', 'sum', 'none'] as const) {
                  const grads = call(entry, 'grad', d, { ...o, reduction });
                  expect(Object.keys(grads)).toEqual(entry.inputs);
                  for (const name of entry.inputs) expect(grads[name]).toBeInstanceOf(C);
                  checkAgainst(entry, ref, dim, tol, `grad ${reduction} ${at}`, { grads }, reduction);
                }
              }
            }
          }
        });

        test(`${entry.name} ${dtype.name}: rows across chunk edges, weights in every reduction`, () => {
          for (const opts of entry.cases) {
            // dim 128: 64 (f32) or 32 (f64) rows per 32 KiB chunk.
            for (const rows of [63, 65, 129]) {
              const dim = 128;
              const d = data(entry, C, rows, dim, rows);
              const w = uniform(C, rows, [0, 2], random(rows + 1));
              for (let r = 1; r < rows; r += 4) w[r] = 0;
              const ref = referenceRows(entry, d, dim, opts);
              const o = { ...opts, dim, weights: w };
              const at = `${JSON.stringify(opts)} rows=${rows}`;
              for (const reduction of ['mean', 'sum'] as const) {
                const both = call(entry, 'withGrad', d, { ...o, reduction });
                checkAgainst(entry, ref, dim, tol, `weighted ${reduction} ${at}`, { loss: both.loss, grads: both.grad }, reduction, w);
              }
              const none = call(entry, 'withGrad', d, { ...o, reduction: 'none' });
              checkAgainst(entry, ref, dim, tol, `weighted none ${at}`, { losses: none.loss, grads: none.grad }, 'none', w);
              // Weights of all ones are no weights at all.
              const ones = new C(rows).fill(1);
              expect(call(entry, 'loss', d, { ...opts, dim, weights: ones })).toBe(call(entry, 'loss', d, { ...opts, dim }));
            }
          }
        });

        test(`${entry.name} ${dtype.name}: withGrad is loss and grad from one pass, bit for bit`, () => {
          for (const opts of entry.cases) {
            for (const [rows, dim] of [
              [0, 3],
              [5, 5],
              [65, 128],
              [3, 768],
            ] as const) {
              const d = data(entry, C, rows, dim, 7 * rows + dim);
              for (const reduction of ['mean', 'sum', 'none'] as const) {
                const o = { ...opts, dim, reduction };
                const both = call(entry, 'withGrad', d, o);
                const loss = call(entry, 'loss', d, o);
                if (reduction === 'none') expectIdentical(both.loss, loss, `none rows=${rows}`);
                else expect(both.loss).toBe(loss);
                const grads = call(entry, 'grad', d, o);
                for (const name of entry.inputs) expectIdentical(both.grad[name], grads[name], `${reduction} grad.${name}`);
              }
            }
          }
        });

        test(`${entry.name} ${dtype.name}: a mean over nothing is 0 with empty gradients; zero weights give zero gradients`, () => {
          const empty = { label: entry.labels === 'none' ? undefined : new C(0), xs: entry.inputs.map(() => new C(0)) };
          expect(call(entry, 'loss', empty, { dim: 4 })).toBe(0);
          expect(call(entry, 'loss', empty, { dim: 4, reduction: 'sum' })).toBe(0);
          expect(call(entry, 'loss', empty, { dim: 4, reduction: 'none' })).toEqual(new C(0));
          const both = call(entry, 'withGrad', empty, { dim: 4 });
          expect(both.loss).toBe(0);
          for (const name of entry.inputs) expect(both.grad[name]).toEqual(new C(0));
          const d = data(entry, C, 6, 5, 1);
          const zero = call(entry, 'withGrad', d, { dim: 5, weights: new C(6) });
          expect(zero.loss).toBe(0);
          for (const name of entry.inputs)
            expect(
              Array.from(zero.grad[name] as ArrayLike<number>).every((g) => g === 0),
              name,
            ).toBe(true);
        });

        test(`${entry.name} ${dtype.name}: opts.out per input (any subset, a WasmArray, the input itself)`, () => {
          const rows = 70;
          const dim = 127;
          const d = data(entry, C, rows, dim, 5);
          const want = call(entry, 'grad', d, { dim });
          const [first, ...rest] = entry.inputs;
          const out = new C(rows * dim);
          const some = call(entry, 'grad', d, { dim, out: { [first!]: out } });
          expect(some[first!]).toBe(out);
          for (const name of entry.inputs) expectIdentical(some[name], want[name], `subset ${name}`);
          const wasmOut = Object.fromEntries(entry.inputs.map((name) => [name, alloc(rows * dim, dtype.name)]));
          const all = call(entry, 'withGrad', d, { dim, out: wasmOut });
          for (const name of entry.inputs) {
            expect(all.grad[name]).toBe(wasmOut[name]!.array);
            expectIdentical(all.grad[name], want[name], `WasmArray ${name}`);
            wasmOut[name]!.free();
          }
          // Each gradient written over its own input.
          const copy = { label: d.label, xs: d.xs.map((x) => x.slice()) };
          const inPlace = call(entry, 'grad', copy, { dim, out: Object.fromEntries(entry.inputs.map((name, j) => [name, copy.xs[j]])) });
          entry.inputs.forEach((name, j) => {
            expect(inPlace[name]).toBe(copy.xs[j]);
            expectIdentical(copy.xs[j]!, want[name], `in place ${name}`);
          });
          void rest;
        });

        test(`${entry.name} ${dtype.name}: WasmArrays for every argument give the same results as ordinary arrays`, () => {
          for (const [rows, dim] of [
            [0, 4],
            [13, 5],
            [100, 128],
          ] as const) {
            const d = data(entry, C, rows, dim, rows + dim);
            const w = uniform(C, rows, [0, 3], random(rows));
            const place = (x: Float32Array | Float64Array) => {
              const a = alloc(x.length, dtype.name);
              a.array.set(x);
              return a;
            };
            const wl = d.label && place(d.label);
            const wx = d.xs.map(place);
            const ww = place(w);
            for (const reduction of ['mean', 'sum', 'none'] as const) {
              const plain = call(entry, 'withGrad', d, { dim, reduction, weights: w });
              for (const mixed of [
                call(entry, 'withGrad', { label: wl, xs: wx }, { dim, reduction, weights: ww }),
                call(entry, 'withGrad', { label: wl?.array, xs: [d.xs[0], ...wx.slice(1)] }, { dim, reduction, weights: ww.array }),
                call(entry, 'withGrad', { label: d.label, xs: [wx[0]!.array, ...d.xs.slice(1)] }, { dim, reduction, weights: w }),
              ]) {
                if (reduction === 'none') expectIdentical(mixed.loss, plain.loss, `none ${rows}x${dim}`);
                else expect(mixed.loss).toBe(plain.loss);
                for (const name of entry.inputs) expectIdentical(mixed.grad[name], plain.grad[name], `${reduction} ${name}`);
              }
            }
            [wl, ...wx, ww].forEach((a) => void a?.free());
          }
        });

        test(`${entry.name} ${dtype.name}: one input a WasmArray, the others ordinary, into WasmArray gradients: chunks of a slot`, () => {
          // 100 rows of 128 values are more than a slot holds: the ordinary inputs are copied a slot's worth at a time
          const [rows, dim] = [100, 128];
          const d = data(entry, C, rows, dim, 7);
          const plain = call(entry, 'withGrad', d, { dim });
          const first = alloc(rows * dim, dtype.name);
          first.array.set(d.xs[0]!);
          const outs = Object.fromEntries(entry.inputs.map((name) => [name, alloc(rows * dim, dtype.name)]));
          const mixed = call(entry, 'withGrad', { label: d.label, xs: [first, ...d.xs.slice(1)] }, { dim, out: outs });
          expect(mixed.loss).toBe(plain.loss);
          for (const name of entry.inputs) expectIdentical(mixed.grad[name], plain.grad[name], name);
          [first, ...Object.values(outs)].forEach((a) => void a.free());
        });

        test(`${entry.name} ${dtype.name}: WasmArray inputs and gradients, an ordinary label, weights or per-row losses of more rows than a slot holds`, () => {
          // 100 000 rows of 2: the label, the weights and the losses of 'none' go through slots of 8192 or
          // 4096 values (all of them at once would run past the scratch area into the arrays above it)
          const [rows, dim] = [100_000, 2];
          const d = data(entry, C, rows, dim, 5);
          const w = uniform(C, rows, [0, 3], random(6));
          const wx = d.xs.map((x) => {
            const a = alloc(x.length, dtype.name);
            a.array.set(x);
            return a;
          });
          const outs = Object.fromEntries(entry.inputs.map((name) => [name, alloc(rows * dim, dtype.name)]));
          for (const opts of [
            { dim, weights: w },
            { dim, reduction: 'none' as const },
          ]) {
            const plain = call(entry, 'withGrad', d, opts);
            const staged = call(entry, 'withGrad', { label: d.label, xs: wx }, { ...opts, out: outs });
            // the rows are summed in other chunks: float64 sums of n terms in two orders, within 2n·2⁻⁵³ of each other
            if (opts.reduction === 'none') expectIdentical(staged.loss, plain.loss, 'none');
            else expectNear(staged.loss as number, plain.loss as number, 2 * rows * 2 ** -53, 'loss');
            for (const name of entry.inputs) expectIdentical(staged.grad[name], plain.grad[name], name);
          }
          [...wx, ...Object.values(outs)].forEach((a) => void a.free());
        });

        test(`${entry.name} ${dtype.name}: rows wider than a staging slot: refused for ordinary arrays, fine as WasmArrays`, () => {
          const dim = 32768 / dtype.Array.BYTES_PER_ELEMENT + 1;
          const rows = 3;
          const d = data(entry, C, rows, dim, 9);
          let error: unknown;
          try {
            call(entry, 'withGrad', d, { dim });
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(SimdlossError);
          expect((error as SimdlossError).argument).toBe('opts.dim');
          const per = 32768 / dtype.Array.BYTES_PER_ELEMENT;
          expect((error as SimdlossError).message).toBe(
            `${entry.name}.withGrad: opts.dim = ${dim} is wider than a staging slot (${per} ${dtype.name === 'f32' ? 'float32' : 'float64'} values per row at most) ` +
              `for ordinary arrays; pass ${entry.inputs.join(', ')} and opts.out as WasmArrays (alloc) for wider rows`,
          );
          const place = (x: Float32Array | Float64Array) => {
            const a = alloc(x.length, dtype.name);
            a.array.set(x);
            return a;
          };
          const wl = d.label && place(d.label);
          const wx = d.xs.map(place);
          const outs = entry.inputs.map(() => alloc(rows * dim, dtype.name));
          const out = Object.fromEntries(entry.inputs.map((name, j) => [name, outs[j]!]));
          const ref = referenceRows(entry, d, dim, {});
          // The forward pass alone stages nothing per row: only per-row values.
          checkAgainst(entry, ref, dim, tol, 'wide mean', { loss: call(entry, 'loss', { label: wl, xs: wx }, { dim }) }, 'mean');
          checkAgainst(
            entry,
            ref,
            dim,
            tol,
            'wide none',
            { losses: call(entry, 'loss', { label: d.label, xs: wx }, { dim, reduction: 'none' }) },
            'none',
          );
          const both = call(entry, 'withGrad', { label: wl, xs: wx }, { dim, out });
          checkAgainst(entry, ref, dim, tol, 'wide', { loss: both.loss, grads: both.grad }, 'mean');
          [wl, ...wx, ...outs].forEach((a) => void a?.free());
        });

        test(`${entry.name} ${dtype.name}: zero distances and zero norms give the documented finite gradients`, () => {
          for (const dim of [1, 4, 5, 128]) {
            const rows = 4;
            const zero = new C(rows * dim);
            const x = uniform(C, rows * dim, [-1, 1], random(dim));
            for (const opts of entry.cases) {
              // Every input equal (every distance 0), and every input zero (zero norms).
              for (const xs of [entry.inputs.map(() => x), entry.inputs.map(() => zero), [x, zero, x].slice(0, entry.inputs.length)]) {
                const label =
                  entry.labels === 'none'
                    ? undefined
                    : C.from(Array.from({ length: rows }, (_, r) => (entry.labels === 'sign' ? (r % 2 ? 1 : -1) : r % 2)));
                const d = { label, xs };
                const both = call(entry, 'withGrad', d, { ...opts, dim, reduction: 'none' });
                expect(noNaN(both.loss), `loss ${JSON.stringify(opts)}`).toBe(true);
                for (const name of entry.inputs) expect(noNaN(both.grad[name]), `grad.${name}`).toBe(true);
                const ref = referenceRows(entry, { label, xs }, dim, opts);
                checkAgainst(
                  entry,
                  ref,
                  dim,
                  tol,
                  `degenerate ${JSON.stringify(opts)} dim=${dim}`,
                  { losses: both.loss, grads: both.grad },
                  'sum',
                );
              }
            }
          }
        });

        test(`${entry.name} ${dtype.name}: huge and tiny finite values give no NaN, and tiny ones the reference's values`, () => {
          // float32: 1e30 puts squares past float32 and 1e-40 (denormals) under it; both are summed again
          // in float64 lanes. At 1e30 a per-row contrastive loss (~1e60) is itself beyond float32
          // (Infinity, not NaN); at 1e-40 cosineEmbedding's true gradient (~1/‖a‖) is too.
          const scales = dtype.name === 'f32' ? [1e18, 1e30, 1e-30, 1e-40] : [1e150, 1e-150, 1e-310];
          for (const scale of scales) {
            const dim = 6;
            const d = data(entry, C, 9, dim, 3);
            const xs = d.xs.map((x) => x.map((v) => v * scale));
            const both = call(entry, 'withGrad', { label: d.label, xs }, { dim, reduction: 'none' });
            const notNaN = (x: ArrayLike<number>) => !Array.prototype.some.call(x, Number.isNaN);
            const beyond = dtype.name === 'f32' && (scale === 1e30 || (scale === 1e-40 && entry.name === 'cosineEmbedding'));
            expect(notNaN(both.loss), `loss at scale ${scale}`).toBe(true);
            for (const name of entry.inputs)
              expect((beyond ? notNaN : noNaN)(both.grad[name]), `grad.${name} at scale ${scale}`).toBe(true);
            if (scale < 1 && !beyond) {
              const ref = referenceRows(entry, { label: d.label, xs }, dim, {});
              checkAgainst(entry, ref, dim, tol, `scale ${scale}`, { losses: both.loss, grads: both.grad }, 'sum');
            }
          }
        });

        if (dtype.name === 'f64') {
          test(`${entry.name}: every gradient matches central differences of the loss`, () => {
            for (const opts of entry.cases) {
              for (const dim of [3, 8]) {
                const rows = 12;
                const d = data(entry, Float64Array, rows, dim, 41 + dim);
                const w = uniform(Float64Array, rows, [0.5, 2], random(3));
                const ref = referenceRows(entry, d, dim, opts);
                for (const weights of [undefined, w]) {
                  const o = { ...opts, dim, weights };
                  const grads = call(entry, 'grad', d, o);
                  const h = 1e-6;
                  let checked = 0;
                  entry.inputs.forEach((name, j) => {
                    for (let i = 0; i < rows * dim; i++) {
                      const row = ref[Math.floor(i / dim)]!;
                      if (row.kinkGap < 1e-4) continue; // no derivative at a kink or a zero distance
                      const at = (delta: number) => {
                        const xs = d.xs.map((x) => x.slice());
                        xs[j]![i] = xs[j]![i]! + delta;
                        return call(entry, 'loss', { label: d.label, xs }, o) as number;
                      };
                      const numeric = (at(h) - at(-h)) / (2 * h);
                      const g = grads[name][i];
                      if (!(Math.abs(g - numeric) <= 1e-6 * Math.abs(numeric) + 1e-7)) {
                        expect.fail(`d/d${name}[${i}] ${JSON.stringify(opts)} dim=${dim}: ${g}, numeric ${numeric}`);
                      }
                      checked++;
                    }
                  });
                  expect(checked).toBeGreaterThan(entry.inputs.length * rows * dim * 0.6);
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
  test.each(entries.map((e) => [e.name, e]))('%s', (_, entry) => {
    for (const dtype of DTYPES) {
      for (const opts of entry.cases) {
        const runs = BUILDS.map((build) => {
          initSync(build.bytes);
          return DIMS.map((dim) => {
            const d = data(entry, dtype.Array, 9, dim, dim);
            return {
              dim,
              mean: call(entry, 'loss', d, { ...opts, dim }) as number,
              both: call(entry, 'withGrad', d, { ...opts, dim, reduction: 'none' }),
            };
          });
        });
        runs[0]!.forEach((simd, k) => {
          const scalar = runs[1]![k]!;
          const at = `${dtype.name} ${JSON.stringify(opts)} dim=${simd.dim}`;
          expect(simd.mean, at).toBe(scalar.mean);
          expectIdentical(simd.both.loss, scalar.both.loss, `losses ${at}`);
          for (const name of entry.inputs) expectIdentical(simd.both.grad[name], scalar.both.grad[name], `grad.${name} ${at}`);
        });
      }
    }
  });
});

describe('float32 accuracy', () => {
  test('distances of float32 rows (float32 lanes flushed per row) stay within 1e-6 of float64 at dim 768', () => {
    initSync(BUILDS[0].bytes);
    const contrastive = entries.find((e) => e.name === 'contrastive')!;
    const dim = 768;
    const rows = 200;
    const d = data(contrastive, Float32Array, rows, dim, 77);
    d.label!.fill(0); // similar pairs: the loss is ½D² itself
    const got = call(contrastive, 'loss', d, { dim, reduction: 'none' }) as Float32Array;
    const ref = referenceRows(contrastive, d, dim, {});
    let worst = 0;
    ref.forEach((row, r) => {
      if (row.loss > 0) worst = Math.max(worst, Math.abs(got[r]! - row.loss) / row.loss);
    });
    // (measured: ~1.6e-7, about the float32 rounding of the stored per-row loss itself)
    expect(worst).toBeLessThan(1e-6);
  });
});

describe('float32 edge cases found by the differential fuzz (test/fuzz), on both builds', () => {
  /**
   * Each gradient element against the float64 reference rounded to float32: ±∞ where that rounding
   * is infinite, else within tol of the element itself (not of the row's scale; plus 2⁻¹⁴⁶ for
   * results in float32's subnormal range). Returns every build's gradients, for their comparison.
   */
  function expectElementwise(entry: EmbeddingEntry, d: Data, dim: number, opts: Opts): Record<string, Float32Array>[] {
    const ref = referenceRows(entry, d, dim, opts);
    return BUILDS.map((build) => {
      initSync(build.bytes);
      const both = call(entry, 'withGrad', d, { ...opts, dim, reduction: 'sum' });
      entry.inputs.forEach((name, j) => {
        const g = both.grad[name] as Float32Array;
        for (let i = 0; i < g.length; i++) {
          const want = Math.fround(ref[Math.floor(i / dim)]!.grads[j]![i % dim]!);
          const ok = Number.isFinite(want) ? Math.abs(g[i]! - want) <= entry.f32Tolerance * Math.abs(want) + 2 ** -146 : g[i] === want;
          if (!ok)
            expect.fail(
              `${build.name} ${entry.name} ${JSON.stringify(opts)} grad.${name}[${i}] = ${g[i]}, float64 ${ref[Math.floor(i / dim)]!.grads[j]![i % dim]}`,
            );
        }
      });
      return both.grad;
    });
  }
  const expectBuildsAgree = (runs: Record<string, Float32Array>[], what: string) => {
    for (const name of Object.keys(runs[0]!)) expectIdentical(runs[0]![name]!, runs[1]![name]!, `${what} grad.${name}`);
  };
  const f32 = (...rows: number[][]) => Float32Array.from(rows.flat());

  test('triplet, squared: 2|a − p| beyond float32 gives the anchor 2(n − p), not ∞ − ∞ = NaN (and swap its positive 2(n − a))', () => {
    const entry = entries.find((e) => e.name === 'triplet')!;
    // The fuzz's row (float64: grad.anchor [−0.2, 0, 0]), then at dim 5 with the huge element in
    // the SIMD lanes, and a row whose negative is swapped in (d(p, n) < d(a, n)).
    const cases: [number, number[][][]][] = [
      [3, [[[0, -2.9e38, 1.7e5]], [[0.1, 0, 0]], [[0, 0, 0]]]],
      [5, [[[0.5, -2.9e38, 1.7e5, -0.25, 3]], [[0.1, 0, 0, 1, 2]], [[0, 0, 0, -1, 1]]]],
      [3, [[[0, 1, 0]], [[0.1, 2.9e38, 1]], [[0, 2.9e38, -1e5]]]],
    ];
    for (const [dim, [a, p, n]] of cases) {
      const d = { label: undefined, xs: [f32(...a!), f32(...p!), f32(...n!)] };
      for (const swap of [false, true]) {
        const opts = { margin: 4, squared: true, swap };
        const runs = expectElementwise(entry, d, dim, opts);
        expectBuildsAgree(runs, `dim ${dim} ${JSON.stringify(opts)}`);
      }
    }
  });

  test('triplet: a distance beyond ~8.5e37 (1/d subnormal in float32) gives the anchor (a − p)/d = 1, not a subnormal factor times an overflowed a − p = ∞', () => {
    const entry = entries.find((e) => e.name === 'triplet')!;
    // n = a: d(a, n) = 0, whose term is 0; at dim 5 the huge element sits in the SIMD lanes.
    const cases: [number, number[][][]][] = [
      [1, [[[3e38]], [[-3e38]], [[3e38]]]],
      [5, [[[3e38, 1, 0, 0, 2]], [[-3e38, 0, 0, 1, 2]], [[3e38, 1, 0, 0, 2]]]],
    ];
    for (const [dim, [a, p, n]] of cases) {
      const d = { label: undefined, xs: [f32(...a!), f32(...p!), f32(...n!)] };
      for (const swap of [false, true]) {
        const runs = expectElementwise(entry, d, dim, { margin: 1, swap });
        expect(runs[0]!.anchor![0], `dim ${dim} swap ${swap}`).toBe(1);
        expectBuildsAgree(runs, `dim ${dim} swap ${swap}`);
      }
    }
  });

  test('triplet, squared: d(a, p)² − d(a, n)² beyond float32 is ∞, not the margin (differences of huge rows in float64)', () => {
    // a − p = 2.46e38 + 2.99e26 rounds to 2.46e38 in float32; the true loss 2·2.46e38·2.99e26 + … ≈ 1.5e65.
    const d = {
      label: undefined,
      xs: [
        f32([0.59, -0.72, 2.4642930929063624e38, -0.78]),
        f32([-0.94, 0.46, -2.9852937783550452e26, 0.53]),
        f32([0.46, -0.17, 0.9985582232475281, -0.43]),
      ],
    };
    const ref = referenceRows(entries.find((e) => e.name === 'triplet')!, d, 4, { margin: 4, squared: true });
    expect(ref[0]!.loss).toBeGreaterThan(1e65);
    for (const build of BUILDS) {
      initSync(build.bytes);
      expect(triplet(d.xs[0]!, d.xs[1]!, d.xs[2]!, { dim: 4, margin: 4, squared: true, reduction: 'none' })[0], build.name).toBe(Infinity);
    }
  });

  test('cosineEmbedding: norms beyond ~1.8e19 or below ~1e-19 keep their gradient digits (float64 per-element path)', () => {
    const entry = entries.find((e) => e.name === 'cosineEmbedding')!;
    // The fuzz's row: float64 grad.b = [8.8e-39, −1.3e-57, −1.7e-19] (float32 gave [0, −0, 0]);
    // tiny norms (1/(‖a‖‖b‖) overflows, cos/‖a‖² does not); an ordinary row beside them; at dim 5.
    const a = [
      [0.25, 0.5, 2.66e38],
      [3e-20, -1e-20, 2e-21],
      [0.3, -0.2, 0.9],
      [1e25, 2, -3e24],
      [0.5, 2e-21, 1],
    ];
    const b = [
      [5.84e18, -0.68, 0.3],
      [0.7, 0.1, -0.4],
      [0.1, 0.5, -0.3],
      [4e-22, 1e20, 5],
      [1e-21, -3e-22, 1e-22],
    ];
    const runs3 = expectElementwise(entry, { label: f32([1, 1, -1, 1, -1]), xs: [f32(...a), f32(...b)] }, 3, { margin: 0 });
    expect(Math.abs(runs3[0]!.b![2]!)).toBeGreaterThan(1e-19); // the fuzz's −1.7e-19, not 0
    expectBuildsAgree(runs3, 'dim 3');
    const pad = (rows: number[][]) => rows.map((r) => [...r, r[0]! / 3, -r[1]! / 7]);
    const runs5 = expectElementwise(entry, { label: f32([1, -1, 1, -1, 1]), xs: [f32(...pad(a)), f32(...pad(b))] }, 5, { margin: 0 });
    expectBuildsAgree(runs5, 'dim 5');
  });

  test('cosineEmbedding: a cos that rounds above 1 (a = b) gives loss 0, never below, with a zero gradient', () => {
    const rand = random(5);
    for (const dtype of DTYPES) {
      const dim = 3;
      const rows = 200;
      const a = uniform(dtype.Array, rows * dim, [-1, 1], rand);
      // The kernel's own float64 cos for a = b (dim 3: summed in order): the test needs some above 1.
      let above = 0;
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let i = 0; i < dim; i++) s += a[r * dim + i]! * a[r * dim + i]!;
        if (s * (1 / (Math.sqrt(s) * Math.sqrt(s))) > 1) above++;
      }
      expect(above, dtype.name).toBeGreaterThan(10);
      for (const build of BUILDS) {
        initSync(build.bytes);
        const both = cosineEmbedding.withGrad(new dtype.Array(rows).fill(1), a, a.slice(), { dim, reduction: 'none' });
        const losses = both.loss as ArrayLike<number>; // (reduction 'none')
        for (let r = 0; r < rows; r++) if (!(losses[r]! >= 0)) expect.fail(`${build.name} ${dtype.name} loss[${r}] = ${losses[r]}`);
        // (a = b: ∂/∂a = (b − cos·a)/‖a‖² with cos = 1, rounding only)
        for (const g of [both.grad.a, both.grad.b]) for (let i = 0; i < g.length; i++) expect(Math.abs(g[i]!)).toBeLessThan(1e-6);
      }
    }
  });
});

describe('bad input: a SimdlossError naming the argument, index, expected range and value seen', () => {
  beforeAll(() => {
    initSync(BUILDS[0].bytes);
  });
  function expectError(run: () => unknown, argument: string, message: RegExp, index?: number): void {
    let error: unknown;
    try {
      run();
    } catch (e) {
      error = e;
    }
    expect(error, 'throws').toBeInstanceOf(SimdlossError);
    expect((error as SimdlossError).argument).toBe(argument);
    expect((error as SimdlossError).message).toMatch(message);
    expect((error as SimdlossError).index).toBe(index);
  }

  test.each(entries.map((e) => [e.name, e]))('%s', (name, entry) => {
    const d = data(entry, Float32Array, 4, 3, 1);
    const right = call(entry, 'withGrad', d, { dim: 3 });
    const [first, second] = entry.inputs as [string, string];
    for (const method of ['loss', 'grad', 'withGrad'] as const) {
      const fn = method === 'loss' ? name : `${name}.${method}`;
      const run = (args: { label?: unknown; xs: unknown[] }, opts: unknown) => () => call(entry, method, args, opts as object);
      expectError(run(d, undefined), 'opts', new RegExp(`^${fn.replace('.', '\\.')}: opts must be an object with opts.dim`));
      expectError(run(d, {}), 'opts.dim', /opts.dim \(values per row\) is required: an integer ≥ 1; got undefined/);
      for (const bad of [0, 2.5, -3, NaN, '3']) expectError(run(d, { dim: bad }), 'opts.dim', /an integer ≥ 1; got/);
      expectError(run(d, { dim: 5 }), first, new RegExp(`${first} has 12 elements, not a multiple of opts.dim = 5`));
      expectError(
        run({ ...d, xs: [d.xs[0], d.xs[1]!.subarray(3), d.xs[2]] }, { dim: 3 }),
        second,
        new RegExp(`${second} has 9 elements but ${first} has 12`),
      );
      expectError(run({ ...d, xs: [d.xs[0], Float64Array.from(d.xs[1]!), d.xs[2]] }, { dim: 3 }), second, /cannot be mixed/);
      expectError(
        run({ ...d, xs: [[1, 2, 3], ...d.xs.slice(1)] }, { dim: 3 }),
        first,
        /must be a Float32Array or a Float64Array .*got Array/,
      );
      expectError(run(d, { dim: 3, margin: -1 }), 'opts.margin', /opts.margin must be a finite number ≥ 0; got -1/);
      expectError(run(d, { dim: 3, margin: NaN }), 'opts.margin', /got NaN/);
      expectError(run(d, { dim: 3, marign: 1 }), 'opts.marign', /unknown option 'marign'/);
      expectError(
        run(d, { dim: 3, weights: new Float32Array(12) }),
        'opts.weights',
        new RegExp(`opts.weights has 12 elements but ${first} has 4 rows of opts.dim = 3: one per row`),
      );
      const w = Float32Array.of(1, 1, -2, 1);
      expectError(run(d, { dim: 3, weights: w }), 'opts.weights', /opts.weights\[2\] must be a finite number ≥ 0; got -2/, 2);
      if (entry.labels !== 'none') {
        expectError(
          run({ ...d, label: d.label!.subarray(1) }, { dim: 3 }),
          'label',
          new RegExp(`label has 3 elements but ${first} has 4 rows`),
        );
        expectError(
          run({ ...d, label: Float64Array.from(d.label!) }, { dim: 3 }),
          'label',
          /label is a Float64Array but a is a Float32Array/,
        );
        const bads =
          entry.labels === 'binary'
            ? [
                [-1, '-1'],
                [2, '2'],
                [NaN, 'NaN'],
              ]
            : [
                [0, '0'],
                [0.5, '0.5'],
                [2, '2'],
                [NaN, 'NaN'],
              ];
        for (const [bad, shown] of bads as [number, string][]) {
          const label = d.label!.slice();
          label[3] = bad;
          const domain = entry.labels === 'binary' ? 'in \\[0, 1\\] \\(0 similar, 1 dissimilar\\)' : '1 or -1';
          expectError(
            run({ ...d, label }, { dim: 3 }),
            'label',
            new RegExp(`^${fn.replace('.', '\\.')}: label\\[3\\] must be ${domain}; got ${shown}$`),
            3,
          );
          const wl = alloc(4, 'f32');
          wl.array.set(label);
          expectError(run({ ...d, label: wl }, { dim: 3 }), 'label', /label\[3\]/, 3);
          wl.free();
        }
      }
    }
    if (name === 'triplet') {
      expectError(run2(entry, d, { dim: 3, swap: 1 }), 'opts.swap', /opts.swap must be true or false; got 1/);
      expectError(run2(entry, d, { dim: 3, squared: 'yes' }), 'opts.squared', /opts.squared must be true or false; got 'yes'/);
    }
    expectError(() => call(entry, 'loss', d, { dim: 3, out: {} }), 'opts.out', /opts.out is for the gradients/);
    expectError(
      () => call(entry, 'grad', d, { dim: 3, out: new Float32Array(12) }),
      'opts.out',
      new RegExp(`opts.out must be an object \\{ ${entry.inputs.join(', ')} \\} of arrays \\(each optional\\); got Float32Array$`),
    );
    expectError(
      () => call(entry, 'grad', d, { dim: 3, out: { c: new Float32Array(12) } }),
      'opts.out.c',
      /unknown key 'c' in opts.out \(the gradients are /,
    );
    expectError(() => call(entry, 'grad', d, { dim: 3, out: { [first]: new Float32Array(9) } }), `opts.out.${first}`, /has 9 elements/);
    const shared = new Float32Array(24);
    expectError(
      () => call(entry, 'grad', d, { dim: 3, out: { [first]: shared.subarray(0, 12), [second]: shared.subarray(6, 18) } }),
      `opts.out.${second}`,
      new RegExp(`opts.out.${second} overlaps opts.out.${first}`),
    );
    const copy = { ...d, xs: d.xs.map((x) => x.slice()) };
    const buffer = new Float32Array(13);
    buffer.set(copy.xs[0]!);
    copy.xs[0] = buffer.subarray(0, 12);
    expectError(
      () => call(entry, 'grad', copy, { dim: 3, out: { [first]: buffer.subarray(1, 13) } }),
      `opts.out.${first}`,
      new RegExp(`overlaps ${first}`),
    );
    // Usable afterwards, with the same answers.
    const again = call(entry, 'withGrad', d, { dim: 3 });
    expect(again.loss).toBe(right.loss);
    for (const input of entry.inputs) expectIdentical(again.grad[input], right.grad[input], input);
  });
  const run2 = (entry: EmbeddingEntry, d: Data, opts: object) => () => call(entry, 'loss', d, opts);

  test.each([
    ['contrastive', contrastive],
    ['cosineEmbedding', cosineEmbedding],
  ] as const)('%s: a gradient written over the label or the weights, even the very same array (dim 1), is refused', (name, f) => {
    // rows of one value: the label and the weights are as long as a gradient, yet neither is an input it may replace
    const label = Float32Array.of(1, 0, 1, 0);
    const weights = Float32Array.of(1, 2, 1, 2);
    const a = Float32Array.of(0.1, 0.35, 0.6, 0.85);
    const b = Float32Array.of(1, 0.8, 0.6, 0.4);
    const overlap = (what: string, other: string) =>
      `${name}.grad: ${what} overlaps ${other} (an output may be its own input, not a shifted view or another argument)`;
    for (const [out, what, other] of [
      [{ a: label }, 'opts.out.a', 'label'],
      [{ b: label }, 'opts.out.b', 'label'],
      [{ a: weights }, 'opts.out.a', 'opts.weights'],
      [{ b: weights }, 'opts.out.b', 'opts.weights'],
    ] as const) {
      expect(refusal(() => (f as AnyLoss).grad(label, a, b, { dim: 1, weights, out }))).toEqual([overlap(what, other), what]);
    }
    // nor may both gradients be the very same array
    const g = new Float32Array(4);
    expect(refusal(() => (f as AnyLoss).grad(label, a, b, { dim: 1, out: { a: g, b: g } }))).toEqual([
      overlap('opts.out.b', 'opts.out.a'),
      'opts.out.b',
    ]);
    expect(Array.from(label)).toEqual([1, 0, 1, 0]);
    expect(Array.from(weights)).toEqual([1, 2, 1, 2]);
  });
});

test('public types: one overload per dtype, a gradient per input', () => {
  initSync(BUILDS[0].bytes);
  const y = Float32Array.of(0, 1);
  const a = Float32Array.of(1, 2, 3, 4);
  const b = Float32Array.of(1, 2, 0, 0);
  expectTypeOf(contrastive(y, a, b, { dim: 2 })).toEqualTypeOf<number>();
  expectTypeOf(contrastive(y, a, b, { dim: 2, reduction: 'none' })).toEqualTypeOf<Float32Array>();
  expectTypeOf(contrastive.grad(y, a, b, { dim: 2, margin: 2 })).toEqualTypeOf<{ a: Float32Array; b: Float32Array }>();
  const a64 = Float64Array.from(a);
  const both = triplet.withGrad(a64, a64, Float64Array.from(b), { dim: 2, swap: true, squared: false });
  expectTypeOf(both).toEqualTypeOf<{ loss: number; grad: { anchor: Float64Array; positive: Float64Array; negative: Float64Array } }>();
  expect(both.loss).toBe(0.5); // d(a, p) = 0; row 0: d(a, n) = 0 → loss 1; row 1: d(a, n) = 5 → 0
  const out = alloc(4, 'f32');
  const g = cosineEmbedding.grad(Float32Array.of(1, -1), a, b, { dim: 2, out: { b: out } });
  expectTypeOf(g.b).toEqualTypeOf<Float32Array>();
  expect(g.b).toBe(out.array);
  out.free();
  // @ts-expect-error: dim is required
  expect(() => contrastive(y, a, b)).toThrow(/opts must be an object with opts.dim/);
  // @ts-expect-error: triplet has no label
  expect(() => triplet(a, a, b, { dim: 2, margin: 1, label: y })).toThrow(/unknown option 'label'/);
});
