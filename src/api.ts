/** The public API shared by every entry point (each adds its own `init`); every export of a loss file is public. */

export type { FloatArray, NumericOption, Reduction } from './core/args.js';
export type {
  ClassifierLoss,
  ElementwiseAccumulator,
  ElementwiseLoss,
  ElementwiseMetric,
  F32,
  F64,
  GradOptions,
  NoneOptions,
  ReduceOptions,
} from './core/elementwise.js';
export { SimdlossError } from './core/errors.js';
export type { InbatchAccumulator, InbatchGradOptions, InbatchLoss, InbatchNoneOptions, InbatchReduceOptions } from './core/inbatch.js';
export { type InitInfo, type InitOptions, initSync, simdSupported } from './core/init.js';
export { alloc, type Dtype, memory, type TypedArrayOf, WasmArray } from './core/memory.js';
export type {
  SimilarityAccumulator,
  SimilarityGradOptions,
  SimilarityLoss,
  SimilarityNoneOptions,
  SimilarityReduceOptions,
} from './core/similarity.js';
export type { AccumulatorBase, AccumulatorState, Json } from './core/stream.js';
export type { TallyAccumulator, TallyState } from './core/tally-stream.js';
export type {
  EmbeddingAccumulator,
  EmbeddingGradOptions,
  EmbeddingNoneOptions,
  EmbeddingReduceOptions,
  Labels,
  PairLoss,
  RowGradOptions,
  RowNoneOptions,
  RowReduceOptions,
  RowwiseAccumulator,
  RowwiseLoss,
  RowwiseMetric,
  TernaryAccumulator,
  TernaryGradOptions,
  TernaryLoss,
  TripletLoss,
} from './core/types.js';
export * from './loss/binary.js';
export * from './loss/categorical.js';
export * from './loss/embedding.js';
export * from './loss/inbatch.js';
export * from './loss/ranking.js';
export * from './loss/regression.js';
export * from './loss/similarity.js';
export * from './loss/ternary.js';
export * from './metric/calibration.js';
export * from './metric/confusion.js';
export * from './metric/f1.js';
