/** The public types of the classification and embedding losses (the elementwise ones: elementwise.ts). */
import type { FloatArray, NumericOption } from './args.js';
import type { F32, F64 } from './elementwise.js';
import type { WasmArray } from './memory.js';
import type { AccumulatorBase, AccumulatorState } from './stream.js';

export type Labels = Int32Array | WasmArray<'i32'>;

export interface RowReduceOptions<In> {
  /** Values per example (row); required, must divide the length of pred. */
  classes: number;
  reduction?: 'mean' | 'sum';
  /** One weight ≥ 0 per row. */
  weights?: In;
}
export interface RowNoneOptions<In> {
  classes: number;
  reduction: 'none';
  weights?: In;
}
export interface RowGradOptions<In> {
  classes: number;
  reduction?: 'mean' | 'sum' | 'none';
  weights?: In;
  /** Receives the gradient (same dtype and length as pred) and is returned. */
  out?: In;
  /** withGrad only: also return the accuracy (argmax = target) of the rows, from the same pass. */
  accuracy?: boolean;
}

/** A row-wise loss; Y32 / Y64: what the target is for float32 / float64 predictions. */
export interface RowwiseLoss<O, Y32, Y64> {
  (target: Y32, pred: F32, opts: O & RowReduceOptions<F32>): number;
  (target: Y64, pred: F64, opts: O & RowReduceOptions<F64>): number;
  (target: Y32, pred: F32, opts: O & RowNoneOptions<F32>): Float32Array;
  (target: Y64, pred: F64, opts: O & RowNoneOptions<F64>): Float64Array;
  (target: Y32 | Y64, pred: F32 | F64, opts: O & RowReduceOptions<F32 | F64>): number;
  (target: Y32 | Y64, pred: F32 | F64, opts: O & RowNoneOptions<F32 | F64>): FloatArray;
  /** dL/dpred, same dtype and length as pred. */
  grad(target: Y32, pred: F32, opts: O & RowGradOptions<F32>): Float32Array;
  grad(target: Y64, pred: F64, opts: O & RowGradOptions<F64>): Float64Array;
  grad(target: Y32 | Y64, pred: F32 | F64, opts: O & RowGradOptions<F32 | F64>): FloatArray;
  /** Loss and gradient (and, with `accuracy: true`, the accuracy) from one fused pass. */
  withGrad(target: Y32, pred: F32, opts: O & RowGradOptions<F32> & { reduction?: 'mean' | 'sum' }): { loss: number; grad: Float32Array; accuracy?: number };
  withGrad(target: Y64, pred: F64, opts: O & RowGradOptions<F64> & { reduction?: 'mean' | 'sum' }): { loss: number; grad: Float64Array; accuracy?: number };
  withGrad(target: Y32, pred: F32, opts: O & RowGradOptions<F32> & { reduction: 'none' }): { loss: Float32Array; grad: Float32Array; accuracy?: number };
  withGrad(target: Y64, pred: F64, opts: O & RowGradOptions<F64> & { reduction: 'none' }): { loss: Float64Array; grad: Float64Array; accuracy?: number };
  withGrad(target: Y32 | Y64, pred: F32 | F64, opts: O & RowGradOptions<F32 | F64>): { loss: number | FloatArray; grad: FloatArray; accuracy?: number };
  /** A streaming accumulator with these options fixed (classes required; reduction 'mean' or 'sum'; weights go to update). */
  create(opts: O & { classes: number; reduction?: 'mean' | 'sum' }): RowwiseAccumulator<Y32, Y64>;
  /** Restores an accumulator from its toJSON() state (or that state's JSON text). */
  fromJSON(state: AccumulatorState | string): RowwiseAccumulator<Y32, Y64>;
  readonly lossName: string;
  readonly options: readonly NumericOption[];
}

