/** The public types of the classification, embedding and three-input elementwise losses (the elementwise ones: elementwise.ts). */
import type { FloatArray, NumericOption } from './args.js';
import type { F32, F64, NoneOptions, ReduceOptions } from './elementwise.js';
import type { WasmArray } from './memory.js';
import type { AccumulatorBase, AccumulatorState } from './stream.js';

/** Class labels: an Int32Array (or a WasmArray of 'i32'), one integer in [0, classes) per row. */
export type Labels = Int32Array | WasmArray<'i32'>;

/** The common options of a multi-class loss or metric that returns a number. */
export interface RowReduceOptions<In> {
  /** Values per example (row); required, must divide the length of pred. */
  classes: number;
  /**
   * 'mean': the (weighted) mean over rows, 0 over none; 'sum': the (weighted) sum.
   * @defaultValue 'mean'
   */
  reduction?: 'mean' | 'sum';
  /** One weight ≥ 0 per row. */
  weights?: In;
}
/** The common options of a multi-class loss or metric with `reduction: 'none'`: one value per row. */
export interface RowNoneOptions<In> {
  /** Values per example (row); required, must divide the length of pred. */
  classes: number;
  /** Returns one loss per row (wᵢlᵢ with weights), of pred's dtype. */
  reduction: 'none';
  /** One weight ≥ 0 per row. */
  weights?: In;
}
/** The common options of `grad` and `withGrad` of a multi-class loss. */
export interface RowGradOptions<In> {
  /** Values per example (row); required, must divide the length of pred. */
  classes: number;
  /**
   * The loss the gradient is of: 'mean' (over rows, Σ wᵢlᵢ / Σ wᵢ), 'sum', or 'none' (the gradient
   * of the sum of the per-row losses).
   * @defaultValue 'mean'
   */
  reduction?: 'mean' | 'sum' | 'none';
  /** One weight ≥ 0 per row. */
  weights?: In;
  /** Receives the gradient (same dtype and length as pred) and is returned. */
  out?: In;
  /**
   * withGrad only: also return the accuracy (argmax = target) of the rows, from the same pass.
   * @defaultValue false
   */
  accuracy?: boolean;
}

/**
 * A row-wise metric: the fraction of rows that are right ('mean'), their count ('sum') or 1/0 per
 * row ('none'). Every row-wise loss has these calls too ({@link RowwiseLoss}), reducing its loss.
 */
export interface RowwiseMetric<O, Y32, Y64> {
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float32 arrays: a float32 result. */
  (target: Y32, pred: F32, opts: O & RowReduceOptions<F32>): number;
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float64 arrays: a float64 result. */
  (target: Y64, pred: F64, opts: O & RowReduceOptions<F64>): number;
  /** One loss per example (`reduction: 'none'`), from float32 arrays: a float32 result. */
  (target: Y32, pred: F32, opts: O & RowNoneOptions<F32>): Float32Array;
  /** One loss per example (`reduction: 'none'`), from float64 arrays: a float64 result. */
  (target: Y64, pred: F64, opts: O & RowNoneOptions<F64>): Float64Array;
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float32 or float64 arrays (either, for code written over both). */
  (target: Y32 | Y64, pred: F32 | F64, opts: O & RowReduceOptions<F32 | F64>): number;
  /** One loss per example (`reduction: 'none'`), from float32 or float64 arrays (either, for code written over both). */
  (target: Y32 | Y64, pred: F32 | F64, opts: O & RowNoneOptions<F32 | F64>): FloatArray;
  /** A streaming accumulator with these options fixed (reduction 'mean' or 'sum'; weights go to update). */
  create(opts: O & { classes: number; reduction?: 'mean' | 'sum' }): RowwiseAccumulator<Y32, Y64>;
  /** Restores an accumulator from its toJSON() state (or that state's JSON text). */
  fromJSON(state: AccumulatorState | string): RowwiseAccumulator<Y32, Y64>;
  /** The name it is exported under. */
  readonly lossName: string;
  /** Its own numeric options with their defaults and ranges (besides the common ones). */
  readonly options: readonly NumericOption[];
}

