// The per-example part of the fused one-layer path: pick scores and values from the tables, softmax, mix values,
// then the folded MLP and unembedding. Rows are picked with gatherND and gradients summed back with scatterND
// (duplicates add up); both are fast on every backend, unlike tf.gather on wasm and its gradient there.
import * as tf from '@tensorflow/tfjs-core';
import type { ActFn } from '../config';
import { softmax, softmaxGrad } from '../components/softmax';
import type { AttentionTables } from './attention-tables';
import type { ReadoutTables } from './readout-tables';
import type { FastSizes } from './sizes';
import { matrixProduct, sliceMatrix, transposeMatrix } from './matrix';
import type { TensorMap } from './saved';

/** Where each example reads the tables, made from its tokens. */
export interface ExampleIndices {
  scores: tf.Tensor4D; // [B, H, n, 1] int32: entry of the flat score table
  values: tf.Tensor3D; // [B, n, 1] int32: row j * V + t_j of the value table
  query: tf.Tensor2D; // [B, 1] int32: the query row of t_q (t_q itself unless the query tables are compacted)
}

/** Maps every tensor of {@link ExampleIndices} (see saved.ts). @example mapExampleIndices(idx, (t) => t); */
export function mapExampleIndices(idx: ExampleIndices, map: TensorMap): ExampleIndices {
  return { scores: map(idx.scores), values: map(idx.values), query: map(idx.query) };
}

/**
 * The table indices of a batch of token sequences int32 [B, pos] scored at position q, with tfjs ops (no read
 * back; host-indices.ts does the same in JavaScript where reads are cheap).
 *
 * @example
 * const idx = exampleIndices(tokens, fastSizes(config, tokens.shape[0], 2));
 */
export function exampleIndices(tokens: tf.Tensor2D, s: FastSizes): ExampleIndices {
  const { B, V, H, n, q } = s;
  // Index arithmetic in float32 (exact below 2^24), where broadcasting is fast on wasm, then one cast.
  const seen = tf.cast(n === tokens.shape[1] ? tokens : sliceMatrix(tokens, [0, 0], [B, n]), 'float32'); // [B, n] tokens at 0..q
  const query = sliceMatrix(tokens, [0, q], [B, 1]); // [B, 1]
  const positionOffset = tf.tensor2d(Array.from({ length: n }, (_, j) => j * V), [1, n]); // [1, n]
  const valueRow = tf.add(seen, positionOffset); // [B, n] j * V + t_j
  const headOffset = tf.tensor3d(Array.from({ length: H }, (_, h) => h * n * V), [1, H, 1]); // [1, H, 1]
  const queryOffset = tf.reshape(tf.mul(tf.cast(query, 'float32'), H * n * V), [B, 1, 1]); // [B, 1, 1]
  const score = tf.add(tf.add(queryOffset, headOffset), tf.reshape(valueRow, [B, 1, n])); // [B, H, n]
  return {
    scores: tf.cast(tf.reshape(score, [B, H, n, 1]), 'int32') as tf.Tensor4D, // [B, H, n, 1]
    values: tf.cast(tf.reshape(valueRow, [B, n, 1]), 'int32') as tf.Tensor3D, // [B, n, 1]
    query,
  };
}

/** What the per-example backward needs. */
export interface ExamplesSaved {
  pattern: tf.Tensor3D; // [B, H, n]
  valueRows: tf.Tensor4D; // [B, n, H, dh]
  z: tf.Tensor2D; // [B, D]
  hidden: tf.Tensor2D; // [B, M]: post (ReLU) or pre (GELU)
}

/** Maps every tensor of {@link ExamplesSaved} (see saved.ts). @example mapExamplesSaved(saved, (t) => t); */
export function mapExamplesSaved(saved: ExamplesSaved, map: TensorMap): ExamplesSaved {
  return { pattern: map(saved.pattern), valueRows: map(saved.valueRows), z: map(saved.z), hidden: map(saved.hidden) };
}

/** ReLU, or GELU in its exact form x Phi(x). */
export function act(actFn: ActFn, x: tf.Tensor2D): tf.Tensor2D {
  if (actFn === 'relu') return tf.relu(x); // [B, M]
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)); // [B, M]
}

/**
 * Logits [B, Vo] of every example at the scored position, and what the backward needs.
 *
 * @example
 * const { logits } = examplesForward(attn, readout, idx, 'relu', sizes);
 */
export function examplesForward(
  attn: AttentionTables,
  ro: ReadoutTables,
  idx: ExampleIndices,
  actFn: ActFn,
  s: FastSizes,
): { logits: tf.Tensor2D; saved: ExamplesSaved } {
  const { B, H, n, dh, D } = s;
  const pattern = softmax(tf.gatherND(attn.scores, idx.scores) as tf.Tensor3D); // [B, H, n]
  const valueRows = tf.reshape(tf.gatherND(attn.values, idx.values), [B, n, H, dh]) as tf.Tensor4D; // [B, n, H, dh]
  const weights = tf.reshape(tf.transpose(pattern, [0, 2, 1]), [B, n, H, 1]); // [B, n, H, 1]
  const mixed = tf.reshape(tf.mul(valueRows, weights), [B, n, D]); // [B, n, D] (a 3-D sum over n is ~3x faster on wasm than 4-D)
  const z = tf.sum(mixed, 1) as tf.Tensor2D; // [B, D]
  const pre = tf.add(matrixProduct(z, ro.OI), tf.gatherND(ro.EI, idx.query)) as tf.Tensor2D; // [B, M]
  const post = act(actFn, pre); // [B, M]
  const fromZ = tf.add(matrixProduct(z, ro.OU), tf.gatherND(ro.EU, idx.query)); // [B, Vo]
  const logits = tf.add(fromZ, matrixProduct(post, ro.OutU)) as tf.Tensor2D; // [B, Vo]
  return { logits, saved: { pattern, valueRows, z, hidden: actFn === 'relu' ? post : pre } };
}

