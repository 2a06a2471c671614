// The loops of the in-batch losses (infoNCE, ntXent): every row of X against every row of Y, one
// strip of STRIP rows of X at a time, so that the similarity matrix is never whole: a strip's
// logits (STRIP × M values, 64 KiB for float32 at M = 1024) stay in L2 while its softmax and its
// two gradient products run over them.
//
// Per strip: logits z = x̂·ŷ/τ (similarity, a register block of 2 rows × 4 candidates with one
// vector accumulator each, dim innermost); each row's log-sum-exp (its exact maximum first, then
// e^(z − max) stored in place); the gradient of the row losses in z, G = w·(softmax − onehot), in
// place; then dx̂ += G·ŷ (rowGrad) and dŷ += Gᵀ·x̂ (colGrad). τ is applied once per row at the end.
// Memory: 2N rows × dim of normalised rows (T), of gradient sums (float64) and of column partials
// (T), 4 float64 per row, one strip: for N = 4096, dim = 512, float32, 64.6 MiB (workspaceBytes).
//
// Bit-identical builds: every sum has one order, shared by the SIMD loops and their scalar twins.
// A dot product's element k goes to lane k mod L (L = 4 float32 or 2 float64 lanes), each lane in
// order of k, the lanes combined as (l0 + l1) + (l2 + l3) in float64 every BLOCK elements, then
// the dim mod L tail added in float64 in order. Gradient products are elementwise (no lane mixing):
// each element's partial is summed in T in order of its terms, then added into float64.
//
// Float32 lanes: a dot product adds ≤ 256 products per lane between float64 flushes (BLOCK), a
// row's gradient ≤ CHUNK = 256 terms, a column's ≤ STRIP terms per strip and ≤ FLUSH_STRIPS
// partials: each partial is within 256·2⁻²⁴ ≈ 1.5e-5 of its terms' absolute sum, typically ~1e-7.
// Measured at dim 1024, τ = 0.1: row losses within 6.6e-8 of float64 (the bound: 3.1e-4); float64
// lanes, as the float64 kernel has them, took 1.6–1.9× the float32 time at 1024 × 128.

import { BLOCK } from "../abi";
import { exp64, exp64x2, expNonPositive32, expNonPositive32x4 } from "../math/exp";
import { byteOffset, hsum, lanes } from "./shared";

/** The floor on a row's norm: x̂ = x / max(‖x‖, FLOOR); a zero row gives x̂ = 0. */
export const FLOOR: f64 = 1e-8;
/** Rows of X per strip. */
const STRIP: i32 = 16;
/** Candidates per float32 partial sum of a row's gradient. */
const CHUNK: i32 = 256;
/** Strips whose column partials are added in T before they go into float64: ≤ 256 terms. */
const FLUSH_STRIPS: i32 = 16;

// The workspace's regions (byte addresses), set by layout() at the start of every call.
let HAT: usize = 0;
let ACC: usize = 0;
let COLS: usize = 0;
let NORMS: usize = 0;
let LOSSES: usize = 0;
let Z: usize = 0;

// @ts-ignore: decorator
@inline function align16(x: usize): usize {
  return (x + 15) & ~<usize>15;
}

/** Lays out the workspace at `base` for `rows` rows (2N) of `dim` values; returns its size in bytes. */
export function layout<T>(rows: i32, dim: i32, base: usize): usize {
  const hat = <usize>rows * <usize>dim * sizeof<T>();
  HAT = align16(base);
  ACC = align16(HAT + hat);
  COLS = align16(ACC + <usize>rows * <usize>dim * 8);
  NORMS = align16(COLS + hat);
  LOSSES = NORMS + (<usize>rows << 3);
  Z = align16(LOSSES + (<usize>rows << 3));
  return Z + <usize>STRIP * <usize>rows * sizeof<T>() - base;
}

/** Row r of the normalised rows, the float64 gradient sums, the column partials. */
// @ts-ignore: decorator
@inline export function hatRow<T>(r: i32, dim: i32): usize { return HAT + byteOffset<T>(r * dim); }
// @ts-ignore: decorator
@inline function accRow(r: i32, dim: i32): usize { return ACC + (<usize>(r * dim) << 3); }
// @ts-ignore: decorator
@inline function colRow<T>(r: i32, dim: i32): usize { return COLS + byteOffset<T>(r * dim); }

