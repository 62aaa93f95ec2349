// The MLP and unembedding with the attention output and the query's embedding folded in. At the scored position q,
//   resid_mid = W_E[t_q] + W_pos[q] + z W_O + b_O           (z: the heads' mixed values, [D])
//   pre       = resid_mid W_in + b_in = EI[t_q] + z OI
//   logits    = (resid_mid + post W_out + b_out) W_U + b_U = EU[t_q] + z OU + post OutU
// with OI = W_O W_in [D, M], OU = W_O W_U [D, Vo], OutU = W_out W_U [M, Vo], and per-token tables (constants
// included) EI = W_E W_in + c_in [Q, M], EU = W_E W_U + c_U [Q, Vo] for the Q query tokens (every token, or the
// given query rows). Products of small matrices come first; each example then does z OI, post OutU and z OU only.
import * as tf from '@tensorflow/tfjs-core';
import type { FastSizes, OneLayerParams } from './sizes';
import { add } from '../components/elementwise';
import { concatMatrices, matrixProduct, sliceMatrix, transposeMatrix } from './matrix';
import type { TensorMap } from './saved';

/** The folded matrices the examples use. */
export interface ReadoutTables {
  OI: tf.Tensor2D; // [D, M]
  OU: tf.Tensor2D; // [D, Vo]
  OutU: tf.Tensor2D; // [M, Vo]
  EI: tf.Tensor2D; // [Q, M], c_in = (W_pos[q] + b_O) W_in + b_in included
  EU: tf.Tensor2D; // [Q, Vo], c_U = (W_pos[q] + b_O + b_out) W_U + b_U included
  saved: ReadoutTablesSaved;
}

/** What the readout tables' backward needs. */
export interface ReadoutTablesSaved {
  R: tf.Tensor2D; // [Q + D + 1, d]: W_E's query rows, W_O as [D, d], W_pos[q] + b_O
  WIU: tf.Tensor2D; // [d, M + Vo]: W_in | W_U
  Wout: tf.Tensor2D; // [M + 1, d]: W_out then b_out
}

/** Maps every tensor of {@link ReadoutTables}, its saved inputs included (see saved.ts). @example mapReadoutTables(ro, (t) => t); */
export function mapReadoutTables(ro: ReadoutTables, map: TensorMap): ReadoutTables {
  const { R, WIU, Wout } = ro.saved;
  return {
    OI: map(ro.OI), OU: map(ro.OU), OutU: map(ro.OutU), EI: map(ro.EI), EU: map(ro.EU),
    saved: { R: map(R), WIU: map(WIU), Wout: map(Wout) },
  };
}

/**
 * Builds the folded readout matrices from the parameters. `queryRows` [Q, 1] int32 picks the query tokens (all V
 * when null).
 *
 * @example
 * const { OI, OU, OutU, EI, EU } = readoutTables(params, fastSizes(config, batch, 2), null);
 */
export function readoutTables(p: OneLayerParams, s: FastSizes, queryRows: tf.Tensor2D | null): ReadoutTables {
  const { Q, D, M, Vo, d, q } = s;
  const r = add(sliceMatrix(p.W_pos, [q, 0], [1, d]), p.b_O); // [1, d]
  const E = queryRows ? tf.gatherND(p.W_E, queryRows) : p.W_E; // [Q, d]
  const R = concatMatrices([E, tf.reshape(p.W_O, [D, d]), r], 0); // [Q + D + 1, d]
  const WIU = concatMatrices([p.W_in, p.W_U], 1); // [d, M + Vo]
  const PR = matrixProduct(R, WIU) as tf.Tensor2D; // [Q + D + 1, M + Vo]
  const Wout = concatMatrices([p.W_out, tf.reshape(p.b_out, [1, d])], 0); // [M + 1, d]
  const OutUb = matrixProduct(Wout, p.W_U) as tf.Tensor2D; // [M + 1, Vo]
  const cIn = add(sliceMatrix(PR, [Q + D, 0], [1, M]), p.b_in); // [1, M]
  const cU = add(add(sliceMatrix(PR, [Q + D, M], [1, Vo]), sliceMatrix(OutUb, [M, 0], [1, Vo])), p.b_U); // [1, Vo]
  return {
    OI: sliceMatrix(PR, [Q, 0], [D, M]), // [D, M]
    OU: sliceMatrix(PR, [Q, M], [D, Vo]), // [D, Vo]
    OutU: sliceMatrix(OutUb, [0, 0], [M, Vo]), // [M, Vo]
    EI: add(sliceMatrix(PR, [0, 0], [Q, M]), cIn), // [Q, M]
    EU: add(sliceMatrix(PR, [0, M], [Q, Vo]), cU), // [Q, Vo]
    saved: { R, WIU, Wout },
  };
}

