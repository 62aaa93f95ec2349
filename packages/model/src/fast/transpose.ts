// The transpose of a matrix for the fused path: @grokking/wasm-kernels' blocked kernel where the backend runs it
// (wasm; tfjs-wasm's own Transpose moves one float at a time), tf.transpose elsewhere.
import * as tf from '@tensorflow/tfjs-core';
import { transpose2d, transpose2dAvailable } from '@grokking/wasm-kernels';

/**
 * x^T for a float32 matrix x [rows, cols]: [cols, rows].
 *
 * @example
 * const dOutU = tf.matMul(transposeMatrix(post), dLogits); // [M, Vo]
 */
export function transposeMatrix(x: tf.Tensor2D): tf.Tensor2D {
  return transpose2dAvailable() ? transpose2d(x) : tf.transpose(x);
}
