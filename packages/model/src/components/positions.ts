// Picking sequence positions with slices and a concat, whose gradients (pad, split) work on every backend;
// tf.gather's gradient needs UnsortedSegmentSum, which the wasm backend lacks. The slices are matrix slices of
// x seen as [batch, pos * rest], so on wasm they are @grokking/wasm-kernels' row copies (tfjs-wasm's own Slice copies
// its whole input out to JavaScript first).
import * as tf from '@tensorflow/tfjs-core';
import { concatMatrices, sliceMatrix } from '../fast/matrix';

/**
 * Checks a list of positions for a sequence of length `nPos`.
 *
 * @throws when the list is empty or a position is not an integer in [0, nPos).
 * @example
 * checkPositions([2], 3); // ok
 */
export function checkPositions(positions: readonly number[], nPos: number): void {
  if (!Array.isArray(positions) || positions.length === 0) {
    throw new Error(`positions must be a non-empty list of positions, got ${JSON.stringify(positions)}`);
  }
  for (const p of positions) {
    if (!Number.isInteger(p) || p < 0 || p >= nPos) {
      throw new Error(`positions must be integers in [0, ${nPos}), got ${p}`);
    }
  }
}

/** Whether `positions` is exactly 0, 1, ..., nPos - 1 (so selecting them changes nothing). */
export function isAllPositions(positions: readonly number[], nPos: number): boolean {
  return positions.length === nPos && positions.every((p, i) => p === i);
}

/**
 * x [batch, pos, ...] -> [batch, positions.length, ...], the given positions in the given order.
 * Runs of consecutive positions become one slice each.
 *
 * @example
 * selectPositions(x, [2]); // x[:, 2:3]
 */
export function selectPositions<T extends tf.Tensor>(x: T, positions: readonly number[]): T {
  const [batch, nPos, ...rest] = x.shape as number[];
  if (isAllPositions(positions, nPos!)) return x;
  const width = rest.reduce((a, b) => a * b, 1); // floats per position
  const flat = tf.reshape(x, [batch!, nPos! * width]) as tf.Tensor2D; // [batch, pos * rest]
  const pieces: tf.Tensor2D[] = [];
  let start = 0;
  for (let i = 1; i <= positions.length; i++) {
    if (i < positions.length && positions[i] === positions[i - 1]! + 1) continue;
    pieces.push(sliceMatrix(flat, [0, positions[start]! * width], [batch!, (i - start) * width])); // [batch, run length * rest]
    start = i;
  }
  const joined = pieces.length === 1 ? pieces[0]! : concatMatrices(pieces, 1); // [batch, positions.length * rest]
  return tf.reshape(joined, [batch!, positions.length, ...rest]) as tf.Tensor as T; // [batch, positions.length, ...]
}