/** Gradients of the folded matrices. */
export interface ReadoutTableGradsIn {
  dOI: tf.Tensor2D; // [D, M]
  dOU: tf.Tensor2D; // [D, Vo]
  dOutU: tf.Tensor2D; // [M, Vo]
  dEI: tf.Tensor2D; // [Q, M]
  dEU: tf.Tensor2D; // [Q, Vo]
}

/** Gradients of the readout's parameters. W_E and W_pos get only the readout's share (W_pos only at row q). */
export interface ReadoutParamGrads {
  W_E: tf.Tensor2D; // [V, d]
  posRowQ: tf.Tensor2D; // [1, d]
  W_O: tf.Tensor3D; // [H, dh, d]
  b_O: tf.Tensor1D; // [d]
  W_in: tf.Tensor2D; // [d, M]
  b_in: tf.Tensor1D; // [M]
  W_out: tf.Tensor2D; // [M, d]
  b_out: tf.Tensor1D; // [d]
  W_U: tf.Tensor2D; // [d, Vo]
  b_U: tf.Tensor1D; // [Vo]
}

/**
 * Backward of {@link readoutTables}. The constants c_in and c_U enter every row of EI and EU, so their gradients
 * are the column sums of dEI and dEU.
 *
 * @example
 * const grads = readoutTablesBackward({ dOI, dOU, dOutU, dEI, dEU }, p.W_U, saved, null, sizes);
 */
export function readoutTablesBackward(
  g: ReadoutTableGradsIn,
  W_U: tf.Tensor2D,
  saved: ReadoutTablesSaved,
  queryRows: tf.Tensor2D | null,
  s: FastSizes,
): ReadoutParamGrads {
  const { V, Q, D, M, Vo, d, H, dh } = s;
  const { R, WIU, Wout } = saved;
  const dcIn = tf.sum(g.dEI, 0, true); // [1, M]
  const dcU = tf.sum(g.dEU, 0, true); // [1, Vo]
  const dPR = concatMatrices([
    concatMatrices([g.dEI, g.dEU], 1), // [Q, M + Vo]
    concatMatrices([g.dOI, g.dOU], 1), // [D, M + Vo]
    concatMatrices([dcIn, dcU], 1), // [1, M + Vo]
  ], 0) as tf.Tensor2D; // [Q + D + 1, M + Vo]
  const dR = matrixProduct(dPR, transposeMatrix(WIU)) as tf.Tensor2D; // [Q + D + 1, d]
  const dWIU = matrixProduct(transposeMatrix(R), dPR) as tf.Tensor2D; // [d, M + Vo]
  const dOutUb = concatMatrices([g.dOutU, dcU], 0); // [M + 1, Vo]
  const dWout = matrixProduct(dOutUb, transposeMatrix(W_U)) as tf.Tensor2D; // [M + 1, d]
  const dr = sliceMatrix(dR, [Q + D, 0], [1, d]); // [1, d]
  const dE = sliceMatrix(dR, [0, 0], [Q, d]); // [Q, d]
  return {
    W_E: queryRows ? (tf.scatterND(queryRows, dE, [V, d]) as tf.Tensor2D) : dE, // [V, d]
    posRowQ: dr, // [1, d]
    W_O: tf.reshape(sliceMatrix(dR, [Q, 0], [D, d]), [H, dh, d]), // [H, dh, d]
    b_O: tf.reshape(dr, [d]), // [d]
    W_in: sliceMatrix(dWIU, [0, 0], [d, M]), // [d, M]
    b_in: tf.reshape(dcIn, [M]), // [M]
    W_out: sliceMatrix(dWout, [0, 0], [M, d]), // [M, d]
    b_out: tf.reshape(sliceMatrix(dWout, [M, 0], [1, d]), [d]), // [d]
    W_U: add(sliceMatrix(dWIU, [0, M], [d, Vo]), matrixProduct(transposeMatrix(Wout), dOutUb)), // [d, Vo]
    b_U: tf.reshape(dcU, [Vo]), // [Vo]
  };
}
