/** The bridge's options: the loss's own, passed on; the ones that cannot hold for every batch refused when the loss is made. */
import { SimdlossError } from '../core/errors.js';

/**
 * Options of {@link tfLoss} and {@link tfMetric}: the loss's or metric's own options (its
 * `labelSmoothing`, `classWeights`, `delta`, `margin`, `k` …, under the names simdloss documents),
 * passed on to every call, with `classes` and `dim` read from the tensors when not given.
 */
export interface TfBridgeOptions {
  /**
   * 'mean' over the batch's examples (class-weighted where the loss says so), or 'sum'. 'none'
   * is refused: model.fit and tf.customGrad take one scalar per batch.
   * @defaultValue 'mean'
   */
  reduction?: 'mean' | 'sum';
  /**
   * Values per row, for row-wise (multi-class) losses and metrics.
   * @defaultValue yPred's last axis
   */
  classes?: number;
  /**
   * Values per input row, for embedding losses (yPred holds the inputs side by side).
   * @defaultValue yPred's last axis divided by the number of inputs (2, or 3 for triplet)
   */
  dim?: number;
  /** Any other option of the loss, as its own documentation names it. */
  [option: string]: unknown;
}

/** Options that belong to one call of the array API, not to a loss used on every batch. */
const PER_CALL: Record<string, string> = {
  weights: 'per-example weights differ from batch to batch: pass them as the third tensor, lossFn(yTrue, yPred, weights)',
  out: 'the gradient goes back to TensorFlow.js as a tensor',
  accuracy: 'compile the accuracy as a metric: tfMetric(sparseCategoricalAccuracy) or tfMetric(categoricalAccuracy)',
};

/** The options checked for what the bridge itself cannot take; the rest is checked by the loss on the first batch. */
export function bridgeOptions(fn: string, opts: unknown): Record<string, unknown> {
  if (opts === undefined) return {};
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    throw new SimdlossError(`${fn}: opts must be an object of the loss's options; got ${opts === null ? 'null' : typeof opts}`, 'opts');
  }
  const o = opts as Record<string, unknown>;
  for (const name of Object.keys(PER_CALL)) {
    if (o[name] !== undefined) throw new SimdlossError(`${fn}: opts.${name} is not taken here: ${PER_CALL[name]}`, `opts.${name}`);
  }
  if (o.reduction === 'none') {
    throw new SimdlossError(
      `${fn}: opts.reduction must be 'mean' or 'sum' (one scalar per batch, as model.fit takes); got 'none'`,
      'opts.reduction',
    );
  }
  return { ...o };
}