/** A row-wise loss: the metric's calls and accumulators, plus the gradient; Y32 / Y64: what the target is for float32 / float64 predictions. */
export interface RowwiseLoss<O, Y32, Y64> extends RowwiseMetric<O, Y32, Y64> {
  /** dL/dpred, same dtype and length as pred. */
  grad(target: Y32, pred: F32, opts: O & RowGradOptions<F32>): Float32Array;
  /** dL/dpred, from float64 arrays: a float64 result. */
  grad(target: Y64, pred: F64, opts: O & RowGradOptions<F64>): Float64Array;
  /** dL/dpred, from float32 or float64 arrays (either, for code written over both). */
  grad(target: Y32 | Y64, pred: F32 | F64, opts: O & RowGradOptions<F32 | F64>): FloatArray;
  /** Loss and gradient (and, with `accuracy: true`, the accuracy) from one fused pass. */
  withGrad(
    target: Y32,
    pred: F32,
    opts: O & RowGradOptions<F32> & { reduction?: 'mean' | 'sum' },
  ): { loss: number; grad: Float32Array; accuracy?: number };
  /** The reduced loss and its gradient in one pass, from float64 arrays: a float64 result. */
  withGrad(
    target: Y64,
    pred: F64,
    opts: O & RowGradOptions<F64> & { reduction?: 'mean' | 'sum' },
  ): { loss: number; grad: Float64Array; accuracy?: number };
  /** Per-example losses and the gradient of their sum in one pass, from float32 arrays: a float32 result. */
  withGrad(
    target: Y32,
    pred: F32,
    opts: O & RowGradOptions<F32> & { reduction: 'none' },
  ): { loss: Float32Array; grad: Float32Array; accuracy?: number };
  /** Per-example losses and the gradient of their sum in one pass, from float64 arrays: a float64 result. */
  withGrad(
    target: Y64,
    pred: F64,
    opts: O & RowGradOptions<F64> & { reduction: 'none' },
  ): { loss: Float64Array; grad: Float64Array; accuracy?: number };
  /** Loss and gradient in one pass, from float32 or float64 arrays (either, for code written over both). */
  withGrad(
    target: Y32 | Y64,
    pred: F32 | F64,
    opts: O & RowGradOptions<F32 | F64>,
  ): { loss: number | FloatArray; grad: FloatArray; accuracy?: number };
}

/** An accumulator of a row-wise loss or metric: batches of whole rows (target or labels, pred, row weights?). */
export interface RowwiseAccumulator<Y32, Y64> extends AccumulatorBase {
  /** Adds one batch of float32 arrays (weights optional, one per example); returns the accumulator. */
  update(target: Y32, pred: F32, weights?: F32): this;
  /** Adds one batch of float64 arrays (weights optional, one per example); returns the accumulator. */
  update(target: Y64, pred: F64, weights?: F64): this;
  /** Adds one batch of float32 or float64 arrays (weights optional, one per example); returns the accumulator. */
  update(target: Y32 | Y64, pred: F32 | F64, weights?: F32 | F64): this;
}

/** The common options of an embedding loss that returns a number. */
export interface EmbeddingReduceOptions<In> {
  /** Values per row (required; must divide the length of every embedding input). */
  dim: number;
  /**
   * 'mean': the (weighted) mean over rows, 0 over none; 'sum': the (weighted) sum.
   * @defaultValue 'mean'
   */
  reduction?: 'mean' | 'sum';
  /** One weight ≥ 0 per row. */
  weights?: In;
}
/** The common options of an embedding loss with `reduction: 'none'`: one loss per row. */
export interface EmbeddingNoneOptions<In> {
  /** Values per row (required; must divide the length of every embedding input). */
  dim: number;
  /** Returns one loss per row (wᵢlᵢ with weights), of the inputs' dtype. */
  reduction: 'none';
  /** One weight ≥ 0 per row. */
  weights?: In;
}
/** The common options of `grad` and `withGrad` of an embedding loss; `K` names its gradients. */
export interface EmbeddingGradOptions<In, K extends string> {
  /** Values per row (required; must divide the length of every embedding input). */
  dim: number;
  /**
   * The loss the gradients are of: 'mean' (over rows, Σ wᵢlᵢ / Σ wᵢ), 'sum', or 'none' (the
   * gradients of the sum of the per-row losses).
   * @defaultValue 'mean'
   */
  reduction?: 'mean' | 'sum' | 'none';
  /** One weight ≥ 0 per row. */
  weights?: In;
  /** Arrays that receive the gradients (each optional, same dtype and length as its input) and are returned. */
  out?: { [key in K]?: In };
}
type Grads<K extends string, A> = { [key in K]: A };

