// The per-example part of the fused one-layer path through mixed tables, for backends that run the row-mix kernels
// (wasm). Head h's share of the MLP input and of the logits, from the value of token b at position j, is row
// j * V + b of
//   PI_h = V_h OI_h [n V, M]      PU_h = V_h OU_h [n V, Vo]
// (V_h: head h's columns of the value table; OI_h, OU_h: head h's rows of OI = W_O W_in and OU = W_O W_U), so an
// example's pre-activation and the attention's part of its logits are attention-weighted sums of H n table rows
// plus the query token's row of EI or EU:
//   pre = EI[t_q] + Σ_{h,j} pattern[h, j] PI_h[j V + t_j]      logits = EU[t_q] + Σ_{h,j} pattern[h, j] PU_h[j V + t_j] + post OutU
// The same function as examples.ts; the [B, D] x [D, M] product and its two gradient products become row reads.
//
// When every example has the same query token t (s.queryToken: x|y|= data), the query position's rows fold into the
// base: with pattern[h, q] = 1 - Σ_{j<q} pattern[h, j],
//   pre = (EI[t] + Σ_h PI_h[q V + t]) + Σ_{h, j<q} pattern[h, j] (PI_h[j V + t_j] - PI_h[q V + t])
// so each example mixes H q rows instead of H n. The pattern's gradient then lacks the q entries; softmax's backward
// ignores a shift shared by a row's entries, so 0 there gives the same score gradients.
import * as tf from '@tensorflow/tfjs-core';
import { rowMix, rowMixBackward, type RowMixGrads } from '@grokking/wasm-kernels';
import type { ActFn } from '../config';
import type { AttentionTables } from './attention-tables';
import { act, actBackward, scoreTableGrad, type ExampleGrads } from './examples';
import type { MixedIndices } from './host-indices';
import { concatMatrices, matrixProduct, sliceMatrix, transposeMatrix } from './matrix';
import type { ReadoutTables } from './readout-tables';
import type { TensorMap } from './saved';
import { foldsQuery, type FastSizes } from './sizes';

/** What the backward needs. */
export interface MixedSaved {
  pattern: tf.Tensor3D; // [B, H, n]
  hidden: tf.Tensor2D; // [B, M]: post (ReLU) or pre (GELU)
  valueTable: tf.Tensor2D; // [n V, D] the value table
  TI: tf.Tensor2D[]; // per head h: the table mixed into the MLP input, PI_h [n V, M] or its folded rows [q V, M]
  TU: tf.Tensor2D[]; // per head h: the table mixed into the logits, PU_h [n V, Vo] or its folded rows [q V, Vo]
}

/** Maps every tensor of {@link MixedSaved} (see saved.ts). @example mapMixedSaved(saved, (t) => t); */
export function mapMixedSaved(saved: MixedSaved, map: TensorMap): MixedSaved {
  const { pattern, hidden, valueTable, TI, TU } = saved;
  return { pattern: map(pattern), hidden: map(hidden), valueTable: map(valueTable), TI: TI.map((t) => map(t)), TU: TU.map((t) => map(t)) };
}

/** Head h's columns of a [rows, D] matrix: [rows, dh]. */
const headColumns = (m: tf.Tensor2D, s: FastSizes): tf.Tensor2D[] =>
  Array.from({ length: s.H }, (_, h) => sliceMatrix(m, [0, h * s.dh], [m.shape[0], s.dh]));

/** Head h's rows of a [D, cols] matrix: [dh, cols]. */
const headRows = (m: tf.Tensor2D, h: number, s: FastSizes): tf.Tensor2D => sliceMatrix(m, [h * s.dh, 0], [s.dh, m.shape[1]]);

/** The mixing weights: the pattern [B, H, n], or its first q positions [B, H, q] when the query folds. */
function mixWeights(pattern: tf.Tensor3D, s: FastSizes): tf.Tensor3D {
  if (!foldsQuery(s)) return pattern;
  const { B, H, n, q } = s;
  return tf.reshape(sliceMatrix(tf.reshape(pattern, [B * H, n]), [0, 0], [B * H, q]), [B, H, q]); // [B, H, q]
}

