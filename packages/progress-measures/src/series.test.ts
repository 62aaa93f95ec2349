// The two routes to the measures, checked against each other on a real training run: the trainer plug-in on the live
// weights, and measureSeries on the checkpoints the same run wrote.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createTransformer, defineTransformerConfig } from '@grokking/model';
import { modularArithmetic } from '@grokking/tasks';
import { createMemoryStore, decodeCheckpoint, modelFromCheckpoint, train, type EvalRecord, type Metric } from '@grokking/trainer';
import { findKeyFrequencies } from './key-frequencies';
import { measureCheckpoint } from './measure-checkpoint';
import { measureGroups, progressMeasuresPlugin } from './plugin';
import { measureSeries, type SeriesEntry } from './series';
import { expectClose, noLeak } from './test-fixtures';

// A shared 2-core machine can be slow; these budgets are generous, not timings.
jest.setTimeout(60_000);

beforeAll(async () => {
  await readyBackend('cpu');
});

const p = 13;
const task = modularArithmetic({ p });
const split = task.split({ trainFraction: 0.5, seed: 2 });
const config = defineTransformerConfig({ nLayers: 1, dModel: 16, nHeads: 2, dMlp: 24, nCtx: 3, dVocab: p + 1, dVocabOut: p, seed: 3 });
// A barely trained model has no key frequencies by the write-up's 85% cut; 30% gives some, so the choice matters here.
const looseKeys = { clusterThreshold: 0.3, minNeurons: 1 };

/** Trains for 6 epochs with the plug-in, checkpointing and evaluating every 2. */
async function run() {
  const model = createTransformer(config);
  const store = createMemoryStore();
  const records: EvalRecord[] = [];
  const metrics: Record<string, Metric> = progressMeasuresPlugin({ task, split, keyFrequencies: [1, 4] }); // fits the trainer's type
  await train({
    model, info: task.info, data: { train: split.train, test: split.test }, epochs: 6, evalEvery: 2, metricsEvery: 2,
    optimizer: { name: 'adamw', lr: 0.01, weightDecay: 1, warmupSteps: 1 }, metrics, checkpoint: { store, every: 2 },
    onEval: (r) => void records.push(r),
  });
  model.dispose();
  const epochs = await store.list();
  // Built inside tf.tidy: @grokking/model's constructors leave each parameter's initial-value tensor alive, which
  // would hide whether measureSeries leaks; the scope disposes those (the variables keep their data).
  const load = (epoch: number) => async () => {
    const checkpoint = decodeCheckpoint(await store.read(epoch));
    let model!: ReturnType<typeof modelFromCheckpoint>;
    tf.tidy(() => {
      model = modelFromCheckpoint(checkpoint);
    });
    return model;
  };
  const entries: SeriesEntry[] = epochs.map((epoch) => ({ epoch, model: load(epoch) }));
  return { records, epochs, entries, load };
}

let trained: Awaited<ReturnType<typeof run>>;
beforeAll(async () => {
  trained = await run();
});

