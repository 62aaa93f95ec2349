// Every progress measure of one checkpoint, from one forward pass: over all p² inputs for modular addition (train and
// test rows picked from it by the split's indices), over the train and test sets for every other task.
import { checkFrequencies } from '@grokking/fourier-analysis';
import type { Model } from '@grokking/model';
import { isModularTask, type Dataset, type ModularSplit, type Task } from '@grokking/tasks';
import { rowStats, type RowStats } from './cross-entropy';
import { datasetLoss, summarizeRows, type DatasetLoss } from './dataset-loss';
import { excludedLoss, pick, restrictedLoss } from './fourier-losses';
import { groupOperationTask, operationExcludedLoss, operationRestrictedLoss } from './operation-losses';
import { keyFrequenciesFromActs, modularAdditionTask, neuronHook, findKeyFrequencies, type FindKeyFrequencyOptions } from './key-frequencies';
import { scoredLogits } from './scored-logits';
import { FOURIER_MEASURES, MEASURE_NAMES, type CheckpointMeasures, type MeasureName } from './types';
import { giniOfModel, sumSquaredWeights } from './weights';

/** The sets a checkpoint is measured on: the run's own; `train` is null with infinite data (no fixed train set). */
export interface MeasuredSets {
  train: Dataset | null;
  test: Dataset;
}

/** Options of {@link measureCheckpoint}. */
export interface MeasureCheckpointOptions {
  model: Model;
  task: Task;
  /** The run's sets; for modular tasks the task's own `split()` result, whose trainIndices/testIndices are used. */
  split: MeasuredSets;
  /** The checkpoint's epoch, copied into the result. */
  epoch?: number;
  /** Key frequencies for excluded and restricted loss; found from this model when omitted. */
  keyFrequencies?: readonly number[];
  /** How key frequencies are found when not given. */
  keyFrequencyOptions?: FindKeyFrequencyOptions;
  /** Which measures (default {@link defaultMeasures} of the task). */
  measures?: readonly MeasureName[];
  /** Examples per forward pass (default 4096). */
  batchSize?: number;
}

/**
 * The measures that apply to a task: for modular addition loss, excluded and restricted loss, Gini coefficients and
 * the sum of squared weights; for every other task loss, per-slot and per-target loss and the sum of squared weights.
 *
 * @example
 * defaultMeasures(maxElement()); // ['loss', 'slotLoss', 'targetLoss', 'sumSquaredWeights']
 */
export function defaultMeasures(task: Task): MeasureName[] {
  if (isFourierTask(task)) return ['loss', 'excludedLoss', 'restrictedLoss', 'gini', 'sumSquaredWeights'];
  if (groupOperationTask(task)) return ['loss', 'excludedLoss', 'restrictedLoss', 'sumSquaredWeights'];
  return ['loss', 'slotLoss', 'targetLoss', 'sumSquaredWeights'];
}

function isFourierTask(task: Task): boolean {
  return isModularTask(task) && task.info.name === 'modular-addition' && task.pairCount === task.p * task.p;
}

/**
 * Checks a list of measures against a task and returns them in the documented order.
 *
 * @throws for an unknown name, or a Fourier measure asked for a task other than modular addition.
 * @example
 * resolveMeasures(['gini', 'loss'], modularArithmetic({ p: 113 })); // ['loss', 'gini']
 */
export function resolveMeasures(measures: readonly MeasureName[], task: Task): MeasureName[] {
  for (const m of measures) {
    if (!MEASURE_NAMES.includes(m)) throw new Error(`measures must be among ${MEASURE_NAMES.join(', ')}, got ${JSON.stringify(m)}`);
    // Excluded and restricted loss also read subtraction, multiplication and division in their group; Gini is addition's.
    if (FOURIER_MEASURES.includes(m) && !(m !== 'gini' && groupOperationTask(task))) modularAdditionTask(task, `measure ${m}`);
  }
  return MEASURE_NAMES.filter((m) => measures.includes(m));
}

