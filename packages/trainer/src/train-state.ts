// Moving a run's state between the backend and a checkpoint: the model's parameters, the optimiser's buffers and step,
// and the trainer's generator. Restoring checks that the checkpoint belongs to this model and this run's settings.
import * as tf from '@tensorflow/tfjs-core';
import { checkStateDict, loadStateDict, type Model, type ModelDescription, type StateDict } from '@grokking/model';
import { rngFromState, type Rng, type RngState } from '@grokking/tasks';
import type { Checkpoint } from './checkpoint';
import type { Optimizer } from './optimizer';

/**
 * The model's kind and config as stored in checkpoints (a JSON copy).
 *
 * @example
 * modelIdentity(model); // { kind: 'transformer', config: { nLayers: 1, dModel: 128, ... } }
 */
export function modelIdentity(model: ModelDescription): ModelDescription {
  return { kind: model.kind, config: JSON.parse(JSON.stringify(model.config ?? null)) };
}

/** What a checkpoint records of a model: its kind and config and its parameters (a model, or one member of a stack). */
export interface CheckpointedModel extends ModelDescription {
  readonly params: Readonly<Record<string, tf.Tensor>>;
}

/** What a checkpoint records of an optimiser: its settings, step count and buffers. */
export type CheckpointedOptimizer = Pick<Optimizer, 'config' | 'step'> & { slots(): Readonly<Record<string, tf.Tensor>> };

/** Tensors read back as a state dict, in name order (the order checkpoints store them in). */
async function read(variables: Readonly<Record<string, tf.Tensor>>): Promise<StateDict> {
  const names = Object.keys(variables).sort();
  const data = await Promise.all(names.map((n) => variables[n]!.data()));
  const out: StateDict = {};
  names.forEach((n, i) => {
    out[n] = { shape: [...variables[n]!.shape], data: Float32Array.from(data[i] as Float32Array) };
  });
  return out;
}

/**
 * Reads the run's state back from the backend into a checkpoint.
 *
 * @example
 * const checkpoint = await captureCheckpoint(epoch, model, optimizer, rng.state(), trajectory);
 */
export async function captureCheckpoint(
  epoch: number,
  model: CheckpointedModel,
  optimizer: CheckpointedOptimizer,
  rng: RngState,
  trainer: Record<string, unknown>,
): Promise<Checkpoint> {
  return {
    epoch,
    step: optimizer.step,
    rng,
    params: await read(model.params),
    optimizerState: await read(optimizer.slots()),
    optimizer: optimizer.config,
    model: modelIdentity(model),
    trainer,
  };
}

/**
 * Checks that a checkpoint can continue this run: written for this model (kind, config and parameter shapes) and
 * with the same trajectory settings.
 *
 * @throws naming the setting and both values, or every missing or mis-shaped parameter.
 * @example
 * checkResumable(checkpoint, model, trajectory);
 */
export function checkResumable(
  checkpoint: Checkpoint,
  model: ModelDescription & { readonly params: Readonly<Record<string, { readonly shape: readonly number[] }>> },
  trajectory: Record<string, unknown>,
): void {
  const where = `checkpoint at epoch ${checkpoint.epoch}`;
  const mine = JSON.stringify(modelIdentity(model));
  const theirs = JSON.stringify(checkpoint.model);
  if (mine !== theirs) throw new Error(`${where} is for model ${theirs}, but this run trains ${mine}`);
  for (const key of Object.keys(trajectory)) {
    const now = JSON.stringify(trajectory[key]);
    const then = JSON.stringify(checkpoint.trainer[key]);
    if (now !== then) throw new Error(`${where} was written with ${key} = ${then}, but this run has ${key} = ${now}`);
  }
  // @grokking/model's check names every missing, extra or mis-shaped parameter.
  try {
    checkStateDict(checkpoint.params, Object.fromEntries(Object.entries(model.params).map(([n, v]) => [n, v.shape])));
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`);
  }
}

/**
 * Loads a checkpoint into a model and optimiser and returns the generator to continue with.
 *
 * @throws when the checkpoint was written for another model config or other trajectory settings (naming the
 *   setting and both values), or a parameter is missing or has another shape; nothing is changed then.
 * @example
 * const rng = restoreCheckpoint(checkpoint, model, optimizer, trajectory);
 */
export function restoreCheckpoint(
  checkpoint: Checkpoint,
  model: Model,
  optimizer: Optimizer,
  trajectory: Record<string, unknown>,
): Rng {
  checkResumable(checkpoint, model, trajectory);
  const slots: Record<string, tf.Tensor> = {};
  try {
    for (const [key, t] of Object.entries(checkpoint.optimizerState)) slots[key] = tf.tensor(t.data, t.shape, 'float32');
    optimizer.restore(checkpoint.step, slots);
  } finally {
    tf.dispose(Object.values(slots));
  }
  loadStateDict(model, checkpoint.params);
  return rngFromState(checkpoint.rng);
}
