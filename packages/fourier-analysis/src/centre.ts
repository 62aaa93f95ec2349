// Centring a matrix's rows (subtracting each row's mean).
import * as tf from '@tensorflow/tfjs-core';

// Centring by an outer product (a matmul whose right operand is a fresh row of ones) and a same-shape subtraction:
// tfjs-cpu's broadcasting subtraction walks indices element by element (~0.5 µs each), which made a [p*p, p] centring
// take most of a second.

/**
 * Subtracts each row's mean over the columns: A - (A 1 / c) 1ᵀ for A [m, c].
 *
 * @example
 * centreRows(tf.tensor2d([[1, 3], [2, 6]])); // [[-1, 1], [-2, 2]]
 */
export function centreRows(A: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const c = A.shape[1];
    const means = tf.div(tf.sum(A, 1, true), c); // [m, 1]
    return tf.sub(A, tf.matMul(means, tf.ones([1, c]))); // [m, c]
  });
}
