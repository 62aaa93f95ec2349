// tfjs-core registers kernels' gradients only when this module runs; the core bundle alone has none
// ("gradient function not found for Sum"). tsup bundles it (see tsup.config.ts) because its ESM files use
// extensionless imports that plain Node cannot resolve.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { getGradient } from '@tensorflow/tfjs-core';

/**
 * Makes sure tfjs-core's gradients are registered, so `tf.grad`, `tf.variableGrads` and optimisers work.
 * Importing this package already registers them; calling this is a cheap, explicit check that it did.
 *
 * @example
 * registerGradients();
 * const dx = tf.grad((x) => x.square().sum())(tf.tensor1d([1, 2])); // [2, 4]
 */
export function registerGradients(): void {
  if (getGradient('Sum') == null || getGradient('BatchMatMul') == null) {
    throw new Error('tfjs-core gradients failed to register: is more than one copy of @tensorflow/tfjs-core installed?');
  }
}
