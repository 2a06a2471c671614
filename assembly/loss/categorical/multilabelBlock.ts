// Multi-label soft margin below LANES_BELOW classes, SIMD build: a row of C = 10 is 2.5 vectors, and
// row-major work was bound by its scalar tail and its horizontal sum. The terms have no coupling
// within a row but the sum, so a block of rows (a multiple of V) is one flat run of whole vectors
// with the class weights tiled across it, each weighted term kept in BUF_E; each row then adds its
// terms in class order, as the row kernel (and the scalar build) does below LANES_BELOW.
// Measured at C = 10, float32 withGrad, zero copy: 0.16 → 0.26 elements/ns (row-major before).

import { BUF_C, BUF_E, BUF_Z, LANES_BELOW, at, countDense, gather, vzero } from "../../kernel/classification";
import { lanes, vone } from "../../kernel/shared";
import { vnotUnit } from "../binary/domain";
import { vterm, vterms, vterms3 } from "./multilabelTerms";

/** Rows per block: as many whole groups of V rows as a buffer of LANES_BELOW vectors holds (≥ V below LANES_BELOW classes). */
export function blockRows<T>(C: i32): i32 {
  return (<i32>(LANES_BELOW * 16 / sizeof<T>()) / C) & ~(lanes<T>() - 1);
}

/** The class weights tiled over R rows at BUF_C, and kr·w_k (the gradient's factor of a row of weight 1) at BUF_Z. */
export function tileWeights<T>(C: i32, R: i32, cw: usize, kr: T): void {
  for (let j = 0; j < R; j++) {
    for (let k = 0; k < C; k++) {
      const wk = load<T>(at<T>(cw, k));
      store<T>(at<T>(BUF_C, j * C + k), wk);
      store<T>(at<T>(BUF_Z, j * C + k), kr * wk);
    }
  }
}

/** Weighted rows: kr·w_k at BUF_Z for the n rows r…, kr = scale·w_row/C as the row kernel forms it. */
export function scaleTile<T>(r: i32, n: i32, C: i32, w: usize, scale: T, invC: T): void {
  for (let j = 0; j < n; j++) {
    const kr = scale * load<T>(at<T>(w, r + j)) * invC;
    for (let k = j * C; k < (j + 1) * C; k++) store<T>(at<T>(BUF_Z, k), kr * load<T>(at<T>(BUF_C, k)));
  }
}

/** Accuracy of the n rows r…, in row order (before the gradient may overwrite them: out may be pred). */
export function countRows<T>(r: i32, n: i32, C: i32, y: usize, p: usize, w: usize, weighted: bool): void {
  for (let j = r; j < r + n; j++) countDense<T>(at<T>(p, j * C), at<T>(y, j * C), C, weighted ? load<T>(at<T>(w, j)) : <T>1);
}

/** N elements (whole vectors) from y, z: the weighted terms at BUF_E, the gradient at g; whether a target is outside [0, 1]. */
export function blockTerms<T, G>(N: i32, y: usize, z: usize, g: usize): bool {
  const V = lanes<T>();
  let seen = vzero();
  let i = 0;
  // Two vectors an iteration: half the loop's own work (V8 checks the stack in every loop iteration).
  // C = 10, float32 withGrad, zero copy: +2% (0.244 → 0.249 elements per ns of CPU time, interleaved A/B).
  // Float32 three first (vterms3: +8.6%), then a pair, then one.
  if (sizeof<T>() == 4) for (; i + 3 * V <= N; i += 3 * V) seen = blockTriple<G>(i, y, z, g, seen);
  for (; i + 2 * V <= N; i += 2 * V) seen = blockPair<T, G>(i, y, z, g, seen);
  if (i < N) seen = blockTerm<T, G>(i, y, z, g, seen);
  return sizeof<T>() == 4 ? v128.any_true(i32x4.gt_u(seen, vone<f32>())) : v128.any_true(seen);
}

/**
 * The targets seen so far with y: float32, the lanes' largest bits of y + 0 as unsigned integers, above bits(1) exactly
 * where vnotUnit is true for some y (−0 + 0 = +0; negatives, NaN and everything above 1 lie beyond): one max_u a vector
 * where vnotUnit's unsigned compare is several x64 instructions. Float64, the lanes where vnotUnit was true.
 * C = 10, float32 withGrad, zero copy: 0.296 → 0.303 elements per ns of CPU time (+2.7%; 15 interleaved samples,
 * loaded machine; two copies of the same build: 0%).
 */
