// Matrix plumbing for the fused path and the general one: multiply, transpose, slice and concatenate with
// @grokking/wasm-kernels' kernels where the backend runs them (wasm, where tfjs' own Transpose moves one float at a
// time, its Slice copies the whole input out to JavaScript first, and every product wakes XNNPACK's threads), with
// tfjs' ops elsewhere. Matrices only: float32 or int32, rank 2.
import * as tf from '@tensorflow/tfjs-core';
import {
  batchMatMul, batchMatMulAvailable, concat2d, matrixCopyAvailable, pad2d, slice2d, transpose2d, transpose2dAvailable,
  type MatrixPadding,
} from '@grokking/wasm-kernels';

/**
 * Up to this many multiply-adds, a product on wasm runs as the batched product kernel on one thread: below it,
 * handing the product to XNNPACK's threads costs more than the product itself.
 */
export const ONE_THREAD_MACS = 1 << 21;

/**
 * a [m, k] @ b [k, n]: [m, n]. On wasm a small product (at most {@link ONE_THREAD_MACS} multiply-adds) is the batched
 * kernel on one thread; a larger one, or any on another backend, tf.matMul.
 *
 * @example
 * const logits = matrixProduct(post, ro.OutU); // [B, Vo]
 */
export function matrixProduct(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const small = a.shape[0] * a.shape[1] * b.shape[1] <= ONE_THREAD_MACS;
  return small && batchMatMulAvailable() ? batchMatMul(a, b) : tf.matMul(a, b);
}

/**
 * x^T for a float32 matrix x [rows, cols]: [cols, rows].
 *
 * @example
 * const dOutU = matrixProduct(transposeMatrix(post), dLogits); // [M, Vo]
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

/**
 * Matrix x with zero rows above and below and zero columns left and right: `pad` = [[top, bottom], [left, right]].
 * On wasm the copy kernel (tfjs-wasm's PadV2 wakes XNNPACK's threads); with no padding, x itself.
 *
 * @example
 * const dTPQ = padMatrix(dQrow, [[q, n - 1 - q], [0, 0]]); // [n, D]: only row q non-zero
 */
export function padMatrix(x: tf.Tensor2D, pad: MatrixPadding): tf.Tensor2D {
  if (pad.every(([before, after]) => before === 0 && after === 0)) return x;
  return matrixCopyAvailable() ? pad2d(x, pad) : tf.pad(x, pad);
}
