// From a resolved RunConfig to the objects a run needs: the task and its data, and a fresh model.
import { isModularTask, taskFromName, type Task, type TaskInfo } from '@grokking/tasks';
import type { TrainData } from '@grokking/trainer';
import { createMlp, createTransformer, defineMlpConfig, defineTransformerConfig, type Model } from '@grokking/model';
import type { RunConfig } from './config';

/** The task of a run, built (and so validated) from its configuration. */
export function buildTask(config: RunConfig): Task {
  const { name, p, digits } = config.task;
  const options: Record<string, unknown> = {};
  if (p !== undefined) options.p = p;
  if (digits !== undefined) options.digits = digits;
  return taskFromName(name, options);
}

/** The training data: a finite split, or a sampler plus a fixed test set for infinite data. */
export function buildData(config: RunConfig, task: Task): TrainData {
  const { trainFraction, trainSize, testSize, infinite } = config.task;
  if (infinite) {
    if (isModularTask(task)) throw new Error(`--infinite needs a sampled task; ${task.info.name} enumerates its pairs`);
    // A held-out test set drawn from a different seed than training batches.
    const { test } = task.split({ seed: config.seed + 1_000_003, trainSize: 1, testSize: testSize ?? 1000 });
    return { sample: (count, rng) => task.sample(count, rng), test };
  }
  if (isModularTask(task)) {
    if (trainSize !== undefined || testSize !== undefined) {
      throw new Error(`--train-size and --test-size apply to sampled tasks; ${task.info.name} takes --train-fraction`);
    }
    const { train, test } = task.split({ seed: config.seed, trainFraction: trainFraction ?? 0.3 });
    return { train, test };
  }
  if (trainFraction !== undefined) throw new Error(`--train-fraction applies to modular tasks; ${task.info.name} takes --train-size`);
  const { train, test } = task.split({ seed: config.seed, trainSize, testSize });
  return { train, test };
}

/** A freshly initialised model for the task, seeded by the run's seed. */
export function buildModel(config: RunConfig, info: TaskInfo): Model {
  const m = config.model;
  if (m.kind === 'mlp') {
    if (info.nCtx !== 3 || info.dVocab !== info.dVocabOut + 1) {
      throw new Error(`the mlp model reads x and y of a modular task; ${info.name} is not one`);
    }
    return createMlp(defineMlpConfig({ p: info.dVocabOut, dHidden: m.dHidden, actFn: m.actFn, seed: config.seed }));
  }
  const { kind: _kind, ...rest } = m;
  return createTransformer(defineTransformerConfig({ ...rest, nCtx: info.nCtx, dVocab: info.dVocab, dVocabOut: info.dVocabOut, seed: config.seed }));
}
