// Every three-input elementwise loss of the registry (target, a, b), on both builds and both
// dtypes, against its float64 reference: every reduction, weights, out per input, zero copy, every
// length around the SIMD tiles and chunk edges, central differences for both inputs, extreme
// values, the two builds bit for bit, and bad input.
import { beforeAll, describe, expect, test } from 'vitest';
import * as lib from '../../src/node.js';
import { alloc, initSync, SimdlossError } from '../../src/node.js';
import { BUILDS, DTYPES, expectIdentical, LENGTHS, random, ternaryData, uniform } from '../helpers.js';
import { type Opts, type TernaryExpected, type TernaryReference, ternaryExpected } from '../reference/ternary.js';
import { type TernaryEntry, ternaryOf } from '../registry.js';

type AnyLoss = any; // the registry holds losses of several option types; each test passes the right ones
type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const registry = ternaryOf(lib);
const F64_TOLERANCE = 1e-12;

function data(entry: TernaryEntry, C: Ctor, n: number, seed: number, opts: Opts = {}) {
  return ternaryData(entry, C, n, random(seed), opts);
}

type Expected = TernaryExpected;
const expectedOf = (
  ref: TernaryReference,
  d: { y: ArrayLike<number>; a: ArrayLike<number>; b: ArrayLike<number> },
  opts: Opts,
  f32: boolean,
  w?: ArrayLike<number>,
) => ternaryExpected(ref, d.y, d.a, d.b, opts, f32, w);