/** contrastive / cosineEmbedding: (label, a, b, opts). */
export interface PairLoss<O = object> {
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float32 arrays: a float32 result. */
  (label: F32, a: F32, b: F32, opts: O & EmbeddingReduceOptions<F32>): number;
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float64 arrays: a float64 result. */
  (label: F64, a: F64, b: F64, opts: O & EmbeddingReduceOptions<F64>): number;
  /** One loss per example (`reduction: 'none'`), from float32 arrays: a float32 result. */
  (label: F32, a: F32, b: F32, opts: O & EmbeddingNoneOptions<F32>): Float32Array;
  /** One loss per example (`reduction: 'none'`), from float64 arrays: a float64 result. */
  (label: F64, a: F64, b: F64, opts: O & EmbeddingNoneOptions<F64>): Float64Array;
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float32 or float64 arrays (either, for code written over both). */
  (label: F32 | F64, a: F32 | F64, b: F32 | F64, opts: O & EmbeddingReduceOptions<F32 | F64>): number;
  /** One loss per example (`reduction: 'none'`), from float32 or float64 arrays (either, for code written over both). */
  (label: F32 | F64, a: F32 | F64, b: F32 | F64, opts: O & EmbeddingNoneOptions<F32 | F64>): FloatArray;
  /** dL/da and dL/db, each the same dtype and length as its input. */
  grad(label: F32, a: F32, b: F32, opts: O & EmbeddingGradOptions<F32, 'a' | 'b'>): Grads<'a' | 'b', Float32Array>;
  /** The gradient with respect to each embedding input, from float64 arrays: a float64 result. */
  grad(label: F64, a: F64, b: F64, opts: O & EmbeddingGradOptions<F64, 'a' | 'b'>): Grads<'a' | 'b', Float64Array>;
  /** The gradient with respect to each embedding input, from float32 or float64 arrays (either, for code written over both). */
  grad(label: F32 | F64, a: F32 | F64, b: F32 | F64, opts: O & EmbeddingGradOptions<F32 | F64, 'a' | 'b'>): Grads<'a' | 'b', FloatArray>;
  /** Loss and both gradients from one fused pass. */
  withGrad(
    label: F32,
    a: F32,
    b: F32,
    opts: O & EmbeddingGradOptions<F32, 'a' | 'b'> & { reduction?: 'mean' | 'sum' },
  ): { loss: number; grad: Grads<'a' | 'b', Float32Array> };
  /** The reduced loss and its gradient in one pass, from float64 arrays: a float64 result. */
  withGrad(
    label: F64,
    a: F64,
    b: F64,
    opts: O & EmbeddingGradOptions<F64, 'a' | 'b'> & { reduction?: 'mean' | 'sum' },
  ): { loss: number; grad: Grads<'a' | 'b', Float64Array> };
  /** Per-example losses and the gradient of their sum in one pass, from float32 arrays: a float32 result. */
  withGrad(
    label: F32,
    a: F32,
    b: F32,
    opts: O & EmbeddingGradOptions<F32, 'a' | 'b'> & { reduction: 'none' },
  ): { loss: Float32Array; grad: Grads<'a' | 'b', Float32Array> };
  /** Per-example losses and the gradient of their sum in one pass, from float64 arrays: a float64 result. */
  withGrad(
    label: F64,
    a: F64,
    b: F64,
    opts: O & EmbeddingGradOptions<F64, 'a' | 'b'> & { reduction: 'none' },
  ): { loss: Float64Array; grad: Grads<'a' | 'b', Float64Array> };
  /** Loss and gradient in one pass, from float32 or float64 arrays (either, for code written over both). */
  withGrad(
    label: F32 | F64,
    a: F32 | F64,
    b: F32 | F64,
    opts: O & EmbeddingGradOptions<F32 | F64, 'a' | 'b'>,
  ): { loss: number | FloatArray; grad: Grads<'a' | 'b', FloatArray> };
  /** A streaming accumulator with these options fixed (opts.dim required; reduction 'mean' or 'sum'; weights go to update). */
  create(opts: O & { dim: number; reduction?: 'mean' | 'sum' }): EmbeddingAccumulator;
  /** Restores an accumulator from its toJSON() state (or that state's JSON text). */
  fromJSON(state: AccumulatorState | string): EmbeddingAccumulator;
  /** The name it is exported under. */
  readonly lossName: string;
  /** Its own numeric options with their defaults and ranges (besides the common ones). */
  readonly options: readonly NumericOption[];
}