/**
 * Computes the chosen progress measures of one model (one checkpoint) as plain, JSON-serialisable data. The model's
 * logits at the scored position are computed once, in batches; for modular addition they cover all p² inputs, which
 * the Fourier measures need, and the train/test losses are read from the split's rows of them. Key frequencies are
 * found from this model unless given (pass the final checkpoint's to follow the write-up). Leaves no tensor behind.
 *
 * @throws when a Fourier measure (excludedLoss, restrictedLoss, gini) is asked for a task other than modular
 *   addition, or a modular split lacks trainIndices/testIndices.
 * @example
 * const task = modularArithmetic({ p: 113 });
 * const split = task.split({ trainFraction: 0.3, seed: 0 });
 * const m = await measureCheckpoint({ model, task, split, keyFrequencies: [14, 35, 41, 42, 52] });
 * m.excludedLoss?.all; // >> m.loss?.train once the model relies on the generalising circuit
 */
export async function measureCheckpoint(options: MeasureCheckpointOptions): Promise<CheckpointMeasures> {
  const { model, task, split } = options;
  const measures = resolveMeasures(options.measures ?? defaultMeasures(task), task);
  const wants = (m: MeasureName) => measures.includes(m);
  const needsKeys = wants('excludedLoss') || wants('restrictedLoss');
  const result: CheckpointMeasures = { epoch: options.epoch ?? null, keyFrequencies: null };
  let train: DatasetLoss | null = null;
  let test: DatasetLoss | null = null;

  if (isFourierTask(task)) {
    const modular = modularAdditionTask(task, 'measureCheckpoint');
    const { trainIndices, testIndices } = modularIndices(split);
    const all = modular.all();
    const p = modular.p;
    const keySource = options.keyFrequencyOptions?.source;
    const hook = needsKeys && !options.keyFrequencies && keySource !== 'embedding' ? neuronHook(model) : null;
    if (needsKeys && !options.keyFrequencies && keySource === 'neurons' && !hook) {
      throw new Error(`key frequencies from neurons need a model with MLP neurons and runWithCache; this ${model.kind} model has none`);
    }
    const { logits, acts } = scoredLogits(model, all, modular.info, { batchSize: options.batchSize, hook: hook ?? undefined });
    try {
      if (wants('loss') || wants('slotLoss') || wants('targetLoss')) {
        const rows = await rowStats(logits, all.targets);
        train = summarizeRows(pickRows(rows, trainIndices), pick(all.targets, trainIndices), modular.info);
        test = testIndices.length ? summarizeRows(pickRows(rows, testIndices), pick(all.targets, testIndices), modular.info) : null;
      }
      if (needsKeys) {
        let keys: number[];
        if (options.keyFrequencies) keys = [...options.keyFrequencies];
        else if (acts) keys = keyFrequenciesFromActs(acts, p, options.keyFrequencyOptions);
        else keys = await findKeyFrequencies(model, modular, { ...options.keyFrequencyOptions, source: 'embedding' });
        checkFrequencies(p, keys);
        result.keyFrequencies = keys;
        const inputs = { logits, p, targets: all.targets, trainIndices, testIndices };
        if (wants('excludedLoss')) result.excludedLoss = await excludedLoss(inputs, keys);
        if (wants('restrictedLoss')) result.restrictedLoss = await restrictedLoss(inputs, keys);
      }
    } finally {
      logits.dispose();
      acts?.dispose();
    }
    if (wants('gini')) result.gini = giniOfModel(model.params, p);
  } else if (groupOperationTask(task) && needsKeys) {
    // Subtraction, multiplication, division: the logits over every pair, re-indexed onto the operation's group, where
    // the key frequencies (of Z_m, from the group's Fourier analysis) must be given: they cannot be read from here.
    const modular = groupOperationTask(task)!;
    if (!options.keyFrequencies) throw new Error(`excluded and restricted loss of ${task.info.name} need keyFrequencies (of its group, e.g. from analyzeModel with its operation)`);
    const { trainIndices, testIndices } = modularIndices(split);
    const all = modular.all();
    const { logits } = scoredLogits(model, all, modular.info, { batchSize: options.batchSize });
    try {
      if (wants('loss') || wants('slotLoss') || wants('targetLoss')) {
        const rows = await rowStats(logits, all.targets);
        train = summarizeRows(pickRows(rows, trainIndices), pick(all.targets, trainIndices), modular.info);
        test = testIndices.length ? summarizeRows(pickRows(rows, testIndices), pick(all.targets, testIndices), modular.info) : null;
      }
      const keys = [...options.keyFrequencies];
      result.keyFrequencies = keys;
      const inputs = { task: modular, logits, trainIndices, testIndices };
      if (wants('excludedLoss')) result.excludedLoss = await operationExcludedLoss(inputs, keys);
      if (wants('restrictedLoss')) result.restrictedLoss = await operationRestrictedLoss(inputs, keys);
    } finally {
      logits.dispose();
    }
  } else if (wants('loss') || wants('slotLoss') || wants('targetLoss')) {
    train = split.train ? await datasetLoss(model, split.train, task.info, options.batchSize) : null;
    test = split.test.size > 0 ? await datasetLoss(model, split.test, task.info, options.batchSize) : null;
  }

  const measured = train !== null || test !== null;
  if (measured && wants('loss')) {
    result.loss = { train: train?.loss ?? null, test: test?.loss ?? null, trainAccuracy: train?.accuracy ?? null, testAccuracy: test?.accuracy ?? null };
  }
  if (measured && wants('slotLoss')) {
    result.slotLoss = {
      names: [...task.info.slotNames],
      train: train?.slotLoss ?? null,
      test: test?.slotLoss ?? null,
      trainAccuracy: train?.slotAccuracy ?? null,
      testAccuracy: test?.slotAccuracy ?? null,
    };
  }
  if (measured && wants('targetLoss')) result.targetLoss = { train: train?.targetLoss ?? null, test: test?.targetLoss ?? null };
  if (wants('sumSquaredWeights')) result.sumSquaredWeights = sumSquaredWeights(model.params);
  return orderKeys(result);
}

