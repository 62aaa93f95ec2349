import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createTransformer, defineTransformerConfig } from '@grokking/model';
import { digitAddition, maxElement, modularArithmetic, repeatedSubsequence } from '@grokking/tasks';
import { excludedLoss, restrictedLoss } from './fourier-losses';
import { findKeyFrequencies } from './key-frequencies';
import { defaultMeasures, measureCheckpoint } from './measure-checkpoint';
import { expectClose, lookupModel, noLeak, referenceLoss } from './test-fixtures';
import { giniOfModel, sumSquaredWeights } from './weights';

// A shared 2-core machine can be slow; these budgets are generous, not timings.
jest.setTimeout(60_000);

beforeAll(async () => {
  await readyBackend('cpu');
});

/** Loss of a [rows, 1, vocab] logits table against targets, and accuracy, in float64. */
function reference(logits: number[][][], targets: ArrayLike<number>): { loss: number; accuracy: number } {
  let loss = 0;
  let correct = 0;
  expect(targets).toHaveLength(logits.length); // one target per row, so no row goes unchecked
  logits.forEach(([row], i) => {
    loss += referenceLoss(row!, targets[i]!);
    if (row!.indexOf(Math.max(...row!)) === targets[i]) correct++;
  });
  return { loss: loss / logits.length, accuracy: correct / logits.length };
}

describe('measureCheckpoint on modular addition', () => {
  const p = 13;
  const task = modularArithmetic({ p });
  const split = task.split({ trainFraction: 0.4, seed: 1 });
  const config = defineTransformerConfig({ nLayers: 1, dModel: 16, nHeads: 2, dMlp: 24, nCtx: 3, dVocab: p + 1, dVocabOut: p, seed: 5 });

  it('computes train and test loss as the model scores those sets, and the Fourier measures of all p² logits', async () => {
    const model = createTransformer(config);
    const m = await noLeak(() => measureCheckpoint({ model, task, split, epoch: 7, keyFrequencies: [1, 4] }));
    expect(Object.keys(m)).toEqual(['epoch', 'keyFrequencies', 'loss', 'excludedLoss', 'restrictedLoss', 'gini', 'sumSquaredWeights']);
    expect(m.epoch).toBe(7);
    expect(m.keyFrequencies).toEqual([1, 4]);
    // Independent: the model's own forward on the train and test sets, scored in float64.
    const scores = (set: typeof split.train) =>
      tf.tidy(() => model.forward(tf.tensor2d(set.tokens, [set.size, 3], 'int32'), [2]).arraySync());
    const train = reference(scores(split.train), split.train.targets);
    const test = reference(scores(split.test), split.test.targets);
    expectClose(m.loss!.train!, train.loss);
    expectClose(m.loss!.test!, test.loss);
    expect(m.loss!.trainAccuracy).toBeCloseTo(train.accuracy, 10);
    expect(m.loss!.testAccuracy).toBeCloseTo(test.accuracy, 10);
    // The Fourier measures are those of the logits over every input, x-major.
    const all = task.all();
    const logits = tf.tidy(() => tf.reshape(model.forward(tf.tensor2d(all.tokens, [p * p, 3], 'int32'), [2]), [p * p, p]));
    const inputs = { logits, p, targets: all.targets, trainIndices: split.trainIndices, testIndices: split.testIndices };
    expect(m.excludedLoss).toEqual(await excludedLoss(inputs, [1, 4]));
    expect(m.restrictedLoss).toEqual(await restrictedLoss(inputs, [1, 4]));
    logits.dispose();
    expect(m.gini).toEqual(giniOfModel(model.params, p));
    expect(m.sumSquaredWeights).toEqual(sumSquaredWeights(model.params));
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
    model.dispose();
  });

  it('gives the same numbers whatever the batch size, and finds key frequencies when not given', async () => {
    const model = createTransformer(config);
    const whole = await measureCheckpoint({ model, task, split, keyFrequencies: [2, 3] });
    const batched = await noLeak(() => measureCheckpoint({ model, task, split, keyFrequencies: [2, 3], batchSize: 10 }));
    expect(batched).toEqual(whole);
    const own = await measureCheckpoint({ model, task, split, measures: ['excludedLoss'] });
    expect(own.keyFrequencies).toEqual(await findKeyFrequencies(model, task));
    expect(Object.keys(own)).toEqual(['epoch', 'keyFrequencies', 'excludedLoss']);
    const fromEmbedding = await measureCheckpoint({ model, task, split, measures: ['restrictedLoss'], keyFrequencyOptions: { source: 'embedding' } });
    expect(fromEmbedding.keyFrequencies).toEqual(await findKeyFrequencies(model, task, { source: 'embedding' }));
    model.dispose();
  });

  it('gives the same numbers on the wasm backend as on cpu', async () => {
    const model = createTransformer(config);
    const options = { model, task, split, measures: ['loss', 'excludedLoss', 'restrictedLoss', 'gini'] as const, keyFrequencyOptions: { clusterThreshold: 0.3 } };
    const onCpu = await measureCheckpoint({ ...options, measures: [...options.measures] });
    await readyBackend('wasm', { threads: 1 });
    try {
      const onWasm = await noLeak(() => measureCheckpoint({ ...options, measures: [...options.measures] }));
      expect(onWasm.keyFrequencies).toEqual(onCpu.keyFrequencies);
      expect(onCpu.keyFrequencies!.length).toBeGreaterThan(0);
      expectClose(onWasm.loss!.train!, onCpu.loss!.train!);
      expectClose(onWasm.loss!.test!, onCpu.loss!.test!);
      expectClose(onWasm.excludedLoss!.all, onCpu.excludedLoss!.all);
      for (const [w, v] of Object.entries(onCpu.excludedLoss!.byFrequency)) expectClose(onWasm.excludedLoss!.byFrequency[w]!, v);
      expectClose(onWasm.restrictedLoss!.train, onCpu.restrictedLoss!.train);
      expectClose(onWasm.gini!.embedding, onCpu.gini!.embedding);
      expectClose(onWasm.gini!.unembed!, onCpu.gini!.unembed!);
    } finally {
      await readyBackend('cpu');
      model.dispose();
    }
  });

  it('refuses a split without the modular indices', async () => {
    const model = createTransformer(config);
    await expect(measureCheckpoint({ model, task, split: { train: split.train, test: split.test } })).rejects.toThrow(
      "split must be the modular task's own split() result, with trainIndices and testIndices",
    );
    model.dispose();
  });
});