/** Clears the gradient sums, the column partials and the row losses of `rows` rows. */
export function clear<T>(rows: i32, dim: i32): void {
  memory.fill(ACC, 0, <usize>rows * <usize>dim * 8);
  memory.fill(COLS, 0, <usize>rows * <usize>dim * sizeof<T>());
  memory.fill(LOSSES, 0, <usize>rows << 3);
}

/**
 * x̂ = x / max(‖x‖, FLOOR) for `rows` rows from x into the normalised rows from `at`. ‖x‖ is
 * max|xₖ|·√Σ(xₖ/max|xₖ|)² in float64, so that neither tiny nor huge rows lose it to underflow or overflow.
 */
export function normalise<T>(rows: i32, dim: i32, x: usize, at: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = x + byteOffset<T>(r * dim);
    let big: f64 = 0;
    for (let k = 0; k < dim; k++) big = max<f64>(big, abs<f64>(<f64>load<T>(row + byteOffset<T>(k))));
    let n: f64 = 0;
    if (big > 0) {
      // divided, not multiplied by 1/big: 1/big overflows for a subnormal big
      let ss: f64 = 0;
      for (let k = 0; k < dim; k++) {
        const v = <f64>load<T>(row + byteOffset<T>(k)) / big;
        ss += v * v;
      }
      n = big * sqrt<f64>(ss);
    }
    store<f64>(NORMS + (<usize>(at + r) << 3), n);
    const d = max<f64>(n, FLOOR);
    const out = hatRow<T>(at + r, dim);
    for (let k = 0; k < dim; k++) store<T>(out + byteOffset<T>(k), <T>(<f64>load<T>(row + byteOffset<T>(k)) / d));
  }
}

// @ts-ignore: decorator
@inline function madd<T>(acc: v128, x: v128, y: v128): v128 {
  return v128.add<T>(acc, v128.mul<T>(x, y));
}

// @ts-ignore: decorator
@inline function at<T>(p: usize, k: i32): T { return load<T>(p + byteOffset<T>(k)); }

/** x·y over dim values in the shared order (the scalar twin of every SIMD dot product below). */
function dotScalar<T>(dim: i32, x: usize, y: usize): f64 {
  const dv = dim & ~(lanes<T>() - 1);
  let total: f64 = 0;
  let k = 0;
  while (k < dv) {
    const end = min(k + BLOCK, dv);
    if (sizeof<T>() == 4) {
      let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
      for (; k < end; k += 4) {
        s0 += at<f32>(x, k) * at<f32>(y, k); s1 += at<f32>(x, k + 1) * at<f32>(y, k + 1);
        s2 += at<f32>(x, k + 2) * at<f32>(y, k + 2); s3 += at<f32>(x, k + 3) * at<f32>(y, k + 3);
      }
      total += (<f64>s0 + <f64>s1) + (<f64>s2 + <f64>s3);
    } else {
      let s0: f64 = 0, s1: f64 = 0;
      for (; k < end; k += 2) {
        s0 += at<f64>(x, k) * at<f64>(y, k); s1 += at<f64>(x, k + 1) * at<f64>(y, k + 1);
      }
      total += s0 + s1;
    }
  }
  for (; k < dim; k++) total += <f64>at<T>(x, k) * <f64>at<T>(y, k);
  return total;
}

/** x·y, SIMD: one vector accumulator. */
function dotVector<T>(dim: i32, x: usize, y: usize): f64 {
  const dv = dim & ~(lanes<T>() - 1);
  let total: f64 = 0;
  let k = 0;
  while (k < dv) {
    const end = min(k + BLOCK, dv);
    let acc = v128.splat<T>(0);
    for (; k < end; k += lanes<T>()) {
      const o = byteOffset<T>(k);
      acc = madd<T>(acc, v128.load(x + o), v128.load(y + o));
    }
    total += hsum<T>(acc);
  }
  for (; k < dim; k++) total += <f64>at<T>(x, k) * <f64>at<T>(y, k);
  return total;
}

/** The dim mod L tail of x·y in float64, in order (added after the lanes). */
// @ts-ignore: decorator
@inline function tail<T>(dim: i32, k: i32, x: usize, y: usize, total: f64): f64 {
  for (; k < dim; k++) total += <f64>at<T>(x, k) * <f64>at<T>(y, k);
  return total;
}

