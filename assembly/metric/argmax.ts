// The argmax of a row of C scores in wasm lanes: the first largest, so ties go to the lower index,
// as the scalar loop in confusion.ts finds it. The largest score m comes from pmax (one instruction;
// wasm's max, which propagates NaN, is eight in V8), then a bit per score equal to m, the lowest of
// which is the answer. pmax drops a NaN, so a row's scores are also summed lane by lane: a NaN sum
// (a NaN score, or +∞ and -∞ in one lane) gives -1, and the caller's scalar step decides.

import { byteOffset, lanes } from "../kernel/shared";

/** -∞ in every lane: what pads a row shorter than a vector (no score is below it, only -∞ ties with it). */
const LOWEST_F32 = memory.data<f32>([-Infinity, -Infinity, -Infinity, -Infinity], 16);
const LOWEST_F64 = memory.data<f64>([-Infinity, -Infinity], 16);

/** Which class each bit of argmaxFew's mask stands for (-1: a NaN sum's bits, and no bit: index 32). */
const CLASS_OF_BIT: usize = memory.data(48, 16);
/** The C and lanes CLASS_OF_BIT was filled for (C·16 + V; 0: never), so that a stream of chunks fills it once. */
const FILLED_FOR: usize = memory.data(4, 4);

/** A row of C < V scores in one vector, -∞ in the lanes after it. */
// @ts-ignore: decorator
@inline function shortRow<T>(row: usize, C: i32): v128 {
  const lowest = v128.load(sizeof<T>() == 4 ? LOWEST_F32 : LOWEST_F64);
  if (sizeof<T>() == 8) return v128.load64_lane(row, lowest, 0);
  if (C == 1) return v128.load32_lane(row, lowest, 0);
  const two = v128.load64_lane(row, lowest, 0);
  return C == 2 ? two : v128.load32_lane(row + 8, two, 2);
}

/** The largest lane of v in every lane. */
// @ts-ignore: decorator
@inline function widest<T>(v: v128): v128 {
  if (sizeof<T>() == 8) return v128.pmax<T>(v, v128.shuffle<T>(v, v, 1, 0));
  const m = v128.pmax<T>(v, v128.shuffle<T>(v, v, 2, 3, 0, 1));
  return v128.pmax<T>(m, v128.shuffle<T>(m, m, 1, 0, 3, 2));
}

/** A bit per lane of v equal to m's. */
// @ts-ignore: decorator
@inline function ties<T>(v: v128, m: v128): i32 {
  return sizeof<T>() == 4 ? i32x4.bitmask(v128.eq<T>(v, m)) : i64x2.bitmask(v128.eq<T>(v, m));
}

/** Argmax of a row of C < V scores: one vector, -∞ after the scores, which no score loses to; -1 for a NaN. */
// @ts-ignore: decorator
@inline export function argmaxShort<T>(row: usize, C: i32): i32 {
  const v = shortRow<T>(row, C);
  return v128.any_true(v128.ne<T>(v, v)) ? -1 : ctz(ties<T>(v, widest<T>(v)));
}

/**
 * Fills CLASS_OF_BIT for argmaxFew over rows of C scores, V ≤ C ≤ 3V. Its mask holds four vectors'
 * bits: the NaN lanes, then the ties of the vectors at 0, at V (or the last again when C ≤ 2V) and
 * at C − V (the last, which ends the row and may overlap the others).
 */
export function bitClasses<T>(C: i32): void {
  const V = lanes<T>();
  if (load<i32>(FILLED_FOR) == C * 16 + V) return;
  store<i32>(FILLED_FOR, C * 16 + V);
  for (let bit = 0; bit < 48; bit++) {
    const vector = bit / V;
    const start = vector == 1 ? 0 : vector == 2 ? (C > 2 * V ? V : C - V) : vector == 3 ? C - V : -1;
    store<i8>(CLASS_OF_BIT + <usize>bit, start < 0 ? -1 : start + bit % V);
  }
}

/**
 * Argmax of a row of V ≤ C ≤ 3V scores (`three`: more than 2V, a constant where inlined) from its
 * vectors at 0, at V when three, and at `tail` bytes, or -1 for a NaN sum. The NaN lanes and the
 * vectors' ties are narrowed into one mask, NaN lowest, and its lowest bit is looked up in
 * CLASS_OF_BIT (bitClasses): no shift, no branch on where the largest is (a branch there is
 * mispredicted on most rows of random scores).
 */
// @ts-ignore: decorator
@inline export function argmaxFew<T>(row: usize, tail: usize, three: bool): i32 {
  const first = v128.load(row);
  const end = v128.load(row + tail);
  const second = three ? v128.load(row, 16) : end;
  const sum = three ? v128.add<T>(v128.add<T>(first, second), end) : v128.add<T>(first, end);
  const top = three ? v128.pmax<T>(v128.pmax<T>(first, second), end) : v128.pmax<T>(first, end);
  const m = widest<T>(top);
  const nan = v128.ne<T>(sum, sum);
  const e0 = v128.eq<T>(first, m);
  const e1 = three ? v128.eq<T>(second, m) : v128.eq<T>(end, m);
  const e2 = v128.eq<T>(end, m);
  let bits: i32;
  if (sizeof<T>() == 4) {
    bits = i8x16.bitmask(i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(nan, e0), i16x8.narrow_i32x4_s(e1, e2)));
  } else {
    bits = i16x8.bitmask(i16x8.narrow_i32x4_s(v128.shuffle<i32>(nan, e0, 0, 2, 4, 6), v128.shuffle<i32>(e1, e2, 0, 2, 4, 6)));
  }
  return load<i8>(CLASS_OF_BIT + <usize>ctz(bits));
}

/**
 * Argmax of a row of C > 3V scores, or -1 for a NaN sum: the vectors at 0, V, 2V, … and the one
 * ending the row, then the first of them with a tie.
 */
// @ts-ignore: decorator
@inline export function argmaxWide<T>(row: usize, C: i32): i32 {
  const V = lanes<T>();
  const tail = C - V;
  const end = v128.load(row + byteOffset<T>(tail));
  let m = end;
  let sum = end;
  for (let o = 0; o < tail; o += V) {
    const v = v128.load(row + byteOffset<T>(o));
    m = v128.pmax<T>(m, v);
    sum = v128.add<T>(sum, v);
  }
  if (v128.any_true(v128.ne<T>(sum, sum))) return -1;
  m = widest<T>(m);
  for (let o = 0; o < tail; o += V) {
    const bits = ties<T>(v128.load(row + byteOffset<T>(o)), m);
    if (bits != 0) return o + ctz(bits);
  }
  return tail + ctz(ties<T>(end, m));
}
