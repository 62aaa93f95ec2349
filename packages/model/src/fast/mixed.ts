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
import { concatMatrices, sliceMatrix, transposeMatrix } from './matrix';
import type { ReadoutTables } from './readout-tables';
import { foldsQuery, type FastSizes } from './sizes';

/** What the backward needs. Per-head tensors are saved under `${name}${h}`. */
export interface MixedSaved {
  pattern: tf.Tensor3D; // [B, H, n]
  hidden: tf.Tensor2D; // [B, M]: post (ReLU) or pre (GELU)
  // valueHead [n V, dh]; TI, TU: the tables mixed, PI and PU ([n V, M], [n V, Vo]) or their folded rows ([q V, ...])
  [perHead: `${'valueHead' | 'TI' | 'TU'}${number}`]: tf.Tensor2D;
}

const perHead = (saved: MixedSaved, name: 'valueHead' | 'TI' | 'TU', s: FastSizes): tf.Tensor2D[] =>
  Array.from({ length: s.H }, (_, h) => saved[`${name}${h}`]!);

/** Head h's rows of a [D, cols] matrix: [dh, cols]. */
const headRows = (m: tf.Tensor2D, h: number, s: FastSizes): tf.Tensor2D => sliceMatrix(m, [h * s.dh, 0], [s.dh, m.shape[1]]);

/** The mixing weights: the pattern [B, H, n], or its first q positions [B, H, q] when the query folds. */
function mixWeights(pattern: tf.Tensor3D, s: FastSizes): tf.Tensor3D {
  if (!foldsQuery(s)) return pattern;
  const { B, H, n, q } = s;
  return tf.reshape(sliceMatrix(tf.reshape(pattern, [B * H, n]), [0, 0], [B * H, q]), [B, H, q]); // [B, H, q]
}

/** The query token's value rows Vq_h [1, dh] and the others' differences from them, Vd_h = V_h[j < q] - Vq_h [q V, dh]. */
function foldValues(valueHeads: tf.Tensor2D[], s: FastSizes): { Vq: tf.Tensor2D[]; Vd: tf.Tensor2D[] } {
  const { q, V, dh } = s;
  const Vq = valueHeads.map((v) => sliceMatrix(v, [q * V + s.queryToken!, 0], [1, dh])); // H x [1, dh]
  const Vd = valueHeads.map((v, h) => tf.sub(sliceMatrix(v, [0, 0], [q * V, dh]), Vq[h]!) as tf.Tensor2D); // H x [q V, dh]
  return { Vq, Vd };
}

/**
 * The tables to mix and their base for the folded rows O_h of a [D, width] readout matrix (OI or OU) with base E:
 * P_h = V_h O_h and E as they are, or, folded, Vd_h O_h and E + Σ_h Vq_h O_h.
 */
function mixTables(valueHeads: tf.Tensor2D[], O: tf.Tensor2D, E: tf.Tensor2D, s: FastSizes): { tables: tf.Tensor2D[]; base: tf.Tensor2D } {
  const rows = valueHeads.map((_, h) => headRows(O, h, s)); // H x [dh, width]
  if (!foldsQuery(s)) return { tables: valueHeads.map((v, h) => tf.matMul(v, rows[h]!) as tf.Tensor2D), base: E };
  const { Vq, Vd } = foldValues(valueHeads, s);
  return {
    tables: Vd.map((v, h) => tf.matMul(v, rows[h]!) as tf.Tensor2D), // H x [q V, width]
    base: Vq.reduce((acc, v, h) => tf.add(acc, tf.matMul(v, rows[h]!)), E as tf.Tensor) as tf.Tensor2D, // [1, width]
  };
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
  const { H, n, V, dh } = s;
  const pattern = tf.softmax(tf.gatherND(attn.scores, idx.scores) as tf.Tensor3D) as tf.Tensor3D; // [B, H, n]
  const valueHeads = Array.from({ length: H }, (_, h) => sliceMatrix(attn.values, [0, h * dh], [n * V, dh])); // H x [n V, dh]
  const mi = mixTables(valueHeads, ro.OI, ro.EI, s); // H x [n V or q V, M], base [Q, M]
  const mu = mixTables(valueHeads, ro.OU, ro.EU, s); // H x [n V or q V, Vo], base [Q, Vo]
  const weights = mixWeights(pattern, s);
  const relu = actFn === 'relu';
  const mixedIn = rowMix(mi.tables, mi.base, idx.query, idx.mixRows, weights, relu); // [B, M]: post (ReLU) or pre
  const post = relu ? mixedIn : act(actFn, mixedIn); // [B, M]
  const fromAttn = rowMix(mu.tables, mu.base, idx.query, idx.mixRows, weights, false); // [B, Vo]
  const logits = tf.add(fromAttn, tf.matMul(post, ro.OutU)) as tf.Tensor2D; // [B, Vo]
  const saved: MixedSaved = { pattern, hidden: mixedIn };
  for (let h = 0; h < H; h++) Object.assign(saved, { [`valueHead${h}`]: valueHeads[h], [`TI${h}`]: mi.tables[h], [`TU${h}`]: mu.tables[h] });
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
  idx: MixedIndices,
  actFn: ActFn,
  s: FastSizes,
): ExampleGrads {
  const { pattern, hidden } = saved;
  const [valueHeads, TI, TU] = [perHead(saved, 'valueHead', s), perHead(saved, 'TI', s), perHead(saved, 'TU', s)];
  const weights = mixWeights(pattern, s);
  const relu = actFn === 'relu';
  const post = relu ? hidden : act(actFn, hidden); // [B, M]
  const dOutU = tf.matMul(transposeMatrix(post), dLogits) as tf.Tensor2D; // [M, Vo]
  const dPost = tf.matMul(dLogits, transposeMatrix(ro.OutU)) as tf.Tensor2D; // [B, M]
  // The base's shape is the query rows' either way ([Q, width]; folded: Q = 1).
  const gi = relu
    ? rowMixBackward(TI, ro.EI, idx.query, idx.mixRows, weights, dPost, hidden) // ReLU's mask from post
    : rowMixBackward(TI, ro.EI, idx.query, idx.mixRows, weights, actBackward(actFn, dPost, hidden), null);
  const gu = rowMixBackward(TU, ro.EU, idx.query, idx.mixRows, weights, dLogits, null);
  const dWeights = tf.add(gi.dWeights, gu.dWeights) as tf.Tensor3D; // [B, H, n] or [B, H, q]
  const dPattern = foldsQuery(s) ? tf.pad(dWeights, [[0, 0], [0, 0], [0, 1]]) : dWeights; // [B, H, n]: 0 at q (see top)
  const dScores = scoreTableGrad(pattern, dPattern, idx, s); // [Q H n V]
  const { dOI, dOU, dValueHeads } = foldsQuery(s)
    ? foldedTableGrads(gi, gu, valueHeads, ro, s)
    : tableGrads(gi.dTables, gu.dTables, valueHeads, ro, s);
  const dValues = concatMatrices(dValueHeads, 1); // [n V, D]
  return { dScores, dValues, dOI, dOU, dOutU, dEI: gi.dBase, dEU: gu.dBase };
}

