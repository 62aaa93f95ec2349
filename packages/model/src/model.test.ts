// The Model contract: this package's models and a hand-written one fit it, the kind types the config, and a cache
// asked for through the contract (string names) reads the same activations as the typed call.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { defineMlpConfig, type MlpConfig, type TransformerConfig } from './config';
import { createMlp } from './mlp-model';
import { isModelKind, type Model } from './model';
import { modularAdditionConfig } from './presets';
import { createTransformer } from './transformer';

beforeAll(async () => {
  await readyBackend('cpu');
});

/** A hand-written model: logits = one row of `w` per token, whatever the position. */
function tinyModel(width: number): Model<'tiny', { width: number }> {
  const w = tf.variable(tf.eye(width));
  return {
    kind: 'tiny',
    config: { width },
    params: { w },
    forward: (tokens) =>
      tf.tidy(() => tf.reshape<tf.Rank.R3>(tf.gather(w, tf.reshape(tokens, [-1])), [...tokens.shape, width])), // [batch, pos, width]
    dispose: () => w.dispose(),
  };
}

describe('the Model contract', () => {
  it('types the config by kind, for the models of this package and hand-written ones alike', () => {
    const transformer: Model<'transformer'> = createTransformer(modularAdditionConfig(5, 0));
    const mlp: Model<'mlp'> = createMlp(defineMlpConfig({ p: 5, dHidden: 4 }));
    const tiny = tinyModel(3);
    const models: Model[] = [transformer, mlp, tiny];
    // @ts-expect-error a model of kind 'transformer' carries a TransformerConfig
    const lying: Model<'transformer', { width: number }> = tiny as never;
    expect(lying).toBe(tiny);
    const sizes = models.map((m) => {
      if (isModelKind(m, 'mlp')) return (m.config satisfies MlpConfig).p;
      if (isModelKind(m, 'transformer')) return (m.config satisfies TransformerConfig).dVocabOut;
      return null; // a hand-written model's config is unknown here
    });
    expect(sizes).toEqual([5, 5, null]);
    const tokens = tf.tensor2d([[0, 2]], [1, 2], 'int32');
    const logits = tiny.forward(tokens);
    expect(logits.arraySync()).toEqual([[[1, 0, 0], [0, 0, 1]]]);
    tf.dispose([tokens, logits]);
    for (const m of models) m.dispose();
  });

  it('records activations through the contract as the typed call does, and names a hook the model lacks', () => {
    const model = createTransformer(modularAdditionConfig(5, 0));
    const asContract: Model = model;
    const tokens = tf.tensor2d([[1, 2, 5]], [1, 3], 'int32');
    const hook: string = 'blocks.0.attn.hook_pattern';
    const viaContract = asContract.runWithCache!(tokens, { names: [hook], positions: [2] });
    const typed = model.runWithCache(tokens, { names: ['blocks.0.attn.hook_pattern'], positions: [2] });
    expect(viaContract.cache.get(hook).rank).toBe(4);
    expect(viaContract.cache.get(hook).arraySync()).toEqual(typed.cache.get('blocks.0.attn.hook_pattern').arraySync());
    expect(() => asContract.runWithCache!(tokens, { names: ['blocks.0.mlp.hook_psot'] })).toThrow(/"blocks.0.mlp.hook_psot" is not a hook of this model/);
    tf.dispose([tokens, viaContract.logits, typed.logits]);
    viaContract.cache.dispose();
    typed.cache.dispose();
    model.dispose();
  });
});
