// The tfjs side of a workload: the preset's run as @grokking/experiments' buildRun makes it (the model with the run's
// seed) on the workload's batch (its train set, or its one sampled batch), and one step of the trainer's loss and
// optimiser on that batch per epoch, as `grok train --preset <name>` steps it; or the same step for K models of its
// shape stacked (trainStacked's step).
import * as tf from '@tensorflow/tfjs-core';
import { buildRun, trainOptions } from '@grokking/experiments';
import { createStackedTransformer, HookedTransformer } from '@grokking/model';
import { createOptimizer, meanLoss, stackedMeanLoss, toDevice } from '@grokking/trainer';
import { trainStep } from './train-step';
import type { EpochRunner } from './tfjs-epoch';
import type { Workload, WorkloadSource } from './workloads';

/**
 * A workload's training step with the project's model, loss and optimiser (the model's fused path allowed unless
 * `fastPath` is false; none of the timed workloads has one).
 *
 * @throws when buildRun's model is not the config the PyTorch side's file was written from.
 * @example
 * const runner = await workloadRunner(workload('digit-addition'));
 * await runner.epoch(); // the loss before the step
 */
export async function workloadRunner(w: Workload<WorkloadSource>, { fastPath = true }: { fastPath?: boolean } = {}): Promise<EpochRunner> {
  const { task, model: built } = buildRun(w.spec);
  if (!(built instanceof HookedTransformer) || JSON.stringify(built.config) !== JSON.stringify(w.config)) {
    built.dispose();
    throw new Error(`workload ${w.name}: buildRun made a model other than ${JSON.stringify(w.config)}`);
  }
  const model = built;
  model.fastPath = fastPath; // the tests turn it off to check the general path of a model that has a fused one
  const { info } = task;
  const device = toDevice(w.train, info, 'train'); // the finite train set, or the one sampled batch
  const options = trainOptions(w.spec);
  const optimizer = createOptimizer(model.params, options.optimizer);
  const loss = (): tf.Scalar => meanLoss(model, device, info, options.loss);

  return {
    label: `trainer (@grokking/model ${info.fixedPositions ? `forward(tokens, [${info.fixedPositions.join(', ')}])` : 'forward(tokens)'}, ${options.loss} cross-entropy, ${options.optimizer.name})`,
    epoch: trainStep(loss, model.params, optimizer),
    dispose() {
      device.dispose();
      optimizer.dispose();
      model.dispose();
    },
  };
}

/**
 * One full-batch step of K models of a workload's shape stacked (seeds 0 to K - 1), as trainStacked steps them: one
 * batched forward and backward for all K, the summed loss, one optimiser over the stacked parameters.
 *
 * @example
 * const runner = stackedRunner(workload('modular-addition-p23'), 16);
 * await runner.epoch(); // the sum of the 16 members' losses before the step
 */
export function stackedRunner(w: Workload<WorkloadSource>, models: number): EpochRunner {
  const { info } = w;
  const stack = createStackedTransformer(w.config, Array.from({ length: models }, (_, k) => k));
  const device = toDevice(w.train, info, 'train');
  const options = trainOptions(w.spec);
  const optimizer = createOptimizer(stack.params, options.optimizer);
  return {
    label: `trainStacked's step (@grokking/model StackedTransformer, ${models} models, ${options.loss} cross-entropy, ${options.optimizer.name})`,
    epoch: trainStep(() => stackedMeanLoss(stack, device, info, options.loss), stack.params, optimizer),
    dispose() {
      device.dispose();
      optimizer.dispose();
      stack.dispose();
    },
  };
}
