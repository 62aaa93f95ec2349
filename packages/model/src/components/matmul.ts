// The matrix product of the general path (the components and the MLP model), where tfjs differentiates the forward.
// tfjs-wasm sends only un-transposed matmuls to its fast path (XNNPACK), while tfjs' own matMul gradient uses
// transpose flags (~7x slower there), so the product here has its own gradient that transposes explicitly:
// dA = dY B^T, dB = A^T dY. The fused one-layer path (fast/) has its own products (fast/matrix.ts): it is one
// tf.customGrad op with a hand-written backward, so tfjs' matMul gradient never runs there, and it transposes
// explicitly itself. A batch of more than one product (attention's per-head products) runs on wasm as
// @grokking/wasm-kernels' batched kernel instead: tfjs-wasm runs those in a scalar loop, several times slower. So do
// small 2-D products (matrixProduct), which cost less on one thread than handed to XNNPACK's threads.
import * as tf from '@tensorflow/tfjs-core';
import { batchMatMul, batchMatMulAvailable } from '@grokking/wasm-kernels';
import { concatMatrices, matrixProduct, ONE_THREAD_MACS, sliceMatrix, transposeMatrix } from '../fast/matrix';
import { add } from './elementwise';
import { stackedModels } from './stack';

/** Swaps the last two axes of a 2-D or 3-D tensor (a matrix with the wasm kernel where it runs). */
function transposeLast<T extends tf.Tensor>(x: T): T {
  return (x.rank === 2 ? transposeMatrix(x as tf.Tensor as tf.Tensor2D) : tf.transpose(x, [0, 2, 1])) as tf.Tensor as T;
}

/** a @ b for two matrices (matrixProduct) or two batches of them (tf.matMul). */
function times(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return a.rank === 2 ? matrixProduct(a as tf.Tensor2D, b as tf.Tensor2D) : tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D);
}

const product = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: times(a, b), // [..., m, n]
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved;
      return [
        times(dy, transposeLast(sb!)), // dA = dY B^T: [..., m, k]
        times(transposeLast(sa!), dy), // dB = A^T dY: [..., k, n]
      ];
    },
  };
});

/**
 * `a @ b` (or `a @ b^T` with `transposeB`) for 2-D matrices or batches of them (3-D, same batch size). On wasm a
 * batch of more than one product is one kernel with its transposes built in; otherwise tfjs' matMul without
 * transpose flags, in the forward and in the gradient.
 *
 * @example
 * matmul(tf.ones([2, 3]), tf.ones([3, 4])); // [2, 4], every entry 3
 * matmul(qHeads, kHeads, true); // [batch * n_heads, q, pos] from [batch * n_heads, q, d_head] and [.., pos, d_head]
 */
export function matmul<T extends tf.Tensor2D | tf.Tensor3D>(a: T, b: T, transposeB = false): T {
  if (a.rank !== b.rank || (a.rank === 3 && a.shape[0] !== b.shape[0])) {
    throw new Error(`matmul needs two 2-D or two 3-D tensors with the same batch, got [${a.shape}] and [${b.shape}]`);
  }
  if (a.rank === 3 && a.shape[0]! > 1 && batchMatMulAvailable()) {
    return batchMatMul(a as tf.Tensor3D, b as tf.Tensor3D, false, transposeB) as T;
  }
  return product(a, transposeB ? transposeLast(b) : b) as T;
}

/** The sums of a matrix's columns: on wasm the product ones [1, rows] @ x with the batched kernel. */
function columnSums(x: tf.Tensor2D): tf.Tensor1D {
  if (!batchMatMulAvailable()) return tf.sum(x, 0);
  const [rows, n] = x.shape;
  const ones = tf.ones([1, 1, rows]) as tf.Tensor3D; // [1, 1, rows]
  return tf.reshape(batchMatMul(ones, tf.reshape(x, [1, rows, n])), [n]); // [n]
}

/**
 * x [rows, n] + bias [n]. Its bias gradient, the column sums of the incoming gradient, is a product on wasm:
 * tfjs-wasm sums over the first axis by transposing first, one float at a time (and XNNPACK packs the whole of a
 * one-row product's right side at every call).
 */
const addBias = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, bias] = args as [tf.Tensor2D, tf.Tensor1D];
  return {
    value: add(x, bias), // [rows, n]
    gradFunc: (dy: tf.Tensor) => [dy, columnSums(dy as tf.Tensor2D)], // [rows, n], [n]
  };
});

/**
 * a [K, m, k] @ b [K, k, n] -> [K, m, n]: one batched product. On wasm, small products (the p = 23 model's, at most
 * ONE_THREAD_MACS multiply-adds per model) are @grokking/wasm-kernels' batched kernel; large ones (the seed run's
 * model's) are one op with its own gradient: each model's block is cut out with the copy kernels (fast/matrix.ts),
 * multiplied as a 2-D product on XNNPACK, and the blocks joined, forward and backward (tfjs-wasm 4.22 sends a batched
 * product with more than one matrix to a plain loop instead of XNNPACK, and its Slice and Split copy the whole input
 * out to JavaScript).
 */
function stackedProduct(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const [models, m, k] = a.shape;
  const n = b.shape[2];
  if (models === 1 || tf.getBackend() !== 'wasm') return matmul(a, b);
  if (m * k * n <= ONE_THREAD_MACS && batchMatMulAvailable()) return batchMatMul(a, b); // one kernel, no per-model ops
  const blocks = (x: tf.Tensor, rows: number, cols: number) => {
    const flat = tf.reshape(x, [models * rows, cols]) as tf.Tensor2D; // [K * rows, cols]
    return Array.from({ length: models }, (_, i) => sliceMatrix(flat, [i * rows, 0], [rows, cols])); // K of [rows, cols]
  };
  const join = (xs: tf.Tensor2D[], rows: number, cols: number) => tf.reshape(concatMatrices(xs, 0), [models, rows, cols]) as tf.Tensor3D;
  const product = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, y, save] = args as [tf.Tensor3D, tf.Tensor3D, tf.GradSaveFunc];
    save([x, y]);
    const xs = blocks(x, m, k);
    const ys = blocks(y, k, n);
    return {
      value: join(xs.map((xi, i) => tf.matMul(xi, ys[i]!)), m, n), // [K, m, n]
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sy] = saved as [tf.Tensor3D, tf.Tensor3D];
        const dys = blocks(dy, m, n);
        const sxs = blocks(sx, m, k);
        const sys = blocks(sy, k, n);
        return [
          join(dys.map((d, i) => tf.matMul(d, transposeMatrix(sys[i]!))), m, k), // dA_i = dY_i B_i^T: [K, m, k]
          join(sxs.map((x, i) => tf.matMul(transposeMatrix(x), dys[i]!)), k, n), // dB_i = A_i^T dY_i: [K, k, n]
        ];
      },
    };
  });
  return product(a, b) as tf.Tensor3D;
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
    const withBias = bias === undefined ? out : addBias(out, bias); // [rows, d_out]
    return tf.reshape(withBias, [...lead, dOut]) as tf.Tensor as tf.Tensor<R>;
  }
  const flat = tf.reshape(x, [models, -1, dIn]) as tf.Tensor3D; // [K, rows, d_in]
  const out = stackedProduct(flat, w as tf.Tensor3D); // [K, rows, d_out]
  const withBias = bias === undefined ? out : add(out, tf.reshape(bias, [models, 1, dOut])); // [K, rows, d_out]
  return tf.reshape(withBias, [...lead, dOut]) as tf.Tensor as tf.Tensor<R>;
}
