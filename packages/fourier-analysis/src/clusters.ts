// Neurons clustered by the frequency that explains their variance, and the key frequencies read from the clusters.
/** The neurons whose variance one frequency explains. */
export interface NeuronCluster {
  /** The frequency k in 1..floor(p/2). */
  freq: number;
  /** Indices of the neurons in the cluster, ascending. */
  neurons: number[];
}

/** Neurons grouped by the frequency that explains them, and those no frequency explains. */
export interface NeuronClusters {
  /** One cluster per frequency that explains at least one neuron, by ascending frequency. */
  clusters: NeuronCluster[];
  /** Neurons no single frequency explains to the threshold (the write-up's non-frequency cluster), ascending. */
  unclustered: number[];
  /** The threshold used. */
  threshold: number;
}

/** Options for {@link neuronClusters}. */
export interface ClusterOptions {
  /** A neuron joins frequency k's cluster when k explains at least this fraction of its variance (default 0.85, the write-up's cut). */
  threshold?: number;
}

/** Options for {@link keyFrequenciesFromClusters}. */
export interface KeyFrequencyOptions {
  /** A frequency is key when its cluster has at least this many neurons (default max(1, ceil(d_mlp / 100))). */
  minNeurons?: number;
}

/** The write-up's cut: a neuron belongs to a frequency that explains at least 85% of its variance. */
export const CLUSTER_THRESHOLD = 0.85;

/**
 * Clusters neurons by frequency from {@link frequencyFractions}' output (fractions[neuron][k - 1]): a neuron joins
 * the cluster of its best frequency when that frequency explains at least `threshold` of its variance, else it is
 * unclustered. Every frequency 1..floor(p/2) is considered. With a threshold above 0.5 at most one frequency can
 * qualify, since the fractions of one neuron sum to at most 1.
 *
 * @example
 * const { clusters, unclustered } = neuronClusters(frequencyFractions(neuronActs, 113));
 * // clusters: [{ freq: 14, neurons: [0, 7, ...] }, ...]; unclustered: [3, ...]
 */
export function neuronClusters(fractions: number[][], options: ClusterOptions = {}): NeuronClusters {
  const threshold = options.threshold ?? CLUSTER_THRESHOLD;
  if (!(threshold > 0 && threshold <= 1)) throw new Error(`threshold must be in (0, 1], got ${threshold}`);
  const byFreq = new Map<number, number[]>();
  const unclustered: number[] = [];
  fractions.forEach((row, neuron) => {
    let best = -1;
    let bestFraction = -Infinity;
    row.forEach((fraction, i) => {
      if (fraction > bestFraction) {
        bestFraction = fraction;
        best = i + 1;
      }
    });
    if (best > 0 && bestFraction >= threshold) {
      const members = byFreq.get(best) ?? [];
      members.push(neuron);
      byFreq.set(best, members);
    } else {
      unclustered.push(neuron);
    }
  });
  const clusters = [...byFreq.entries()].sort((a, b) => a[0] - b[0]).map(([freq, neurons]) => ({ freq, neurons }));
  return { clusters, unclustered, threshold };
}

/**
 * The default cluster size for a key frequency: 1% of the neurons, at least one. It ignores a stray neuron or two
 * in a wide layer (a grokked 512-neuron model has clusters of tens of neurons) yet works for tiny hand-built layers.
 *
 * @example
 * defaultMinNeurons(512); // 6
 * defaultMinNeurons(8); // 1
 */
export function defaultMinNeurons(dMlp: number): number {
  return Math.max(1, Math.ceil(dMlp / 100));
}

/**
 * The key frequencies read from neuron clusters: a frequency is key when at least `minNeurons` neurons have at least
 * the clustering threshold (0.85) of their variance explained by it. Ascending. A random model gives none: a frequency holds
 * only 8 of the p² - 1 non-constant 2D terms, and a random neuron's variance spreads over all of them.
 *
 * @example
 * const fractions = frequencyFractions(neuronActs, 113);
 * keyFrequenciesFromClusters(neuronClusters(fractions), { minNeurons: 6 }); // e.g. [14, 35, 41, 42, 52]
 */
export function keyFrequenciesFromClusters(result: NeuronClusters, options: KeyFrequencyOptions = {}): number[] {
  const dMlp = result.unclustered.length + result.clusters.reduce((a, c) => a + c.neurons.length, 0);
  const minNeurons = options.minNeurons ?? defaultMinNeurons(dMlp);
  if (!Number.isInteger(minNeurons) || minNeurons < 1) throw new Error(`minNeurons must be an integer >= 1, got ${minNeurons}`);
  return result.clusters.filter((c) => c.neurons.length >= minNeurons).map((c) => c.freq);
}