/**
 * Logits of rows x0, x1 against candidates y, y + ys, y + 2ys, y + 3ys (ys: bytes per row), into
 * z0[0..4) and z1[0..4): eight vector accumulators (2 × 4: with 16 xmm registers on x64, 4 × 4
 * spilled), dim innermost, 6 loads per 8 multiply-adds.
 */
function logits2x4<T>(dim: i32, x0: usize, x1: usize, y: usize, ys: usize, z0: usize, z1: usize, invTau: f64): void {
  const dv = dim & ~(lanes<T>() - 1);
  const y1 = y + ys, y2 = y1 + ys, y3 = y2 + ys;
  let t0: f64 = 0, t1: f64 = 0, t2: f64 = 0, t3: f64 = 0, t4: f64 = 0, t5: f64 = 0, t6: f64 = 0, t7: f64 = 0;
  let k = 0;
  while (k < dv) {
    const end = min(k + BLOCK, dv);
    let a0 = v128.splat<T>(0);
    let a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    for (; k < end; k += lanes<T>()) {
      const o = byteOffset<T>(k);
      const u0 = v128.load(x0 + o), u1 = v128.load(x1 + o);
      let v = v128.load(y + o);
      a0 = madd<T>(a0, u0, v); a4 = madd<T>(a4, u1, v);
      v = v128.load(y1 + o);
      a1 = madd<T>(a1, u0, v); a5 = madd<T>(a5, u1, v);
      v = v128.load(y2 + o);
      a2 = madd<T>(a2, u0, v); a6 = madd<T>(a6, u1, v);
      v = v128.load(y3 + o);
      a3 = madd<T>(a3, u0, v); a7 = madd<T>(a7, u1, v);
    }
    t0 += hsum<T>(a0); t1 += hsum<T>(a1); t2 += hsum<T>(a2); t3 += hsum<T>(a3);
    t4 += hsum<T>(a4); t5 += hsum<T>(a5); t6 += hsum<T>(a6); t7 += hsum<T>(a7);
  }
  store<T>(z0, <T>(tail<T>(dim, k, x0, y, t0) * invTau));
  store<T>(z0 + sizeof<T>(), <T>(tail<T>(dim, k, x0, y1, t1) * invTau));
  store<T>(z0 + 2 * sizeof<T>(), <T>(tail<T>(dim, k, x0, y2, t2) * invTau));
  store<T>(z0 + 3 * sizeof<T>(), <T>(tail<T>(dim, k, x0, y3, t3) * invTau));
  store<T>(z1, <T>(tail<T>(dim, k, x1, y, t4) * invTau));
  store<T>(z1 + sizeof<T>(), <T>(tail<T>(dim, k, x1, y1, t5) * invTau));
  store<T>(z1 + 2 * sizeof<T>(), <T>(tail<T>(dim, k, x1, y2, t6) * invTau));
  store<T>(z1 + 3 * sizeof<T>(), <T>(tail<T>(dim, k, x1, y3, t7) * invTau));
}

/** The strip's logits: rows [x, x + R) of X against the M rows of Y, into Z (row r at Z + r·M). */
export function logits<T>(R: i32, M: i32, dim: i32, x: usize, y: usize, invTau: f64): void {
  const rowBytes = byteOffset<T>(dim);
  if (ASC_FEATURE_SIMD) {
    const R2 = R & ~1, M4 = M & ~3;
    for (let r = 0; r < R2; r += 2) {
      const x0 = x + <usize>r * rowBytes;
      const z0 = Z + byteOffset<T>(r * M);
      for (let j = 0; j < M4; j += 4) {
        logits2x4<T>(dim, x0, x0 + rowBytes, y + <usize>j * rowBytes, rowBytes, z0 + byteOffset<T>(j), z0 + byteOffset<T>(M + j), invTau);
      }
      for (let j = M4; j < M; j++) {
        const yj = y + <usize>j * rowBytes;
        store<T>(z0 + byteOffset<T>(j), <T>(dotVector<T>(dim, x0, yj) * invTau));
        store<T>(z0 + byteOffset<T>(M + j), <T>(dotVector<T>(dim, x0 + rowBytes, yj) * invTau));
      }
    }
    for (let r = R2; r < R; r++) {
      for (let j = 0; j < M; j++) {
        const v = dotVector<T>(dim, x + <usize>r * rowBytes, y + <usize>j * rowBytes);
        store<T>(Z + byteOffset<T>(r * M + j), <T>(v * invTau));
      }
    }
  } else {
    for (let r = 0; r < R; r++) {
      for (let j = 0; j < M; j++) {
        const v = dotScalar<T>(dim, x + <usize>r * rowBytes, y + <usize>j * rowBytes);
        store<T>(Z + byteOffset<T>(r * M + j), <T>(v * invTau));
      }
    }
  }
}

