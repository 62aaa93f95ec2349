// The transpose kernel on wasm against tfjs' own transpose for shapes with and without 4 x 4 edges, its gradient,
// and its checks.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { transpose2d, transpose2dAvailable } from './transpose';

describe('transpose kernel on wasm', () => {
  beforeAll(async () => {
    await readyBackend('wasm', { threads: 1 });
  });

  it.each([[1, 1], [3, 5], [4, 8], [9, 6], [342, 512], [383, 113]])('transposes [%i, %i] as tf.transpose does', (rows, cols) => {
    expect(transpose2dAvailable()).toBe(true);
    const x = tf.tensor2d(Float32Array.from({ length: rows * cols }, (_, i) => i * 0.5 - 7), [rows, cols]);
    const before = tf.memory().numTensors;
    const t = transpose2d(x);
    expect(t.shape).toEqual([cols, rows]);
    const want = tf.transpose(x);
    expect(Array.from(t.dataSync())).toEqual(Array.from(want.dataSync()));
    tf.dispose([t, want]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('has the transpose of the incoming gradient as its gradient', () => {
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const w = tf.tensor2d([[1, 10], [100, 1000], [1e4, 1e5]]);
    const g = tf.grad((a) => tf.sum(tf.mul(transpose2d(a as tf.Tensor2D), w)))(x); // d/dx sum(x^T * w) = w^T
    expect(g.arraySync()).toEqual([[1, 100, 1e4], [10, 1000, 1e5]]);
    tf.dispose([x, w, g]);
  });

  it('names an input that is not a float32 matrix', () => {
    const x = tf.zeros([2, 2, 2]);
    expect(() => transpose2d(x as tf.Tensor2D)).toThrow('transpose2d: x must be a float32 matrix; got float32 [2,2,2]');
    x.dispose();
  });
});
