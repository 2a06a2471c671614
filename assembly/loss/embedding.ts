// Embedding losses over batches of rows of `dim` values: contrastive, triplet, cosine embedding.
//
// Kernel ABI (one export per loss and dtype):
//   contrastive, cosineEmbedding: (rows, dim, label, a, b, weights, losses, ga, gb, scale, margin, mode) → i32
//   triplet:                      (rows, dim, anchor, positive, negative, weights, losses, ga, gp, gn, scale, margin, mode) → i32
// byte offsets into wasm memory; `mode` a set of MODE_* bits. Returns -1, or the first row whose
// label is outside the domain (the label itself is left at RESULT_SUM2). Σ wᵢ·lᵢ is left at RESULT_SUM.
//
// Each row: one pass for its sums (kernel/embedding.ts, float64 lanes), the loss and the gradient's
// coefficients in float64 scalars, then one pass writing the gradient rows in T. The mode bits are
// tested once per row, not per element, so unlike the elementwise loop they cost nothing measurable
// and need no compile-time specialisation.
//
// A gradient row is c·(x − y) with c computed once per row; where c, rounded to T, is not a normal
// number (a distance or norm below ~3e-39 overflows it; in cosineEmbedding a norm beyond ~1.8e19 or
// below ~1e-19 makes 1/(‖a‖‖b‖) or cos/‖a‖² underflow float32 and the row lose its digits: grad.b
// [0, −0, 0] for [8.8e-39, −1.3e-57, −1.7e-19]), the row takes a scalar float64 path that divides
// each element instead (the same in both builds): no 0·∞ NaN, and the float64 value rounded once.
//
// Where the math has no gradient, the kernels take the subgradient of least norm, 0:
//   a distance of 0 (its subdifferential is the unit ball), in contrastive and triplet;
//   a zero-norm vector in cosineEmbedding (cos is taken as 0 there, with a zero gradient).

import {
  ARGUMENT_TARGET, MODE_GRAD, MODE_LOSSES, MODE_SQUARED, MODE_SWAP, MODE_WEIGHTED, RESULT_ARGUMENT, RESULT_SUM, RESULT_SUM2,
} from "../abi";
import { Off, On, byteOffset, setResult } from "../kernel/shared";
import { sqDist, sqDist3, dots, sumB, sumC } from "../kernel/embedding";

/** The label is the target: its argument code, and the refused value itself at RESULT_SUM2. */
function badLabel(row: i32, y: f64): i32 {
  setResult<i32>(RESULT_ARGUMENT, ARGUMENT_TARGET);
  setResult<f64>(RESULT_SUM2, y);
  return row;
}

/** The row's weight, 1 without weights (w·l and scale·w are then l and scale, exactly). */
// @ts-ignore: decorator
@inline function rowWeight<T>(mode: i32, r: i32, w: usize): f64 {
  return mode & MODE_WEIGHTED ? <f64>load<T>(w + byteOffset<T>(r)) : 1;
}

/** The row's weighted loss, stored when asked. */
// @ts-ignore: decorator
@inline function weigh<T>(mode: i32, r: i32, lo: usize, wl: f64): f64 {
  if (mode & MODE_LOSSES) store<T>(lo + byteOffset<T>(r), <T>wl);
  return wl;
}

/** x is 0, or rounded to T a finite normal number: a per-row factor that loses no digits in T. */
// @ts-ignore: decorator
@inline function factorOk<T>(x: f64): bool {
  const m = abs<f64>(<f64><T>x);
  return x == 0 || (m >= (sizeof<T>() == 4 ? 1.1754943508222875e-38 : 2.2250738585072014e-308) && m < Infinity);
}

/**
 * (1 − y)·½D² + y·½max(0, m − D)², D = ‖a − b‖, y ∈ [0, 1] (0 similar, 1 dissimilar; the formula is
 * linear in y, so soft labels in between are allowed). dl/da = c·(a − b), dl/db = −dl/da with
 * c = (1 − y) − y·max(0, m − D)/D; at D = 0 the dissimilar term's share of c is 0.
 */
