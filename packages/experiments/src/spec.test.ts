import { defineTransformerConfig } from '@grokking/model';
import { resolveOptimizerConfig } from '@grokking/trainer';
import { mergeRunSpec, resolveRunSpec } from './spec';

const base = { task: { name: 'modular-addition' }, model: { kind: 'transformer' } } as const;

describe('run spec', () => {
  it('fills the write-up defaults', () => {
    const spec = resolveRunSpec(base);
    expect(spec.trainer).toMatchObject({ optimizer: 'adamw', lr: 1e-3, weightDecay: 1, beta1: 0.9, beta2: 0.98, warmupSteps: 10, loss: 'precise', epochs: 40_000 });
    expect(spec.model).toMatchObject({ nLayers: 1, dModel: 128, nHeads: 4, dHead: 32, dMlp: 512, actFn: 'relu', normalizationType: 'none' });
    expect(spec.seed).toBe(0);
  });

  it('takes optimiser defaults from the trainer, per optimiser', () => {
    for (const optimizer of ['adamw', 'adam', 'sgd'] as const) {
      const t = resolveRunSpec({ ...base, trainer: { optimizer } }).trainer;
      const o = resolveOptimizerConfig({ name: optimizer });
      expect({ weightDecay: t.weightDecay, momentum: t.momentum, lr: t.lr, betas: [t.beta1, t.beta2] })
        .toEqual({ weightDecay: o.weightDecay, momentum: o.momentum, lr: o.lr, betas: o.betas });
    }
    // Before one owner, every optimiser got momentum 0.9 and weight decay 1.
    expect(resolveRunSpec({ ...base, trainer: { optimizer: 'sgd' } }).trainer).toMatchObject({ momentum: 0, weightDecay: 0 });
  });

  it('derives dHead and dMlp from dModel as the model package does, unless given', () => {
    const spec = resolveRunSpec({ ...base, model: { kind: 'transformer', dModel: 64 } });
    const config = defineTransformerConfig({ nLayers: 1, dModel: 64, nHeads: 4, nCtx: 3, dVocab: 10 });
    expect(spec.model).toMatchObject({ dHead: config.dHead, dMlp: config.dMlp });
    expect(spec.model).toMatchObject({ dHead: 16, dMlp: 256 });
    expect(resolveRunSpec({ ...base, model: { kind: 'transformer', dModel: 64, dHead: 8, dMlp: 100 } }).model).toMatchObject({ dHead: 8, dMlp: 100 });
  });

  it('resolves a resolved spec to itself', () => {
    const spec = resolveRunSpec({ ...base, trainer: { optimizer: 'sgd', momentum: 0.5 }, seed: 3 });
    expect(resolveRunSpec(spec)).toEqual(spec);
  });

  it('names every bad field, its value and what was expected', () => {
    expect(() => resolveRunSpec({ task: { name: 'modular-addition', trainFraction: 1.5 }, model: { kind: 'transformer' }, trainer: { lr: -1 } }))
      .toThrow(/task\.trainFraction: .*\(got 1\.5\)[\s\S]*trainer\.lr: .*\(got -1\)/);
    expect(() => resolveRunSpec({ task: { name: 'modular-addition' }, model: { kind: 'mlp', dMlp: 3 } })).toThrow(/dMlp/);
    expect(() => resolveRunSpec({ task: { name: 'modular-adition' }, model: { kind: 'transformer' } })).toThrow(/task\.name: .*modular-addition.*\(got "modular-adition"\)/);
    expect(() => resolveRunSpec({ ...base, model: { kind: 'transformer', dModel: 130 } })).toThrow(/dModel \(130\) must be divisible by nHeads \(4\)/);
  });

  it('checks the data fields together', () => {
    expect(() => resolveRunSpec({ task: { name: 'modular-addition', infinite: true, batchSize: 8 }, model: { kind: 'transformer' } }))
      .toThrow(/infinite needs a sampled task; modular-addition/);
    expect(() => resolveRunSpec({ task: { name: 'max-element', infinite: true }, model: { kind: 'transformer' } })).toThrow(/batchSize is required/);
    expect(() => resolveRunSpec({ task: { name: 'digit-addition', trainFraction: 0.3 }, model: { kind: 'transformer' } })).toThrow(/trainFraction applies to modular tasks/);
    expect(() => resolveRunSpec({ task: { name: 'modular-addition', trainSize: 10 }, model: { kind: 'transformer' } })).toThrow(/apply to sampled tasks/);
  });

  it('merges overrides section by section; a new model kind replaces the model section', () => {
    const merged = mergeRunSpec<Record<string, unknown>>({ ...base, trainer: { epochs: 10 } }, { trainer: { lr: 0.01 }, seed: 2 }, { model: { kind: 'mlp' } });
    expect(merged).toEqual({ task: { name: 'modular-addition' }, model: { kind: 'mlp' }, trainer: { epochs: 10, lr: 0.01 }, seed: 2 });
  });
});
