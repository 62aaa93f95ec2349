// Which frequency each attention head uses, read from its pattern over all inputs (x, y).
import * as tf from '@tensorflow/tfjs-core';
import { frequencyFractions } from './neurons';

/** The frequency an attention head's pattern uses. */
export interface HeadFrequency {
  head: number;
  /** The frequency explaining most of the pattern's variance over inputs, or null for a constant pattern. */
  freq: number | null;
  /** The share of the pattern's variance that frequency explains. */
  fraction: number;
}

/** Attention patterns over all p² inputs read in the 2D Fourier basis. */
export interface AttentionFrequencies {
  heads: HeadFrequency[];
  /** fractions[head][k - 1], as {@link frequencyFractions} gives for neurons. */
  fractions: number[][];
}

/**
 * Which frequency each attention head uses: the pattern of a head as a function of the inputs (x, y) (e.g. the
 * attention the final `=` token pays to the x token, the write-up's heatmaps) is periodic in a grokked model, so one
 * frequency explains most of its variance, by the same measure as {@link frequencyFractions}. Input
 * [p, p, n_heads] or [p*p, n_heads] (x-major); a single head may be [p, p] or [p*p].
 *
 * @example
 * // pattern: [batch, head, query, key] over all inputs; take query '=' (2) attending to key x (0)
 * const toX = tf.reshape(tf.slice(pattern, [0, 0, 2, 0], [-1, -1, 1, 1]), [113 * 113, -1]); // [p*p, n_heads]
 * attentionFrequencies(toX, 113).heads; // [{ head: 0, freq: 14, fraction: 0.9 }, ...]
 */
export function attentionFrequencies(pattern: tf.Tensor, p: number): AttentionFrequencies {
  const fractions = frequencyFractions(pattern, p);
  const heads = fractions.map((row, head) => {
    let freq: number | null = null;
    let fraction = 0;
    row.forEach((f, i) => {
      if (f > fraction) {
        fraction = f;
        freq = i + 1;
      }
    });
    return { head, freq, fraction };
  });
  return { heads, fractions };
}
