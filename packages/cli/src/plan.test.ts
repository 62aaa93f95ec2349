import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { presetSpec } from '@grokking/experiments';
import { planRun } from './commands/train';
import { writeRunConfig } from './run-dir';

describe('planRun', () => {
  it('starts a run named only by its task from that task\'s preset', () => {
    // Before, --task alone started from the seed run's task options (p 113), which digit-addition rejects.
    const { config, dir } = planRun({ flags: { task: 'digit-addition', epochs: 10 } });
    expect(config.task).toMatchObject({ name: 'digit-addition', digits: 5, trainSize: 700 });
    expect(config.trainer.epochs).toBe(10);
    expect(dir).toBe('runs/digit-addition-seed0');
    expect(planRun({ flags: { task: 'modular-division' } }).config.task).toMatchObject({ name: 'modular-division', p: 113, trainFraction: 0.3 });
    expect(() => planRun({ flags: { task: 'modular-divison' } })).toThrow(/task\.name: .*\(got "modular-divison"\)/);
  });

  it('lets a resume change only the schedule and the backend', () => {
    const dir = mkdtempSync(join(tmpdir(), 'grok-plan-'));
    writeRunConfig(dir, { ...presetSpec('modular-addition'), backend: 'cpu', versions: {}, backendInfo: {} });
    const { config, resume } = planRun({ resume: dir, flags: { epochs: 50_000, evalEvery: 50, stopAfterCleanup: true, backend: 'wasm' } });
    expect(resume).toBe(true);
    expect(config).toMatchObject({ backend: 'wasm', trainer: { epochs: 50_000, evalEvery: 50, stopAfterCleanup: true, lr: 1e-3 } });
    expect(() => planRun({ resume: dir, flags: { lr: 0.01 } })).toThrow(/only --epochs, --eval-every, --checkpoint-every, --stop-when-grokked, --stop-after-cleanup and --backend may change \(got trainer\.lr\)/);
    expect(() => planRun({ resume: dir, flags: { seed: 1 } })).toThrow(/\(got seed\)/);
    expect(() => planRun({ resume: dir, preset: 'slingshot', flags: {} })).toThrow(/takes no --preset/);
    expect(() => planRun({ resume: join(dir, 'nope'), flags: {} })).toThrow(/is not a run directory/);
  });
});
