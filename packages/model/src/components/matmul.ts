// The matrix product of the general path (the components and the MLP model), where tfjs differentiates the forward.
// tfjs-wasm sends only un-transposed matmuls to its fast path (XNNPACK), while tfjs' own matMul gradient uses
// transpose flags (~7x slower there), so the product here has its own gradient that transposes explicitly:
// dA = dY B^T, dB = A^T dY. The fused one-layer path (fast/) has its own products, plain tf.matMul: it is one
// tf.customGrad op with a hand-written backward, so tfjs' matMul gradient never runs there, and it transposes
// explicitly itself (fast/matrix.ts).
import * as tf from '@tensorflow/tfjs-core';
import { stackedModels } from './stack';

/** Swaps the last two axes of a 2-D or 3-D tensor. */
function transposeLast<T extends tf.Tensor>(x: T): T {
  return tf.transpose(x, x.rank === 2 ? [1, 0] : [0, 2, 1]) as T;
}

const product = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), // [..., m, n]
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [
        tf.matMul(dy as tf.Tensor2D, transposeLast(sb)), // dA = dY B^T: [..., m, k]
        tf.matMul(transposeLast(sa), dy as tf.Tensor2D), // dB = A^T dY: [..., k, n]
      ];
    },
  };
});

/**
 * `a @ b` for 2-D matrices or batches of them (3-D, same batch size), without transpose flags, in the forward and in
 * the gradient.
 *
 * @example
 * matmul(tf.ones([2, 3]), tf.ones([3, 4])); // [2, 4], every entry 3
 */
export function matmul<T extends tf.Tensor2D | tf.Tensor3D>(a: T, b: T): T {
  if (a.rank !== b.rank || (a.rank === 3 && a.shape[0] !== b.shape[0])) {
    throw new Error(`matmul needs two 2-D or two 3-D tensors with the same batch, got [${a.shape}] and [${b.shape}]`);
  }
  return product(a, b) as T;
}

/**
 * a [K, m, k] @ b [K, k, n] -> [K, m, n]: one batched product, except on wasm, where tfjs-wasm 4.22 sends a batched
 * product with more than one matrix to a plain loop instead of XNNPACK (about 7x slower for the stacked MLP's
 * products), so there each model's product is its own 2-D one.
 */
function stackedProduct(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  if (a.shape[0] === 1 || tf.getBackend() !== 'wasm') return matmul(a, b);
  const [models, m, k] = a.shape;
  const n = b.shape[2];
  // tf.split, not slices: a slice's gradient is padded back to the whole [K, ...], K times over; split's is one concat.
  const as = tf.split(a, models, 0).map((t) => tf.reshape(t, [m, k]) as tf.Tensor2D); // K of [m, k]
  const bs = tf.split(b, models, 0).map((t) => tf.reshape(t, [k, n]) as tf.Tensor2D); // K of [k, n]
  const products = as.map((ak, i) => tf.reshape(matmul(ak, bs[i]!), [1, m, n])); // K of [1, m, n]
  return tf.concat(products, 0) as tf.Tensor3D; // [K, m, n]
}

/**
 * a [m, k], the same for K models, @ b [K, k, n] -> [K, m, n], as one 2-D product: a @ [k, K * n] (each model's b
 * side by side), then the models' columns moved to the front.
 *
 * @example
 * sharedProduct(oneHotTokens, W_E); // [K, batch * pos, d_model]: every model's embedding of the same tokens
 */
export function sharedProduct(a: tf.Tensor2D, b: tf.Tensor3D): tf.Tensor3D {
  const [models, k, n] = b.shape;
  const m = a.shape[0];
  const sideBySide = tf.reshape(tf.transpose(b, [1, 0, 2]), [k, models * n]) as tf.Tensor2D; // [k, K * n]
  const out = tf.reshape(matmul(a, sideBySide), [m, models, n]); // [m, K, n]
  return tf.transpose(out, [1, 0, 2]) as tf.Tensor3D; // [K, m, n]
}

/**
 * An affine map on the last axis: `x @ w + bias`, for x of any rank >= 2. With stacked weights (w [K, d_in, d_out],
 * bias [K, d_out]; see stack.ts) x is model-major [K * batch, ..., d_in] and each model's rows meet its own weights,
 * in one batched product.
 *
 * @example
 * linear(tf.ones([2, 5, 3]), tf.ones([3, 4]), tf.zeros([4])); // [2, 5, 4]
 * linear(tf.ones([2 * 8, 5, 3]), tf.ones([2, 3, 4])); // [16, 5, 4]: two models, batch 8 each
 */
export function linear<R extends tf.Rank>(x: tf.Tensor<R>, w: tf.Tensor2D | tf.Tensor3D, bias?: tf.Tensor1D | tf.Tensor2D): tf.Tensor<R> {
  const models = stackedModels(w, 2);
  const [dIn, dOut] = w.shape.slice(-2) as [number, number];
  const lead = x.shape.slice(0, -1);
  if (models === null) {
    const flat = tf.reshape(x, [-1, dIn]) as tf.Tensor2D; // [rows, d_in]
    const out = matmul(flat, w as tf.Tensor2D); // [rows, d_out]
    const withBias = bias === undefined ? out : tf.add(out, bias); // [rows, d_out]
    return tf.reshape(withBias, [...lead, dOut]) as tf.Tensor as tf.Tensor<R>;
  }
  const flat = tf.reshape(x, [models, -1, dIn]) as tf.Tensor3D; // [K, rows, d_in]
  const out = stackedProduct(flat, w as tf.Tensor3D); // [K, rows, d_out]
  const withBias = bias === undefined ? out : tf.add(out, tf.reshape(bias, [models, 1, dOut])); // [K, rows, d_out]
  return tf.reshape(withBias, [...lead, dOut]) as tf.Tensor as tf.Tensor<R>;
}
