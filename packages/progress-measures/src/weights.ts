// Weight measures: the sum of squared weights (what weight decay pushes down), and the sparsity in the Fourier basis
// of the two maps that meet the numbers, W_E (number -> residual) and W_L (neurons -> number logits).
import * as tf from '@tensorflow/tfjs-core';
import { embeddingFourierNorms, giniCoefficient, unembedFourier } from '@grokking/fourier-analysis';
import type { GiniMeasure, SumSquaredWeightsMeasure } from './types';

type Params = Readonly<Record<string, tf.Tensor>>;

/**
 * Σ w² over every parameter (biases included), and per parameter by name; summed per parameter in float32 on the
 * backend, totalled in float64.
 *
 * @example
 * const { total, byParam } = sumSquaredWeights(model.params);
 * byParam['embed.W_E']; // Σ over W_E's entries of w²
 */
export function sumSquaredWeights(params: Params): SumSquaredWeightsMeasure {
  const names = Object.keys(params);
  if (names.length === 0) throw new Error('sumSquaredWeights needs at least one parameter, got none');
  const sums = tf.tidy(() => tf.stack(names.map((n) => tf.sum(tf.square(params[n]!))))); // [params]
  const values = sums.dataSync();
  sums.dispose();
  const byParam: Record<string, number> = {};
  let total = 0;
  names.forEach((n, i) => {
    byParam[n] = values[i]!;
    total += values[i]!;
  });
  return { total, byParam };
}

/** The maps the Fourier sparsity measures read, as tensors the caller owns. */
export interface FourierMaps {
  /** [rows >= p, width]: row x is the vector number x maps to. */
  W_E: tf.Tensor2D;
  /** [d_mlp, d_vocab_out >= p]: row i is the logits neuron i writes; null for a model with no MLP. */
  W_L: tf.Tensor2D | null;
}

/**
 * W_E and W_L of a model, chosen by its parameter names: a transformer (`embed.W_E` present) gives W_E = `embed.W_E`
 * and W_L = `blocks.{last}.mlp.W_out` · `unembed.W_U` (the last block with an MLP; null when attention-only); the
 * write-up's MLP (`mlp.W_in` present) gives W_E = `mlp.W_in` [p, d_hidden] and W_L = `mlp.W_out` [d_hidden, p].
 *
 * @throws for parameters that are neither layout, naming what was found.
 * @example
 * const { W_E, W_L } = fourierMaps(model.params); // [114, 128], [512, 113]
 * tf.dispose([W_E, W_L]);
 */
export function fourierMaps(params: Params): FourierMaps {
  if (params['embed.W_E']) {
    const blocks = Object.keys(params)
      .map((n) => /^blocks\.(\d+)\.mlp\.W_out$/.exec(n))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]));
    const W_U = params['unembed.W_U'];
    if (blocks.length && !W_U) throw new Error('a transformer needs unembed.W_U for W_L; the model has none');
    const W_out = blocks.length ? params[`blocks.${Math.max(...blocks)}.mlp.W_out`]! : null;
    const W_L = W_out ? (tf.matMul(W_out, W_U!) as tf.Tensor2D) : null; // [d_mlp, d_vocab_out]
    return { W_E: tf.clone(params['embed.W_E']) as tf.Tensor2D, W_L }; // W_E [d_vocab, d_model]
  }
  if (params['mlp.W_in'] && params['mlp.W_out']) {
    return { W_E: tf.clone(params['mlp.W_in']) as tf.Tensor2D, W_L: tf.clone(params['mlp.W_out']) as tf.Tensor2D }; // [p, d_hidden], [d_hidden, p]
  }
  throw new Error(
    `cannot find W_E and W_L: expected embed.W_E (transformer) or mlp.W_in and mlp.W_out (MLP), got ${Object.keys(params).join(', ')}`,
  );
}

/**
 * The Gini coefficients of the norms of the non-constant Fourier components of W_E (over its first p rows, the
 * numbers) and of W_L (over its first p outputs): near 0 when every wave is used alike (a random model), near 1 when
 * a few waves carry everything (a grokked model). The constant component is left out, as in fourier-analysis'
 * analyzeModularAddition: it is no wave, and a per-output bias would otherwise weigh in.
 *
 * @example
 * giniOfModel(model.params, 113); // { embedding: 0.8, unembed: 0.85 } for a grokked model
 */
export function giniOfModel(params: Params, p: number): GiniMeasure {
  const { W_E, W_L } = fourierMaps(params);
  try {
    const embedding = giniCoefficient(embeddingFourierNorms(W_E, p).componentNorms.slice(1));
    const unembed = W_L ? giniCoefficient(unembedFourier(W_L, p).norms.componentNorms.slice(1)) : null;
    return { embedding, unembed };
  } finally {
    tf.dispose([W_E, ...(W_L ? [W_L] : [])]);
  }
}
