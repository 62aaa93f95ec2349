// Cross-entropy for measuring (no gradient), accurate down to the smallest float32 losses. A grokked model's train
// loss is ~1e-7 and the progress measures compare such losses, so plain float32 log-softmax (which rounds any loss
// below ~6e-8 to exactly 0) is not good enough. This is the same form as the trainer's precise loss:
//   with m = max(z), e_j = exp(z_j - m):  loss = (m - z_c) + log1p((e_c - 1) + Σ_{j≠c} e_j)
// When c is the arg-max, e_c - 1 is exactly 0 and log1p sees only the small sum; otherwise the loss is >= log 2 and
// rounding is harmless. Two kernels are avoided because tfjs-wasm 4.22 gets them wrong: Log1p (it computes
// log(1 + x), 0 for |x| < 6e-8; see log1p below) and OneHot (it ignores the float32 dtype; the mask is built with
// equal + cast instead).
import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-row cross-entropy of logits against integer targets, in float32 with a careful log-softmax.
 * Returns a tensor the caller owns.
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
    const shifted = tf.sub(logits, tf.max(logits, 1, true)); // [rows, vocab] z - m
    const e = tf.exp(shifted); // [rows, vocab]
    const eC = tf.sum(tf.mul(e, oneHot), 1); // [rows] exp(z_c - m)
    const rest = tf.sum(tf.mul(e, tf.sub(1, oneHot)), 1); // [rows] Σ_{j≠c} exp(z_j - m)
    const marginC = tf.sum(tf.mul(shifted, oneHot), 1); // [rows] z_c - m
    return tf.sub(log1p(tf.add(tf.sub(eC, 1), rest)), marginC) as tf.Tensor1D; // [rows]
  });
}

/**
 * log(1 + x), accurate for tiny x on every backend, by Goldberg's identity: with u = fl(1 + x), log1p(x) = x when
 * u == 1, else log(u) · x / (u - 1), within a few ulps given an accurate log (u - 1 is exact in floating point).
 */
function log1p(x: tf.Tensor): tf.Tensor {
  const u = tf.add(x, 1); // fl(1 + x)
  const shifted = tf.sub(u, 1); // fl(u - 1), exact
  const same = tf.equal(shifted, 0);
  const safe = tf.where(same, tf.onesLike(u), shifted); // no 0 / 0 in the branch not taken
  return tf.where(same, x, tf.mul(tf.div(tf.log(u), safe), x));
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
