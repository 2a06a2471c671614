// The one loop every three-input elementwise loss runs (an example is one element of the target and
// of two inputs, each with its own gradient): the shape of elementwise.ts — a main loop of two
// vectors (one for costly losses), partial sums flushed into float64 every block, then a scalar
// tail; the scalar build four elements at a time, same blocks, same tail.
//
// Kernel ABI (every three-input elementwise export has exactly this signature):
//   (n, target, a, b, weights, losses, gradA, gradB: byte offsets, gradScale, p0, p1: loss parameters, mode) → i32
// It returns -1, or the index of the first element outside the loss's domain (the argument at fault
// is left at RESULT_ARGUMENT: ARGUMENT_TARGET, ARGUMENT_PRED for a, ARGUMENT_SECOND for b).
// Σ wᵢ·lᵢ is left at RESULT_SUM. `mode`: MODE_GRAD, MODE_WEIGHTED, MODE_LOSSES, read at run time
// (a predictable branch per vector).

import { BLOCK, MODE_GRAD, MODE_LOSSES, MODE_WEIGHTED, RESULT_ARGUMENT, RESULT_SUM } from "../abi";
import { byteOffset, hsum, lanes, setResult } from "./shared";

/** What a loss file provides for one three-input loss (an @unmanaged class called on a null instance, as in elementwise.ts): */
//   setup<T>(p0, p1)                      writes its parameter slots (shared.ts: setParam / vparam / sparam)
//   vboth<T>(y, a, b, k, ga, gb, G): v128 the loss; k·dl/da stored at ga and k·dl/db at gb if G
//   sboth<T>(y, a, b, k, ga, gb, G): T    its scalar twin, the same operations in the same order
//   checked(): bool                       false: no domain to check (the checks below compile away)
//   vbad<T>(y, a, b): v128 lanes mask     sbad<T>(y, a, b): i32 argument code, or -1
//   costly(): bool (optional)             its step is costly (log, division): one vector per iteration

// @ts-ignore: decorator
@inline function costly<L>(): bool {
  return isDefined(changetype<L>(0).costly);
}

export function ternary<T, L>(n: i32, y: usize, a: usize, b: usize, w: usize, lo: usize, ga: usize, gb: usize,
                              scale: f64, p0: f64, p1: f64, mode: i32): i32 {
  const op = changetype<L>(0);
  op.setup<T>(p0, p1);
  const G = (mode & MODE_GRAD) != 0;
  const W = (mode & MODE_WEIGHTED) != 0;
  const S = (mode & MODE_LOSSES) != 0;
  let total: f64 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const V = lanes<T>();
    const nv = n & ~(V - 1);
    const vk = v128.splat<T>(<T>scale);
    while (i < nv) {
      const start = i;
      const end = min(i + BLOCK, nv);
      let acc0 = v128.splat<T>(<T>0);
      let acc1 = acc0;
      let bad = acc0;
      // (a costly step has work enough for the CPU to overlap: one vector per iteration, one copy less)
      if (!costly<L>()) for (; i + 2 * V <= end; i += 2 * V) {
        acc0 = v128.add<T>(acc0, vstep<T, L>(op, byteOffset<T>(i), y, a, b, w, lo, ga, gb, vk, G, W, S));
        acc1 = v128.add<T>(acc1, vstep<T, L>(op, byteOffset<T>(i + V), y, a, b, w, lo, ga, gb, vk, G, W, S));
        if (op.checked()) {
          bad = v128.or(bad, v128.or(vbad<T, L>(op, byteOffset<T>(i), y, a, b), vbad<T, L>(op, byteOffset<T>(i + V), y, a, b)));
        }
      }
      for (; i < end; i += V) {
        acc0 = v128.add<T>(acc0, vstep<T, L>(op, byteOffset<T>(i), y, a, b, w, lo, ga, gb, vk, G, W, S));
        if (op.checked()) bad = v128.or(bad, vbad<T, L>(op, byteOffset<T>(i), y, a, b));
      }
      if (op.checked() && v128.any_true(bad)) return firstBad<T, L>(op, start, end, y, a, b);
      total += hsum<T>(v128.add<T>(acc0, acc1));
    }
  } else {
    // Four accumulators, as elementwise.ts's scalar build (one running sum made each element wait).
    const n4 = n & ~3;
    const k = <T>scale;
    while (i < n4) {
      const start = i;
      const end = min(i + BLOCK, n4);
      let s0 = <T>0;
      let s1 = <T>0;
      let s2 = <T>0;
      let s3 = <T>0;
      let bad = false;
      for (; i < end; i += 4) {
        s0 += sstep<T, L>(op, byteOffset<T>(i), y, a, b, w, lo, ga, gb, k, G, W, S);
        s1 += sstep<T, L>(op, byteOffset<T>(i + 1), y, a, b, w, lo, ga, gb, k, G, W, S);
        s2 += sstep<T, L>(op, byteOffset<T>(i + 2), y, a, b, w, lo, ga, gb, k, G, W, S);
        s3 += sstep<T, L>(op, byteOffset<T>(i + 3), y, a, b, w, lo, ga, gb, k, G, W, S);
        if (op.checked()) {
          bad = bad || sbad<T, L>(op, i, y, a, b) || sbad<T, L>(op, i + 1, y, a, b) || sbad<T, L>(op, i + 2, y, a, b)
            || sbad<T, L>(op, i + 3, y, a, b);
        }
      }
      if (op.checked() && bad) return firstBad<T, L>(op, start, end, y, a, b);
      total += (<f64>s0 + <f64>s1) + (<f64>s2 + <f64>s3);
    }
  }
  for (; i < n; i++) {
    if (op.checked() && sbad<T, L>(op, i, y, a, b)) return firstBad<T, L>(op, i, n, y, a, b);
    total += <f64>sstep<T, L>(op, byteOffset<T>(i), y, a, b, w, lo, ga, gb, <T>scale, G, W, S);
  }
  setResult<f64>(RESULT_SUM, total);
  return -1;
}