function contrastive<T>(rows: i32, dim: i32, label: usize, a: usize, b: usize, w: usize, lo: usize,
                        ga: usize, gb: usize, scale: f64, margin: f64, mode: i32): i32 {
  const rowBytes = byteOffset<T>(dim);
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const y = <f64>load<T>(label + byteOffset<T>(r));
    if (!(y >= 0 && y <= 1)) return badLabel(r, y);
    const off = <usize>r * rowBytes;
    const d2 = sqDist<T>(dim, a + off, b + off);
    const d = sqrt<f64>(d2);
    const h = max<f64>(margin - d, 0);
    // Each term only where its label weight is non-zero: 0·∞ would be NaN for a distance that overflows.
    const l = (y < 1 ? (1 - y) * (0.5 * d2) : 0) + (y > 0 ? y * (0.5 * h * h) : 0);
    const wr = rowWeight<T>(mode, r, w);
    total += weigh<T>(mode, r, lo, l * wr);
    const k = scale * wr;
    if (mode & MODE_GRAD) {
      const c = k * ((1 - y) - (d > 0 ? y * h / d : 0));
      if (isFinite<T>(<T>c)) diffGrad<T>(dim, a + off, b + off, ga + off, gb + off, <T>c);
      else contrastiveWide<T>(dim, a + off, b + off, ga + off, gb + off, k * (1 - y), d > 0 ? k * y * h : 0, d);
    }
  }
  setResult<f64>(RESULT_SUM, total);
  return -1;
}

/** ga = p·u + q·(u/d), u = a − b, in float64: for rows whose factor overflows T. */
function contrastiveWide<T>(dim: i32, a: usize, b: usize, ga: usize, gb: usize, p: f64, q: f64, d: f64): void {
  for (let i = 0; i < dim; i++) {
    const off = byteOffset<T>(i);
    const u = <f64>load<T>(a + off) - <f64>load<T>(b + off);
    const g = p * u - (q != 0 ? q * (u / d) : 0);
    store<T>(ga + off, <T>g);
    store<T>(gb + off, <T>-g);
  }
}

/** ga = c·(a − b), gb = −ga. */
function diffGrad<T>(dim: i32, a: usize, b: usize, ga: usize, gb: usize, c: T): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const V = 16 / sizeof<T>();
    const nv = dim & ~(V - 1);
    const cv = v128.splat<T>(c);
    for (; i < nv; i += V) {
      const off = byteOffset<T>(i);
      const g = v128.mul<T>(cv, v128.sub<T>(v128.load(a + off), v128.load(b + off)));
      v128.store(ga + off, g);
      v128.store(gb + off, v128.neg<T>(g));
    }
  }
  for (; i < dim; i++) {
    const off = byteOffset<T>(i);
    const g = c * (load<T>(a + off) - load<T>(b + off));
    store<T>(ga + off, g);
    store<T>(gb + off, -g);
  }
}

/**
 * max(0, d(a, p) − d(a, n) + α), d the Euclidean distance (its square with MODE_SQUARED). With
 * MODE_SWAP the negative distance is min(d(a, n), d(p, n)) (PyTorch's swap; a tie keeps d(a, n)).
 * Active (gradient flows) where d(a, p) − d(a, n) + α ≥ 0: at the kink, the active side.
 */
