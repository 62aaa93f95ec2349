// Tensors over all p² inputs brought to a [p, p, channels] grid, and the first p (number-token) rows of a matrix.
import * as tf from '@tensorflow/tfjs-core';
import { checkModulus } from './basis';

/** A tensor indexed by (x, y) brought to [p, p, channels], and the trailing shape it had. */
export interface Grid {
  /** [p, p, channels], x-major: grid[x][y] is the input (x, y). */
  grid: tf.Tensor3D;
  /** The shape after the input axes (empty for one value per input); channels is its product. */
  rest: number[];
  /** Whether the input axes came flattened as one axis of p*p (x-major). */
  flat: boolean;
}

/**
 * Reads a tensor over all p² inputs, given either as [p, p, ...rest] or flattened x-major as [p*p, ...rest]
 * (input (x, y) at row x*p + y), as a [p, p, channels] tensor. `what` names the argument in errors.
 *
 * @example
 * const { grid, rest } = toGrid(neuronActs, 113, 'neuronActs'); // [12769, 512] -> grid [113, 113, 512], rest [512]
 */
export function toGrid(t: tf.Tensor, p: number, what: string): Grid {
  checkModulus(p);
  const shape = t.shape;
  let rest: number[];
  let flat: boolean;
  if (shape.length >= 2 && shape[0] === p && shape[1] === p) {
    rest = shape.slice(2);
    flat = false;
  } else if (shape.length >= 1 && shape[0] === p * p) {
    rest = shape.slice(1);
    flat = true;
  } else {
    throw new Error(`${what} must have shape [p, p, ...] or [p*p, ...] with p = ${p}, got [${shape.join(', ')}]`);
  }
  const channels = rest.reduce((a, b) => a * b, 1);
  return { grid: tf.reshape(t, [p, p, channels]), rest, flat }; // [p, p, channels]
}

/**
 * The first p rows of a matrix whose leading axis is indexed by a token (e.g. W_E [d_vocab, d_model], where rows
 * past p are extra tokens such as `=`), as [p, columns]. `what` names the argument in errors.
 *
 * @example
 * const E = firstRows(W_E, 113, 'W_E'); // [114, 128] -> [113, 128]
 */
export function firstRows(t: tf.Tensor, p: number, what: string): tf.Tensor2D {
  checkModulus(p);
  if (t.rank !== 2 || (t.shape[0] ?? 0) < p) {
    throw new Error(`${what} must be a matrix with at least p = ${p} rows, got shape [${t.shape.join(', ')}]`);
  }
  return tf.slice(t, [0, 0], [p, -1]) as tf.Tensor2D; // [p, columns]
}
