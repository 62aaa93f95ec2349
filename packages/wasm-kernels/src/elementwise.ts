// Add, subtract and multiply of broadcast float32 tensors as one tfjs kernel of the wasm backend (elementwise.wat),
// with a registered gradient. On one thread: tfjs-wasm hands a broadcast Add, Sub or Mul to XNNPACK's thread pool even
// for a few floats, and the pool's threads then spin for about a millisecond, taking the other core from the step.
import * as tf from '@tensorflow/tfjs-core';
import { ELEMENTWISE_BINARY } from './elementwise-binary';
import { offsetOf, wasmKernels, withPointers } from './wasm-backend';

/** The kernel's name in tfjs' registry. */
export const ELEMENTWISE = 'GrokkingElementwise';

/** The operations, by the code the kernel takes. */
const OPS = { add: 0, sub: 1, mul: 2 } as const;

/** What {@link elementwise} computes: a + b, a - b or a * b. */
export type ElementwiseOp = keyof typeof OPS;

interface ElementwiseExports {
  binary(op: number, a: number, b: number, out: number, dims: number, scratch: number): void;
}

/**
 * The output's shape and the kernel's 12 dims: up to four axes [d0, d1, d2, d3] (leading ones added) with a's and
 * b's byte strides along each (0 where broadcast). Axes of size 1 are dropped and neighbours that both operands step
 * through contiguously (or both broadcast) are merged, so at most four remain for tensors of rank 4 or less.
 */
function foldedDims(aShape: number[], bShape: number[]): { shape: number[]; dims: number[] } {
  const shape = tf.backend_util.assertAndGetBroadcastShape(aShape, bShape);
  const r = shape.length;
  const stridesOf = (s: number[]) => {
    const padded = [...Array<number>(r - s.length).fill(1), ...s];
    const out = new Array<number>(r).fill(0);
    for (let i = r - 1, step = 1; i >= 0; i--) {
      out[i] = padded[i] === 1 ? 0 : step;
      step *= padded[i]!;
    }
    return out;
  };
  const [sa, sb] = [stridesOf(aShape), stridesOf(bShape)];
  const axes: Array<{ d: number; a: number; b: number }> = [];
  for (let i = 0; i < r; i++) {
    if (shape[i] === 1) continue;
    const last = axes[axes.length - 1];
    const d = shape[i]!;
    if (last && last.a === sa[i]! * d && last.b === sb[i]! * d) Object.assign(last, { d: last.d * d, a: sa[i]!, b: sb[i]! });
    else axes.push({ d, a: sa[i]!, b: sb[i]! });
  }
  if (axes.length > 4) throw new Error(`elementwise: shapes ${JSON.stringify(aShape)} and ${JSON.stringify(bShape)} fold to ${axes.length} axes; at most 4 are supported`);
  while (axes.length < 4) axes.unshift({ d: 1, a: 0, b: 0 });
  return { shape, dims: [...axes.map((x) => x.d), ...axes.map((x) => 4 * x.a), ...axes.map((x) => 4 * x.b)] };
}

/** The gradient dy [out's shape] summed down to an operand's shape. */
function sumTo(dy: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(shape, dy.shape);
  return axes.length ? tf.reshape(tf.sum(dy, axes), shape) : dy;
}

const kernels = wasmKernels<ElementwiseExports>(
  ELEMENTWISE_BINARY,
  {
    [ELEMENTWISE]: ({ inputs: { a, b }, attrs, be, memory, k }) => {
      const op = attrs['op'] as ElementwiseOp;
      if (!(op in OPS)) throw new Error(`elementwise: op must be one of ${Object.keys(OPS).join(', ')}; got ${JSON.stringify(op)}`);
      if (a!.dtype !== 'float32' || b!.dtype !== 'float32') {
        throw new Error(`elementwise: a and b must be float32; got ${a!.dtype} ${JSON.stringify(a!.shape)} and ${b!.dtype} ${JSON.stringify(b!.shape)}`);
      }
      const { shape, dims } = foldedDims(a!.shape, b!.shape);
      const out = be.makeOutput(shape, 'float32');
      if (shape.some((d) => d === 0)) return out;
      withPointers(be, memory, dims, 32, (at, scratch) => k.binary(OPS[op], offsetOf(be, a!), offsetOf(be, b!), offsetOf(be, out), at, scratch));
      return out;
    },
  },
  [{
    kernelName: ELEMENTWISE,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      const d = dy as tf.Tensor;
      const op = attrs['op'] as ElementwiseOp;
      if (op === 'mul') return { a: () => sumTo(elementwise('mul', d, b), a.shape), b: () => sumTo(elementwise('mul', d, a), b.shape) };
      return { a: () => sumTo(d, a.shape), b: () => (op === 'add' ? sumTo(d, b.shape) : tf.neg(sumTo(d, b.shape))) };
    },
  }],
);

/**
 * Whether the active backend runs the elementwise kernel (tfjs' wasm backend with WebAssembly SIMD); registers it on
 * first use.
 *
 * @example
 * const sum = elementwiseAvailable() ? elementwise('add', x, bias) : tf.add(x, bias);
 */
export function elementwiseAvailable(): boolean {
  return kernels.available();
}

/**
 * a + b, a - b or a * b for float32 tensors broadcast against each other as tf.add, tf.sub and tf.mul broadcast them
 * (shapes of rank 4 or less, or any that fold to four axes), on one thread. Differentiable.
 *
 * @example
 * const resid = elementwise('add', x, tf.reshape(b_O, [1, d])); // [rows, d]
 */
export function elementwise<T extends tf.Tensor>(op: ElementwiseOp, a: T, b: tf.Tensor): T {
  kernels.require('elementwise');
  return tf.engine().runKernel(ELEMENTWISE, { a, b }, { op }) as T;
}
