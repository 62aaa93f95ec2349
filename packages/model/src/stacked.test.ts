// Stacked models against independent answers: each member's logits and gradients against PyTorch's for the fixture
// models (a fixture stacked beside another model), and against the member alone on the general path; initial
// weights against createTransformer's. On cpu and wasm.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { modularAdditionConfig } from './presets';
import { loadModel } from './serialize';
import { createStackedTransformer, stackTransformers } from './stacked';
import { stateDict } from './state-dict';
import { FIXTURES, fixtureExpected, fixtureWeights, intTensor, maxRelError } from './test/fixtures';
import { createTransformer, type HookedTransformer } from './transformer';

/** Mean cross-entropy of logits [..., vocab] against int32 targets [...]. */
function crossEntropy(logits: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  const onehot = tf.cast(tf.oneHot(targets, logits.shape[logits.rank - 1]!), 'float32'); // [..., vocab]
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), onehot), -1))) as tf.Scalar;
}

const TRANSFORMER_FIXTURES = FIXTURES.filter((name) => !name.startsWith('mlp'));

describe.each(['cpu', 'wasm'] as const)('stacked transformers on %s', (backend) => {
  beforeAll(async () => {
    await readyBackend(backend, backend === 'wasm' ? { threads: 1 } : {});
  });

  it.each(TRANSFORMER_FIXTURES)('%s: a member stacked beside another has PyTorch\'s logits and gradients, the other its own', (name) => {
    const expected = fixtureExpected(name);
    const fixture = loadModel(fixtureWeights(name)) as HookedTransformer;
    const other = createTransformer({ ...fixture.config, seed: 11 });
    other.fastPath = false;
    const stack = stackTransformers([other, fixture]); // the fixture is member 1, so its rows and tables are offset
    const tokens = intTensor(expected.tokens!) as tf.Tensor2D;
    const targets = intTensor(expected.targets!);
    const before = tf.memory().numTensors;

    const logits = stack.forward(tokens); // [2, batch, pos, vocab]
    const [otherLogits, fixtureLogits] = tf.unstack(logits);
    expect(maxRelError(fixtureLogits!.dataSync(), expected.logits!.data as Float32Array)).toBeLessThan(1e-5);
    const alone = other.forward(tokens);
    expect(maxRelError(otherLogits!.dataSync(), alone.dataSync())).toBeLessThan(1e-5);
    tf.dispose([logits, otherLogits!, fixtureLogits!, alone]);

    // The summed loss: each member's slice of each gradient is that member's own gradient.
    const { value, grads } = tf.variableGrads(() => {
      const [a, b] = tf.unstack(stack.forward(tokens));
      return tf.add(crossEntropy(a!, targets), crossEntropy(b!, targets)) as tf.Scalar;
    }, Object.values(stack.params));
    const otherGrads = tf.variableGrads(() => crossEntropy(other.forward(tokens), targets), Object.values(other.params));
    for (const [param, variable] of Object.entries(stack.params)) {
      const [gOther, gFixture] = tf.unstack(grads[variable.name]!);
      const fixtureErr = maxRelError(gFixture!.dataSync(), expected[`grad.${param}`]!.data as Float32Array);
      if (!(fixtureErr < 1e-5)) throw new Error(`${param}: member 1's gradient differs from PyTorch's by ${fixtureErr}`);
      const otherErr = maxRelError(gOther!.dataSync(), otherGrads.grads[other.params[param]!.name]!.dataSync());
      if (!(otherErr < 1e-5)) throw new Error(`${param}: member 0's gradient differs from its own alone by ${otherErr}`);
      tf.dispose([gOther!, gFixture!]);
    }
    const ownLoss = otherGrads.value.dataSync()[0]! + (expected.loss!.data as Float32Array)[0]!;
    expect(Math.abs(value.dataSync()[0]! - ownLoss)).toBeLessThan(2e-5);
    tf.dispose([value, otherGrads.value, ...Object.values(grads), ...Object.values(otherGrads.grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([tokens, targets]);
    [stack, fixture, other].forEach((m) => m.dispose());
  });

  it('computes only the asked positions, as each member does alone', () => {
    const config = modularAdditionConfig(7);
    const stack = createStackedTransformer(config, [0, 1, 2]);
    const tokens = tf.tensor2d([[1, 2, 7], [6, 5, 7], [3, 3, 7]], [3, 3], 'int32');
    const logits = stack.forward(tokens, [2]); // [3, 3, 1, 7]
    expect(logits.shape).toEqual([3, 3, 1, 7]);
    for (let k = 0; k < 3; k++) {
      const member = stack.member(k);
      const own = member.forward(tokens, [2]); // the fused path where it applies
      const slice = tf.slice(logits, [k], [1]);
      expect(maxRelError(slice.dataSync(), own.dataSync())).toBeLessThan(1e-5);
      tf.dispose([own, slice]);
      member.dispose();
    }
    tf.dispose([logits, tokens]);
    stack.dispose();
  });
});

describe.each(['cpu', 'wasm'] as const)('stacked transformers on a batch per member, on %s', (backend) => {
  beforeAll(async () => {
    await readyBackend(backend, backend === 'wasm' ? { threads: 1 } : {});
  });

  it('gives each member its own logits and gradients on its own tokens', () => {
    const config = { ...modularAdditionConfig(7), dModel: 16, nHeads: 2, dHead: 8, dMlp: 32, nLayers: 2 };
    const stack = createStackedTransformer(config, [0, 1, 2]);
    const own = [[[1, 2, 7], [6, 5, 7]], [[3, 3, 7], [0, 6, 7]], [[4, 1, 7], [2, 2, 7]]];
    const tokens = tf.tensor3d(own, [3, 2, 3], 'int32');
    const targets = tf.tensor2d([[3, 4], [6, 6], [5, 4]], [3, 2], 'int32');
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => {
      const logits = stack.forward(tokens, [2]); // [3, 2, 1, 7]
      return tf.addN(tf.unstack(logits).map((l, k) => crossEntropy(l, tf.reshape(tf.slice(targets, [k], [1]), [2, 1])))) as tf.Scalar;
    }, Object.values(stack.params));
    let total = 0;
    for (let k = 0; k < 3; k++) {
      const member = stack.member(k);
      member.fastPath = false;
      tf.tidy(() => {
        const memberTokens = tf.tensor2d(own[k]!, [2, 3], 'int32');
        const memberTargets = tf.reshape(tf.slice(targets, [k], [1]), [2, 1]);
        const alone = tf.variableGrads(() => crossEntropy(member.forward(memberTokens, [2]), memberTargets), Object.values(member.params));
        total += alone.value.dataSync()[0]!;
        for (const [param, variable] of Object.entries(stack.params)) {
          const mine = tf.squeeze(tf.slice(grads[variable.name]!, [k], [1]), [0]);
          const err = maxRelError(mine.dataSync(), alone.grads[member.params[param]!.name]!.dataSync());
          if (!(err < 1e-5)) throw new Error(`${param}: member ${k}'s gradient differs from its own alone by ${err}`);
        }
      });
      member.dispose();
    }
    expect(Math.abs(value.dataSync()[0]! - total)).toBeLessThan(1e-5 * (1 + total));
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    // A batch per member must have one batch per member.
    const two = tf.zeros([2, 2, 3], 'int32') as tf.Tensor3D;
    expect(() => stack.forward(two)).toThrow('tokens must be an int32 tensor [batch, pos] or [3, batch, pos] (a batch per model), got int32 of shape [2,2,3]');
    tf.dispose([two, tokens, targets]);
    stack.dispose();
  });
});

describe('stacked transformers: making and taking apart', () => {
  beforeAll(async () => {
    await readyBackend('cpu');
  });

  it('starts member k with exactly the weights createTransformer gives its seed', () => {
    const config = modularAdditionConfig(7);
    const stack = createStackedTransformer(config, [3, 5]);
    expect(stack.size).toBe(2);
    expect(stack.params['blocks.0.mlp.W_in']!.shape).toEqual([2, 128, 512]);
    for (const [k, seed] of [[0, 3], [1, 5]] as const) {
      const member = stack.member(k);
      const alone = createTransformer({ ...config, seed });
      expect(member.config).toEqual(alone.config);
      expect(stateDict(member)).toEqual(stateDict(alone));
      member.dispose();
      alone.dispose();
    }
    stack.dispose();
  });

  it('loads each member from its own state dict, and names a bad one', () => {
    const config = modularAdditionConfig(5);
    const stack = createStackedTransformer(config, [0, 1]);
    const a = createTransformer({ ...config, seed: 8 });
    const b = createTransformer({ ...config, seed: 9 });
    stack.loadMembers([stateDict(a), stateDict(b)]);
    const member = stack.member(1);
    expect(stateDict(member)).toEqual(stateDict(b));
    expect(() => stack.loadMembers([stateDict(a)])).toThrow('expected 2 state dicts (one per member), got 1');
    const broken = stateDict(a);
    delete broken['unembed.b_U'];
    expect(() => stack.loadMembers([stateDict(a), broken])).toThrow(/member 1: .*missing unembed\.b_U/);
    [stack, a, b, member].forEach((m) => m.dispose());
  });

  it('rejects bad seeds, members and mixed configs by name', () => {
    const config = modularAdditionConfig(5);
    expect(() => createStackedTransformer(config, [])).toThrow('seeds must be a non-empty list, got []');
    expect(() => createStackedTransformer(config, [0, 1.5])).toThrow('seed must be a safe integer, got 1.5');
    const stack = createStackedTransformer(config, [0]);
    expect(() => stack.member(1)).toThrow('member must be an integer in [0, 1), got 1');
    const small = createTransformer(modularAdditionConfig(5));
    const wide = createTransformer({ ...modularAdditionConfig(5), dMlp: 8 });
    expect(() => stackTransformers([small, wide])).toThrow(/model 1 has config .*"dMlp":8.*differ only in seed/);
    [stack, small, wide].forEach((m) => m.dispose());
  });
});
