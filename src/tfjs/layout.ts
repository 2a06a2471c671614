/**
 * How a (yTrue, yPred) pair of tensors becomes the arrays of a simdloss call, by the loss's shape
 * (its family), and how the gradient goes back into yPred's layout. No loss is named here: a new
 * loss of an existing family is laid out by its family.
 *
 * - elementwise: yTrue and yPred of one shape (axes of length 1 aside), one example per element.
 * - rows: yPred's last axis is `classes` (unless given); yTrue is one label per row (int32, or
 *   float32 whole numbers: [batch] or [batch, 1]) or a dense target of yPred's size.
 * - embedding: yPred's last axis holds the inputs side by side, `dim` values each
 *   ([a | b], [anchor | positive | negative]; a [batch, k, dim] stack is the same layout with
 *   `dim` given); yTrue is one label per row, or is not read by a loss without labels.
 * - ternary: yPred's last axis holds the two inputs side by side, half of it each ([mean | variance]);
 *   yTrue holds one target per element of a half.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { SimdlossError } from '../core/errors.js';
import type { Shape } from '../core/shape.js';
import { floats, labels } from './read.js';

/** One call's arrays and options, and the way back for its gradient. */
export interface Layout {
  /** The arrays in the loss's argument order. */
  args: unknown[];
  /** The options with `classes` or `dim` filled in from the tensors. */
  opts: Record<string, unknown>;
  /** dL/dyPred in yPred's layout, from what the loss's withGrad returned as `grad`. */
  gradient(grad: unknown): Float32Array;
}

type Options = Record<string, unknown>;

/** The arrays of one call of a loss of this shape. */
export function layOut(shape: Shape, fn: string, yTrue: Tensor, yPred: Tensor, opts: Options): Layout {
  switch (shape.kind) {
    case 'elementwise':
      return elementwise(fn, yTrue, yPred, opts);
    case 'rows':
      return rows(shape.target, fn, yTrue, yPred, opts);
    case 'embedding':
      return sideBySide(fn, yTrue, yPred, opts, shape.inputs, shape.label ? 'label' : 'none', 'dim');
    case 'ternary':
      return sideBySide(fn, yTrue, yPred, opts, shape.inputs, 'element', undefined);
  }
}

function elementwise(fn: string, yTrue: Tensor, yPred: Tensor, opts: Options): Layout {
  sameShape(fn, yTrue, yPred);
  return { args: [floats(fn, 'yTrue', yTrue), floats(fn, 'yPred', yPred)], opts, gradient: (g) => g as Float32Array };
}

function rows(target: 'labels' | 'dense', fn: string, yTrue: Tensor, yPred: Tensor, opts: Options): Layout {
  const classes = opts.classes ?? lastAxis(fn, yPred);
  const pred = floats(fn, 'yPred', yPred);
  const count = typeof classes === 'number' ? yPred.size / classes : Number.NaN;
  const y = target === 'labels' ? labelsOf(fn, yTrue, yPred, count) : denseOf(fn, yTrue, yPred);
  return { args: [y, pred], opts: { ...opts, classes }, gradient: (g) => g as Float32Array };
}

function labelsOf(fn: string, yTrue: Tensor, yPred: Tensor, count: number): Int32Array {
  // classes that do not divide yPred are the loss's to refuse, by its own message
  if (Number.isInteger(count)) sizes(fn, yTrue, yPred, count, 'one label per row of yPred');
  return labels(fn, 'yTrue', yTrue);
}

function denseOf(fn: string, yTrue: Tensor, yPred: Tensor): Float32Array {
  sameShape(fn, yTrue, yPred);
  return floats(fn, 'yTrue', yTrue);
}

/**
 * k inputs side by side on yPred's last axis, `width` values each: split into k arrays (a copy;
 * simdloss's kernels take each input whole), the gradients joined back the same way. `target`:
 * one label per row, one target value per element of an input, or none (yTrue not read).
 */
