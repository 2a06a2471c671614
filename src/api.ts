/** The public API shared by every entry point (each adds its own `init`). */
export { SimdlossError } from './core/errors.js';
export { initSync, simdSupported, type InitOptions, type InitInfo } from './core/init.js';
export { alloc, memory, WasmArray, type Dtype, type TypedArrayOf } from './core/memory.js';
export type { FloatArray, NumericOption, Reduction } from './core/args.js';
export type { ClassifierLoss, ElementwiseMetric, ElementwiseLoss, F32, F64, GradOptions, NoneOptions, ReduceOptions } from './core/elementwise.js';
export type { ElementwiseAccumulator } from './core/elementwise.js';
export type { AccumulatorBase, AccumulatorState, Json } from './core/stream.js';
export { mse, mae, huber, smoothL1, logCosh, type HuberOptions, type SmoothL1Options } from './loss/regression.js';
export {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, binaryFocal, hinge, squaredHinge, binaryAccuracy,
  type BinaryCrossEntropyOptions, type BinaryCrossEntropyWithLogitsOptions, type BinaryFocalOptions, type BinaryAccuracyOptions,
} from './loss/binary.js';
export type { Labels, RowwiseAccumulator, RowwiseLoss, RowwiseMetric, RowGradOptions, RowNoneOptions, RowReduceOptions } from './core/rowwise.js';
export type { EmbeddingAccumulator, PairLoss, TripletLoss, RowGradOptions as EmbeddingGradOptions, RowNoneOptions as EmbeddingNoneOptions, RowReduceOptions as EmbeddingReduceOptions } from './core/rows.js';
export { contrastive, triplet, cosineEmbedding, type ContrastiveOptions, type TripletOptions, type CosineEmbeddingOptions } from './loss/embedding.js';
export {
  sparseSoftmaxCrossEntropy, softmaxCrossEntropy, categoricalAccuracy, sparseCategoricalAccuracy, topKAccuracy,
  categoricalCrossEntropy, klDivergence, categoricalHinge,
  type ClassWeights, type SoftmaxOptions, type SparseSoftmaxOptions,
  type CategoricalCrossEntropyOptions, type KLDivergenceOptions, type TopKAccuracyOptions,
} from './loss/categorical.js';
export {
  registry, elementwiseRegistry, rowwiseRegistry, embeddingRegistry,
  type RegistryEntry, type ElementwiseEntry, type RowwiseEntry, type EmbeddingEntry,
} from './registry.js';
