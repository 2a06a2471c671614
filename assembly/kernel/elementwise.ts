// The one loop every elementwise loss runs: a main loop of four vectors (one for costly losses), one
// vector at a time up to the block end, partial sums flushed into float64 every block, then a scalar
// tail (the scalar build: four elements at a time, same blocks, same tail).
//
// Kernel ABI (every elementwise export has exactly this signature):
//   (n, target, pred, weights, losses, grad: byte offsets, gradScale, a, b: loss parameters, mode) → i32
// The loss turns a and b into whatever loop-invariant values it needs once, in setup().
// It returns -1, or the index of the first element outside the loss's domain (the argument at
// fault is left at RESULT_ARGUMENT). Σ wᵢ·lᵢ is left at RESULT_SUM. `mode` is a set of MODE_* bits;
// the memory-bound losses run each combination as its own loop, chosen at compile time (below).
// Classifiers (classifier() below) also take MODE_ACCURACY, with the gradient: Σ wᵢ·[example i
// classified right] is left at RESULT_SUM2.

import { BLOCK, MODE_ACCURACY, MODE_GRAD, MODE_LOSSES, MODE_WEIGHTED, RESULT_ARGUMENT, RESULT_SUM, RESULT_SUM2 } from "../abi";
import { Off, On, byteOffset, hsum, lanes, result, setResult, vone, vparam } from "./shared";

/** What a loss family file provides for one loss: the formula and its derivative, vector and scalar. */
// (AssemblyScript has no interfaces on type parameters; each loss is an @unmanaged class with these
// @inline methods, called on a null instance so that no object exists at run time.)
//   setup<T>(a, b)                   writes its parameter slots (shared.ts: setParam / vparam / sparam)
//   vloss<T>(y, p): v128             sloss<T>(y, p): T
//   vgrad<T>(y, p): v128             sgrad<T>(y, p): T            dl/dp
//   or vlossWith / vgradWith<T>(y, p, c0, …, c5): v128, its parameter slots 0–5 as arguments (below)
//   checked(): bool                  false: no domain to check (the checks below compile away)
//   vbad<T>(y, p): v128 lanes mask   sbad<T>(y, p): i32 argument code, or -1
// A loss whose loss and gradient share costly work (exp, log) may give, instead of vgrad/sgrad,
//   vboth<T>(y, p, k, g, G): v128    sboth<T>(y, p, k, g, G): T   the loss; k·dl/dp stored at g if G
// used whenever the gradient is wanted (inlined: with one loop per loss and dtype, below, the
// inlined math costs no more size than a call, and the call cost 1–4%).
// And a classifier (classifier() below) also:
//   vright<T>(y, p): v128 lanes mask sright<T>(y, p): bool       example classified right

// For mse and mae each mode is its own loop, chosen while AssemblyScript compiles: the switches are
// type arguments (On / Off, kernel/shared.ts), so the dead branches never reach Binaryen. Passed as
// plain booleans they were left to Binaryen, whose code folding once merged the modes back into one
// loop testing flags at run time (mse withGrad 4.5 → 2.2 el/ns, measured).
/** A flag read from `mode` at run time (below). */
type Dyn = u64;

// Losses whose step is costly (exp, log: a fused vboth/sboth, or a `costly()` marker) run one
// vector per iteration (their math leaves the CPU enough to overlap; unrolled, +2–3% for 46 KB).
// Every loss but the memory-bound ones marked `specialised()` (mse, mae, huber) runs one loop per dtype,
// with the gradient, weights, losses and accuracy flags read at run time: a predictable branch per
// vector. Measured (zero copy, interleaved): mse 7.6 → 5.0 el/ns with runtime flags, hence its eight
// loops; hinge and huber −2–3%; BCE, BCE with logits, logCosh no difference beyond noise. Twelve
// specialised copies of every loss had made the wasm builds 510 KB and 410 KB.
// @ts-ignore: decorator
@inline function costly<L>(): bool {
  const op = changetype<L>(0);
  return isDefined(op.vboth) || isDefined(op.costly);
}

// @ts-ignore: decorator
@inline function specialised<L>(): bool {
  const op = changetype<L>(0);
  return isDefined(op.specialised);
}

// @ts-ignore: decorator
@inline function fourSums<L>(): bool {
  const op = changetype<L>(0);
  return isDefined(op.fourSums);
}

