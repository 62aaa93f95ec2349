import { join } from 'node:path';
import { collectSweep, curvesOf, lossFallsOf, spikesOf, thinIndices } from './collect';
import { seriesRows } from './charts';
import { pointCount, sweepArgs } from './run';
import { fakeSweep } from './fake-sweep.fixture';

// A grokking-shaped run: train loss falls at once, test loss 40 epochs later, a spike at epoch 70.
const epochs = Array.from({ length: 10 }, (_, i) => i * 10);
const train = [4, 1e-2, 1e-5, 1e-6, 1e-6, 1e-6, 1e-6, 1e-3, 1e-6, 1e-6];
const test = [4, 4.5, 5, 5, 1e-1, 1e-4, 1e-5, 1e-5, 1e-5, 1e-5];
const metrics = epochs.map((epoch, i) => ({ epoch, step: epoch, trainLoss: train[i], testLoss: test[i], testAccuracy: i >= 4 ? 1 : 0.1,
  sumSquaredWeights: { total: 100 - i, 'embed.W_E': 1 }, testSlotLoss: [test[i], test[i]! / 2] }));

describe('collect', () => {
  it('thins evenly and keeps the first and last', () => {
    expect(thinIndices(5, 10)).toEqual([0, 1, 2, 3, 4]);
    expect(thinIndices(5, 3)).toEqual([0, 2, 4]);
    const t = thinIndices(1001, 100);
    expect(t).toHaveLength(100);
    expect([t[0], t.at(-1)]).toEqual([0, 1000]);
  });

  it('reads a point: its row, curves, loss falls, spikes and analysis summary', () => {
    const analysis = {
      phases: { detected: true, reason: null, memorisation: { start: 0, end: 20 }, circuitFormation: { start: 20, end: 40 }, cleanup: { start: 40, end: 60 } },
      fourier: { neurons: { fractions: [0, 0, 0, 0], clusters: { clusters: [{ freq: 3, neurons: [0, 2] }], unclustered: [1, 3] } },
        logits: { fit: { fractionOfVarianceExplained: 0.97 } }, embedding: { norms: { freqNorms: [0.1, 0.2, 3] } } },
      series: { points: [{ epoch: 0, loss: { train: 4, test: 4 }, excludedLoss: { all: 4 }, restrictedLoss: { test: 4 }, gini: { embedding: 0.1, unembed: 0.2 }, sumSquaredWeights: { total: 100 } }] },
      circuit: { keyFrequencies: [3], points: [{ epoch: 0, clusterSizes: { 3: 0 }, unclustered: 4, logitVarianceExplained: 0.01 }] },
      taskAnalysis: { kind: 'digit-addition', slotPhases: { test: { order: ['digit 1', 'digit 0'], slots: [{ name: 'digit 0', epoch: 50 }, { name: 'digit 1', epoch: 40 }] } } },
    };
    const dir = fakeSweep([{ id: 'seed=0', settings: { seed: 0 }, metrics, analysis }]);
    const [p] = collectSweep('seeds', dir);
    expect(p).toMatchObject({
      sweep: 'seeds', id: 'seed=0', grokkedEpoch: 40, keyFrequencies: [3], logitFitVarianceExplained: 0.97, neuronsInClusters: 2, neurons: 4,
      clusterSizes: { 3: 2 }, embeddingFreqNorms: [0.1, 0.2, 3], lossFalls: { train: 10, test: 40 }, spikes: { count: 1, peaks: [70] },
      task: { kind: 'digit-addition', order: ['digit 1', 'digit 0'] },
    });
    expect(p!.phases?.cleanup).toEqual({ start: 40, end: 60 });
    expect(p!.curves!.sumSquaredWeights).toEqual(epochs.map((_, i) => 100 - i));
    expect(p!.curves!.slots).toEqual({ names: ['digit 0', 'digit 1'], test: [test, test.map((t) => t / 2)] });
    expect(p!.checkpoints[0]).toEqual({ epoch: 0, trainLoss: 4, testLoss: 4, excludedLoss: 4, restrictedTestLoss: 4, giniEmbedding: 0.1, giniUnembed: 0.2, sumSquaredWeights: 100 });
    expect(p!.circuit).toEqual([{ epoch: 0, clusterSizes: { 3: 0 }, unclustered: 4, logitVarianceExplained: 0.01 }]);
  });

  it('reads a point with no analysis, and an unstarted sweep as no points', () => {
    const dir = fakeSweep([{ id: 'loss=naive', settings: { loss: 'naive', seed: 1 }, metrics }]);
    const [p] = collectSweep('losses', dir);
    expect(p).toMatchObject({ phases: null, keyFrequencies: [3], clusterSizes: null, task: null, checkpoints: [], circuit: [] });
    expect(collectSweep('none', join(dir, 'missing'))).toEqual([]);
  });

  it('curves: per-target losses from the live targetLoss group, thinned to the maximum', () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ epoch: i, trainLoss: 1, testLoss: 1, targetLoss: { 'train 5': 1, 'test 5': 2 - i / 50, 'test 6': 1 } }));
    const c = curvesOf(rows, null, 10)!;
    expect(c.epoch).toHaveLength(10);
    expect(c.targets?.names).toEqual(['5', '6']);
    expect(c.targets?.test[0]![0]).toBe(2);
    expect(curvesOf([], null)).toBeNull();
  });

  it('finds no loss fall in a flat run and no spike in a smooth one', () => {
    const flat = epochs.map((epoch) => ({ epoch, trainLoss: 1, testLoss: 1 }));
    expect(lossFallsOf(flat)).toEqual({ train: null, test: null });
    expect(spikesOf(flat)).toEqual({ count: 0, peaks: [] });
  });
});

describe('chart rows and commands', () => {
  it('builds long rows for a chart, dropping gaps and, on a log axis, non-positive values', () => {
    const rows = seriesRows([1, 2, 3], { train: [1, 0.1, 0], test: [2, null, 0.5] }, true);
    expect(rows).toEqual([{ x: 1, y: 1, series: 'train' }, { x: 2, y: 0.1, series: 'train' }, { x: 1, y: 2, series: 'test' }, { x: 3, y: 0.5, series: 'test' }]);
    expect(seriesRows([1], { a: [0] }, false)).toEqual([{ x: 1, y: 0, series: 'a' }]);
  });

  it('counts a sweep\'s runs', () => {
    expect(pointCount({ preset: 'x', settings: {}, grid: { a: [1, 2, 3], b: [true, false] }, seeds: [0, 1] })).toBe(12);
    expect(pointCount({ preset: 'x', settings: {}, seeds: [0] })).toBe(1);
    expect(pointCount({ preset: 'x', settings: {} })).toBe(1);
  });

  it('turns a sweep spec into the grok sweep command a user would type', () => {
    expect(sweepArgs({ preset: 'modular-addition', settings: { p: 23, 'stop-after-cleanup': true, quiet: false }, grid: { 'weight-decay': [0.1, 1] }, seeds: [0, 1] }, 'runs/x'))
      .toEqual(['sweep', '--preset', 'modular-addition', '--p', '23', '--stop-after-cleanup', '--grid', 'weight-decay=0.1,1', '--seeds', '0,1', '--out', 'runs/x']);
  });
});
