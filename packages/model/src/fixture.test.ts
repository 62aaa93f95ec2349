// Our forward against PyTorch's (fixtures/make_fixture.py): logits and every hook, on cpu and wasm.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { loadModel } from './serialize';
import { FIXTURES, fixtureExpected, fixtureWeights, intTensor, maxRelError } from './test/fixtures';

const TOLERANCE = 1e-5;

describe.each(['cpu', 'wasm'] as const)('on %s, the forward matches PyTorch', (backend) => {
  beforeAll(async () => {
    await readyBackend(backend, backend === 'wasm' ? { threads: 1 } : {});
  });

  it.each(FIXTURES)('%s: logits and every hook', (name) => {
    const expected = fixtureExpected(name);
    const model = loadModel(fixtureWeights(name));
    const tokens = intTensor(expected.tokens!) as tf.Tensor2D;
    const { logits, cache } = model.runWithCache(tokens);
    expect(logits.shape).toEqual(expected.logits!.shape);
    expect(maxRelError(logits.dataSync(), expected.logits!.data as Float32Array)).toBeLessThan(TOLERANCE);
    const hookNames = (cache.names() as string[]).sort();
    const expectedHooks = Object.keys(expected).filter((k) => k.includes('hook_')).sort();
    expect(hookNames).toEqual(expectedHooks);
    for (const hook of expectedHooks) {
      const actual = (cache as { get(n: string): tf.Tensor }).get(hook);
      expect([hook, actual.shape]).toEqual([hook, expected[hook]!.shape]);
      const err = maxRelError(actual.dataSync(), expected[hook]!.data as Float32Array);
      if (!(err < TOLERANCE)) throw new Error(`${hook} differs from PyTorch's by ${err}`);
    }
    logits.dispose();
    cache.dispose();
    tokens.dispose();
    model.dispose();
  });

  it.each(FIXTURES.filter((n) => n !== 'mlp-p7'))('%s: scored positions give the full forward\'s logits there', (name) => {
    const expected = fixtureExpected(name);
    const model = loadModel(fixtureWeights(name));
    const tokens = intTensor(expected.tokens!) as tf.Tensor2D;
    const [batch, nPos] = tokens.shape;
    const vocab = expected.logits!.shape[2]!;
    const full = expected.logits!.data as Float32Array;
    for (const positions of [[nPos - 1], [0, nPos - 1], [nPos - 1, 1, 2]]) {
      const logits = model.forward(tokens, positions);
      expect(logits.shape).toEqual([batch, positions.length, vocab]);
      const want = new Float32Array(batch * positions.length * vocab);
      for (let b = 0; b < batch; b++) {
        positions.forEach((p, j) => want.set(full.subarray((b * nPos + p) * vocab, (b * nPos + p + 1) * vocab), (b * positions.length + j) * vocab));
      }
      expect(maxRelError(logits.dataSync(), want)).toBeLessThan(TOLERANCE);
      logits.dispose();
    }
    tokens.dispose();
    model.dispose();
  });
});