/** e^x for x ≤ 0 (−∞ included), T lanes and its scalar twin. */
// @ts-ignore: decorator
@inline function vexpNP<T>(x: v128): v128 { return sizeof<T>() == 4 ? expNonPositive32x4(x) : exp64x2(x); }
// @ts-ignore: decorator
@inline function sexpNP<T>(x: T): T { return sizeof<T>() == 4 ? <T>expNonPositive32(<f32>x) : <T>exp64(<f64>x); }

/**
 * Σⱼ e^(zⱼ − m) over a row of M logits at z, each e^(zⱼ − m) stored in place of zⱼ: lane j mod L
 * in T, flushed into float64 every BLOCK values; the M mod L tail in float64 in order.
 */
function expSum<T>(M: i32, z: usize, m: T): f64 {
  const mv = M & ~(lanes<T>() - 1);
  let total: f64 = 0;
  let j = 0;
  while (j < mv) {
    const end = min(j + BLOCK, mv);
    if (ASC_FEATURE_SIMD) {
      const vm = v128.splat<T>(m);
      let acc = v128.splat<T>(0);
      for (; j < end; j += lanes<T>()) {
        const p = z + byteOffset<T>(j);
        const e = vexpNP<T>(v128.sub<T>(v128.load(p), vm));
        v128.store(p, e);
        acc = v128.add<T>(acc, e);
      }
      total += hsum<T>(acc);
    } else if (sizeof<T>() == 4) {
      let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
      for (; j < end; j += 4) {
        s0 += expStore<f32>(z, j, <f32>m); s1 += expStore<f32>(z, j + 1, <f32>m);
        s2 += expStore<f32>(z, j + 2, <f32>m); s3 += expStore<f32>(z, j + 3, <f32>m);
      }
      total += (<f64>s0 + <f64>s1) + (<f64>s2 + <f64>s3);
    } else {
      let s0: f64 = 0, s1: f64 = 0;
      for (; j < end; j += 2) {
        s0 += expStore<f64>(z, j, <f64>m); s1 += expStore<f64>(z, j + 1, <f64>m);
      }
      total += s0 + s1;
    }
  }
  for (; j < M; j++) total += <f64>expStore<T>(z, j, m);
  return total;
}

// @ts-ignore: decorator
@inline function expStore<T>(z: usize, j: i32, m: T): T {
  const p = z + byteOffset<T>(j);
  const e = sexpNP<T>(load<T>(p) - m);
  store<T>(p, e);
  return e;
}

/** x·c over M values at z, in place (T lanes; each element one rounding in both builds). */
function scaleRow<T>(M: i32, z: usize, c: T): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const vc = v128.splat<T>(c);
    const mv = M & ~(lanes<T>() - 1);
    for (; j < mv; j += lanes<T>()) {
      const p = z + byteOffset<T>(j);
      v128.store(p, v128.mul<T>(v128.load(p), vc));
    }
  }
  for (; j < M; j++) store<T>(z + byteOffset<T>(j), load<T>(z + byteOffset<T>(j)) * c);
}

/**
 * Each strip row's loss, lse − z_target, added (× lw) into the row losses from `lossRow`, and, for
 * the gradient, G = w·(softmax − onehot(target)) in place of its logits. Row i of X (i = i0 + r)
 * has target (i + shift) mod M; with `self`, column i is no candidate (ntXent's own row).
 */
export function softmaxRows<T>(R: i32, M: i32, i0: i32, shift: i32, self: bool, lossRow: i32, lw: f64, w: f64, grad: bool): void {
  for (let r = 0; r < R; r++) {
    const i = i0 + r;
    const z = Z + byteOffset<T>(r * M);
    let t = i + shift;
    if (t >= M) t -= M;
    const zt = <f64>load<T>(z + byteOffset<T>(t));
    if (self) store<T>(z + byteOffset<T>(i), <T>-Infinity);
    let m = load<T>(z);
    for (let j = 1; j < M; j++) m = max<T>(m, load<T>(z + byteOffset<T>(j)));
    const sum = expSum<T>(M, z, m);
    const lse = <f64>m + Math.log(sum);
    const p = LOSSES + (<usize>(lossRow + r) << 3);
    store<f64>(p, load<f64>(p) + lw * (lse - zt));
    if (grad) {
      scaleRow<T>(M, z, <T>(w / sum));
      const q = z + byteOffset<T>(t);
      store<T>(q, <T>(<f64>load<T>(q) - w));
    }
  }
}

