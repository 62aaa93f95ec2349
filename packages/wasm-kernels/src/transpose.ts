// The transpose of a float32 matrix as a tfjs kernel of the wasm backend (transpose.wat): 4 x 4 blocks through
// registers, where tfjs-wasm's own Transpose moves one float at a time. With a registered gradient (the transpose
// of the incoming gradient), so it may sit anywhere in a differentiated computation.
import * as tf from '@tensorflow/tfjs-core';
import { offsetOf, wasmKernels } from './wasm-backend';
import { TRANSPOSE_BINARY } from './transpose-binary';

/** The kernel's name in tfjs' registry. */
export const TRANSPOSE_2D = 'GrokkingTranspose2D';

interface TransposeExports {
  transpose(input: number, rows: number, cols: number, out: number): void;
}

const kernels = wasmKernels<TransposeExports>(
  TRANSPOSE_BINARY,
  {
    [TRANSPOSE_2D]: ({ inputs: { x }, be, k }) => {
      if (x!.shape.length !== 2 || x!.dtype !== 'float32') {
        throw new Error(`transpose2d: x must be a float32 matrix; got ${x!.dtype} ${JSON.stringify(x!.shape)}`);
      }
      const [rows, cols] = x!.shape as [number, number];
      const out = be.makeOutput([cols, rows], 'float32'); // [cols, rows]
      k.transpose(offsetOf(be, x!), rows, cols, offsetOf(be, out));
      return out;
    },
  },
  [{ kernelName: TRANSPOSE_2D, gradFunc: (dy) => ({ x: () => transpose2d(dy as tf.Tensor2D) }) }],
);

/**
 * Whether the active backend runs the transpose kernel (tfjs' wasm backend with WebAssembly SIMD); registers it
 * on first use.
 *
 * @example
 * const t = transpose2dAvailable() ? transpose2d(x) : tf.transpose(x);
 */
export function transpose2dAvailable(): boolean {
  return kernels.available();
}

/**
 * x^T for a float32 matrix x [rows, cols]: [cols, rows].
 *
 * @example
 * transpose2d(tf.tensor2d([[1, 2, 3], [4, 5, 6]])); // [[1, 4], [2, 5], [3, 6]]
 */
export function transpose2d(x: tf.Tensor2D): tf.Tensor2D {
  kernels.require('transpose2d');
  return tf.engine().runKernel(TRANSPOSE_2D, { x }, {}) as tf.Tensor2D;
}
