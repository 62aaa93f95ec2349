// The sizes the fused one-layer path works with, and its parameters by role (named, ordered and checked).
import type * as tf from '@tensorflow/tfjs-core';
import type { TransformerConfig } from '../config';

/**
 * Sizes of one fused call: V = d_vocab, Vo = d_vocab_out, d = d_model, H heads of dh (D = H dh), M = d_mlp,
 * nCtx = n_ctx, q the scored position and n = q + 1 the positions it attends to, B the batch, Q the query rows of
 * the query-dependent tables (V, or the distinct query tokens of the batch: see queryRows in one-layer.ts).
 */
export interface FastSizes {
  B: number;
  V: number;
  Q: number;
  /** The one query token every example shares, when the batch was read and has one (Q = 1); else null. */
  queryToken: number | null;
  Vo: number;
  d: number;
  H: number;
  dh: number;
  D: number;
  M: number;
  nCtx: number;
  q: number;
  n: number;
}

/**
 * The sizes for a batch of `batch` sequences scored at position `q`; `queryTokens`, when given, are the batch's
 * distinct query tokens (the query tables' rows), else every token is a row.
 *
 * @example
 * fastSizes(modularAdditionConfig(113), 3830, 2).n; // 3: the '=' position attends to x, y and itself
 */
export function fastSizes(config: TransformerConfig, batch: number, q: number, queryTokens?: readonly number[]): FastSizes {
  const { dVocab: V, dVocabOut: Vo, dModel: d, nHeads: H, dHead: dh, dMlp: M, nCtx } = config;
  const Q = queryTokens?.length ?? V;
  const queryToken = queryTokens?.length === 1 ? queryTokens[0]! : null;
  return { B: batch, V, Q, queryToken, Vo, d, H, dh, D: H * dh, M, nCtx, q, n: q + 1 };
}

/**
 * Whether the mixed path folds the query position's rows into its base (mixed.ts): one query token for the whole
 * batch, and positions before q to mix.
 *
 * @example
 * foldsQuery(fastSizes(config, batch, 2, [113])); // true: every example asks at '='
 */
export function foldsQuery(s: FastSizes): boolean {
  return s.queryToken !== null && s.q >= 1;
}

/** The parameters of a 1-layer transformer without LayerNorm, in TransformerLens' shapes. */
export interface OneLayerParams {
  W_E: tf.Tensor2D; // [d_vocab, d_model]
  W_pos: tf.Tensor2D; // [n_ctx, d_model]
  W_Q: tf.Tensor3D; // [n_heads, d_model, d_head]
  W_K: tf.Tensor3D; // [n_heads, d_model, d_head]
  W_V: tf.Tensor3D; // [n_heads, d_model, d_head]
  W_O: tf.Tensor3D; // [n_heads, d_head, d_model]
  b_Q: tf.Tensor2D; // [n_heads, d_head]
  b_K: tf.Tensor2D; // [n_heads, d_head]
  b_V: tf.Tensor2D; // [n_heads, d_head]
  b_O: tf.Tensor1D; // [d_model]
  W_in: tf.Tensor2D; // [d_model, d_mlp]
  b_in: tf.Tensor1D; // [d_mlp]
  W_out: tf.Tensor2D; // [d_mlp, d_model]
  b_out: tf.Tensor1D; // [d_model]
  W_U: tf.Tensor2D; // [d_model, d_vocab_out]
  b_U: tf.Tensor1D; // [d_vocab_out]
}

/**
 * The order in which the fused op takes its parameters (and returns their gradients).
 *
 * @example
 * ONE_LAYER_PARAM_ORDER.map((role) => model.params[ONE_LAYER_PARAM_NAMES[role]]); // the op's inputs
 */
export const ONE_LAYER_PARAM_ORDER = [
  'W_E', 'W_pos', 'W_Q', 'W_K', 'W_V', 'W_O', 'b_Q', 'b_K', 'b_V', 'b_O', 'W_in', 'b_in', 'W_out', 'b_out', 'W_U', 'b_U',
] as const satisfies readonly (keyof OneLayerParams)[];

/**
 * TransformerLens' name of each role, for block 0.
 *
 * @example
 * ONE_LAYER_PARAM_NAMES.W_in; // 'blocks.0.mlp.W_in'
 */
export const ONE_LAYER_PARAM_NAMES: Record<keyof OneLayerParams, string> = {
  W_E: 'embed.W_E', W_pos: 'pos_embed.W_pos',
  W_Q: 'blocks.0.attn.W_Q', W_K: 'blocks.0.attn.W_K', W_V: 'blocks.0.attn.W_V', W_O: 'blocks.0.attn.W_O',
  b_Q: 'blocks.0.attn.b_Q', b_K: 'blocks.0.attn.b_K', b_V: 'blocks.0.attn.b_V', b_O: 'blocks.0.attn.b_O',
  W_in: 'blocks.0.mlp.W_in', b_in: 'blocks.0.mlp.b_in', W_out: 'blocks.0.mlp.W_out', b_out: 'blocks.0.mlp.b_out',
  W_U: 'unembed.W_U', b_U: 'unembed.b_U',
};

/** The tensor type of each rank a parameter has. */
interface RankTensors {
  1: tf.Tensor1D;
  2: tf.Tensor2D;
  3: tf.Tensor3D;
}

/** Whether a tensor has rank n. */
function hasRank<N extends keyof RankTensors>(t: tf.Tensor, n: N): t is RankTensors[N] {
  return t.rank === n;
}

/**
 * The sixteen parameters by role, from the model's parameters by name, each checked for its rank.
 *
 * @throws naming a parameter that is missing or of another rank.
 * @example
 * oneLayerParams(model.params).W_in; // blocks.0.mlp.W_in, [d_model, d_mlp]
 */
export function oneLayerParams(params: Readonly<Record<string, tf.Tensor>>): OneLayerParams {
  const get = <N extends keyof RankTensors>(role: keyof OneLayerParams, n: N): RankTensors[N] => {
    const name = ONE_LAYER_PARAM_NAMES[role];
    const t = params[name];
    if (!t || !hasRank(t, n)) throw new Error(`oneLayerForward: ${name} must be a rank-${n} tensor, got ${t ? `rank ${t.rank}` : 'none'}`);
    return t;
  };
  return {
    W_E: get('W_E', 2), W_pos: get('W_pos', 2),
    W_Q: get('W_Q', 3), W_K: get('W_K', 3), W_V: get('W_V', 3), W_O: get('W_O', 3),
    b_Q: get('b_Q', 2), b_K: get('b_K', 2), b_V: get('b_V', 2), b_O: get('b_O', 1),
    W_in: get('W_in', 2), b_in: get('b_in', 1), W_out: get('W_out', 2), b_out: get('b_out', 1),
    W_U: get('W_U', 2), b_U: get('b_U', 1),
  };
}
