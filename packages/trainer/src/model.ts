// What the trainer needs from a model. `@grokking/model`'s transformers and MLPs satisfy it; so can any hand-written
// model (tests use tiny ones).
import type * as tf from '@tensorflow/tfjs-core';

/**
 * A model the trainer can train: named float32 variables and a forward pass from tokens to logits.
 *
 * @example
 * const model: TrainableModel = createTransformer(config); // from @grokking/model
 */
export interface TrainableModel {
  /** A short kind, e.g. `transformer` or `mlp`, stored in checkpoints. */
  readonly kind: string;
  /** The model's configuration (JSON-compatible, including its seed), stored in checkpoints and checked on resume. */
  readonly config: unknown;
  /** The trainable parameters by name (TransformerLens names for our models). */
  readonly params: Readonly<Record<string, tf.Variable>>;
  /**
   * Logits [batch, positions.length, dVocabOut] for int32 tokens [batch, nCtx]; only the given input positions are
   * computed when `positions` is passed, every position otherwise.
   */
  forward(tokens: tf.Tensor2D, positions?: readonly number[]): tf.Tensor3D;
}
