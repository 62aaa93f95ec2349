// Attention through the embedding. With one layer and no LayerNorm, the residual at position j is
// W_E[t_j] + W_pos[j], so every query, key and value is a row of a small table indexed by (position, token):
//   T = [W_E; W_pos[0..n)] @ [W_Q | W_K | W_V] (+ biases on the position rows),
// and the attention score of head h between query token a (at q) and key token b at position j is one entry of
//   S[a, h, j, b] = <Q_h(a), K_h(j, b)> / sqrt(d_head),
// a [Q * H, n * V] table made by one matmul of the queries, split by head (each row keeps one head's columns),
// with the keys. Examples then pick entries. The queries are those of every token (Q = V) or of the given query
// rows only (queryRows: the batch's distinct query tokens).
import * as tf from '@tensorflow/tfjs-core';
import type { FastSizes, OneLayerParams } from './sizes';
import { add, mul } from '../components/elementwise';
import { concatMatrices, matrixProduct, padMatrix, sliceMatrix, transposeMatrix } from './matrix';
import type { TensorMap } from './saved';

/** Per-head weights [H, d, dh] side by side as [d, H * dh] (TransformerLens' head-major order of columns). */
function flatHeads(W: tf.Tensor3D, s: FastSizes): tf.Tensor2D {
  return tf.reshape(tf.transpose(W, [1, 0, 2]), [s.d, s.D]); // [d, D]
}

/** The inverse of {@link flatHeads}: [d, H * dh] -> [H, d, dh]. */
function unflatHeads(W: tf.Tensor2D, s: FastSizes): tf.Tensor3D {
  return tf.transpose(tf.reshape(W, [s.d, s.H, s.dh]), [1, 0, 2]); // [H, d, dh]
}

/** [1, H, D]: 1 where column e belongs to head h. */
function headMask(s: FastSizes): tf.Tensor3D {
  const values = new Float32Array(s.H * s.D);
  for (let h = 0; h < s.H; h++) values.fill(1, h * s.D + h * s.dh, h * s.D + (h + 1) * s.dh);
  return tf.tensor3d(values, [1, s.H, s.D]); // [1, H, D]
}

/** What the attention tables' backward needs. */
export interface AttentionTablesSaved {
  X: tf.Tensor2D; // [V + n, d] token rows then position rows
  WQKV: tf.Tensor2D; // [d, 3D]
  Qheads: tf.Tensor2D; // [Q * H, D]: queries at position q over sqrt(dh), row (a, h) keeping head h's columns
  K: tf.Tensor2D; // [n * V, D] keys
}

/** Maps every tensor of {@link AttentionTablesSaved} (see saved.ts). @example mapAttentionTablesSaved(saved, (t) => t); */
export function mapAttentionTablesSaved(saved: AttentionTablesSaved, map: TensorMap): AttentionTablesSaved {
  return { X: map(saved.X), WQKV: map(saved.WQKV), Qheads: map(saved.Qheads), K: map(saved.K) };
}

/** The tables the examples read: scores S (flat) and values by (position, token). */
export interface AttentionTables {
  scores: tf.Tensor1D; // [Q * H * n * V]: S[a, h, j, b] at ((a * H + h) * n + j) * V + b, a the query row
  values: tf.Tensor2D; // [n * V, D]: V(j, b) at row j * V + b
  saved: AttentionTablesSaved;
}

/**
 * Builds the score and value tables from the parameters. `queryRows` [Q, 1] int32 picks the query tokens (all V
 * when null).
 *
 * @example
 * const { scores, values } = attentionTables(params, fastSizes(config, batch, 2), null);
 */