/** The query token's value row Vq [1, D] and the others' differences from it, Vd = V[j < q] - Vq [q V, D]. */
function foldValues(values: tf.Tensor2D, s: FastSizes): { Vq: tf.Tensor2D; Vd: tf.Tensor2D } {
  const { q, V, D } = s;
  const Vq = sliceMatrix(values, [q * V + s.queryToken!, 0], [1, D]); // [1, D]
  return { Vq, Vd: tf.sub(sliceMatrix(values, [0, 0], [q * V, D]), Vq) as tf.Tensor2D }; // [q V, D]
}

/**
 * The tables to mix and their base, for a [D, width] readout matrix O (OI or OU, head h's rows O_h) and its base E:
 * P_h = V_h O_h and E as they are, or, folded, Vd_h O_h and E + Vq O.
 */
function mixTables(values: tf.Tensor2D, O: tf.Tensor2D, E: tf.Tensor2D, s: FastSizes): { tables: tf.Tensor2D[]; base: tf.Tensor2D } {
  const product = (V: tf.Tensor2D) => headColumns(V, s).map((v, h) => matrixProduct(v, headRows(O, h, s)) as tf.Tensor2D);
  if (!foldsQuery(s)) return { tables: product(values), base: E }; // H x [n V, width]
  const { Vq, Vd } = foldValues(values, s);
  return { tables: product(Vd), base: tf.add(E, matrixProduct(Vq, O)) as tf.Tensor2D }; // H x [q V, width], [1, width]
}

/**
 * Logits [B, Vo] of every example at the scored position, and what the backward needs.
 *
 * @example
 * const { logits } = mixedForward(attn, readout, idx, 'relu', sizes);
 */
export function mixedForward(
  attn: AttentionTables,
  ro: ReadoutTables,
  idx: MixedIndices,
  actFn: ActFn,
  s: FastSizes,
): { logits: tf.Tensor2D; saved: MixedSaved } {
  const pattern = tf.softmax(tf.gatherND(attn.scores, idx.scores) as tf.Tensor3D) as tf.Tensor3D; // [B, H, n]
  const mi = mixTables(attn.values, ro.OI, ro.EI, s); // H x [n V or q V, M], base [Q, M]
  const mu = mixTables(attn.values, ro.OU, ro.EU, s); // H x [n V or q V, Vo], base [Q, Vo]
  const weights = mixWeights(pattern, s);
  const relu = actFn === 'relu';
  const mixedIn = rowMix(mi.tables, mi.base, idx.query, idx.mixRows, weights, relu); // [B, M]: post (ReLU) or pre
  const post = relu ? mixedIn : act(actFn, mixedIn); // [B, M]
  const fromAttn = rowMix(mu.tables, mu.base, idx.query, idx.mixRows, weights, false); // [B, Vo]
  const logits = tf.add(fromAttn, matrixProduct(post, ro.OutU)) as tf.Tensor2D; // [B, Vo]
  return { logits, saved: { pattern, hidden: mixedIn, valueTable: attn.values, TI: mi.tables, TU: mu.tables } };
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
  idx: MixedIndices,
  actFn: ActFn,
  s: FastSizes,
): ExampleGrads {
  const { pattern, hidden, valueTable, TI, TU } = saved;
  const weights = mixWeights(pattern, s);
  const relu = actFn === 'relu';
  const post = relu ? hidden : act(actFn, hidden); // [B, M]
  const dOutU = matrixProduct(transposeMatrix(post), dLogits) as tf.Tensor2D; // [M, Vo]
  const dPost = matrixProduct(dLogits, transposeMatrix(ro.OutU)) as tf.Tensor2D; // [B, M]
  // The base's shape is the query rows' either way ([Q, width]; folded: Q = 1).
  const gi = relu
    ? rowMixBackward(TI, ro.EI, idx.query, idx.mixRows, weights, dPost, hidden) // ReLU's mask from post
    : rowMixBackward(TI, ro.EI, idx.query, idx.mixRows, weights, actBackward(actFn, dPost, hidden), null);
  const gu = rowMixBackward(TU, ro.EU, idx.query, idx.mixRows, weights, dLogits, null);
  const dWeights = tf.add(gi.dWeights, gu.dWeights) as tf.Tensor3D; // [B, H, n] or [B, H, q]
  const dPattern = foldsQuery(s) ? tf.pad(dWeights, [[0, 0], [0, 0], [0, 1]]) : dWeights; // [B, H, n]: 0 at q (see top)
  const dScores = scoreTableGrad(pattern, dPattern, idx, s); // [Q H n V]
  const { dOI, dOU, dValues } = foldsQuery(s)
    ? foldedTableGrads(gi, gu, valueTable, ro, s)
    : tableGrads(gi.dTables, gu.dTables, valueTable, ro, s);
  return { dScores, dValues, dOI, dOU, dOutU, dEI: gi.dBase, dEU: gu.dBase };
}

