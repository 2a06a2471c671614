// A similarity call copies each ordinary array through the scratch slots, whole rows at a time, or a
// slot's worth of a row at a time where the row is wider than a slot (its target's first segments
// kept in the free slots between the sums pass and the gradient pass), and uses WasmArrays in place.
// Here every mix of ordinary arrays and WasmArrays (target, pred, weights, and the gradient: a new
// array, an ordinary out or a WasmArray out) runs at widths around the slot (8192 float32 / 4096
// float64 values), around the seven free slots and past them, and with narrow rows filling twice the
// scratch area (a call that put a whole argument into its slot would write past the area over the
// WasmArrays allocated above it). Each call must give the float64 reference's losses and gradient,
// the same bits as the call on WasmArrays alone, and leave every input as it was.
import { beforeAll, describe, expect, test } from 'vitest';
import { SLOT_BYTES, SLOTS } from '../../src/core/abi.js';
import * as lib from '../../src/node.js';
import { alloc, initSync, type WasmArray } from '../../src/node.js';
import { BUILDS, DTYPES, expectIdentical, random } from '../helpers.js';
import type { SimilarityReference, SimilarityRow } from '../reference/similarity.js';
import { similarityOf } from '../registry.js';

type AnyLoss = any; // each loss has its own option type; every call passes the right ones
type Float = Float32Array | Float64Array;
type Dtype = (typeof DTYPES)[number];
type Where = 'ordinary' | 'wasm';

beforeAll(() => {
  // a new instance: its heap holds only this file's WasmArrays, the first of them right above the scratch area
  expect(initSync(BUILDS[0].bytes).simd).toBe(true);
});

const F64_TOLERANCE = 1e-12;

/** Widths in a slot's values: one short of a slot, a slot, one past; the seven free slots, one past; nine slots and one. */
const widths = (segment: number) => [segment - 1, segment, segment + 1, 7 * segment, 7 * segment + 1, 9 * segment + 1];

/** [dim, rows]: the wide rows, two each (the second row's offsets), and rows of 2 filling twice the scratch area. */
function shapes(bytes: number): [number, number][] {
  const segment = SLOT_BYTES / bytes;
  return [...widths(segment).map((d): [number, number] => [d, 2]), [2, (SLOTS * SLOT_BYTES) / bytes]];
}

function data(ref: SimilarityReference, dtype: Dtype, rows: number, dim: number): { y: Float; p: Float; w: Float } {
  const rand = random(rows * 7 + dim);
  const draw = ([lo, hi]: readonly [number, number]) => lo + (hi - lo) * rand();
  const y = new dtype.Array(rows * dim).map(() => (ref.masks ? (rand() < 0.4 ? 1 : 0) : draw(ref.domain.target)));
  const p = new dtype.Array(rows * dim).map(() => draw(ref.domain.pred));
  const w = new dtype.Array(rows).map(() => 0.5 + 1.5 * rand());
  return { y, p, w };
}

/** The reference's per-row losses and gradients, checked against a call's within tol of their scale. */
function checkAgainst(
  want: SimilarityRow[],
  dim: number,
  tol: number,
  reduction: string,
  w: Float | undefined,
  got: Got,
  at: string,
): void {
  const weight = (r: number) => (w === undefined ? 1 : w[r]!);
  const wsum = want.reduce((s, _, r) => s + weight(r), 0);
  const k = reduction === 'mean' ? 1 / wsum : 1;
  if (reduction === 'none') {
    const losses = got.loss as Float;
    expect(losses.length, at).toBe(want.length);
    want.forEach((row, r) => {
      if (!(Math.abs(losses[r]! - weight(r) * row.loss) <= tol * weight(r)))
        expect.fail(`${at} loss[${r}] = ${losses[r]}, want ${row.loss}`);
    });
  } else {
    const total = k * want.reduce((s, row, r) => s + weight(r) * row.loss, 0);
    if (!(Math.abs((got.loss as number) - total) <= tol * k * wsum)) expect.fail(`${at} loss = ${got.loss}, want ${total}`);
  }
  if (got.grad === undefined) return;
  expect(got.grad.length, at).toBe(want.length * dim);
  want.forEach((row, r) => {
    const c = k * weight(r);
    for (let j = 0; j < dim; j++) {
      const a = got.grad![r * dim + j]!;
      const e = c * row.grad[j]!;
      if (!(Math.abs(a - e) <= tol * c * row.gradScale + 2 ** -140)) expect.fail(`${at} grad[${r * dim + j}] = ${a}, want ${e}`);
    }
  });
}

