// Triplet margin loss, with PyTorch's swap (embedding/index.ts: the ABI; rows.ts: what the row loops share).

import { MODE_GRAD, MODE_SQUARED, MODE_SWAP, RESULT_SUM } from "../../abi";
import { Off, On, byteOffset, setResult } from "../../kernel/shared";
import { sqDist3, sumB, sumC } from "../../kernel/embedding";
import { factorOk, rowWeight, weigh } from "./rows";

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

export function triplet_f32(rows: i32, dim: i32, a: usize, p: usize, n: usize, w: usize, lo: usize, ga: usize, gp: usize, gn: usize, k: f64,
                            m: f64, mode: i32): i32 {
  return triplet<f32>(rows, dim, a, p, n, w, lo, ga, gp, gn, k, m, mode);
}
export function triplet_f64(rows: i32, dim: i32, a: usize, p: usize, n: usize, w: usize, lo: usize, ga: usize, gp: usize, gn: usize, k: f64,
                            m: f64, mode: i32): i32 {
  return triplet<f64>(rows, dim, a, p, n, w, lo, ga, gp, gn, k, m, mode);
}
