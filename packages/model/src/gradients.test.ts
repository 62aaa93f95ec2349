// Gradients of a cross-entropy loss with respect to every parameter, against PyTorch's autograd, on cpu and wasm
// (wasm lacks the kernel tf.gather's gradient needs, so this also checks the embedding's own gradient).
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { embedTokens } from './components/embed';
import { loadModel } from './serialize';
import { FIXTURES, fixtureExpected, fixtureWeights, intTensor, maxRelError } from './test/fixtures';

/** Mean cross-entropy of logits [batch, pos, vocab] against int32 targets [batch, pos]. */
function crossEntropy(logits: tf.Tensor3D, targets: tf.Tensor): tf.Scalar {
  const logProbs = tf.logSoftmax(logits); // [batch, pos, vocab]
  // oneHot's int32 result, cast: tfjs-wasm 4.22's OneHot with dtype 'float32' writes int bit patterns (1 reads as 1e-45).
  const onehot = tf.cast(tf.oneHot(targets as tf.Tensor2D, logits.shape[2]), 'float32'); // [batch, pos, vocab]
  const picked = tf.sum(tf.mul(logProbs, onehot), -1); // [batch, pos]
  return tf.neg(tf.mean(picked)) as tf.Scalar;
}

describe.each(['cpu', 'wasm'] as const)('gradients on %s', (backend) => {
  beforeAll(async () => {
    await readyBackend(backend, backend === 'wasm' ? { threads: 1 } : {});
  });

  it.each(FIXTURES)('%s: loss and the gradient of every parameter match PyTorch', (name) => {
    const expected = fixtureExpected(name);
    const model = loadModel(fixtureWeights(name));
    const tokens = intTensor(expected.tokens!) as tf.Tensor2D;
    const targets = intTensor(expected.targets!);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => crossEntropy(model.forward(tokens), targets), Object.values(model.params));
    expect(Math.abs(value.dataSync()[0]! - (expected.loss!.data as Float32Array)[0]!)).toBeLessThan(1e-5);
    expect(Object.keys(grads).length).toBe(Object.keys(model.params).length);
    for (const [paramName, variable] of Object.entries(model.params)) {
      const grad = grads[variable.name]!;
      const want = expected[`grad.${paramName}`]!;
      expect([paramName, grad.shape]).toEqual([paramName, want.shape]);
      const err = maxRelError(grad.dataSync(), want.data as Float32Array);
      if (!(err < 1e-5)) throw new Error(`${paramName}: gradient differs from PyTorch's by ${err}`);
    }
    value.dispose();
    tf.dispose(grads);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([tokens, targets]);
    model.dispose();
  });

  it('sums the embedding gradient over repeated tokens, as onehot(tokens)^T dy', () => {
    const W = tf.variable(tf.tensor2d([[1, 2], [3, 4], [5, 6]]));
    const tokens = tf.tensor2d([[2, 0, 2], [2, 1, 0]], [2, 3], 'int32');
    const dy = tf.tensor3d([[[1, 0], [0, 1], [2, 2]], [[3, 0], [0, 5], [1, 1]]]);
    const g = tf.grad((w: tf.Tensor) => tf.sum(tf.mul(embedTokens(w as tf.Tensor2D, tokens), dy)))(W);
    // Token 0 at (0,1) and (1,2): [0,1] + [1,1]; token 1 at (1,1): [0,5]; token 2 at (0,0), (0,2), (1,0): [1,0] + [2,2] + [3,0].
    expect(g.arraySync()).toEqual([[1, 2], [0, 5], [6, 2]]);
    expect(embedTokens(W, tokens).arraySync()).toEqual([[[5, 6], [1, 2], [5, 6]], [[5, 6], [3, 4], [1, 2]]]);
    tf.dispose([W, tokens, dy, g]);
  });
});
