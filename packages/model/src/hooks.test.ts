// Hook points: every name and its documented shape, caching, replacing activations, and no leaks.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { defineTransformerConfig } from './config';
import { createTransformer } from './transformer';
import { transformerHookNames, type HookName } from './hooks';
import { eye, handBuilt } from './test/weights';

beforeAll(async () => {
  await readyBackend('cpu');
});

// batch 3, pos 4, d_model 6, n_heads 2, d_head 5 (not d_model / n_heads, to catch mix-ups), d_mlp 7.
const config = defineTransformerConfig({
  nLayers: 2, dModel: 6, nHeads: 2, dHead: 5, dMlp: 7, nCtx: 4, dVocab: 9, dVocabOut: 8, normalizationType: 'LN', actFn: 'gelu', seed: 3,
});
const tokens = () => tf.tensor2d([[0, 1, 2, 3], [8, 7, 6, 5], [4, 4, 4, 4]], [3, 4], 'int32');

/** The documented shapes, written out by hand: [batch, pos, ...] and [batch, heads, query_pos, key_pos]. */
function expectedShapes(q: number): Record<string, number[]> {
  const shapes: Record<string, number[]> = { hook_embed: [3, 4, 6], hook_pos_embed: [3, 4, 6] };
  for (const [i, n] of [[0, 4], [1, q]] as const) {
    Object.assign(shapes, {
      [`blocks.${i}.hook_resid_pre`]: [3, 4, 6],
      [`blocks.${i}.ln1.hook_scale`]: [3, 4, 1],
      [`blocks.${i}.ln1.hook_normalized`]: [3, 4, 6],
      [`blocks.${i}.attn.hook_q`]: [3, n, 2, 5],
      [`blocks.${i}.attn.hook_k`]: [3, 4, 2, 5],
      [`blocks.${i}.attn.hook_v`]: [3, 4, 2, 5],
      [`blocks.${i}.attn.hook_attn_scores`]: [3, 2, n, 4],
      [`blocks.${i}.attn.hook_pattern`]: [3, 2, n, 4],
      [`blocks.${i}.attn.hook_z`]: [3, n, 2, 5],
      [`blocks.${i}.hook_attn_out`]: [3, n, 6],
      [`blocks.${i}.hook_resid_mid`]: [3, n, 6],
      [`blocks.${i}.ln2.hook_scale`]: [3, n, 1],
      [`blocks.${i}.ln2.hook_normalized`]: [3, n, 6],
      [`blocks.${i}.mlp.hook_pre`]: [3, n, 7],
      [`blocks.${i}.mlp.hook_post`]: [3, n, 7],
      [`blocks.${i}.hook_mlp_out`]: [3, n, 6],
      [`blocks.${i}.hook_resid_post`]: [3, n, 6],
    });
  }
  return Object.assign(shapes, { 'ln_final.hook_scale': [3, q, 1], 'ln_final.hook_normalized': [3, q, 6] });
}

describe('runWithCache', () => {
  it('caches every hook with its documented shape, in forward order', () => {
    const model = createTransformer(config);
    const t = tokens();
    const { logits, cache } = model.runWithCache(t);
    const want = expectedShapes(4);
    expect(cache.names()).toEqual(transformerHookNames(config));
    expect(cache.size).toBe(Object.keys(want).length);
    expect(Object.fromEntries(cache.names().map((n) => [n, cache.get(n).shape]))).toEqual(want);
    expect(logits.shape).toEqual([3, 4, 8]);
    // The pattern's rows are distributions over earlier positions.
    const pattern = cache.get('blocks.1.attn.hook_pattern').arraySync();
    for (const row of pattern.flat(2)) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(pattern[0]![0]![0]).toEqual([1, 0, 0, 0]);
    tf.dispose([logits, t]);
    cache.dispose();
    model.dispose();
  });

  it('with scored positions, narrows the last block to them and keeps logits equal', () => {
    const model = createTransformer(config);
    const t = tokens();
    const full = model.forward(t);
    const { logits, cache } = model.runWithCache(t, { positions: [3] });
    expect(Object.fromEntries(cache.names().map((n) => [n, cache.get(n).shape]))).toEqual(expectedShapes(1));
    expect(logits.arraySync()).toEqual(tf.slice(full, [0, 3, 0], [3, 1, 8]).arraySync());
    tf.dispose([logits, t, full]);
    cache.dispose();
    model.dispose();
  });

  it('caches only the names asked for, and says which exist when asked for another', () => {
    const model = createTransformer(config);
    const t = tokens();
    const { logits, cache } = model.runWithCache(t, { names: ['blocks.0.attn.hook_pattern'] });
    expect(cache.names()).toEqual(['blocks.0.attn.hook_pattern']);
    expect(() => cache.get('blocks.1.attn.hook_pattern')).toThrow('hook blocks.1.attn.hook_pattern is not in this cache; cached: blocks.0.attn.hook_pattern');
    expect(() => model.runWithCache(t, { names: ['blocks.2.hook_resid_pre'] })).toThrow(/"blocks.2.hook_resid_pre" is not a hook of this model; its hooks are hook_embed, hook_pos_embed/);
    tf.dispose([logits, t]);
    cache.dispose();
    model.dispose();
  });

  it('leaves no tensors behind once the cache is disposed, and nothing attached', () => {
    const model = createTransformer(config);
    const t = tokens();
    const reference = model.forward(t);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const { logits, cache } = model.runWithCache(t);
      logits.dispose();
      cache.dispose();
      tf.dispose(model.runWithHooks(t, { 'blocks.0.hook_mlp_out': (act) => tf.mul(act, 0) }));
      tf.dispose(model.forward(t, [1, 3]));
    }
    expect(tf.memory().numTensors).toBe(before);
    const after = model.forward(t);
    expect(after.arraySync()).toEqual(reference.arraySync());
    tf.dispose([t, reference, after]);
    model.dispose();
  });

  it('keeps the tensor count flat over repeated forward passes and frees what a failing hook cached', () => {
    const model = createTransformer(config);
    const t = tokens();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) tf.dispose(model.forward(t));
    expect(tf.memory().numTensors).toBe(before);
    const failing = () => model.runWithCache(t, { hooks: { 'blocks.1.hook_resid_pre': () => tf.zeros([1]) } });
    expect(failing).toThrow('hook blocks.1.hook_resid_pre returned shape [1], expected a tensor of shape [3,4,6]');
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
    model.dispose();
  });
});

