// The unit directions cos(w(x+y)) and sin(w(x+y)) over all p² inputs, and projections onto their span.
import * as tf from '@tensorflow/tfjs-core';
import { checkFrequency, isNyquist, wave } from './basis';
import { toGrid } from './grid';
import { matMulOnto } from './matmul';

/**
 * Throws unless freqs are distinct frequencies of Z_p (each in 1..floor(p/2)).
 *
 * @example
 * checkFrequencies(113, [14, 35]); // ok
 * checkFrequencies(113, [14, 14]); // throws "freqs must be distinct, got 14 twice"
 */
export function checkFrequencies(p: number, freqs: readonly number[]): void {
  const seen = new Set<number>();
  for (const k of freqs) {
    checkFrequency(p, k);
    if (seen.has(k)) throw new Error(`freqs must be distinct, got ${k} twice`);
    seen.add(k);
  }
}

/** Unit-norm values of cos(2πw(x+y)/p) (or sin) over the p² inputs, x-major, in float64. */
function xPlusYValues(p: number, w: number, kind: 'cos' | 'sin'): Float64Array {
  checkFrequency(p, w);
  if (kind === 'sin' && isNyquist(p, w)) {
    throw new Error(`sin(w(x+y)) is zero everywhere at the Nyquist frequency w = p/2 = ${w}; use cos only`);
  }
  // Σ_{x,y} cos²(w(x+y)) = p²/2 when 2w ≢ 0 mod p; at the Nyquist frequency cos(π(x+y)) = ±1, so p².
  const scale = isNyquist(p, w) ? 1 / p : Math.SQRT2 / p;
  const table = Array.from({ length: p }, (_, r) => wave(p, w, r)[kind] * scale); // [p] over residues of x+y
  const values = new Float64Array(p * p);
  for (let x = 0; x < p; x++) {
    for (let y = 0; y < p; y++) values[x * p + y] = table[(x + y) % p]!;
  }
  return values;
}

/**
 * The unit direction cos(w(x+y)) over all p² inputs (x-major, input (x, y) at index x*p + y), with w meaning 2πw/p:
 * cos(2πw(x+y)/p) scaled to norm 1 (by sqrt(2)/p; by 1/p at the Nyquist frequency of even p). In the 2D basis it is
 * (cos wx ⊗ cos wy - sin wx ⊗ sin wy)/sqrt(2). Returns [p*p], a tensor the caller owns.
 *
 * @example
 * const c = cosXPlusY(113, 14); // [12769]
 * const coefficient = tf.matMul(tf.reshape(c, [1, -1]), logits); // [1, p]: logits' cos(14(x+y)) part per output
 */
export function cosXPlusY(p: number, w: number): tf.Tensor1D {
  return tf.tensor1d(Float32Array.from(xPlusYValues(p, w, 'cos'))); // [p*p]
}

/**
 * The unit direction sin(w(x+y)) over all p² inputs (x-major), sin(2πw(x+y)/p) scaled by sqrt(2)/p; in the 2D
 * basis (sin wx ⊗ cos wy + cos wx ⊗ sin wy)/sqrt(2). Returns [p*p], a tensor the caller owns.
 *
 * @throws at the Nyquist frequency w = p/2 (even p), where sin(w(x+y)) is zero everywhere.
 * @example
 * const s = sinXPlusY(113, 14); // [12769]
 */
export function sinXPlusY(p: number, w: number): tf.Tensor1D {
  return tf.tensor1d(Float32Array.from(xPlusYValues(p, w, 'sin'))); // [p*p]
}

/**
 * An orthonormal basis of the span of the directions cos(w(x+y)) and sin(w(x+y)) for the given distinct
 * frequencies, as the columns of a [p*p, n] tensor the caller owns: for each frequency in order, its cos column then
 * its sin column (the Nyquist frequency has a cos column only, so n = 2·|freqs| less one if it is included). These
 * directions are mutually orthogonal, so no orthogonalisation is needed.
 *
 * @example
 * const Q = xPlusYBasis(113, [14, 35]); // [12769, 4]
 */
export function xPlusYBasis(p: number, freqs: readonly number[]): tf.Tensor2D {
  checkFrequencies(p, freqs);
  const columns: Float64Array[] = [];
  for (const w of freqs) {
    columns.push(xPlusYValues(p, w, 'cos'));
    if (!isNyquist(p, w)) columns.push(xPlusYValues(p, w, 'sin'));
  }
  const n = columns.length;
  const values = new Float32Array(p * p * n);
  columns.forEach((column, j) => column.forEach((value, i) => (values[i * n + j] = value)));
  return tf.tensor2d(values, [p * p, n]); // [p*p, n]
}

/**
 * Projects a tensor over all p² inputs, per output column, onto the span of cos(w(x+y)) and sin(w(x+y)) for the
 * given frequencies: Q(QᵀL) with Q = {@link xPlusYBasis}. For logits [p*p, d_vocab_out] this is the part of each
 * output's logit that is a function of x+y at those frequencies: what restricted (trig) loss keeps, and what excluded
 * loss removes (L - projection). Input [p*p, ...] or [p, p, ...] (x-major); the result has the input's shape and is a
 * tensor the caller owns. An empty freqs gives zeros.
 *
 * @example
 * const kept = projectOntoXPlusY(logits, 113, [14, 35, 41]); // [12769, 113]
 * const excluded = tf.sub(logits, kept); // logits without those frequencies' x+y terms
 */
export function projectOntoXPlusY(logits: tf.Tensor, p: number, freqs: readonly number[]): tf.Tensor {
  return tf.tidy(() => {
    const { grid } = toGrid(logits, p, 'logits'); // [p, p, c]
    if (freqs.length === 0) {
      checkFrequencies(p, freqs);
      return tf.zerosLike(logits);
    }
    const flat = tf.reshape(grid, [p * p, -1]) as tf.Tensor2D; // [p*p, c]: the caller's data
    const Q = xPlusYBasis(p, freqs); // [p*p, n]
    const coefficients = matMulOnto(tf.transpose(Q), flat); // [n, c]
    return tf.reshape(tf.matMul(Q, coefficients), logits.shape); // input's shape
  });
}
