// matrixProduct on either side of its one-thread limit, against tfjs' own matMul, and padMatrix against tf.pad, on
// cpu and wasm.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { BATCH_MATMUL } from '@grokking/wasm-kernels';
import { matrixProduct, ONE_THREAD_MACS, padMatrix } from './matrix';

describe.each(['cpu', 'wasm'] as const)('matrixProduct on %s', (backend) => {
  beforeAll(async () => {
    await readyBackend(backend, backend === 'wasm' ? { threads: 1 } : {});
  });

  it.each([[3, 5, 7], [264, 32, 64], [300, 128, 128]])('multiplies [%i, %i] by [k, %i] as tf.matMul does', async (m, k, n) => {
    const a = tf.randomNormal([m, k], 0, 1, 'float32', 1) as tf.Tensor2D;
    const b = tf.randomNormal([k, n], 0, 1, 'float32', 2) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const info = await tf.profile(() => matrixProduct(a, b));
    const got = info.result as tf.Tensor2D;
    expect(got.shape).toEqual([m, n]);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(got, tf.matMul(a, b)))).dataSync()[0]!)).toBeLessThan(1e-4);
    // on wasm the batched kernel runs exactly the products at or under the limit; the last one is over it
    expect(info.kernelNames.includes(BATCH_MATMUL)).toBe(backend === 'wasm' && m * k * n <= ONE_THREAD_MACS);
    got.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });
});

describe.each(['cpu', 'wasm'] as const)('padMatrix on %s', (backend) => {
  beforeAll(async () => {
    await readyBackend(backend, backend === 'wasm' ? { threads: 1 } : {});
  });

  it.each([[[2, 0], [0, 0]], [[0, 0], [0, 1]], [[1, 3], [2, 0]], [[0, 1], [1, 1]]] as const)('pads by %j, %j as tf.pad does, without PadV2', async (rows, cols) => {
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const before = tf.memory().numTensors;
    const info = await tf.profile(() => padMatrix(x, [[...rows], [...cols]] as [[number, number], [number, number]]));
    const got = info.result as tf.Tensor2D;
    const want = tf.pad(x, [[...rows], [...cols]]);
    expect(got.arraySync()).toEqual(want.arraySync());
    expect(info.kernelNames.includes('PadV2')).toBe(backend === 'cpu');
    tf.dispose([got, want]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('gives x itself when there is nothing to pad', () => {
    const x = tf.tensor2d([[1, 2]]);
    expect(padMatrix(x, [[0, 0], [0, 0]])).toBe(x);
    x.dispose();
  });
});
