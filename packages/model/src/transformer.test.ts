// The transformer's forward against hand-built weights whose outputs can be worked out by hand.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { eye, handBuilt } from './test/weights';

const close = (actual: tf.Tensor, expected: number[][][], digits = 5) => {
  const got = actual.arraySync() as number[][][];
  expect(actual.shape).toEqual([expected.length, expected[0]!.length, expected[0]![0]!.length]);
  got.forEach((row, b) => row.forEach((vec, p) => vec.forEach((v, k) => expect(v).toBeCloseTo(expected[b]![p]![k]!, digits))));
};

beforeAll(async () => {
  await readyBackend('cpu');
});

describe('transformer forward, hand-built weights', () => {
  // W_E, W_V, W_O, W_U identities and W_Q = W_K = 0: every query attends uniformly to positions 0..i, so
  // logits[i] = onehot(t_i) + mean_{j<=i} onehot(t_j).
  const uniform = () => handBuilt(
    { nLayers: 1, dModel: 4, nHeads: 1, nCtx: 3, dVocab: 4, attnOnly: true },
    { 'embed.W_E': eye(4), 'blocks.0.attn.W_V': [eye(4)], 'blocks.0.attn.W_O': [eye(4)], 'unembed.W_U': eye(4) },
  );

  it('averages causally when queries and keys are zero', () => {
    const model = uniform();
    const tokens = tf.tensor2d([[2, 0, 2], [1, 1, 3]], [2, 3], 'int32');
    close(model.forward(tokens), [
      [[0, 0, 2, 0], [1.5, 0, 0.5, 0], [1 / 3, 0, 5 / 3, 0]],
      [[0, 2, 0, 0], [0, 2, 0, 0], [0, 2 / 3, 0, 4 / 3]],
    ]);
    const { logits, cache } = model.runWithCache(tokens, { names: ['blocks.0.attn.hook_pattern', 'blocks.0.attn.hook_attn_scores'] });
    const third = 1 / 3;
    close(tf.squeeze(cache.get('blocks.0.attn.hook_pattern'), [1]), [[[1, 0, 0], [0.5, 0.5, 0], [third, third, third]], [[1, 0, 0], [0.5, 0.5, 0], [third, third, third]]]);
    const scores = cache.get('blocks.0.attn.hook_attn_scores').arraySync()[0]![0]!;
    expect(scores).toEqual([[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]]);
    tf.dispose([logits, tokens]);
    cache.dispose();
    model.dispose();
  });

  it('scales scores by 1/sqrt(d_head) and applies the value, output and unembed biases', () => {
    // d_head 4: q = 2 ln3 x_0 (first head dim), k = x_0, so the scaled score of key j at query 1 is ln3 * x0_j.
    // Tokens [1, 0]: position 1 scores keys [0, ln3] -> pattern [1/4, 3/4]; v = x_0 + 2 x_1 = [2, 1] -> z = 1.25.
    const a = 2 * Math.log(3);
    const model = handBuilt(
      { nLayers: 1, dModel: 2, nHeads: 1, dHead: 4, nCtx: 2, dVocab: 2, attnOnly: true },
      {
        'embed.W_E': eye(2),
        'blocks.0.attn.W_Q': [[[a, 0, 0, 0], [0, 0, 0, 0]]],
        'blocks.0.attn.W_K': [[[1, 0, 0, 0], [0, 0, 0, 0]]],
        'blocks.0.attn.W_V': [[[1, 0, 0, 0], [2, 0, 0, 0]]],
        'blocks.0.attn.W_O': [[[1, -1], [0, 0], [0, 0], [0, 0]]],
        'blocks.0.attn.b_O': [0.5, 0],
        'unembed.W_U': eye(2),
        'unembed.b_U': [0, 1],
      },
    );
    const tokens = tf.tensor2d([[1, 0]], [1, 2], 'int32');
    // Position 0 (token 1): attends to itself, v = 2, attn_out = [2, -2] + b_O; resid = [0, 1] + [2.5, -2]; + b_U.
    // Position 1 (token 0): z = 1.25, attn_out = [1.25, -1.25] + b_O; resid = [1, 0] + [1.75, -1.25]; + b_U.
    close(model.forward(tokens), [[[2.5, 0], [2.75, -0.25]]]);
    const { logits, cache } = model.runWithCache(tokens, { names: ['blocks.0.attn.hook_pattern', 'blocks.0.attn.hook_z'] });
    close(tf.squeeze(cache.get('blocks.0.attn.hook_pattern'), [1]), [[[1, 0], [0.25, 0.75]]]);
    expect(cache.get('blocks.0.attn.hook_z').arraySync()[0]![1]![0]![0]).toBeCloseTo(1.25, 6);
    tf.dispose([logits, tokens]);
    cache.dispose();
    model.dispose();
  });

  it.each([
    ['relu', [0.5, 0], [2.1, 0]],
    // GELU(x) = x Phi(x) with Phi(0.5) = 0.6914624613, Phi(-0.5) = 0.3085375387.
    ['gelu', [0.5 * 0.6914624613, -0.5 * 0.3085375387], [1 + 2 * 0.5 * 0.6914624613 + 0.1, 3 * -0.5 * 0.3085375387]],
  ] as const)('runs the MLP with %s: pre = x W_in + b_in, out = act(pre) W_out + b_out', (actFn, post, logits) => {
    // Attention contributes nothing (W_V = W_O = 0); token 0 embeds as [1, 0]; pre = [0.5, -0.5].
    const model = handBuilt(
      { nLayers: 1, dModel: 2, nHeads: 1, dMlp: 2, nCtx: 1, dVocab: 1, dVocabOut: 2, actFn },
      {
        'embed.W_E': [[1, 0]],
        'blocks.0.mlp.W_in': eye(2),
        'blocks.0.mlp.b_in': [-0.5, -0.5],
        'blocks.0.mlp.W_out': [[2, 0], [0, 3]],
        'blocks.0.mlp.b_out': [0.1, 0],
        'unembed.W_U': eye(2),
      },
    );
    const tokens = tf.tensor2d([[0]], [1, 1], 'int32');
    const run = model.runWithCache(tokens, { names: ['blocks.0.mlp.hook_pre', 'blocks.0.mlp.hook_post'] });
    close(run.cache.get('blocks.0.mlp.hook_pre'), [[[0.5, -0.5]]]);
    close(run.cache.get('blocks.0.mlp.hook_post'), [[[...post]]], 6);
    close(run.logits, [[[...logits]]], 6);
    tf.dispose([run.logits, tokens]);
    run.cache.dispose();
    model.dispose();
  });

  it('applies LayerNorm as (x - mean) / sqrt(mean square + 1e-5) * w + b', () => {
    const model = handBuilt(
      { nLayers: 1, dModel: 4, nHeads: 1, nCtx: 1, dVocab: 1, dVocabOut: 4, attnOnly: true, normalizationType: 'LN' },
      { 'embed.W_E': [[1, 2, 3, 4]], 'ln_final.w': [1, 1, 2, 1], 'ln_final.b': [0, 0, 0, 1], 'unembed.W_U': eye(4) },
    );
    const tokens = tf.tensor2d([[0]], [1, 1], 'int32');
    const s = Math.sqrt(1.25 + 1e-5);
    const { logits, cache } = model.runWithCache(tokens, { names: (n) => n.startsWith('ln_final') });
    close(logits, [[[-1.5 / s, -0.5 / s, 1 / s, 1.5 / s + 1]]], 6);
    expect(cache.get('ln_final.hook_scale').arraySync()[0]![0]![0]).toBeCloseTo(s, 6);
    expect(cache.names()).toEqual(['ln_final.hook_scale', 'ln_final.hook_normalized']);
    tf.dispose([logits, tokens]);
    cache.dispose();
    model.dispose();
  });

  it('adds learned positional embeddings', () => {
    const model = handBuilt(
      { nLayers: 1, dModel: 2, nHeads: 1, nCtx: 3, dVocab: 1, dVocabOut: 2, attnOnly: true },
      { 'embed.W_E': [[1, 1]], 'pos_embed.W_pos': [[0, 1], [2, 0], [5, 5]], 'unembed.W_U': eye(2) },
    );
    const tokens = tf.tensor2d([[0, 0], [0, 0]], [2, 2], 'int32'); // shorter than n_ctx: uses W_pos[0:2]
    close(model.forward(tokens), [[[1, 2], [3, 1]], [[1, 2], [3, 1]]]);
    tokens.dispose();
    model.dispose();
  });

  it('rejects bad tokens and positions with clear errors', () => {
    const model = uniform();
    expect(() => model.forward(tf.tensor2d([[0, 1, 2]], [1, 3]))).toThrow('tokens must be an int32 tensor [batch, pos], got float32 of shape [1,3]');
    expect(() => model.forward(tf.zeros([1, 4], 'int32') as tf.Tensor2D)).toThrow('tokens have 4 positions; this model takes 1 to 3 (n_ctx)');
    const tokens = tf.zeros([1, 3], 'int32') as tf.Tensor2D;
    expect(() => model.forward(tokens, [3])).toThrow('positions must be integers in [0, 3), got 3');
    expect(() => model.forward(tokens, [])).toThrow('positions must be a non-empty list');
    tokens.dispose();
    model.dispose();
  });
});
