// One Adam/AdamW step for a parameter as a tfjs kernel of the wasm backend (adam.wat): the new parameter and moment
// buffers in one pass, in the order of @grokking/trainer's tfjs ops, instead of a dozen ops per parameter.
import * as tf from '@tensorflow/tfjs-core';
import { ADAM_BINARY } from './adam-binary';
import { offsetOf, wasmKernels } from './wasm-backend';

/** The kernel's name in tfjs' registry. */
export const ADAM_STEP = 'GrokkingAdamStep';

/** The binary's export; pointers are byte offsets into the memory. */
interface AdamExports {
  step(
    p: number, g: number, m: number, v: number, size: number, l2: number, decay: number, b1: number, oneMinusB1: number,
    b2: number, oneMinusB2: number, bc2Sqrt: number, eps: number, stepSize: number, pOut: number, mOut: number, vOut: number,
  ): void;
}

/**
 * The step's scalars: g' = g + l2 p; p' = p decay - m' / (sqrt(v') / bc2Sqrt + eps) stepSize. (A type, not an
 * interface, so that it is a tfjs attribute map as it stands.)
 */
export type AdamScalars = {
  l2: number;
  decay: number;
  b1: number;
  b2: number;
  bc2Sqrt: number;
  eps: number;
  stepSize: number;
};

/** The scalars back from the kernel's attributes, each checked to be a number. */
function scalarsOf(attrs: tf.NamedAttrMap): AdamScalars {
  const get = (name: keyof AdamScalars): number => {
    const v = attrs[name];
    if (typeof v !== 'number') throw new Error(`adamStep: attribute ${name} must be a number, got ${JSON.stringify(v)}`);
    return v;
  };
  return { l2: get('l2'), decay: get('decay'), b1: get('b1'), b2: get('b2'), bc2Sqrt: get('bc2Sqrt'), eps: get('eps'), stepSize: get('stepSize') };
}

const kernels = wasmKernels<AdamExports>(ADAM_BINARY, {
  [ADAM_STEP]: ({ inputs: { p, g, m, v }, attrs, be, k }) => {
    for (const [name, t] of Object.entries({ g, m, v })) {
      if (t!.dtype !== 'float32' || !tf.util.arraysEqual(t!.shape, p!.shape) || p!.dtype !== 'float32') {
        throw new Error(`adamStep: ${name} must be float32 of the parameter's shape ${JSON.stringify(p!.shape)}; got ${t!.dtype} ${JSON.stringify(t!.shape)}`);
      }
    }
    const s = scalarsOf(attrs);
    const outs = [0, 1, 2].map(() => be.makeOutput([...p!.shape], 'float32')) as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
    const at = (t: tf.TensorInfo) => offsetOf(be, t);
    k.step(
      at(p!), at(g!), at(m!), at(v!), tf.util.sizeFromShape(p!.shape), s.l2, s.decay, s.b1, 1 - s.b1, s.b2, 1 - s.b2,
      s.bc2Sqrt, s.eps, s.stepSize, at(outs[0]), at(outs[1]), at(outs[2]),
    );
    return outs;
  },
});

/**
 * Whether the active backend runs the Adam kernel (tfjs' wasm backend with WebAssembly SIMD); registers it on
 * first use.
 *
 * @example
 * const fused = adamStepAvailable();
 */
export function adamStepAvailable(): boolean {
  return kernels.available();
}

/**
 * One step for parameter p with gradient g and moments m, v (all float32 of p's shape): the new [p, m, v].
 *
 * @example
 * const [p2, m2, v2] = adamStep(p, g, m, v, { l2: 0, decay: 1 - lr * wd, b1, b2, bc2Sqrt, eps, stepSize });
 */
export function adamStep(p: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, scalars: AdamScalars): [tf.Tensor, tf.Tensor, tf.Tensor] {
  kernels.require('adamStep');
  return tf.engine().runKernel(ADAM_STEP, { p, g, m, v }, scalars) as [tf.Tensor, tf.Tensor, tf.Tensor];
}