describe('measureCheckpoint on the other tasks', () => {
  it('gives one loss per sum digit for digit addition', async () => {
    const task = digitAddition({ digits: 2 });
    const split = task.split({ seed: 0, trainSize: 40, testSize: 20 });
    const model = lookupModel([split.train, split.test], task.info, (slot) => slot + 1);
    const m = await noLeak(() => measureCheckpoint({ model, task, split }));
    expect(Object.keys(m)).toEqual(['epoch', 'keyFrequencies', 'loss', 'slotLoss', 'targetLoss', 'sumSquaredWeights']);
    const V = task.info.dVocabOut;
    const want = [1, 2, 3].map((margin) => Math.log(Math.exp(margin) + V - 1) - margin); // margin on the target, 0 elsewhere
    expect(m.slotLoss!.names).toEqual(['digit 0', 'digit 1', 'digit 2']);
    expect(m.slotLoss!.train).toHaveLength(3); // every slot checked below
    expect(m.slotLoss!.test).toHaveLength(3);
    m.slotLoss!.train!.forEach((v, j) => expectClose(v, want[j]!));
    m.slotLoss!.test!.forEach((v, j) => expectClose(v, want[j]!));
    expect(m.slotLoss!.trainAccuracy).toEqual([1, 1, 1]);
    expectClose(m.loss!.train!, (want[0]! + want[1]! + want[2]!) / 3);
    expect(m.sumSquaredWeights).toEqual({ total: 5, byParam: { w: 5 } });
    model.dispose();
  });

  it('gives one loss per skip trigram (per target) for max element', async () => {
    const task = maxElement();
    const split = task.split({ seed: 0, trainSize: 60, testSize: 30 });
    const margin = (target: number) => (target - 9) / 2;
    const model = lookupModel([split.train, split.test], task.info, (_slot, target) => margin(target));
    const m = await measureCheckpoint({ model, task, split, measures: ['targetLoss'] });
    const V = task.info.dVocabOut;
    const seen = [...new Set(split.train.targets)].sort((a, b) => a - b);
    expect(Object.keys(m.targetLoss!.train!)).toEqual(seen.map(String));
    for (const t of seen) expectClose(m.targetLoss!.train![String(t)]!, Math.log(Math.exp(margin(t)) + V - 1) - margin(t));
    expect(m.targetLoss!.test).not.toBeNull();
    model.dispose();
  });

  it('picks each example\'s own scored positions when they vary (repeated subsequence)', async () => {
    const task = repeatedSubsequence();
    expect(task.info.fixedPositions).toBeNull();
    const split = task.split({ seed: 0, trainSize: 30, testSize: 10 });
    const model = lookupModel([split.train, split.test], task.info, (slot) => 2 + slot);
    const m = await noLeak(() => measureCheckpoint({ model, task, split, measures: ['slotLoss'], batchSize: 7 }));
    const V = task.info.dVocabOut;
    expect(m.slotLoss!.train).toHaveLength(task.info.nScored); // every slot checked below
    m.slotLoss!.train!.forEach((v, j) => expectClose(v, Math.log(Math.exp(2 + j) + V - 1) - (2 + j)));
    model.dispose();
  });

  it('says clearly that the Fourier measures need modular addition', async () => {
    const task = maxElement();
    const split = task.split({ seed: 0, trainSize: 10, testSize: 5 });
    const model = lookupModel([split.train, split.test], task.info, () => 1);
    expect(defaultMeasures(task)).toEqual(['loss', 'slotLoss', 'targetLoss', 'sumSquaredWeights']);
    await expect(measureCheckpoint({ model, task, split, measures: ['gini'] })).rejects.toThrow(
      'measure gini needs modular addition: the Fourier measures are defined over all p² inputs of (x + y) mod p; task is max-element',
    );
    await expect(measureCheckpoint({ model, task, split, measures: ['trigLoss' as never] })).rejects.toThrow(
      'measures must be among loss, slotLoss, targetLoss, excludedLoss, restrictedLoss, gini, sumSquaredWeights, got "trigLoss"',
    );
    // Subtraction is addition in its group, so it gets excluded and restricted loss (Gini stays addition's); x²+y² is no
    // group operation and gets the measures of every task.
    const sub = modularArithmetic({ p: 7, operation: 'subtract' });
    expect(defaultMeasures(sub)).toEqual(['loss', 'excludedLoss', 'restrictedLoss', 'sumSquaredWeights']);
    const squares = modularArithmetic({ p: 7, operation: 'x2+y2' });
    expect(defaultMeasures(squares)).toEqual(['loss', 'slotLoss', 'targetLoss', 'sumSquaredWeights']);
    model.dispose();
  });
});
