// Multi-class losses and metrics: an example is one row of C values (kernel/rowwise.ts: layouts).
// One file per concept, each with its kernels.

export * from "./softmax";
export * from "./denominators";
export * from "./probability";
export * from "./margins";
export * from "./metrics";