/**
 * Per head: dOI_h = V_h^T dPI_h, dV_h = dPI_h OI_h^T + dPU_h OU_h^T, for table gradients dPI_h [r, M], dPU_h [r, Vo]
 * against the value rows V [r, D] (head h's columns V_h). XNNPACK (tfjs-wasm) packs a product's right operand on
 * every call, one thread, so dOI is taken transposed, dOI^T = [dPI_0^T V_0 | ...], with the narrow V_h on the
 * right: two transposes cost less than packing the wide gradients.
 */
function tableGrads(dPI: tf.Tensor2D[], dPU: tf.Tensor2D[], V: tf.Tensor2D, ro: Pick<ReadoutTables, 'OI' | 'OU'>, s: FastSizes) {
  const heads = headColumns(V, s); // H x [r, dh]
  const transposed = (d: tf.Tensor2D[]) => transposeMatrix(concatMatrices(d.map((x, h) => matrixProduct(transposeMatrix(x), heads[h]!)), 1));
  const dValueHeads = heads.map((_, h) => tf.add(
    matrixProduct(dPI[h]!, transposeMatrix(headRows(ro.OI, h, s))), // [r, dh]
    matrixProduct(dPU[h]!, transposeMatrix(headRows(ro.OU, h, s))), // [r, dh]
  ));
  return { dOI: transposed(dPI), dOU: transposed(dPU), dValues: concatMatrices(dValueHeads, 1) }; // [D, M], [D, Vo], [r, D]
}

/**
 * tableGrads for folded tables: they are Vd_h OI_h and the base E + Vq OI (as for OU), so dOI = (from Vd) + Vq^T dBase,
 * dVd = (from the tables), and dVq = dBase OI^T - Σ_rows dVd (Vq enters every folded row with a minus sign).
 */
function foldedTableGrads(gi: RowMixGrads, gu: RowMixGrads, values: tf.Tensor2D, ro: Pick<ReadoutTables, 'OI' | 'OU'>, s: FastSizes) {
  const { V, D } = s;
  const t = s.queryToken!;
  const { Vq, Vd } = foldValues(values, s);
  const g = tableGrads(gi.dTables, gu.dTables, Vd, ro, s); // dOI, dOU from the folded rows; dVd [q V, D]
  const VqT = tf.reshape(Vq, [D, 1]); // [D, 1]
  const dBaseRow = tf.add(matrixProduct(gi.dBase, transposeMatrix(ro.OI)), matrixProduct(gu.dBase, transposeMatrix(ro.OU))); // [1, D]
  const dVq = tf.sub(dBaseRow, tf.sum(g.dValues, 0, true)); // [1, D]
  return {
    dOI: tf.add(g.dOI, tf.mul(VqT, gi.dBase)) as tf.Tensor2D, // [D, M]
    dOU: tf.add(g.dOU, tf.mul(VqT, gu.dBase)) as tf.Tensor2D, // [D, Vo]
    dValues: concatMatrices([g.dValues, tf.pad(dVq, [[t, V - 1 - t], [0, 0]])], 0), // [n V, D]
  };
}
