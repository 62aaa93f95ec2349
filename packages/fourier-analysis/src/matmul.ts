// A matrix product whose right operand may be the caller's data, safe from tfjs-wasm's operator cache.
import * as tf from '@tensorflow/tfjs-core';

// tfjs-wasm 4.22 caches one XNNPACK operator per right matmul operand, keyed by that operand's data id but not its
// shape (batch_mat_mul_impl.cc: key {b_id, bias_id, clamp}). A reshape shares its input's data id, so the same data
// used as a right operand under two shapes (say neuron activations as [p, p*c] in one call and [p*p, c] in the next)
// reuses an operator built for the other shape: wrong numbers or "RuntimeError: memory access out of bounds". Rule
// here: a plain matMul's right operand is always a tensor made inside the same call (the basis, an intermediate), used
// in one shape; data the caller owns goes through matMulOnto below.

/**
 * a·b where b may be data the caller owns (or a reshape of it). The left operand is passed transposed with the
 * transposeA flag, which sends the product down tfjs-wasm's uncached loop (fine for the small a used here: a basis, a
 * few directions); other backends handle the flag natively.
 *
 * @example
 * const coefficients = matMulOnto(basis, E); // [p, p] x [p, d_model]: B·E without caching an operator on E's data
 */
export function matMulOnto(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(tf.transpose(a), b, true, false)); // [a rows, b columns]
}