function sideBySide(
  fn: string,
  yTrue: Tensor,
  yPred: Tensor,
  opts: Options,
  inputs: readonly string[],
  target: 'label' | 'element' | 'none',
  widthOption: 'dim' | undefined,
): Layout {
  const k = inputs.length;
  const given = widthOption === undefined ? undefined : opts[widthOption];
  const width = given ?? lastAxis(fn, yPred) / k;
  if (typeof width !== 'number' || !Number.isInteger(width) || width < 1 || yPred.size % (k * width) !== 0) {
    throw new SimdlossError(
      `${fn}: yPred [${yPred.shape}] must hold its ${k} inputs side by side on its last axis ([${inputs.join(' | ')}], ` +
        `${given === undefined ? `each 1/${k} of it` : `each opts.${widthOption} = ${given} wide`}); got a last axis of ${yPred.shape.at(-1)}`,
      given === undefined ? 'yPred' : `opts.${widthOption}`,
    );
  }
  const rowCount = yPred.size / (k * width);
  const parts = split(floats(fn, 'yPred', yPred), k, width);
  const args: unknown[] = [...parts];
  if (target !== 'none') {
    sizes(
      fn,
      yTrue,
      yPred,
      target === 'label' ? rowCount : rowCount * width,
      target === 'label' ? 'one label per row' : 'one per element of an input',
    );
    args.unshift(floats(fn, 'yTrue', yTrue));
  }
  return {
    args,
    opts: widthOption === undefined ? opts : { ...opts, [widthOption]: width },
    gradient: (g) =>
      join(
        inputs.map((name) => (g as Record<string, Float32Array>)[name]!),
        width,
      ),
  };
}

function split(packed: Float32Array, k: number, width: number): Float32Array[] {
  const rowCount = packed.length / (k * width);
  const parts = Array.from({ length: k }, () => new Float32Array(rowCount * width));
  for (let j = 0; j < k; j++) {
    const part = parts[j]!;
    for (let r = 0; r < rowCount; r++) {
      const from = (r * k + j) * width;
      for (let c = 0; c < width; c++) part[r * width + c] = packed[from + c]!;
    }
  }
  return parts;
}

function join(parts: Float32Array[], width: number): Float32Array {
  const k = parts.length;
  const rowCount = parts[0]!.length / width;
  const packed = new Float32Array(rowCount * k * width);
  for (let j = 0; j < k; j++) {
    const part = parts[j]!;
    for (let r = 0; r < rowCount; r++) {
      const to = (r * k + j) * width;
      for (let c = 0; c < width; c++) packed[to + c] = part[r * width + c]!;
    }
  }
  return packed;
}

function lastAxis(fn: string, t: Tensor): number {
  if (t.rank === 0) throw new SimdlossError(`${fn}: yPred must have at least one axis; got a scalar`, 'yPred');
  return t.shape[t.rank - 1]!;
}

/**
 * yTrue of yPred's shape, axes of length 1 aside ([batch] for [batch, 1]): a size that differs is
 * refused, never broadcast, and so is the same size in another shape (a transposed target).
 */
function sameShape(fn: string, yTrue: Tensor, yPred: Tensor): void {
  sizes(fn, yTrue, yPred, yPred.size, 'the size of yPred');
  const [t, p] = [yTrue, yPred].map((x) => x.shape.filter((d) => d !== 1).join(','));
  if (t !== p) {
    throw new SimdlossError(
      `${fn}: yTrue [${yTrue.shape}] must have the shape of yPred [${yPred.shape}] (axes of length 1 aside)`,
      'yTrue',
    );
  }
}

/** yTrue's size as the layout needs it: sizes that differ are refused, never broadcast. */
function sizes(fn: string, yTrue: Tensor, yPred: Tensor, want: number, what: string): void {
  if (yTrue.size !== want) {
    throw new SimdlossError(
      `${fn}: yTrue [${yTrue.shape}] must have ${what} (${want}) for yPred [${yPred.shape}]; got ${yTrue.size}`,
      'yTrue',
    );
  }
}