/** Flag F of a loop: On / Off fixed while compiling, Dyn read from `mode`. */
// @ts-ignore: decorator
@inline function flag<F>(mode: i32, bit: i32): bool {
  return isInteger<F>() && (sizeof<F>() != 8 || (mode & bit) != 0);
}

export function elementwise<T, L>(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize,
                                  scale: f64, a: f64, b: f64, mode: i32): i32 {
  if (!specialised<L>()) return loop<T, L, Dyn, Dyn, Dyn, Off>(n, y, p, w, lo, g, scale, a, b, mode);
  switch (mode) {
    case 0: return loop<T, L, Off, Off, Off, Off>(n, y, p, w, lo, g, scale, a, b, mode);
    case 1: return loop<T, L, On, Off, Off, Off>(n, y, p, w, lo, g, scale, a, b, mode);
    case 2: return loop<T, L, Off, On, Off, Off>(n, y, p, w, lo, g, scale, a, b, mode);
    case 3: return loop<T, L, On, On, Off, Off>(n, y, p, w, lo, g, scale, a, b, mode);
    case 4: return loop<T, L, Off, Off, On, Off>(n, y, p, w, lo, g, scale, a, b, mode);
    case 5: return loop<T, L, On, Off, On, Off>(n, y, p, w, lo, g, scale, a, b, mode);
    case 6: return loop<T, L, Off, On, On, Off>(n, y, p, w, lo, g, scale, a, b, mode);
    default: return loop<T, L, On, On, On, Off>(n, y, p, w, lo, g, scale, a, b, mode);
  }
}

/**
 * elementwise() for a loss that also classifies (vright/sright): MODE_ACCURACY counts the examples
 * classified right in the same pass. It comes with the gradient only (withGrad's option), so it
 * adds four loops, not eight (a loss not specialised(): none, its gradient loop reads the flag).
 */
export function classifier<T, L>(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize,
                                  scale: f64, a: f64, b: f64, mode: i32): i32 {
  if (!specialised<L>()) return loop<T, L, Dyn, Dyn, Dyn, Dyn>(n, y, p, w, lo, g, scale, a, b, mode);
  if ((mode & MODE_ACCURACY) == 0) return elementwise<T, L>(n, y, p, w, lo, g, scale, a, b, mode);
  switch (mode & (MODE_WEIGHTED | MODE_LOSSES)) {
    case 0: return loop<T, L, On, Off, Off, On>(n, y, p, w, lo, g, scale, a, b, mode);
    case 2: return loop<T, L, On, On, Off, On>(n, y, p, w, lo, g, scale, a, b, mode);
    case 4: return loop<T, L, On, Off, On, On>(n, y, p, w, lo, g, scale, a, b, mode);
    default: return loop<T, L, On, On, On, On>(n, y, p, w, lo, g, scale, a, b, mode);
  }
}

/**
 * G: write the gradient; W: weighted; S: store per-example losses; A: count the examples classified right.
 *
 * The shortest memory-bound steps (`fourSums()`: mse, mae) add four vectors into four sums: each sum
 * waits for its previous addition (4 cycles), so two held mse to 2 elements a cycle, 5.3 el/ns here
 * where gcc's four reach 7.5; with four, 7.0. The others keep two (quantile took 8% longer with four).
 * A costly step has work enough for the CPU to overlap: one vector per iteration, one copy less.
 */
function loop<T, L, G, W, S, A>(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize,
                                scale: f64, a: f64, b: f64, mode: i32): i32 {
  const op = changetype<L>(0);
  op.setup<T>(a, b);
  const G_ = flag<G>(mode, MODE_GRAD);
  const W_ = flag<W>(mode, MODE_WEIGHTED);
  const S_ = flag<S>(mode, MODE_LOSSES);
  const A_ = flag<A>(mode, MODE_ACCURACY);
  let bad: i32;
  if (ASC_FEATURE_SIMD) bad = vectorBlocks<T, L, G, A>(op, n, y, p, w, lo, g, scale, G_, W_, S_, A_);
  else bad = scalarBlocks<T, L, G, A>(op, n, y, p, w, lo, g, scale, G_, W_, S_, A_);
  if (bad >= 0) return bad;
  let total = result<f64>(RESULT_SUM);
  let right = isInteger<A>() && A_ ? result<f64>(RESULT_SUM2) : 0;
  let i = ASC_FEATURE_SIMD ? n & ~(lanes<T>() - 1) : n & ~3;
  for (; i < n; i++) {
    if (op.checked() && sbad<T, L>(op, i, y, p)) return firstBad<T, L>(op, i, n, y, p);
    total += <f64>sstep<T, L, G>(op, byteOffset<T>(i), y, p, w, lo, g, <T>scale, G_, W_, S_);
    if (isInteger<A>()) if (A_) right += <f64>sright<T, L>(op, byteOffset<T>(i), y, p, w, W_);
  }
  setResult<f64>(RESULT_SUM, total);
  if (isInteger<A>()) if (A_) setResult<f64>(RESULT_SUM2, right);
  return -1;
}

