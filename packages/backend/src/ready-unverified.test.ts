import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from './ready';

// A tfjs-backend-wasm whose Node threads were not checked: another version. The hooks of node-wasm-threads.ts are not
// put in place for it; it runs as tfjs chooses in Node.
jest.mock('@tensorflow/tfjs-backend-wasm', () => ({
  ...jest.requireActual('@tensorflow/tfjs-backend-wasm'),
  version_wasm: '4.21.0',
}));

describe('a tfjs-backend-wasm version not checked for Node threads', () => {
  it('stays on one thread with SIMD, even when asked for more, and leaves the threads flag alone', async () => {
    const info = await readyBackend('wasm', { threads: 4 });
    expect(info).toEqual({ name: 'wasm', active: 'wasm', simd: true, threads: 1, node: true });
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
    expect(Object.getOwnPropertyDescriptor(globalThis, 'Worker')?.get).toBeUndefined(); // no hook installed
  });

  it('still computes correctly: [[1, 2], [3, 4]] @ [[5, 6], [7, 8]] = [[19, 22], [43, 50]]', async () => {
    await readyBackend('wasm');
    const before = tf.memory().numTensors;
    const c = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5, 6], [7, 8]])));
    expect(Array.from(await c.data())).toEqual([19, 22, 43, 50]);
    c.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
