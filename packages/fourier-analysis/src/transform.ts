// The 1D and 2D Fourier transforms over the inputs, and norms of the 2D coefficients.
import * as tf from '@tensorflow/tfjs-core';
import { fourierBasis } from './basis';
import { toGrid } from './grid';
import { matMulOnto } from './matmul';
import { tidyData } from './tidy';

/**
 * The 1D Fourier transform along the leading axis: coefficients[i, ...] = Σ_x B[i, x] t[x, ...], with B the
 * orthonormal basis of {@link fourierBasis} (so row i of the result is the coefficient of basis row i, and
 * Σ coefficients² = Σ t²). `t` has shape [p, ...]; the result has the same shape and is a tensor the caller owns.
 *
 * @example
 * const coefficients = fourier1d(tf.slice(W_E, [0, 0], [113, -1]), 113); // [p, d_model]
 */
export function fourier1d(t: tf.Tensor, p: number): tf.Tensor {
  if (t.rank < 1 || t.shape[0] !== p) {
    throw new Error(`fourier1d needs a tensor whose leading axis has length p = ${p}, got shape [${t.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    const { basis } = fourierBasis(p); // [p, p]
    const columns = tf.reshape(t, [p, -1]) as tf.Tensor2D; // [p, m]: the caller's data
    return tf.reshape(matMulOnto(basis, columns), t.shape); // [p, ...]
  });
}

/** How the 2D transform runs; `auto` picks by backend (see {@link fourier2dCoefficients}). */
export type Fourier2dPath = 'auto' | 'batched' | 'transpose';

/** 2D Fourier coefficients of a [p, p, c] grid, flattened in the layout the chosen path makes without extra work. */
export interface Coefficients2d {
  /** [p*p, c] (row i*p + j) when `inputsFirst`; [c, p*p] (column i*p + j) when `channelsFirst`. */
  values: tf.Tensor2D;
  layout: 'inputsFirst' | 'channelsFirst';
}

/**
 * The 2D transform of a [p, p, channels] grid, out[i, j, c] = Σ_x Σ_y B[i, x] B[j, y] grid[x, y, c], by matmuls with
 * the basis, never loops over elements. The y axis sits between x and the channels, so two ways:
 * - `batched`: B broadcast over x in a batched matmul contracts y in place, then one plain matmul contracts x; the
 *   result comes [i, j, c] (inputsFirst). Used on every backend but wasm: tfjs-cpu moves elements one at a time in a
 *   transpose (~1 µs each), while its batched matmul is an ordinary loop.
 * - `transpose`: transpose the contracted axis last, right-multiply by Bᵀ, twice; the result comes [c, i, j]
 *   (channelsFirst). Used on wasm, whose XNNPACK runs only plain 2-D matmuls fast (a batched one takes a slow loop),
 *   whose transposes are native, and which repacks a matmul's right operand on every call, so the right operand is
 *   the small Bᵀ and the big data is on the left (~35% faster than the big data on the right). The right operand is
 *   a fresh tensor, never the caller's data (see matmul.ts).
 * Both give the same numbers up to float32 rounding. Internal: tensors in the caller's tidy scope.
 *
 * @example
 * const { values, layout } = fourier2dCoefficients(grid, basis); // wasm: [c, p*p], 'channelsFirst'
 */
export function fourier2dCoefficients(grid: tf.Tensor3D, basis: tf.Tensor2D, path: Fourier2dPath = 'auto'): Coefficients2d {
  const useTranspose = path === 'transpose' || (path === 'auto' && tf.getBackend() === 'wasm');
  const [p, , c] = grid.shape;
  if (!useTranspose) {
    const values = tf.tidy(() => {
      const overY = tf.matMul(tf.reshape(basis, [1, p, p]), grid); // [x, j, c]
      return tf.reshape(tf.matMul(basis, tf.reshape(overY, [p, p * c])), [p * p, c]) as tf.Tensor2D; // [i*p + j, c]
    });
    return { values, layout: 'inputsFirst' };
  }
  const values = tf.tidy(() => {
    const basisT = tf.transpose(basis); // [x, i]
    const xLast = tf.reshape(tf.transpose(grid, [1, 2, 0]), [p * c, p]); // [y*c, x]
    const overX = tf.reshape(tf.matMul(xLast, basisT), [p, c, p]); // [y, c, i]
    const yLast = tf.reshape(tf.transpose(overX, [1, 2, 0]), [c * p, p]); // [c*i, y]
    return tf.reshape(tf.matMul(yLast, basisT), [c, p * p]) as tf.Tensor2D; // [c, i*p + j]
  });
  return { values, layout: 'channelsFirst' };
}

/**
 * {@link fourier2dCoefficients} as a [p, p, c] grid [i, j, c], transposing when the path made it channels-first.
 *
 * @example
 * const coefficients = fourier2dGrid(grid, basis); // [p, p, c] -> [p, p, c]
 */
export function fourier2dGrid(grid: tf.Tensor3D, basis: tf.Tensor2D, path: Fourier2dPath = 'auto'): tf.Tensor3D {
  return tf.tidy(() => {
    const [p, , c] = grid.shape;
    const { values, layout } = fourier2dCoefficients(grid, basis, path);
    const inputsFirst = layout === 'inputsFirst' ? values : tf.transpose(values); // [p*p, c]
    return tf.reshape(inputsFirst, [p, p, c]) as tf.Tensor3D; // [i, j, c]
  });
}

/**
 * Norms over channels of squared 2D coefficients, [p, p] as number[][], whichever their layout. Plain data.
 *
 * @example
 * const { values, layout } = fourier2dCoefficients(grid, basis);
 * normsOfEnergy({ values: tf.square(values), layout }, p); // number[p][p]
 */
export function normsOfEnergy(energy: Coefficients2d, p: number): number[][] {
  return tidyData(() => {
    const { values, layout } = energy;
    const perInput =
      layout === 'inputsFirst'
        ? tf.sum(values, 1) // [p*p]
        : tf.matMul(tf.ones([1, values.shape[0]]), values); // [1, p*p]
    return tf.reshape(tf.sqrt(perInput), [p, p]).arraySync() as number[][]; // [p, p]
  });
}

/**
 * The 2D Fourier transform over both inputs of a tensor indexed by (x, y): the coefficient of the 2D basis term
 * B[i] ⊗ B[j] (the product of component i in x and component j in y, e.g. `cos 14` x `sin 14`), for every trailing
 * channel. Input shape [p, p, ...] or [p*p, ...] (x-major); the result has the input's shape, with (x, y) replaced by
 * (i, j), and is a tensor the caller owns. The transform is orthonormal, so sums of squares are kept.
 *
 * @example
 * const coefficients = fourier2d(neuronActs, 113); // [p*p, d_mlp] -> [p*p, d_mlp], row i*p + j
 */
export function fourier2d(t: tf.Tensor, p: number): tf.Tensor {
  return tf.tidy(() => {
    const { grid } = toGrid(t, p, 'fourier2d input'); // [p, p, c]
    const { basis } = fourierBasis(p); // [p, p]
    return tf.reshape(fourier2dGrid(grid, basis), t.shape); // same shape as t
  });
}

/**
 * The norm over channels of each 2D Fourier coefficient: norms[i][j] = sqrt(Σ_c coefficient[i, j, c]²), the
 * write-up's heatmaps of neuron activations and logits in the 2D Fourier basis (rows: x component, columns: y
 * component, named by {@link fourierBasisNames}). Input [p, p, ...] or [p*p, ...]; plain data out.
 *
 * @example
 * const norms = fourier2dNorms(logits, 113); // number[113][113]; norms[27][27] is cos 14 x cos 14
 */
export function fourier2dNorms(t: tf.Tensor, p: number): number[][] {
  return tidyData(() => {
    const { grid } = toGrid(t, p, 'fourier2dNorms input'); // [p, p, c]
    const { basis } = fourierBasis(p); // [p, p]
    const { values, layout } = fourier2dCoefficients(grid, basis);
    return normsOfEnergy({ values: tf.square(values), layout }, p);
  });
}
