// Constants shared by the vector math, each splatted across the lanes of a 16-byte slot in static
// memory: V8 (Node 20) rebuilds an inline v128.const in every loop iteration (3 instructions), where
// a load is one (measured: a pure exp kernel ran 1.5× faster with loads).

/** The vector at `at`. */
// @ts-ignore: decorator
@inline export function k(at: usize): v128 { return v128.load(at); }

export const ONE_32 = memory.data<u32>([0x3f800000, 0x3f800000, 0x3f800000, 0x3f800000], 16);      // 1
export const HALF_32 = memory.data<u32>([0x3f000000, 0x3f000000, 0x3f000000, 0x3f000000], 16);     // 0x1p-1
export const TWO_32 = memory.data<u32>([0x40000000, 0x40000000, 0x40000000, 0x40000000], 16);      // 2
export const INF_32 = memory.data<u32>([0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000], 16);      // +∞
export const NEG_INF_32 = memory.data<u32>([0xff800000, 0xff800000, 0xff800000, 0xff800000], 16);  // −∞
export const SIGN_32 = memory.data<u32>([0x80000000, 0x80000000, 0x80000000, 0x80000000], 16);     // −0: the sign bit
export const LN2HI_32 = memory.data<u32>([0x3f317200, 0x3f317200, 0x3f317200, 0x3f317200], 16);   // 0x1.62e4p-1: 15-bit ln2, n·LN2HI exact
export const LN2LO_32 = memory.data<u32>([0x35bfbe8e, 0x35bfbe8e, 0x35bfbe8e, 0x35bfbe8e], 16);   // 0x1.7f7d1cp-20: ln2 − LN2HI

export const ONE_64 = memory.data<u64>([0x3ff0000000000000, 0x3ff0000000000000], 16);      // 1
export const HALF_64 = memory.data<u64>([0x3fe0000000000000, 0x3fe0000000000000], 16);     // 0x1p-1
export const TWO_64 = memory.data<u64>([0x4000000000000000, 0x4000000000000000], 16);      // 2
export const INF_64 = memory.data<u64>([0x7ff0000000000000, 0x7ff0000000000000], 16);      // +∞
export const NEG_INF_64 = memory.data<u64>([0xfff0000000000000, 0xfff0000000000000], 16);  // −∞
export const SIGN_64 = memory.data<u64>([0x8000000000000000, 0x8000000000000000], 16);     // −0: the sign bit
export const LN2HI_64 = memory.data<u64>([0x3fe62e42fee00000, 0x3fe62e42fee00000], 16);   // 0x1.62e42feep-1: 32-bit ln2, n·LN2HI exact
export const LN2LO_64 = memory.data<u64>([0x3dea39ef35793c76, 0x3dea39ef35793c76], 16);   // 0x1.a39ef35793c76p-33: ln2 − LN2HI
