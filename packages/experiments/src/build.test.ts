import { createRng, isModularTask } from '@grokking/tasks';
import { TEST_SEED_OFFSET, buildData, buildTask } from './build';
import { resolveRunSpec } from './spec';

describe('run data', () => {
  it('splits a modular task with the run seed and keeps the split for the Fourier measures', () => {
    const spec = resolveRunSpec({ task: { name: 'modular-addition', p: 23, trainFraction: 0.5 }, model: { kind: 'transformer' }, seed: 4 });
    const task = buildTask(spec);
    if (!isModularTask(task)) throw new Error('expected a modular task');
    const data = buildData(spec, task);
    const expected = task.split({ seed: 4, trainFraction: 0.5 });
    expect(data.trainSet?.targets).toEqual(expected.train.targets);
    expect(data.test.tokens).toEqual(expected.test.tokens);
    expect(data.modularSplit?.trainIndices).toEqual(expected.trainIndices);
    expect('train' in data.train && data.train.train).toBe(data.trainSet);
  });

  it('gives infinite data a sampler, no train set, and the same test set every time it is built', () => {
    const spec = resolveRunSpec({ task: { name: 'max-element', infinite: true, batchSize: 8, testSize: 50 }, model: { kind: 'transformer' }, seed: 2 });
    const task = buildTask(spec);
    const a = buildData(spec, task);
    const b = buildData(spec, buildTask(spec));
    expect(a.trainSet).toBeNull();
    expect(a.modularSplit).toBeNull();
    expect(a.test.size).toBe(50);
    expect(b.test.tokens).toEqual(a.test.tokens);
    expect(a.test.tokens).toEqual(task.split({ seed: 2 + TEST_SEED_OFFSET, trainSize: 1, testSize: 50 }).test.tokens);
    if (!('sample' in a.train)) throw new Error('expected a sampler');
    expect(a.train.sample(8, createRng(1)).size).toBe(8);
  });

  it('fails before making data on a bad combination', () => {
    const spec = { task: { name: 'modular-addition' as const, infinite: true, batchSize: 8 }, seed: 0 };
    expect(() => buildData(spec, buildTask(spec))).toThrow(/infinite needs a sampled task/);
  });
});