/** An accumulator of an embedding loss: batches of whole rows, (label, a, b) or (anchor, positive, negative), weights per row. */
export interface EmbeddingAccumulator extends AccumulatorBase {
  /** Adds one batch of float32 arrays (weights optional, one per example); returns the accumulator. */
  update(x0: F32, x1: F32, x2: F32, weights?: F32): this;
  /** Adds one batch of float64 arrays (weights optional, one per example); returns the accumulator. */
  update(x0: F64, x1: F64, x2: F64, weights?: F64): this;
  /** Adds one batch of float32 or float64 arrays (weights optional, one per example); returns the accumulator. */
  update(x0: F32 | F64, x1: F32 | F64, x2: F32 | F64, weights?: F32 | F64): this;
}

type T3 = 'anchor' | 'positive' | 'negative';
/** triplet: (anchor, positive, negative, opts). */
export interface TripletLoss<O = object> {
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float32 arrays: a float32 result. */
  (anchor: F32, positive: F32, negative: F32, opts: O & EmbeddingReduceOptions<F32>): number;
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float64 arrays: a float64 result. */
  (anchor: F64, positive: F64, negative: F64, opts: O & EmbeddingReduceOptions<F64>): number;
  /** One loss per example (`reduction: 'none'`), from float32 arrays: a float32 result. */
  (anchor: F32, positive: F32, negative: F32, opts: O & EmbeddingNoneOptions<F32>): Float32Array;
  /** One loss per example (`reduction: 'none'`), from float64 arrays: a float64 result. */
  (anchor: F64, positive: F64, negative: F64, opts: O & EmbeddingNoneOptions<F64>): Float64Array;
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float32 or float64 arrays (either, for code written over both). */
  (anchor: F32 | F64, positive: F32 | F64, negative: F32 | F64, opts: O & EmbeddingReduceOptions<F32 | F64>): number;
  /** One loss per example (`reduction: 'none'`), from float32 or float64 arrays (either, for code written over both). */
  (anchor: F32 | F64, positive: F32 | F64, negative: F32 | F64, opts: O & EmbeddingNoneOptions<F32 | F64>): FloatArray;
  /** The gradient with respect to each embedding input, from float32 arrays: a float32 result. */
  grad(anchor: F32, positive: F32, negative: F32, opts: O & EmbeddingGradOptions<F32, T3>): Grads<T3, Float32Array>;
  /** The gradient with respect to each embedding input, from float64 arrays: a float64 result. */
  grad(anchor: F64, positive: F64, negative: F64, opts: O & EmbeddingGradOptions<F64, T3>): Grads<T3, Float64Array>;
  /** The gradient with respect to each embedding input, from float32 or float64 arrays (either, for code written over both). */
  grad(anchor: F32 | F64, positive: F32 | F64, negative: F32 | F64, opts: O & EmbeddingGradOptions<F32 | F64, T3>): Grads<T3, FloatArray>;
  /** The reduced loss and its gradient in one pass, from float32 arrays: a float32 result. */
  withGrad(
    anchor: F32,
    positive: F32,
    negative: F32,
    opts: O & EmbeddingGradOptions<F32, T3> & { reduction?: 'mean' | 'sum' },
  ): { loss: number; grad: Grads<T3, Float32Array> };
  /** The reduced loss and its gradient in one pass, from float64 arrays: a float64 result. */
  withGrad(
    anchor: F64,
    positive: F64,
    negative: F64,
    opts: O & EmbeddingGradOptions<F64, T3> & { reduction?: 'mean' | 'sum' },
  ): { loss: number; grad: Grads<T3, Float64Array> };
  /** Per-example losses and the gradient of their sum in one pass, from float32 arrays: a float32 result. */
  withGrad(
    anchor: F32,
    positive: F32,
    negative: F32,
    opts: O & EmbeddingGradOptions<F32, T3> & { reduction: 'none' },
  ): { loss: Float32Array; grad: Grads<T3, Float32Array> };
  /** Per-example losses and the gradient of their sum in one pass, from float64 arrays: a float64 result. */
  withGrad(
    anchor: F64,
    positive: F64,
    negative: F64,
    opts: O & EmbeddingGradOptions<F64, T3> & { reduction: 'none' },
  ): { loss: Float64Array; grad: Grads<T3, Float64Array> };
  /** Loss and gradient in one pass, from float32 or float64 arrays (either, for code written over both). */
  withGrad(
    anchor: F32 | F64,
    positive: F32 | F64,
    negative: F32 | F64,
    opts: O & EmbeddingGradOptions<F32 | F64, T3>,
  ): { loss: number | FloatArray; grad: Grads<T3, FloatArray> };
  /** A streaming accumulator with these options fixed (opts.dim required; reduction 'mean' or 'sum'; weights go to update). */
  create(opts: O & { dim: number; reduction?: 'mean' | 'sum' }): EmbeddingAccumulator;
  /** Restores an accumulator from its toJSON() state (or that state's JSON text). */
  fromJSON(state: AccumulatorState | string): EmbeddingAccumulator;
  /** The name it is exported under. */
  readonly lossName: string;
  /** Its own numeric options with their defaults and ranges (besides the common ones). */
  readonly options: readonly NumericOption[];
}

