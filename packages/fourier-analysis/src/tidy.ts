// tf.tidy for functions that return plain data.
import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs fn inside tf.tidy and returns its plain-data result: every tensor fn makes is disposed when it returns.
 * (tf.tidy's own return must be tensors; plain results pass out through the closure.) fn must return no tensor.
 *
 * @example
 * const total = tidyData(() => tf.sum(t).dataSync()[0]); // a number, no tensor left behind
 */
export function tidyData<T>(fn: () => T): T {
  let result: { value: T } | undefined;
  tf.tidy(() => {
    result = { value: fn() };
  });
  return (result as { value: T }).value;
}
