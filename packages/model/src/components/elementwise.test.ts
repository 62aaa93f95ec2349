// add, sub and mul: the wasm kernel where it runs the tensors, tfjs' ops elsewhere (int32, rank over 4, cpu), with
// the same values either way.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { ELEMENTWISE } from '@grokking/wasm-kernels';
import { add, mul, sub } from './elementwise';

describe.each(['cpu', 'wasm'] as const)('elementwise helpers on %s', (backend) => {
  beforeAll(async () => {
    await readyBackend(backend, backend === 'wasm' ? { threads: 1 } : {});
  });

  it.each([
    ['float32 row broadcast', [3, 4], [1, 4], 'float32', true],
    ['int32', [3, 4], [4], 'int32', false],
    ['rank 5', [1, 2, 1, 2, 3], [3], 'float32', false],
  ] as const)('%s: equals tfjs\' ops; the kernel runs only where it can', async (_label, aShape, bShape, dtype, kernel) => {
    const a = tf.cast(tf.randomUniform([...aShape], -5, 5, 'float32', 1), dtype);
    const b = tf.cast(tf.randomUniform([...bShape], -5, 5, 'float32', 2), dtype);
    for (const [ours, theirs] of [[add, tf.add], [sub, tf.sub], [mul, tf.mul]] as const) {
      const info = await tf.profile(() => ours(a, b));
      const want = theirs(a, b);
      expect(Array.from((info.result as tf.Tensor).dataSync())).toEqual(Array.from(want.dataSync()));
      expect(info.kernelNames.includes(ELEMENTWISE)).toBe(backend === 'wasm' && kernel);
      tf.dispose([info.result as tf.Tensor, want]);
    }
    tf.dispose([a, b]);
  });
});
