// The trainer plug-in: the progress measures as trainer metrics, computed at the trainer's metric epochs on the live
// weights. Each measure group becomes one metric of named numbers; the whole checkpoint is measured once per
// evaluation (one forward pass) and every metric reads its part.
import type { Model } from '@grokking/model';
import type { Dataset, Split, TaskInfo } from '@grokking/tasks';
import { checkFrequencies } from '@grokking/fourier-analysis';
import { modularAdditionTask } from './key-frequencies';
import { defaultMeasures, measureCheckpoint, resolveMeasures, type MeasureCheckpointOptions } from './measure-checkpoint';
import type { CheckpointMeasures, MeasureName } from './types';

/** The part of the trainer's MetricContext the plug-in reads (the trainer passes the whole context). */
export interface PluginContext {
  epoch: number;
  step: number;
  model: Model;
  info: TaskInfo;
  train: Dataset;
  test: Dataset | null;
}

/** A trainer metric: it fits the trainer's `Metric` type. */
export type ProgressMetric = (context: PluginContext) => Promise<Record<string, number>>;

/** Options of {@link progressMeasuresPlugin}. */
export interface PluginOptions extends Omit<MeasureCheckpointOptions, 'model' | 'epoch' | 'split' | 'keyFrequencies'> {
  /**
   * The run's split. Needed for modular tasks (its trainIndices/testIndices pick rows of all p² inputs); for other
   * tasks the trainer's own train and test sets are used when it is omitted.
   */
  split?: Split;
  /**
   * Key frequencies for excluded and restricted loss: a fixed list (e.g. those of a finished run of the same seed),
   * or `per-checkpoint` (the default) to find them from the weights at each evaluation. The final checkpoint's are not
   * known during training; compute those afterwards with measureSeries.
   */
  keyFrequencies?: readonly number[] | 'per-checkpoint';
}

/** An empty test set, for a run without one. */
const EMPTY: Dataset = { size: 0, tokens: new Int32Array(0), positions: new Int32Array(0), targets: new Int32Array(0) };

/**
 * One checkpoint's measures as groups of named numbers, the form trainer metrics take: `loss` {train, test,
 * trainAccuracy, testAccuracy}, `slotLoss` {`train <slot>`, `test <slot>`, `train accuracy <slot>`, ...},
 * `targetLoss` {`train <output>`, `test <output>`}, `excludedLoss` {all, `freq <w>`}, `restrictedLoss` {train, test},
 * `gini` {embedding, unembed}, `sumSquaredWeights` {total, <param name>...}. Absent values (no test set, no W_L) are
 * left out.
 *
 * @example
 * measureGroups(await measureCheckpoint({ model, task, split })).excludedLoss; // { all: 3.2, 'freq 14': 0.9, ... }
 */
export function measureGroups(measures: CheckpointMeasures): Partial<Record<MeasureName, Record<string, number>>> {
  const groups: Partial<Record<MeasureName, Record<string, number>>> = {};
  const defined = (entries: [string, number | null | undefined][]): Record<string, number> =>
    Object.fromEntries(entries.filter((e): e is [string, number] => typeof e[1] === 'number'));
  const { loss, slotLoss, targetLoss, excludedLoss, restrictedLoss, gini, sumSquaredWeights } = measures;
  if (loss) {
    groups.loss = defined([['train', loss.train], ['test', loss.test], ['trainAccuracy', loss.trainAccuracy], ['testAccuracy', loss.testAccuracy]]);
  }
  if (slotLoss) {
    groups.slotLoss = defined(
      slotLoss.names.flatMap((name, j): [string, number | undefined][] => [
        [`train ${name}`, slotLoss.train?.[j]],
        [`test ${name}`, slotLoss.test?.[j]],
        [`train accuracy ${name}`, slotLoss.trainAccuracy?.[j]],
        [`test accuracy ${name}`, slotLoss.testAccuracy?.[j]],
      ]),
    );
  }
  if (targetLoss) {
    groups.targetLoss = defined([
      ...Object.entries(targetLoss.train ?? {}).map(([k, v]): [string, number] => [`train ${k}`, v]),
      ...Object.entries(targetLoss.test ?? {}).map(([k, v]): [string, number] => [`test ${k}`, v]),
    ]);
  }
  if (excludedLoss) {
    groups.excludedLoss = defined([
      ['all', excludedLoss.all],
      ...Object.entries(excludedLoss.byFrequency).map(([w, v]): [string, number] => [`freq ${w}`, v]),
    ]);
  }
  if (restrictedLoss) groups.restrictedLoss = defined([['train', restrictedLoss.train], ['test', restrictedLoss.test]]);
  if (gini) groups.gini = defined([['embedding', gini.embedding], ['unembed', gini.unembed]]);
  if (sumSquaredWeights) groups.sumSquaredWeights = { total: sumSquaredWeights.total, ...sumSquaredWeights.byParam };
  return groups;
}

/**
 * The progress measures as trainer metrics, one per measure group (named as in {@link measureGroups}), for
 * `train({ metrics: progressMeasuresPlugin({ task, split }), metricsEvery })`. At each metric epoch the weights are
 * measured once with measureCheckpoint, so the numbers are exactly those of measureCheckpoint on a checkpoint of the
 * same weights.
 *
 * @example
 * await train({ model, info: task.info, data: { train: split.train, test: split.test }, epochs: 40000,
 *   metrics: progressMeasuresPlugin({ task, split, keyFrequencies: [14, 35, 41, 42, 52] }), metricsEvery: 1000 });
 */
export function progressMeasuresPlugin(options: PluginOptions): Record<string, ProgressMetric> {
  const { keyFrequencies = 'per-checkpoint', split, ...rest } = options;
  if (keyFrequencies !== 'per-checkpoint' && !Array.isArray(keyFrequencies)) {
    throw new Error(`keyFrequencies must be 'per-checkpoint' or a list of frequencies, got ${JSON.stringify(keyFrequencies)}`);
  }
  if (Array.isArray(keyFrequencies)) checkFrequencies(modularAdditionTask(options.task, 'keyFrequencies').p, keyFrequencies);
  const names = resolveMeasures(rest.measures ?? defaultMeasures(options.task), options.task);
  let cached: { epoch: number; step: number; model: Model; groups: Promise<Partial<Record<MeasureName, Record<string, number>>>> } | null = null;
  const groupsFor = (context: PluginContext) => {
    const { epoch, step, model } = context;
    if (!cached || cached.epoch !== epoch || cached.step !== step || cached.model !== model) {
      const runSplit = split ?? { train: context.train, test: context.test ?? EMPTY };
      const measures = measureCheckpoint({
        ...rest,
        model,
        split: runSplit,
        epoch,
        keyFrequencies: keyFrequencies === 'per-checkpoint' ? undefined : keyFrequencies,
      });
      cached = { epoch, step, model, groups: measures.then(measureGroups) };
    }
    return cached.groups;
  };
  return Object.fromEntries(names.map((name): [string, ProgressMetric] => [name, async (context) => (await groupsFor(context))[name] ?? {}]));
}
