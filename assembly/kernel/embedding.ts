// Row reductions of the embedding kernels: squared distances and dot products over one
// row of `dim` values, four elements per step.
//
// Distances of float32 rows (contrastive, triplet) use float32 lanes, flushed into float64 every
// row and every BLOCK elements: at dim 128 each lane adds 32 squares, so the sum stays within
// ~2e-6 relative (typically ~1e-7); rows whose sum is tiny or beyond 3.4e38 are summed again in
// float64 lanes (below). Widening to float64 lanes first was exact but made the whole
// triplet.withGrad 1.3× slower at 1e3 × 128 zero copy (0.93 vs 1.25 el/ns, measured), and that
// is the case the benchmark target is about. Dot products and norms (cosineEmbedding) stay in float64
// lanes: a norm must neither underflow nor overflow for cos to be scale-free, and widened
// products are exact.
//
// Lane order, shared by both builds so that they give bit-identical sums: element j of a row goes
// into accumulator j mod 4 (the SIMD build: one f32x4, or two f64x2 for lanes 0–1 and 2–3),
// combined as (s0 + s1) + (s2 + s3) in float64; the dim mod 4 tail is then added in order.

import { BLOCK } from "../abi";
import { byteOffset, hsum } from "./shared";

/** Second and third sums of the last reduction that makes more than one (float64 each). */
const SUMS: usize = memory.data(16, 16);

// @ts-ignore: decorator
@inline export function sumB(): f64 { return load<f64>(SUMS); }
// @ts-ignore: decorator
@inline export function sumC(): f64 { return load<f64>(SUMS, 8); }
// @ts-ignore: decorator
@inline function setSums(b: f64, c: f64): void {
  store<f64>(SUMS, b);
  store<f64>(SUMS, c, 8);
}

/** Elements 0–1 (lo) or 2–3 (hi) of four consecutive T values at x, as f64x2. */
// @ts-ignore: decorator
@inline function wlo<T>(v: v128, x: usize): v128 {
  return sizeof<T>() == 4 ? f64x2.promote_low_f32x4(v) : v;
}
// @ts-ignore: decorator
@inline function whi<T>(v: v128, x: usize): v128 {
  return sizeof<T>() == 4 ? f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)) : v128.load(x + 16);
}

/**
 * The difference x − y of four elements in float64. (These rows are the rare ones whose float32
 * sums overflowed or underflowed: in float32, a − p of a = 2.46e38, p = −2.99e26 rounds to a, and
 * triplet's d(a, p)² − d(a, n)² = 1.5e65, beyond float32, came out as the margin alone.)
 */
// @ts-ignore: decorator
@inline function dlo<T>(x: usize, y: usize): v128 {
  return sizeof<T>() == 4
    ? v128.sub<f64>(f64x2.promote_low_f32x4(v128.load(x)), f64x2.promote_low_f32x4(v128.load(y)))
    : v128.sub<f64>(v128.load(x), v128.load(y));
}
// @ts-ignore: decorator
@inline function dhi<T>(x: usize, y: usize): v128 {
  if (sizeof<T>() == 4) {
    const a = v128.load(x), b = v128.load(y);
    return v128.sub<f64>(f64x2.promote_low_f32x4(v128.shuffle<f32>(a, a, 2, 3, 2, 3)),
                         f64x2.promote_low_f32x4(v128.shuffle<f32>(b, b, 2, 3, 2, 3)));
  }
  return v128.sub<f64>(v128.load(x + 16), v128.load(y + 16));
}

// @ts-ignore: decorator
@inline function sq(acc: v128, d: v128): v128 {
  return v128.add<f64>(acc, v128.mul<f64>(d, d));
}

// @ts-ignore: decorator
@inline function combine(lo: v128, hi: v128): f64 {
  return (v128.extract_lane<f64>(lo, 0) + v128.extract_lane<f64>(lo, 1))
       + (v128.extract_lane<f64>(hi, 0) + v128.extract_lane<f64>(hi, 1));
}

/** One element's difference in float64: the scalar twin of dlo/dhi. */
// @ts-ignore: decorator
@inline function sd<T>(x: usize, y: usize, j: i32): f64 {
  const off = byteOffset<T>(j);
  return <f64>load<T>(x + off) - <f64>load<T>(y + off);
}
// @ts-ignore: decorator
@inline function sv<T>(x: usize, j: i32): f64 {
  return <f64>load<T>(x + byteOffset<T>(j));
}


