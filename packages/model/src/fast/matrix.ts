// Matrix plumbing for the fused path: transpose, slice and concatenate with @grokking/wasm-kernels' kernels where
// the backend runs them (wasm, where tfjs' own Transpose moves one float at a time and its Slice copies the whole
// input out to JavaScript first), with tfjs' ops elsewhere. Matrices only: float32 or int32, rank 2.
import * as tf from '@tensorflow/tfjs-core';
import { concat2d, matrixCopyAvailable, slice2d, transpose2d, transpose2dAvailable } from '@grokking/wasm-kernels';

/**
 * x^T for a float32 matrix x [rows, cols]: [cols, rows].
 *
 * @example
 * const dOutU = tf.matMul(transposeMatrix(post), dLogits); // [M, Vo]
 */
export function transposeMatrix(x: tf.Tensor2D): tf.Tensor2D {
  return transpose2dAvailable() ? transpose2d(x) : tf.transpose(x);
}

/**
 * The [rows, cols] block of matrix x at [r0, c0].
 *
 * @example
 * const OI = sliceMatrix(PR, [Q, 0], [D, M]); // [D, M]
 */
export function sliceMatrix(x: tf.Tensor, begin: [number, number], size: [number, number]): tf.Tensor2D {
  return matrixCopyAvailable() ? slice2d(x as tf.Tensor2D, begin, size) : (tf.slice(x, begin, size) as tf.Tensor2D);
}

/**
 * Matrices stacked (axis 0) or side by side (axis 1).
 *
 * @example
 * const WIU = concatMatrices([W_in, W_U], 1); // [d, M + Vo]
 */
export function concatMatrices(xs: readonly tf.Tensor[], axis: 0 | 1): tf.Tensor2D {
  return matrixCopyAvailable() ? concat2d(xs as tf.Tensor2D[], axis) : (tf.concat(xs as tf.Tensor2D[], axis) as tf.Tensor2D);
}