/** The split's rows of all(), checked. */
function modularIndices(split: MeasuredSets): { trainIndices: Int32Array; testIndices: Int32Array } {
  const { trainIndices, testIndices } = split as Partial<ModularSplit>;
  if (!(trainIndices instanceof Int32Array) || !(testIndices instanceof Int32Array)) {
    throw new Error('split must be the modular task\'s own split() result, with trainIndices and testIndices');
  }
  if (trainIndices.length !== (split.train?.size ?? 0) || testIndices.length !== split.test.size) {
    throw new Error(
      `split's indices (${trainIndices.length} train, ${testIndices.length} test) do not match its sets (${split.train?.size ?? 0}, ${split.test.size})`,
    );
  }
  return { trainIndices, testIndices };
}

function pickRows(rows: RowStats, indices: Int32Array): RowStats {
  const losses = new Float32Array(indices.length);
  const correct = new Uint8Array(indices.length);
  indices.forEach((row, i) => {
    losses[i] = rows.losses[row]!;
    correct[i] = rows.correct[row]!;
  });
  return { losses, correct };
}

/** The result with its measures in the documented order (epoch, keyFrequencies, then MEASURE_NAMES). */
function orderKeys(result: CheckpointMeasures): CheckpointMeasures {
  const ordered: CheckpointMeasures = { epoch: result.epoch, keyFrequencies: result.keyFrequencies };
  for (const m of MEASURE_NAMES) if (result[m] !== undefined) Object.assign(ordered, { [m]: result[m] });
  return ordered;
}