/** A row-wise metric: the fraction of rows that are right ('mean'), their count ('sum') or 1/0 per row ('none'). */
export interface RowwiseMetric<O, Y32, Y64> {
  (target: Y32, pred: F32, opts: O & RowReduceOptions<F32>): number;
  (target: Y64, pred: F64, opts: O & RowReduceOptions<F64>): number;
  (target: Y32, pred: F32, opts: O & RowNoneOptions<F32>): Float32Array;
  (target: Y64, pred: F64, opts: O & RowNoneOptions<F64>): Float64Array;
  (target: Y32 | Y64, pred: F32 | F64, opts: O & RowReduceOptions<F32 | F64>): number;
  (target: Y32 | Y64, pred: F32 | F64, opts: O & RowNoneOptions<F32 | F64>): FloatArray;
  create(opts: O & { classes: number; reduction?: 'mean' | 'sum' }): RowwiseAccumulator<Y32, Y64>;
  fromJSON(state: AccumulatorState | string): RowwiseAccumulator<Y32, Y64>;
  readonly lossName: string;
  readonly options: readonly NumericOption[];
}

/** An accumulator of a row-wise loss or metric: batches of whole rows (target or labels, pred, row weights?). */
export interface RowwiseAccumulator<Y32, Y64> extends AccumulatorBase {
  update(target: Y32, pred: F32, weights?: F32): this;
  update(target: Y64, pred: F64, weights?: F64): this;
  update(target: Y32 | Y64, pred: F32 | F64, weights?: F32 | F64): this;
}

export interface EmbeddingReduceOptions<In> {
  /** Values per row (required; must divide the length of every embedding input). */
  dim: number;
  reduction?: 'mean' | 'sum';
  /** One weight ≥ 0 per row. */
  weights?: In;
}
export interface EmbeddingNoneOptions<In> {
  dim: number;
  reduction: 'none';
  weights?: In;
}
export interface EmbeddingGradOptions<In, K extends string> {
  dim: number;
  reduction?: 'mean' | 'sum' | 'none';
  weights?: In;
  /** Arrays that receive the gradients (each optional, same dtype and length as its input) and are returned. */
  out?: { [key in K]?: In };
}
type Grads<K extends string, A> = { [key in K]: A };

/** contrastive / cosineEmbedding: (label, a, b, opts). */
export interface PairLoss<O = object> {
  (label: F32, a: F32, b: F32, opts: O & EmbeddingReduceOptions<F32>): number;
  (label: F64, a: F64, b: F64, opts: O & EmbeddingReduceOptions<F64>): number;
  (label: F32, a: F32, b: F32, opts: O & EmbeddingNoneOptions<F32>): Float32Array;
  (label: F64, a: F64, b: F64, opts: O & EmbeddingNoneOptions<F64>): Float64Array;
  (label: F32 | F64, a: F32 | F64, b: F32 | F64, opts: O & EmbeddingReduceOptions<F32 | F64>): number;
  (label: F32 | F64, a: F32 | F64, b: F32 | F64, opts: O & EmbeddingNoneOptions<F32 | F64>): FloatArray;
  /** dL/da and dL/db, each the same dtype and length as its input. */
  grad(label: F32, a: F32, b: F32, opts: O & EmbeddingGradOptions<F32, 'a' | 'b'>): Grads<'a' | 'b', Float32Array>;
  grad(label: F64, a: F64, b: F64, opts: O & EmbeddingGradOptions<F64, 'a' | 'b'>): Grads<'a' | 'b', Float64Array>;
  grad(label: F32 | F64, a: F32 | F64, b: F32 | F64, opts: O & EmbeddingGradOptions<F32 | F64, 'a' | 'b'>): Grads<'a' | 'b', FloatArray>;
  /** Loss and both gradients from one fused pass. */
  withGrad(label: F32, a: F32, b: F32, opts: O & EmbeddingGradOptions<F32, 'a' | 'b'> & { reduction?: 'mean' | 'sum' }): { loss: number; grad: Grads<'a' | 'b', Float32Array> };
  withGrad(label: F64, a: F64, b: F64, opts: O & EmbeddingGradOptions<F64, 'a' | 'b'> & { reduction?: 'mean' | 'sum' }): { loss: number; grad: Grads<'a' | 'b', Float64Array> };
  withGrad(label: F32, a: F32, b: F32, opts: O & EmbeddingGradOptions<F32, 'a' | 'b'> & { reduction: 'none' }): { loss: Float32Array; grad: Grads<'a' | 'b', Float32Array> };
  withGrad(label: F64, a: F64, b: F64, opts: O & EmbeddingGradOptions<F64, 'a' | 'b'> & { reduction: 'none' }): { loss: Float64Array; grad: Grads<'a' | 'b', Float64Array> };
  withGrad(label: F32 | F64, a: F32 | F64, b: F32 | F64, opts: O & EmbeddingGradOptions<F32 | F64, 'a' | 'b'>): { loss: number | FloatArray; grad: Grads<'a' | 'b', FloatArray> };
  /** A streaming accumulator with these options fixed (opts.dim required; reduction 'mean' or 'sum'; weights go to update). */
  create(opts: O & { dim: number; reduction?: 'mean' | 'sum' }): EmbeddingAccumulator;
  /** Restores an accumulator from its toJSON() state (or that state's JSON text). */
  fromJSON(state: AccumulatorState | string): EmbeddingAccumulator;
  readonly lossName: string;
  readonly options: readonly NumericOption[];
}

