// Causal multi-head attention with TransformerLens' parameter shapes and hooks. Queries may come from a subset of
// positions (only the scored ones), while keys and values come from every position.
import * as tf from '@tensorflow/tfjs-core';
import type { AttentionHook } from '../hooks';
import { add } from './elementwise';
import { linear, matmul } from './matmul';
import { stackedModels } from './stack';

/**
 * Attention parameters: W_Q/W_K/W_V [n_heads, d_model, d_head], W_O [n_heads, d_head, d_model], b_Q/b_K/b_V
 * [n_heads, d_head], b_O [d_model]; each with a leading [K] when stacked (see stack.ts).
 */
export interface AttentionParams {
  W_Q: tf.Tensor3D | tf.Tensor4D;
  W_K: tf.Tensor3D | tf.Tensor4D;
  W_V: tf.Tensor3D | tf.Tensor4D;
  W_O: tf.Tensor3D | tf.Tensor4D;
  b_Q: tf.Tensor2D | tf.Tensor3D;
  b_K: tf.Tensor2D | tf.Tensor3D;
  b_V: tf.Tensor2D | tf.Tensor3D;
  b_O: tf.Tensor1D | tf.Tensor2D;
}

/**
 * x [batch, pos, d_model] through per-head weights W [n_heads, d_model, d_head] plus bias [n_heads, d_head] ->
 * [batch, pos, n_heads, d_head] (stacked: W [K, n_heads, d_model, d_head], bias [K, n_heads, d_head]).
 */
function headProjection(x: tf.Tensor3D, W: tf.Tensor3D | tf.Tensor4D, bias: tf.Tensor2D | tf.Tensor3D): tf.Tensor4D {
  const [batch, pos] = x.shape;
  const models = stackedModels(W, 3);
  const [nHeads, dModel, dHead] = W.shape.slice(-3) as [number, number, number];
  const flatW = models === null
    ? tf.reshape(tf.transpose(W, [1, 0, 2]), [dModel, nHeads * dHead]) as tf.Tensor2D // [d_model, n_heads * d_head]
    : tf.reshape(tf.transpose(W, [0, 2, 1, 3]), [models, dModel, nHeads * dHead]) as tf.Tensor3D; // [K, d_model, n_heads * d_head]
  const flatBias = tf.reshape(bias, models === null ? [nHeads * dHead] : [models, nHeads * dHead]) as tf.Tensor1D | tf.Tensor2D; // [(K,) n_heads * d_head]
  return tf.reshape(linear(x, flatW, flatBias), [batch, pos, nHeads, dHead]); // [batch, pos, n_heads, d_head]
}

/**
 * The additive causal mask [query_pos, key_pos]: 0 where key <= the query's position, -Infinity elsewhere
 * (TransformerLens masks with -inf too, so masked scores in `hook_attn_scores` read -Infinity).
 *
 * @example
 * causalMask([0, 2], 3); // [[0, -inf, -inf], [0, 0, 0]]
 */
export function causalMask(queryPositions: readonly number[], nKeys: number): tf.Tensor2D {
  const values = new Float32Array(queryPositions.length * nKeys);
  queryPositions.forEach((q, i) => values.fill(-Infinity, i * nKeys + q + 1, (i + 1) * nKeys));
  return tf.tensor2d(values, [queryPositions.length, nKeys]);
}

/**
 * Causal attention. queryIn [batch, q, d_model] holds the residual at `queryPositions` (q of them);
 * keyIn [batch, pos, d_model] holds every position. Returns the attention output [batch, q, d_model].
 * Hooks: hook_q [batch, q, n_heads, d_head]; hook_k, hook_v [batch, pos, n_heads, d_head];
 * hook_attn_scores, hook_pattern [batch, n_heads, q, pos]; hook_z [batch, q, n_heads, d_head].
 * Scores are divided by sqrt(d_head) before the mask and softmax.
 *
 * @example
 * attention(params, resid, resid, [0, 1, 2], (_name, t) => t); // [batch, 3, d_model]
 */
export function attention(
  params: AttentionParams,
  queryIn: tf.Tensor3D,
  keyIn: tf.Tensor3D,
  queryPositions: readonly number[],
  hook: <T extends tf.Tensor>(name: AttentionHook, t: T) => T,
): tf.Tensor3D {
  const [batch, nQuery] = queryIn.shape;
  const nKey = keyIn.shape[1];
  const models = stackedModels(params.W_O, 3);
  const [nHeads, dHead, dModel] = params.W_O.shape.slice(-3) as [number, number, number];
  const q = hook('hook_q', headProjection(queryIn, params.W_Q, params.b_Q)); // [batch, q, n_heads, d_head]
  const k = hook('hook_k', headProjection(keyIn, params.W_K, params.b_K)); // [batch, pos, n_heads, d_head]
  const v = hook('hook_v', headProjection(keyIn, params.W_V, params.b_V)); // [batch, pos, n_heads, d_head]

  const qHeads = tf.reshape(tf.transpose(q, [0, 2, 1, 3]), [batch * nHeads, nQuery, dHead]) as tf.Tensor3D; // [batch * n_heads, q, d_head]
  const kHeads = tf.reshape(tf.transpose(k, [0, 2, 1, 3]), [batch * nHeads, nKey, dHead]) as tf.Tensor3D; // [batch * n_heads, pos, d_head]
  const raw = tf.reshape(matmul(qHeads, kHeads, true), [batch, nHeads, nQuery, nKey]); // [batch, n_heads, q, pos]
  const scaled = tf.div(raw, Math.sqrt(dHead)); // [batch, n_heads, q, pos]
  const scores = hook('hook_attn_scores', add(scaled, causalMask(queryPositions, nKey)) as tf.Tensor4D); // [batch, n_heads, q, pos]
  const pattern = hook('hook_pattern', tf.softmax(scores)); // [batch, n_heads, q, pos]

  const vHeads = tf.reshape(tf.transpose(v, [0, 2, 1, 3]), [batch * nHeads, nKey, dHead]) as tf.Tensor3D; // [batch * n_heads, pos, d_head]
  const mixed = matmul(tf.reshape(pattern, [batch * nHeads, nQuery, nKey]) as tf.Tensor3D, vHeads); // [batch * n_heads, q, d_head]
  const z = hook('hook_z', tf.transpose(tf.reshape(mixed, [batch, nHeads, nQuery, dHead]), [0, 2, 1, 3]) as tf.Tensor4D); // [batch, q, n_heads, d_head]
  const flatZ = tf.reshape(z, [batch, nQuery, nHeads * dHead]) as tf.Tensor3D; // [batch, q, n_heads * d_head]
  const flatW_O = tf.reshape(params.W_O, models === null ? [nHeads * dHead, dModel] : [models, nHeads * dHead, dModel]) as tf.Tensor2D | tf.Tensor3D; // [(K,) n_heads * d_head, d_model]
  return linear(flatZ, flatW_O, params.b_O); // [batch, q, d_model]
}
