// TransformerLens' LayerNorm: centre, divide by sqrt(mean square + eps), then scale by w and shift by b.
import * as tf from '@tensorflow/tfjs-core';
import { LN_EPS } from '../config';
import type { LayerNormHook } from '../hooks';
import { perModel, stackedModels } from './stack';

/** A LayerNorm's parameters: w and b, [d_model] each ([K, d_model] stacked, see stack.ts). */
export interface LayerNormParams {
  w: tf.Tensor1D | tf.Tensor2D;
  b: tf.Tensor1D | tf.Tensor2D;
}

/**
 * Normalises the last axis: x [batch, pos, d_model] -> [batch, pos, d_model]. Hooks: `hook_scale`
 * [batch, pos, 1] (the divisor) and `hook_normalized` [batch, pos, d_model] (the output, after w and b).
 *
 * @example
 * layerNorm({ w: tf.ones([4]), b: tf.zeros([4]) }, x, (_name, t) => t); // each row: mean 0, mean square ~1
 */
export function layerNorm(
  params: LayerNormParams,
  x: tf.Tensor3D,
  hook: <T extends tf.Tensor>(name: LayerNormHook, t: T) => T,
): tf.Tensor3D {
  const centred = tf.sub(x, tf.mean(x, -1, true)); // [batch, pos, d_model]
  const scale = hook('hook_scale', tf.sqrt(tf.add(tf.mean(tf.square(centred), -1, true), LN_EPS)) as tf.Tensor3D); // [batch, pos, 1]
  const unit = tf.div(centred, scale) as tf.Tensor3D; // [batch, pos, d_model]
  const models = stackedModels(params.w, 1);
  const normalized = models === null
    ? tf.add(tf.mul(unit, params.w), params.b) as tf.Tensor3D // [batch, pos, d_model]
    : perModel(unit, models, (rows) => tf.add(tf.mul(rows, tf.expandDims(params.w, 1)), tf.expandDims(params.b, 1))); // w, b [K, 1, d_model]
  return hook('hook_normalized', normalized);
}
