// The per-example part of the fused one-layer path through mixed tables, for backends that run the row-mix kernels
// (wasm). Head h's share of the MLP input and of the logits, from the value of token b at position j, is row
// j * V + b of
//   PI_h = V_h OI_h [n V, M]      PU_h = V_h OU_h [n V, Vo]
// (V_h: head h's columns of the value table; OI_h, OU_h: head h's rows of OI = W_O W_in and OU = W_O W_U), so an
// example's pre-activation and the attention's part of its logits are attention-weighted sums of H n table rows
// plus the query token's row of EI or EU:
//   pre = EI[t_q] + Σ_{h,j} pattern[h, j] PI_h[j V + t_j]      logits = EU[t_q] + Σ_{h,j} pattern[h, j] PU_h[j V + t_j] + post OutU
// The same function as examples.ts; the [B, D] x [D, M] product and its two gradient products become row reads.
// The H tables of a kind are one [H, rows, width] tensor, made (and differentiated) by batched products of the
// value table's head columns with O's head rows: no per-head slices.
//
// When every example has the same query token t (s.queryToken: x|y|= data), the query position's rows fold into the
// base: with pattern[h, q] = 1 - Σ_{j<q} pattern[h, j],
//   pre = (EI[t] + Σ_h PI_h[q V + t]) + Σ_{h, j<q} pattern[h, j] (PI_h[j V + t_j] - PI_h[q V + t])
// so each example mixes H q rows instead of H n. The pattern's gradient then lacks the q entries; softmax's backward
// ignores a shift shared by a row's entries, so 0 there gives the same score gradients.
import * as tf from '@tensorflow/tfjs-core';
import { batchMatMul, rowMix, rowMixBackward, type RowMixGrads } from '@grokking/wasm-kernels';
import type { ActFn } from '../config';
import { softmax } from '../components/softmax';
import type { AttentionTables } from './attention-tables';
import { act, actBackward, scoreTableGrad, type ExampleGrads } from './examples';
import type { MixedIndices } from './host-indices';
import { add, sub } from '../components/elementwise';
import { concatMatrices, matrixProduct, padMatrix, sliceMatrix, transposeMatrix } from './matrix';
import type { ReadoutTables } from './readout-tables';
import type { TensorMap } from './saved';
import { foldsQuery, type FastSizes } from './sizes';

/** What the backward needs. */
export interface MixedSaved {
  pattern: tf.Tensor3D; // [B, H, n]
  hidden: tf.Tensor2D; // [B, M]: post (ReLU) or pre (GELU)
  valuesT: tf.Tensor3D; // [H, dh, r]: the mixed value rows (r = n V, or q V folded) by head, transposed
  Vq: tf.Tensor2D | null; // [1, D]: the query token's value row at q when the query folds, else null
  TI: tf.Tensor3D; // [H, r, M]: per head h the table mixed into the MLP input, PI_h or its folded rows
  TU: tf.Tensor3D; // [H, r, Vo]: per head h the table mixed into the logits, PU_h or its folded rows
}

/** Maps every tensor of {@link MixedSaved} (see saved.ts). @example mapMixedSaved(saved, (t) => t); */
export function mapMixedSaved(saved: MixedSaved, map: TensorMap): MixedSaved {
  const { pattern, hidden, valuesT, Vq, TI, TU } = saved;
  return { pattern: map(pattern), hidden: map(hidden), valuesT: map(valuesT), Vq: Vq && map(Vq), TI: map(TI), TU: map(TU) };
}

/** A [D, width] matrix's head rows, stacked: [H, dh, width] (a reshape: the rows are head-major). */
const byHead = (m: tf.Tensor2D, s: FastSizes): tf.Tensor3D => tf.reshape(m, [s.H, s.dh, m.shape[1]]);

/** The mixing weights: the pattern [B, H, n], or its first q positions [B, H, q] when the query folds. */
function mixWeights(pattern: tf.Tensor3D, s: FastSizes): tf.Tensor3D {
  if (!foldsQuery(s)) return pattern;
  const { B, H, n, q } = s;
  return tf.reshape(sliceMatrix(tf.reshape(pattern, [B * H, n]), [0, 0], [B * H, q]), [B, H, q]); // [B, H, q]
}

/**
 * The value rows the examples mix, by head and transposed ([H, dh, r]): every row of the value table [n V, D], or,
 * when the query folds, the differences Vd = V[j < q] - Vq [q V, D] from the query token's row Vq [1, D].
 */
function mixedValues(values: tf.Tensor2D, s: FastSizes): { valuesT: tf.Tensor3D; Vq: tf.Tensor2D | null } {
  const { q, V, D, H, dh } = s;
  const heads = (m: tf.Tensor2D) => tf.reshape(transposeMatrix(m), [H, dh, m.shape[0]]) as tf.Tensor3D; // [H, dh, r]
  if (!foldsQuery(s)) return { valuesT: heads(values), Vq: null };
  const Vq = sliceMatrix(values, [q * V + s.queryToken!, 0], [1, D]); // [1, D]
  return { valuesT: heads(sub(sliceMatrix(values, [0, 0], [q * V, D]), Vq)), Vq };
}

