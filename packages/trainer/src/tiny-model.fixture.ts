// A tiny hand-written model for the trainer's tests (not exported): position t sees the sum of the embeddings of
// tokens 0..t plus a positional embedding, then a ReLU MLP and an unembedding. For `x y =` it is the classic
// "sum of embeddings + MLP" network that groks modular addition; it also gives per-position logits, so it serves
// tasks whose scored positions vary per example.
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@grokking/tasks';
import type { Model } from '@grokking/model';

/** The tiny model's sizes and seed. */
export interface TinyConfig {
  dVocab: number;
  dVocabOut: number;
  nCtx: number;
  dModel: number;
  dMlp: number;
  seed: number;
}

/** A tiny model with Gaussian weights drawn from `createRng(seed)`, scaled by 1/sqrt(fan-in). */
export function createTinyModel(config: TinyConfig): Model<'tiny', TinyConfig> {
  const rng = createRng(config.seed);
  const init = (shape: number[], fanIn: number): tf.Variable => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = Float32Array.from({ length: size }, () => rng.normal() / Math.sqrt(fanIn));
    return tf.tidy(() => tf.variable(tf.tensor(values, shape, 'float32')));
  };
  const { dVocab, dVocabOut, nCtx, dModel, dMlp } = config;
  const params: Record<string, tf.Variable> = {
    'embed.W_E': init([dVocab, dModel], 1),
    'pos_embed.W_pos': init([nCtx, dModel], 1),
    'mlp.W_in': init([dModel, dMlp], dModel),
    'mlp.b_in': tf.tidy(() => tf.variable(tf.zeros([dMlp]))),
    'unembed.W_U': init([dMlp, dVocabOut], dMlp),
  };
  // Everything that touches a parameter is a matMul (tfjs' cpu gradients of gather and slices are slow); the prefix
  // token counts and position selectors depend only on the inputs, so they need no gradient.
  const forward = (tokens: tf.Tensor2D, positions?: readonly number[]): tf.Tensor3D =>
    tf.tidy(() => {
      const [batch, ctx] = tokens.shape;
      const pos = positions ? [...positions] : Array.from({ length: ctx }, (_, t) => t);
      const p = params as Record<string, tf.Variable>;
      const upTo = tf.tensor2d(pos.flatMap((q) => Array.from({ length: ctx }, (_, s) => (s <= q ? 1 : 0))), [pos.length, ctx]); // [pos, ctx]
      const oneHot = tf.transpose(tf.cast(tf.oneHot(tokens, dVocab), 'float32'), [1, 0, 2]); // [ctx, batch, d_vocab]
      const counts = tf.matMul(upTo, tf.reshape(oneHot, [ctx, batch * dVocab])); // [pos, batch * d_vocab]
      const picked = tf.transpose(tf.reshape(counts, [pos.length, batch, dVocab]), [1, 0, 2]); // [batch, pos, d_vocab]
      const selector = tf.cast(tf.oneHot(tf.tensor1d(pos, 'int32'), ctx), 'float32'); // [pos, ctx]
      const posEmbed = tf.matMul(selector, p['pos_embed.W_pos']!); // [pos, d_model]
      const flat = tf.reshape(picked, [batch * pos.length, dVocab]); // [batch * pos, d_vocab]
      const resid = tf.add(
        tf.reshape(tf.matMul(flat, p['embed.W_E']!), [batch, pos.length, dModel]), // [batch, pos, d_model]
        posEmbed,
      ); // [batch, pos, d_model]
      const hidden = tf.relu(tf.add(tf.matMul(tf.reshape(resid, [-1, dModel]), p['mlp.W_in']!), p['mlp.b_in']!)); // [batch * pos, d_mlp]
      return tf.reshape(tf.matMul(hidden, p['unembed.W_U']!), [batch, pos.length, dVocabOut]) as tf.Tensor3D; // [batch, pos, d_vocab_out]
    });
  return {
    kind: 'tiny',
    config,
    params,
    forward,
    dispose: () => tf.dispose(Object.values(params)),
  };
}