/** Σ (x − y)² of a float32 row in float32 lanes, flushed every BLOCK elements. */
function sqDistF32(dim: i32, x: usize, y: usize): f64 {
  const n4 = dim & ~3;
  let i = 0;
  let total: f64 = 0;
  while (i < n4) {
    const end = min(i + BLOCK, n4);
    if (ASC_FEATURE_SIMD) {
      let acc = f32x4.splat(0);
      for (; i < end; i += 4) {
        const off = byteOffset<f32>(i);
        const d = v128.sub<f32>(v128.load(x + off), v128.load(y + off));
        acc = v128.add<f32>(acc, v128.mul<f32>(d, d));
      }
      total += hsum<f32>(acc);
    } else {
      let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
      for (; i < end; i += 4) {
        const d0 = fd(x, y, i), d1 = fd(x, y, i + 1), d2 = fd(x, y, i + 2), d3 = fd(x, y, i + 3);
        s0 += d0 * d0; s1 += d1 * d1; s2 += d2 * d2; s3 += d3 * d3;
      }
      total += (<f64>s0 + <f64>s1) + (<f64>s2 + <f64>s3);
    }
  }
  for (; i < dim; i++) {
    const d = <f64>fd(x, y, i);
    total += d * d;
  }
  return total;
}

// @ts-ignore: decorator
@inline function fd(x: usize, y: usize, j: i32): f32 {
  const off = byteOffset<f32>(j);
  return load<f32>(x + off) - load<f32>(y + off);
}

/** sqDist3 for float32 rows, in float32 lanes flushed every BLOCK elements. */
function sqDist3F32<S>(dim: i32, a: usize, p: usize, n: usize): f64 {
  const n4 = dim & ~3;
  let i = 0;
  let ap: f64 = 0, an: f64 = 0, pn: f64 = 0;
  while (i < n4) {
    const end = min(i + BLOCK, n4);
    if (ASC_FEATURE_SIMD) {
      let accAp = f32x4.splat(0);
      let accAn = accAp, accPn = accAp;
      for (; i < end; i += 4) {
        const off = byteOffset<f32>(i);
        const av = v128.load(a + off);
        const pv = v128.load(p + off);
        const nv = v128.load(n + off);
        const u = v128.sub<f32>(av, pv);
        const v = v128.sub<f32>(av, nv);
        accAp = v128.add<f32>(accAp, v128.mul<f32>(u, u));
        accAn = v128.add<f32>(accAn, v128.mul<f32>(v, v));
        if (isInteger<S>()) {
          const s = v128.sub<f32>(pv, nv);
          accPn = v128.add<f32>(accPn, v128.mul<f32>(s, s));
        }
      }
      ap += hsum<f32>(accAp);
      an += hsum<f32>(accAn);
      if (isInteger<S>()) pn += hsum<f32>(accPn);
    } else {
      let a0: f32 = 0, a1: f32 = 0, a2: f32 = 0, a3: f32 = 0;
      let b0: f32 = 0, b1: f32 = 0, b2: f32 = 0, b3: f32 = 0;
      let c0: f32 = 0, c1: f32 = 0, c2: f32 = 0, c3: f32 = 0;
      for (; i < end; i += 4) {
        let d0 = fd(a, p, i), d1 = fd(a, p, i + 1), d2 = fd(a, p, i + 2), d3 = fd(a, p, i + 3);
        a0 += d0 * d0; a1 += d1 * d1; a2 += d2 * d2; a3 += d3 * d3;
        d0 = fd(a, n, i); d1 = fd(a, n, i + 1); d2 = fd(a, n, i + 2); d3 = fd(a, n, i + 3);
        b0 += d0 * d0; b1 += d1 * d1; b2 += d2 * d2; b3 += d3 * d3;
        if (isInteger<S>()) {
          d0 = fd(p, n, i); d1 = fd(p, n, i + 1); d2 = fd(p, n, i + 2); d3 = fd(p, n, i + 3);
          c0 += d0 * d0; c1 += d1 * d1; c2 += d2 * d2; c3 += d3 * d3;
        }
      }
      ap += (<f64>a0 + <f64>a1) + (<f64>a2 + <f64>a3);
      an += (<f64>b0 + <f64>b1) + (<f64>b2 + <f64>b3);
      if (isInteger<S>()) pn += (<f64>c0 + <f64>c1) + (<f64>c2 + <f64>c3);
    }
  }
  for (; i < dim; i++) {
    let d = <f64>fd(a, p, i);
    ap += d * d;
    d = <f64>fd(a, n, i);
    an += d * d;
    if (isInteger<S>()) {
      d = <f64>fd(p, n, i);
      pn += d * d;
    }
  }
  setSums(an, pn);
  return ap;
}