function triplet<T>(rows: i32, dim: i32, an: usize, po: usize, ne: usize, w: usize, lo: usize,
                    ga: usize, gp: usize, gn: usize, scale: f64, margin: f64, mode: i32): i32 {
  const rowBytes = byteOffset<T>(dim);
  const squared = (mode & MODE_SQUARED) != 0;
  const swap = (mode & MODE_SWAP) != 0;
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    const ap2 = swap ? sqDist3<T, On>(dim, an + off, po + off, ne + off) : sqDist3<T, Off>(dim, an + off, po + off, ne + off);
    const an2 = sumB();
    const pn2 = sumC();
    const dap = squared ? ap2 : sqrt<f64>(ap2);
    const dan = squared ? an2 : sqrt<f64>(an2);
    const dpn = squared ? pn2 : sqrt<f64>(pn2);
    const useS = swap && dpn < dan;
    const t = dap - (useS ? dpn : dan) + margin;
    const wr = rowWeight<T>(mode, r, w);
    total += weigh<T>(mode, r, lo, max<f64>(t, 0) * wr);
    const k = scale * wr;
    if (mode & MODE_GRAD) {
      if (!(t < 0)) { // NaN: a NaN gradient, as for every NaN input
        // d‖x‖/dx = x/‖x‖ (0 at x = 0), d‖x‖²/dx = 2x.
        const cu = squared ? 2 : dap > 0 ? 1 / dap : 0;
        const dneg = useS ? dpn : dan;
        const cn = squared ? 2 : dneg > 0 ? 1 / dneg : 0;
        if (!factorOk<T>(k * cu) || !factorOk<T>(k * cn)) {
          // As divisors: 0.5 for the squared distance's 2x, 0 for a zero distance (a zero term).
          tripletWide<T>(dim, an + off, po + off, ne + off, ga + off, gp + off, gn + off, k,
                         squared ? 0.5 : dap, squared ? 0.5 : dneg, useS, squared);
        } else if (useS) {
          if (squared) swapGrad<T, On>(dim, an + off, po + off, ne + off, ga + off, gp + off, gn + off, <T>(k * cu), <T>(k * cn));
          else swapGrad<T, Off>(dim, an + off, po + off, ne + off, ga + off, gp + off, gn + off, <T>(k * cu), <T>(k * cn));
        } else {
          if (squared) tripletGrad<T, On>(dim, an + off, po + off, ne + off, ga + off, gp + off, gn + off, <T>(k * cu), <T>(k * cn));
          else tripletGrad<T, Off>(dim, an + off, po + off, ne + off, ga + off, gp + off, gn + off, <T>(k * cu), <T>(k * cn));
        }
      } else {
        memory.fill(ga + off, 0, rowBytes);
        memory.fill(gp + off, 0, rowBytes);
        memory.fill(gn + off, 0, rowBytes);
      }
    }
  }
  setResult<f64>(RESULT_SUM, total);
  return -1;
}

/** tripletGrad and swapGrad in float64, each term k·(x/d) (0 where d = 0): for factors that are not normal in T. */
function tripletWide<T>(dim: i32, a: usize, p: usize, n: usize, ga: usize, gp: usize, gn: usize,
                        k: f64, du: f64, dn: f64, useS: bool, squared: bool): void {
  for (let i = 0; i < dim; i++) {
    const off = byteOffset<T>(i);
    const av = <f64>load<T>(a + off);
    const pv = <f64>load<T>(p + off);
    const nv = <f64>load<T>(n + off);
    const gu = du > 0 ? k * ((av - pv) / du) : 0;
    if (useS) {
      const gs = dn > 0 ? k * ((pv - nv) / dn) : 0;
      store<T>(ga + off, <T>gu);
      store<T>(gp + off, <T>(squared ? k * ((nv - av) / dn) : -gu - gs));
      store<T>(gn + off, <T>gs);
    } else {
      const gv = dn > 0 ? k * ((av - nv) / dn) : 0;
      store<T>(ga + off, <T>(squared ? k * ((nv - pv) / du) : gu - gv));
      store<T>(gp + off, <T>-gu);
      store<T>(gn + off, <T>gv);
    }
  }
}

/**
 * u = a − p, v = a − n: ga = U·u − V·v, gp = −U·u, gn = V·v. Squared (Q = On: U = V), ga = U·(n − p):
 * the same value without forming U·u − U·v, which is ∞ − ∞ = NaN where 2|a − p| overflows T.
 */
function tripletGrad<T, Q>(dim: i32, a: usize, p: usize, n: usize, ga: usize, gp: usize, gn: usize, cu: T, cv: T): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const V = 16 / sizeof<T>();
    const nv = dim & ~(V - 1);
    const U = v128.splat<T>(cu);
    const W = v128.splat<T>(cv);
    for (; i < nv; i += V) {
      const off = byteOffset<T>(i);
      const av = v128.load(a + off);
      const pv = v128.load(p + off);
      const nv = v128.load(n + off);
      const gu = v128.mul<T>(U, v128.sub<T>(av, pv));
      const gv = v128.mul<T>(W, v128.sub<T>(av, nv));
      v128.store(ga + off, isInteger<Q>() ? v128.mul<T>(U, v128.sub<T>(nv, pv)) : v128.sub<T>(gu, gv));
      v128.store(gp + off, v128.neg<T>(gu));
      v128.store(gn + off, gv);
    }
  }
  for (; i < dim; i++) {
    const off = byteOffset<T>(i);
    const av = load<T>(a + off);
    const pv = load<T>(p + off);
    const nv = load<T>(n + off);
    const gu = cu * (av - pv);
    const gv = cv * (av - nv);
    store<T>(ga + off, isInteger<Q>() ? cu * (nv - pv) : gu - gv);
    store<T>(gp + off, -gu);
    store<T>(gn + off, gv);
  }
}

