// The "trainer" runner: the project's own model and trainer pieces, as a run of `grok train` uses them. The model is
// @grokking/model's HookedTransformer (modularAdditionConfig: its fused one-layer path for `last`, the general path
// for `all`), the data go to the backend once with the trainer's toDevice, the loss is the trainer's precise
// cross-entropy and the update its AdamW (PyTorch's rule, 10 warm-up steps as the trainer's default). The
// "trainer-general" runner is the same with `model.fastPath = false`: `last` then runs the general path too, the
// path every model but the one-layer ones with one scored position takes.
import * as tf from '@tensorflow/tfjs-core';
import { createTransformer, modularAdditionConfig } from '@grokking/model';
import { modularArithmetic, type Dataset } from '@grokking/tasks';
import { createOptimizer, crossEntropy, toDevice } from '@grokking/trainer';
import { trainStep } from './train-step';
import type { EpochRunner, RunnerSetup } from './tfjs-epoch';

/**
 * One full-batch step of the seed run with the real model, loss and optimiser. `last` asks the model for the scored
 * position only (`forward(tokens, [2])`, as the trainer does for this task); `all` computes every position
 * (`forward(tokens)`) and scores the last, as the write-up's code does.
 *
 * @example
 * const runner = await trainerRunner({ run: SEED_RUN, data: makeData(SEED_RUN), formulation: 'last', seed: 0 });
 * await runner.epoch(); // the loss before the step
 */
export async function trainerRunner(setup: RunnerSetup): Promise<EpochRunner> {
  return trainerEpoch(setup, true);
}

/**
 * The trainer's step with the fused path turned off (`model.fastPath = false`): `last` asks for the scored position
 * only, as the trainer does, and the general path computes it (keys and values at every position, queries, MLP and
 * unembedding at the last). `all` is the same as the trainer runner's, which takes the general path anyway.
 *
 * @example
 * const runner = await generalPathRunner({ run: SEED_RUN, data: makeData(SEED_RUN), formulation: 'last', seed: 0 });
 */
export async function generalPathRunner(setup: RunnerSetup): Promise<EpochRunner> {
  return trainerEpoch(setup, false);
}

async function trainerEpoch({ run, data, formulation, seed }: RunnerSetup, fastPath: boolean): Promise<EpochRunner> {
  const task = modularArithmetic({ p: run.p });
  const { info } = task;
  const last = info.nCtx - 1; // the '=' position, the only scored one
  const dataset: Dataset = {
    size: data.batch,
    tokens: data.tokens,
    positions: new Int32Array(data.batch).fill(last),
    targets: data.labels,
  };
  const model = createTransformer(modularAdditionConfig(info, { seed, dModel: run.dModel, nHeads: run.nHeads, dMlp: run.dMlp }));
  model.fastPath = fastPath;
  const device = toDevice(dataset, info, 'train');
  const optimizer = createOptimizer(model.params, {
    name: 'adamw', lr: run.lr, weightDecay: run.weightDecay, betas: run.betas, eps: run.eps,
  });
  const [B, , V] = device.oneHot.shape;
  const targets = tf.reshape(device.oneHot, [B, V]) as tf.Tensor2D; // [B, d_vocab_out]

  const loss = (): tf.Scalar => {
    const logits = formulation === 'last'
      ? model.forward(device.tokens, [last]) // [B, 1, d_vocab_out]
      : tf.slice(model.forward(device.tokens), [0, last, 0], [B, 1, V]); // [B, 1, d_vocab_out] of [B, n_ctx, d_vocab_out]
    return tf.mean(crossEntropy(tf.reshape(logits, [B, V]) as tf.Tensor2D, targets, 'precise')); // the trainer's loss
  };

  return {
    label: `${fastPath ? 'trainer' : 'trainer, general path'} (@grokking/model ${fastPath ? '' : 'fastPath = false, '}${formulation === 'last' ? 'forward(tokens, [2])' : 'forward(tokens)'}, precise cross-entropy, AdamW)`,
    epoch: trainStep(loss, model.params, optimizer),
    dispose() {
      targets.dispose();
      device.dispose();
      optimizer.dispose();
      model.dispose();
    },
  };
}
