// Softmax over the last axis, and its backward from the output: @grokking/wasm-kernels' one-thread kernels on wasm
// (tfjs-wasm's Softmax wakes XNNPACK's threads even for a few floats), tfjs' ops elsewhere.
import * as tf from '@tensorflow/tfjs-core';
import { softmax as softmaxKernel, softmaxAvailable, softmaxBackward } from '@grokking/wasm-kernels';

/**
 * softmax(x) over the last axis; differentiable.
 *
 * @example
 * const pattern = softmax(scores); // [batch, n_heads, q, pos]
 */
export function softmax<T extends tf.Tensor>(x: T): T {
  return softmaxAvailable() ? softmaxKernel(x) : tf.softmax(x);
}

/**
 * The gradient of softmax's input from its output p and the output's gradient dy: p (dy - <p, dy>) over the last
 * axis.
 *
 * @example
 * const dScores = softmaxGrad(pattern, dPattern); // [B, H, n]
 */
export function softmaxGrad<T extends tf.Tensor>(p: T, dy: T): T {
  if (softmaxAvailable()) return softmaxBackward(p, dy);
  return tf.mul(p, tf.sub(dy, tf.sum(tf.mul(p, dy), -1, true))) as T;
}