/**
 * dx̂ᵣ += Σⱼ Gᵣⱼ ŷⱼ for the R strip rows, into their float64 sums from row `accAt`: each element's
 * terms summed in T over CHUNK candidates at a time, in order of j, then added in float64.
 */
export function rowGrad<T>(R: i32, M: i32, dim: i32, y: usize, accAt: i32): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    const d2 = dim & ~(2 * L - 1);
    const R4 = R & ~3;
    const dv = dim & ~(L - 1);
    for (let r = 0; r < R4; r += 4) {
      for (let c = 0; c < d2; c += 2 * L) rowGrad4x2<T>(r, M, dim, y, accAt, c);
      for (let c = d2; c < dv; c += L) for (let q = r; q < r + 4; q++) rowGrad1<T>(q, M, dim, y, accAt, c);
    }
    for (let r = R4; r < R; r++) for (let c = 0; c < dv; c += L) rowGrad1<T>(r, M, dim, y, accAt, c);
    k = dv;
  }
  for (let r = 0; r < R; r++) for (let e = k; e < dim; e++) rowGradScalar<T>(r, M, dim, y, accAt, e);
}

/** One element (row r, element e) of rowGrad: the scalar twin. */
function rowGradScalar<T>(r: i32, M: i32, dim: i32, y: usize, accAt: i32, e: i32): void {
  const g = Z + byteOffset<T>(r * M);
  const acc = accRow(accAt + r, dim) + (<usize>e << 3);
  for (let j0 = 0; j0 < M; j0 += CHUNK) {
    const end = min(j0 + CHUNK, M);
    let s: T = 0;
    for (let j = j0; j < end; j++) s += at<T>(g, j) * at<T>(y, j * dim + e);
    store<f64>(acc, load<f64>(acc) + <f64>s);
  }
}

/** Adds the lanes of a T vector into float64 sums at p (element by element). */
// @ts-ignore: decorator
@inline function addWide<T>(p: usize, v: v128): void {
  if (sizeof<T>() == 4) {
    v128.store(p, v128.add<f64>(v128.load(p), f64x2.promote_low_f32x4(v)));
    v128.store(p + 16, v128.add<f64>(v128.load(p + 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3))));
  } else {
    v128.store(p, v128.add<f64>(v128.load(p), v));
  }
}

/** rowGrad for strip rows r..r+3, elements c..c+2L: eight accumulators, 2 loads and 4 splats per 8 multiply-adds. */
function rowGrad4x2<T>(r: i32, M: i32, dim: i32, y: usize, accAt: i32, c: i32): void {
  const L = lanes<T>();
  const g0 = Z + byteOffset<T>(r * M), g1 = g0 + byteOffset<T>(M), g2 = g1 + byteOffset<T>(M), g3 = g2 + byteOffset<T>(M);
  const rowBytes = byteOffset<T>(dim);
  const yc = y + byteOffset<T>(c);
  for (let j0 = 0; j0 < M; j0 += CHUNK) {
    const end = min(j0 + CHUNK, M);
    let a0 = v128.splat<T>(0);
    let a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    for (let j = j0; j < end; j++) {
      const o = byteOffset<T>(j);
      const p = yc + <usize>j * rowBytes;
      const v0 = v128.load(p), v1 = v128.load(p + 16);
      let s = v128.load_splat<T>(g0 + o);
      a0 = madd<T>(a0, s, v0); a1 = madd<T>(a1, s, v1);
      s = v128.load_splat<T>(g1 + o);
      a2 = madd<T>(a2, s, v0); a3 = madd<T>(a3, s, v1);
      s = v128.load_splat<T>(g2 + o);
      a4 = madd<T>(a4, s, v0); a5 = madd<T>(a5, s, v1);
      s = v128.load_splat<T>(g3 + o);
      a6 = madd<T>(a6, s, v0); a7 = madd<T>(a7, s, v1);
    }
    const q = accRow(accAt + r, dim) + (<usize>c << 3);
    const rowWide = <usize>dim << 3;
    const half = <usize>L << 3;
    addWide<T>(q, a0); addWide<T>(q + half, a1);
    addWide<T>(q + rowWide, a2); addWide<T>(q + rowWide + half, a3);
    addWide<T>(q + 2 * rowWide, a4); addWide<T>(q + 2 * rowWide + half, a5);
    addWide<T>(q + 3 * rowWide, a6); addWide<T>(q + 3 * rowWide + half, a7);
  }
}

