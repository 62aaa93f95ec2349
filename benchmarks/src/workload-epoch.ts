// The tfjs side of a workload: the preset's run as @grokking/experiments' buildRun makes it (the task's train set,
// the model with the run's seed) and one full-batch step of the trainer's loss and optimiser per epoch, as
// `grok train --preset <name>` steps it. The loss is the trainer's meanLoss (packages/trainer/src/data.ts, not
// exported), written out here: with fixed scored positions the model computes only those (forward(tokens, positions),
// the general path), else every position, each row weighted 1 where scored.
import * as tf from '@tensorflow/tfjs-core';
import { buildRun, trainOptions } from '@grokking/experiments';
import { crossEntropy, HookedTransformer } from '@grokking/model';
import { createOptimizer, toDevice } from '@grokking/trainer';
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
  const { task, data, model: built } = buildRun(w.spec);
  if (!(built instanceof HookedTransformer) || JSON.stringify(built.config) !== JSON.stringify(w.config)) {
    built.dispose();
    throw new Error(`workload ${w.name}: buildRun made a model other than ${JSON.stringify(w.config)}`);
  }
  const model = built;
  model.fastPath = fastPath; // the tests turn it off to check the general path of a model that has a fused one
  const { info } = task;
  const device = toDevice(data.trainSet!, info, 'train');
  const options = trainOptions(w.spec);
  const optimizer = createOptimizer(model.params, options.optimizer);
  const [B, rows, V] = device.oneHot.shape;
  const targets = tf.reshape(device.oneHot, [B * rows, V]) as tf.Tensor2D; // [B * rows, d_vocab_out]
  const weight = device.weight && (tf.reshape(device.weight, [B * rows]) as tf.Tensor1D); // [B * n_ctx], 1 where scored

  const loss = (): tf.Scalar => {
    const logits = info.fixedPositions ? model.forward(device.tokens, info.fixedPositions) : model.forward(device.tokens); // [B, rows, V]
    const rowLoss = crossEntropy(tf.reshape(logits, [B * rows, V]) as tf.Tensor2D, targets, options.loss); // [B * rows]
    return weight ? tf.div(tf.sum(tf.mul(rowLoss, weight)), B * info.nScored) : tf.mean(rowLoss);
  };

  return {
    label: `trainer (@grokking/model ${info.fixedPositions ? `forward(tokens, [${info.fixedPositions.join(', ')}])` : 'forward(tokens)'}, ${options.loss} cross-entropy, ${options.optimizer.name})`,
    epoch: trainStep(loss, model.params, optimizer),
    dispose() {
      targets.dispose();
      weight?.dispose();
      device.dispose();
      optimizer.dispose();
      model.dispose();
    },
  };
}
