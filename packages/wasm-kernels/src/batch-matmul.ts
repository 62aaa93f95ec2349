// Batches of small matrix products as a tfjs kernel of the wasm backend (batch-matmul.wat): tfjs-wasm 4.22 runs a
// batch of more than one product in a scalar loop outside XNNPACK, at about 2 GFLOP/s for attention's per-head
// products. With transpose flags and a registered gradient that uses them (no transposed copies), so it may sit
// anywhere in a differentiated computation.
import * as tf from '@tensorflow/tfjs-core';
import { BATCH_MATMUL_BINARY } from './batch-matmul-binary';
import { offsetOf, wasmKernels, withPointers } from './wasm-backend';

/** The kernel's name in tfjs' registry. */
export const BATCH_MATMUL = 'GrokkingBatchMatMul';

interface BatchMatMulExports {
  batchMatMul(
    a: number, b: number, c: number, batch: number, m: number, k: number, n: number, transA: number, transB: number,
    scratch: number,
  ): void;
}

/** The sizes of op(a) [batch, m, k] @ op(b) [batch, k, n] (a batch of one when both are matrices), checked. */
function sizesOf(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean) {
  const rank = a.shape.length;
  const ok = (rank === 2 || rank === 3) && b.shape.length === rank && a.dtype === 'float32' && b.dtype === 'float32';
  const as3 = (shape: number[]) => (shape.length === 2 ? [1, ...shape] : shape) as [number, number, number];
  const [aBatch, aRows, aCols] = as3(a.shape);
  const [bBatch, bRows, bCols] = as3(b.shape);
  const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
  const [bk, n] = transposeB ? [bCols, bRows] : [bRows, bCols];
  if (!ok || aBatch !== bBatch || k !== bk) {
    throw new Error(
      `batchMatMul: needs float32 a [batch, m, k] and b [batch, k, n], or both without the batch (after the transposes ` +
      `${transposeA}, ${transposeB}); got ${a.dtype} ${JSON.stringify(a.shape)} and ${b.dtype} ${JSON.stringify(b.shape)}`,
    );
  }
  return { batch: aBatch, m, k, n, shape: rank === 2 ? [m, n] : [aBatch, m, n] };
}

const kernels = wasmKernels<BatchMatMulExports>(
  BATCH_MATMUL_BINARY,
  {
    [BATCH_MATMUL]: ({ inputs: { a, b }, attrs, be, memory, k: kernel }) => {
      const [transA, transB] = [Boolean(attrs['transposeA']), Boolean(attrs['transposeB'])];
      const { batch, m, k, n, shape } = sizesOf(a!, b!, transA, transB);
      const c = be.makeOutput(shape, 'float32'); // [batch, m, n] or [m, n]
      if (batch * m * n === 0) return c;
      if (k === 0) {
        new Float32Array(memory.buffer, offsetOf(be, c), batch * m * n).fill(0);
        return c;
      }
      const nPad = Math.ceil(n / 4) * 4;
      withPointers(be, memory, [], 4 * (k * nPad + 16), (_, scratch) => kernel.batchMatMul(
        offsetOf(be, a!), offsetOf(be, b!), offsetOf(be, c), batch, m, k, n, transA ? 1 : 0, transB ? 1 : 0, scratch,
      ));
      return c;
    },
  },
  [{
    kernelName: BATCH_MATMUL,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved as [tf.Tensor3D, tf.Tensor3D]; // or both matrices, as the gradients are then
      const dc = dy as tf.Tensor3D;
      const [tA, tB] = [Boolean(attrs['transposeA']), Boolean(attrs['transposeB'])];
      // c = op(a) op(b): each gradient is one more product of c's gradient with the other input, flags chosen so no
      // transposed copy is made.
      if (!tA && !tB) return { a: () => batchMatMul(dc, b, false, true), b: () => batchMatMul(a, dc, true, false) };
      if (!tA && tB) return { a: () => batchMatMul(dc, b, false, false), b: () => batchMatMul(dc, a, true, false) };
      if (tA && !tB) return { a: () => batchMatMul(b, dc, false, true), b: () => batchMatMul(a, dc, false, false) };
      return { a: () => batchMatMul(b, dc, true, true), b: () => batchMatMul(dc, a, true, true) };
    },
  }],
);

/**
 * Whether the active backend runs the batched product kernel (tfjs' wasm backend with WebAssembly SIMD); registers
 * it on first use.
 *
 * @example
 * const c = batchMatMulAvailable() ? batchMatMul(q, k, false, true) : tf.matMul(q, k, false, true);
 */
export function batchMatMulAvailable(): boolean {
  return kernels.available();
}

/**
 * op(a) @ op(b) for each of a batch of float32 matrices: a [batch, m, k] (or [batch, k, m] with `transposeA`) and
 * b [batch, k, n] (or [batch, n, k] with `transposeB`) give [batch, m, n]; two matrices, without the batch axis, give
 * [m, n]. As tf.matMul computes it, summed in another order (float32 rounding apart), on one thread.
 *
 * @example
 * const scores = batchMatMul(qHeads, kHeads, false, true); // [batch * n_heads, q, pos]
 * const small = batchMatMul(x, w); // [m, n] from [m, k] and [k, n]
 */
export function batchMatMul<T extends tf.Tensor2D | tf.Tensor3D>(a: T, b: T, transposeA = false, transposeB = false): T {
  kernels.require('batchMatMul');
  return tf.engine().runKernel(BATCH_MATMUL, { a, b }, { transposeA, transposeB }) as T;
}
