// The fit of logits over all inputs by Σ_w α_w cos(w(x+y-z)), and how much of their variance it explains.
import * as tf from '@tensorflow/tfjs-core';
import { isNyquist, nFrequencies, wave } from './basis';
import { checkFrequencies } from './directions';
import { toGrid } from './grid';
import { centreRows } from './centre';
import { tidyData } from './tidy';

/** The fit of logits by Σ_w α_w cos(w(x+y-z)). */
export interface LogitFit {
  /** The frequencies fitted, in the order given. */
  freqs: number[];
  /** alphas[i]: the fitted coefficient α of `cos(freqs[i] (x+y-z))`. */
  alphas: number[];
  /** fractionExplained[i]: the share of the centred logits' sum of squares that frequency's term explains. */
  fractionExplained: number[];
  /** 1 - |L - Σ α_w cos(w(x+y-z))|² / |L|² for the centred logits L: the write-up's "95% of the variance". */
  fractionOfVarianceExplained: number;
}

/**
 * The waves of the fit for frequencies w_1..w_n: W [p*p, 2n] with columns cos(w(x+y)) then sin(w(x+y)), its
 * transpose built directly (no transpose op), and Z [2n, p] with rows cos(wz) then sin(wz); all unnormalised, so
 * Σ_j W[xy, j] Z[j, z] over a frequency's two columns is cos(w(x+y-z)). Values come from a table over residues.
 */
function fitWaves(p: number, freqs: readonly number[]): { W: tf.Tensor2D; Wt: tf.Tensor2D; Z: tf.Tensor2D } {
  const n = freqs.length;
  const table = freqs.map((w) => Array.from({ length: p }, (_, r) => wave(p, w, r))); // [n][p]
  const W = new Float32Array(p * p * 2 * n);
  const Wt = new Float32Array(2 * n * p * p);
  for (let x = 0; x < p; x++) {
    for (let y = 0; y < p; y++) {
      const i = x * p + y;
      const r = (x + y) % p;
      table.forEach((row, j) => {
        const { cos, sin } = row[r]!;
        W[i * 2 * n + j] = cos;
        W[i * 2 * n + n + j] = sin;
        Wt[j * p * p + i] = cos;
        Wt[(n + j) * p * p + i] = sin;
      });
    }
  }
  const Z = new Float32Array(2 * n * p);
  table.forEach((row, j) =>
    row.forEach(({ cos, sin }, z) => {
      Z[j * p + z] = cos;
      Z[(n + j) * p + z] = sin;
    }),
  );
  return { W: tf.tensor2d(W, [p * p, 2 * n]), Wt: tf.tensor2d(Wt, [2 * n, p * p]), Z: tf.tensor2d(Z, [2 * n, p]) };
}

/**
 * Fits logits over all p² inputs by Σ_w α_w cos(w(x+y-z)), the form the write-up reads off a grokked model (each
 * term peaks at z = x+y mod p). Logits are [p*p, d_vocab_out] or [p, p, d_vocab_out] (x-major, z last) with
 * d_vocab_out >= p; only the first p outputs (the numbers) are used. They are first centred over z for each input,
 * which removes the per-input constant softmax ignores. The terms cos(w(x+y-z)) = cos(w(x+y))cos(wz) +
 * sin(w(x+y))sin(wz) are orthogonal for distinct w, with |·|² = p³/2 (p³ at the Nyquist frequency), so the least
 * squares α_w = <L, cos(w(x+y-z))> / |cos(w(x+y-z))|², computed with matmuls. `freqs` defaults to every frequency
 * 1..floor(p/2); pass the key frequencies for the write-up's fit (none fits
 * nothing: fraction 0).
 *
 * @example
 * const fit = fitCosXPlusYMinusZ(logits, 113, [14, 35, 41, 42, 52]);
 * fit.alphas; // one α per frequency; fit.fractionOfVarianceExplained ≈ 0.95 for the write-up's model
 */
export function fitCosXPlusYMinusZ(logits: tf.Tensor, p: number, freqs?: readonly number[]): LogitFit {
  const fitted = freqs ? [...freqs] : Array.from({ length: nFrequencies(p) }, (_, i) => i + 1);
  checkFrequencies(p, fitted);
  return tidyData(() => {
    const { grid, rest } = toGrid(logits, p, 'logits'); // [p, p, c]
    if (rest.length !== 1 || (rest[0] ?? 0) < p) {
      throw new Error(`logits must have shape [p*p, d_vocab_out] or [p, p, d_vocab_out] with d_vocab_out >= p = ${p}, got [${logits.shape.join(', ')}]`);
    }
    if (fitted.length === 0) return { freqs: [], alphas: [], fractionExplained: [], fractionOfVarianceExplained: 0 };
    const L = tf.slice(tf.reshape(grid, [p * p, -1]), [0, 0], [p * p, p]); // [p*p, p]
    const centred = centreRows(L as tf.Tensor2D); // [p*p, p] each input's logits centred over z
    const total = tf.sum(tf.square(centred)).dataSync()[0] ?? 0;
    const n = fitted.length;
    const { W, Wt, Z } = fitWaves(p, fitted); // [p*p, 2n], [2n, p*p], [2n, p]
    const dots = tf.sum(tf.mul(tf.matMul(Wt, centred), Z), 1); // [2n]: <L, cos(w(x+y))cos(wz)>, then the sin part
    const dot = tf.add(tf.slice(dots, [0], [n]), tf.slice(dots, [n], [n])); // [n]: <L, cos(w(x+y-z))>
    const squaredNorms = fitted.map((w) => (isNyquist(p, w) ? p ** 3 : p ** 3 / 2));
    const alphasT = tf.div(dot, tf.tensor1d(squaredNorms)); // [n]
    const alphaColumn = tf.reshape(tf.concat([alphasT, alphasT]), [2 * n, 1]); // [2n, 1]
    const approx = tf.matMul(W, tf.mul(alphaColumn, Z)); // [p*p, p]: Σ_w α_w cos(w(x+y-z))
    const residual = tf.sum(tf.square(tf.sub(centred, approx))).dataSync()[0] ?? 0;
    const alphas = Array.from(alphasT.dataSync());
    const share = (a: number, i: number) => (total > 0 ? (a * a * (squaredNorms[i] ?? 0)) / total : 0);
    return {
      freqs: fitted,
      alphas,
      fractionExplained: alphas.map(share),
      fractionOfVarianceExplained: total > 0 ? 1 - residual / total : 0,
    };
  });
}
