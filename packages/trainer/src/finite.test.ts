import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createFiniteWatch, nonFiniteError, nonFiniteParams } from './finite';

describe('NaN and Inf watch', () => {
  beforeAll(async () => {
    await readyBackend('cpu');
  });

  it('remembers the first epoch whose loss or updated weights were not finite', async () => {
    const params = { a: tf.tidy(() => tf.variable(tf.ones([3]))), b: tf.tidy(() => tf.variable(tf.ones([2, 2]))) };
    const watch = createFiniteWatch(params);
    const before = tf.memory().numTensors;
    tf.tidy(() => watch.record(0, tf.scalar(1.5)));
    expect(await watch.firstBad()).toBeNull();
    tf.tidy(() => params.b.assign(tf.tensor2d([[1, 1], [Infinity, 1]]))); // the update of epoch 1 overflows
    tf.tidy(() => watch.record(1, tf.scalar(0.5)));
    tf.tidy(() => watch.record(2, tf.scalar(NaN))); // later failures do not move the first one
    expect(await watch.firstBad()).toEqual({ epoch: 1, what: 'weights' });
    expect(await nonFiniteParams(params)).toEqual(['b']);
    expect(tf.memory().numTensors).toBe(before);
    watch.dispose();
    tf.dispose(Object.values(params));
  });

  it('puts the loss first when both fail in the same epoch', async () => {
    const params = { w: tf.tidy(() => tf.variable(tf.fill([2], NaN))) };
    const watch = createFiniteWatch(params);
    tf.tidy(() => watch.record(7, tf.scalar(-Infinity)));
    const bad = await watch.firstBad();
    expect(bad).toEqual({ epoch: 7, what: 'loss' });
    const error = nonFiniteError(bad!, await nonFiniteParams(params));
    expect(error.message).toBe('training loss became NaN or Inf at epoch 7 (non-finite parameters: w); the run stopped and checkpoints already written are intact');
    expect(error).toMatchObject({ name: 'NonFiniteError', epoch: 7, what: 'loss', badParams: ['w'] });
    watch.dispose();
    params.w.dispose();
  });
});