/** The swapped negative: u = a − p, s = p − n: ga = U·u, gp = −U·u − S·s, gn = S·s; squared (Q = On), gp = U·(n − a). */
function swapGrad<T, Q>(dim: i32, a: usize, p: usize, n: usize, ga: usize, gp: usize, gn: usize, cu: T, cs: T): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const V = 16 / sizeof<T>();
    const nv = dim & ~(V - 1);
    const U = v128.splat<T>(cu);
    const S = v128.splat<T>(cs);
    for (; i < nv; i += V) {
      const off = byteOffset<T>(i);
      const av = v128.load(a + off);
      const pv = v128.load(p + off);
      const nv = v128.load(n + off);
      const gu = v128.mul<T>(U, v128.sub<T>(av, pv));
      const gs = v128.mul<T>(S, v128.sub<T>(pv, nv));
      v128.store(ga + off, gu);
      v128.store(gp + off, isInteger<Q>() ? v128.mul<T>(U, v128.sub<T>(nv, av)) : v128.sub<T>(v128.neg<T>(gu), gs));
      v128.store(gn + off, gs);
    }
  }
  for (; i < dim; i++) {
    const off = byteOffset<T>(i);
    const av = load<T>(a + off);
    const pv = load<T>(p + off);
    const nv = load<T>(n + off);
    const gu = cu * (av - pv);
    const gs = cs * (pv - nv);
    store<T>(ga + off, gu);
    store<T>(gp + off, isInteger<Q>() ? cu * (nv - av) : -gu - gs);
    store<T>(gn + off, gs);
  }
}

/**
 * 1 − cos(a, b) where y = 1, max(0, cos(a, b) − m) where y = −1 (active at cos − m ≥ 0).
 * dcos/da = b/(‖a‖‖b‖) − cos·a/‖a‖², dcos/db likewise. A zero-norm row counts as cos = 0 with a
 * zero gradient (PyTorch instead adds 1e-12 to each squared norm).
 */
function cosineEmbedding<T>(rows: i32, dim: i32, label: usize, a: usize, b: usize, w: usize, lo: usize,
                            ga: usize, gb: usize, scale: f64, margin: f64, mode: i32): i32 {
  const rowBytes = byteOffset<T>(dim);
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const y = <f64>load<T>(label + byteOffset<T>(r));
    if (y != 1 && y != -1) return badLabel(r, y);
    const off = <usize>r * rowBytes;
    const ab = dots<T>(dim, a + off, b + off);
    const aa = sumB();
    const bb = sumC();
    const zero = aa == 0 || bb == 0;
    const inv = zero ? 0 : 1 / (sqrt<f64>(aa) * sqrt<f64>(bb));
    // Clamped: a rounded cos a little above 1 made 1 − cos −2.2e-16; the gradient uses the same cos.
    const cos = min<f64>(max<f64>(ab * inv, -1), 1);
    const l = y > 0 ? 1 - cos : max<f64>(cos - margin, 0);
    const wr = rowWeight<T>(mode, r, w);
    total += weigh<T>(mode, r, lo, l * wr);
    const k = scale * wr;
    if (mode & MODE_GRAD) {
      const sign: f64 = y > 0 ? -1 : cos - margin < 0 ? 0 : 1;
      if (sign != 0 && !zero) {
        const ks = k * sign;
        const alpha = ks * inv, beta = -ks * cos / aa, gamma = -ks * cos / bb;
        if (factorOk<T>(alpha) && factorOk<T>(beta) && factorOk<T>(gamma)) cosineGrad<T>(dim, a + off, b + off, ga + off, gb + off, <T>alpha, <T>beta, <T>gamma);
        else cosineWide<T>(dim, a + off, b + off, ga + off, gb + off, ks, cos, sqrt<f64>(aa), sqrt<f64>(bb));
      } else {
        memory.fill(ga + off, 0, rowBytes);
        memory.fill(gb + off, 0, rowBytes);
      }
    }
  }
  setResult<f64>(RESULT_SUM, total);
  return -1;
}