/** rowGrad for one strip row, elements c..c+L. */
function rowGrad1<T>(r: i32, M: i32, dim: i32, y: usize, accAt: i32, c: i32): void {
  const g = Z + byteOffset<T>(r * M);
  const rowBytes = byteOffset<T>(dim);
  const yc = y + byteOffset<T>(c);
  for (let j0 = 0; j0 < M; j0 += CHUNK) {
    const end = min(j0 + CHUNK, M);
    let a = v128.splat<T>(0);
    for (let j = j0; j < end; j++) a = madd<T>(a, v128.load_splat<T>(g + byteOffset<T>(j)), v128.load(yc + <usize>j * rowBytes));
    addWide<T>(accRow(accAt + r, dim) + (<usize>c << 3), a);
  }
}

/**
 * dŷⱼ += Σᵣ Gᵣⱼ x̂ᵣ over the R strip rows, for the M rows of Y from row `colAt`: each element's R
 * terms summed in T in order of r, that partial added in T to the column partials (colRow).
 */
export function colGrad<T>(R: i32, M: i32, dim: i32, x: usize, colAt: i32): void {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    const d2 = dim & ~(2 * L - 1);
    const M4 = M & ~3;
    const dv = dim & ~(L - 1);
    for (let j = 0; j < M4; j += 4) {
      for (let c = 0; c < d2; c += 2 * L) colGrad4x2<T>(R, M, dim, x, colAt, j, c);
      for (let c = d2; c < dv; c += L) for (let q = j; q < j + 4; q++) colGrad1<T>(R, M, dim, x, colAt, q, c);
    }
    for (let j = M4; j < M; j++) for (let c = 0; c < dv; c += L) colGrad1<T>(R, M, dim, x, colAt, j, c);
    k = dv;
  }
  for (let j = 0; j < M; j++) for (let e = k; e < dim; e++) colGradScalar<T>(R, M, dim, x, colAt, j, e);
}

function colGradScalar<T>(R: i32, M: i32, dim: i32, x: usize, colAt: i32, j: i32, e: i32): void {
  let s: T = 0;
  for (let r = 0; r < R; r++) s += at<T>(Z, r * M + j) * at<T>(x, r * dim + e);
  const p = colRow<T>(colAt + j, dim) + byteOffset<T>(e);
  store<T>(p, load<T>(p) + s);
}

/** colGrad for candidates j..j+3, elements c..c+2L. */
function colGrad4x2<T>(R: i32, M: i32, dim: i32, x: usize, colAt: i32, j: i32, c: i32): void {
  const rowBytes = byteOffset<T>(dim);
  const xc = x + byteOffset<T>(c);
  const zBytes = byteOffset<T>(M);
  let a0 = v128.splat<T>(0);
  let a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  let g = Z + byteOffset<T>(j);
  for (let r = 0; r < R; r++) {
    const p = xc + <usize>r * rowBytes;
    const v0 = v128.load(p), v1 = v128.load(p + 16);
    let s = v128.load_splat<T>(g);
    a0 = madd<T>(a0, s, v0); a1 = madd<T>(a1, s, v1);
    s = v128.load_splat<T>(g + sizeof<T>());
    a2 = madd<T>(a2, s, v0); a3 = madd<T>(a3, s, v1);
    s = v128.load_splat<T>(g + 2 * sizeof<T>());
    a4 = madd<T>(a4, s, v0); a5 = madd<T>(a5, s, v1);
    s = v128.load_splat<T>(g + 3 * sizeof<T>());
    a6 = madd<T>(a6, s, v0); a7 = madd<T>(a7, s, v1);
    g += zBytes;
  }
  const q = colRow<T>(colAt + j, dim) + byteOffset<T>(c);
  v128.store(q, v128.add<T>(v128.load(q), a0)); v128.store(q + 16, v128.add<T>(v128.load(q + 16), a1));
  const q1 = q + rowBytes;
  v128.store(q1, v128.add<T>(v128.load(q1), a2)); v128.store(q1 + 16, v128.add<T>(v128.load(q1 + 16), a3));
  const q2 = q1 + rowBytes;
  v128.store(q2, v128.add<T>(v128.load(q2), a4)); v128.store(q2 + 16, v128.add<T>(v128.load(q2 + 16), a5));
  const q3 = q2 + rowBytes;
  v128.store(q3, v128.add<T>(v128.load(q3), a6)); v128.store(q3 + 16, v128.add<T>(v128.load(q3 + 16), a7));
}

