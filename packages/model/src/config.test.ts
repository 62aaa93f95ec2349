// Configs, presets and initialisation.
import { readyBackend } from '@grokking/backend';
import { createRng } from '@grokking/tasks';
import { defineMlpConfig, defineTransformerConfig, toTransformerLensConfig, validateTransformerConfig, type TransformerConfig } from './config';
import { digitAdditionConfig, maxElementConfig, modularAdditionConfig, modularAdditionMlpConfig, repeatedSubsequenceConfig } from './presets';
import { initialValues, transformerParamSpecs } from './init';
import { stateDict } from './state-dict';
import { createTransformer } from './transformer';

describe('configs', () => {
  it('computes derived sizes from the ones given', () => {
    expect(defineTransformerConfig({ nLayers: 1, dModel: 64, nHeads: 8, nCtx: 4, dVocab: 10 })).toEqual({
      nLayers: 1, dModel: 64, nHeads: 8, dHead: 8, dMlp: 256, actFn: 'relu', normalizationType: 'none', attnOnly: false,
      nCtx: 4, dVocab: 10, dVocabOut: 10, seed: 0,
    });
  });

  it('rejects bad values, naming them', () => {
    const base = { nLayers: 1, dModel: 64, nHeads: 8, nCtx: 4, dVocab: 10 };
    expect(() => defineTransformerConfig({ ...base, nHeads: 5 })).toThrow('dModel (64) must be divisible by nHeads (5) when dHead is not given');
    expect(() => defineTransformerConfig({ ...base, nCtx: 0 })).toThrow('nCtx must be a positive integer, got 0');
    expect(() => defineTransformerConfig({ ...base, dModel: 12.5, dHead: 4 })).toThrow('dModel must be a positive integer, got 12.5');
    expect(() => defineTransformerConfig({ ...base, actFn: 'tanh' as 'relu' })).toThrow(`actFn must be 'relu' or 'gelu', got "tanh"`);
    expect(() => defineTransformerConfig({ ...base, normalizationType: 'RMS' as 'LN' })).toThrow(`normalizationType must be 'none' or 'LN', got "RMS"`);
    expect(() => validateTransformerConfig(null as unknown as TransformerConfig)).toThrow('transformer config must be an object');
    expect(() => defineMlpConfig({ p: 0 })).toThrow('p must be a positive integer, got 0');
  });

  it('maps to TransformerLens config names', () => {
    const tl = toTransformerLensConfig(defineTransformerConfig({ nLayers: 2, dModel: 8, nHeads: 2, nCtx: 6, dVocab: 5, attnOnly: true, normalizationType: 'LN' }));
    expect(tl).toMatchObject({ n_layers: 2, d_model: 8, n_heads: 2, d_head: 4, d_mlp: null, attn_only: true, normalization_type: 'LN', n_ctx: 6, d_vocab: 5, d_vocab_out: 5 });
  });
});

describe('presets', () => {
  it('builds the write-up\'s modular-addition model from p', () => {
    expect(modularAdditionConfig(113, 7)).toEqual({
      nLayers: 1, dModel: 128, nHeads: 4, dHead: 32, dMlp: 512, actFn: 'relu', normalizationType: 'none', attnOnly: false,
      nCtx: 3, dVocab: 114, dVocabOut: 113, seed: 7,
    });
    expect(modularAdditionConfig(59)).toMatchObject({ dVocab: 60, dVocabOut: 59 });
    expect(modularAdditionConfig({ dVocab: 98, dVocabOut: 97, nCtx: 3 }, { dModel: 64 })).toMatchObject({ dModel: 64, dHead: 16, dMlp: 256, dVocab: 98 });
  });

  it('takes vocabulary and context from the task for the other models', () => {
    const task = { dVocab: 12, dVocabOut: 10, nCtx: 18 };
    expect(digitAdditionConfig(task)).toMatchObject({ nLayers: 1, dModel: 128, nHeads: 4, dHead: 32, dMlp: 512, attnOnly: false, ...task });
    // The notebook's size: the derived widths follow d_model.
    expect(digitAdditionConfig(task, { dModel: 512 })).toMatchObject({ dModel: 512, dHead: 128, dMlp: 2048 });
    expect(repeatedSubsequenceConfig(task, 3)).toMatchObject({ nLayers: 2, attnOnly: true, seed: 3, ...task });
    expect(maxElementConfig(task)).toMatchObject({ nLayers: 1, attnOnly: true, ...task });
    expect(modularAdditionMlpConfig(113)).toEqual({ p: 113, dHidden: 256, actFn: 'relu', nLayers: 2, seed: 0 });
  });
});

describe('initialisation', () => {
  const config = modularAdditionConfig(31, { dModel: 64, nHeads: 4, seed: 5 });

  it('is seeded: the same seed gives the same weights on cpu and wasm, another seed different ones', async () => {
    await readyBackend('cpu');
    const a = createTransformer(config);
    const onCpu = stateDict(a);
    await readyBackend('wasm', { threads: 1 });
    const b = createTransformer(config);
    expect(stateDict(b)).toEqual(onCpu);
    const c = createTransformer({ ...config, seed: 6 });
    expect(stateDict(c)['embed.W_E']!.data).not.toEqual(onCpu['embed.W_E']!.data);
    [a, b, c].forEach((m) => m.dispose());
    await readyBackend('cpu');
  });

  it('draws N(0, 1/d_model) weights (the unembed N(0, 1/d_vocab_out)), zero biases, in spec order', () => {
    const values = initialValues(transformerParamSpecs(config), config.seed);
    const std = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
    expect(std(values['blocks.0.mlp.W_in']!)).toBeCloseTo(1 / 8, 2); // 16384 draws: ~0.6% standard error
    expect(std(values['unembed.W_U']!)).toBeCloseTo(1 / Math.sqrt(31), 2);
    expect(values['blocks.0.attn.b_Q']!.every((v) => v === 0)).toBe(true);
    const rng = createRng(config.seed);
    expect(values['embed.W_E']![0]).toBe(Math.fround(rng.normal() / 8)); // the first draw goes to W_E[0, 0]
  });
});