/** cosineGrad in float64 on the unit vectors: ga = k·(b/‖b‖ − cos·a/‖a‖)/‖a‖, for factors not normal in T. */
function cosineWide<T>(dim: i32, a: usize, b: usize, ga: usize, gb: usize, k: f64, cos: f64, na: f64, nb: f64): void {
  for (let i = 0; i < dim; i++) {
    const off = byteOffset<T>(i);
    const x = <f64>load<T>(a + off) / na;
    const y = <f64>load<T>(b + off) / nb;
    store<T>(ga + off, <T>(k * ((y - cos * x) / na)));
    store<T>(gb + off, <T>(k * ((x - cos * y) / nb)));
  }
}

/** ga = α·b + β·a, gb = α·a + γ·b. */
function cosineGrad<T>(dim: i32, a: usize, b: usize, ga: usize, gb: usize, alpha: T, beta: T, gamma: T): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const V = 16 / sizeof<T>();
    const nv = dim & ~(V - 1);
    const A = v128.splat<T>(alpha);
    const B = v128.splat<T>(beta);
    const G = v128.splat<T>(gamma);
    for (; i < nv; i += V) {
      const off = byteOffset<T>(i);
      const av = v128.load(a + off);
      const bv = v128.load(b + off);
      v128.store(ga + off, v128.add<T>(v128.mul<T>(A, bv), v128.mul<T>(B, av)));
      v128.store(gb + off, v128.add<T>(v128.mul<T>(A, av), v128.mul<T>(G, bv)));
    }
  }
  for (; i < dim; i++) {
    const off = byteOffset<T>(i);
    const av = load<T>(a + off);
    const bv = load<T>(b + off);
    store<T>(ga + off, alpha * bv + beta * av);
    store<T>(gb + off, alpha * av + gamma * bv);
  }
}

export function contrastive_f32(rows: i32, dim: i32, y: usize, a: usize, b: usize, w: usize, lo: usize, ga: usize, gb: usize, k: f64, m: f64, mode: i32): i32 { return contrastive<f32>(rows, dim, y, a, b, w, lo, ga, gb, k, m, mode); }
export function contrastive_f64(rows: i32, dim: i32, y: usize, a: usize, b: usize, w: usize, lo: usize, ga: usize, gb: usize, k: f64, m: f64, mode: i32): i32 { return contrastive<f64>(rows, dim, y, a, b, w, lo, ga, gb, k, m, mode); }
export function triplet_f32(rows: i32, dim: i32, a: usize, p: usize, n: usize, w: usize, lo: usize, ga: usize, gp: usize, gn: usize, k: f64, m: f64, mode: i32): i32 { return triplet<f32>(rows, dim, a, p, n, w, lo, ga, gp, gn, k, m, mode); }
export function triplet_f64(rows: i32, dim: i32, a: usize, p: usize, n: usize, w: usize, lo: usize, ga: usize, gp: usize, gn: usize, k: f64, m: f64, mode: i32): i32 { return triplet<f64>(rows, dim, a, p, n, w, lo, ga, gp, gn, k, m, mode); }
export function cosineEmbedding_f32(rows: i32, dim: i32, y: usize, a: usize, b: usize, w: usize, lo: usize, ga: usize, gb: usize, k: f64, m: f64, mode: i32): i32 { return cosineEmbedding<f32>(rows, dim, y, a, b, w, lo, ga, gb, k, m, mode); }
export function cosineEmbedding_f64(rows: i32, dim: i32, y: usize, a: usize, b: usize, w: usize, lo: usize, ga: usize, gb: usize, k: f64, m: f64, mode: i32): i32 { return cosineEmbedding<f64>(rows, dim, y, a, b, w, lo, ga, gb, k, m, mode); }
