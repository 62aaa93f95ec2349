// Squared Fourier coefficients summed per frequency (cos k and sin k rows together).
import * as tf from '@tensorflow/tfjs-core';
import { frequencyRows, nFrequencies } from './basis';

/**
 * The [n+1, p] matrix (n = floor(p/2)) that sums basis rows per frequency: row 0 picks the constant, row k adds the
 * rows of cos k and sin k (cos k alone at the Nyquist frequency of even p). A tensor the caller owns.
 *
 * @example
 * frequencyPairing(5).arraySync(); // [[1,0,0,0,0], [0,1,1,0,0], [0,0,0,1,1]]
 */
export function frequencyPairing(p: number): tf.Tensor2D {
  const n = nFrequencies(p);
  const values = new Float32Array((n + 1) * p);
  values[0] = 1;
  for (let k = 1; k <= n; k++) {
    const rows = frequencyRows(p, k);
    values[k * p + rows.cos] = 1;
    if (rows.sin !== null) values[k * p + rows.sin] = 1;
  }
  return tf.tensor2d(values, [n + 1, p]); // [n+1, p]
}

/**
 * Sums squared Fourier coefficients per frequency along the leading axis: [p, m] -> [n+1, m] (n = floor(p/2)), where
 * row 0 is the constant's energy and row k is (cos k)² + (sin k)² (for the Nyquist frequency of even p, (cos k)²
 * alone). One matmul with {@link frequencyPairing}; energy is a right matmul operand, so it must be a tensor made inside the calling function (see matmul.ts).
 *
 * @example
 * foldFrequencies(tf.square(coefficients), p); // [p, m] -> [floor(p/2) + 1, m]
 */
export function foldFrequencies(energy: tf.Tensor2D, p: number): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(frequencyPairing(p), energy)); // [n+1, m]
}