/** The activation's derivative times the incoming gradient, from what the forward kept. */
export function actBackward(actFn: ActFn, dPost: tf.Tensor2D, hidden: tf.Tensor2D): tf.Tensor2D {
  if (actFn === 'relu') return tf.mul(dPost, tf.step(hidden)); // [B, M]: post > 0 exactly where pre > 0
  const cdf = tf.mul(tf.add(tf.erf(tf.mul(hidden, Math.SQRT1_2)), 1), 0.5); // [B, M] Phi(pre)
  const pdf = tf.mul(tf.exp(tf.mul(tf.square(hidden), -0.5)), 1 / Math.sqrt(2 * Math.PI)); // [B, M] phi(pre)
  return tf.mul(dPost, tf.add(cdf, tf.mul(hidden, pdf))); // [B, M]
}

/**
 * The gradient of the flat score table from the attention pattern [B, H, n] and its gradient: softmax backward,
 * then each example's entries summed into the table.
 *
 * @example
 * const dScores = scoreTableGrad(pattern, dPattern, idx, sizes); // [Q * H * n * V]
 */
export function scoreTableGrad(pattern: tf.Tensor3D, dPattern: tf.Tensor3D, idx: ExampleIndices, s: FastSizes): tf.Tensor1D {
  const { V, Q, H, n } = s;
  const dScoreRows = softmaxGrad(pattern, dPattern); // [B, H, n]
  return tf.scatterND(idx.scores, dScoreRows, [Q * H * n * V]) as tf.Tensor1D; // [Q * H * n * V]
}

/** Gradients of the tables, from the per-example backward. */
export interface ExampleGrads {
  dScores: tf.Tensor1D; // [Q * H * n * V]
  dValues: tf.Tensor2D; // [n * V, D]
  dOI: tf.Tensor2D; // [D, M]
  dOU: tf.Tensor2D; // [D, Vo]
  dOutU: tf.Tensor2D; // [M, Vo]
  dEI: tf.Tensor2D; // [Q, M]
  dEU: tf.Tensor2D; // [Q, Vo]
}

/**
 * Backward of {@link examplesForward}: dLogits [B, Vo] to the gradients of every table.
 *
 * @example
 * const grads = examplesBackward(dLogits, saved, readout, idx, 'relu', sizes);
 */
export function examplesBackward(
  dLogits: tf.Tensor2D,
  saved: ExamplesSaved,
  ro: Pick<ReadoutTables, 'OI' | 'OU' | 'OutU'>,
  idx: ExampleIndices,
  actFn: ActFn,
  s: FastSizes,
): ExampleGrads {
  const { B, V, Q, Vo, H, n, dh, D, M } = s;
  const { pattern, valueRows, z } = saved;
  const post = actFn === 'relu' ? saved.hidden : act(actFn, saved.hidden); // [B, M]
  // XNNPACK (tfjs-wasm) repacks a product's right operand on every call (~6 ns a float, one thread), so each weight
  // gradient puts the narrower activation on the right: dLogits (shared by two products, packed once) and z.
  const dOutU = matrixProduct(transposeMatrix(post), dLogits) as tf.Tensor2D; // [M, Vo]
  const dOU = matrixProduct(transposeMatrix(z), dLogits) as tf.Tensor2D; // [D, Vo]
  const dPre = actBackward(actFn, matrixProduct(dLogits, transposeMatrix(ro.OutU)), saved.hidden); // [B, M]
  const dOI = transposeMatrix(matrixProduct(transposeMatrix(dPre), z)); // [D, M]
  const dz = tf.add(matrixProduct(dPre, transposeMatrix(ro.OI)), matrixProduct(dLogits, transposeMatrix(ro.OU))); // [B, D]
  const dEI = tf.scatterND(idx.query, dPre, [Q, M]) as tf.Tensor2D; // [Q, M]
  const dEU = tf.scatterND(idx.query, dLogits, [Q, Vo]) as tf.Tensor2D; // [Q, Vo]

  const dzHeads = tf.reshape(dz, [B, 1, H, dh]); // [B, 1, H, dh]
  const weights = tf.reshape(tf.transpose(pattern, [0, 2, 1]), [B, n, H, 1]); // [B, n, H, 1]
  const dValueRows = tf.reshape(tf.mul(weights, dzHeads), [B, n, D]); // [B, n, D]
  const dWeights = tf.sum(tf.mul(valueRows, dzHeads), -1); // [B, n, H]
  const dPattern = tf.transpose(dWeights, [0, 2, 1]); // [B, H, n]
  const dScores = scoreTableGrad(pattern, dPattern as tf.Tensor3D, idx, s); // [Q * H * n * V]
  const dValues = tf.scatterND(idx.values, dValueRows, [n * V, D]) as tf.Tensor2D; // [n * V, D]
  return { dScores, dValues, dOI, dOU, dOutU, dEI, dEU };
}
