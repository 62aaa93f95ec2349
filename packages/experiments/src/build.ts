// From a run spec to what a run needs: the task, its data and a fresh model. Training and analysis both build their
// data here, so an analysis measures exactly the sets the run trained and was evaluated on.
import { isModularTask, taskFromName, type Dataset, type ModularSplit, type Task, type TaskInfo } from '@grokking/tasks';
import { createMlp, createTransformer, defineMlpConfig, defineTransformerConfig, type Model } from '@grokking/model';
import type { TrainData } from '@grokking/trainer';
import { checkData, type RunSpec } from './spec';

/** Offset between a run's seed and the seed of its infinite-data test set, which keeps the two streams apart. */
export const TEST_SEED_OFFSET = 1_000_003;

/**
 * The task of a run, built (and so validated) from its spec.
 *
 * @example
 * buildTask(presetSpec('digit-addition')).info.nCtx; // 17
 */
export function buildTask(spec: Pick<RunSpec, 'task'>): Task {
  const { name, p, digits } = spec.task;
  const options: Record<string, unknown> = {};
  if (p !== undefined) options.p = p;
  if (digits !== undefined) options.digits = digits;
  return taskFromName(name, options);
}

/** The data a run trains and is evaluated on. */
export interface RunData {
  /** What `train()` takes: the train set, or a sampler for infinite data; and the test set. */
  train: TrainData;
  /** The fixed test set. */
  test: Dataset;
  /** The finite train set, or null with infinite data (every step samples fresh examples). */
  trainSet: Dataset | null;
  /** A modular task's split (train and test rows of `all()`), which the Fourier measures need; else null. */
  modularSplit: ModularSplit | null;
}

/**
 * The run's data: a seeded split for finite data; for infinite data a sampler and a fixed test set drawn with the seed
 * `seed + TEST_SEED_OFFSET`. Deterministic: the same spec gives the same sets, in training and in analysis.
 *
 * @example
 * const { train, test } = buildData(spec, buildTask(spec));
 */
export function buildData(spec: Pick<RunSpec, 'task' | 'seed'>, task: Task): RunData {
  checkData(spec);
  const { trainFraction, trainSize, testSize, infinite } = spec.task;
  if (infinite) {
    // A one-example train set is drawn only so the split can keep the test set apart from something; it is not used.
    const { test } = task.split({ seed: spec.seed + TEST_SEED_OFFSET, trainSize: 1, testSize });
    return { train: { sample: (count, rng) => task.sample(count, rng), test }, test, trainSet: null, modularSplit: null };
  }
  if (isModularTask(task)) {
    const split = task.split({ seed: spec.seed, trainFraction });
    return { train: { train: split.train, test: split.test }, test: split.test, trainSet: split.train, modularSplit: split };
  }
  const { train, test } = task.split({ seed: spec.seed, trainSize, testSize });
  return { train: { train, test }, test, trainSet: train, modularSplit: null };
}

/**
 * A freshly initialised model for the task, seeded by the run's seed.
 *
 * @example
 * const model = buildModel(spec, buildTask(spec).info);
 */
export function buildModel(spec: Pick<RunSpec, 'model' | 'seed'>, info: TaskInfo): Model {
  const m = spec.model;
  if (m.kind === 'mlp') {
    if (info.nCtx !== 3 || info.dVocab !== info.dVocabOut + 1) {
      throw new Error(`the mlp model reads x and y of a modular task; ${info.name} is not one`);
    }
    return createMlp(defineMlpConfig({ p: info.dVocabOut, dHidden: m.dHidden, actFn: m.actFn, seed: spec.seed }));
  }
  const { kind: _kind, ...architecture } = m;
  return createTransformer(defineTransformerConfig({
    ...architecture, nCtx: info.nCtx, dVocab: info.dVocab, dVocabOut: info.dVocabOut, seed: spec.seed,
  }));
}

/** Everything a run is made of. */
export interface BuiltRun {
  task: Task;
  data: RunData;
  model: Model;
}

/**
 * Builds a run's task, data and model from its spec.
 *
 * @example
 * const { task, data, model } = buildRun(presetSpec('modular-addition'));
 * await train({ model, info: task.info, data: data.train, ...trainOptions(spec) });
 */
export function buildRun(spec: RunSpec): BuiltRun {
  const task = buildTask(spec);
  const data = buildData(spec, task);
  return { task, data, model: buildModel(spec, task.info) };
}