/**
 * loop()'s blocks of whole vectors, up to the last whole vector: -1, or the index of the first element
 * outside the domain. Σ over them at RESULT_SUM (and the examples classified right at RESULT_SUM2).
 */
// @ts-ignore: decorator
@inline function vectorBlocks<T, L, G, A>(op: L, n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize,
                                          scale: f64, G_: bool, W_: bool, S_: bool, A_: bool): i32 {
  let total: f64 = 0;
  let right: f64 = 0;
  let i = 0;
  const V = lanes<T>();
  const nv = n & ~(V - 1);
  const vk = v128.splat<T>(<T>scale);
  // A loss that reads its parameters as arguments (vlossWith / vgradWith) gets them loaded once, here:
  // V8 keeps these locals in registers, where it reloads vparam() for every vector (the gradient's
  // stores might change it). huber: 7 loads a vector fewer; with its own loops, 10.4 → 5.5
  // instructions an element (gcc's: 6.4).
  const held = isDefined(op.vlossWith);
  const c0 = held ? vparam(0) : vk, c1 = held ? vparam(1) : vk, c2 = held ? vparam(2) : vk;
  const c3 = held ? vparam(3) : vk, c4 = held ? vparam(4) : vk, c5 = held ? vparam(5) : vk;
  while (i < nv) {
    const start = i;
    const end = min(i + BLOCK, nv);
    let acc0 = v128.splat<T>(<T>0), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    let bad = acc0, hits = acc0;
    // Pointers walked through the block, every access at a constant offset from one of them: V8
    // folds the offset into the instruction, where base + index cost a `lea` of its own per access
    // (mse's loop: 3.2 → 2.4 instructions an element; gcc's 2.6).
    const at = byteOffset<T>(i);
    let py = y + at, pp = p + at, pw = w + at, plo = lo + at, pg = g + at;
    if (fourSums<L>() && !op.checked() && !A_) {
      const steps = <u32>(end - i) / <u32>(4 * V);
      for (let stop = py + (<usize>steps << 6); py < stop; ) {
        acc0 = v128.add<T>(acc0, vstep<T, L, G>(op, 0, py, pp, pw, plo, pg, vk, c0, c1, c2, c3, c4, c5, G_, W_, S_));
        acc1 = v128.add<T>(acc1, vstep<T, L, G>(op, 16, py, pp, pw, plo, pg, vk, c0, c1, c2, c3, c4, c5, G_, W_, S_));
        acc2 = v128.add<T>(acc2, vstep<T, L, G>(op, 32, py, pp, pw, plo, pg, vk, c0, c1, c2, c3, c4, c5, G_, W_, S_));
        acc3 = v128.add<T>(acc3, vstep<T, L, G>(op, 48, py, pp, pw, plo, pg, vk, c0, c1, c2, c3, c4, c5, G_, W_, S_));
        py += 64; pp += 64; pw += 64; plo += 64; pg += 64;
      }
      i += steps * 4 * V;
    }
    if (!costly<L>()) {
      const steps = <u32>(end - i) / <u32>(2 * V);
      for (let stop = py + (<usize>steps << 5); py < stop; ) {
        acc0 = v128.add<T>(acc0, vstep<T, L, G>(op, 0, py, pp, pw, plo, pg, vk, c0, c1, c2, c3, c4, c5, G_, W_, S_));
        acc1 = v128.add<T>(acc1, vstep<T, L, G>(op, 16, py, pp, pw, plo, pg, vk, c0, c1, c2, c3, c4, c5, G_, W_, S_));
        if (op.checked()) bad = v128.or(bad, v128.or(vbad<T, L>(op, 0, py, pp), vbad<T, L>(op, 16, py, pp)));
        if (isInteger<A>()) if (A_) hits = v128.add<T>(hits, vright2<T, L>(op, py, pp, pw, W_));
        py += 32; pp += 32; pw += 32; plo += 32; pg += 32;
      }
      i += steps * 2 * V;
    }
    for (; i < end; i += V) {
      acc0 = v128.add<T>(acc0, vstep<T, L, G>(op, 0, py, pp, pw, plo, pg, vk, c0, c1, c2, c3, c4, c5, G_, W_, S_));
      if (op.checked()) bad = v128.or(bad, vbad<T, L>(op, 0, py, pp));
      if (isInteger<A>()) if (A_) hits = v128.add<T>(hits, vright<T, L>(op, 0, py, pp, pw, W_));
      py += 16; pp += 16; pw += 16; plo += 16; pg += 16;
    }
    if (op.checked() && v128.any_true(bad)) return firstBad<T, L>(op, start, end, y, p);
    total += hsum<T>(v128.add<T>(v128.add<T>(acc0, acc1), v128.add<T>(acc2, acc3)));
    if (isInteger<A>()) if (A_) right += hsum<T>(hits);
  }
  setResult<f64>(RESULT_SUM, total);
  if (isInteger<A>()) if (A_) setResult<f64>(RESULT_SUM2, right);
  return -1;
}

