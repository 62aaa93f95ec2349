// One optimiser step, shared by `train` and `trainStacked`: the loss and its gradient for every parameter
// (`tf.variableGrads`), the in-place update, and the loss folded into the NaN/Inf watch, with no read-back to JS.
import * as tf from '@tensorflow/tfjs-core';
import type { FiniteWatch } from './finite';
import type { Optimizer } from './optimizer';

/**
 * A step function over named parameters: `step(epoch, loss)` differentiates `loss`, applies the optimiser and
 * records the loss for `epoch` in the watch.
 *
 * @example
 * const step = optimizerStep(model.params, optimizer, watch);
 * step(epoch, () => meanLoss(model, batch, info, 'precise'));
 */
export function optimizerStep(
  params: Readonly<Record<string, tf.Variable>>,
  optimizer: Pick<Optimizer, 'apply'>,
  watch: Pick<FiniteWatch, 'record'>,
): (epoch: number, loss: () => tf.Scalar) => void {
  const names = Object.keys(params).sort();
  const variables = names.map((n) => params[n]!);
  const paramOfVariable = new Map(variables.map((v, i) => [v.name, names[i]!]));
  return (epoch, loss) => {
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(loss, variables);
      const named: Record<string, tf.Tensor> = {};
      for (const [varName, g] of Object.entries(grads)) named[paramOfVariable.get(varName)!] = g;
      optimizer.apply(named);
      watch.record(epoch, value);
    });
  };
}