/**
 * The tables to mix, [H, r, width] with table h = V_h O_h (V_h: head h's value columns, O_h: head h's rows of the
 * readout matrix O [D, width]), and their base: E as it is, or, folded, E + Vq O.
 */
function mixTables(valuesT: tf.Tensor3D, Vq: tf.Tensor2D | null, O: tf.Tensor2D, E: tf.Tensor2D, s: FastSizes) {
  const tables = batchMatMul(valuesT, byHead(O, s), true, false); // [H, r, width]
  return { tables, base: Vq ? add(E, matrixProduct(Vq, O)) : E }; // base [Q, width] (folded: [1, width])
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
  const pattern = softmax(tf.gatherND(attn.scores, idx.scores) as tf.Tensor3D); // [B, H, n]
  const { valuesT, Vq } = mixedValues(attn.values, s); // [H, dh, r]
  const mi = mixTables(valuesT, Vq, ro.OI, ro.EI, s); // [H, r, M], base [Q, M]
  const mu = mixTables(valuesT, Vq, ro.OU, ro.EU, s); // [H, r, Vo], base [Q, Vo]
  const weights = mixWeights(pattern, s);
  const relu = actFn === 'relu';
  const mixedIn = rowMix(mi.tables, mi.base, idx.query, idx.mixRows, weights, relu); // [B, M]: post (ReLU) or pre
  const post = relu ? mixedIn : act(actFn, mixedIn); // [B, M]
  const fromAttn = rowMix(mu.tables, mu.base, idx.query, idx.mixRows, weights, false); // [B, Vo]
  const logits = add(fromAttn, matrixProduct(post, ro.OutU)); // [B, Vo]
  return { logits, saved: { pattern, hidden: mixedIn, valuesT, Vq, TI: mi.tables, TU: mu.tables } };
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
  const { pattern, hidden, TI, TU } = saved;
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
  const dWeights = add(gi.dWeights as tf.Tensor3D, gu.dWeights); // [B, H, n] or [B, H, q]
  const dPattern = foldsQuery(s) ? tf.reshape(padMatrix(tf.reshape(dWeights, [s.B * s.H, s.q]), [[0, 0], [0, 1]]), [s.B, s.H, s.n]) as tf.Tensor3D : dWeights; // [B, H, n]: 0 at q (see top)
  const dScores = scoreTableGrad(pattern, dPattern, idx, s); // [Q H n V]
  const { dOI, dOU, dValues } = tableGrads(gi, gu, saved, ro, s);
  return { dScores, dValues, dOI, dOU, dOutU, dEI: gi.dBase, dEU: gu.dBase };
}

/**
 * From the tables' gradients dPI, dPU [H, r, width] to those of OI [D, M], OU [D, Vo] and the value table [n V, D].
 * Per head: dOI_h = V_h^T dPI_h and dV_h^T = OI_h dPI_h^T + OU_h dPU_h^T, each a batched product over the heads.
 * Folded, the tables are Vd_h O_h and the base E + Vq O (for O = OI and OU), so dO gains Vq^T dBase, and
 * dVq = dBase OI^T + dBase_U OU^T - Σ_rows dVd (Vq enters every folded row with a minus sign).
 */
function tableGrads(gi: RowMixGrads, gu: RowMixGrads, saved: MixedSaved, ro: Pick<ReadoutTables, 'OI' | 'OU'>, s: FastSizes) {
  const { valuesT, Vq } = saved;
  const { V, D, M, Vo } = s;
  const r = valuesT.shape[2];
  const fromTables = (dP: tf.Tensor3D, width: number) => tf.reshape(batchMatMul(valuesT, dP), [D, width]) as tf.Tensor2D; // [D, width]
  const dValuesT = add(
    batchMatMul(byHead(ro.OI, s), gi.dTables, false, true), // [H, dh, r]
    batchMatMul(byHead(ro.OU, s), gu.dTables, false, true), // [H, dh, r]
  );
  const dRowsT = tf.reshape(dValuesT, [D, r]) as tf.Tensor2D; // [D, r]: the mixed rows' gradients, transposed
  const dRows = transposeMatrix(dRowsT); // [r, D]
  if (!Vq) return { dOI: fromTables(gi.dTables, M), dOU: fromTables(gu.dTables, Vo), dValues: dRows };
  const t = s.queryToken!;
  const dBaseRow = add(batchMatMul(gi.dBase, ro.OI, false, true), batchMatMul(gu.dBase, ro.OU, false, true)); // [1, D]
  const dVq = sub(dBaseRow, tf.reshape(tf.sum(dRowsT, 1), [1, D])); // [1, D]
  return {
    dOI: add(fromTables(gi.dTables, M), batchMatMul(Vq, gi.dBase, true, false)), // [D, M]
    dOU: add(fromTables(gu.dTables, Vo), batchMatMul(Vq, gu.dBase, true, false)), // [D, Vo]
    dValues: concatMatrices([dRows, padMatrix(dVq, [[t, V - 1 - t], [0, 0]])], 0), // [n V, D]
  };
}
