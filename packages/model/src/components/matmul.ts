// The one place this package multiplies matrices. Plain products only (no transpose flags: tfjs-wasm sends only
// un-transposed matmuls to its fast path), so callers transpose explicitly; a later custom gradient goes here.
import * as tf from '@tensorflow/tfjs-core';

/**
 * `a @ b` for 2-D matrices or batches of them (3-D, same batch size).
 *
 * @example
 * matmul(tf.ones([2, 3]), tf.ones([3, 4])); // [2, 4], every entry 3
 */
export function matmul<T extends tf.Tensor2D | tf.Tensor3D>(a: T, b: T): T {
  return tf.matMul(a, b) as T;
}

/**
 * An affine map on the last axis: `x @ w + bias`, for x of any rank >= 2.
 *
 * @example
 * linear(tf.ones([2, 5, 3]), tf.ones([3, 4]), tf.zeros([4])); // [2, 5, 4]
 */
export function linear<R extends tf.Rank>(x: tf.Tensor<R>, w: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor<R> {
  const [dIn, dOut] = w.shape;
  const lead = x.shape.slice(0, -1);
  const flat = tf.reshape(x, [-1, dIn]) as tf.Tensor2D; // [rows, d_in]
  const product = matmul(flat, w); // [rows, d_out]
  const withBias = bias === undefined ? product : tf.add(product, bias); // [rows, d_out]
  return tf.reshape(withBias, [...lead, dOut]) as tf.Tensor as tf.Tensor<R>;
}