export function attentionTables(p: OneLayerParams, s: FastSizes, queryRows: tf.Tensor2D | null): AttentionTables {
  const { V, Q, D, H, n, q, d } = s;
  const WQKV = concatMatrices([flatHeads(p.W_Q, s), flatHeads(p.W_K, s), flatHeads(p.W_V, s)], 1); // [d, 3D]
  const bQKV = tf.concat([tf.reshape(p.b_Q, [D]), tf.reshape(p.b_K, [D]), tf.reshape(p.b_V, [D])]); // [3D]
  const X = concatMatrices([p.W_E, sliceMatrix(p.W_pos, [0, 0], [n, d])], 0); // [V + n, d]
  const T = matrixProduct(X, WQKV); // [V + n, 3D]
  const TE = sliceMatrix(T, [0, 0], [V, 3 * D]); // [V, 3D] token rows
  const TP = add(sliceMatrix(T, [V, 0], [n, 3 * D]), bQKV); // [n, 3D] position rows with biases
  const scale = 1 / Math.sqrt(s.dh);
  const Qall = tf.mul(add(sliceMatrix(TE, [0, 0], [V, D]), sliceMatrix(TP, [q, 0], [1, D])), scale); // [V, D]
  const Qs = queryRows ? tf.gatherND(Qall, queryRows) : Qall; // [Q, D]
  const Qheads = tf.reshape(mul(tf.reshape(Qs, [Q, 1, D]), headMask(s)), [Q * H, D]) as tf.Tensor2D; // [Q * H, D]
  const KV = add(tf.reshape(sliceMatrix(TE, [0, D], [V, 2 * D]), [1, V, 2 * D]), tf.reshape(sliceMatrix(TP, [0, D], [n, 2 * D]), [n, 1, 2 * D])); // [n, V, 2D]
  const KVflat = tf.reshape(KV, [n * V, 2 * D]); // [n * V, 2D]
  const K = sliceMatrix(KVflat, [0, 0], [n * V, D]); // [n * V, D]
  const values = sliceMatrix(KVflat, [0, D], [n * V, D]); // [n * V, D]
  const scores = tf.reshape(matrixProduct(Qheads, transposeMatrix(K)), [Q * H * n * V]) as tf.Tensor1D; // [Q * H * n * V]
  return { scores, values, saved: { X, WQKV, Qheads, K } };
}

/** Gradients of the attention tables' parameters. W_E and W_pos get only the attention's share. */
export interface AttentionTableGrads {
  W_E: tf.Tensor2D; // [V, d]
  posRows: tf.Tensor2D; // [n, d]: rows 0..n-1 of W_pos
  W_Q: tf.Tensor3D; // [H, d, dh]
  W_K: tf.Tensor3D; // [H, d, dh]
  W_V: tf.Tensor3D; // [H, d, dh]
  b_Q: tf.Tensor2D; // [H, dh]
  b_K: tf.Tensor2D; // [H, dh]
  b_V: tf.Tensor2D; // [H, dh]
}

/**
 * Backward of {@link attentionTables}: from the gradients of the flat score table and the value table to the
 * parameters' gradients.
 *
 * @example
 * const grads = attentionTablesBackward(dScores, dValues, saved, null, sizes);
 */
export function attentionTablesBackward(
  dScores: tf.Tensor1D,
  dValues: tf.Tensor2D,
  saved: AttentionTablesSaved,
  queryRows: tf.Tensor2D | null,
  s: FastSizes,
): AttentionTableGrads {
  const { V, Q, D, H, n, q, d } = s;
  const { X, WQKV, Qheads, K } = saved;
  const dS = tf.reshape(dScores, [Q * H, n * V]) as tf.Tensor2D; // [Q * H, n * V]
  const scale = 1 / Math.sqrt(s.dh);
  const dQheads = mul(tf.reshape(matrixProduct(dS, K), [Q, H, D]), headMask(s)); // [Q, H, D]
  const dQs = tf.mul(tf.sum(dQheads, 1), scale) as tf.Tensor2D; // [Q, D] gradient of Q(a) (before the scale)
  const dQ = queryRows ? (tf.scatterND(queryRows, dQs, [V, D]) as tf.Tensor2D) : dQs; // [V, D]
  const dK = matrixProduct(transposeMatrix(dS), Qheads); // [n * V, D]
  const dKV = tf.reshape(concatMatrices([dK, dValues], 1), [n, V, 2 * D]); // [n, V, 2D]
  const dTE = concatMatrices([dQ, tf.sum(dKV, 0)], 1); // [V, 3D]
  const dTPQ = padMatrix(tf.sum(dQ, 0, true), [[q, n - 1 - q], [0, 0]]); // [n, D]: only position q has a query
  const dTP = concatMatrices([dTPQ, tf.sum(dKV, 1)], 1); // [n, 3D]
  const dT = concatMatrices([dTE, dTP], 0); // [V + n, 3D]
  const dX = matrixProduct(dT, transposeMatrix(WQKV)) as tf.Tensor2D; // [V + n, d]
  const dWQKV = matrixProduct(transposeMatrix(X), dT) as tf.Tensor2D; // [d, 3D]
  const db = tf.sum(dTP, 0); // [3D]
  const part = (i: number) => unflatHeads(sliceMatrix(dWQKV, [0, i * D], [d, D]), s); // [H, d, dh]
  const bias = (i: number) => tf.reshape(tf.slice(db, [i * D], [D]), [H, s.dh]) as tf.Tensor2D; // [H, dh]
  return {
    W_E: sliceMatrix(dX, [0, 0], [V, d]), // [V, d]
    posRows: sliceMatrix(dX, [V, 0], [n, d]), // [n, d]
    W_Q: part(0), W_K: part(1), W_V: part(2),
    b_Q: bias(0), b_K: bias(1), b_V: bias(2),
  };
}
