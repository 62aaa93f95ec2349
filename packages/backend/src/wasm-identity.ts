// tfjs-core clones every tensor a gradient will read (saveTensorsForBackwardMode, tf.customGrad's save), and a clone
// is the Identity kernel. tfjs-backend-wasm's Identity copies the data; the cpu backend's shares it and counts one
// more reference, which is safe because no kernel writes into its inputs and a variable's assign swaps its data
// rather than writing into it. On wasm a training step of the general path cloned dozens of activations of several MB.

import * as tf from '@tensorflow/tfjs-core';

/** The members of tfjs-backend-wasm's BackendWasm that a shared clone uses. */
interface RefCounting {
  incRef(dataId: tf.DataId): void;
}

const MARK = Symbol.for('@grokking/backend:shared-identity');

/**
 * Replaces the wasm backend's Identity kernel (the clone under every saved gradient input) with one that shares the
 * input's data and counts a reference, as the cpu backend's does; strings keep the original. Idempotent.
 *
 * @example
 * shareWasmIdentity();
 * const y = tf.clone(x); // on wasm: y shares x's memory; disposing either leaves the other intact
 */
export function shareWasmIdentity(): void {
  const original = tf.getKernel(tf.Identity, 'wasm');
  if (!original || (original.kernelFunc as unknown as Record<symbol, unknown>)[MARK]) return;
  const kernelFunc: tf.KernelFunc = (args) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    if (x.dtype === 'string') return original.kernelFunc(args);
    (args.backend as unknown as RefCounting).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
  Object.defineProperty(kernelFunc, MARK, { value: true });
  tf.unregisterKernel(tf.Identity, 'wasm');
  tf.registerKernel({ ...original, kernelFunc });
}
