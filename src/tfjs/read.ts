/**
 * Tensors read as typed arrays for a simdloss call: float32 everywhere (TensorFlow.js has no
 * float64 to match simdloss's float64 kernels), and class labels also from int32. `dataSync()`
 * waits for the backend and copies the values out where they live on a device (webgl); on the cpu
 * backend it is the tensor's own storage, which simdloss only reads.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { SimdlossError } from '../core/errors.js';

/** The argument as a tensor, or an error naming it. */
export function tensorArg(fn: string, name: string, t: unknown): Tensor {
  const tensor = t as Tensor | undefined;
  if (typeof tensor?.dataSync !== 'function' || !Array.isArray(tensor.shape)) {
    throw new SimdlossError(`${fn}: ${name} must be a TensorFlow.js tensor; got ${t === null ? 'null' : typeof t}`, name);
  }
  return tensor;
}

/** A float32 tensor's values; any other dtype is refused with the cast that fixes it. */
export function floats(fn: string, name: string, tensor: Tensor): Float32Array {
  if (tensor.dtype !== 'float32') {
    throw new SimdlossError(
      `${fn}: ${name} must be a float32 tensor (simdloss/tfjs computes in float32; cast with tf.cast(${name}, 'float32')); got ${tensor.dtype}`,
      name,
    );
  }
  const values = tensor.dataSync();
  // the cpu backend keeps a bool tensor cast to float32 in its Uint8Array: read as numbers
  return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
}

/**
 * Class labels, one per row: an int32 tensor, or a float32 one holding whole numbers (model.fit
 * hands targets over as float32). A fraction is refused with its index, not truncated.
 */
export function labels(fn: string, name: string, tensor: Tensor): Int32Array {
  if (tensor.dtype === 'int32') return tensor.dataSync() as Int32Array;
  const values = floats(fn, name, tensor);
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || (v | 0) !== v) {
      throw new SimdlossError(`${fn}: ${name}[${i}] must be a whole class index (an int32); got ${v}`, name, i);
    }
    out[i] = v;
  }
  return out;
}
