// The two builds as base64, written into dist/wasm-inline.js by scripts/inline-wasm.mjs.
export declare const simd: string;
export declare const scalar: string;
