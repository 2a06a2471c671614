// Binary focal loss on logits: the cross-entropy of logits.ts, scaled by αₜ·(1 − pₜ)^γ.

import { classifier } from "../../kernel/elementwise";
import { Off, On, setParam, sparam, vone, vparam } from "../../kernel/shared";
import { sexp, slog, vexp, vlog } from "../../math";
import { SIGMA } from "../../math/logistic";
import { sbadTarget, smax, vnotUnit } from "./domain";
import { slogistic, vlogistic } from "./logits";
import { ALPHA, ALPHA_BAR, GAMMA, HALF, TINY } from "./params";

// Smallest subnormal numbers: focal's floor for m = 1 − pₜ (below).
const MIN_SUBNORMAL_32: f64 = 1.401298464324817e-45; // 0x1p-149
const MIN_SUBNORMAL_64: f64 = 4.9406564584124654e-324; // 0x1p-1074

/**
 * Binary focal loss on logits, a = γ, b = α; p = σ(z), q = 1 − p = σ(−z), αₜ = αy + (1 − α)(1 − y):
 *   l = αₜ·m^γ·ce,  m = 1 − pₜ = y·q + (1 − y)·p,  ce = y·softplus(−z) + (1 − y)·softplus(z)
 * (ce = −ln pₜ for y ∈ {0, 1}: the loss of the contract; for soft targets, the cross-entropy, as
 * torchvision's sigmoid_focal_loss, so that γ = 0 is the α-weighted BCE for every target).
 *   dl/dz = αₜ·m^γ·[γ(1 − 2y)·(pq/m)·ce + (1 − y)p − yq]      (dm/dz = (1 − 2y)pq)
 * m^γ = e^(γ·ln m̄) with m̄ = max(m, smallest subnormal): m is 0 only where ce is 0 too (y ∈ {0, 1},
 * |z| > 87 in float32), and there m̄ keeps γ = 0 giving 1 (not 0·ln 0 = NaN) and pq/m̄ (≤ 1) finite.
 * A subnormal m is taken as it is (ln handles subnormals): a subnormal soft target y with a huge
 * logit has m ≈ y and ce ≈ y·|z| of order 1 (float64, y = 4.8e-309, z = −1e308: the smallest
 * normal as the floor made the loss 2.16× too large; found by the differential fuzz).
 */
@unmanaged class Focal {
  // @ts-ignore: decorator
  @inline setup<T>(a: f64, b: f64): void {
    setParam<T>(GAMMA, a);
    setParam<T>(ALPHA, b);
    setParam<T>(ALPHA_BAR, 1 - b);
    setParam<T>(TINY, sizeof<T>() == 4 ? MIN_SUBNORMAL_32 : MIN_SUBNORMAL_64);
    setParam<T>(HALF, 0.5);
  }
  // @ts-ignore: decorator
  @inline checked(): bool { return true; }
  // @ts-ignore: decorator
  @inline vbad<T>(y: v128, p: v128): v128 { return vnotUnit<T>(y); }
  // @ts-ignore: decorator
  @inline sbad<T>(y: T, p: T): i32 { return sbadTarget<T>(y); }

  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, z: v128): v128 { return focalV<T, Off>(y, z, y, 0, false); }
  // @ts-ignore: decorator
  @inline vboth<T>(y: v128, z: v128, k: v128, g: usize, G: bool): v128 { return focalV<T, On>(y, z, k, g, G); }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, z: T): T { return focalS<T, Off>(y, z, 0, 0, false); }
  // @ts-ignore: decorator
  @inline sboth<T>(y: T, z: T, k: T, g: usize, G: bool): T { return focalS<T, On>(y, z, k, g, G); }
  // @ts-ignore: decorator
  @inline vright<T>(y: v128, z: v128): v128 {
    return v128.not(v128.xor(v128.gt<T>(z, v128.splat<T>(0)), v128.gt<T>(y, vparam(HALF))));
  }
  // @ts-ignore: decorator
  @inline sright<T>(y: T, z: T): bool { return (z > 0) == (y > sparam<T>(HALF)); }
}

// @ts-ignore: decorator
@inline function focalV<T, G>(y: v128, z: v128, k: v128, g: usize, wantGrad: bool): v128 {
  const one = vone<T>();
  const zero = v128.splat<T>(0);
  const ny = v128.sub<T>(one, y);
  const l1p = vlogistic<T>(z);
  const big = v128.load(SIGMA);
  const small = v128.load(SIGMA + 16);
  const pos = v128.ge<T>(z, zero);
  const p = v128.bitselect(big, small, pos);
  const q = v128.bitselect(small, big, pos);
  // the cross-entropy as logitsV writes it (γ = 0 gives its weighted form bit for bit)
  const ce = v128.add<T>(v128.mul<T>(v128.add<T>(ny, y), l1p), v128.mul<T>(v128.abs<T>(z), v128.bitselect(ny, y, pos)));
  const m = v128.pmax<T>(v128.add<T>(v128.mul<T>(y, q), v128.mul<T>(ny, p)), vparam(TINY));
  const at = v128.add<T>(v128.mul<T>(vparam(ALPHA), y), v128.mul<T>(vparam(ALPHA_BAR), ny));
  const scale = v128.mul<T>(at, vexp<T>(v128.mul<T>(vparam(GAMMA), vlog<T>(m))));
  if (isInteger<G>() && wantGrad) {
    const slope = v128.mul<T>(vparam(GAMMA), v128.sub<T>(one, v128.add<T>(y, y)));
    const dm = v128.mul<T>(v128.mul<T>(slope, v128.div<T>(v128.mul<T>(p, q), m)), ce);
    const dce = v128.sub<T>(v128.mul<T>(ny, p), v128.mul<T>(y, q));
    v128.store(g, v128.mul<T>(k, v128.mul<T>(scale, v128.add<T>(dm, dce))));
  }
  return v128.mul<T>(scale, ce);
}

// @ts-ignore: decorator
@inline function focalS<T, G>(y: T, z: T, k: T, g: usize, wantGrad: bool): T {
  const ny = <T>1 - y;
  const l1p = slogistic<T>(z);
  const big = load<T>(SIGMA);
  const small = load<T>(SIGMA + 16);
  const pos = z >= 0;
  const p = select<T>(big, small, pos);
  const q = select<T>(small, big, pos);
  const ce = (ny + y) * l1p + abs<T>(z) * select<T>(ny, y, pos);
  const m = smax<T>(y * q + ny * p, sparam<T>(TINY));
  const at = sparam<T>(ALPHA) * y + sparam<T>(ALPHA_BAR) * ny;
  const scale = at * sexp<T>(sparam<T>(GAMMA) * slog<T>(m));
  if (isInteger<G>() && wantGrad) {
    const slope = sparam<T>(GAMMA) * (<T>1 - (y + y));
    const dm = (slope * ((p * q) / m)) * ce;
    const dce = ny * p - y * q;
    store<T>(g, k * (scale * (dm + dce)));
  }
  return scale * ce;
}

export function binaryFocal_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return classifier<f32, Focal>(n, y, p, w, lo, g, k, a, b, mode);
}
export function binaryFocal_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return classifier<f64, Focal>(n, y, p, w, lo, g, k, a, b, mode);
}
