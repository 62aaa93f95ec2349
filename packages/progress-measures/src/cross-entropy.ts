// Cross-entropy for measuring (no gradient): the rows' losses against integer targets, by @grokking/model's precise
// loss, the one the trainer optimises. A grokked model's train loss is ~1e-7 and the progress measures compare such
// losses, so plain float32 log-softmax (which rounds any loss below ~6e-8 to exactly 0) is not good enough; the
// precise form keeps losses down to ~1e-38. The targets' one-hot mask is built with equal + cast, not tf.oneHot:
// tfjs-wasm 4.22's OneHot ignores the float32 dtype.
import * as tf from '@tensorflow/tfjs-core';
import { preciseCrossEntropy } from '@grokking/model';

/**
 * Per-row cross-entropy of logits against integer targets, in float32 by the precise form (`preciseCrossEntropy` of
 * @grokking/model). Returns a tensor the caller owns.
 *
 * @param logits - [rows, vocab]
 * @param targets - int32 [rows], each in [0, vocab)
 * @returns [rows] losses
 * @example
 * const loss = rowCrossEntropy(tf.tensor2d([[20, 0, 0]]), tf.tensor1d([0], 'int32')); // [~4.12e-9] = log1p(2e^-20)
 */
export function rowCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Tensor1D {
  const [rows, vocab] = logits.shape;
  if (targets.rank !== 1 || targets.shape[0] !== rows) {
    throw new Error(`targets must have shape [${rows}] to match logits [${rows}, ${vocab}], got [${targets.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    const classes = tf.range(0, vocab, 1, 'int32'); // [vocab]
    const oneHot = tf.cast(tf.equal(tf.expandDims(classes, 0), tf.expandDims(tf.cast(targets, 'int32'), 1)), 'float32'); // [rows, vocab]
    return preciseCrossEntropy(logits, oneHot as tf.Tensor2D); // [rows]
  });
}

/** Mean loss and accuracy of some rows, summed in float64. */
export interface RowStats {
  /** Per-row losses, [rows]. */
  losses: Float32Array;
  /** Per-row correctness (arg-max equals the target), [rows]. */
  correct: Uint8Array;
}

/**
 * Per-row losses and correctness as plain arrays: logits [rows, vocab], targets [rows]. No tensor is left behind.
 *
 * @example
 * const { losses, correct } = await rowStats(logits, Int32Array.from([3, 1]));
 */
export async function rowStats(logits: tf.Tensor2D, targets: Int32Array): Promise<RowStats> {
  const [lossT, predT] = tf.tidy(() => {
    const t = tf.tensor1d(targets, 'int32'); // [rows]
    return [rowCrossEntropy(logits, t), tf.argMax(logits, 1)]; // [rows] each
  });
  const [losses, predicted] = await Promise.all([lossT.data(), predT.data()]);
  tf.dispose([lossT, predT]);
  const correct = new Uint8Array(targets.length);
  for (let i = 0; i < targets.length; i++) correct[i] = predicted[i] === targets[i] ? 1 : 0;
  return { losses: losses as Float32Array, correct };
}

/**
 * The mean of some values in float64, or NaN for none.
 *
 * @example
 * mean(Float32Array.from([1, 2])); // 1.5
 */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return values.length ? sum / values.length : NaN;
}
