// PCA of the embedding's number tokens (via the covariance or the Gram matrix, whichever is smaller).
import * as tf from '@tensorflow/tfjs-core';
import { fourierBasis, frequencyRows } from './basis';
import { firstRows } from './grid';
import { symmetricEigen } from './eigen';
import { matMulOnto } from './matmul';
import { tidyData } from './tidy';

/** Principal components of the embedding of the p number tokens. */
export interface EmbeddingPca {
  /** coordinates[x][i]: token x's coordinate along principal component i (p rows, nComponents columns). */
  coordinates: number[][];
  /** The share of the (centred, and if asked frequency-filtered) embedding's variance along each component. */
  explainedVarianceRatio: number[];
  /** The frequency the embedding was filtered to, or null for the whole embedding. */
  freq: number | null;
}

/** Options for {@link embeddingPca}. */
export interface PcaOptions {
  /** How many components (default 2, for a scatter plot). */
  nComponents?: number;
  /**
   * Keep only this frequency's part of the embedding first (its cos and sin directions, B_wᵀB_w·E). A grokked model's
   * tokens then lie on a circle, in the order of w·x mod p: the write-up's circle plots.
   */
  freq?: number;
}

/**
 * PCA of the embedding's first p rows (the number tokens), centred over tokens. Whole embedding: it diagonalises the
 * smaller of the covariance XᵀX [d_model, d_model] and the Gram matrix XXᵀ [p, p] (same non-zero spectrum), in
 * plain JS after one matmul. Filtered to frequency w: X = B_wᵀC with C = B_w·E [2, d_model] and B_w's rows
 * orthonormal (and orthogonal to the constant, so X is centred), so XXᵀ = B_wᵀ(CCᵀ)B_w and a 2x2 eigenproblem gives
 * the circle. Components past X's rank come out as zeros.
 *
 * @example
 * const { coordinates, explainedVarianceRatio } = embeddingPca(W_E, 113, { freq: 14 });
 * // coordinates[x] lie on a circle; explainedVarianceRatio ≈ [0.5, 0.5]
 */
export function embeddingPca(W_E: tf.Tensor, p: number, options: PcaOptions = {}): EmbeddingPca {
  const nComponents = options.nComponents ?? 2;
  const freq = options.freq ?? null;
  return tidyData(() => {
    const E = firstRows(W_E, p, 'W_E'); // [p, d_model]
    const dModel = E.shape[1];
    if (!Number.isInteger(nComponents) || nComponents < 1 || nComponents > Math.min(p, dModel)) {
      throw new Error(`nComponents must be an integer in 1..${Math.min(p, dModel)} (min of p and d_model), got ${nComponents}`);
    }
    const { rows, vectors, values } = freq === null ? wholeEmbedding(E) : oneFrequency(E, p, freq);
    const total = values.reduce((acc, x) => acc + Math.max(x, 0), 0);
    const kept = Math.min(nComponents, values.length);
    const explainedVarianceRatio = Array.from({ length: nComponents }, (_, i) =>
      i < kept && total > 0 ? Math.max(values[i]!, 0) / total : 0,
    );
    // token x's coordinate on component i: sqrt(λ_i) times the Gram eigenvector's entry x, which is Σ_j rows[j][x] u_i[j]
    const coordinates = Array.from({ length: p }, (_, x) =>
      Array.from({ length: nComponents }, (_, i) => {
        if (i >= kept) return 0;
        const u = vectors[i]!;
        let entry = 0;
        for (let j = 0; j < u.length; j++) entry += (rows[j]?.[x] ?? 0) * u[j]!;
        return entry * Math.sqrt(Math.max(values[i]!, 0));
      }),
    );
    return { coordinates, explainedVarianceRatio, freq };
  });
}

/**
 * The Gram eigenproblem of X = Rᵀ·Y for rows R with orthonormal rows: eigenvectors u of YYᵀ (small) give X's Gram
 * eigenvectors Rᵀu with the same eigenvalues. For the whole embedding R is the identity (via the cheaper of the
 * covariance and Gram matrices).
 */
interface GramEigen {
  rows: number[][];
  vectors: number[][];
  values: number[];
}

function wholeEmbedding(E: tf.Tensor2D): GramEigen {
  const [p, dModel] = E.shape;
  const X = tf.sub(E, tf.mean(E, 0, true)); // [p, d_model] centred over tokens
  if (p <= dModel) {
    const gram = tf.matMul(X, tf.transpose(X)); // [p, p]
    const { values, vectors } = symmetricEigen(gram.dataSync(), p);
    const rows = Array.from({ length: p }, (_, j) => Array.from({ length: p }, (_, x) => (x === j ? 1 : 0)));
    return { rows, vectors, values };
  }
  // Covariance path: Gram eigenvector i is X v_i / sqrt(λ_i), so take rows = (X V / sqrt(λ))ᵀ and u = e_i.
  const covariance = tf.matMul(tf.transpose(X), X); // [d_model, d_model]
  const { values, vectors } = symmetricEigen(covariance.dataSync(), dModel);
  const projected = tf.matMul(X, tf.transpose(tf.tensor2d(vectors, [dModel, dModel]))).arraySync() as number[][]; // [p, d_model]
  const rows = values.map((value, i) => projected.map((row) => (value > 0 ? (row[i] ?? 0) / Math.sqrt(value) : 0)));
  const unit = values.map((_, i) => values.map((__, j) => (i === j ? 1 : 0)));
  return { rows, vectors: unit, values };
}

function oneFrequency(E: tf.Tensor2D, p: number, w: number): GramEigen {
  const { cos, sin } = frequencyRows(p, w);
  const indices = sin === null ? [cos] : [cos, sin];
  const { basis } = fourierBasis(p); // [p, p]
  const Bw = tf.gather(basis, indices) as tf.Tensor2D; // [r, p], r = 2 (1 at Nyquist)
  const C = matMulOnto(Bw, E); // [r, d_model]
  const r = indices.length;
  const { values, vectors } = symmetricEigen(tf.matMul(C, tf.transpose(C)).dataSync(), r); // [r, r]
  return { rows: Bw.arraySync(), vectors, values };
}
