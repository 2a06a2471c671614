/** The public API shared by every entry point (each adds its own `init`); every export of a loss file is public. */
export { SimdlossError } from './core/errors.js';
export { initSync, simdSupported, type InitOptions, type InitInfo } from './core/init.js';
export { alloc, memory, WasmArray, type Dtype, type TypedArrayOf } from './core/memory.js';
export type { FloatArray, NumericOption, Reduction } from './core/args.js';
export type { ClassifierLoss, ElementwiseMetric, ElementwiseLoss, F32, F64, GradOptions, NoneOptions, ReduceOptions } from './core/elementwise.js';
export type { ElementwiseAccumulator } from './core/elementwise.js';
export type { AccumulatorBase, AccumulatorState, Json } from './core/stream.js';
export * from './loss/regression.js';
export * from './loss/binary.js';
export type { Labels, RowwiseAccumulator, RowwiseLoss, RowwiseMetric, RowGradOptions, RowNoneOptions, RowReduceOptions } from './core/types.js';
export type { EmbeddingAccumulator, PairLoss, TripletLoss, EmbeddingGradOptions, EmbeddingNoneOptions, EmbeddingReduceOptions } from './core/types.js';
export * from './loss/embedding.js';
export * from './loss/categorical.js';
