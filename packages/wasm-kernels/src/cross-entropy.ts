// Softmax cross-entropy in the precise form of @grokking/trainer's loss, as tfjs kernels of the wasm backend
// (cross-entropy.wat). The forward gives a row's parts and its loss, lead + log1p((eC - 1) + rest), formed from them
// in float64 and rounded once (wasm has no log instruction; tfjs-wasm's Log1p is log(1 + x), 0 for tiny x); the
// backward gives the gradient with respect to the logits. One pass over the logits each, with a SIMD exp, instead of a dozen tfjs
// ops (tfjs-wasm's own Exp runs one float at a time).
import * as tf from '@tensorflow/tfjs-core';
import { CROSS_ENTROPY_BINARY } from './cross-entropy-binary';
import { offsetOf, wasmKernels } from './wasm-backend';

/** The kernels' names in tfjs' registry. */
export const CROSS_ENTROPY = 'GrokkingCrossEntropy';
export const CROSS_ENTROPY_GRAD = 'GrokkingCrossEntropyGrad';

/** The binary's exports; pointers are byte offsets into the memory. */
interface CrossEntropyExports {
  forward(z: number, y: number, rows: number, width: number, e: number, lead: number, eC: number, rest: number): void;
  backward(e: number, y: number, rows: number, width: number, eC: number, rest: number, dy: number, grad: number): void;
}

function checkRows(what: string, tensors: Record<string, tf.TensorInfo>, rows: number, width: number | null): void {
  for (const [name, t] of Object.entries(tensors)) {
    const ok = t.dtype === 'float32' && (width === null ? t.shape.length === 1 && t.shape[0] === rows : t.shape.length === 2 && t.shape[0] === rows && t.shape[1] === width);
    if (!ok) throw new Error(`${what}: ${name} must be float32 ${width === null ? `[${rows}]` : `[${rows}, ${width}]`}; got ${t.dtype} ${JSON.stringify(t.shape)}`);
  }
}

const kernels = wasmKernels<CrossEntropyExports>(CROSS_ENTROPY_BINARY, {
  [CROSS_ENTROPY]: ({ inputs: { logits, oneHot }, be, memory, k }) => {
    const [rows, width] = logits!.shape as [number, number];
    checkRows('crossEntropyParts', { logits: logits!, oneHot: oneHot! }, rows, width);
    const e = be.makeOutput([rows, width], 'float32'); // [rows, width]
    const [lead, eC, rest] = [0, 1, 2].map(() => be.makeOutput([rows], 'float32')) as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo]; // [rows]
    const at = (t: tf.TensorInfo) => offsetOf(be, t);
    k.forward(at(logits!), at(oneHot!), rows, width, at(e), at(lead), at(eC), at(rest));
    const loss = be.makeOutput([rows], 'float32'); // [rows]
    const view = (t: tf.TensorInfo) => new Float32Array(memory.buffer, at(t), rows);
    const [l, c, r, out] = [view(lead), view(eC), view(rest), view(loss)];
    for (let i = 0; i < rows; i++) out[i] = l[i]! + Math.log1p(c[i]! - 1 + r[i]!);
    return [e, lead, eC, rest, loss];
  },
  [CROSS_ENTROPY_GRAD]: ({ inputs: { e, oneHot, eC, rest, dy }, be, k }) => {
    const [rows, width] = e!.shape as [number, number];
    checkRows('crossEntropyGrad', { e: e!, oneHot: oneHot! }, rows, width);
    checkRows('crossEntropyGrad', { eC: eC!, rest: rest!, dy: dy! }, rows, null);
    const grad = be.makeOutput([rows, width], 'float32'); // [rows, width]
    const at = (t: tf.TensorInfo) => offsetOf(be, t);
    k.backward(at(e!), at(oneHot!), rows, width, at(eC!), at(rest!), at(dy!), at(grad));
    return grad;
  },
});

/**
 * Whether the active backend runs the cross-entropy kernels (tfjs' wasm backend with WebAssembly SIMD); registers
 * them on first use.
 *
 * @example
 * const fused = crossEntropyAvailable();
 */
export function crossEntropyAvailable(): boolean {
  return kernels.available();
}

/** A row's parts of the precise cross-entropy. */
export interface CrossEntropyParts {
  e: tf.Tensor2D; // [rows, width] exp(z - max z)
  lead: tf.Tensor1D; // [rows] max z - <z, y>
  eC: tf.Tensor1D; // [rows] <e, y>
  rest: tf.Tensor1D; // [rows] <e, 1 - y>
  loss: tf.Tensor1D; // [rows] lead + log1p((eC - 1) + rest), in float64 from the parts, rounded to float32 once
}

/**
 * The parts of the precise cross-entropy of logits [rows, width] against one-hot targets [rows, width], both
 * float32, and the loss they give, lead + log1p((eC - 1) + rest). Forward only (see {@link crossEntropyGrad}).
 *
 * @example
 * const { e, eC, rest, loss } = crossEntropyParts(logits, oneHot);
 */
export function crossEntropyParts(logits: tf.Tensor2D, oneHot: tf.Tensor2D): CrossEntropyParts {
  kernels.require('crossEntropyParts');
  const [e, lead, eC, rest, loss] = tf.engine().runKernel(CROSS_ENTROPY, { logits, oneHot }, {}) as tf.Tensor[];
  return { e: e as tf.Tensor2D, lead: lead as tf.Tensor1D, eC: eC as tf.Tensor1D, rest: rest as tf.Tensor1D, loss: loss as tf.Tensor1D };
}

/**
 * The gradient with respect to the logits, (e (1 - y) - y rest) dy / (eC + rest) [rows, width], from the parts and
 * the loss's incoming gradient dy [rows].
 *
 * @example
 * const dLogits = crossEntropyGrad(e, oneHot, eC, rest, dy); // [rows, width]
 */
export function crossEntropyGrad(e: tf.Tensor2D, oneHot: tf.Tensor2D, eC: tf.Tensor1D, rest: tf.Tensor1D, dy: tf.Tensor1D): tf.Tensor2D {
  kernels.require('crossEntropyGrad');
  return tf.engine().runKernel(CROSS_ENTROPY_GRAD, { e, oneHot, eC, rest, dy }, {}) as tf.Tensor2D;
}