// @ts-ignore: decorator
@inline function seenWith<T>(seen: v128, y: v128): v128 {
  if (sizeof<T>() == 4) return i32x4.max_u(seen, f32x4.add(y, v128.splat<f32>(0)));
  return v128.or(seen, vnotUnit<T>(y));
}

/** The 2V elements from i (vterms: two vectors' steps in turn): terms at BUF_E, gradient at g; the targets seen with theirs. */
// @ts-ignore: decorator
@inline function blockPair<T, G>(i: i32, y: usize, z: usize, g: usize, seen: v128): v128 {
  const j = i + lanes<T>();
  const ya = v128.load(at<T>(y, i));
  const yb = v128.load(at<T>(y, j));
  const za = v128.load(at<T>(z, i));
  const zb = v128.load(at<T>(z, j));
  const a = vterms<T, G>(ya, za, v128.load(at<T>(BUF_C, i)), v128.load(at<T>(BUF_Z, i)), at<T>(g, i),
                         yb, zb, v128.load(at<T>(BUF_C, j)), v128.load(at<T>(BUF_Z, j)), at<T>(g, j), at<T>(BUF_E, j));
  v128.store(at<T>(BUF_E, i), a);
  return seenWith<T>(seenWith<T>(seen, ya), yb);
}

/** The 3V float32 elements from i (vterms3: three vectors' steps in turn): terms at BUF_E, gradient at g; the targets seen with theirs. */
// @ts-ignore: decorator
@inline function blockTriple<G>(i: i32, y: usize, z: usize, g: usize, seen: v128): v128 {
  const j = i + 4;
  const l = i + 8;
  const ya = v128.load(at<f32>(y, i));
  const yb = v128.load(at<f32>(y, j));
  const yc = v128.load(at<f32>(y, l));
  const za = v128.load(at<f32>(z, i));
  const zb = v128.load(at<f32>(z, j));
  const zc = v128.load(at<f32>(z, l));
  const a = vterms3<G>(ya, za, v128.load(at<f32>(BUF_C, i)), v128.load(at<f32>(BUF_Z, i)), at<f32>(g, i),
                       yb, zb, v128.load(at<f32>(BUF_C, j)), v128.load(at<f32>(BUF_Z, j)), at<f32>(g, j), at<f32>(BUF_E, j),
                       yc, zc, v128.load(at<f32>(BUF_C, l)), v128.load(at<f32>(BUF_Z, l)), at<f32>(g, l), at<f32>(BUF_E, l));
  v128.store(at<f32>(BUF_E, i), a);
  return seenWith<f32>(seenWith<f32>(seenWith<f32>(seen, ya), yb), yc);
}

/** The V elements from i: the weighted terms at BUF_E, the gradient at g; the targets seen with theirs. */
// @ts-ignore: decorator
@inline function blockTerm<T, G>(i: i32, y: usize, z: usize, g: usize, seen: v128): v128 {
  const yk = v128.load(at<T>(y, i));
  const t = vterm<T, G>(yk, v128.load(at<T>(z, i)), v128.load(at<T>(BUF_C, i)), v128.load(at<T>(BUF_Z, i)), at<T>(g, i));
  v128.store(at<T>(BUF_E, i), t);
  return seenWith<T>(seen, yk);
}

/**
 * The losses of the n rows r… (whole groups of V) from their terms at BUF_E: lane j adds row j's terms in class order,
 * as the row kernel does, each class's V terms gathered a row apart (one vector add where there were V scalar adds);
 * stored when asked, added to total in row order. Measured together with vterms, not apart.
 */
export function blockLosses<T>(r: i32, n: i32, C: i32, w: usize, lo: usize, invC: T, weighted: bool, storing: bool, total: f64): f64 {
  const V = lanes<T>();
  const vinv = v128.splat<T>(invC);
  const stride = <usize>C << alignof<T>();
  for (let j = 0; j < n; j += V) {
    const row = at<T>(BUF_E, j * C);
    let s = vzero();
    for (let k = 0; k < C; k++) s = v128.add<T>(s, gather<T>(at<T>(row, k), stride));
    const l = v128.mul<T>(v128.mul<T>(s, vinv), weighted ? v128.load(at<T>(w, r + j)) : vone<T>());
    if (storing) v128.store(at<T>(lo, r + j), l);
    total += <f64>v128.extract_lane<T>(l, 0);
    total += <f64>v128.extract_lane<T>(l, 1);
    if (sizeof<T>() == 4) {
      total += <f64>v128.extract_lane<T>(l, 2);
      total += <f64>v128.extract_lane<T>(l, 3);
    }
  }
  return total;
}
