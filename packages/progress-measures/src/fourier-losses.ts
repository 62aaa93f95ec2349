// Excluded and restricted (trig) loss: the write-up's two progress measures read off the logits over all p² inputs of
// modular addition. Both write each output's logit, as a function of the input (x, y), in the directions
// cos(w(x+y)) and sin(w(x+y)) of the key frequencies w (fourier-analysis' projectOntoXPlusY):
// - excluded loss removes those components and measures train loss. The generalising algorithm lives in exactly these
//   directions, so removing them wrecks it; a memorised lookup table hardly uses them (2 directions each among p²), so
//   its train loss is unchanged. Excluded loss far above train loss means the train performance comes from the
//   generalising circuit.
// - restricted loss keeps only those components, plus each output's mean over the inputs, and measures train and test
//   loss: the model's performance with the generalising algorithm kept and memorisation deleted.
// The mean is kept because it is a per-output constant (a bias on each answer, like b_U), the 2D Fourier term
// const ⊗ const, orthogonal to every x+y direction: part of no algorithm, but dropping it would charge the restricted
// logits for a bias the model is free to have. (The follow-up paper's code adds the same mean back.)
// As in the write-up, the components are fitted on all p² inputs, test ones included.
import * as tf from '@tensorflow/tfjs-core';
import { checkFrequencies, projectOntoXPlusY } from '@grokking/fourier-analysis';
import { mean, rowStats } from './cross-entropy';
import type { ExcludedLossMeasure, RestrictedLossMeasure } from './types';

/** Logits of a model over every input of modular addition mod p, and which inputs are train and test. */
export interface FourierLossInputs {
  /** [p*p, d_vocab_out] or [p, p, d_vocab_out], x-major: input (x, y) at row x*p + y. The caller owns it. */
  logits: tf.Tensor;
  p: number;
  /** The label of every input, x-major, [p*p]. */
  targets: Int32Array;
  /** Rows of the train inputs, e.g. a modular split's `trainIndices`. */
  trainIndices: ArrayLike<number>;
  /** Rows of the test inputs (omit or leave empty for none). */
  testIndices?: ArrayLike<number>;
}

/**
 * The write-up's excluded loss: train loss after removing from the logits their cos(w(x+y)) and sin(w(x+y))
 * components for the key frequencies, all of them together (`all`) and each frequency alone (`byFrequency`, keyed
 * by the frequency). With no key frequencies nothing is removed: `all` is the train loss.
 *
 * @example
 * const logits = tf.reshape(model.forward(tokensOfAll, [2]), [p * p, p]);
 * const { all, byFrequency } = await excludedLoss({ logits, p, targets, trainIndices }, [14, 35, 41, 42, 52]);
 */
export async function excludedLoss(inputs: FourierLossInputs, keyFrequencies: readonly number[]): Promise<ExcludedLossMeasure> {
  const { logits, p } = checkInputs(inputs);
  checkFrequencies(p, keyFrequencies);
  const trainLossWithout = async (freqs: readonly number[]): Promise<number> => {
    const excluded = tf.tidy(() => {
      const flat = flatLogits(logits, p); // [p*p, d_vocab_out]
      const kept = tf.sub(flat, projectOntoXPlusY(flat, p, freqs)); // [p*p, d_vocab_out]
      return tf.gather(kept, Int32Array.from(inputs.trainIndices)) as tf.Tensor2D; // [train, d_vocab_out]
    });
    try {
      return mean((await rowStats(excluded, pick(inputs.targets, inputs.trainIndices))).losses);
    } finally {
      excluded.dispose();
    }
  };
  const all = await trainLossWithout(keyFrequencies);
  const byFrequency: Record<string, number> = {};
  for (const w of keyFrequencies) byFrequency[String(w)] = await trainLossWithout([w]);
  return { all, byFrequency };
}

/**
 * The write-up's restricted ("trig") loss: the loss of logits kept to their cos(w(x+y)) and sin(w(x+y)) components
 * for the key frequencies plus each output's mean over all inputs, on the train and test inputs. For logits that are
 * exactly Σ_w α_w cos(w(x+y-z)) (plus any per-output bias) it equals the full loss; with no key frequencies the logits
 * keep only their per-output means.
 *
 * @example
 * const { train, test } = await restrictedLoss({ logits, p, targets, trainIndices, testIndices }, [14, 35, 41, 42, 52]);
 */
export async function restrictedLoss(inputs: FourierLossInputs, keyFrequencies: readonly number[]): Promise<RestrictedLossMeasure> {
  const { logits, p } = checkInputs(inputs);
  checkFrequencies(p, keyFrequencies);
  const restricted = tf.tidy(() => {
    const flat = flatLogits(logits, p); // [p*p, d_vocab_out]
    return tf.add(tf.mean(flat, 0, true), projectOntoXPlusY(flat, p, keyFrequencies)) as tf.Tensor2D; // [p*p, d_vocab_out]
  });
  try {
    const lossOn = async (indices: ArrayLike<number>): Promise<number> => {
      const rows = tf.gather(restricted, Int32Array.from(indices)) as tf.Tensor2D; // [rows, d_vocab_out]
      try {
        return mean((await rowStats(rows, pick(inputs.targets, indices))).losses);
      } finally {
        rows.dispose();
      }
    };
    const testIndices = inputs.testIndices ?? [];
    return { train: await lossOn(inputs.trainIndices), test: testIndices.length ? await lossOn(testIndices) : null };
  } finally {
    restricted.dispose();
  }
}

function checkInputs(inputs: FourierLossInputs): { logits: tf.Tensor; p: number } {
  const { logits, p, targets, trainIndices } = inputs;
  const n = p * p;
  const fits = (logits.rank === 2 && logits.shape[0] === n) || (logits.rank === 3 && logits.shape[0] === p && logits.shape[1] === p);
  if (!fits) throw new Error(`logits must have shape [p*p, d_vocab_out] or [p, p, d_vocab_out] with p = ${p}, got [${logits.shape.join(', ')}]`);
  if (targets.length !== n) throw new Error(`targets must have p*p = ${n} entries (one per input), got ${targets.length}`);
  if (trainIndices.length === 0) throw new Error('trainIndices must name at least one input, got none');
  for (const [what, indices] of [['trainIndices', trainIndices], ['testIndices', inputs.testIndices ?? []]] as const) {
    for (let i = 0; i < indices.length; i++) {
      const row = indices[i]!;
      if (!Number.isInteger(row) || row < 0 || row >= n) throw new Error(`${what}[${i}] must be an integer in [0, ${n - 1}], got ${row}`);
    }
  }
  return { logits, p };
}

/** Logits as [p*p, d_vocab_out]. */
function flatLogits(logits: tf.Tensor, p: number): tf.Tensor2D {
  return tf.reshape(logits, [p * p, -1]) as tf.Tensor2D; // [p*p, d_vocab_out]
}

/**
 * values[indices[i]] for each i (internal).
 *
 * @example
 * pick(Int32Array.from([5, 6, 7]), [2, 0]); // Int32Array [7, 5]
 */
export function pick(values: Int32Array, indices: ArrayLike<number>): Int32Array {
  const out = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i]!]!;
  return out;
}
