// The embedding's Fourier norms per component and per frequency, and the key frequencies they show.
import * as tf from '@tensorflow/tfjs-core';
import { fourierBasis } from './basis';
import { firstRows } from './grid';
import { matMulOnto } from './matmul';
import { normsOfCoefficients, type FourierNorms } from './norms';
import { sparseKeyFrequencies, type SparseKeyOptions } from './sparse';
import { tidyData } from './tidy';

/**
 * The norm of each Fourier component of the embedding: with E = W_E's first p rows (the number tokens; rows past p,
 * such as `=`, are ignored), the coefficients B·E [p, d_model] give for basis row i the embedding direction of that
 * wave, and its norm says how much the model uses the wave. A grokked model's plot is sparse; a random one's is flat.
 *
 * @example
 * const { componentNorms, freqNorms } = embeddingFourierNorms(W_E, 113); // W_E [114, 128]
 * freqNorms[13]; // sqrt(|cos 14 direction|² + |sin 14 direction|²)
 */
export function embeddingFourierNorms(W_E: tf.Tensor, p: number): FourierNorms {
  return tidyData(() => {
    const E = firstRows(W_E, p, 'W_E'); // [p, d_model]
    const { basis } = fourierBasis(p); // [p, p]
    return normsOfCoefficients(matMulOnto(basis, E), p); // coefficients [p, d_model]
  });
}

/**
 * The key frequencies read from the embedding: those whose Fourier norm² is at least `ratio` (default 10) times the
 * median over frequencies; see {@link sparseKeyFrequencies} for the rule and why a random embedding gives none.
 *
 * @example
 * embeddingKeyFrequencies(W_E, 113); // e.g. [14, 35, 41, 42, 52]
 */
export function embeddingKeyFrequencies(W_E: tf.Tensor, p: number, options: SparseKeyOptions = {}): number[] {
  return sparseKeyFrequencies(embeddingFourierNorms(W_E, p).freqNorms, options);
}
