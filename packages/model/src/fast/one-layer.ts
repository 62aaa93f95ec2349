// A fused forward and hand-written backward for the write-up's shape of model: one layer, no LayerNorm, an MLP
// (ReLU or GELU), logits at one position. The same function as the general path, computed through small tables
// (see attention-tables.ts and readout-tables.ts), then per example (examples.ts with tfjs ops, or mixed.ts with
// the row-mix kernels on wasm): one tf.customGrad op whose inputs are all sixteen parameters, so tf.variableGrads
// and optimizers see each one. HookedTransformer.forward uses it when `fastPathApplies`.
import * as tf from '@tensorflow/tfjs-core';
import type { TransformerConfig } from '../config';
import { attentionTables, attentionTablesBackward, type AttentionTablesSaved } from './attention-tables';
import { examplesBackward, examplesForward, exampleIndices, type ExampleIndices, type ExamplesSaved } from './examples';
import { hostIndices, readBatch, type MixedIndices } from './host-indices';
import { rowMixAvailable } from '@grokking/wasm-kernels';
import { mixedBackward, mixedForward, type MixedSaved } from './mixed';
import { readoutTables, readoutTablesBackward, type ReadoutTables, type ReadoutTablesSaved } from './readout-tables';
import { fastSizes, ONE_LAYER_PARAM_NAMES, ONE_LAYER_PARAM_ORDER, type FastSizes, type OneLayerParams } from './sizes';

/**
 * Whether the fused path computes `forward(tokens, positions)` for this config: one layer, no LayerNorm, not
 * attention-only, and one scored position of a valid int32 [batch, pos] batch. Anything invalid returns false, so
 * the general path reports it.
 *
 * @example
 * fastPathApplies(modularAdditionConfig(113), tokens, [2]); // true
 * fastPathApplies(modularAdditionConfig(113), tokens, [0, 1, 2]); // false: more than one position
 */
export function fastPathApplies(config: TransformerConfig, tokens: tf.Tensor, positions: readonly number[]): boolean {
  if (config.nLayers !== 1 || config.normalizationType !== 'none' || config.attnOnly) return false;
  if (config.actFn !== 'relu' && config.actFn !== 'gelu') return false;
  if (!(tokens instanceof tf.Tensor) || tokens.rank !== 2 || tokens.dtype !== 'int32') return false;
  const [batch, nPos] = tokens.shape as [number, number];
  if (batch < 1 || nPos < 1 || nPos > config.nCtx) return false;
  if (!Array.isArray(positions) || positions.length !== 1) return false;
  const q = positions[0];
  return Number.isInteger(q) && q! >= 0 && q! < nPos;
}

/**
 * Logits [batch, 1, d_vocab_out] at position q for int32 tokens [batch, pos], from the model's parameters (by
 * TransformerLens name). Differentiable with respect to every parameter; equal to the general path up to float32
 * rounding. On a backend that runs the row-mix kernels (wasm) the examples go through mixed tables (mixed.ts),
 * elsewhere through tfjs ops (examples.ts). Call inside tf.tidy (intermediate tensors are the caller's).
 *
 * @example
 * const logits = oneLayerForward(model.params, model.config, tokens, 2); // [batch, 1, d_vocab_out]
 */
