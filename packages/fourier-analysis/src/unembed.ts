// W_L = W_out W_U in the Fourier basis: the output frequencies it carries, its singular values and effective rank.
import * as tf from '@tensorflow/tfjs-core';
import { checkFrequency, fourierBasis } from './basis';
import { symmetricEigen } from './eigen';
import { foldFrequencies } from './fold';
import { normsOfCoefficients, type FourierNorms } from './norms';
import { sparseKeyFrequencies, type SparseKeyOptions } from './sparse';
import type { NeuronCluster } from './clusters';
import { tidyData } from './tidy';

/** How much of a neuron cluster's output weight lands on its own frequency. */
export interface ClusterOutput {
  freq: number;
  /** The share of the cluster's rows of W_L (outside the constant output) on cos freq and sin freq of the output. */
  ownFraction: number;
}

/** W_L = W_out·W_U read in the Fourier basis of the output. */
export interface UnembedFourier {
  /** Norm over neurons of each output Fourier component of W_L, and per frequency. */
  norms: FourierNorms;
  /** The output frequencies W_L carries, by the rule of {@link sparseKeyFrequencies} on norms.freqNorms. */
  carriedFrequencies: number[];
  /** Singular values of W_L without its constant output component (which softmax ignores), largest first: min(d_mlp, p - 1) of them. */
  singularValues: number[];
  /** exp of the entropy of the normalised singular values (Roy & Vetterli): 2 per carried frequency when equal. */
  effectiveRank: number;
  /** For each cluster given, how much of its output weight is on its own frequency (the write-up's per-cluster plot). */
  clusterOutputs: ClusterOutput[];
}

/** Options for {@link unembedFourier}. */
export interface UnembedOptions extends SparseKeyOptions {
  /** Neuron clusters (from {@link neuronClusters}) whose output frequencies to check. */
  clusters?: NeuronCluster[];
}

/**
 * Reads W_L = W_out·W_U [d_mlp, d_vocab_out] (compute it as tf.matMul(W_out, W_U)) in the Fourier basis of the
 * output: only its first p columns (the number outputs) are used, and C = B·W_Lᵀ [p, d_mlp] holds for each output
 * component (const, cos 1, sin 1, ...) the neuron-space direction that writes it. A grokked model's W_L carries only
 * cos w and sin w of its key frequencies, so its effective rank is about twice their number; the neurons of the
 * frequency-w cluster write only to cos w and sin w.
 *
 * @example
 * const W_L = tf.matMul(W_out, W_U); // [512, 113]
 * const { carriedFrequencies, effectiveRank } = unembedFourier(W_L, 113); // e.g. [14, 35, 41, 42, 52], ~10
 */
export function unembedFourier(W_L: tf.Tensor, p: number, options: UnembedOptions = {}): UnembedFourier {
  if (W_L.rank !== 2 || (W_L.shape[1] ?? 0) < p) {
    throw new Error(`W_L must be a matrix [d_mlp, d_vocab_out] with d_vocab_out >= p = ${p}, got shape [${W_L.shape.join(', ')}]`);
  }
  return tidyData(() => {
    const dMlp = W_L.shape[0] ?? 0;
    const W = tf.slice(W_L, [0, 0], [dMlp, p]); // [d_mlp, p]
    const { basis } = fourierBasis(p); // [p, p]
    const C = tf.matMul(basis, tf.transpose(W)); // [p, d_mlp] rows = output components
    const norms = normsOfCoefficients(C as tf.Tensor2D, p);
    const waves = tf.slice(C, [1, 0], [p - 1, dMlp]); // [p-1, d_mlp] without the constant output
    const singularValues = singularValuesOf(waves as tf.Tensor2D);
    const clusterOutputs = (options.clusters ?? []).map((cluster) => clusterOutput(C as tf.Tensor2D, p, cluster));
    return {
      norms,
      carriedFrequencies: sparseKeyFrequencies(norms.freqNorms, options),
      singularValues,
      effectiveRank: effectiveRank(singularValues),
      clusterOutputs,
    };
  });
}

/** Singular values of M [r, c], from the eigenvalues of the smaller of MMᵀ and MᵀM. */
function singularValuesOf(M: tf.Tensor2D): number[] {
  const [r, c] = M.shape;
  const small = r <= c ? tf.matMul(M, tf.transpose(M)) : tf.matMul(tf.transpose(M), M); // [min, min]
  return symmetricEigen(small.dataSync(), Math.min(r, c), false).values.map((x) => Math.sqrt(Math.max(x, 0)));
}

/**
 * The effective rank of a matrix from its singular values: exp(-Σ q_i log q_i) with q_i = σ_i / Σσ (Roy & Vetterli,
 * 2007). k equal singular values (the rest zero) give exactly k; 0 for a zero matrix.
 *
 * @example
 * effectiveRank([2, 2, 0]); // 2
 */
export function effectiveRank(singularValues: readonly number[]): number {
  const sum = singularValues.reduce((a, b) => a + b, 0);
  if (sum <= 0) return 0;
  const entropy = singularValues.reduce((acc, s) => (s > 0 ? acc - (s / sum) * Math.log(s / sum) : acc), 0);
  return Math.exp(entropy);
}

function clusterOutput(C: tf.Tensor2D, p: number, cluster: NeuronCluster): ClusterOutput {
  checkFrequency(p, cluster.freq);
  if (cluster.neurons.length === 0) return { freq: cluster.freq, ownFraction: 0 };
  const columns = tf.gather(C, cluster.neurons, 1); // [p, cluster size]
  const perFrequency = Array.from(foldFrequencies(tf.sum(tf.square(columns), 1, true) as tf.Tensor2D, p).dataSync()); // [n+1]
  const waves = perFrequency.reduce((a, b) => a + b, 0) - (perFrequency[0] ?? 0);
  const own = perFrequency[cluster.freq] ?? 0;
  return { freq: cluster.freq, ownFraction: waves > 0 ? own / waves : 0 };
}
