// Cross-entropy on scored rows of logits, in two float32 forms: the one loss of the toolkit. The trainer optimises it
// and the progress measures measure with it, so both see the same numbers.
//
// naive:   -log_softmax(z)_c = logsumexp(z) - z_c. Once the correct logit leads every other by ~16 or more,
//          logsumexp(z) rounds to exactly z_c (1 + x == 1 in float32 for x < 2^-24), so the loss is exactly 0 and so
//          is its gradient on the correct logit. The write-up traces its slingshots to this rounding.
// precise: with m = max(z) and e_j = exp(z_j - m), S = e_c + R where R = sum_{j != c} e_j, and
//            loss = (m - z_c) + log1p((e_c - 1) + R).
//          When c is the arg-max, e_c - 1 is exactly 0 and this is log1p(sum_{j != c} exp(z_j - z_c)), accurate down
//          to the smallest float32; otherwise the loss is at least log 2 and plain rounding is harmless. Its gradient
//          (a custom one) is e_j / S for j != c and -R / S for the correct class: the same precision, with no 1 - p_c.
//          On wasm both directions run as kernels of @grokking/wasm-kernels (SIMD exp, one pass each; the log1p in
//          float64, rounded once).
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropyAvailable, crossEntropyGrad, crossEntropyParts } from '@grokking/wasm-kernels';

/** Which cross-entropy: `precise` (default; accurate near zero loss) or `naive` (log-softmax; reproduces slingshots). */
export type LossForm = 'precise' | 'naive';

/**
 * Per-row cross-entropy of logits against one-hot targets, accurate when the loss is tiny (down to ~1e-38).
 *
 * @param logits - [rows, vocab] float32
 * @param oneHot - [rows, vocab] float32, 1 at each row's target
 * @returns [rows] losses; differentiable with respect to `logits`
 *
 * @example
 * const z = tf.tensor2d([[20, 0, 0]]); // correct class 0, margin 20
 * preciseCrossEntropy(z, tf.tensor2d([[1, 0, 0]])).dataSync(); // [~4.12e-9] = log1p(2 e^-20)
 */
export function preciseCrossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Tensor1D {
  const fused = crossEntropyAvailable(); // wasm: one kernel pass each way (@grokking/wasm-kernels)
  const ce = tf.customGrad((z, y, save) => {
    const z2 = z as tf.Tensor2D;
    const y2 = y as tf.Tensor2D;
    const { e, eC, rest, loss } = fused ? crossEntropyParts(z2, y2) : preciseParts(z2, y2); // loss [rows]
    (save as tf.GradSaveFunc)([e, y2, eC, rest]);
    return {
      value: loss,
      gradFunc: (dy, saved) => {
        const [eS, yS, eCS, restS] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
        if (fused) return [crossEntropyGrad(eS, yS, eCS, restS, dy as tf.Tensor1D), tf.zerosLike(yS)];
        const total = tf.expandDims(tf.add(eCS, restS), 1); // [rows, 1] S = sum_j exp(z_j - m)
        const others = tf.div(tf.mul(eS, tf.sub(1, yS)), total); // [rows, vocab] p_j off the target, 0 on it
        const correct = tf.mul(yS, tf.neg(tf.div(tf.expandDims(restS, 1), total))); // [rows, vocab] -(1 - p_c) on it
        const grad = tf.mul(tf.add(others, correct), tf.expandDims(dy, 1)); // [rows, vocab]
        return [grad, tf.zerosLike(yS)];
      },
    };
  });
  return ce(logits, oneHot) as tf.Tensor1D;
}

/**
 * The precise loss's parts with tfjs ops: e = exp(z - m) [rows, vocab]; eC = e_c, rest [rows]; and the loss
 * (m - z_c) + log1p((e_c - 1) + rest) [rows].
 */
function preciseParts(z: tf.Tensor2D, y: tf.Tensor2D) {
  const m = tf.max(z, 1, true); // [rows, 1]
  const e = tf.exp(tf.sub(z, m)) as tf.Tensor2D; // [rows, vocab]
  const eC = tf.sum(tf.mul(e, y), 1) as tf.Tensor1D; // [rows] exp(z_c - m)
  const rest = tf.sum(tf.mul(e, tf.sub(1, y)), 1) as tf.Tensor1D; // [rows] sum over j != c of exp(z_j - m)
  const lead = tf.sub(tf.squeeze(m, [1]), tf.sum(tf.mul(z, y), 1)) as tf.Tensor1D; // [rows] m - z_c
  return { e, eC, rest, loss: tf.add(lead, log1p(tf.add(tf.sub(eC, 1), rest))) as tf.Tensor1D };
}

/**
 * log(1 + x) accurate for tiny x on every backend. tfjs-wasm 4.22's Log1p kernel computes log(1 + x), which is 0 for
 * |x| < 6e-8, so we use Goldberg's identity instead: with u = fl(1 + x), log1p(x) = x when u == 1, else
 * log(u) * x / (u - 1) (a few ulps from exact, given an accurate log). Forward only: the loss has its own gradient.
 */
function log1p(x: tf.Tensor): tf.Tensor {
  const u = tf.add(x, 1); // fl(1 + x)
  const shifted = tf.sub(u, 1); // fl(u - 1), exact
  const safe = tf.where(tf.equal(shifted, 0), tf.onesLike(u), shifted); // avoid 0 / 0 in the branch not taken
  return tf.where(tf.equal(shifted, 0), x, tf.mul(tf.div(tf.log(u), safe), x));
}

/**
 * Per-row cross-entropy as `-log_softmax(logits)[target]` in float32: exactly 0 (with a zero gradient on the correct
 * logit) once the margin is large enough that the softmax rounds to one. Use it to reproduce the write-up's slingshots.
 *
 * @param logits - [rows, vocab] float32
 * @param oneHot - [rows, vocab] float32, 1 at each row's target
 * @returns [rows] losses
 *
 * @example
 * naiveCrossEntropy(tf.tensor2d([[20, 0, 0]]), tf.tensor2d([[1, 0, 0]])).dataSync(); // [0]
 */
export function naiveCrossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits, 1), oneHot), 1)) as tf.Tensor1D); // [rows]
}

/**
 * Per-row cross-entropy in the chosen form.
 *
 * @example
 * crossEntropy(logits, oneHot, 'precise'); // [rows]
 */
export function crossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D, form: LossForm): tf.Tensor1D {
  if (form === 'precise') return preciseCrossEntropy(logits, oneHot);
  if (form === 'naive') return naiveCrossEntropy(logits, oneHot);
  throw new Error(`loss must be 'precise' or 'naive', got ${JSON.stringify(form)}`);
}