/** An accumulator of an embedding loss: batches of whole rows, (label, a, b) or (anchor, positive, negative), weights per row. */
export interface EmbeddingAccumulator extends AccumulatorBase {
  update(x0: F32, x1: F32, x2: F32, weights?: F32): this;
  update(x0: F64, x1: F64, x2: F64, weights?: F64): this;
  update(x0: F32 | F64, x1: F32 | F64, x2: F32 | F64, weights?: F32 | F64): this;
}

type T3 = 'anchor' | 'positive' | 'negative';
/** triplet: (anchor, positive, negative, opts). */
export interface TripletLoss<O = object> {
  (anchor: F32, positive: F32, negative: F32, opts: O & EmbeddingReduceOptions<F32>): number;
  (anchor: F64, positive: F64, negative: F64, opts: O & EmbeddingReduceOptions<F64>): number;
  (anchor: F32, positive: F32, negative: F32, opts: O & EmbeddingNoneOptions<F32>): Float32Array;
  (anchor: F64, positive: F64, negative: F64, opts: O & EmbeddingNoneOptions<F64>): Float64Array;
  (anchor: F32 | F64, positive: F32 | F64, negative: F32 | F64, opts: O & EmbeddingReduceOptions<F32 | F64>): number;
  (anchor: F32 | F64, positive: F32 | F64, negative: F32 | F64, opts: O & EmbeddingNoneOptions<F32 | F64>): FloatArray;
  grad(anchor: F32, positive: F32, negative: F32, opts: O & EmbeddingGradOptions<F32, T3>): Grads<T3, Float32Array>;
  grad(anchor: F64, positive: F64, negative: F64, opts: O & EmbeddingGradOptions<F64, T3>): Grads<T3, Float64Array>;
  grad(anchor: F32 | F64, positive: F32 | F64, negative: F32 | F64, opts: O & EmbeddingGradOptions<F32 | F64, T3>): Grads<T3, FloatArray>;
  withGrad(anchor: F32, positive: F32, negative: F32, opts: O & EmbeddingGradOptions<F32, T3> & { reduction?: 'mean' | 'sum' }): { loss: number; grad: Grads<T3, Float32Array> };
  withGrad(anchor: F64, positive: F64, negative: F64, opts: O & EmbeddingGradOptions<F64, T3> & { reduction?: 'mean' | 'sum' }): { loss: number; grad: Grads<T3, Float64Array> };
  withGrad(anchor: F32, positive: F32, negative: F32, opts: O & EmbeddingGradOptions<F32, T3> & { reduction: 'none' }): { loss: Float32Array; grad: Grads<T3, Float32Array> };
  withGrad(anchor: F64, positive: F64, negative: F64, opts: O & EmbeddingGradOptions<F64, T3> & { reduction: 'none' }): { loss: Float64Array; grad: Grads<T3, Float64Array> };
  withGrad(anchor: F32 | F64, positive: F32 | F64, negative: F32 | F64, opts: O & EmbeddingGradOptions<F32 | F64, T3>): { loss: number | FloatArray; grad: Grads<T3, FloatArray> };
  /** A streaming accumulator with these options fixed (opts.dim required; reduction 'mean' or 'sum'; weights go to update). */
  create(opts: O & { dim: number; reduction?: 'mean' | 'sum' }): EmbeddingAccumulator;
  /** Restores an accumulator from its toJSON() state (or that state's JSON text). */
  fromJSON(state: AccumulatorState | string): EmbeddingAccumulator;
  readonly lossName: string;
  readonly options: readonly NumericOption[];
}
