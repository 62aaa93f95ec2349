import { mergeConfig, resolveConfig } from './config';
import { flagsToConfig } from './flags';
import { PRESETS, presetByName, presetNames } from '@grokking/experiments';

describe('run configuration', () => {
  it('fills the write-up defaults', () => {
    const config = resolveConfig({ task: { name: 'modular-addition' }, model: { kind: 'transformer' } });
    expect(config.trainer).toMatchObject({ optimizer: 'adamw', lr: 1e-3, weightDecay: 1, beta1: 0.9, beta2: 0.98, warmupSteps: 10, loss: 'precise' });
    expect(config.model).toMatchObject({ nLayers: 1, dModel: 128, nHeads: 4, dHead: 32, dMlp: 512, actFn: 'relu', normalizationType: 'none' });
    expect(config.seed).toBe(0);
    expect(config.backend).toBeUndefined(); // chosen when the run is planned: see best-backend.test.ts
  });

  it('resolves every preset', () => {
    for (const name of presetNames) expect(() => resolveConfig(PRESETS[name].spec)).not.toThrow();
    expect(resolveConfig(presetByName('modular-addition').spec).trainer.epochs).toBe(40_000);
    expect(resolveConfig(presetByName('slingshot').spec).trainer.loss).toBe('naive');
  });

  it('lets flags override a preset, and a new model kind replace the model section', () => {
    const flags = flagsToConfig({ epochs: 500, lr: 0.003, seed: 4, model: 'mlp' });
    const config = resolveConfig(mergeConfig(presetByName('modular-addition').spec, flags));
    expect(config.trainer.epochs).toBe(500);
    expect(config.trainer.lr).toBe(0.003);
    expect(config.seed).toBe(4);
    expect(config.model).toEqual({ kind: 'mlp', dHidden: 256, actFn: 'relu' });
    expect(config.task.p).toBe(113);
  });

  it('derives d_head and d_mlp from --d-model, and takes optimiser defaults per optimiser', () => {
    // Before, the CLI fixed d_head 32 and d_mlp 512 whatever --d-model said, and gave SGD momentum 0.9 and wd 1.
    const small = resolveConfig(mergeConfig(presetByName('modular-addition').spec, flagsToConfig({ dModel: 64 })));
    expect(small.model).toMatchObject({ dModel: 64, dHead: 16, dMlp: 256 });
    const sgd = resolveConfig(mergeConfig(presetByName('modular-addition').spec, flagsToConfig({ optimizer: 'sgd' })));
    expect(sgd.trainer).toMatchObject({ optimizer: 'sgd', momentum: 0, weightDecay: 0 });
    expect(resolveConfig(presetByName('digit-addition').spec).model).toMatchObject({ dModel: 128 });
  });

  it('names every bad field, its value and what was expected', () => {
    expect(() => resolveConfig({ task: { name: 'modular-addition', trainFraction: 1.5 }, model: { kind: 'transformer' }, trainer: { lr: -1 } }))
      .toThrow(/task\.trainFraction: .*\(got 1\.5\)[\s\S]*trainer\.lr: .*\(got -1\)/);
    expect(() => resolveConfig({ task: { name: 'modular-addition' }, model: { kind: 'mlp', dMlp: 3 } })).toThrow(/dMlp/);
    expect(() => resolveConfig({ task: { name: 'modular-addition' }, model: { kind: 'transformer' }, backend: 'gpu' })).toThrow(/backend.*got "gpu"/);
  });

  it('rejects an unknown preset, listing the known ones', () => {
    expect(() => presetByName('nope')).toThrow(/preset must be one of modular-addition, .*; got "nope"/);
  });
});
