// On wasm, after readyBackend, a clone shares its input's memory (no copy) and each keeps its values through the
// other's disposal and a variable's assign; gradients that save their inputs still compute and leak nothing.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from './ready';

interface OffsetOf { getMemoryOffset(dataId: tf.DataId): number }

describe('clones on wasm', () => {
  beforeAll(async () => {
    await readyBackend('wasm', { threads: 1 });
  });

  it('share their input\'s memory, and outlive it', () => {
    const before = tf.memory();
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const y = tf.clone(x);
    const be = tf.backend() as unknown as OffsetOf;
    expect(be.getMemoryOffset(y.dataId)).toBe(be.getMemoryOffset(x.dataId));
    x.dispose();
    expect(y.arraySync()).toEqual([[1, 2], [3, 4]]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });

  it('keep their values when the variable they were taken from is assigned', () => {
    const v = tf.variable(tf.tensor1d([1, 2, 3]));
    const c = tf.clone(v);
    v.assign(tf.tensor1d([7, 8, 9]));
    expect(Array.from(c.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(v.dataSync())).toEqual([7, 8, 9]);
    tf.dispose([v, c]);
  });

  it('feed gradients that save their inputs (x * x, a product, a custom gradient) without a leak', () => {
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const before = tf.memory().numTensors;
    const square = tf.customGrad((a, save) => {
      (save as tf.GradSaveFunc)([a as tf.Tensor]);
      return { value: tf.square(a as tf.Tensor), gradFunc: (dy, [s]) => tf.mul(dy, tf.mul(s!, 2)) };
    });
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.add(tf.mul(a, a), tf.add(tf.matMul(a as tf.Tensor2D, a as tf.Tensor2D), square(a) as tf.Tensor))))(x);
    // d/dx [x ⊙ x + x x + x ⊙ x]: 4 x + (1 1^T) x^T + x^T (1 1^T), with 1 1^T the all-ones matrix
    expect(g.arraySync()).toEqual([[4 + 4 + 3, 8 + 4 + 7], [12 + 6 + 3, 16 + 6 + 7]]);
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
