// Token embedding: a row lookup whose gradient scatters rows back with ScatterNd (which sums repeated tokens).
// tf.gather's own gradient needs UnsortedSegmentSum, which the wasm backend lacks. On wasm the lookup is
// @grokking/wasm-kernels' row gather: tfjs-wasm's Gather computes each float's address on its own, several times slower.
import * as tf from '@tensorflow/tfjs-core';
import { gatherRows, matrixCopyAvailable } from '@grokking/wasm-kernels';
import { add, mul } from './elementwise';
import { linear, sharedProduct } from './matmul';

/**
 * Looks up each token's row of `W` ([d_vocab, width]): tokens int32 [batch, pos] -> [batch, pos, width].
 * Its gradient with respect to `W` works on every backend, wasm included.
 *
 * @example
 * embedTokens(tf.eye(3) as tf.Tensor2D, tf.tensor2d([[2, 0]], [1, 2], 'int32')); // [[[0, 0, 1], [1, 0, 0]]]
 */
export function embedTokens(W: tf.Tensor2D, tokens: tf.Tensor2D): tf.Tensor3D {
  const [batch, pos] = tokens.shape;
  const [vocab, width] = W.shape;
  const flatTokens = tf.reshape(tokens, [-1]) as tf.Tensor1D; // [batch * pos]
  const lookup = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [w, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([flatTokens]);
    const rows = matrixCopyAvailable() ? gatherRows(w as tf.Tensor2D, flatTokens) : tf.gather(w, flatTokens); // [batch * pos, width]
    return {
      value: tf.reshape(rows, [batch, pos, width]), // [batch, pos, width]
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const indices = tf.reshape(saved[0]!, [-1, 1]); // [batch * pos, 1]
        const updates = tf.reshape(dy, [-1, width]); // [batch * pos, width]
        return [tf.scatterND(indices, updates, [vocab, width])]; // [d_vocab, width], repeated tokens summed
      },
    };
  });
  return lookup(W) as tf.Tensor3D;
}

/**
 * The learned positional embedding of a sequence of `pos` tokens: the first `pos` rows of W_pos [n_ctx, d_model].
 * With `batch`, repeated over the batch as TransformerLens' `hook_pos_embed` is ([batch, pos, d_model]); without,
 * [pos, d_model], which broadcasts when added to the token embedding (cheaper when no hook needs it).
 *
 * @example
 * positionEmbedding(W_pos, 3, 2); // [2, 3, d_model], rows 0..2 of W_pos for each example
 */
export function positionEmbedding(W_pos: tf.Tensor2D, pos: number, batch?: number): tf.Tensor2D | tf.Tensor3D {
  const rows = tf.slice(W_pos, [0, 0], [pos, -1]); // [pos, d_model]
  if (batch === undefined) return rows;
  // A broadcasting multiply, not tf.tile/broadcastTo: tile's gradient loops over the batch one slice at a time.
  return mul(tf.ones([batch, 1, 1]), rows) as tf.Tensor3D; // [batch, pos, d_model]
}

/**
 * The token and position embeddings of K stacked models (see stack.ts), summed: W_E [K, d_vocab, d_model], W_pos
 * [K, n_ctx, d_model], tokens int32 [batch, pos] (the same batch for every model) or [K, batch, pos] (a batch per
 * model) -> model-major [K * batch, pos, d_model]. The lookup is a product of the tokens' one-hot rows with the models'
 * W_E (its gradient a product too): tfjs-wasm's gather and scatter are several times slower than that product.
 *
 * @example
 * stackedEmbedding(W_E, W_pos, tokens); // [K * batch, pos, d_model]
 */
export function stackedEmbedding(W_E: tf.Tensor3D, W_pos: tf.Tensor3D, tokens: tf.Tensor2D | tf.Tensor3D): tf.Tensor3D {
  const [models, vocab, width] = W_E.shape;
  const [batch, pos] = tokens.shape.slice(-2) as [number, number];
  // int32 one-hot then a cast: tfjs-wasm 4.22's OneHot ignores the dtype argument.
  const hot = tf.cast(tf.oneHot(tf.reshape(tokens, [-1]) as tf.Tensor1D, vocab), 'float32') as tf.Tensor2D; // [(K *) batch * pos, d_vocab]
  const looked = tokens.rank === 3 ? linear(hot, W_E) : sharedProduct(hot, W_E); // [K * batch * pos, d_model] or [K, batch * pos, d_model]
  const embed = tf.reshape(looked, [models, batch, pos, width]); // [K, batch, pos, d_model]
  const positions = tf.expandDims(tf.slice(W_pos, [0, 0, 0], [models, pos, width]), 1); // [K, 1, pos, d_model]
  return tf.reshape(add(embed, positions), [models * batch, pos, width]) as tf.Tensor3D;
}