/** One vector of examples: the loss (times the weight), the gradients scaled by k (times the weight). */
// @ts-ignore: decorator
@inline function vstep<T, L>(op: L, off: usize, y: usize, a: usize, b: usize, w: usize, lo: usize, ga: usize, gb: usize,
                             vk: v128, G: bool, W: bool, S: bool): v128 {
  let kv = vk;
  let wv = vk;
  if (W) {
    wv = v128.load(w + off);
    kv = v128.mul<T>(vk, wv);
  }
  let l = op.vboth<T>(v128.load(y + off), v128.load(a + off), v128.load(b + off), kv, ga + off, gb + off, G);
  if (W) l = v128.mul<T>(l, wv);
  if (S) v128.store(lo + off, l);
  return l;
}

/** vstep's scalar twin: the same operations in the same order, so each element is bit-identical. */
// @ts-ignore: decorator
@inline function sstep<T, L>(op: L, off: usize, y: usize, a: usize, b: usize, w: usize, lo: usize, ga: usize, gb: usize,
                             k: T, G: bool, W: bool, S: bool): T {
  let kv = k;
  let wi = k;
  if (W) {
    wi = load<T>(w + off);
    kv = k * wi;
  }
  let l = op.sboth<T>(load<T>(y + off), load<T>(a + off), load<T>(b + off), kv, ga + off, gb + off, G);
  if (W) l *= wi;
  if (S) store<T>(lo + off, l);
  return l;
}

// @ts-ignore: decorator
@inline function vbad<T, L>(op: L, off: usize, y: usize, a: usize, b: usize): v128 {
  return op.vbad<T>(v128.load(y + off), v128.load(a + off), v128.load(b + off));
}

// @ts-ignore: decorator
@inline function sbad<T, L>(op: L, i: i32, y: usize, a: usize, b: usize): bool {
  const off = byteOffset<T>(i);
  return op.sbad<T>(load<T>(y + off), load<T>(a + off), load<T>(b + off)) >= 0;
}

// The rare path: a block held a value outside the domain; find the first one with the scalar check.
function firstBad<T, L>(op: L, start: i32, end: i32, y: usize, a: usize, b: usize): i32 {
  for (let i = start; i < end; i++) {
    const off = byteOffset<T>(i);
    const argument = op.sbad<T>(load<T>(y + off), load<T>(a + off), load<T>(b + off));
    if (argument >= 0) {
      setResult<i32>(RESULT_ARGUMENT, argument);
      return i;
    }
  }
  return -1;
}
