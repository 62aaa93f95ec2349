// The interface every model here implements, which the trainer and the analyses code against.
import type * as tf from '@tensorflow/tfjs-core';
import type { MlpConfig, TransformerConfig } from './config';

/** A model with named trainable parameters and a forward pass. */
export interface Model {
  /** Which architecture this is. */
  readonly kind: 'transformer' | 'mlp';
  /** The config it was built from. */
  readonly config: TransformerConfig | MlpConfig;
  /** Trainable parameters by TransformerLens name, as tf.Variables (the trainer optimises these). */
  readonly params: Readonly<Record<string, tf.Variable>>;
  /**
   * tokens int32 [batch, pos] -> logits [batch, positions.length, d_vocab_out]. `positions` (default: every position)
   * selects which positions' logits are computed; where possible only those positions' queries, MLP and unembed run.
   */
  forward(tokens: tf.Tensor2D, positions?: readonly number[]): tf.Tensor3D;
  /** Disposes the parameters. */
  dispose(): void;
}
