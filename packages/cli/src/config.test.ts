import { mergeConfig, resolveConfig } from './config';
import { flagsToConfig } from './flags';
import { PRESETS, presetByName } from './presets';

describe('run configuration', () => {
  it('fills the write-up defaults', () => {
    const config = resolveConfig({ task: { name: 'modular-addition' }, model: { kind: 'transformer' } });
    expect(config.trainer).toMatchObject({ optimizer: 'adamw', lr: 1e-3, weightDecay: 1, beta1: 0.9, beta2: 0.98, warmupSteps: 10, loss: 'precise' });
    expect(config.model).toMatchObject({ nLayers: 1, dModel: 128, nHeads: 4, dHead: 32, dMlp: 512, actFn: 'relu', normalizationType: 'none' });
    expect(config.seed).toBe(0);
    expect(config.backend).toBeUndefined(); // chosen when the run is planned: see best-backend.test.ts
  });

  it('resolves every preset', () => {
    for (const preset of PRESETS) expect(() => resolveConfig(preset.config)).not.toThrow();
    expect(resolveConfig(presetByName('modular-addition').config).trainer.epochs).toBe(40_000);
    expect(resolveConfig(presetByName('slingshot').config).trainer.loss).toBe('naive');
  });

  it('lets flags override a preset, and a new model kind replace the model section', () => {
    const flags = flagsToConfig({ epochs: 500, lr: 0.003, seed: 4, model: 'mlp' });
    const config = resolveConfig(mergeConfig(presetByName('modular-addition').config, flags));
    expect(config.trainer.epochs).toBe(500);
    expect(config.trainer.lr).toBe(0.003);
    expect(config.seed).toBe(4);
    expect(config.model).toEqual({ kind: 'mlp', dHidden: 256, actFn: 'relu' });
    expect(config.task.p).toBe(113);
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
