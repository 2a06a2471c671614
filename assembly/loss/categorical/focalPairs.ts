// Sparse softmax focal rows without label smoothing, two lanes groups (2V rows) at a time in the SIMD build, below
// LANES_BELOW classes: each group's steps as focalLanes.ts takes them, each lane the same operations in the same order
// (the same bits), the two groups' steps written in turn. A group's critical path (the max, an exponential, the sum in
// class order, then 1/s, ln and the label's term) is longer than the group's work keeps the core busy, and V8 emits
// wasm in its order: a second group's chain beside the first fills the wait. C = 10, float32 withGrad, elements per ns
// of CPU time (15 interleaved samples, loaded machine): zero copy 0.406 → 0.460 (+13%), ordinary arrays into out
// 0.374 → 0.418 (+12%). (Two copies of the same build: 1%.)

import { BUF_E, BUF_Z, LANES_BELOW, at, scatter, vzero } from "../../kernel/classification";
import { Off, lanes, vone, vparam } from "../../kernel/shared";
import { byLabel, groupScalars, scatterLabels } from "./focalLanes";
import { TERMS, vtermOf } from "./focalTerms";
import { P_A, P_SCALE } from "./params";
import { countGroup, transposeMax } from "./softmaxLanes";
import { vexpq } from "./softmaxTerms";

/** The second group's transposed logits and its exponentials. */
const Z_B: usize = memory.data(LANES_BELOW * 16, 16);
const E_B: usize = memory.data(LANES_BELOW * 16, 16);

/** Each group's log-sum-exp, 1/s and u at the max (lane j: row j), the first group's from 0, the second's from 48. */
const SCALARS: usize = memory.data(96, 16);

/** The losses of the 2V rows, in row order. */
export const PAIR_LOSS: usize = memory.data(32, 16);

/** 2V rows r… (labels valid and not ignored): their losses left at PAIR_LOSS, their gradient written when G. */
export function focalPair<T, Q, G>(r: i32, C: i32, rb: usize, y: usize, p: usize, w: usize, g: usize, cw: usize,
                                   weighted: bool, accuracy: bool): void {
  const V = lanes<T>();
  const rB = r + V;
  const za = p + <usize>r * rb;
  const zb = za + <usize>V * rb;
  const wa = weighted ? v128.load(at<T>(w, r)) : vone<T>();
  const wb = weighted ? v128.load(at<T>(w, rB)) : vone<T>();
  if (accuracy) {
    countGroup<T, Off>(r, C, rb, y, za, 0, w, weighted);
    countGroup<T, Off>(rB, C, rb, y, zb, 0, w, weighted);
  }
  const ma = transposeMax<T>(za, C, rb, BUF_Z);
  const mb = transposeMax<T>(zb, C, rb, Z_B);
  pairScalars<T>(C, ma, mb, isInteger<G>());
  const dta = v128.sub<T>(byLabel<T>(r, y, BUF_Z, 4, sizeof<T>()), ma);
  const dtb = v128.sub<T>(byLabel<T>(rB, y, Z_B, 4, sizeof<T>()), mb);
  const ata = v128.mul<T>(vparam(P_A), byLabel<T>(r, y, cw, alignof<T>(), 0));
  const atb = v128.mul<T>(vparam(P_A), byLabel<T>(rB, y, cw, alignof<T>(), 0));
  // With the gradient, e^{d_t} is pass 2's, read back (focalLanes.ts).
  const eta = isInteger<G>() ? byLabel<T>(r, y, BUF_E, 4, sizeof<T>()) : vexpq<T>(dta);
  const etb = isInteger<G>() ? byLabel<T>(rB, y, E_B, 4, sizeof<T>()) : vexpq<T>(dtb);
  const inva = v128.load(SCALARS + 16);
  const invb = v128.load(SCALARS + 64);
  const bta = v128.mul<T>(ata, vtermOf<T, Q>(dta, eta, v128.load(SCALARS), inva, v128.load(SCALARS + 32)));
  const ha = v128.load(TERMS);
  const ua = v128.load(TERMS + 32);
  const btb = v128.mul<T>(atb, vtermOf<T, Q>(dtb, etb, v128.load(SCALARS + 48), invb, v128.load(SCALARS + 80)));
  const hb = v128.load(TERMS);
  const ub = v128.load(TERMS + 32);
  v128.store(PAIR_LOSS, v128.mul<T>(v128.add<T>(vzero(), v128.mul<T>(ata, ha)), wa));
  v128.store(PAIR_LOSS + 16, v128.mul<T>(v128.add<T>(vzero(), v128.mul<T>(atb, hb)), wb));
  if (isInteger<G>()) {
    const gra = g + <usize>r * rb;
    const grb = gra + <usize>V * rb;
    const ka = v128.mul<T>(vparam(P_SCALE), wa);
    const kb = v128.mul<T>(vparam(P_SCALE), wb);
    const qa = v128.mul<T>(v128.neg<T>(bta), inva);
    const qb = v128.mul<T>(v128.neg<T>(btb), invb);
    for (let k = 0; k < C; k++) {
      scatter<T>(at<T>(gra, k), rb, v128.mul<T>(ka, v128.mul<T>(v128.load(BUF_E + (<usize>k << 4)), qa)));
      scatter<T>(at<T>(grb, k), rb, v128.mul<T>(kb, v128.mul<T>(v128.load(E_B + (<usize>k << 4)), qb)));
    }
    scatterLabels<T>(r, y, gra, rb, v128.mul<T>(ka, v128.mul<T>(bta, ua)));
    scatterLabels<T>(rB, y, grb, rb, v128.mul<T>(kb, v128.mul<T>(btb, ub)));
  }
}

/** focalLanes.ts's pass 2 for both groups, class by class: n₀ and Σ (e^d kept when `stored`), then each group's scalars. */
// @ts-ignore: decorator
@inline function pairScalars<T>(C: i32, ma: v128, mb: v128, stored: bool): void {
  const one = vone<T>();
  let loa = vzero();
  let n0a = loa;
  let lob = loa;
  let n0b = loa;
  for (let k = 0; k < C; k++) {
    const da = v128.sub<T>(v128.load(BUF_Z + (<usize>k << 4)), ma);
    const db = v128.sub<T>(v128.load(Z_B + (<usize>k << 4)), mb);
    const ea = vexpq<T>(da);
    const eb = vexpq<T>(db);
    const topa = v128.eq<T>(da, vzero());
    const topb = v128.eq<T>(db, vzero());
    loa = v128.add<T>(loa, v128.andnot(ea, topa));
    lob = v128.add<T>(lob, v128.andnot(eb, topb));
    n0a = v128.add<T>(n0a, v128.and(one, topa));
    n0b = v128.add<T>(n0b, v128.and(one, topb));
    if (stored) {
      v128.store(BUF_E + (<usize>k << 4), ea);
      v128.store(E_B + (<usize>k << 4), eb);
    }
  }
  groupScalars<T>(loa, n0a, SCALARS);
  groupScalars<T>(lob, n0b, SCALARS + 48);
}
