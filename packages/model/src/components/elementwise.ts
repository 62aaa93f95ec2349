// Add, subtract and multiply of float32 tensors, broadcast: @grokking/wasm-kernels' one-thread kernel on wasm (tfjs-wasm
// hands broadcasts to XNNPACK's threads, which then spin and take the other core), tfjs' ops elsewhere.
import * as tf from '@tensorflow/tfjs-core';
import { elementwise, elementwiseAvailable, type ElementwiseOp } from '@grokking/wasm-kernels';

const TF_OPS: Record<ElementwiseOp, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = { add: tf.add, sub: tf.sub, mul: tf.mul };

/** a op b, through the kernel where it runs these tensors (float32, rank 4 or less). */
function binary<T extends tf.Tensor>(op: ElementwiseOp, a: T, b: tf.Tensor): T {
  const kernel = a.dtype === 'float32' && b.dtype === 'float32' && a.rank <= 4 && b.rank <= 4 && elementwiseAvailable();
  return (kernel ? elementwise(op, a, b) : TF_OPS[op](a, b)) as T;
}

/** a + b, broadcast. @example const TP = add(rows, bias); // [n, 3D] + [3D] */
export const add = <T extends tf.Tensor>(a: T, b: tf.Tensor): T => binary('add', a, b);

/** a - b, broadcast. @example const Vd = sub(rows, Vq); // [q V, D] - [1, D] */
export const sub = <T extends tf.Tensor>(a: T, b: tf.Tensor): T => binary('sub', a, b);

/** a * b, broadcast. @example const Qheads = mul(queries, headMask); // [Q, 1, D] * [1, H, D] */
export const mul = <T extends tf.Tensor>(a: T, b: tf.Tensor): T => binary('mul', a, b);
