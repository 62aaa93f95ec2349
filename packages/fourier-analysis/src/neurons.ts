// The share of each neuron's (or any channel's) variance over all inputs that each frequency explains.
import * as tf from '@tensorflow/tfjs-core';
import { fourierBasis, frequencyRows, nFrequencies } from './basis';
import { toGrid } from './grid';
import { fourier2dCoefficients, normsOfEnergy, type Coefficients2d } from './transform';
import { tidyData } from './tidy';

/**
 * Where frequency k's terms sit among the p² rows of a flattened 2D transform (row i*p + j is x component i, y
 * component j): the rows of {1, cos k, sin k} ⊗ {1, cos k, sin k} except 1 ⊗ 1, i.e. 8 rows (3 at the Nyquist
 * frequency). Returns the row indices and, for each, its frequency.
 */
function frequencyTermRows(p: number): { rows: number[]; freqOf: number[] } {
  const rows: number[] = [];
  const freqOf: number[] = [];
  for (let k = 1; k <= nFrequencies(p); k++) {
    const { cos, sin } = frequencyRows(p, k);
    const components = sin === null ? [0, cos] : [0, cos, sin];
    for (const i of components) {
      for (const j of components) {
        if (i === 0 && j === 0) continue;
        rows.push(i * p + j);
        freqOf.push(k);
      }
    }
  }
  return { rows, freqOf };
}

/**
 * The squared 2D Fourier coefficients of a tensor over all inputs (in the layout the backend's path makes, see
 * {@link fourier2dCoefficients}) and the per-frequency shares of each channel's variance, [c, n] (see
 * {@link frequencyFractions}). Tensors in a tidy scope of the caller. Every right matmul operand is made here.
 */
function energyAndFractions(acts: tf.Tensor, p: number): { energy: Coefficients2d; fractions: tf.Tensor2D } {
  const n = nFrequencies(p);
  const { grid } = toGrid(acts, p, 'acts'); // [p, p, c]
  const { basis } = fourierBasis(p); // [p, p]
  const { values, layout } = fourier2dCoefficients(grid, basis);
  const energy = tf.square(values) as tf.Tensor2D; // [p*p, c] or [c, p*p]
  const inputsFirst = layout === 'inputsFirst';
  const { rows, freqOf } = frequencyTermRows(p);
  const perFrequency = new Float32Array(rows.length * n); // [8n, n]: term r counts for frequency freqOf[r]
  freqOf.forEach((k, r) => (perFrequency[r * n + k - 1] = 1));
  const notConstant = new Float32Array(p * p).fill(1);
  notConstant[0] = 0;
  let explained: tf.Tensor2D; // [c, n]
  let variance: tf.Tensor2D; // [c, 1]
  let sumOfSquares: tf.Tensor2D; // [c, 1]
  if (inputsFirst) {
    const terms = tf.gather(energy, rows); // [8n, c]
    explained = tf.transpose(tf.matMul(tf.transpose(tf.tensor2d(perFrequency, [rows.length, n])), terms)) as tf.Tensor2D; // [c, n]
    variance = tf.transpose(tf.matMul(tf.tensor2d(notConstant, [1, p * p]), energy)) as tf.Tensor2D; // [c, 1]
    sumOfSquares = tf.transpose(tf.matMul(tf.ones([1, p * p]), energy)) as tf.Tensor2D; // [c, 1]
  } else {
    const terms = tf.gather(energy, rows, 1); // [c, 8n]
    explained = tf.matMul(terms, tf.tensor2d(perFrequency, [rows.length, n])); // [c, n]
    variance = tf.matMul(energy, tf.tensor2d(notConstant, [p * p, 1])); // [c, 1]
    sumOfSquares = tf.matMul(energy, tf.ones([p * p, 1])); // [c, 1]
  }
  // Dropping the 1 ⊗ 1 term (the mean) is exact centring: variance is the centred sum of squares (orthonormal basis),
  // and sumOfSquares the whole (Parseval). Float32 leaves a constant channel with variance ~1e-10 of its sum of
  // squares: count that as no variance.
  const varies = tf.cast(tf.greater(variance, tf.mul(sumOfSquares, 1e-8)), 'float32'); // [c, 1]
  const safeVariance = tf.add(tf.mul(variance, varies), tf.sub(1, varies)); // [c, 1]: 1 where there is none
  const fractions = tf.div(tf.mul(explained, varies), safeVariance) as tf.Tensor2D; // [c, n]
  return { energy: { values: energy, layout }, fractions };
}

/**
 * For each channel (neuron, attention head, ...) of a tensor over all p² inputs, the fraction of its variance
 * explained by each frequency k = 1..floor(p/2): the share of its centred sum of squares carried by the 2D Fourier
 * terms built from {1, cos kx, sin kx} ⊗ {1, cos ky, sin ky} except 1 ⊗ 1, i.e. the terms cos kx, sin kx, cos ky,
 * sin ky and the four same-frequency products (cos kx cos ky, cos kx sin ky, sin kx cos ky, sin kx sin ky). The
 * basis is orthonormal, so these shares are disjoint and sum to at most 1 over k. A channel with no variance
 * (constant, up to float32 rounding: below 1e-8 of its sum of squares) gets 0 for every k.
 *
 * Input [p, p, channels] or [p*p, channels] (x-major). Returns fractions[channel][k - 1]. Cost: the 2D transform plus
 * a gather of the 8·floor(p/2) rows that matter and one small matmul.
 *
 * @example
 * const fractions = frequencyFractions(neuronActs, 113); // [12769, 512] -> number[512][56]
 * fractions[0][13]; // fraction of neuron 0's variance explained by frequency 14
 */
export function frequencyFractions(acts: tf.Tensor, p: number): number[][] {
  return tidyData(() => energyAndFractions(acts, p).fractions.arraySync() as number[][]); // [c, n]
}

/**
 * {@link frequencyFractions} and {@link fourier2dNorms} of the same tensor from one 2D transform (what an analysis
 * of neuron activations needs both of).
 *
 * @example
 * const { fractions, norms } = frequencyFractionsAndNorms(neuronActs, 113); // number[512][56], number[113][113]
 */
export function frequencyFractionsAndNorms(acts: tf.Tensor, p: number): { fractions: number[][]; norms: number[][] } {
  return tidyData(() => {
    const { energy, fractions } = energyAndFractions(acts, p);
    return { fractions: fractions.arraySync() as number[][], norms: normsOfEnergy(energy, p) };
  });
}
