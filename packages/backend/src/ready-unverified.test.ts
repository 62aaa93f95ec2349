import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from './ready';

// The wasm backend as npm ships it: without this workspace's patch there is no NODE_THREADS_SUPPORTED marker.
jest.mock('@tensorflow/tfjs-backend-wasm', () => {
  const { NODE_THREADS_SUPPORTED: _marker, ...rest } = jest.requireActual('@tensorflow/tfjs-backend-wasm');
  return rest;
});

describe('the wasm backend without the Node threads patch', () => {
  it('stays on one thread with SIMD, even when asked for more, and leaves the threads flag alone', async () => {
    const info = await readyBackend('wasm', { threads: 4 });
    expect(info).toEqual({ name: 'wasm', active: 'wasm', simd: true, threads: 1, node: true });
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
  });

  it('still computes correctly: [[1, 2], [3, 4]] @ [[5, 6], [7, 8]] = [[19, 22], [43, 50]]', async () => {
    await readyBackend('wasm');
    const c = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5, 6], [7, 8]]));
    expect(Array.from(await c.data())).toEqual([19, 22, 43, 50]);
    c.dispose();
  });
});
