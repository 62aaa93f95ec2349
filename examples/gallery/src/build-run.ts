// From the page's settings to a run: a RunSpec from the task's preset in @grokking/experiments with the form's
// overrides, built by the same code as `grok train`, plus the progress measures the page plots.
import { buildRun as buildSpecRun, resolveRunSpec, taskSpec, type BuiltRun, type RunSpec } from '@grokking/experiments';
import type { Metric } from '@grokking/trainer';
import { embeddingFourierNorms } from '@grokking/fourier-analysis';
import { progressMeasuresPlugin } from '@grokking/progress-measures';
import type { RunSettings } from './protocol';
import { onCpuWhenWebGpu } from './cpu-metrics';

/** A run's pieces. */
export interface Run extends BuiltRun {
  spec: RunSpec;
  metrics: Record<string, Metric>;
}

/**
 * The run spec of the page's settings: the task's preset, with the form's task sizes, width, schedule and seed.
 * Sampled tasks with trainSize 0 train on infinite data.
 */
export function runSpec(s: RunSettings): RunSpec {
  const preset = taskSpec(s.task);
  const task = s.task === 'modular-addition'
    ? { name: s.task, p: s.p, trainFraction: s.trainFraction }
    : {
      name: s.task,
      ...(s.task === 'digit-addition' ? { digits: s.digits } : {}),
      testSize: s.testSize,
      ...(s.trainSize === 0 ? { infinite: true, batchSize: s.batchSize } : { trainSize: s.trainSize }),
    };
  return resolveRunSpec({
    ...preset,
    task,
    model: { ...preset.model, dModel: s.dModel },
    trainer: { ...preset.trainer, epochs: s.epochs, lr: s.lr, weightDecay: s.weightDecay, evalEvery: s.evalEvery },
    seed: s.seed,
  });
}

/** Builds the task, data, model and metrics of a run. */
export function buildRun(s: RunSettings): Run {
  const spec = runSpec(s);
  const built = buildSpecRun(spec);
  return { ...built, spec, metrics: runMetrics(s, built) };
}

function runMetrics(s: RunSettings, { task, data }: BuiltRun): Record<string, Metric> {
  // Per-target loss shows max element's skip trigrams forming one by one.
  if (s.task === 'max-element') return progressMeasuresPlugin({ task, measures: ['targetLoss'] }) as Record<string, Metric>;
  if (s.task !== 'modular-addition' || !data.modularSplit) return {};
  return onCpuWhenWebGpu({
    // Key frequencies are read from W_E at each measurement (cheaper than clustering every neuron).
    ...(progressMeasuresPlugin({
      task, split: data.modularSplit, measures: ['excludedLoss', 'restrictedLoss'], keyFrequencyOptions: { source: 'embedding' },
    }) as Record<string, Metric>),
    embedNorms: ({ model: m }) => {
      const { freqNorms } = embeddingFourierNorms(m.params['embed.W_E']!, s.p);
      return Object.fromEntries(freqNorms.map((n, i) => [String(i + 1), n]));
    },
  });
}
