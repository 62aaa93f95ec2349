import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { analyzeModularAddition } from '@grokking/fourier-analysis';
import { createMlp, createTransformer, defineMlpConfig, modularAdditionConfig } from '@grokking/model';
import { modularArithmetic } from '@grokking/tasks';
import { analyzeModel, modulusOf } from './model-analysis';

describe('analyzeModel', () => {
  beforeAll(async () => {
    await readyBackend('cpu');
  });

  it('gives the analysis of the model\'s own outputs over all p² pairs, in batches, with no leaks', async () => {
    const p = 11;
    const model = createTransformer(modularAdditionConfig(p, { dModel: 16, nHeads: 2, dMlp: 24, seed: 5 }));
    const before = tf.memory().numTensors;
    const analysis = await analyzeModel(model, { batchSize: 50 }); // 121 pairs in 3 batches
    expect(tf.memory().numTensors).toBe(before);

    // The same analysis from tensors computed independently: the full forward at every pair, read by hand.
    const all = modularArithmetic({ p }).all();
    const inputs = tf.tidy(() => {
      const tokens = tf.tensor2d(all.tokens, [all.size, 3], 'int32');
      const { logits, cache } = model.runWithCache(tokens, { names: ['blocks.0.mlp.hook_post', 'blocks.0.attn.hook_pattern'] });
      const neuronActs = tf.reshape(tf.slice(cache.get('blocks.0.mlp.hook_post'), [0, 2, 0], [-1, 1, -1]), [all.size, -1]);
      const attnPattern = tf.reshape(tf.slice(cache.get('blocks.0.attn.hook_pattern'), [0, 0, 2, 0], [-1, -1, 1, 1]), [all.size, -1]);
      const W_L = tf.matMul(model.params['blocks.0.mlp.W_out']!, model.params['unembed.W_U']!);
      const last = tf.reshape(tf.slice(logits, [0, 2, 0], [-1, 1, -1]), [all.size, -1]);
      cache.dispose();
      return { W_L, logits: last, neuronActs, attnPattern };
    });
    const expected = analyzeModularAddition({ p, W_E: model.params['embed.W_E'], ...inputs });
    tf.dispose(Object.values(inputs));
    expect(analysis.keyFrequencies).toEqual(expected.keyFrequencies);
    expect(analysis.embedding!.norms.componentNorms).toEqual(expected.embedding!.norms.componentNorms);
    for (const [i, v] of analysis.logits!.fit.alphas.entries()) expect(v).toBeCloseTo(expected.logits!.fit.alphas[i]!, 4);
    for (const [i, f] of analysis.neurons!.fractions.entries()) {
      for (const [k, v] of f.entries()) expect(v).toBeCloseTo(expected.neurons!.fractions[i]![k]!, 4);
    }
    expect(analysis.samples.attention).toHaveLength(2);
    expect(analysis.samples.attention[0]!.values).toHaveLength(p * p);
    expect(analysis.samples.neurons.length).toBeGreaterThanOrEqual(1);
    expect(analysis.samples.neurons[0]!.values).toHaveLength(p * p);
    model.dispose();
  });

  it('analyses the MLP (no attention) and names a model that is not modular addition', async () => {
    const mlp = createMlp(defineMlpConfig({ p: 7, dHidden: 16 }));
    const analysis = await analyzeModel(mlp);
    expect(analysis.p).toBe(7);
    expect(analysis.samples.attention).toEqual([]);
    expect(analysis.attention).toBeNull();
    mlp.dispose();
    const other = createTransformer(modularAdditionConfig(7, { nCtx: 5 } as never));
    expect(() => modulusOf(other)).toThrow(/expected a modular-addition model \(n_ctx 3, d_vocab = d_vocab_out \+ 1\), got n_ctx 5/);
    other.dispose();
  });
});
