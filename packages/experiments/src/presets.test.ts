import { readyBackend } from '@grokking/backend';
import { ARCHITECTURES, digitAdditionConfig, maxElementConfig, modularAdditionConfig, repeatedSubsequenceConfig } from '@grokking/model';
import { taskNames } from '@grokking/tasks';
import { buildModel, buildTask } from './build';
import { PRESETS, TASK_PRESETS, presetByName, presetNames, presetSpec, taskSpec } from './presets';
import { resolveRunSpec } from './spec';

describe('presets', () => {
  beforeAll(async () => {
    await readyBackend('cpu');
  });

  it('resolve, build their task and agree with the model presets of @grokking/model', () => {
    const modelPreset = { 'modular-addition': modularAdditionConfig, 'digit-addition': digitAdditionConfig,
      'repeated-subsequence': repeatedSubsequenceConfig, 'max-element': maxElementConfig } as const;
    for (const name of presetNames) {
      const spec = presetSpec(name);
      const task = buildTask(spec);
      if (spec.model.kind !== 'transformer') continue;
      const fromModel = modelPreset[spec.task.name as keyof typeof modelPreset];
      if (!fromModel) continue;
      const model = buildModel(spec, task.info);
      try {
        // The CLI's digit-addition preset once said d_model 128 while the model package said 512.
        expect(model.config).toEqual(fromModel(task.info, spec.seed));
      } finally {
        model.dispose();
      }
    }
    expect(presetSpec('digit-addition').model).toMatchObject({ dModel: ARCHITECTURES.digitAddition.dModel });
    expect(presetSpec('slingshot').trainer.loss).toBe('naive');
  });

  it('give every task a default preset, and that preset runs the task', () => {
    expect(Object.keys(TASK_PRESETS).sort()).toEqual([...taskNames].sort());
    for (const name of taskNames) {
      const spec = resolveRunSpec(taskSpec(name));
      expect(spec.task.name).toBe(name);
      expect(buildTask(spec).info.name).toBe(name);
    }
  });

  it('rejects an unknown preset, listing the known ones', () => {
    expect(() => presetByName('nope')).toThrow(/preset must be one of modular-addition, .*; got "nope"/);
    expect(presetByName('max-element').summary).toBe(PRESETS['max-element'].summary);
  });
});
