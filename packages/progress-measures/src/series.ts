// The measures over a series of checkpoints, with the key frequencies fixed from the final checkpoint (the write-up's
// choice: the circuit the model ends with, tracked back through training), given, or found anew at each checkpoint.
import { checkFrequencies, operationGroup } from '@grokking/fourier-analysis';
import type { Model } from '@grokking/model';
import { modularAdditionTask } from './key-frequencies';
import { groupOperationOf, groupOperationTask } from './operation-losses';
import { defaultMeasures, measureCheckpoint, type MeasureCheckpointOptions } from './measure-checkpoint';
import type { CheckpointMeasures } from './types';

/** One checkpoint of a series: its epoch and its model, or a loader of the model (measureSeries then disposes it). */
export interface SeriesEntry {
  epoch: number;
  model: Model | (() => Model | Promise<Model>);
}

/** Key frequencies for a series: the final checkpoint's, each checkpoint's own, or a given list. */
export type KeyFrequencyChoice = 'final' | 'per-checkpoint' | readonly number[];

/** Options of {@link measureSeries}: those of measureCheckpoint, less the model, epoch and key frequencies. */
export interface MeasureSeriesOptions extends Omit<MeasureCheckpointOptions, 'model' | 'epoch' | 'keyFrequencies'> {
  /** Default `final`. */
  keyFrequencies?: KeyFrequencyChoice;
  /** Called with each checkpoint's measures as soon as they are computed (in processing order). */
  onCheckpoint?: (measures: CheckpointMeasures) => void | Promise<void>;
}

/** The measures of every checkpoint, by ascending epoch. */
export interface MeasureSeries {
  /** The key frequencies used throughout, or null when found per checkpoint (each point lists its own) or unused. */
  keyFrequencies: number[] | null;
  points: CheckpointMeasures[];
}

/**
 * Computes the progress measures of every checkpoint of a series. Checkpoints are loaded one at a time when given as
 * loaders, and each loaded model is disposed once measured; models given directly stay the
 * caller's. With `keyFrequencies: 'final'` (the default) the checkpoint of the largest epoch is measured first and
 * its key frequencies are used for every other.
 *
 * @example
 * import { decodeCheckpoint, modelFromCheckpoint } from '@grokking/trainer';
 * const series = await measureSeries(
 *   epochs.map((epoch) => ({ epoch, model: async () => modelFromCheckpoint(decodeCheckpoint(await store.read(epoch))) })),
 *   { task, split },
 * );
 * series.points.map((m) => m.excludedLoss?.all);
 */
export async function measureSeries(
  checkpoints: Iterable<SeriesEntry> | AsyncIterable<SeriesEntry>,
  options: MeasureSeriesOptions,
): Promise<MeasureSeries> {
  const entries: SeriesEntry[] = [];
  for await (const entry of checkpoints) entries.push(entry);
  const seen = new Set<number>();
  for (const { epoch } of entries) {
    if (!Number.isSafeInteger(epoch) || epoch < 0) throw new Error(`checkpoint epochs must be non-negative integers, got ${epoch}`);
    if (seen.has(epoch)) throw new Error(`checkpoint epochs must be distinct, got ${epoch} twice`);
    seen.add(epoch);
  }
  if (entries.length === 0) throw new Error('measureSeries needs at least one checkpoint, got none');
  entries.sort((a, b) => a.epoch - b.epoch);

  const { keyFrequencies: choice = 'final', onCheckpoint, ...rest } = options;
  const measures = options.measures ?? defaultMeasures(options.task);
  const usesKeys = measures.includes('excludedLoss') || measures.includes('restrictedLoss');
  if (typeof choice === 'string' && choice !== 'final' && choice !== 'per-checkpoint') {
    throw new Error(`keyFrequencies must be 'final', 'per-checkpoint' or a list of frequencies, got ${JSON.stringify(choice)}`);
  }
  let fixed: number[] | null = null;
  if (Array.isArray(choice)) {
    // Subtraction, multiplication and division take frequencies of their group Z_m (m = p, or p - 1 through logarithms).
    const operation = groupOperationTask(options.task);
    if (operation) checkFrequencies(operationGroup(operation.p, groupOperationOf(operation)).m, choice);
    else checkFrequencies(modularAdditionTask(options.task, 'keyFrequencies').p, choice);
    fixed = [...choice];
  }

  const points = new Map<number, CheckpointMeasures>();
  // keys null: measureCheckpoint finds this checkpoint's own and reports them in its result.
  const measure = async (entry: SeriesEntry, keys: number[] | null): Promise<CheckpointMeasures> => {
    const loaded = typeof entry.model === 'function';
    const model = typeof entry.model === 'function' ? await entry.model() : entry.model;
    try {
      const result = await measureCheckpoint({ ...rest, model, epoch: entry.epoch, keyFrequencies: keys ?? undefined });
      points.set(entry.epoch, result);
      await onCheckpoint?.(result);
      return result;
    } finally {
      if (loaded) model.dispose();
    }
  };

  let order = entries;
  if (choice === 'final' && usesKeys) {
    fixed = (await measure(entries[entries.length - 1]!, null)).keyFrequencies;
    order = entries.slice(0, -1);
  }
  for (const entry of order) await measure(entry, fixed);
  return { keyFrequencies: usesKeys ? fixed : null, points: entries.map((e) => points.get(e.epoch)!) };
}
