import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createMlp, createTransformer, defineMlpConfig, loadModel, modularAdditionConfig, saveModel } from './index';

describe('model lifecycle', () => {
  beforeAll(async () => {
    await readyBackend('cpu');
  });

  it('holds exactly one tensor per parameter while alive, and none after dispose', () => {
    const before = tf.memory().numTensors;
    const transformer = createTransformer(modularAdditionConfig(7, 0));
    expect(tf.memory().numTensors - before).toBe(Object.keys(transformer.params).length);
    const copy = loadModel(saveModel(transformer));
    expect(tf.memory().numTensors - before).toBe(2 * Object.keys(transformer.params).length);
    transformer.dispose();
    copy.dispose();
    const mlp = createMlp(defineMlpConfig({ p: 7 }));
    expect(tf.memory().numTensors - before).toBe(Object.keys(mlp.params).length);
    mlp.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
