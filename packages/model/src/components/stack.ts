// Stacked weights: K models of one shape train as one, each parameter with a leading model axis ([K, ...shape]).
// Their activations run as one batch, model-major ([K * batch, ...]: model k owns rows k * batch to (k + 1) * batch
// - 1), so attention, activations and the softmax need nothing new; only a product with a parameter, a parameter
// added or multiplied in, and the embedding know the model axis. One product per layer serves all K models.
import * as tf from '@tensorflow/tfjs-core';

/**
 * How many models a parameter stacks: its leading axis when it has one more axis than the unstacked parameter
 * (`rank`), else null.
 *
 * @example
 * stackedModels(tf.zeros([4, 128, 512]), 2); // 4 (a stacked W_in)
 * stackedModels(tf.zeros([128, 512]), 2); // null
 */
export function stackedModels(param: tf.Tensor, rank: number): number | null {
  if (param.rank === rank) return null;
  if (param.rank !== rank + 1) throw new Error(`a parameter of rank ${rank} or ${rank + 1} (stacked) was expected, got shape [${param.shape}]`);
  return param.shape[0]!;
}

/**
 * Applies `f` to activations x [K * batch, ..., d] viewed per model as [K, rows, d], so that a stacked parameter
 * [K, 1, d] broadcasts over each model's rows; returns the result in x's shape.
 *
 * @example
 * perModel(x, 4, (rows) => tf.add(rows, tf.reshape(b, [4, 1, d]))); // a per-model bias
 */
export function perModel<T extends tf.Tensor>(x: T, models: number, f: (rows: tf.Tensor3D) => tf.Tensor): T {
  const d = x.shape[x.rank - 1]!;
  const rows = tf.reshape(x, [models, -1, d]) as tf.Tensor3D; // [K, rows, d]
  return tf.reshape(f(rows), x.shape) as T;
}
