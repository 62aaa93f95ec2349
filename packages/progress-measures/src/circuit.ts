// The modular-addition circuit over training (the write-up's "circuit formation" made visible): per checkpoint, how
// much W_E uses each frequency, how many neurons sit in each key frequency's cluster, and how much of the logits the
// cos(w(x+y-z)) terms of the key frequencies explain, all read off analyzeModel's analysis of that checkpoint.
import type { ModularAdditionAnalysis } from '@grokking/fourier-analysis';
import type { Model } from '@grokking/model';
import { analyzeModel, type AnalyzeModelOptions } from './model-analysis';
import type { SeriesEntry } from './series';

/** The circuit at one checkpoint. */
export interface CircuitPoint {
  epoch: number;
  /** embeddingFreqNorms[k - 1]: the norm of W_E's cos k and sin k directions together, k = 1..floor(p/2); [] without W_E. */
  embeddingFreqNorms: number[];
  /** Neurons in each key frequency's cluster (keyed by the frequency), and those in no cluster; empty without neurons. */
  clusterSizes: Record<string, number>;
  unclustered: number | null;
  /**
   * The share of the centred logits' variance explained by Σ α_w cos(w(x+y-z)) over the key frequencies: the terms of
   * different frequencies are orthogonal over all p² inputs, so it is the sum of each frequency's own share.
   */
  logitVarianceExplained: number | null;
}

/**
 * One checkpoint's circuit, measured on the given key frequencies (the final checkpoint's, to follow the circuit the
 * model ends with back through training). Pure: plain data in, plain data out.
 *
 * @example
 * circuitPoint(1000, await analyzeModel(model), [14, 35, 41]).clusterSizes; // { '14': 40, '35': 61, '41': 12 }
 */
export function circuitPoint(epoch: number, analysis: ModularAdditionAnalysis, keyFrequencies: readonly number[]): CircuitPoint {
  const half = Math.floor(analysis.p / 2);
  for (const k of keyFrequencies) {
    if (!Number.isInteger(k) || k < 1 || k > half) throw new Error(`key frequencies must be integers in 1..${half}, got ${k}`);
  }
  const clusters = analysis.neurons?.clusters;
  const byFreq = new Map((clusters?.clusters ?? []).map((c) => [c.freq, c.neurons.length]));
  const shares = analysis.logits?.fractionExplainedByFrequency;
  return {
    epoch,
    embeddingFreqNorms: analysis.embedding?.norms.freqNorms ?? [],
    clusterSizes: clusters ? Object.fromEntries(keyFrequencies.map((k) => [String(k), byFreq.get(k) ?? 0])) : {},
    unclustered: clusters ? clusters.unclustered.length : null,
    logitVarianceExplained: shares ? keyFrequencies.reduce((sum, k) => sum + (shares[k - 1] ?? 0), 0) : null,
  };
}

/**
 * The circuit at every checkpoint of a series, on the final checkpoint's key frequencies unless given. Checkpoints
 * given as loaders are loaded one at a time and disposed once analysed; no tensor is left behind.
 *
 * @example
 * const circuit = await circuitSeries(epochs.map((epoch) => ({ epoch, model: () => load(epoch) })));
 * circuit.points.map((c) => c.logitVarianceExplained); // rises towards ~0.95 as the circuit forms
 */
export async function circuitSeries(
  checkpoints: readonly SeriesEntry[],
  options: AnalyzeModelOptions & { keyFrequencies?: readonly number[] } = {},
): Promise<{ keyFrequencies: number[]; points: CircuitPoint[] }> {
  if (checkpoints.length === 0) throw new Error('circuitSeries needs at least one checkpoint, got none');
  const { keyFrequencies: given, ...analysisOptions } = options;
  const entries = [...checkpoints].sort((a, b) => a.epoch - b.epoch);
  const analyse = async (entry: SeriesEntry): Promise<ModularAdditionAnalysis> => {
    const loaded = typeof entry.model === 'function';
    const model: Model = typeof entry.model === 'function' ? await entry.model() : entry.model;
    try {
      return await analyzeModel(model, { ...analysisOptions, maxNeurons: 0 });
    } finally {
      if (loaded) model.dispose();
    }
  };
  const analyses = new Map<number, ModularAdditionAnalysis>();
  const last = entries[entries.length - 1]!;
  let keys = given ? [...given] : null;
  if (!keys) {
    const final = await analyse(last);
    analyses.set(last.epoch, final);
    keys = final.keyFrequencies;
  }
  const points: CircuitPoint[] = [];
  for (const entry of entries) {
    const analysis = analyses.get(entry.epoch) ?? (await analyse(entry));
    points.push(circuitPoint(entry.epoch, analysis, keys));
  }
  return { keyFrequencies: keys, points };
}
