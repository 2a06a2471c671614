// The wasm module's exports: the ABI constants, every kernel (named <loss>_<dtype>), and what the
// TypeScript layer needs to lay out memory.

export * from "./abi";
export { weights_f32, weights_f64 } from "./kernel/weights";
export * from "./loss/regression";
export * from "./loss/poisson";
export * from "./loss/binary";
export * from "./loss/categorical";
export * from "./loss/embedding";
export * from "./loss/ternary";
export * from "./metric/ranking";
export * from "./loss/similarity";
export * from "./metric/confusion";
export * from "./metric/calibration";
export * from "./loss/inbatch";

/** 1 in the SIMD build, 0 in the scalar build (the same source, compiled with and without `--enable simd`). */
export const SIMD: i32 = ASC_FEATURE_SIMD ? 1 : 0;

/** First byte after the static data: the TypeScript layer owns everything from here on. */
export function heapBase(): usize {
  return __heap_base;
}