/** |got − want| ≤ tol·scale + abs, element by element; non-finite values must match exactly. */
function expectWithin(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  scale: ArrayLike<number>,
  tol: number,
  what: string,
  abs = 0,
  skip?: (i: number) => boolean,
) {
  expect(got.length, `${what} length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (skip?.(i)) continue;
    const [g, e] = [got[i]!, want[i]!];
    if (!Number.isFinite(e) || !Number.isFinite(g)) {
      if (!Object.is(g, e) && !(Number.isNaN(g) && Number.isNaN(e))) expect.fail(`${what}[${i}] = ${g}, expected ${e}`);
    } else if (!(Math.abs(g - e) <= tol * scale[i]! + abs)) {
      expect.fail(`${what}[${i}] = ${g}, expected ${e} within ${tol} of ${scale[i]}`);
    }
  }
}

function expectNumber(got: number, want: number, scale: number, tol: number, what: string) {
  if (!(Math.abs(got - want) <= tol * scale) && !Object.is(got, want))
    expect.fail(`${what} = ${got}, expected ${want} within ${tol} of ${scale}`);
}

for (const build of BUILDS) {
  describe(`${build.name} build`, () => {
    beforeAll(() => {
      expect(initSync(build.bytes).simd).toBe(build.simd);
    });

    for (const entry of registry) {
      const ref = entry.reference;
      const loss = entry.loss as AnyLoss;
      const [na, nb] = entry.inputs;

      for (const dtype of DTYPES) {
        const f32 = dtype.name === 'f32';
        const tol = f32 ? entry.f32Tolerance : F64_TOLERANCE;
        /** Float32 may take either side of a kink within its rounding: those examples' gradients are not compared. */
        const nearKink = (e: Expected) => (i: number) => f32 && e.kinkGaps[i]! <= 4 * tol;
        const checkGrads = (got: Record<string, ArrayLike<number>>, e: Expected, k: number, what: string) => {
          expect(Object.keys(got)).toEqual([na, nb]);
          entry.inputs.forEach((name, j) => {
            expect(got[name]).toBeInstanceOf(dtype.Array);
            expectWithin(
              got[name]!,
              e.grads[j]!.map((g) => k * g),
              e.gradScales[j]!.map((s) => k * s),
              tol,
              `${what} grad.${name}`,
              0,
              nearKink(e),
            );
          });
        };

        test(`${entry.name} ${dtype.name}: every reduction and both gradients match the reference at lengths 0–67 and beyond`, () => {
          for (const opts of entry.cases) {
            for (const n of LENGTHS) {
              const d = data(entry, dtype.Array, n, n + 1, opts);
              const e = expectedOf(ref, d, opts, f32);
              const at = `${JSON.stringify(opts)} n=${n}`;
              const k = n > 0 ? 1 / n : 0;
              expectNumber(loss(d.y, d.a, d.b, opts), k * e.sum, k * e.scale, tol, `mean ${at}`);
              expectNumber(loss(d.y, d.a, d.b, { ...opts, reduction: 'sum' }), e.sum, e.scale, tol, `sum ${at}`);
              const none = loss(d.y, d.a, d.b, { ...opts, reduction: 'none' });
              expect(none).toBeInstanceOf(dtype.Array);
              expectWithin(none, e.losses, e.scales, tol, `none ${at}`);
              checkGrads(loss.grad(d.y, d.a, d.b, opts), e, k, `mean ${at}`);
              checkGrads(loss.grad(d.y, d.a, d.b, { ...opts, reduction: 'sum' }), e, 1, `sum ${at}`);
              checkGrads(loss.grad(d.y, d.a, d.b, { ...opts, reduction: 'none' }), e, 1, `none ${at}`);
            }
          }
        });

        test(`${entry.name} ${dtype.name}: withGrad is loss and grad from one pass, bit for bit`, () => {
          for (const opts of entry.cases) {
            for (const n of [0, 1, 5, 67, 8193]) {
              const d = data(entry, dtype.Array, n, 3 * n + 7, opts);
              for (const reduction of ['mean', 'sum', 'none'] as const) {
                const both = loss.withGrad(d.y, d.a, d.b, { ...opts, reduction });
                const alone = loss(d.y, d.a, d.b, { ...opts, reduction });
                if (reduction === 'none') expectIdentical(both.loss, alone, `none n=${n}`);
                else expect(both.loss).toBe(alone);
                const grad = loss.grad(d.y, d.a, d.b, { ...opts, reduction });
                for (const name of entry.inputs) expectIdentical(both.grad[name], grad[name], `${reduction} ${name} n=${n}`);
              }
            }
          }
        });

        test(`${entry.name} ${dtype.name}: weights, in every reduction; all ones are no weights; all zeros a zero mean and gradient`, () => {
          for (const opts of entry.cases) {
            for (const n of [1, 3, 17, 64, 1025, 8193]) {
              const d = data(entry, dtype.Array, n, 5 * n, opts);
              const w = uniform(dtype.Array, n, [0, 2], random(n));
              for (let i = 1; i < n; i += 5) w[i] = 0;
              const e = expectedOf(ref, d, opts, f32, w);
              const at = `${JSON.stringify(opts)} n=${n}`;
              const k = 1 / e.weight;
              expectNumber(loss(d.y, d.a, d.b, { ...opts, weights: w }), k * e.sum, k * e.scale, tol, `mean ${at}`);
              expectNumber(loss(d.y, d.a, d.b, { ...opts, weights: w, reduction: 'sum' }), e.sum, e.scale, tol, `sum ${at}`);
              expectWithin(loss(d.y, d.a, d.b, { ...opts, weights: w, reduction: 'none' }), e.losses, e.scales, tol, `none ${at}`);
              const both = loss.withGrad(d.y, d.a, d.b, { ...opts, weights: w });
              expectNumber(both.loss, k * e.sum, k * e.scale, tol, `withGrad mean ${at}`);
              checkGrads(both.grad, e, k, `weighted mean ${at}`);
              checkGrads(loss.grad(d.y, d.a, d.b, { ...opts, weights: w, reduction: 'none' }), e, 1, `weighted none ${at}`);
              const ones = new dtype.Array(n).fill(1);
              expect(loss(d.y, d.a, d.b, { ...opts, weights: ones })).toBe(loss(d.y, d.a, d.b, opts));
              const [g1, g0] = [loss.grad(d.y, d.a, d.b, { ...opts, weights: ones }), loss.grad(d.y, d.a, d.b, opts)];
              for (const name of entry.inputs) expectIdentical(g1[name], g0[name], `ones ${name} ${at}`);
              const zero = loss.withGrad(d.y, d.a, d.b, { ...opts, weights: new dtype.Array(n) });
              expect(zero.loss).toBe(0);
              for (const name of entry.inputs) expect(zero.grad[name].every((g: number) => g === 0)).toBe(true);
            }
          }
          const empty = new dtype.Array(0);
          expect(loss(empty, empty, empty)).toBe(0);
          expect(loss(empty, empty, empty, { reduction: 'sum' })).toBe(0);
          expect(loss.withGrad(empty, empty, empty)).toEqual({ loss: 0, grad: { [na]: new dtype.Array(0), [nb]: new dtype.Array(0) } });
        });

        test(`${entry.name} ${dtype.name}: opts.out per input (either, both, a WasmArray, an input itself)`, () => {
          const n = 8195;
          const d = data(entry, dtype.Array, n, 11);
          const want = loss.grad(d.y, d.a, d.b);
          const oa = new dtype.Array(n);
          const ob = new dtype.Array(n);
          const both = loss.grad(d.y, d.a, d.b, { out: { [na]: oa, [nb]: ob } });
          expect(both[na]).toBe(oa);
          expect(both[nb]).toBe(ob);
          expectIdentical(oa, want[na], `out.${na}`);
          expectIdentical(ob, want[nb], `out.${nb}`);
          const one = loss.withGrad(d.y, d.a, d.b, { out: { [nb]: ob } });
          expect(one.grad[nb]).toBe(ob);
          expectIdentical(one.grad[na], want[na], `new ${na}`);
          // In place: each gradient over its own input, or over the target.
          const [a, b, y] = [d.a.slice(), d.b.slice(), d.y.slice()];
          loss.grad(d.y, a, b, { out: { [na]: a, [nb]: b } });
          expectIdentical(a, want[na], `in place ${na}`);
          expectIdentical(b, want[nb], `in place ${nb}`);
          loss.grad(y, d.a, d.b, { out: { [na]: y } });
          expectIdentical(y, want[na], `over the target`);
          const wa = alloc(n, dtype.name);
          const wb = alloc(n, dtype.name);
          const got = loss.grad(d.y, d.a, d.b, { out: { [na]: wa, [nb]: wb } });
          expect(got[na]).toBe(wa.array);
          expectIdentical(wa.array, want[na], `WasmArray ${na}`);
          expectIdentical(wb.array, want[nb], `WasmArray ${nb}`);
          wa.free();
          wb.free();
        });

        test(`${entry.name} ${dtype.name}: WasmArrays, their .array and ordinary arrays give identical results in any mix`, () => {
          for (const n of [0, 13, 8192 + 13, 3 * 4096 + 1]) {
            const d = data(entry, dtype.Array, n, 17 * n);
            const w = uniform(dtype.Array, n, [0, 3], random(n + 2));
            const [zy, za, zb, zw] = [d.y, d.a, d.b, w].map((x) => {
              const z = alloc(n, dtype.name);
              z.array.set(x);
              return z;
            }) as [ReturnType<typeof alloc>, ReturnType<typeof alloc>, ReturnType<typeof alloc>, ReturnType<typeof alloc>];
            for (const reduction of ['mean', 'sum', 'none'] as const) {
              const plain = loss.withGrad(d.y, d.a, d.b, { reduction, weights: w });
              for (const [y, a, b, wi] of [
                [zy, za, zb, zw],
                [zy.array, d.a, zb, w],
                [d.y, za, d.b, zw.array],
                [d.y, d.a, zb.array, w],
              ] as const) {
                const mixed = loss.withGrad(y, a, b, { reduction, weights: wi });
                if (reduction === 'none') expectIdentical(mixed.loss, plain.loss, `${reduction} n=${n}`);
                else expect(mixed.loss, `${reduction} n=${n}`).toBe(plain.loss);
                for (const name of entry.inputs) expectIdentical(mixed.grad[name], plain.grad[name], `${name} ${reduction} n=${n}`);
              }
            }
            for (const z of [zy, za, zb, zw]) z.free();
          }
        });

        test(`${entry.name} ${dtype.name}: extreme values, as the reference rounds them`, () => {
          const xs = entry.extremes;
          const column = (j: number) => dtype.Array.from(xs.map((x) => x[j]!));
          const d = { y: column(0), a: column(1), b: column(2) };
          // (subnormal results have an absolute precision: a few units of the smallest one)
          const tiny = f32 ? 2 ** -146 : 2 ** -1071;
          for (const opts of entry.cases) {
            const e = expectedOf(ref, d, opts, f32);
            const at = JSON.stringify(opts);
            expectWithin(
              loss(d.y, d.a, d.b, { ...opts, reduction: 'none' }),
              e.losses.map(dtype.round),
              e.scales,
              tol,
              `losses ${at}`,
              tiny,
            );
            const g = loss.grad(d.y, d.a, d.b, { ...opts, reduction: 'sum' });
            entry.inputs.forEach((name, j) => {
              expectWithin(g[name], e.grads[j]!.map(dtype.round), e.gradScales[j]!, tol, `grad.${name} ${at}`, tiny, nearKink(e));
            });
          }
        });

        if (!f32) {
          test(`${entry.name}: both gradients match central differences of the loss`, () => {
            const h = 1e-6;
            for (const opts of entry.cases) {
              const n = 61;
              const d = data(entry, Float64Array, n, 23, opts);
              const w = uniform(Float64Array, n, [0.5, 2], random(5));
              for (const weights of [undefined, w]) {
                const grad = loss.grad(d.y, d.a, d.b, { ...opts, weights });
                const denominator = weights ? weights.reduce((s, x) => s + x, 0) : n;
                // The mean's change is its one changed term's: taken from that term, the difference does not cancel in the total.
                const term = (a: Float32Array | Float64Array, b: Float32Array | Float64Array, i: number) =>
                  loss(d.y, a, b, { ...opts, weights, reduction: 'none' })[i] / denominator;
                let checked = 0;
                for (let i = 0; i < n; i++) {
                  const [y, a, b] = [d.y[i]!, d.a[i]!, d.b[i]!];
                  if (ref.kinkGap(y, a, b, opts) < 10 * h || (ref.clampGap?.(y, a, b, opts) ?? Infinity) < 10 * h) continue;
                  // The truncation error of a central difference grows as h²·l‴: for ½ ln v + r²/2v, as h²/v⁴. Small variances are left out.
                  if (entry.name === 'gaussianNLL' && b < 0.05) continue;
                  for (let j = 0; j < 2; j++) {
                    const up = [d.a.slice(), d.b.slice()] as const;
                    const down = [d.a.slice(), d.b.slice()] as const;
                    up[j]![i] = up[j]![i]! + h;
                    down[j]![i] = down[j]![i]! - h;
                    const numeric = (term(up[0]!, up[1]!, i) - term(down[0]!, down[1]!, i)) / (2 * h);
                    const got = grad[entry.inputs[j]!][i];
                    if (!(Math.abs(got - numeric) <= 1e-6 * Math.abs(numeric) + 1e-8)) {
                      expect.fail(`d/d${entry.inputs[j]}[${i}] ${JSON.stringify(opts)} = ${got}, central difference ${numeric}`);
                    }
                  }
                  checked++;
                }
                expect(checked).toBeGreaterThan(30);
              }
            }
          });
        }
      }
    }
  });
}

describe('the SIMD and scalar builds agree', () => {
  test.each(registry.map((e) => [e.name, e] as const))('%s: elements bit for bit, sums within tolerance', (_, entry) => {
    for (const dtype of DTYPES) {
      for (const opts of entry.cases) {
        const runs = BUILDS.map((build) => {
          initSync(build.bytes);
          const loss = entry.loss as AnyLoss;
          return LENGTHS.map((n) => {
            const d = data(entry, dtype.Array, n, 31 * n, opts);
            const w = uniform(dtype.Array, n, [0, 2], random(n));
            const none: ArrayLike<number> = loss(d.y, d.a, d.b, { ...opts, reduction: 'none' });
            const size = Array.from(none).reduce((s, l) => s + Math.abs(l), 0);
            const both = loss.withGrad(d.y, d.a, d.b, { ...opts, reduction: 'none', weights: w });
            return { n, mean: loss(d.y, d.a, d.b, opts) as number, size: n > 0 ? size / n : 0, both };
          });
        });
        runs[0]!.forEach((simd, k) => {
          const scalar = runs[1]![k]!;
          // The sums: float32 lanes in another order (SIMD: two vectors of lanes; scalar: four running sums).
          const tol = dtype.name === 'f32' ? entry.f32Tolerance : F64_TOLERANCE;
          expectNumber(simd.mean, scalar.mean, scalar.size, tol, `${dtype.name} mean n=${simd.n}`);
          expectIdentical(simd.both.loss, scalar.both.loss, `${dtype.name} losses n=${simd.n}`);
          for (const name of entry.inputs)
            expectIdentical(simd.both.grad[name], scalar.both.grad[name], `${dtype.name} ${name} n=${simd.n}`);
        });
      }
    }
  });
});

/** The error a call throws (fails if it returns). */
function thrown(f: () => unknown): SimdlossError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SimdlossError);
    return e as SimdlossError;
  }
  return expect.fail('no error thrown');
}

describe.each(registry.map((e) => [e.name, e] as const))('%s: bad input', (_, entry) => {
  const loss = entry.loss as AnyLoss;
  const [na, nb] = entry.inputs;
  const names = ['target', na, nb];
  beforeAll(() => {
    initSync(BUILDS[0].bytes);
  });

  test('a value outside the domain: its argument, index and value, from every method, at every place in the loop', () => {
    for (const dtype of DTYPES) {
      const n = 9000;
      for (const [name, checked] of Object.entries(entry.checks)) {
        const j = names.indexOf(name);
        expect(j, name).toBeGreaterThanOrEqual(0);
        for (const bad of checked.bad) {
          for (const index of [0, 5, 4100, 8999]) {
            const d = data(entry, dtype.Array, n, index);
            const args = [d.y.slice(), d.a.slice(), d.b.slice()];
            args[j]![index] = bad;
            if (checked.accepts(args[j]![index]!)) continue; // rounded into the domain by float32 (−5e-324 → −0)
            const calls = [
              () => loss(...args),
              () => loss.grad(...args, { reduction: 'sum' }),
              () => loss.withGrad(...args, { reduction: 'none' }),
              () => loss.create().update(...args),
            ];
            for (const call of calls) {
              const e = thrown(call);
              expect(e.argument).toBe(name);
              expect(e.index).toBe(index);
              expect(e.message).toContain(`${name}[${index}] must be ${checked.message}; got `);
            }
          }
        }
        // In the domain at its edges: accepted.
        for (const edge of checked.edges) {
          const d = data(entry, dtype.Array, 9, 1);
          const args = [d.y, d.a, d.b];
          args[j]!.fill(edge);
          expect(() => loss.withGrad(...args)).not.toThrow();
        }
      }
      // The library stays usable after a refusal.
      const d = data(entry, dtype.Array, 5, 2);
      expect(Number.isFinite(loss(d.y, d.a, d.b))).toBe(true);
    }
  });

  test('lengths that differ, mixed dtypes and arrays that are not float arrays are refused, naming the argument', () => {
    const d = data(entry, Float32Array, 10, 3);
    const args = [d.y, d.a, d.b];
    for (let j = 0; j < 3; j++) {
      const short = args.map((x, k) => (k === j ? x.subarray(1) : x));
      const e = thrown(() => loss(...short));
      // The first input is what the others are checked against: a short first input makes the others the odd ones.
      expect(e.argument).toBe(j === 1 ? 'target' : names[j]);
      const mixed = args.map((x, k) => (k === j ? Float64Array.from(x) : x));
      expect(thrown(() => loss.grad(...mixed)).message).toMatch(/float32 and float64 cannot be mixed/);
      const plain = args.map((x, k) => (k === j ? Array.from(x) : x));
      expect(thrown(() => loss(...plain)).argument).toBe(names[j]);
    }
    expect(thrown(() => loss(d.y, d.a, d.b, { weights: new Float32Array(9) })).argument).toBe('opts.weights');
    expect(thrown(() => loss(d.y, d.a, d.b, { weights: new Float64Array(10) })).argument).toBe('opts.weights');
    expect(thrown(() => loss(d.y, d.a, d.b, { weights: new Float32Array(10).fill(-1) })).index).toBe(0);
  });

  test('opts.out: an object of the input names; a shifted view of any argument, or two outputs sharing memory, are refused', () => {
    const n = 40;
    const buffer = new Float64Array(4 * n + 8);
    const y = buffer.subarray(0, n);
    const a = buffer.subarray(n, 2 * n);
    const b = buffer.subarray(2 * n, 3 * n);
    const w = buffer.subarray(3 * n, 4 * n);
    const d = data(entry, Float64Array, n, 4);
    y.set(d.y);
    a.set(d.a);
    b.set(d.b);
    w.fill(1);
    const shiftedOf = (x: Float64Array) => buffer.subarray(x.byteOffset / 8 + 1, x.byteOffset / 8 + 1 + n);
    for (const [x, name] of [
      [y, 'target'],
      [a, na],
      [b, nb],
      [w, 'opts.weights'],
    ] as const) {
      for (const key of entry.inputs) {
        const e = thrown(() => loss.grad(y, a, b, { weights: w, out: { [key]: shiftedOf(x) } }));
        expect(e.argument).toBe(`opts.out.${key}`);
        expect(e.message).toContain(`overlaps ${name}`);
      }
    }
    const shared = new Float64Array(n);
    const sharing = thrown(() => loss.grad(y, a, b, { out: { [na]: shared, [nb]: shared } }));
    expect(sharing.argument).toBe(`opts.out.${nb}`);
    expect(sharing.message).toBe(
      `${entry.name}.grad: opts.out.${nb} overlaps opts.out.${na} (an output may be an input itself, not a shifted view of one or another output)`,
    );
    expect(thrown(() => loss.grad(y, a, b, { out: new Float64Array(n) })).argument).toBe('opts.out');
    expect(thrown(() => loss.grad(y, a, b, { out: { pred: new Float64Array(n) } })).argument).toBe('opts.out.pred');
    expect(thrown(() => loss.grad(y, a, b, { out: { [na]: new Float32Array(n) } })).argument).toBe(`opts.out.${na}`);
    expect(thrown(() => loss(y, a, b, { out: { [na]: new Float64Array(n) } })).argument).toBe('opts.out');
    // The same elements are fine: the target itself as a gradient's output.
    expect(() => loss.grad(d.y.slice(), a, b, { out: { [na]: y } })).not.toThrow();
  });

  test('options: unknown names, values out of range and flags that are not booleans are refused, in a call and in create', () => {
    const d = data(entry, Float32Array, 4, 5);
    const e = thrown(() => loss(d.y, d.a, d.b, { dim: 1 }));
    expect(e.argument).toBe('opts.dim');
    for (const option of entry.options) {
      for (const bad of [option.min - 1, Number.NaN, Infinity, '1']) {
        expect(thrown(() => loss(d.y, d.a, d.b, { [option.name]: bad })).argument).toBe(`opts.${option.name}`);
        expect(thrown(() => loss.create({ [option.name]: bad })).argument).toBe(`opts.${option.name}`);
      }
    }
    for (const flag of entry.cases.flatMap((c) => Object.keys(c).filter((k) => typeof c[k] === 'boolean'))) {
      expect(thrown(() => loss(d.y, d.a, d.b, { [flag]: 1 })).argument).toBe(`opts.${flag}`);
      expect(thrown(() => loss.create({ [flag]: 'yes' })).argument).toBe(`opts.${flag}`);
    }
    expect(thrown(() => loss.create({ weights: d.y })).argument).toBe('opts.weights');
    expect(thrown(() => loss.create({ reduction: 'none' })).argument).toBe('opts.reduction');
    expect(thrown(() => loss.create().update(d.y, d.a)).argument).toBe(nb);
  });
});

describe.each(registry.map((e) => [e.name, e] as const))('%s: accumulators', (_, entry) => {
  const loss = entry.loss as AnyLoss;
  beforeAll(() => {
    initSync(BUILDS[0].bytes);
  });

  test('any split, merged in any order and through JSON, gives the one-shot loss; options are kept', () => {
    for (const opts of entry.cases) {
      for (const dtype of DTYPES) {
        const n = 9001;
        const d = data(entry, dtype.Array, n, 7, opts);
        const w = uniform(dtype.Array, n, [0, 2], random(8));
        const tol = dtype.name === 'f32' ? entry.f32Tolerance : F64_TOLERANCE;
        const scale = (Array.from(loss(d.y, d.a, d.b, { ...opts, reduction: 'none', weights: w }) as ArrayLike<number>) as number[]).reduce(
          (s, l) => s + Math.abs(l),
          0,
        );
        for (const reduction of ['mean', 'sum'] as const) {
          const whole = loss(d.y, d.a, d.b, { ...opts, reduction, weights: w });
          const cuts = [0, 1, 4096, 5000, n];
          const parts = cuts.slice(1).map((end, k) => {
            const acc = loss.create({ ...opts, reduction });
            const at = (x: Float32Array | Float64Array) => x.subarray(cuts[k], end);
            return acc.update(at(d.y), at(d.a), at(d.b), at(w));
          });
          const merged = parts.reduceRight((acc: AnyLoss, p: AnyLoss) => acc.merge(p), loss.create({ ...opts, reduction }));
          const k = reduction === 'mean' ? 1 / Array.from(w as ArrayLike<number>).reduce((s, x) => s + x, 0) : 1;
          expectNumber(merged.result(), whole, k * scale, tol, `${reduction} ${JSON.stringify(opts)}`);
          const restored = loss.fromJSON(JSON.stringify(merged));
          expect(restored.result()).toBe(merged.result());
          expect(restored.options).toEqual(merged.options);
          for (const [name, value] of Object.entries(opts)) expect(restored.options[name]).toBe(value);
          expect(merged.count).toBe(n);
        }
      }
    }
    const other = entry.cases.find((c) => Object.keys(c).length > 0)!;
    expect(() => loss.create(other).merge(loss.create())).toThrow(SimdlossError);
  });
});