// A float32-lane sum outside [2⁻¹⁰⁰, 3.4e38] may have lost its squares to underflow (differences
// below ~1e-19) or overflowed (above ~1.8e19; the tail's float64 squares of float32 differences
// do not overflow, but those differences may have lost the digits of a smaller operand): such rows
// are summed again in float64 lanes, exactly.
const F32_SUM_MIN: f64 = 7.888609052210118e-31; // 2⁻¹⁰⁰
const F32_SUM_MAX: f64 = 3.4028234663852886e38;

// @ts-ignore: decorator
@inline function f32SumOk(s: f64): bool {
  return s >= F32_SUM_MIN && s <= F32_SUM_MAX;
}

/** Σ (x − y)² over one row. */
export function sqDist<T>(dim: i32, x: usize, y: usize): f64 {
  if (sizeof<T>() == 4) {
    const s = sqDistF32(dim, x, y);
    if (f32SumOk(s)) return s;
  }
  return sqDistWide<T>(dim, x, y);
}

/** Σ (x − y)² in float64 lanes. */
function sqDistWide<T>(dim: i32, x: usize, y: usize): f64 {
  const n4 = dim & ~3;
  let i = 0;
  let total: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let lo = f64x2.splat(0);
    let hi = lo;
    for (; i < n4; i += 4) {
      const off = byteOffset<T>(i);
      lo = sq(lo, dlo<T>(x + off, y + off));
      hi = sq(hi, dhi<T>(x + off, y + off));
    }
    total = combine(lo, hi);
  } else {
    let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
    for (; i < n4; i += 4) {
      const d0 = sd<T>(x, y, i), d1 = sd<T>(x, y, i + 1), d2 = sd<T>(x, y, i + 2), d3 = sd<T>(x, y, i + 3);
      s0 += d0 * d0; s1 += d1 * d1; s2 += d2 * d2; s3 += d3 * d3;
    }
    total = (s0 + s1) + (s2 + s3);
  }
  for (; i < dim; i++) {
    const d = sd<T>(x, y, i);
    total += d * d;
  }
  return total;
}

/**
 * Σ (a − p)² (returned), Σ (a − n)² (sumB) and, when S (On = i32) is set, Σ (p − n)² (sumC):
 * the three distances of a triplet from one pass over its rows.
 */
export function sqDist3<T, S>(dim: i32, a: usize, p: usize, n: usize): f64 {
  if (sizeof<T>() == 4) {
    const s = sqDist3F32<S>(dim, a, p, n);
    if (f32SumOk(s) && f32SumOk(sumB()) && (!isInteger<S>() || f32SumOk(sumC()))) return s;
  }
  return sqDist3Wide<T, S>(dim, a, p, n);
}

