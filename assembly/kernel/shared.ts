// What every kernel shares: compile-time switches, lane counts, byte offsets, horizontal sums, the
// result block and the parameter slots.

import { RESULT } from "../abi";

// Compile-time switches: a type argument On (i32) or Off (f32), read with isInteger<F>(), so that
// the branch not taken never reaches Binaryen (plain booleans were left to it, and its code folding
// once merged specialised loops back into one).
export type On = i32;
export type Off = f32;

/** The value at byte `at` of the result block (abi.ts). */
// @ts-ignore: decorator
@inline export function result<T>(at: i32): T {
  return load<T>(RESULT + <usize>at);
}

// @ts-ignore: decorator
@inline export function setResult<T>(at: i32, value: T): void {
  store<T>(RESULT + <usize>at, value);
}

// @ts-ignore: decorator
@inline export function lanes<T>(): i32 {
  return 16 / sizeof<T>();
}

// @ts-ignore: decorator
@inline export function byteOffset<T>(i: i32): usize {
  return <usize>i << alignof<T>();
}

/** Sum of the lanes, each widened to float64 before adding. */
// @ts-ignore: decorator
@inline export function hsum<T>(v: v128): f64 {
  if (sizeof<T>() == 4) {
    return (<f64>v128.extract_lane<f32>(v, 0) + <f64>v128.extract_lane<f32>(v, 1))
         + (<f64>v128.extract_lane<f32>(v, 2) + <f64>v128.extract_lane<f32>(v, 3));
  }
  return v128.extract_lane<f64>(v, 0) + v128.extract_lane<f64>(v, 1);
}

// v128 constants are loaded from static memory: V8 (Node 20) rebuilds an inline v128.const in every
// loop iteration with 3 instructions, where a load is one (measured: a pure exp kernel ran 1.5×
// faster this way).
const F32_ONE = memory.data<f32>([1, 1, 1, 1], 16);
const F64_ONE = memory.data<f64>([1, 1], 16);

// @ts-ignore: decorator
@inline export function vone<T>(): v128 {
  return v128.load(sizeof<T>() == 4 ? F32_ONE : F64_ONE);
}

const F32_MAGNITUDE = memory.data<u32>([0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff], 16);
const F64_MAGNITUDE = memory.data<u64>([0x7fffffffffffffff, 0x7fffffffffffffff], 16);

/**
 * v128.abs<T>(v), bit for bit (the sign bit cleared, NaN included), in two instructions: V8 builds
 * the mask of f32x4.abs / f64x2.abs afresh each time (pcmpeqd, psrld, andps), where it is loaded here.
 */
// @ts-ignore: decorator
@inline export function vabs<T>(v: v128): v128 {
  return v128.and(v, v128.load(sizeof<T>() == 4 ? F32_MAGNITUDE : F64_MAGNITUDE));
}

/**
 * Loop-invariant values a loss derives from its parameters, written once per call by its setup()
 * (each slot is 16 bytes: the value splatted across the lanes), then loaded where needed: neither
 * Binaryen nor V8 hoists SIMD arithmetic out of a loop, and a load costs one instruction.
 */
const PARAMS: usize = memory.data(8 * 16, 16);

// @ts-ignore: decorator
@inline export function setParam<T>(slot: i32, value: f64): void {
  const at = PARAMS + (<usize>slot << 4);
  for (let lane: usize = 0; lane < 16; lane += sizeof<T>()) store<T>(at + lane, <T>value);
}

/** Parameter `slot` as a vector. */
// @ts-ignore: decorator
@inline export function vparam(slot: i32): v128 {
  return v128.load(PARAMS + (<usize>slot << 4));
}

/** Parameter `slot` as a scalar: the same rounded value as each lane of vparam(slot). */
// @ts-ignore: decorator
@inline export function sparam<T>(slot: i32): T {
  return load<T>(PARAMS + (<usize>slot << 4));
}

/** Base of the losses whose inputs have no domain to check (every real target and prediction). */
@unmanaged export class AnyReal {
  // @ts-ignore: decorator
  @inline checked(): bool { return false; }
  // @ts-ignore: decorator
  @inline vbad<T>(y: v128, p: v128): v128 { return v128.splat<i32>(0); }
  // @ts-ignore: decorator
  @inline sbad<T>(y: T, p: T): i32 { return -1; }
}

// (A loss class must not override a method of its base: AssemblyScript would make the call virtual,
// and these classes have no instance to dispatch on. So the empty setup lives in its own base.)
/** Base of the losses with no domain to check and no parameters. */
@unmanaged export class AnyRealNoParams extends AnyReal {
  // @ts-ignore: decorator
  @inline setup<T>(a: f64, b: f64): void {}
}