function colGrad1<T>(R: i32, M: i32, dim: i32, x: usize, colAt: i32, j: i32, c: i32): void {
  const rowBytes = byteOffset<T>(dim);
  let a = v128.splat<T>(0);
  for (let r = 0; r < R; r++) {
    a = madd<T>(a, v128.load_splat<T>(Z + byteOffset<T>(r * M + j)), v128.load(x + byteOffset<T>(c) + <usize>r * rowBytes));
  }
  const q = colRow<T>(colAt + j, dim) + byteOffset<T>(c);
  v128.store(q, v128.add<T>(v128.load(q), a));
}

/** Adds the column partials of `rows` rows from `from` into their float64 sums, and clears them. */
export function flushColumns<T>(rows: i32, dim: i32, from: i32): void {
  const n = rows * dim;
  const cols = colRow<T>(from, dim);
  const acc = accRow(from, dim);
  for (let e = 0; e < n; e++) {
    const p = acc + (<usize>e << 3);
    store<f64>(p, load<f64>(p) + <f64>at<T>(cols, e));
  }
  memory.fill(cols, 0, byteOffset<T>(n));
}

/**
 * One direction of the loss: every row of X (nx rows from normalised row xAt) against the M rows
 * of Y (from yAt); row i's target is (i + shift) mod M, `self`: X is Y and row i no candidate of itself.
 */
export function sweep<T>(nx: i32, M: i32, dim: i32, xAt: i32, yAt: i32, shift: i32, self: bool,
                         lw: f64, w: f64, invTau: f64, grad: bool): void {
  const y = hatRow<T>(yAt, dim);
  let strips = 0;
  for (let i0 = 0; i0 < nx; i0 += STRIP) {
    const R = min(STRIP, nx - i0);
    const x = hatRow<T>(xAt + i0, dim);
    logits<T>(R, M, dim, x, y, invTau);
    softmaxRows<T>(R, M, i0, shift, self, i0, lw, w, grad);
    if (!grad) continue;
    rowGrad<T>(R, M, dim, y, xAt + i0);
    colGrad<T>(R, M, dim, x, yAt);
    if (++strips == FLUSH_STRIPS) {
      flushColumns<T>(M, dim, yAt);
      strips = 0;
    }
  }
  if (grad && strips > 0) flushColumns<T>(M, dim, yAt);
}

/**
 * The gradient of `rows` rows from `from` in x, into out: dL/dx = (g − x̂(x̂·g))/‖x‖ above the floor,
 * g/FLOOR below it (x̂ = x/FLOOR is linear there), g = the row's float64 sum / τ.
 */
export function backward<T>(rows: i32, dim: i32, from: i32, out: usize, invTau: f64): void {
  for (let r = 0; r < rows; r++) {
    const n = load<f64>(NORMS + (<usize>(from + r) << 3));
    const g = accRow(from + r, dim);
    const h = hatRow<T>(from + r, dim);
    const o = out + byteOffset<T>(r * dim);
    if (n > FLOOR) {
      let d: f64 = 0;
      for (let k = 0; k < dim; k++) d += <f64>at<T>(h, k) * load<f64>(g + (<usize>k << 3));
      const c = invTau / n;
      for (let k = 0; k < dim; k++) store<T>(o + byteOffset<T>(k), <T>((load<f64>(g + (<usize>k << 3)) - <f64>at<T>(h, k) * d) * c));
    } else {
      const c = invTau / FLOOR;
      for (let k = 0; k < dim; k++) store<T>(o + byteOffset<T>(k), <T>(load<f64>(g + (<usize>k << 3)) * c));
    }
  }
}

/** Σ of the first `rows` row losses in float64, in order; stored (as T) at `out` when out ≥ 0. */
export function rowLosses<T>(rows: i32, out: isize): f64 {
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const l = load<f64>(LOSSES + (<usize>r << 3));
    total += l;
    if (out >= 0) store<T>(<usize>out + byteOffset<T>(r), <T>l);
  }
  return total;
}
