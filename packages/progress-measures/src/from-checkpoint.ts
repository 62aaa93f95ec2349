// Rebuilding a model from a trainer checkpoint (decodeCheckpoint's result): the config in its metadata, the weights
// under their TransformerLens names.
import * as tf from '@tensorflow/tfjs-core';
import {
  createMlp,
  createTransformer,
  loadStateDict,
  validateMlpConfig,
  validateTransformerConfig,
  type HookedMlp,
  type HookedTransformer,
  type MlpConfig,
  type StateDict,
  type TransformerConfig,
} from '@grokking/model';

/** What {@link modelFromCheckpoint} reads from a checkpoint; the trainer's decoded `Checkpoint` has it. */
export interface CheckpointModel {
  /** The model's kind (`transformer` or `mlp`) and config, as stored by the trainer. */
  model: { kind: string; config: unknown };
  /** Parameters by TransformerLens name. */
  params: StateDict;
}

/**
 * Builds the model a checkpoint holds: its config from the checkpoint's metadata, then every parameter loaded by name
 * (names and shapes checked against the config). The caller owns the model (`model.dispose()`).
 *
 * @throws for an unknown kind, an invalid config, or parameters that do not fit it.
 * @example
 * import { decodeCheckpoint } from '@grokking/trainer';
 * const model = modelFromCheckpoint(decodeCheckpoint(await store.read(1000)));
 */
export function modelFromCheckpoint(checkpoint: CheckpointModel): HookedTransformer | HookedMlp {
  const { kind, config } = checkpoint.model ?? {};
  if (kind !== 'transformer' && kind !== 'mlp') throw new Error(`checkpoint model kind must be 'transformer' or 'mlp', got ${JSON.stringify(kind)}`);
  // Built inside a tidy scope: the models' constructors leave the initial-value tensor of each tf.variable alive, and
  // the scope disposes those (the variables keep their data).
  let model!: HookedTransformer | HookedMlp;
  tf.tidy(() => {
    model = kind === 'transformer' ? createTransformer(validateTransformerConfig(config as TransformerConfig)) : createMlp(validateMlpConfig(config as MlpConfig));
  });
  try {
    loadStateDict(model, checkpoint.params);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return model;
}
