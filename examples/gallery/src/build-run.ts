// From run settings to what train() needs: the task, its data, a fresh model and the progress measures to record.
import { digitAddition, maxElement, modularArithmetic, repeatedSubsequence, type ModularSplit, type Task } from '@grokking/tasks';
import {
  createTransformer,
  digitAdditionConfig,
  maxElementConfig,
  modularAdditionConfig,
  repeatedSubsequenceConfig,
  type HookedTransformer,
} from '@grokking/model';
import type { Metric, TrainData } from '@grokking/trainer';
import { embeddingFourierNorms } from '@grokking/fourier-analysis';
import { progressMeasuresPlugin } from '@grokking/progress-measures';
import type { RunSettings } from './protocol';
import { onCpuWhenWebGpu } from './cpu-metrics';

/** A run's pieces. */
export interface Run {
  task: Task;
  data: TrainData;
  model: HookedTransformer;
  batchSize: number | undefined;
  metrics: Record<string, Metric>;
}

/** Builds the task, data, model and metrics of a run. */
export function buildRun(s: RunSettings): Run {
  if (s.task === 'modular-addition') return modularRun(s);
  const task = s.task === 'digit-addition' ? digitAddition({ digits: s.digits })
    : s.task === 'repeated-subsequence' ? repeatedSubsequence() : maxElement();
  const overrides = { dModel: s.dModel, seed: s.seed };
  const config = s.task === 'digit-addition' ? digitAdditionConfig(task.info, overrides)
    : s.task === 'repeated-subsequence' ? repeatedSubsequenceConfig(task.info, overrides) : maxElementConfig(task.info, overrides);
  const model = createTransformer(config);
  const infinite = s.trainSize === 0;
  // With infinite data only the test set of the split is used; a different seed keeps it apart from training batches.
  const split = task.split({ trainSize: infinite ? 1 : s.trainSize, testSize: s.testSize, seed: infinite ? s.seed + 1 : s.seed });
  const data: TrainData = infinite ? { sample: (count, rng) => task.sample(count, rng), test: split.test } : { train: split.train, test: split.test };
  // Per-target loss shows max element's skip trigrams forming one by one.
  const metrics: Record<string, Metric> = s.task === 'max-element'
    ? progressMeasuresPlugin({ task, measures: ['targetLoss'] }) as Record<string, Metric>
    : {};
  return { task, data, model, batchSize: infinite ? s.batchSize : undefined, metrics };
}

function modularRun(s: RunSettings): Run {
  const task = modularArithmetic({ p: s.p, operation: 'add' });
  const split: ModularSplit = task.split({ trainFraction: s.trainFraction, seed: s.seed });
  const model = createTransformer(modularAdditionConfig(s.p, { dModel: s.dModel, seed: s.seed }));
  const metrics: Record<string, Metric> = onCpuWhenWebGpu({
    // Key frequencies are read from W_E at each measurement (cheaper than clustering every neuron).
    ...(progressMeasuresPlugin({
      task, split, measures: ['excludedLoss', 'restrictedLoss'], keyFrequencyOptions: { source: 'embedding' },
    }) as Record<string, Metric>),
    embedNorms: ({ model: m }) => {
      const { freqNorms } = embeddingFourierNorms(m.params['embed.W_E']!, s.p);
      return Object.fromEntries(freqNorms.map((n, i) => [String(i + 1), n]));
    },
  });
  return { task, data: { train: split.train, test: split.test }, model, batchSize: undefined, metrics };
}
