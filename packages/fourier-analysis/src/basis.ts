// The orthonormal Fourier basis of Z_p, the names of its rows, and checks of moduli and frequencies.
import * as tf from '@tensorflow/tfjs-core';

/**
 * The orthonormal Fourier basis of functions on Z_p and the names of its rows.
 * `basis` is a tensor the caller owns (dispose it, or make it inside `tf.tidy`).
 */
export interface FourierBasis {
  /** [p, p]: row i is the i-th unit-norm component, evaluated at x = 0..p-1. */
  basis: tf.Tensor2D;
  /** One name per row: `const`, `cos 1`, `sin 1`, ..., `cos k`, `sin k` (even p ends with the lone `cos p/2`). */
  names: string[];
}

/** Where frequency k lives among the basis rows; `sin` is null at the Nyquist frequency k = p/2 (even p). */
export interface FrequencyRows {
  cos: number;
  sin: number | null;
}

/**
 * Throws unless p is an integer of at least 2, the size of Z_p.
 *
 * @example
 * checkModulus(113); // ok
 * checkModulus(1.5); // throws "p must be an integer >= 2, got 1.5"
 */
export function checkModulus(p: number): void {
  if (!Number.isInteger(p) || p < 2) throw new Error(`p must be an integer >= 2, got ${p}`);
}

/**
 * The number of distinct non-constant frequencies on Z_p: floor(p/2). Frequencies are 1..nFrequencies(p); k and p-k
 * are the same wave, so none above p/2 is counted.
 *
 * @example
 * nFrequencies(113); // 56
 * nFrequencies(8); // 4 (4 is the Nyquist frequency, a cosine only)
 */
export function nFrequencies(p: number): number {
  checkModulus(p);
  return Math.floor(p / 2);
}

/**
 * Throws unless k is a frequency of Z_p, an integer in 1..floor(p/2).
 *
 * @example
 * checkFrequency(113, 14); // ok
 * checkFrequency(113, 57); // throws "frequency must be an integer in 1..56 for p = 113, got 57"
 */
export function checkFrequency(p: number, k: number): void {
  const n = nFrequencies(p);
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new Error(`frequency must be an integer in 1..${n} for p = ${p}, got ${k}`);
  }
}

/**
 * Whether frequency k is the Nyquist frequency of Z_p (2k = p), whose sine is identically zero.
 *
 * @example
 * isNyquist(8, 4); // true
 * isNyquist(113, 56); // false
 */
export function isNyquist(p: number, k: number): boolean {
  return 2 * k === p;
}

/**
 * The basis rows that hold frequency k: cos k is row 2k-1 and sin k is row 2k (no sine at the Nyquist frequency).
 *
 * @example
 * frequencyRows(113, 14); // { cos: 27, sin: 28 }
 * frequencyRows(8, 4); // { cos: 7, sin: null }
 */
export function frequencyRows(p: number, k: number): FrequencyRows {
  checkFrequency(p, k);
  return { cos: 2 * k - 1, sin: isNyquist(p, k) ? null : 2 * k };
}

/**
 * The names of the basis rows, for plot axes.
 *
 * @example
 * fourierBasisNames(5); // ['const', 'cos 1', 'sin 1', 'cos 2', 'sin 2']
 */
export function fourierBasisNames(p: number): string[] {
  const names = ['const'];
  for (let k = 1; k <= nFrequencies(p); k++) {
    names.push(`cos ${k}`);
    if (!isNyquist(p, k)) names.push(`sin ${k}`);
  }
  return names;
}

/**
 * cos(2πkx/p) and sin(2πkx/p) in float64, with the angle reduced mod p first so large k·x loses no precision.
 * Exported for the package's own direction builders; values are unnormalised.
 *
 * @example
 * wave(113, 14, 1000).cos; // cos(2π·(14·1000 mod 113)/113)
 */
export function wave(p: number, k: number, x: number): { cos: number; sin: number } {
  const angle = (2 * Math.PI * ((k * x) % p)) / p;
  return { cos: Math.cos(angle), sin: Math.sin(angle) };
}

/**
 * The orthonormal Fourier basis of R^p (functions on Z_p): the constant 1/sqrt(p), then for k = 1..floor(p/2) the
 * waves cos(2πkx/p) and sin(2πkx/p), each scaled to unit norm (by sqrt(2/p)). For even p the Nyquist frequency
 * k = p/2 contributes only its cosine, (-1)^x / sqrt(p), since its sine is zero at every integer x; so there are
 * always exactly p rows and B Bᵀ = I. Multiplying a vector indexed by x by B gives its Fourier coefficients, and
 * Bᵀ maps them back.
 *
 * Returns a tensor the caller owns.
 *
 * @example
 * const { basis, names } = fourierBasis(113); // basis: [113, 113]; names[27] === 'cos 14'
 * const coefficients = tf.matMul(basis, tf.slice(W_E, [0, 0], [113, -1])); // [p, d_model]
 * basis.dispose();
 */
export function fourierBasis(p: number): FourierBasis {
  const names = fourierBasisNames(p);
  const values = new Float32Array(p * p);
  for (let x = 0; x < p; x++) values[x] = 1 / Math.sqrt(p);
  for (let k = 1; k <= nFrequencies(p); k++) {
    const rows = frequencyRows(p, k);
    const scale = rows.sin === null ? 1 / Math.sqrt(p) : Math.sqrt(2 / p);
    for (let x = 0; x < p; x++) {
      const w = wave(p, k, x);
      values[rows.cos * p + x] = w.cos * scale;
      if (rows.sin !== null) values[rows.sin * p + x] = w.sin * scale;
    }
  }
  return { basis: tf.tensor2d(values, [p, p]), names }; // [p, p] rows = components
}