interface Got {
  loss: number | Float;
  grad?: Float;
}

/** Where the gradient goes: a new array, an ordinary out, a WasmArray out; or no gradient (the loss alone). */
const GRADIENTS = ['none', 'new', 'ordinary', 'wasm'] as const;
const WEIGHTS = ['none', 'ordinary', 'wasm'] as const;
const REDUCTIONS = ['mean', 'sum', 'none'] as const;

/**
 * One call with target, pred and weights each an ordinary copy or a WasmArray (allocated in that
 * order, above the scratch area, so that an overrun of it lands on the first), the gradient where
 * `gradient` says; every input checked unchanged after it, every WasmArray freed.
 */
function call(
  loss: AnyLoss,
  dtype: Dtype,
  x: { y: Float; p: Float; w: Float },
  where: { target: Where; pred: Where; weights: (typeof WEIGHTS)[number]; gradient: (typeof GRADIENTS)[number] },
  opts: Record<string, unknown>,
): Got {
  const held: WasmArray[] = [];
  const place = (values: Float, at: Where) => {
    if (at === 'ordinary') return dtype.Array.from(values);
    const a = alloc(values.length, dtype.name);
    a.array.set(values);
    held.push(a as WasmArray);
    return a;
  };
  try {
    const y = place(x.y, where.target);
    const p = place(x.p, where.pred);
    const weights = where.weights === 'none' ? undefined : place(x.w, where.weights);
    const out =
      where.gradient === 'ordinary'
        ? new dtype.Array(x.p.length)
        : where.gradient === 'wasm'
          ? place(new dtype.Array(x.p.length), 'wasm')
          : undefined;
    const o = { ...opts, weights, out };
    const got: Got =
      where.gradient === 'none' ? { loss: loss(y, p, o) } : (loss.withGrad(y, p, o) as { loss: number | Float; grad: Float });
    if (got.grad !== undefined) got.grad = dtype.Array.from(got.grad);
    if (typeof got.loss !== 'number') got.loss = dtype.Array.from(got.loss);
    for (const [a, values, name] of [
      [y, x.y, 'target'],
      [p, x.p, 'pred'],
      [weights, x.w, 'weights'],
    ] as const) {
      if (a !== undefined) expectIdentical(a instanceof lib.WasmArray ? a.array : a, values, `${name} after the call`);
    }
    return got;
  } finally {
    for (const a of held) a.free();
  }
}

const entries = similarityOf(lib);

describe.each(entries.map((e) => [e.name, e] as const))('%s', (_, entry) => {
  const loss = entry.loss as AnyLoss;
  const opts = entry.cases[entry.cases.length - 1]!;
  for (const dtype of DTYPES) {
    const tol = dtype.name === 'f32' ? entry.f32Tolerance : F64_TOLERANCE;
    test.each(shapes(dtype.Array.BYTES_PER_ELEMENT))(
      `${dtype.name} dim %i, %i rows: every mix of ordinary arrays and WasmArrays`,
      (dim, rows) => {
        const x = data(entry.reference, dtype, rows, dim);
        const want = Array.from({ length: rows }, (_, r) =>
          entry.reference.row(x.y.subarray(r * dim, (r + 1) * dim), x.p.subarray(r * dim, (r + 1) * dim), opts),
        );
        for (const weights of WEIGHTS) {
          for (const reduction of REDUCTIONS) {
            const o = { ...opts, dim, reduction };
            const w = weights === 'none' ? undefined : x.w;
            const inPlace = call(loss, dtype, x, { target: 'wasm', pred: 'wasm', weights, gradient: 'wasm' }, o);
            // a WasmArray target first: the free slots then hold another call's target (a wide row read from them in place of its own is wrong)
            for (const target of ['wasm', 'ordinary'] as const) {
              for (const pred of ['ordinary', 'wasm'] as const) {
                for (const gradient of GRADIENTS) {
                  const at = `${JSON.stringify(opts)} target ${target}, pred ${pred}, weights ${weights}, gradient ${gradient}, ${reduction}`;
                  const got = call(loss, dtype, x, { target, pred, weights, gradient }, o);
                  checkAgainst(want, dim, tol, reduction, w, got, at);
                  if (got.grad !== undefined) expectIdentical(got.grad, inPlace.grad!, `${at}: the gradient on WasmArrays alone`);
                  if (reduction === 'none')
                    expectIdentical(got.loss as Float, inPlace.loss as Float, `${at}: the losses on WasmArrays alone`);
                }
              }
            }
          }
        }
      },
    );
  }
});
