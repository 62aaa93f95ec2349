// The MLP sublayer: W_in, activation, W_out, with TransformerLens' hooks on the hidden layer.
import * as tf from '@tensorflow/tfjs-core';
import type { ActFn } from '../config';
import { linear } from './matmul';

/**
 * An MLP sublayer's parameters: W_in [d_model, d_mlp], b_in [d_mlp], W_out [d_mlp, d_model], b_out [d_model]; each
 * with a leading [K] when stacked (see stack.ts).
 */
export interface MlpParams {
  W_in: tf.Tensor2D | tf.Tensor3D;
  b_in: tf.Tensor1D | tf.Tensor2D;
  W_out: tf.Tensor2D | tf.Tensor3D;
  b_out: tf.Tensor1D | tf.Tensor2D;
}

/**
 * ReLU, or GELU in its exact form x Phi(x) = x (1 + erf(x / sqrt 2)) / 2 (PyTorch's and TransformerLens' `gelu`).
 *
 * @example
 * activation('relu', tf.tensor1d([-1, 2])); // [0, 2]
 */
export function activation<T extends tf.Tensor>(actFn: ActFn, x: T): T {
  if (actFn === 'relu') return tf.relu(x);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)) as T;
}

/**
 * x [batch, pos, d_model] -> [batch, pos, d_model]. Hooks: `hook_pre` and `hook_post`, [batch, pos, d_mlp].
 *
 * @example
 * mlp(params, 'relu', x, (_name, t) => t); // [batch, pos, d_model]
 */
export function mlp(
  params: MlpParams,
  actFn: ActFn,
  x: tf.Tensor3D,
  hook: <T extends tf.Tensor>(name: 'hook_pre' | 'hook_post', t: T) => T,
): tf.Tensor3D {
  const pre = hook('hook_pre', linear(x, params.W_in, params.b_in)); // [batch, pos, d_mlp]
  const post = hook('hook_post', activation(actFn, pre)); // [batch, pos, d_mlp]
  return linear(post, params.W_out, params.b_out); // [batch, pos, d_model]
}
