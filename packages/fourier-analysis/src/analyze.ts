// One checkpoint's whole Fourier analysis of modular addition, from whichever tensors are given, as plain data.
import type * as tf from '@tensorflow/tfjs-core';
import { checkModulus, fourierBasisNames } from './basis';
import { embeddingFourierNorms } from './embedding';
import { embeddingPca, type EmbeddingPca } from './pca';
import { frequencyFractionsAndNorms } from './neurons';
import { neuronClusters, keyFrequenciesFromClusters, type NeuronClusters } from './clusters';
import { fourier2dNorms } from './transform';
import { fitCosXPlusYMinusZ, type LogitFit } from './logits';
import { unembedFourier, type UnembedFourier } from './unembed';
import { attentionFrequencies, type AttentionFrequencies } from './attention';
import { sparseKeyFrequencies } from './sparse';
import { giniCoefficient } from './gini';
import type { FourierNorms } from './norms';

/** Tensors of one checkpoint over all p² inputs; every one is optional, and its section is null when absent. */
export interface ModularAdditionInputs {
  p: number;
  /** [d_vocab, d_model]; only the first p rows (the number tokens) are read. */
  W_E?: tf.Tensor;
  /** MLP activations at the final token, [p*p, d_mlp] or [p, p, d_mlp], x-major (blocks.0.mlp.hook_post). */
  neuronActs?: tf.Tensor;
  /** Final-token logits [p*p, d_vocab_out] or [p, p, d_vocab_out] (first p outputs read). */
  logits?: tf.Tensor;
  /** W_out·W_U [d_mlp, d_vocab_out] (first p columns read). */
  W_L?: tf.Tensor;
  /** Attention of the final token to the x token per head, [p*p, n_heads] or [p, p, n_heads]. */
  attnPattern?: tf.Tensor;
}

/** Thresholds of {@link analyzeModularAddition}; each defaults as in the function it is passed to. */
export interface AnalysisOptions {
  /** Cut for neuron clusters (default 0.85). */
  clusterThreshold?: number;
  /** Cluster size for a key frequency (default max(1, ceil(d_mlp / 100))). */
  minNeurons?: number;
  /** Energy over the median for a key frequency of W_E or W_L (default 10). */
  sparseRatio?: number;
}

/** Where the reported key frequencies came from: neuron clusters when activations were given, else the embedding, else W_L. */
export type KeyFrequencySource = 'neurons' | 'embedding' | 'unembed' | 'none';

/** One checkpoint's Fourier analysis, plain JSON-serialisable data (no typed arrays, no undefined). */
export interface ModularAdditionAnalysis {
  p: number;
  /** The basis row names, for plot axes. */
  basisNames: string[];
  keyFrequencies: number[];
  keyFrequencySource: KeyFrequencySource;
  embedding: {
    norms: FourierNorms;
    keyFrequencies: number[];
    /** Gini coefficient of the non-constant component norms. */
    gini: number;
    pca: EmbeddingPca;
    /** PCA of the embedding filtered to each key frequency: the circle plots. */
    circles: EmbeddingPca[];
  } | null;
  neurons: {
    /** fractions[neuron][k - 1]: share of the neuron's variance explained by frequency k. */
    fractions: number[][];
    clusters: NeuronClusters;
    keyFrequencies: number[];
    /** Norm over neurons of each 2D Fourier coefficient, [p][p]. */
    fourier2dNorms: number[][];
  } | null;
  logits: {
    /** Norm over outputs of each 2D Fourier coefficient, [p][p]. */
    fourier2dNorms: number[][];
    /** Σ α_w cos(w(x+y-z)) fitted on the key frequencies. */
    fit: LogitFit;
    /** fractionExplainedByFrequency[k - 1]: the share of the centred logits' variance each frequency's term explains. */
    fractionExplainedByFrequency: number[];
  } | null;
  unembed: (UnembedFourier & { gini: number }) | null;
  attention: AttentionFrequencies | null;
}

/**
 * One checkpoint's whole Fourier analysis from the tensors given, as one plain object (what analysis.json holds and
 * the report plots). Key frequencies come from neuron clusters when neuron activations are given, else from the
 * embedding's norms, else from W_L's; they then choose the frequencies of the logit fit and of the circle plots.
 * Inputs stay owned by the caller; no tensor is left behind.
 *
 * @example
 * const analysis = analyzeModularAddition({ p: 113, W_E, neuronActs, logits, W_L, attnPattern });
 * analysis.keyFrequencies; // e.g. [14, 35, 41, 42, 52]
 * analysis.logits?.fit.fractionOfVarianceExplained; // ≈ 0.95
 */
export function analyzeModularAddition(inputs: ModularAdditionInputs, options: AnalysisOptions = {}): ModularAdditionAnalysis {
  const { p } = inputs;
  checkModulus(p);
  const sparse = { ratio: options.sparseRatio };

  let neurons: ModularAdditionAnalysis['neurons'] = null;
  if (inputs.neuronActs) {
    const { fractions, norms } = frequencyFractionsAndNorms(inputs.neuronActs, p);
    const clusters = neuronClusters(fractions, { threshold: options.clusterThreshold });
    const keyFrequencies = keyFrequenciesFromClusters(clusters, { minNeurons: options.minNeurons });
    neurons = { fractions, clusters, keyFrequencies, fourier2dNorms: norms };
  }

  const embeddingNorms = inputs.W_E ? embeddingFourierNorms(inputs.W_E, p) : null;
  const embeddingKeys = embeddingNorms ? sparseKeyFrequencies(embeddingNorms.freqNorms, sparse) : [];
  const unembedResult = inputs.W_L ? unembedFourier(inputs.W_L, p, { ...sparse, clusters: neurons?.clusters.clusters }) : null;

  let keyFrequencies: number[] = [];
  let keyFrequencySource: KeyFrequencySource = 'none';
  if (neurons) [keyFrequencies, keyFrequencySource] = [neurons.keyFrequencies, 'neurons'];
  else if (embeddingNorms) [keyFrequencies, keyFrequencySource] = [embeddingKeys, 'embedding'];
  else if (unembedResult) [keyFrequencies, keyFrequencySource] = [unembedResult.carriedFrequencies, 'unembed'];

  let embedding: ModularAdditionAnalysis['embedding'] = null;
  if (inputs.W_E && embeddingNorms) {
    const W_E = inputs.W_E;
    const components = Math.min(2, W_E.shape[1] ?? 1);
    embedding = {
      norms: embeddingNorms,
      keyFrequencies: embeddingKeys,
      gini: giniCoefficient(embeddingNorms.componentNorms.slice(1)),
      pca: embeddingPca(W_E, p, { nComponents: components }),
      circles: keyFrequencies.map((freq) => embeddingPca(W_E, p, { freq, nComponents: freq * 2 === p ? 1 : components })),
    };
  }

  let logits: ModularAdditionAnalysis['logits'] = null;
  if (inputs.logits) {
    logits = {
      fourier2dNorms: fourier2dNorms(inputs.logits, p),
      fit: fitCosXPlusYMinusZ(inputs.logits, p, keyFrequencies),
      fractionExplainedByFrequency: fitCosXPlusYMinusZ(inputs.logits, p).fractionExplained,
    };
  }

  const unembed = unembedResult ? { ...unembedResult, gini: giniCoefficient(unembedResult.norms.componentNorms.slice(1)) } : null;
  const attention = inputs.attnPattern ? attentionFrequencies(inputs.attnPattern, p) : null;
  return { p, basisNames: fourierBasisNames(p), keyFrequencies, keyFrequencySource, embedding, neurons, logits, unembed, attention };
}