export function oneLayerForward(
  params: Readonly<Record<string, tf.Tensor>>,
  config: TransformerConfig,
  tokens: tf.Tensor2D,
  q: number,
): tf.Tensor3D {
  // Where the row-mix kernels run (wasm) the batch is read back: index arithmetic in JavaScript, query tables for the
  // queries that occur, and the examples through mixed tables.
  const batch = rowMixAvailable() ? readBatch(tokens, config.dVocab, q) : null;
  const queries = batch && batch.queries.length < config.dVocab ? batch.queries : undefined;
  const s = fastSizes(config, tokens.shape[0], q, queries);
  const inputs = ONE_LAYER_PARAM_ORDER.map((role) => {
    const t = params[ONE_LAYER_PARAM_NAMES[role]];
    if (!t) throw new Error(`oneLayerForward: missing parameter ${ONE_LAYER_PARAM_NAMES[role]}`);
    return t;
  });
  const makeIndices = batch ? hostIndices(batch, s) : null;
  const idx = makeIndices ? makeIndices() : exampleIndices(tokens, s);
  const queryRows = queries ? tf.tensor2d(queries, [queries.length, 1], 'int32') : null; // [Q, 1]
  const fused = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args.pop() as tf.GradSaveFunc;
    const p = Object.fromEntries(ONE_LAYER_PARAM_ORDER.map((role, i) => [role, args[i]])) as unknown as OneLayerParams;
    const attn = attentionTables(p, s, queryRows);
    const ro = readoutTables(p, s, queryRows);
    const { logits, saved } = makeIndices
      ? mixedForward(attn, ro, idx as MixedIndices, config.actFn, s)
      : examplesForward(attn, ro, idx, config.actFn, s);
    // Everything the backward reads, by name (the set depends on the formulation; host indices are made again).
    const keep: Record<string, tf.Tensor> = {
      ...(makeIndices ? {} : idx), ...attn.saved, ...ro.saved, W_U: p.W_U, OI: ro.OI, OU: ro.OU, OutU: ro.OutU, EI: ro.EI,
      EU: ro.EU, ...saved, ...(queryRows ? { queryRows } : {}),
    };
    const keys = Object.keys(keep);
    save(keys.map((k) => keep[k]!));
    return {
      value: tf.reshape(logits, [s.B, 1, s.Vo]), // [B, 1, Vo]
      gradFunc: (dy: tf.Tensor, kept: tf.Tensor[]) => {
        const k: Record<string, tf.Tensor> = Object.fromEntries(keys.map((key, i) => [key, kept[i]!]));
        return backward(dy, makeIndices ? { ...k, ...makeIndices() } : k, config, s, makeIndices !== null);
      },
    };
  });
  return fused(...inputs) as tf.Tensor3D;
}

/** Gradients of all sixteen parameters, in ONE_LAYER_PARAM_ORDER, from what the forward kept (by name). */
function backward(dy: tf.Tensor, k: Record<string, tf.Tensor>, config: TransformerConfig, s: FastSizes, mixed: boolean): tf.Tensor[] {
  const idx = k as unknown as ExampleIndices;
  const ro = k as unknown as ReadoutTables;
  const dLogits = tf.reshape(dy, [s.B, s.Vo]) as tf.Tensor2D; // [B, Vo]
  const g = mixed
    ? mixedBackward(dLogits, k as unknown as MixedSaved, ro, idx as MixedIndices, config.actFn, s)
    : examplesBackward(dLogits, k as unknown as ExamplesSaved, ro, idx, config.actFn, s);
  const queryRows = (k['queryRows'] as tf.Tensor2D | undefined) ?? null;
  const a = attentionTablesBackward(g.dScores, g.dValues, k as unknown as AttentionTablesSaved, queryRows, s);
  const r = readoutTablesBackward(g, k['W_U'] as tf.Tensor2D, k as unknown as ReadoutTablesSaved, queryRows, s);
  const posRows = tf.add(a.posRows, tf.pad(r.posRowQ, [[s.q, s.n - 1 - s.q], [0, 0]])); // [n, d]
  const grads: Record<keyof OneLayerParams, tf.Tensor> = {
    W_E: tf.add(a.W_E, r.W_E), // [V, d]
    W_pos: tf.pad(posRows, [[0, s.nCtx - s.n], [0, 0]]), // [n_ctx, d]: positions after q do not reach the logits
    W_Q: a.W_Q, W_K: a.W_K, W_V: a.W_V, b_Q: a.b_Q, b_K: a.b_K, b_V: a.b_V,
    W_O: r.W_O, b_O: r.b_O, W_in: r.W_in, b_in: r.b_in, W_out: r.W_out, b_out: r.b_out, W_U: r.W_U, b_U: r.b_U,
  };
  return ONE_LAYER_PARAM_ORDER.map((role) => grads[role]);
}
