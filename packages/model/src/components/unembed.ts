// The unembedding: residual stream to logits.
import type * as tf from '@tensorflow/tfjs-core';
import { linear } from './matmul';

/**
 * x [batch, pos, d_model] -> logits [batch, pos, d_vocab_out] = x @ W_U + b_U (stacked: W_U [K, d_model, d_vocab_out],
 * b_U [K, d_vocab_out], x model-major; see stack.ts).
 *
 * @example
 * unembed(W_U, b_U, resid); // [batch, pos, d_vocab_out]
 */
export function unembed(W_U: tf.Tensor2D | tf.Tensor3D, b_U: tf.Tensor1D | tf.Tensor2D, x: tf.Tensor3D): tf.Tensor3D {
  return linear(x, W_U, b_U);
}
