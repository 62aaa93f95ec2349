// Row norms of Fourier coefficients, per component and folded per frequency.
import * as tf from '@tensorflow/tfjs-core';
import { fourierBasisNames } from './basis';
import { foldFrequencies } from './fold';
import { tidyData } from './tidy';

/** Norms of the Fourier components of a matrix whose rows are indexed by a token of Z_p. */
export interface FourierNorms {
  /** The basis row names, `const`, `cos 1`, `sin 1`, ... (p of them). */
  names: string[];
  /** componentNorms[i]: the norm of the matrix's direction for basis row i (p of them): the write-up's bar plot. */
  componentNorms: number[];
  /** freqNorms[k - 1] = sqrt(cos k² + sin k²) for k = 1..floor(p/2): one bar per frequency. */
  freqNorms: number[];
}

/**
 * Row norms of Fourier coefficients [p, m] (rows = basis components), and their per-frequency fold.
 * Internal: callers pass coefficients already in the Fourier basis.
 *
 * @example
 * normsOfCoefficients(matMulOnto(basis, E), p).freqNorms; // floor(p/2) numbers
 */
export function normsOfCoefficients(coefficients: tf.Tensor2D, p: number): FourierNorms {
  return tidyData(() => {
    const energy = tf.sum(tf.square(coefficients), 1, true); // [p, 1]
    const perFrequency = foldFrequencies(energy as tf.Tensor2D, p); // [n+1, 1]
    const componentNorms = Array.from(tf.sqrt(energy).dataSync());
    const freqNorms = Array.from(tf.sqrt(perFrequency).dataSync()).slice(1);
    return { names: fourierBasisNames(p), componentNorms, freqNorms };
  });
}
