// Slicing, padding, concatenating and gathering matrices as tfjs kernels of the wasm backend (copy.wat): row-by-row
// memory copies, where tfjs-wasm's own Slice copies its whole input out to JavaScript first, its PadV2 wakes XNNPACK's
// threads and its Gather computes each float's address on its own. With registered gradients (a slice's is its
// gradient padded back, a pad's the gradient sliced; a concatenation's, the gradient sliced; a gather's, the
// gradient's rows summed back into place), so they may sit anywhere in a differentiated computation.
import * as tf from '@tensorflow/tfjs-core';
import { COPY_BINARY } from './copy-binary';
import { checkIndices, offsetOf, wasmKernels } from './wasm-backend';

/** The kernels' names in tfjs' registry. */
export const SLICE_2D = 'GrokkingSlice2D';
export const CONCAT_2D = 'GrokkingConcat2D';
export const GATHER_ROWS = 'GrokkingGatherRows';
export const PAD_2D = 'GrokkingPad2D';

/** Rows above and below, columns left and right. */
export type MatrixPadding = [[number, number], [number, number]];

interface CopyExports {
  copyBlock(src: number, srcStride: number, dst: number, dstStride: number, rows: number, cols: number): void;
  gatherRows(table: number, width: number, indices: number, count: number, out: number): void;
}

const COPYABLE = new Set<tf.DataType>(['float32', 'int32']);

function checkMatrix(what: string, name: string, t: tf.TensorInfo): void {
  if (t.shape.length !== 2 || !COPYABLE.has(t.dtype)) {
    throw new Error(`${what}: ${name} must be a float32 or int32 matrix; got ${t.dtype} ${JSON.stringify(t.shape)}`);
  }
}

const kernels = wasmKernels<CopyExports>(
  COPY_BINARY,
  {
    [SLICE_2D]: ({ inputs: { x }, attrs, be, k }) => {
      checkMatrix('slice2d', 'x', x!);
      const [R, C] = x!.shape as [number, number];
      const [r0, c0] = attrs['begin'] as [number, number];
      const [rows, cols] = attrs['size'] as [number, number];
      if (![r0, c0, rows, cols].every(Number.isInteger) || r0 < 0 || c0 < 0 || rows < 0 || cols < 0 || r0 + rows > R || c0 + cols > C) {
        throw new Error(`slice2d: begin [${r0}, ${c0}] and size [${rows}, ${cols}] do not fit in [${R}, ${C}]`);
      }
      const out = be.makeOutput([rows, cols], x!.dtype); // [rows, cols]
      if (rows > 0 && cols > 0) k.copyBlock(offsetOf(be, x!) + 4 * (r0 * C + c0), C, offsetOf(be, out), cols, rows, cols);
      return out;
    },
    [PAD_2D]: ({ inputs: { x }, attrs, be, memory, k }) => {
      checkMatrix('pad2d', 'x', x!);
      const [[top, bottom], [left, right]] = attrs['paddings'] as MatrixPadding;
      if (![top, bottom, left, right].every((n) => Number.isInteger(n) && n >= 0)) {
        throw new Error(`pad2d: paddings must be whole numbers of 0 or more; got ${JSON.stringify(attrs['paddings'])}`);
      }
      const [rows, cols] = x!.shape as [number, number];
      const [R, C] = [top + rows + bottom, left + cols + right];
      const out = be.makeOutput([R, C], x!.dtype); // [R, C]
      new Int32Array(memory.buffer, offsetOf(be, out), R * C).fill(0); // 0 and 0.0 share their bits
      if (rows > 0 && cols > 0) k.copyBlock(offsetOf(be, x!), cols, offsetOf(be, out) + 4 * (top * C + left), C, rows, cols);
      return out;
    },
    [CONCAT_2D]: ({ inputs, attrs, be, k }) => {
      const xs = Object.keys(inputs).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))).map((key) => inputs[key]!);
      const axis = attrs['axis'] as number;
      xs.forEach((x, i) => checkMatrix('concat2d', `input ${i}`, x));
      const other = 1 - axis;
      if ((axis !== 0 && axis !== 1) || xs.some((x) => x.shape[other] !== xs[0]!.shape[other] || x.dtype !== xs[0]!.dtype)) {
        throw new Error(`concat2d: along axis ${axis} the inputs must share dtype and their other size; got ${JSON.stringify(xs.map((x) => [x.dtype, x.shape]))}`);
      }
      const total = xs.reduce((a, x) => a + x.shape[axis]!, 0);
      const shape: [number, number] = axis === 0 ? [total, xs[0]!.shape[1]!] : [xs[0]!.shape[0]!, total];
      const out = be.makeOutput(shape, xs[0]!.dtype);
      let at = 0;
      for (const x of xs) {
        const [rows, cols] = x.shape as [number, number];
        const dst = offsetOf(be, out) + 4 * (axis === 0 ? at * shape[1] : at);
        if (rows > 0 && cols > 0) k.copyBlock(offsetOf(be, x), cols, dst, shape[1], rows, cols);
        at += x.shape[axis]!;
      }
      return out;
    },
    [GATHER_ROWS]: ({ inputs: { table, indices }, be, memory, k }) => {
      checkMatrix('gatherRows', 'table', table!);
      if (indices!.shape.length !== 1 || indices!.dtype !== 'int32') {
        throw new Error(`gatherRows: indices must be an int32 vector; got ${indices!.dtype} ${JSON.stringify(indices!.shape)}`);
      }
      const [rows, width] = table!.shape as [number, number];
      checkIndices(be, memory, indices!, rows, 'gatherRows indices');
      const count = indices!.shape[0]!;
      const out = be.makeOutput([count, width], table!.dtype); // [count, width]
      if (count > 0 && width > 0) k.gatherRows(offsetOf(be, table!), width, offsetOf(be, indices!), count, offsetOf(be, out));
      return out;
    },
  },
  [
    {
      kernelName: SLICE_2D,
      inputsToSave: ['x'],
      gradFunc: (dy, saved, attrs) => {
        const [R, C] = saved[0]!.shape as [number, number];
        const [r0, c0] = attrs['begin'] as [number, number];
        const [rows, cols] = attrs['size'] as [number, number];
        return { x: () => pad2d(dy as tf.Tensor2D, [[r0, R - r0 - rows], [c0, C - c0 - cols]]) };
      },
    },
    {
      kernelName: PAD_2D,
      inputsToSave: ['x'],
      gradFunc: (dy, saved, attrs) => {
        const [[top], [left]] = attrs['paddings'] as MatrixPadding;
        return { x: () => slice2d(dy as tf.Tensor2D, [top, left], saved[0]!.shape as [number, number]) };
      },
    },
    {
      kernelName: CONCAT_2D,
      inputsToSave: [],
      gradFunc: (dy, _saved, attrs) => {
        const d = dy as tf.Tensor2D;
        const axis = attrs['axis'] as number;
        let at = 0;
        return Object.fromEntries((attrs['sizes'] as number[]).map((size, i) => {
          const begin: [number, number] = axis === 0 ? [at, 0] : [0, at];
          const shape: [number, number] = axis === 0 ? [size, d.shape[1]] : [d.shape[0], size];
          at += size;
          return [`x${i}`, () => slice2d(d, begin, shape)];
        }));
      },
    },
    {
      kernelName: GATHER_ROWS,
      inputsToSave: ['table', 'indices'],
      gradFunc: (dy, saved) => {
        const [table, indices] = saved as [tf.Tensor2D, tf.Tensor1D];
        // tfjs' scatterND sums the rows of repeated indices; the indices themselves have no gradient
        return {
          table: () => tf.scatterND(tf.reshape(indices, [-1, 1]), dy as tf.Tensor2D, table.shape),
          indices: () => tf.zerosLike(indices),
        };
      },
    },
  ],
);

