// Picking sequence positions with slices and a concat, whose gradients (pad, split) work on every backend;
// tf.gather's gradient needs UnsortedSegmentSum, which the wasm backend lacks.
import * as tf from '@tensorflow/tfjs-core';

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
  if (isAllPositions(positions, x.shape[1]!)) return x;
  const pieces: tf.Tensor[] = [];
  let start = 0;
  for (let i = 1; i <= positions.length; i++) {
    if (i < positions.length && positions[i] === positions[i - 1]! + 1) continue;
    const from = positions[start]!;
    const size = [...x.shape];
    size[1] = i - start;
    const begin = x.shape.map((_, axis) => (axis === 1 ? from : 0));
    pieces.push(tf.slice(x, begin, size)); // [batch, run length, ...]
    start = i;
  }
  return (pieces.length === 1 ? pieces[0]! : tf.concat(pieces, 1)) as T; // [batch, positions.length, ...]
}
