// The Adam kernel on wasm against a float32 emulation of the same operations (each rounded with Math.fround, as
// IEEE float32 arithmetic does): equal bit for bit, AdamW and Adam with L2 alike.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createRng } from '@grokking/tasks';
import { adamStep, adamStepAvailable, type AdamScalars } from './adam';
import { emulateAdam } from './adam-reference';

describe('Adam kernel on wasm', () => {
  beforeAll(async () => {
    await readyBackend('wasm', { threads: 1 });
  });

  it.each([
    ['AdamW, 37 floats (a tail of 1)', 37, { l2: 0, decay: 1 - 1e-3, b1: 0.9, b2: 0.98, bc2Sqrt: Math.sqrt(1 - 0.98 ** 3), eps: 1e-8, stepSize: 1e-3 / (1 - 0.9 ** 3) }],
    ['Adam with L2, 1000 floats', 1000, { l2: 0.1, decay: 1, b1: 0.9, b2: 0.999, bc2Sqrt: Math.sqrt(1 - 0.999 ** 7), eps: 1e-8, stepSize: 3e-4 / (1 - 0.9 ** 7) }],
  ] as const)('%s: equals the float32 emulation bit for bit', (_label, size, scalars) => {
    expect(adamStepAvailable()).toBe(true);
    const rng = createRng(size);
    const data = () => Float32Array.from({ length: size }, () => rng.normal());
    const [p, g, m] = [data(), data(), data()];
    const v = Float32Array.from(data(), (x) => x * x);
    const ts = [p, g, m, v].map((d) => tf.tensor1d(d));
    const before = tf.memory().numTensors;
    const out = adamStep(ts[0]!, ts[1]!, ts[2]!, ts[3]!, scalars);
    const want = emulateAdam(p, g, m, v, scalars);
    expect(Array.from(out[0].dataSync())).toEqual(Array.from(want.p));
    expect(Array.from(out[1].dataSync())).toEqual(Array.from(want.m));
    expect(Array.from(out[2].dataSync())).toEqual(Array.from(want.v));
    tf.dispose(out);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(ts);
  });

  it('names a moment of the wrong shape', () => {
    const [p, short] = [tf.zeros([2, 3]), tf.zeros([3])];
    const s: AdamScalars = { l2: 0, decay: 1, b1: 0.9, b2: 0.98, bc2Sqrt: 1, eps: 1e-8, stepSize: 1e-3 };
    expect(() => adamStep(p, p, short, p, s)).toThrow('m must be float32 of the parameter\'s shape [2,3]; got float32 [3]');
    tf.dispose([p, short]);
  });
});
