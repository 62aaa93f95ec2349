import { readyBackend } from '@grokking/backend';
import { createMlp, createTransformer, defineMlpConfig, defineTransformerConfig, loadStateDict, stateDict } from '@grokking/model';
import { maxElement, modularArithmetic } from '@grokking/tasks';
import { findKeyFrequencies, neuronHook } from './key-frequencies';
import { measureCheckpoint } from './measure-checkpoint';
import { cosW, noLeak } from './test-fixtures';

// A shared 2-core machine can be slow; these budgets are generous, not timings.
jest.setTimeout(60_000);

beforeAll(async () => {
  await readyBackend('cpu');
});

const p = 13;
const task = modularArithmetic({ p });

/**
 * The write-up's MLP with hidden unit j = relu(cos(f_j x + φ_j) + cos(f_j y + φ_j) + 3): the bias keeps every unit
 * in ReLU's linear part, so all of unit j's variance is explained by its frequency f_j (2 for units 0-3, 5 for 4-7).
 */
function waveMlp() {
  const model = createMlp(defineMlpConfig({ p, dHidden: 8 }));
  const dict = stateDict(model);
  const freq = (j: number) => (j < 4 ? 2 : 5);
  dict['mlp.W_in']!.data = Float32Array.from({ length: p * 8 }, (_, i) => {
    const [x, j] = [Math.floor(i / 8), i % 8];
    return Math.cos((2 * Math.PI * freq(j) * x) / p + j);
  });
  dict['mlp.b_in']!.data = new Float32Array(8).fill(3);
  loadStateDict(model, dict);
  return model;
}

describe('findKeyFrequencies', () => {
  it('reads the frequencies of the neuron clusters', async () => {
    const model = waveMlp();
    expect(await noLeak(() => findKeyFrequencies(model, task))).toEqual([2, 5]);
    expect(await findKeyFrequencies(model, task, { minNeurons: 5 })).toEqual([]); // clusters of 4 neurons
    expect(await findKeyFrequencies(model, task, { source: 'embedding' })).toEqual([2, 5]);
    model.dispose();
  });

  it('are the ones measureCheckpoint reads in its own forward pass, for the MLP model too', async () => {
    const model = waveMlp();
    const split = task.split({ trainFraction: 0.5, seed: 0 });
    const m = await noLeak(() => measureCheckpoint({ model, task, split }));
    expect(m.keyFrequencies).toEqual([2, 5]);
    expect(Object.keys(m.excludedLoss!.byFrequency)).toEqual(['2', '5']);
    expect(m.gini!.unembed).not.toBeNull(); // W_L = mlp.W_out
    model.dispose();
  });

  it('falls back to the embedding for a model without MLP neurons', async () => {
    const model = createTransformer(defineTransformerConfig({ nLayers: 1, dModel: 4, nHeads: 1, nCtx: 3, dVocab: p + 1, dVocabOut: p, attnOnly: true }));
    expect(neuronHook(model)).toBeNull();
    const dict = stateDict(model);
    // Embedding columns cos 3x, sin 3x, cos 4x, 0: frequencies 3 and 4 only (the '=' row is ignored).
    dict['embed.W_E']!.data = Float32Array.from({ length: (p + 1) * 4 }, (_, i) => {
      const [x, c] = [Math.floor(i / 4), i % 4];
      if (x === p) return 0.7;
      return c === 0 ? cosW(p, 3, x) : c === 1 ? Math.sin((2 * Math.PI * 3 * x) / p) : c === 2 ? cosW(p, 4, x) : 0;
    });
    loadStateDict(model, dict);
    expect(await findKeyFrequencies(model, task)).toEqual([3, 4]);
    await expect(findKeyFrequencies(model, task, { source: 'neurons' })).rejects.toThrow(
      'key frequencies from neurons need a model with MLP neurons and runWithCache; this transformer model has none',
    );
    model.dispose();
  });

  it('names the hook it reads and refuses tasks other than modular addition', async () => {
    const model = createTransformer(defineTransformerConfig({ nLayers: 2, dModel: 4, nHeads: 1, nCtx: 3, dVocab: p + 1 }));
    expect(neuronHook(model)).toBe('blocks.1.mlp.hook_post');
    await expect(findKeyFrequencies(model, maxElement())).rejects.toThrow(
      'findKeyFrequencies needs modular addition: the Fourier measures are defined over all p² inputs of (x + y) mod p; task is max-element',
    );
    await expect(findKeyFrequencies(model, modularArithmetic({ p, operation: 'subtract' }))).rejects.toThrow('task is modular-subtraction');
    model.dispose();
    const mlp = waveMlp();
    expect(neuronHook(mlp)).toBe('mlp.hook_post');
    mlp.dispose();
  });
});
