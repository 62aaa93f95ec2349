// The key frequencies of a modular-addition model: the waves its circuit is built from, which the excluded and
// restricted losses are defined by. Read, as in the write-up, from neuron clusters (a frequency is key when enough
// MLP neurons have >= 85% of their variance explained by it), or from the embedding's sparse Fourier norms.
import type * as tf from '@tensorflow/tfjs-core';
import {
  embeddingKeyFrequencies,
  frequencyFractions,
  keyFrequenciesFromClusters,
  neuronClusters,
} from '@grokking/fourier-analysis';
import type { Model } from '@grokking/model';
import { isModularTask, type ModularTask, type Task } from '@grokking/tasks';
import { canCache, scoredLogits } from './scored-logits';
import { fourierMaps } from './weights';

/** Where key frequencies are read: MLP neuron clusters, or the embedding's Fourier norms. */
export type KeyFrequencySource = 'neurons' | 'embedding';

/** Options of {@link findKeyFrequencies}; thresholds default as in fourier-analysis. */
export interface FindKeyFrequencyOptions {
  /** Default `neurons` when the model has MLP neurons and `runWithCache`, else `embedding`. */
  source?: KeyFrequencySource;
  /** Variance share for a neuron to join a frequency's cluster (default 0.85). */
  clusterThreshold?: number;
  /** Neurons a cluster needs for its frequency to be key (default max(1, ceil(d_mlp / 100))). */
  minNeurons?: number;
  /** Energy over the median for an embedding key frequency (default 10). */
  sparseRatio?: number;
  /** Examples per forward pass (default 4096). */
  batchSize?: number;
}

/**
 * Checks that a task is modular addition over all p² pairs, the only task the Fourier measures are defined for
 * (they use the directions cos(w(x+y)) and sin(w(x+y)) over every input), and returns it typed.
 *
 * @throws naming the task otherwise.
 * @example
 * const task = modularAdditionTask(modularArithmetic({ p: 113 }), 'excludedLoss');
 */
export function modularAdditionTask(task: Task, what: string): ModularTask {
  if (!isModularTask(task) || task.info.name !== 'modular-addition' || task.pairCount !== task.p * task.p) {
    throw new Error(
      `${what} needs modular addition: the Fourier measures are defined over all p² inputs of (x + y) mod p; task is ${task.info.name}`,
    );
  }
  return task;
}

/**
 * The hook holding the neurons key frequencies are read from: the last MLP block's `mlp.hook_post` of a transformer,
 * `mlp.hook_post` of the write-up's MLP; null for a model without MLP neurons or without `runWithCache`.
 *
 * @example
 * neuronHook(createTransformer(modularAdditionConfig(113))); // 'blocks.0.mlp.hook_post'
 */
export function neuronHook(model: Model): string | null {
  if (!canCache(model)) return null;
  const blocks = Object.keys(model.params)
    .map((n) => /^blocks\.(\d+)\.mlp\.W_out$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
  if (blocks.length) return `blocks.${Math.max(...blocks)}.mlp.hook_post`;
  if (model.params['mlp.W_in'] && !model.params['embed.W_E']) return 'mlp.hook_post';
  return null;
}

/**
 * Key frequencies from neuron activations over all p² inputs ([p*p, d_mlp], x-major): each neuron joins the cluster
 * of the frequency explaining at least `clusterThreshold` of its variance, and a frequency is key when its cluster
 * has at least `minNeurons` neurons. Ascending.
 *
 * @example
 * keyFrequenciesFromActs(neuronActs, 113); // e.g. [14, 35, 41, 42, 52]
 */
export function keyFrequenciesFromActs(acts: tf.Tensor, p: number, options: FindKeyFrequencyOptions = {}): number[] {
  const clusters = neuronClusters(frequencyFractions(acts, p), { threshold: options.clusterThreshold });
  return keyFrequenciesFromClusters(clusters, { minNeurons: options.minNeurons });
}

/**
 * The key frequencies of a modular-addition model, from its neuron clusters (default where it has MLP neurons) or
 * from its embedding's Fourier norms. Ascending; empty for a model that uses no wave yet (a random one).
 *
 * @example
 * await findKeyFrequencies(model, modularArithmetic({ p: 113 })); // e.g. [14, 35, 41, 42, 52]
 */
export async function findKeyFrequencies(model: Model, task: Task, options: FindKeyFrequencyOptions = {}): Promise<number[]> {
  const modular = modularAdditionTask(task, 'findKeyFrequencies');
  const hook = neuronHook(model);
  const source = options.source ?? (hook ? 'neurons' : 'embedding');
  if (source === 'embedding') {
    const { W_E, W_L } = fourierMaps(model.params);
    try {
      return embeddingKeyFrequencies(W_E, modular.p, { ratio: options.sparseRatio });
    } finally {
      W_E.dispose();
      W_L?.dispose();
    }
  }
  if (source !== 'neurons') throw new Error(`source must be 'neurons' or 'embedding', got ${JSON.stringify(source)}`);
  if (!hook) throw new Error(`key frequencies from neurons need a model with MLP neurons and runWithCache; this ${model.kind} model has none`);
  const { logits, acts } = scoredLogits(model, modular.all(), modular.info, { batchSize: options.batchSize, hook });
  try {
    return keyFrequenciesFromActs(acts!, modular.p, options);
  } finally {
    logits.dispose();
    acts?.dispose();
  }
}