/** The common options of `grad` and `withGrad` of a three-input elementwise loss; `K` names its two gradients. */
export interface TernaryGradOptions<In, K extends string> {
  /**
   * The loss the gradients are of: 'mean' (Σ wᵢlᵢ / Σ wᵢ), 'sum', or 'none' (the gradients of the
   * sum of the per-example losses).
   * @defaultValue 'mean'
   */
  reduction?: 'mean' | 'sum' | 'none';
  /** One weight ≥ 0 per example. */
  weights?: In;
  /**
   * Arrays that receive the gradients (each optional, same dtype and length as the inputs; each may
   * be an input itself, not a shifted view of one) and are returned.
   */
  out?: { [key in K]?: In };
}

/**
 * A three-input elementwise loss `f(target, a, b, opts)`: an example is one element of each; `K`
 * names the gradients of a and b (gaussianNLL: 'mean' | 'variance', marginRanking: 'x1' | 'x2').
 */
export interface TernaryLoss<O, K extends string> {
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float32 arrays: a float32 result. */
  (target: F32, a: F32, b: F32, opts?: O & ReduceOptions<F32>): number;
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float64 arrays: a float64 result. */
  (target: F64, a: F64, b: F64, opts?: O & ReduceOptions<F64>): number;
  /** One loss per example (`reduction: 'none'`), from float32 arrays: a float32 result. */
  (target: F32, a: F32, b: F32, opts: O & NoneOptions<F32>): Float32Array;
  /** One loss per example (`reduction: 'none'`), from float64 arrays: a float64 result. */
  (target: F64, a: F64, b: F64, opts: O & NoneOptions<F64>): Float64Array;
  /** The loss reduced by `reduction` ('mean' by default, or 'sum'), from float32 or float64 arrays (either, for code written over both). */
  (target: F32 | F64, a: F32 | F64, b: F32 | F64, opts?: O & ReduceOptions<F32 | F64>): number;
  /** One loss per example (`reduction: 'none'`), from float32 or float64 arrays (either, for code written over both). */
  (target: F32 | F64, a: F32 | F64, b: F32 | F64, opts: O & NoneOptions<F32 | F64>): FloatArray;
  /** dL/da and dL/db, each the same dtype and length as the inputs; with reduction 'none', of the sum of the returned losses. */
  grad(target: F32, a: F32, b: F32, opts?: O & TernaryGradOptions<F32, K>): Grads<K, Float32Array>;
  /** The gradient with respect to each input, from float64 arrays: a float64 result. */
  grad(target: F64, a: F64, b: F64, opts?: O & TernaryGradOptions<F64, K>): Grads<K, Float64Array>;
  /** The gradient with respect to each input, from float32 or float64 arrays (either, for code written over both). */
  grad(target: F32 | F64, a: F32 | F64, b: F32 | F64, opts?: O & TernaryGradOptions<F32 | F64, K>): Grads<K, FloatArray>;
  /** The reduced loss and both gradients from one fused pass, from float32 arrays: a float32 result. */
  withGrad(
    target: F32,
    a: F32,
    b: F32,
    opts?: O & TernaryGradOptions<F32, K> & { reduction?: 'mean' | 'sum' },
  ): { loss: number; grad: Grads<K, Float32Array> };
  /** The reduced loss and both gradients in one pass, from float64 arrays: a float64 result. */
  withGrad(
    target: F64,
    a: F64,
    b: F64,
    opts?: O & TernaryGradOptions<F64, K> & { reduction?: 'mean' | 'sum' },
  ): { loss: number; grad: Grads<K, Float64Array> };
  /** Per-example losses and the gradients of their sum in one pass, from float32 arrays: a float32 result. */
  withGrad(
    target: F32,
    a: F32,
    b: F32,
    opts: O & TernaryGradOptions<F32, K> & { reduction: 'none' },
  ): { loss: Float32Array; grad: Grads<K, Float32Array> };
  /** Per-example losses and the gradients of their sum in one pass, from float64 arrays: a float64 result. */
  withGrad(
    target: F64,
    a: F64,
    b: F64,
    opts: O & TernaryGradOptions<F64, K> & { reduction: 'none' },
  ): { loss: Float64Array; grad: Grads<K, Float64Array> };
  /** Loss and gradients in one pass, from float32 or float64 arrays (either, for code written over both). */
  withGrad(
    target: F32 | F64,
    a: F32 | F64,
    b: F32 | F64,
    opts?: O & TernaryGradOptions<F32 | F64, K>,
  ): { loss: number | FloatArray; grad: Grads<K, FloatArray> };
  /** A streaming accumulator with these options fixed (reduction 'mean' or 'sum'; weights go to update). */
  create(opts?: O & { reduction?: 'mean' | 'sum' }): TernaryAccumulator;
  /** Restores an accumulator from its toJSON() state (or that state's JSON text). */
  fromJSON(state: AccumulatorState | string): TernaryAccumulator;
  /** The name it is exported under. */
  readonly lossName: string;
  /** Its own numeric options with their defaults and ranges (besides the common ones and its boolean options). */
  readonly options: readonly NumericOption[];
}

/** An accumulator of a three-input elementwise loss: batches of (target, a, b, weights?), any split, any dtype per batch. */
export interface TernaryAccumulator extends AccumulatorBase {
  /** Adds one batch of float32 arrays (weights optional, one per example); returns the accumulator. */
  update(target: F32, a: F32, b: F32, weights?: F32): this;
  /** Adds one batch of float64 arrays (weights optional, one per example); returns the accumulator. */
  update(target: F64, a: F64, b: F64, weights?: F64): this;
  /** Adds one batch of float32 or float64 arrays (weights optional, one per example); returns the accumulator. */
  update(target: F32 | F64, a: F32 | F64, b: F32 | F64, weights?: F32 | F64): this;
}