/**
 * Per head: dOI_h = V_h^T dPI_h, dV_h = dPI_h OI_h^T + dPU_h OU_h^T, for table gradients dPI_h [r, M], dPU_h [r, Vo]
 * against value rows V_h [r, dh]. XNNPACK (tfjs-wasm) packs a product's right operand on every call, one thread, so
 * dOI is taken transposed, dOI^T = [dPI_0^T V_0 | ...], with the narrow V_h on the right: two transposes cost less
 * than packing the wide gradients.
 */
function tableGrads(dPI: tf.Tensor2D[], dPU: tf.Tensor2D[], V: tf.Tensor2D[], ro: Pick<ReadoutTables, 'OI' | 'OU'>, s: FastSizes) {
  const transposed = (d: tf.Tensor2D[]) => transposeMatrix(concatMatrices(d.map((x, h) => tf.matMul(transposeMatrix(x), V[h]!)), 1));
  const dValueHeads = V.map((_, h) => tf.add(
    tf.matMul(dPI[h]!, transposeMatrix(headRows(ro.OI, h, s))), // [r, dh]
    tf.matMul(dPU[h]!, transposeMatrix(headRows(ro.OU, h, s))), // [r, dh]
  ) as tf.Tensor2D);
  return { dOI: transposed(dPI), dOU: transposed(dPU), dValueHeads }; // [D, M], [D, Vo], H x [r, dh]
}

/**
 * tableGrads for folded tables. With Vq_h = V_h[q V + t] and Vd_h = V_h[j < q] - Vq_h, the folded tables are
 * Vd_h OI_h and the base E + Σ_h Vq_h OI_h, so dOI_h = Vd_h^T dT_h + Vq_h^T dBase, dVd_h = dT_h OI_h^T, and
 * dVq_h = dBase OI_h^T - Σ_rows dVd_h (Vq_h enters every folded row with a minus sign).
 */
function foldedTableGrads(gi: RowMixGrads, gu: RowMixGrads, valueHeads: tf.Tensor2D[], ro: Pick<ReadoutTables, 'OI' | 'OU'>, s: FastSizes) {
  const { V } = s;
  const t = s.queryToken!;
  const { Vq, Vd } = foldValues(valueHeads, s);
  const g = tableGrads(gi.dTables, gu.dTables, Vd, ro, s); // dOI, dOU from the folded rows; dVd_h [q V, dh]
  const outer = (dBase: tf.Tensor2D) => transposeMatrix(concatMatrices(Vq.map((v) => tf.matMul(transposeMatrix(dBase), v)), 1)); // [D, width]
  const dValueHeads = g.dValueHeads.map((dVd, h) => {
    const dBaseRow = tf.add(
      tf.matMul(gi.dBase, transposeMatrix(headRows(ro.OI, h, s))), // [1, dh]
      tf.matMul(gu.dBase, transposeMatrix(headRows(ro.OU, h, s))), // [1, dh]
    );
    const dVq = tf.sub(dBaseRow, tf.sum(dVd, 0, true)); // [1, dh]
    return concatMatrices([dVd, tf.pad(dVq, [[t, V - 1 - t], [0, 0]])], 0); // [n V, dh]
  });
  return { dOI: tf.add(g.dOI, outer(gi.dBase)) as tf.Tensor2D, dOU: tf.add(g.dOU, outer(gu.dBase)) as tf.Tensor2D, dValueHeads };
}