/**
 * Whether the active backend runs the copy kernels (tfjs' wasm backend); registers them on first use.
 *
 * @example
 * const part = matrixCopyAvailable() ? slice2d(x, [0, 4], [8, 4]) : tf.slice(x, [0, 4], [8, 4]);
 */
export function matrixCopyAvailable(): boolean {
  return kernels.available();
}

/**
 * The [rows, cols] block of matrix x at [r0, c0] (float32 or int32).
 *
 * @example
 * slice2d(tf.tensor2d([[1, 2, 3], [4, 5, 6]]), [0, 1], [2, 2]); // [[2, 3], [5, 6]]
 */
export function slice2d<T extends tf.Tensor2D>(x: T, begin: [number, number], size: [number, number]): T {
  kernels.require('slice2d');
  return tf.engine().runKernel(SLICE_2D, { x }, { begin, size }) as T;
}

/**
 * Matrix x (float32 or int32) with zero rows above and below and zero columns left and right, as tf.pad(x, paddings).
 *
 * @example
 * pad2d(tf.tensor2d([[1, 2]]), [[1, 0], [0, 1]]); // [[0, 0, 0], [1, 2, 0]]
 */
export function pad2d<T extends tf.Tensor2D>(x: T, paddings: MatrixPadding): T {
  kernels.require('pad2d');
  return tf.engine().runKernel(PAD_2D, { x }, { paddings }) as T;
}

/**
 * Matrices side by side (axis 1) or stacked (axis 0); all float32 or all int32.
 *
 * @example
 * concat2d([tf.ones([2, 1]), tf.zeros([2, 3])], 1); // [2, 4]
 */
export function concat2d(xs: readonly tf.Tensor2D[], axis: 0 | 1): tf.Tensor2D {
  kernels.require('concat2d');
  const inputs = Object.fromEntries(xs.map((x, i) => [`x${i}`, x]));
  return tf.engine().runKernel(CONCAT_2D, inputs, { axis, sizes: xs.map((x) => x.shape[axis]) }) as tf.Tensor2D;
}

/**
 * The rows of a matrix picked by index: table [rows, width] (float32 or int32) and indices int32 [count] give
 * [count, width], as tf.gather(table, indices) does. An index outside [0, rows) is named.
 *
 * @example
 * gatherRows(tf.tensor2d([[1, 2], [3, 4], [5, 6]]), tf.tensor1d([2, 0, 2], 'int32')); // [[5, 6], [1, 2], [5, 6]]
 */
export function gatherRows<T extends tf.Tensor2D>(table: T, indices: tf.Tensor1D): T {
  kernels.require('gatherRows');
  return tf.engine().runKernel(GATHER_ROWS, { table, indices }, {}) as T;
}