describe('runWithHooks', () => {
  // Uniform causal attention (see transformer.test.ts): logits[i] = onehot(t_i) + mean_{j<=i} onehot(t_j).
  const uniform = () => handBuilt(
    { nLayers: 1, dModel: 4, nHeads: 1, nCtx: 3, dVocab: 4, attnOnly: true },
    { 'embed.W_E': eye(4), 'blocks.0.attn.W_V': [eye(4)], 'blocks.0.attn.W_O': [eye(4)], 'unembed.W_U': eye(4) },
  );

  it('replaces an activation: a pattern patched to attend to self doubles each token', () => {
    const model = uniform();
    const t = tf.tensor2d([[2, 0, 1]], [1, 3], 'int32');
    const seen: HookName[] = [];
    const logits = model.runWithHooks(t, {
      'blocks.0.attn.hook_pattern': (pattern, name) => {
        seen.push(name);
        expect(pattern.shape).toEqual([1, 1, 3, 3]);
        return tf.reshape(tf.eye(3), [1, 1, 3, 3]);
      },
    });
    expect(seen).toEqual(['blocks.0.attn.hook_pattern']);
    expect(logits.arraySync()).toEqual([[[0, 0, 2, 0], [2, 0, 0, 0], [0, 2, 0, 0]]]);
    // Zero-ablating the attention output leaves the direct path: logits = onehot(tokens).
    const ablated = model.runWithHooks(t, { 'blocks.0.hook_attn_out': (act) => tf.zerosLike(act) });
    expect(ablated.arraySync()).toEqual([[[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]]]);
    // A hook that returns nothing only observes.
    const observed = model.runWithHooks(t, { hook_embed: () => undefined });
    expect(observed.arraySync()).toEqual(model.forward(t).arraySync());
    tf.dispose([t, logits, ablated, observed]);
    model.dispose();
  });

  it('rejects hooks this model does not have, and misspelt names do not compile', () => {
    const model = uniform(); // attention-only, 1 layer, no LayerNorm
    const t = tf.tensor2d([[0, 1, 2]], [1, 3], 'int32');
    expect(() => model.runWithHooks(t, { 'blocks.0.mlp.hook_post': (x) => x })).toThrow(/"blocks.0.mlp.hook_post" is not a hook of this model/);
    expect(() => model.runWithHooks(t, { 'blocks.1.hook_resid_pre': (x) => x })).toThrow(/"blocks.1.hook_resid_pre" is not a hook/);
    expect(() => model.runWithHooks(t, { 'ln_final.hook_scale': (x) => x })).toThrow(/"ln_final.hook_scale" is not a hook/);
    // @ts-expect-error misspelt hook name
    expect(() => model.runWithHooks(t, { 'blocks.0.attn.hook_patern': (x: tf.Tensor) => x })).toThrow(/not a hook/);
    // @ts-expect-error misspelt hook name
    expect(() => model.runWithCache(t, { names: ['blocks.0.hook_resid_psot'] })).toThrow(/not a hook/);
    // @ts-expect-error a hook of an unknown component
    expect(() => model.runWithCache(t, { names: ['blocks.0.attn.hook_result'] })).toThrow(/not a hook/);
    t.dispose();
    model.dispose();
  });
});
