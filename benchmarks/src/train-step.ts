// One optimiser step on a loss of the model's parameters, returning the loss: the timed body of the trainer runners.
import * as tf from '@tensorflow/tfjs-core';
import type { Optimizer } from '@grokking/trainer';

/**
 * A step function: the loss and its gradients, the optimiser's update, and the loss value read back (which waits for
 * the backend to finish the step).
 *
 * @example
 * const step = trainStep(loss, model.params, optimizer); await step();
 */
export function trainStep(loss: () => tf.Scalar, params: Record<string, tf.Variable>, optimizer: Pick<Optimizer, 'apply'>): () => Promise<number> {
  const names = Object.keys(params);
  const variables = names.map((n) => params[n]!);
  return async () => {
    const value = tf.tidy(() => {
      const { value: l, grads } = tf.variableGrads(loss, variables);
      optimizer.apply(Object.fromEntries(names.map((n, i) => [n, grads[variables[i]!.name]!])));
      return l;
    });
    const out = (await value.data())[0]!;
    value.dispose();
    return out;
  };
}
