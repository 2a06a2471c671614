// Margin losses on a label y ∈ {−1, 1}, 0 read as −1 (so {0, 1} labels work unchanged), any other
// label refused: hinge and squared hinge, each as a vector form and its scalar twin.

import { ARGUMENT_TARGET } from "../../abi";
import { classifier } from "../../kernel/elementwise";
import { vone } from "../../kernel/shared";
import { smax } from "./domain";

/** The label as ±1: y − [y = 0]. */
// @ts-ignore: decorator
@inline function vsign<T>(y: v128): v128 {
  return v128.sub<T>(y, v128.and(v128.eq<T>(y, v128.splat<T>(0)), vone<T>()));
}

/** Lanes whose label is not −1, 0 or 1 (NaN included). */
// @ts-ignore: decorator
@inline function vnotLabel<T>(y: v128): v128 {
  return v128.not(v128.or(v128.eq<T>(v128.abs<T>(y), vone<T>()), v128.eq<T>(y, v128.splat<T>(0))));
}

// @ts-ignore: decorator
@inline function sbadLabel<T>(y: T): i32 { return abs<T>(y) == 1 || y == 0 ? -1 : ARGUMENT_TARGET; }

/**
 * Hinge, max(0, 1 − y·ŷ). dl/dŷ = −y where 1 − y·ŷ ≥ 0: at the kink (y·ŷ = 1) the active side,
 * as PyTorch's clamp(1 − y·ŷ, min=0), whose backward passes where input ≥ min. NaN ŷ gives NaN.
 */
@unmanaged class Hinge {
  // @ts-ignore: decorator
  @inline setup<T>(a: f64, b: f64): void {}
  // @ts-ignore: decorator
  @inline checked(): bool { return true; }
  // @ts-ignore: decorator
  @inline vbad<T>(y: v128, p: v128): v128 { return vnotLabel<T>(y); }
  // @ts-ignore: decorator
  @inline sbad<T>(y: T, p: T): i32 { return sbadLabel<T>(y); }
  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, p: v128): v128 {
    return v128.pmax<T>(v128.sub<T>(vone<T>(), v128.mul<T>(vsign<T>(y), p)), v128.splat<T>(0));
  }
  // @ts-ignore: decorator
  @inline vgrad<T>(y: v128, p: v128): v128 {
    const s = vsign<T>(y);
    const m = v128.sub<T>(vone<T>(), v128.mul<T>(s, p));
    return v128.add<T>(v128.and(v128.ge<T>(m, v128.splat<T>(0)), v128.neg<T>(s)), v128.and(v128.ne<T>(m, m), m));
  }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, p: T): T { return smax<T>(<T>1 - (y - <T>(y == 0)) * p, 0); }
  // @ts-ignore: decorator
  @inline sgrad<T>(y: T, p: T): T {
    const s = y - <T>(y == 0);
    const m = <T>1 - s * p;
    return <T>(m >= 0) * -s + select<T>(m, 0, m != m); // bool → float: no branch
  }
  // @ts-ignore: decorator
  @inline vright<T>(y: v128, p: v128): v128 {
    const zero = v128.splat<T>(0);
    return v128.not(v128.xor(v128.gt<T>(p, zero), v128.gt<T>(y, zero)));
  }
  // @ts-ignore: decorator
  @inline sright<T>(y: T, p: T): bool { return (p > 0) == (y > 0); }
}

/** Squared hinge, max(0, 1 − y·ŷ)², dl/dŷ = −2y·max(0, 1 − y·ŷ) (0 at the kink either way). */
@unmanaged class SquaredHinge {
  // @ts-ignore: decorator
  @inline setup<T>(a: f64, b: f64): void {}
  // @ts-ignore: decorator
  @inline checked(): bool { return true; }
  // @ts-ignore: decorator
  @inline vbad<T>(y: v128, p: v128): v128 { return vnotLabel<T>(y); }
  // @ts-ignore: decorator
  @inline sbad<T>(y: T, p: T): i32 { return sbadLabel<T>(y); }
  // @ts-ignore: decorator
  @inline vloss<T>(y: v128, p: v128): v128 {
    const l = v128.pmax<T>(v128.sub<T>(vone<T>(), v128.mul<T>(vsign<T>(y), p)), v128.splat<T>(0));
    return v128.mul<T>(l, l);
  }
  // @ts-ignore: decorator
  @inline vgrad<T>(y: v128, p: v128): v128 {
    const s = vsign<T>(y);
    const l = v128.pmax<T>(v128.sub<T>(vone<T>(), v128.mul<T>(s, p)), v128.splat<T>(0));
    return v128.mul<T>(v128.neg<T>(s), v128.add<T>(l, l));
  }
  // @ts-ignore: decorator
  @inline sloss<T>(y: T, p: T): T {
    const l = smax<T>(<T>1 - (y - <T>(y == 0)) * p, 0);
    return l * l;
  }
  // @ts-ignore: decorator
  @inline sgrad<T>(y: T, p: T): T {
    const s = y - <T>(y == 0);
    const l = smax<T>(<T>1 - s * p, 0);
    return -s * (l + l);
  }
  // @ts-ignore: decorator
  @inline vright<T>(y: v128, p: v128): v128 {
    const zero = v128.splat<T>(0);
    return v128.not(v128.xor(v128.gt<T>(p, zero), v128.gt<T>(y, zero)));
  }
  // @ts-ignore: decorator
  @inline sright<T>(y: T, p: T): bool { return (p > 0) == (y > 0); }
}

export function hinge_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return classifier<f32, Hinge>(n, y, p, w, lo, g, k, a, b, mode);
}
export function hinge_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return classifier<f64, Hinge>(n, y, p, w, lo, g, k, a, b, mode);
}
export function squaredHinge_f32(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return classifier<f32, SquaredHinge>(n, y, p, w, lo, g, k, a, b, mode);
}
export function squaredHinge_f64(n: i32, y: usize, p: usize, w: usize, lo: usize, g: usize, k: f64, a: f64, b: f64, mode: i32): i32 {
  return classifier<f64, SquaredHinge>(n, y, p, w, lo, g, k, a, b, mode);
}