/** sqDist3 in float64 lanes. */
function sqDist3Wide<T, S>(dim: i32, a: usize, p: usize, n: usize): f64 {
  const n4 = dim & ~3;
  let i = 0;
  let ap: f64 = 0, an: f64 = 0, pn: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let aplo = f64x2.splat(0);
    let aphi = aplo, anlo = aplo, anhi = aplo, pnlo = aplo, pnhi = aplo;
    for (; i < n4; i += 4) {
      const off = byteOffset<T>(i);
      aplo = sq(aplo, dlo<T>(a + off, p + off));
      aphi = sq(aphi, dhi<T>(a + off, p + off));
      anlo = sq(anlo, dlo<T>(a + off, n + off));
      anhi = sq(anhi, dhi<T>(a + off, n + off));
      if (isInteger<S>()) {
        pnlo = sq(pnlo, dlo<T>(p + off, n + off));
        pnhi = sq(pnhi, dhi<T>(p + off, n + off));
      }
    }
    ap = combine(aplo, aphi);
    an = combine(anlo, anhi);
    if (isInteger<S>()) pn = combine(pnlo, pnhi);
  } else {
    let a0: f64 = 0, a1: f64 = 0, a2: f64 = 0, a3: f64 = 0;
    let b0: f64 = 0, b1: f64 = 0, b2: f64 = 0, b3: f64 = 0;
    let c0: f64 = 0, c1: f64 = 0, c2: f64 = 0, c3: f64 = 0;
    for (; i < n4; i += 4) {
      let d0 = sd<T>(a, p, i), d1 = sd<T>(a, p, i + 1), d2 = sd<T>(a, p, i + 2), d3 = sd<T>(a, p, i + 3);
      a0 += d0 * d0; a1 += d1 * d1; a2 += d2 * d2; a3 += d3 * d3;
      d0 = sd<T>(a, n, i); d1 = sd<T>(a, n, i + 1); d2 = sd<T>(a, n, i + 2); d3 = sd<T>(a, n, i + 3);
      b0 += d0 * d0; b1 += d1 * d1; b2 += d2 * d2; b3 += d3 * d3;
      if (isInteger<S>()) {
        d0 = sd<T>(p, n, i); d1 = sd<T>(p, n, i + 1); d2 = sd<T>(p, n, i + 2); d3 = sd<T>(p, n, i + 3);
        c0 += d0 * d0; c1 += d1 * d1; c2 += d2 * d2; c3 += d3 * d3;
      }
    }
    ap = (a0 + a1) + (a2 + a3);
    an = (b0 + b1) + (b2 + b3);
    pn = (c0 + c1) + (c2 + c3);
  }
  for (; i < dim; i++) {
    let d = sd<T>(a, p, i);
    ap += d * d;
    d = sd<T>(a, n, i);
    an += d * d;
    if (isInteger<S>()) {
      d = sd<T>(p, n, i);
      pn += d * d;
    }
  }
  setSums(an, pn);
  return ap;
}

/** Σ a·b (returned), Σ a² (sumB), Σ b² (sumC) over one row. */
export function dots<T>(dim: i32, a: usize, b: usize): f64 {
  const n4 = dim & ~3;
  let i = 0;
  let ab: f64 = 0, aa: f64 = 0, bb: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let ablo = f64x2.splat(0);
    let abhi = ablo, aalo = ablo, aahi = ablo, bblo = ablo, bbhi = ablo;
    for (; i < n4; i += 4) {
      const off = byteOffset<T>(i);
      const av = v128.load(a + off);
      const bv = v128.load(b + off);
      const alo = wlo<T>(av, a + off), ahi = whi<T>(av, a + off);
      const blo = wlo<T>(bv, b + off), bhi = whi<T>(bv, b + off);
      ablo = v128.add<f64>(ablo, v128.mul<f64>(alo, blo));
      abhi = v128.add<f64>(abhi, v128.mul<f64>(ahi, bhi));
      aalo = sq(aalo, alo);
      aahi = sq(aahi, ahi);
      bblo = sq(bblo, blo);
      bbhi = sq(bbhi, bhi);
    }
    ab = combine(ablo, abhi);
    aa = combine(aalo, aahi);
    bb = combine(bblo, bbhi);
  } else {
    let p0: f64 = 0, p1: f64 = 0, p2: f64 = 0, p3: f64 = 0;
    let a0: f64 = 0, a1: f64 = 0, a2: f64 = 0, a3: f64 = 0;
    let b0: f64 = 0, b1: f64 = 0, b2: f64 = 0, b3: f64 = 0;
    for (; i < n4; i += 4) {
      const x0 = sv<T>(a, i), x1 = sv<T>(a, i + 1), x2 = sv<T>(a, i + 2), x3 = sv<T>(a, i + 3);
      const y0 = sv<T>(b, i), y1 = sv<T>(b, i + 1), y2 = sv<T>(b, i + 2), y3 = sv<T>(b, i + 3);
      p0 += x0 * y0; p1 += x1 * y1; p2 += x2 * y2; p3 += x3 * y3;
      a0 += x0 * x0; a1 += x1 * x1; a2 += x2 * x2; a3 += x3 * x3;
      b0 += y0 * y0; b1 += y1 * y1; b2 += y2 * y2; b3 += y3 * y3;
    }
    ab = (p0 + p1) + (p2 + p3);
    aa = (a0 + a1) + (a2 + a3);
    bb = (b0 + b1) + (b2 + b3);
  }
  for (; i < dim; i++) {
    const x = sv<T>(a, i);
    const y = sv<T>(b, i);
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  setSums(aa, bb);
  return ab;
}
