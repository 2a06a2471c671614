// Vector math for the loss kernels: generic over T (f32 or f64) as the kernels are. Each v* form
// takes a v128 of T lanes; each s* twin gives, bit for bit, one lane of it (so the SIMD and the
// scalar builds agree element for element). Algorithms and audited error bounds: exp.ts, log.ts.

import { exp32, exp32x4, exp64, exp64x2 } from "./exp";
import { log1p32, log1p32x4, log1p64, log1p64x2, log32, log32x4, log64, log64x2 } from "./log";

/** e^x. */
// @ts-ignore: decorator
@inline export function vexp<T>(x: v128): v128 { return sizeof<T>() == 4 ? exp32x4(x) : exp64x2(x); }
// @ts-ignore: decorator
@inline export function sexp<T>(x: T): T { return sizeof<T>() == 4 ? <T>exp32(<f32>x) : <T>exp64(<f64>x); }

/** ln x. */
// @ts-ignore: decorator
@inline export function vlog<T>(x: v128): v128 { return sizeof<T>() == 4 ? log32x4(x) : log64x2(x); }
// @ts-ignore: decorator
@inline export function slog<T>(x: T): T { return sizeof<T>() == 4 ? <T>log32(<f32>x) : <T>log64(<f64>x); }

/** ln(1 + x). */
// @ts-ignore: decorator
@inline export function vlog1p<T>(x: v128): v128 { return sizeof<T>() == 4 ? log1p32x4(x) : log1p64x2(x); }
// @ts-ignore: decorator
@inline export function slog1p<T>(x: T): T { return sizeof<T>() == 4 ? <T>log1p32(<f32>x) : <T>log1p64(<f64>x); }
