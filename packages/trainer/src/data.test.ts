import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import {
  digitAddition, modularArithmetic, repeatedSubsequence, type Dataset, type SplitOptions, type Task, type TaskInfo,
} from '@grokking/tasks';
import { meanLoss, toDevice, validateDataset } from './data';
import { evaluate } from './evaluate';
import { createTinyModel } from './tiny-model.fixture';

/**
 * The loss and accuracy per slot computed independently: every position's logits from the model, the scored ones
 * picked in JS from `positions`, cross-entropy in float64.
 */
function reference(model: ReturnType<typeof createTinyModel>, data: Dataset, info: TaskInfo) {
  const logits = tf.tidy(() => model.forward(tf.tensor2d(data.tokens, [data.size, info.nCtx], 'int32')).arraySync());
  const slotLoss = new Array<number>(info.nScored).fill(0);
  const slotCorrect = new Array<number>(info.nScored).fill(0);
  for (let i = 0; i < data.size; i++) {
    for (let j = 0; j < info.nScored; j++) {
      const z = logits[i]![data.positions[i * info.nScored + j]!]!;
      const target = data.targets[i * info.nScored + j]!;
      const m = Math.max(...z);
      slotLoss[j] = slotLoss[j]! + m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0)) - z[target]!;
      if (z.indexOf(m) === target) slotCorrect[j] = slotCorrect[j]! + 1;
    }
  }
  const total = (a: number[]) => a.reduce((s, v) => s + v, 0) / (data.size * info.nScored);
  return { loss: total(slotLoss), accuracy: total(slotCorrect), slotLoss: slotLoss.map((v) => v / data.size), slotAccuracy: slotCorrect.map((v) => v / data.size) };
}

const tinyFor = (info: TaskInfo) =>
  createTinyModel({ dVocab: info.dVocab, dVocabOut: info.dVocabOut, nCtx: info.nCtx, dModel: 8, dMlp: 16, seed: 5 });

describe('scored positions', () => {
  beforeAll(async () => {
    await readyBackend('cpu');
  });

  const cases: [string, Task, SplitOptions][] = [
    ['fixed positions, one slot (modular addition)', modularArithmetic({ p: 7 }), { seed: 1 }],
    ['fixed positions, several slots (2-digit addition)', digitAddition({ digits: 2 }), { seed: 1, trainSize: 40, testSize: 10 }],
    [
      'positions varying per example (repeated subsequence)',
      repeatedSubsequence({ vocabSize: 5, length: 8, repeatLength: 3 }),
      { seed: 1, trainSize: 40, testSize: 10 },
    ],
  ];

  it.each(cases)('scores exactly the given positions: %s', async (_, task, splitOptions) => {
    const { info } = task;
    const data = task.split(splitOptions).train;
    const model = tinyFor(info);
    const device = toDevice(data, info);
    const ref = reference(model, data, info);
    const before = tf.memory().numTensors;
    const trainingLoss = tf.tidy(() => meanLoss(model, device, info, 'precise').dataSync()[0]!);
    expect(trainingLoss).toBeCloseTo(ref.loss, 5);
    for (const chunk of [4096, 7]) {
      const evaluation = await evaluate(model, device, info, 'precise', chunk);
      expect(evaluation.loss).toBeCloseTo(ref.loss, 5);
      expect(evaluation.accuracy).toBeCloseTo(ref.accuracy, 12);
      expect(evaluation.slotAccuracy).toEqual(ref.slotAccuracy);
      evaluation.slotLoss.forEach((v, j) => expect(v).toBeCloseTo(ref.slotLoss[j]!, 5));
    }
    expect(tf.memory().numTensors).toBe(before);
    device.dispose();
    model.dispose();
  });

  it('rejects datasets that do not fit the task, naming the entry', () => {
    const task = modularArithmetic({ p: 7 });
    const { train } = task.split({ seed: 0 });
    expect(() => validateDataset({ ...train, tokens: train.tokens.subarray(1) }, task.info, 'train'))
      .toThrow(`train.tokens must have ${train.size * 3} entries, got ${train.size * 3 - 1}`);
    const badToken = Int32Array.from(train.tokens, (t, i) => (i === 4 ? 8 : t));
    expect(() => validateDataset({ ...train, tokens: badToken }, task.info, 'train')).toThrow('train.tokens[4] must be in [0, 8), got 8');
    const moved = Int32Array.from(train.positions, (p, i) => (i === 2 ? 1 : p));
    expect(() => validateDataset({ ...train, positions: moved }, task.info, 'train'))
      .toThrow("train.positions[2] must be 2 (the task's fixed positions), got 1");
    const varying: TaskInfo = { ...task.info, nScored: 2, fixedPositions: null };
    const twice: Dataset = { size: 1, tokens: Int32Array.of(1, 2, 7), positions: Int32Array.of(2, 2), targets: Int32Array.of(3, 3) };
    expect(() => validateDataset(twice, varying, 'test')).toThrow('test example 0 scores position 2 twice');
  });
});
