// analyzeModel on a model of another group operation: the same forward pass, read by analyzeModularOperation.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { analyzeModularOperation } from '@grokking/fourier-analysis';
import { createTransformer, modularAdditionConfig } from '@grokking/model';
import { modularArithmetic } from '@grokking/tasks';
import { analyzeModel } from './model-analysis';
import { fourierMaps } from './weights';

describe('analyzeModel for subtraction, multiplication and division', () => {
  beforeAll(async () => {
    await readyBackend('cpu');
  });

  it.each(['subtract', 'divide'] as const)('reads a %s model in its group, with no leaks', async (operation) => {
    const p = 11;
    const model = createTransformer(modularAdditionConfig(p, { dModel: 16, nHeads: 2, dMlp: 24, seed: 2 }));
    const before = tf.memory().numTensors;
    const analysis = await analyzeModel(model, { operation, batchSize: 40 });
    expect(tf.memory().numTensors).toBe(before);

    const all = modularArithmetic({ p, operation }).all();
    const inputs = tf.tidy(() => {
      const tokens = tf.tensor2d(all.tokens, [all.size, 3], 'int32');
      const { logits, cache } = model.runWithCache(tokens, { names: ['blocks.0.mlp.hook_post'] });
      const neuronActs = tf.reshape(tf.slice(cache.get('blocks.0.mlp.hook_post'), [0, 2, 0], [-1, 1, -1]), [all.size, -1]);
      const last = tf.reshape(tf.slice(logits, [0, 2, 0], [-1, 1, -1]), [all.size, -1]);
      cache.dispose();
      const { W_E, W_L } = fourierMaps(model.params);
      return { logits: last, neuronActs, W_E, W_L: W_L! };
    });
    const xs = Array.from({ length: all.size }, (_, i) => all.tokens[3 * i]!);
    const ys = Array.from({ length: all.size }, (_, i) => all.tokens[3 * i + 1]!);
    const expected = analyzeModularOperation({ p, operation, xs, ys, W_E: inputs.W_E, W_L: inputs.W_L, logits: inputs.logits, neuronActs: inputs.neuronActs });
    tf.dispose(Object.values(inputs));
    expect(analysis.group).toEqual(expected.group);
    expect(analysis.group!.m).toBe(operation === 'divide' ? p - 1 : p);
    expect(analysis.keyFrequencies).toEqual(expected.keyFrequencies);
    for (const [i, v] of analysis.logits!.fractionExplainedByFrequency.entries()) expect(v).toBeCloseTo(expected.logits!.fractionExplainedByFrequency[i]!, 4);
    expect(analysis.samples).toEqual({ neurons: [], attention: [] });
    model.dispose();
  });
});
