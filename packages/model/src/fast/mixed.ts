// The per-example part of the fused one-layer path through mixed tables, for backends that run the row-mix kernels
// (wasm). Head h's share of the MLP input and of the logits, from the value of token b at position j, is row
// j * V + b of
//   PI_h = V_h OI_h [n V, M]      PU_h = V_h OU_h [n V, Vo]
// (V_h: head h's columns of the value table; OI_h, OU_h: head h's rows of OI = W_O W_in and OU = W_O W_U), so an
// example's pre-activation and the attention's part of its logits are attention-weighted sums of H n table rows
// plus the query token's row of EI or EU:
//   pre = EI[t_q] + Σ_{h,j} pattern[h, j] PI_h[j V + t_j]      logits = EU[t_q] + Σ_{h,j} pattern[h, j] PU_h[j V + t_j] + post OutU
// The same function as examples.ts; the [B, D] x [D, M] product and its two gradient products become row reads.
import * as tf from '@tensorflow/tfjs-core';
import type { ActFn } from '../config';
import type { AttentionTables } from './attention-tables';
import { act, actBackward, scoreTableGrad, type ExampleGrads, type ExampleIndices } from './examples';
import { rowMix, rowMixBackward } from '@grokking/wasm-kernels';
import type { ReadoutTables } from './readout-tables';
import type { FastSizes } from './sizes';
import { concatMatrices, sliceMatrix, transposeMatrix } from './matrix';

/** What the backward needs. Per-head tensors are saved under `${name}${h}`. */
export interface MixedSaved {
  pattern: tf.Tensor3D; // [B, H, n]
  hidden: tf.Tensor2D; // [B, M]: post (ReLU) or pre (GELU)
  [perHead: `${'valueHead' | 'PI' | 'PU'}${number}`]: tf.Tensor2D; // valueHead [n V, dh], PI [n V, M], PU [n V, Vo]
}

const perHead = (saved: MixedSaved, name: 'valueHead' | 'PI' | 'PU', s: FastSizes): tf.Tensor2D[] =>
  Array.from({ length: s.H }, (_, h) => saved[`${name}${h}`]!);

/** Head h's rows of a [D, cols] matrix: [dh, cols]. */
const headRows = (m: tf.Tensor2D, h: number, s: FastSizes): tf.Tensor2D => sliceMatrix(m, [h * s.dh, 0], [s.dh, m.shape[1]]);

/**
 * Logits [B, Vo] of every example at the scored position, and what the backward needs.
 *
 * @example
 * const { logits } = mixedForward(attn, readout, idx, 'relu', sizes);
 */
export function mixedForward(
  attn: AttentionTables,
  ro: ReadoutTables,
  idx: ExampleIndices,
  actFn: ActFn,
  s: FastSizes,
): { logits: tf.Tensor2D; saved: MixedSaved } {
  const { H, n, V, dh } = s;
  const pattern = tf.softmax(tf.gatherND(attn.scores, idx.scores) as tf.Tensor3D) as tf.Tensor3D; // [B, H, n]
  const valueHeads = Array.from({ length: H }, (_, h) => sliceMatrix(attn.values, [0, h * dh], [n * V, dh]) as tf.Tensor2D); // H x [n V, dh]
  const PI = valueHeads.map((v, h) => tf.matMul(v, headRows(ro.OI, h, s)) as tf.Tensor2D); // H x [n V, M]
  const PU = valueHeads.map((v, h) => tf.matMul(v, headRows(ro.OU, h, s)) as tf.Tensor2D); // H x [n V, Vo]
  const relu = actFn === 'relu';
  const mixedIn = rowMix(PI, ro.EI, idx.query, idx.mixRows, pattern, relu); // [B, M]: post (ReLU) or pre
  const post = relu ? mixedIn : act(actFn, mixedIn); // [B, M]
  const fromAttn = rowMix(PU, ro.EU, idx.query, idx.mixRows, pattern, false); // [B, Vo]
  const logits = tf.add(fromAttn, tf.matMul(post, ro.OutU)) as tf.Tensor2D; // [B, Vo]
  const saved: MixedSaved = { pattern, hidden: mixedIn };
  for (let h = 0; h < H; h++) Object.assign(saved, { [`valueHead${h}`]: valueHeads[h], [`PI${h}`]: PI[h], [`PU${h}`]: PU[h] });
  return { logits, saved };
}

/**
 * Backward of {@link mixedForward}: dLogits [B, Vo] to the gradients of every table.
 *
 * @example
 * const grads = mixedBackward(dLogits, saved, readout, idx, 'relu', sizes);
 */
export function mixedBackward(
  dLogits: tf.Tensor2D,
  saved: MixedSaved,
  ro: Pick<ReadoutTables, 'OI' | 'OU' | 'OutU' | 'EI' | 'EU'>,
  idx: ExampleIndices,
  actFn: ActFn,
  s: FastSizes,
): ExampleGrads {
  const { pattern, hidden } = saved;
  const [valueHeads, PI, PU] = [perHead(saved, 'valueHead', s), perHead(saved, 'PI', s), perHead(saved, 'PU', s)];
  const relu = actFn === 'relu';
  const post = relu ? hidden : act(actFn, hidden); // [B, M]
  const dOutU = tf.matMul(transposeMatrix(post), dLogits) as tf.Tensor2D; // [M, Vo]
  const dPost = tf.matMul(dLogits, transposeMatrix(ro.OutU)) as tf.Tensor2D; // [B, M]
  const gi = relu
    ? rowMixBackward(PI, ro.EI, idx.query, idx.mixRows, pattern, dPost, hidden) // ReLU's mask from post
    : rowMixBackward(PI, ro.EI, idx.query, idx.mixRows, pattern, actBackward(actFn, dPost, hidden), null);
  const gu = rowMixBackward(PU, ro.EU, idx.query, idx.mixRows, pattern, dLogits, null);
  const dScores = scoreTableGrad(pattern, tf.add(gi.dWeights, gu.dWeights) as tf.Tensor3D, idx, s); // [V H n V]
  // Per head: dOI_h = V_h^T dPI_h, dV_h = dPI_h OI_h^T + dPU_h OU_h^T. XNNPACK (tfjs-wasm) packs a product's right
  // operand on every call, one thread, so dOI is taken transposed, dOI^T = [dPI_0^T V_0 | ...], with the narrow V_h
  // on the right: two transposes cost less than packing the [n V, M] gradients.
  const transposed = (dTables: tf.Tensor2D[]) => transposeMatrix(concatMatrices(dTables.map((d, h) => tf.matMul(transposeMatrix(d), valueHeads[h]!)), 1) as tf.Tensor2D);
  const dOI = transposed(gi.dTables) as tf.Tensor2D; // [D, M]
  const dOU = transposed(gu.dTables) as tf.Tensor2D; // [D, Vo]
  const dValueHeads = valueHeads.map((_, h) => tf.add(
    tf.matMul(gi.dTables[h]!, transposeMatrix(headRows(ro.OI, h, s))), // [n V, dh]
    tf.matMul(gu.dTables[h]!, transposeMatrix(headRows(ro.OU, h, s))), // [n V, dh]
  ));
  const dValues = concatMatrices(dValueHeads, 1); // [n V, D]
  return { dScores, dValues, dOI, dOU, dOutU, dEI: gi.dBase, dEU: gu.dBase };
}