/** vectorBlocks' twin in the scalar build, up to the last whole four elements. */
// @ts-ignore: decorator
@inline function scalarBlocks<T, L, G, A>(op: L, n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize,
                                          scale: f64, G_: bool, W_: bool, S_: bool, A_: bool): i32 {
  let total: f64 = 0;
  let right: f64 = 0;
  let i = 0;
  // The scalar build: the same shape, four elements at a time into four accumulators (one
  // float64 running sum made every element wait for the previous addition).
  const n4 = n & ~3;
  const k = <T>scale;
  while (i < n4) {
    const start = i;
    const end = min(i + BLOCK, n4);
    let s0 = <T>0, s1 = <T>0, s2 = <T>0, s3 = <T>0;
    let hits = <T>0;
    let bad = false;
    for (; i < end; i += 4) {
      s0 += sstep<T, L, G>(op, byteOffset<T>(i), y, p, w, lo, g, k, G_, W_, S_);
      s1 += sstep<T, L, G>(op, byteOffset<T>(i + 1), y, p, w, lo, g, k, G_, W_, S_);
      s2 += sstep<T, L, G>(op, byteOffset<T>(i + 2), y, p, w, lo, g, k, G_, W_, S_);
      s3 += sstep<T, L, G>(op, byteOffset<T>(i + 3), y, p, w, lo, g, k, G_, W_, S_);
      if (op.checked()) {
        bad = bad || sbad<T, L>(op, i, y, p) || sbad<T, L>(op, i + 1, y, p) || sbad<T, L>(op, i + 2, y, p) || sbad<T, L>(op, i + 3, y, p);
      }
      if (isInteger<A>()) if (A_) {
        hits += (sright<T, L>(op, byteOffset<T>(i), y, p, w, W_) + sright<T, L>(op, byteOffset<T>(i + 1), y, p, w, W_))
              + (sright<T, L>(op, byteOffset<T>(i + 2), y, p, w, W_) + sright<T, L>(op, byteOffset<T>(i + 3), y, p, w, W_));
      }
    }
    if (op.checked() && bad) return firstBad<T, L>(op, start, end, y, p);
    total += (<f64>s0 + <f64>s1) + (<f64>s2 + <f64>s3);
    if (isInteger<A>()) if (A_) right += <f64>hits;
  }
  setResult<f64>(RESULT_SUM, total);
  if (isInteger<A>()) if (A_) setResult<f64>(RESULT_SUM2, right);
  return -1;
}

/** 1 (times the weight) in each lane whose example is classified right, else 0. */
// @ts-ignore: decorator
@inline function vright<T, L>(op: L, off: usize, y: usize, p: usize, w: usize, W_: bool): v128 {
  const hit = v128.and(op.vright<T>(v128.load(y + off), v128.load(p + off)), vone<T>());
  return W_ ? v128.mul<T>(hit, v128.load(w + off)) : hit;
}

