// Tensors of an operation's model re-indexed by its group (operation-group.ts), so that every x+y tool of this package
// reads them with p := m: inputs onto the m x m grid of group indices (a-major), outputs and token rows into group
// order. After re-indexing, cos(w(a+b)) over the grid is the operation's direction and fitCosXPlusYMinusZ fits
// Σ α cos(w(a+b-c)).
import * as tf from '@tensorflow/tfjs-core';
import type { OperationGroup } from './operation-group';

/**
 * For each cell (a, b) of the group grid, a-major, the row of the inputs (x, y) with group indices a and b; rows whose
 * x or y is left out of the group (0 in multiply and divide) map to no cell. Inputs may come in any order.
 *
 * @throws when two rows fall in one cell, a cell has no row, or a residue is out of range.
 * @example
 * const { x, y } = task.pairs(); // every pair of a modular task
 * const order = groupInputOrder(operationGroup(7, 'multiply'), x, y); // [36]: rows of all() on the 6 x 6 grid
 */
export function groupInputOrder(group: OperationGroup, xs: ArrayLike<number>, ys: ArrayLike<number>): Int32Array {
  const { m, p } = group;
  if (xs.length !== ys.length) throw new Error(`xs and ys must have one entry per input, got ${xs.length} and ${ys.length}`);
  const order = new Int32Array(m * m).fill(-1);
  for (let row = 0; row < xs.length; row++) {
    const x = xs[row]!;
    const y = ys[row]!;
    if (!(Number.isInteger(x) && x >= 0 && x < p && Number.isInteger(y) && y >= 0 && y < p)) {
      throw new Error(`input ${row} is (${x}, ${y}); expected residues in [0, ${p - 1}]`);
    }
    const a = group.x[x]!;
    const b = group.y[y]!;
    if (a < 0 || b < 0) continue;
    const cell = a * m + b;
    if (order[cell] !== -1) throw new Error(`inputs ${order[cell]} and ${row} are both (${x}, ${y}) in the group of ${group.operation}`);
    order[cell] = row;
  }
  const missing = order.indexOf(-1);
  if (missing !== -1) {
    const [a, b] = [Math.floor(missing / m), missing % m];
    const x = group.x.indexOf(a);
    const y = group.y.indexOf(b);
    throw new Error(`no input (${x}, ${y}) of ${group.operation} mod ${p}: the group grid needs every pair with x, y in the group`);
  }
  return order;
}

/**
 * A permutation of `width` token or output indices: the group's residues in group order (the residue with index 0,
 * 1, ..., m-1 of the given side), then every other index in increasing order (0 for multiply and divide, and extra
 * tokens such as `=`).
 *
 * @example
 * groupIndexOrder(operationGroup(7, 'multiply').z, 7); // [1, 3, 2, 6, 4, 5, 0]: 3^0..3^5, then 0
 */
export function groupIndexOrder(side: Int32Array, width: number): Int32Array {
  if (!Number.isInteger(width) || width < side.length) throw new Error(`width must be an integer >= p = ${side.length}, got ${width}`);
  const m = Math.max(-1, ...side) + 1;
  const order: number[] = new Array<number>(m).fill(-1);
  side.forEach((index, residue) => {
    if (index >= 0) order[index] = residue;
  });
  for (let i = 0; i < width; i++) if (i >= side.length || side[i]! < 0) order.push(i);
  return Int32Array.from(order);
}

/**
 * Rows of a tensor over inputs [rows, ...] (one row per input (xs[i], ys[i])) brought onto the group grid:
 * [m*m, ...], row a*m + b the input with group indices (a, b). Returns a tensor the caller owns.
 *
 * @example
 * const grid = reindexInputs(logits, group, x, y); // [p*p, p] -> [m*m, p]; then reindexOutputs for the columns
 */
export function reindexInputs(t: tf.Tensor, group: OperationGroup, xs: ArrayLike<number>, ys: ArrayLike<number>): tf.Tensor {
  if (t.rank < 1 || t.shape[0] !== xs.length) throw new Error(`the tensor must have one row per input (${xs.length}), got shape [${t.shape.join(', ')}]`);
  return tf.gather(t, groupInputOrder(group, xs, ys), 0);
}

/**
 * The last axis of a tensor over answers (logits [..., d_vocab_out], W_L [d_mlp, d_vocab_out]) in group order: the
 * answers with group index 0..m-1 first, then the others. Returns a tensor the caller owns.
 *
 * @example
 * reindexOutputs(W_L, operationGroup(113, 'multiply')); // column c < 112 is the answer g^c
 */
export function reindexOutputs(t: tf.Tensor, group: OperationGroup): tf.Tensor {
  const width = t.shape[t.rank - 1] ?? 0;
  return tf.gather(t, groupIndexOrder(group.z, width), t.rank - 1);
}

/**
 * The rows of a token matrix (W_E [d_vocab, d_model]) in the group order of the first operand: the number with group
 * index 0..m-1 first (its logarithm for multiply and divide), then the others. x's side is used because both operands
 * share the embedding; for subtract and divide the second operand's indices are the negation, which leaves every
 * Fourier norm unchanged. Returns a tensor the caller owns.
 *
 * @example
 * embeddingFourierNorms(reindexTokens(W_E, group), group.m); // W_E's frequencies in log space
 */
export function reindexTokens(t: tf.Tensor, group: OperationGroup): tf.Tensor {
  return tf.gather(t, groupIndexOrder(group.x, t.shape[0] ?? 0), 0);
}
