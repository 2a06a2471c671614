/** The public API shared by every entry point (each adds its own `init`). */
export { SimdlossError } from './core/errors.js';
export { initSync, simdSupported, type InitOptions, type InitInfo } from './core/init.js';
export { alloc, memory, WasmArray, type Dtype } from './core/memory.js';
export type { FloatArray, Reduction } from './core/args.js';
export type { ElementwiseLoss, F32, F64, GradOptions, NoneOptions, ReduceOptions } from './core/elementwise.js';
export { mse, mae, huber, smoothL1 } from './loss/regression.js';
export type { PairLoss, TripletLoss, RowGradOptions, RowNoneOptions, RowReduceOptions } from './core/rows.js';
export { contrastive, triplet, cosineEmbedding } from './loss/embedding.js';
export { registry, type RegistryEntry, type ElementwiseEntry, type EmbeddingEntry } from './registry.js';
