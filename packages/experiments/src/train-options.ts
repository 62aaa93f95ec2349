// From a run spec to the trainer's options: the one mapping of the recipe's trainer section onto `train()`.
import type { CheckpointStore, TrainOptions } from '@grokking/trainer';
import type { RunSpec } from './spec';

/** The part of `train()`'s options a spec decides. */
export type SpecTrainOptions = Required<Pick<TrainOptions, 'epochs' | 'optimizer' | 'loss' | 'seed' | 'evalEvery'>> &
  Pick<TrainOptions, 'batchSize' | 'checkpoint'>;

/**
 * The trainer's options for a spec; with a store, checkpoints go there on the spec's schedule.
 *
 * @example
 * const { task, data, model } = buildRun(spec);
 * await train({ model, info: task.info, data: data.train, ...trainOptions(spec, createFileStore(dir)), onEval });
 */
export function trainOptions(spec: RunSpec, store?: CheckpointStore): SpecTrainOptions {
  const t = spec.trainer;
  return {
    epochs: t.epochs,
    batchSize: spec.task.batchSize,
    optimizer: {
      name: t.optimizer, lr: t.lr, weightDecay: t.weightDecay, betas: [t.beta1, t.beta2], eps: t.eps,
      momentum: t.momentum, nesterov: t.nesterov, warmupSteps: t.warmupSteps,
    },
    loss: t.loss,
    seed: spec.seed,
    evalEvery: t.evalEvery,
    checkpoint: store ? { store, every: t.checkpointEvery, logSpacedEarly: t.logSpacedCheckpoints } : undefined,
  };
}