/** vright's scalar twin. */
// @ts-ignore: decorator
@inline function sright<T, L>(op: L, off: usize, y: usize, p: usize, w: usize, W_: bool): T {
  const hit = <T>op.sright<T>(load<T>(y + off), load<T>(p + off));
  return W_ ? hit * load<T>(w + off) : hit;
}

/** vright of the two vectors at y and p, added lane by lane. */
// @ts-ignore: decorator
@inline function vright2<T, L>(op: L, y: usize, p: usize, w: usize, W_: bool): v128 {
  return v128.add<T>(vright<T, L>(op, 0, y, p, w, W_), vright<T, L>(op, 16, y, p, w, W_));
}

// @ts-ignore: decorator
@inline function vstep<T, L, G>(op: L, off: usize, y: usize, p: usize, w: usize, lo: usize, g: usize, vk: v128,
                                c0: v128, c1: v128, c2: v128, c3: v128, c4: v128, c5: v128, G_: bool, W_: bool, S_: bool): v128 {
  const yv = v128.load(y + off);
  const pv = v128.load(p + off);
  let l: v128;
  let d: v128 = vk;
  if (isInteger<G>() && isDefined(op.vboth)) { // the loss stores its gradient × kv at g + off itself
    let kv = vk;
    let wv = vk;
    if (W_) {
      wv = v128.load(w + off);
      kv = v128.mul<T>(vk, wv);
    }
    l = op.vboth<T>(yv, pv, kv, g + off, G_);
    if (W_) l = v128.mul<T>(l, wv);
    if (S_) v128.store(lo + off, l);
    return l;
  } else if (isDefined(op.vlossWith)) {
    l = op.vlossWith<T>(yv, pv, c0, c1, c2, c3, c4, c5);
    if (G_) d = op.vgradWith<T>(yv, pv, c0, c1, c2, c3, c4, c5);
  } else {
    l = op.vloss<T>(yv, pv);
    if (G_) d = op.vgrad<T>(yv, pv);
  }
  if (W_) {
    const wv = v128.load(w + off);
    if (G_) v128.store(g + off, v128.mul<T>(v128.mul<T>(vk, wv), d));
    l = v128.mul<T>(l, wv);
  } else if (G_) {
    v128.store(g + off, v128.mul<T>(vk, d));
  }
  if (S_) v128.store(lo + off, l);
  return l;
}

// @ts-ignore: decorator
@inline function vbad<T, L>(op: L, off: usize, y: usize, p: usize): v128 {
  return op.vbad<T>(v128.load(y + off), v128.load(p + off));
}

/** vstep's scalar twin: the same operations in the same order, so each element is bit-identical. */
// @ts-ignore: decorator
@inline function sstep<T, L, G>(op: L, off: usize, y: usize, p: usize, w: usize, lo: usize, g: usize,
                                k: T, G_: bool, W_: bool, S_: bool): T {
  const yi = load<T>(y + off);
  const pi = load<T>(p + off);
  let l: T;
  let d: T = k;
  if (isInteger<G>() && isDefined(op.sboth)) {
    let kv = k;
    let wi = k;
    if (W_) {
      wi = load<T>(w + off);
      kv = k * wi;
    }
    l = op.sboth<T>(yi, pi, kv, g + off, G_);
    if (W_) l *= wi;
    if (S_) store<T>(lo + off, l);
    return l;
  } else {
    l = op.sloss<T>(yi, pi);
    if (G_) d = op.sgrad<T>(yi, pi);
  }
  if (W_) {
    const wi = load<T>(w + off);
    if (G_) store<T>(g + off, (k * wi) * d);
    l *= wi;
  } else if (G_) {
    store<T>(g + off, k * d);
  }
  if (S_) store<T>(lo + off, l);
  return l;
}

// @ts-ignore: decorator
@inline function sbad<T, L>(op: L, i: i32, y: usize, p: usize): bool {
  const off = byteOffset<T>(i);
  return op.sbad<T>(load<T>(y + off), load<T>(p + off)) >= 0;
}

// The rare path: a block held a value outside the domain; find the first one with the scalar check.
export function firstBad<T, L>(op: L, start: i32, end: i32, y: usize, p: usize): i32 {
  for (let i = start; i < end; i++) {
    const off = byteOffset<T>(i);
    const argument = op.sbad<T>(load<T>(y + off), load<T>(p + off));
    if (argument >= 0) {
      setResult<i32>(RESULT_ARGUMENT, argument);
      return i;
    }
  }
  return -1;
}
