// Softmax over the last axis as tfjs kernels of the wasm backend (the softmax exports of cross-entropy.wat, which owns
// the SIMD exp), with a registered gradient. On one thread: tfjs-wasm's Softmax hands even a few thousand floats to
// XNNPACK's thread pool, whose threads then spin for about a millisecond and take the other core from the step.
import * as tf from '@tensorflow/tfjs-core';
import { CROSS_ENTROPY_BINARY } from './cross-entropy-binary';
import { offsetOf, wasmKernels } from './wasm-backend';

/** The kernels' names in tfjs' registry. */
export const SOFTMAX = 'GrokkingSoftmax';
export const SOFTMAX_GRAD = 'GrokkingSoftmaxGrad';

/** The binary's softmax exports; pointers are byte offsets into the memory. */
interface SoftmaxExports {
  softmax(z: number, rows: number, width: number, p: number): void;
  softmaxBackward(p: number, dy: number, rows: number, width: number, dx: number): void;
}

/** Rows and width of a float32 tensor of rank 1 or more, softmaxed over its last axis. */
function rowsOf(what: string, x: tf.TensorInfo): [number, number] {
  if (x.dtype !== 'float32' || x.shape.length < 1) throw new Error(`${what}: needs a float32 tensor of rank 1 or more; got ${x.dtype} ${JSON.stringify(x.shape)}`);
  const width = x.shape[x.shape.length - 1]!;
  return [width === 0 ? 0 : x.shape.reduce((a, b) => a * b, 1) / width, width];
}

const kernels = wasmKernels<SoftmaxExports>(
  CROSS_ENTROPY_BINARY,
  {
    [SOFTMAX]: ({ inputs: { x }, be, k }) => {
      const [rows, width] = rowsOf('softmax', x!);
      const p = be.makeOutput([...x!.shape], 'float32');
      if (rows * width > 0) k.softmax(offsetOf(be, x!), rows, width, offsetOf(be, p));
      return p;
    },
    [SOFTMAX_GRAD]: ({ inputs: { p, dy }, be, k }) => {
      const [rows, width] = rowsOf('softmaxBackward', p!);
      if (dy!.dtype !== 'float32' || JSON.stringify(dy!.shape) !== JSON.stringify(p!.shape)) {
        throw new Error(`softmaxBackward: dy must be float32 ${JSON.stringify(p!.shape)} like the softmax; got ${dy!.dtype} ${JSON.stringify(dy!.shape)}`);
      }
      const dx = be.makeOutput([...p!.shape], 'float32');
      if (rows * width > 0) k.softmaxBackward(offsetOf(be, p!), offsetOf(be, dy!), rows, width, offsetOf(be, dx));
      return dx;
    },
  },
  [{ kernelName: SOFTMAX, outputsToSave: [true], gradFunc: (dy, saved) => ({ x: () => softmaxBackward(saved[0]!, dy as tf.Tensor) }) }],
);

/**
 * Whether the active backend runs the softmax kernels (tfjs' wasm backend with WebAssembly SIMD); registers them on
 * first use.
 *
 * @example
 * const pattern = softmaxAvailable() ? softmax(scores) : tf.softmax(scores);
 */
export function softmaxAvailable(): boolean {
  return kernels.available();
}

/**
 * softmax over the last axis of a float32 tensor, as tf.softmax computes it (float32 rounding apart), on one thread.
 * Differentiable.
 *
 * @example
 * const pattern = softmax(scores); // [batch, n_heads, q, pos]
 */
export function softmax<T extends tf.Tensor>(x: T): T {
  kernels.require('softmax');
  return tf.engine().runKernel(SOFTMAX, { x }, {}) as T;
}

/**
 * The gradient of a softmax's input from its output p and the output's gradient dy (both of p's shape):
 * p (dy - <p, dy>) over the last axis.
 *
 * @example
 * const dScores = softmaxBackward(pattern, dPattern); // [B, H, n]
 */
export function softmaxBackward<T extends tf.Tensor>(p: T, dy: tf.Tensor): T {
  kernels.require('softmaxBackward');
  return tf.engine().runKernel(SOFTMAX_GRAD, { p, dy }, {}) as T;
}
