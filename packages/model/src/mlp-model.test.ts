// The 2-layer MLP against a hand computation.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { defineMlpConfig } from './config';
import { createMlp } from './mlp-model';
import { loadStateDict } from './state-dict';

beforeAll(async () => {
  await readyBackend('cpu');
});

function handBuiltMlp() {
  const model = createMlp(defineMlpConfig({ p: 3, dHidden: 2 }));
  loadStateDict(model, {
    'mlp.W_in': { shape: [3, 2], data: Float32Array.of(1, 0, 0, 1, 1, 1) },
    'mlp.b_in': { shape: [2], data: Float32Array.of(0, -1) },
    'mlp.W_out': { shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) },
    'mlp.b_out': { shape: [3], data: Float32Array.of(0, 0, 1) },
  });
  return model;
}

describe('the 2-layer MLP', () => {
  it('computes W_out relu((onehot x + onehot y) W_in + b_in) + b_out at the last position', () => {
    const model = handBuiltMlp();
    // (x, y) = (2, 1): pre = W_in[1] + W_in[2] + b_in = [1, 1]; logits = [1+4, 2+5, 3+6] + b_out.
    // (0, 0): pre = 2 W_in[0] + b_in = [2, -1] -> post [2, 0]; logits = [2, 4, 6] + b_out.
    // The '=' token (here 9, outside [0, p)) is never read.
    const tokens = tf.tensor2d([[2, 1, 9], [0, 0, 9]], [2, 3], 'int32');
    expect(model.forward(tokens).arraySync()).toEqual([[[5, 7, 10]], [[2, 4, 7]]]);
    expect(model.forward(tokens, [2]).arraySync()).toEqual([[[5, 7, 10]], [[2, 4, 7]]]);
    const { logits, cache } = model.runWithCache(tokens);
    expect(cache.get('mlp.hook_pre').arraySync()).toEqual([[[1, 1]], [[2, -1]]]);
    expect(cache.get('mlp.hook_post').arraySync()).toEqual([[[1, 1]], [[2, 0]]]);
    const ablated = model.runWithHooks(tokens, { 'mlp.hook_post': (act) => tf.mul(act, tf.tensor1d([1, 0])) });
    expect(ablated.arraySync()).toEqual([[[1, 2, 4]], [[2, 4, 7]]]);
    tf.dispose([tokens, logits, ablated]);
    cache.dispose();
    model.dispose();
  });

  it('rejects positions other than the last and malformed tokens', () => {
    const model = handBuiltMlp();
    const tokens = tf.tensor2d([[2, 1, 9]], [1, 3], 'int32');
    expect(() => model.forward(tokens, [0])).toThrow('the MLP computes logits only at the last position [2], got positions [0]');
    expect(() => model.forward(tf.tensor2d([[1]], [1, 1], 'int32'))).toThrow('pos >= 2');
    // @ts-expect-error the MLP has no attention hooks
    expect(() => model.runWithHooks(tokens, { 'blocks.0.attn.hook_pattern': (x: tf.Tensor) => x })).toThrow(/not a hook of this model/);
    tokens.dispose();
    model.dispose();
  });

  it('keeps the tensor count flat', () => {
    const model = handBuiltMlp();
    const tokens = tf.tensor2d([[2, 1, 9]], [1, 3], 'int32');
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) tf.dispose(model.forward(tokens));
    expect(tf.memory().numTensors).toBe(before);
    tokens.dispose();
    model.dispose();
  });
});