describe('the trainer plug-in and measureSeries', () => {
  it('give the same numbers for the same checkpoint', async () => {
    const { records, epochs, entries } = trained;
    expect(epochs).toEqual([0, 2, 4, 6]);
    expect(records.map((r) => r.epoch)).toEqual(epochs);
    const series = await noLeak(() => measureSeries(entries, { task, split, keyFrequencies: [1, 4] }));
    expect(series.keyFrequencies).toEqual([1, 4]);
    expect(series.points.map((m) => m.epoch)).toEqual(epochs);
    series.points.forEach((point, i) => {
      const record = records[i]!;
      expect(record.metrics).toEqual(measureGroups(point));
      expect(Object.keys(record.metrics!)).toEqual(['loss', 'excludedLoss', 'restrictedLoss', 'gini', 'sumSquaredWeights']);
      // The trainer's own evaluation is independent code: the same losses to float32 rounding.
      expectClose(point.loss!.train!, record.trainLoss, 1e-6);
      expectClose(point.loss!.test!, record.testLoss!, 1e-6);
      expect(point.loss!.trainAccuracy).toBe(record.trainAccuracy);
    });
    expect(series.points[0]!.sumSquaredWeights!.total).not.toBe(series.points[3]!.sumSquaredWeights!.total); // training moved the weights
  });

  it("fixes key frequencies from the final checkpoint by default, or finds each checkpoint's own", async () => {
    const { entries, load } = trained;
    const finalModel = await load(6)();
    const finalKeys = await findKeyFrequencies(finalModel, task, looseKeys);
    finalModel.dispose();
    expect(finalKeys.length).toBeGreaterThan(0);
    const onCheckpoint: number[] = [];
    const final = await measureSeries(entries, { task, split, keyFrequencyOptions: looseKeys, onCheckpoint: (m) => void onCheckpoint.push(m.epoch!) });
    expect(onCheckpoint).toEqual([6, 0, 2, 4]); // the final one first, for its key frequencies
    expect(final.keyFrequencies).toEqual(finalKeys);
    for (const point of final.points) expect(point.keyFrequencies).toEqual(finalKeys);

    const own = await measureSeries(entries, { task, split, keyFrequencies: 'per-checkpoint', keyFrequencyOptions: looseKeys });
    expect(own.keyFrequencies).toBeNull();
    for (const point of own.points) {
      const model = await load(point.epoch!)();
      expect(point.keyFrequencies).toEqual(await findKeyFrequencies(model, task, looseKeys));
      expect(point).toEqual(await measureCheckpoint({ model, task, split, epoch: point.epoch!, keyFrequencyOptions: looseKeys }));
      model.dispose();
    }
  });

  it('takes async sources and models given directly (which stay the caller\'s)', async () => {
    const { entries, load } = trained;
    async function* source() {
      for (const entry of entries.slice(0, 2)) yield entry;
    }
    const fromAsync = await measureSeries(source(), { task, split, keyFrequencies: [2], measures: ['restrictedLoss'] });
    const model = await load(2)();
    const direct = await measureSeries([{ epoch: 2, model }], { task, split, keyFrequencies: [2], measures: ['restrictedLoss'] });
    expect(direct.points[0]).toEqual(fromAsync.points[1]);
    expect(model.params['embed.W_E']!.isDisposed).toBe(false);
    model.dispose();
    await expect(measureSeries([], { task, split })).rejects.toThrow('measureSeries needs at least one checkpoint, got none');
    await expect(measureSeries([entries[0]!, entries[0]!], { task, split })).rejects.toThrow('checkpoint epochs must be distinct, got 0 twice');
    await expect(measureSeries(entries, { task, split, keyFrequencies: [7] })).rejects.toThrow('frequency must be an integer in 1..6 for p = 13, got 7');
  });
});

describe('progressMeasuresPlugin', () => {
  it('measures each checkpoint once, however many metrics read it, and finds key frequencies per checkpoint by default', async () => {
    const model = createTransformer(config);
    let forwards = 0;
    const counted = { kind: model.kind, config: model.config, params: model.params, forward: (t: tf.Tensor2D, pos?: readonly number[]) => (forwards++, model.forward(t, pos)), dispose: () => {} };
    // The counting wrapper has no runWithCache, so key frequencies come from the embedding (1.1x the median here).
    const embeddingKeys = { source: 'embedding' as const, sparseRatio: 1.1 };
    const plugin = progressMeasuresPlugin({ task, split, keyFrequencyOptions: embeddingKeys });
    const context = { epoch: 3, step: 3, model: counted, info: task.info, train: split.train, test: split.test };
    const got = await noLeak(async () => Object.fromEntries(await Promise.all(Object.entries(plugin).map(async ([n, m]) => [n, await m(context)]))));
    expect(forwards).toBe(1);
    expect(got).toEqual(measureGroups(await measureCheckpoint({ model, task, split, epoch: 3, keyFrequencyOptions: embeddingKeys })));
    expect(got.excludedLoss).toHaveProperty('freq 2');
    await plugin.loss!({ ...context, epoch: 4, step: 4 });
    expect(forwards).toBe(2); // a new epoch is measured afresh
    model.dispose();
  });

  it('checks its options up front', () => {
    expect(() => progressMeasuresPlugin({ task, split, keyFrequencies: [0] })).toThrow('frequency must be an integer in 1..6 for p = 13, got 0');
    expect(() => progressMeasuresPlugin({ task, split, keyFrequencies: 'final' as never })).toThrow(
      `keyFrequencies must be 'per-checkpoint' or a list of frequencies, got "final"`,
    );
  });
});
