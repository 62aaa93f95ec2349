// repeatLoss on hand-built logits whose losses are closed forms.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createRng, repeatedSubsequence } from '@grokking/tasks';
import { repeatLoss } from './repeat-loss';
import { noLeak } from './test-fixtures';

beforeAll(async () => {
  await readyBackend('cpu');
});

describe('repeatLoss', () => {
  const task = repeatedSubsequence({ vocabSize: 10, length: 14, repeatLength: 4 });
  const { nCtx, nScored, dVocabOut } = task.info;
  const data = task.sample(30, createRng(5));

  it('gives log(1 + 9e^-m) where the target has margin m, log 10 where logits are flat, on the right positions', async () => {
    // Margin 5 on the target at the repeated positions; margin 2 on the next token at the other positions before
    // END's predecessor; flat logits at the last two positions (they must not be counted).
    const values = new Float32Array(data.size * nCtx * dVocabOut);
    for (let b = 0; b < data.size; b++) {
      for (let q = 0; q <= nCtx - 3; q++) values[(b * nCtx + q) * dVocabOut + data.tokens[b * nCtx + q + 1]!] = 2;
      for (let j = 0; j < nScored; j++) {
        const q = data.positions[b * nScored + j]!;
        values.fill(0, (b * nCtx + q) * dVocabOut, (b * nCtx + q + 1) * dVocabOut);
        values[(b * nCtx + q) * dVocabOut + data.targets[b * nScored + j]!] = 5;
      }
    }
    const logits = tf.tensor3d(values, [data.size, nCtx, dVocabOut]);
    const loss = await noLeak(() => repeatLoss(logits, data, task.info));
    expect(loss.repeated).toBeCloseTo(Math.log(1 + 9 * Math.exp(-5)), 6);
    expect(loss.nonRepeated).toBeCloseTo(Math.log(1 + 9 * Math.exp(-2)), 6);
    expect(loss.repeatedAccuracy).toBe(1);
    expect(loss.nonRepeatedAccuracy).toBe(1);
    const flat = tf.zeros([data.size, nCtx, dVocabOut]);
    const uniform = await repeatLoss(flat, data, task.info);
    expect(uniform.repeated).toBeCloseTo(Math.log(10), 6);
    expect(uniform.nonRepeated).toBeCloseTo(Math.log(10), 6);
    tf.dispose([logits, flat]);
  });

  it('names logits that do not cover every position', async () => {
    const logits = tf.zeros([data.size, 3, dVocabOut]);
    await expect(repeatLoss(logits, data, task.info)).rejects.toThrow(/logits must be \[30, 15, 10\] \(every position of every example\), got \[30, 3, 10\]/);
    logits.dispose();
  });
});
