// measureCheckpoint on subtraction, multiplication and division: losses over every pair, excluded and restricted
// loss read in the operation's group on given key frequencies.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createTransformer, modularAdditionConfig } from '@grokking/model';
import { modularArithmetic } from '@grokking/tasks';
import { datasetLoss } from './dataset-loss';
import { defaultMeasures, measureCheckpoint } from './measure-checkpoint';
import { operationExcludedLoss, operationRestrictedLoss } from './operation-losses';
import { scoredLogits } from './scored-logits';

describe('measureCheckpoint for the other group operations', () => {
  beforeAll(async () => {
    await readyBackend('cpu');
  });

  it.each(['subtract', 'multiply'] as const)('measures a %s model in its group, with no leaks', async (operation) => {
    const p = 11;
    const task = modularArithmetic({ p, operation });
    const split = task.split({ seed: 3, trainFraction: 0.5 });
    const model = createTransformer(modularAdditionConfig(p, { dModel: 16, nHeads: 2, dMlp: 24, seed: 4 }));
    const keys = [1, 3];
    expect(defaultMeasures(task)).toEqual(['loss', 'excludedLoss', 'restrictedLoss', 'sumSquaredWeights']);
    const before = tf.memory().numTensors;
    const m = await measureCheckpoint({ model, task, split, keyFrequencies: keys });
    expect(tf.memory().numTensors).toBe(before);

    // Independently: the train and test losses straight from their sets, the group losses from the logits of all().
    const train = await datasetLoss(model, split.train, task.info);
    const test = await datasetLoss(model, split.test, task.info);
    expect(m.loss!.train).toBeCloseTo(train.loss, 5);
    expect(m.loss!.test).toBeCloseTo(test.loss, 5);
    const { logits } = scoredLogits(model, task.all(), task.info);
    const inputs = { task, logits, trainIndices: split.trainIndices, testIndices: split.testIndices };
    expect(m.excludedLoss).toEqual(await operationExcludedLoss(inputs, keys));
    expect(m.restrictedLoss).toEqual(await operationRestrictedLoss(inputs, keys));
    logits.dispose();
    expect(m.keyFrequencies).toEqual(keys);
    await expect(measureCheckpoint({ model, task, split })).rejects.toThrow(/need keyFrequencies \(of its group/);
    await expect(measureCheckpoint({ model, task, split, measures: ['gini'] })).rejects.toThrow(/needs modular addition/);
    model.dispose();
  });
});
