// A fused forward and hand-written backward for the write-up's shape of model: one layer, no LayerNorm, an MLP
// (ReLU or GELU), logits at one position. The same function as the general path, computed through small tables
// (see attention-tables.ts and readout-tables.ts), then per example (examples.ts with tfjs ops, or mixed.ts with
// the row-mix kernels on wasm): one tf.customGrad op whose inputs are all sixteen parameters, so tf.variableGrads
// and optimizers see each one. What its backward reads is one typed record (OneLayerSaved), kept through saved.ts.
// HookedTransformer.forward uses it when `fastPathApplies`.
import * as tf from '@tensorflow/tfjs-core';
import type { TransformerConfig } from '../config';
import { attentionTables, attentionTablesBackward, mapAttentionTablesSaved, type AttentionTables, type AttentionTablesSaved } from './attention-tables';
import {
  examplesBackward, examplesForward, exampleIndices, mapExampleIndices, mapExamplesSaved, type ExampleIndices, type ExamplesSaved,
} from './examples';
import { hostIndices, readBatch, type MixedIndices } from './host-indices';
import { rowMixAvailable } from '@grokking/wasm-kernels';
import { mapMixedSaved, mixedBackward, mixedForward, type MixedSaved } from './mixed';
import { mapReadoutTables, readoutTables, readoutTablesBackward, type ReadoutTables } from './readout-tables';
import { restoreSaved, savedTensors, type TensorMap } from './saved';
import { add } from '../components/elementwise';
import { padMatrix } from './matrix';
import { fastSizes, oneLayerParams, ONE_LAYER_PARAM_ORDER, type FastSizes, type OneLayerParams } from './sizes';

/**
 * How the examples go through the tables: with tfjs ops on indices made by tfjs ops (examples.ts), or through mixed
 * tables on indices made in JavaScript (mixed.ts), which the backward makes again rather than keeping.
 */
type Route = { path: 'examples'; idx: ExampleIndices } | { path: 'mixed'; idx: MixedIndices; makeIndices: () => MixedIndices };

/** The per-example part of what the backward reads, by route. */
type PerExampleSaved =
  | { path: 'examples'; idx: ExampleIndices; saved: ExamplesSaved }
  | { path: 'mixed'; saved: MixedSaved; makeIndices: () => MixedIndices };

/** Everything the fused op's backward reads. */
interface OneLayerSaved {
  attn: AttentionTablesSaved;
  readout: ReadoutTables;
  W_U: tf.Tensor2D; // [d, Vo]
  perExample: PerExampleSaved;
  queryRows: tf.Tensor2D | null; // [Q, 1] int32, or null when every token is a query row
}

/** Maps every tensor of {@link OneLayerSaved} (see saved.ts). */
function mapOneLayerSaved(saved: OneLayerSaved, map: TensorMap): OneLayerSaved {
  const e = saved.perExample;
  return {
    attn: mapAttentionTablesSaved(saved.attn, map),
    readout: mapReadoutTables(saved.readout, map),
    W_U: map(saved.W_U),
    perExample: e.path === 'examples'
      ? { path: 'examples', idx: mapExampleIndices(e.idx, map), saved: mapExamplesSaved(e.saved, map) }
      : { path: 'mixed', saved: mapMixedSaved(e.saved, map), makeIndices: e.makeIndices },
    queryRows: saved.queryRows && map(saved.queryRows),
  };
}

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
  const p = oneLayerParams(params);
  const makeIndices = batch ? hostIndices(batch, s) : null;
  const route: Route = makeIndices ? { path: 'mixed', idx: makeIndices(), makeIndices } : { path: 'examples', idx: exampleIndices(tokens, s) };
  const queryRows = queries ? tf.tensor2d(queries, [queries.length, 1], 'int32') : null; // [Q, 1]
  // tf.customGrad calls this with the op's inputs (p's tensors, in ONE_LAYER_PARAM_ORDER) and a save function last.
  const fused = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1];
    if (typeof save !== 'function') throw new Error('oneLayerForward: tf.customGrad passed no save function');
    const attn = attentionTables(p, s, queryRows);
    const ro = readoutTables(p, s, queryRows);
    const { logits, perExample } = examplesThrough(route, attn, ro, config, s);
    const saved: OneLayerSaved = { attn: attn.saved, readout: ro, W_U: p.W_U, perExample, queryRows };
    save(savedTensors(saved, mapOneLayerSaved));
    return {
      value: tf.reshape(logits, [s.B, 1, s.Vo]), // [B, 1, Vo]
      gradFunc: (dy: tf.Tensor, kept: tf.Tensor[]) => backward(dy, restoreSaved(saved, mapOneLayerSaved, kept), config, s),
    };
  });
  return fused(...ONE_LAYER_PARAM_ORDER.map((role) => p[role])) as tf.Tensor3D;
}

/** Logits [B, Vo] of the examples by their route, and what that route's backward reads. */
function examplesThrough(route: Route, attn: AttentionTables, ro: ReadoutTables, config: TransformerConfig, s: FastSizes) {
  if (route.path === 'mixed') {
    const { logits, saved } = mixedForward(attn, ro, route.idx, config.actFn, s);
    return { logits, perExample: { path: 'mixed', saved, makeIndices: route.makeIndices } satisfies PerExampleSaved };
  }
  const { logits, saved } = examplesForward(attn, ro, route.idx, config.actFn, s);
  return { logits, perExample: { path: 'examples', idx: route.idx, saved } satisfies PerExampleSaved };
}

/** Gradients of all sixteen parameters, in ONE_LAYER_PARAM_ORDER, from what the forward kept. */
function backward(dy: tf.Tensor, k: OneLayerSaved, config: TransformerConfig, s: FastSizes): tf.Tensor[] {
  const dLogits = tf.reshape(dy, [s.B, s.Vo]) as tf.Tensor2D; // [B, Vo]
  const e = k.perExample;
  const g = e.path === 'mixed'
    ? mixedBackward(dLogits, e.saved, k.readout, e.makeIndices(), config.actFn, s)
    : examplesBackward(dLogits, e.saved, k.readout, e.idx, config.actFn, s);
  const a = attentionTablesBackward(g.dScores, g.dValues, k.attn, k.queryRows, s);
  const r = readoutTablesBackward(g, k.W_U, k.readout.saved, k.queryRows, s);
  const posRows = add(a.posRows, padMatrix(r.posRowQ, [[s.q, s.n - 1 - s.q], [0, 0]])); // [n, d]
  const grads: Record<keyof OneLayerParams, tf.Tensor> = {
    W_E: add(a.W_E, r.W_E), // [V, d]
    W_pos: padMatrix(posRows, [[0, s.nCtx - s.n], [0, 0]]), // [n_ctx, d]: positions after q do not reach the logits
    W_Q: a.W_Q, W_K: a.W_K, W_V: a.W_V, b_Q: a.b_Q, b_K: a.b_K, b_V: a.b_V,
    W_O: r.W_O, b_O: r.b_O, W_in: r.W_in, b_in: r.b_in, W_out: r.W_out, b_out: r.b_out, W_U: r.W_U, b_U: r.b_U,
  };
  return ONE_LAYER_PARAM_ORDER.map((role) => grads[role]);
}
