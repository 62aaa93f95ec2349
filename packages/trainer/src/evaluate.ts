// Loss and accuracy of a model on a dataset, per scored slot and overall. The forward pass runs in chunks (bounded
// memory) without gradients; per-row losses and predictions come back to JS and are summed there in float64.
import * as tf from '@tensorflow/tfjs-core';
import type { TaskInfo } from '@grokking/tasks';
import { batchRowLoss, type DeviceData } from './data';
import type { LossForm, Model } from '@grokking/model';

/** Loss and accuracy on one dataset. */
export interface Evaluation {
  /** Mean cross-entropy over every scored slot of every example. */
  loss: number;
  /** Fraction of scored slots whose arg-max logit is the target. */
  accuracy: number;
  /** Mean loss of each slot (e.g. each sum digit), [nScored]. */
  slotLoss: number[];
  /** Accuracy of each slot, [nScored]. */
  slotAccuracy: number[];
}

/**
 * Evaluates a model on device data, `chunkSize` examples at a time.
 *
 * @example
 * const { loss, accuracy } = await evaluate(model, testData, task.info, 'precise');
 */
export async function evaluate(
  model: Model,
  data: DeviceData,
  info: TaskInfo,
  form: LossForm,
  chunkSize = 4096,
): Promise<Evaluation> {
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new Error(`chunkSize must be a positive integer, got ${chunkSize}`);
  const { nScored, fixedPositions } = info;
  const { dataset, rowsPerExample } = data;
  const slotLoss = new Array<number>(nScored).fill(0);
  const slotCorrect = new Array<number>(nScored).fill(0);
  for (let start = 0; start < data.size; start += chunkSize) {
    const count = Math.min(chunkSize, data.size - start);
    const [lossT, predT] = tf.tidy(() => {
      const batch = {
        tokens: tf.slice(data.tokens, [start, 0], [count, -1]), // [count, nCtx]
        oneHot: tf.slice(data.oneHot, [start, 0, 0], [count, -1, -1]), // [count, rows, dVocabOut]
        weight: null,
      };
      const { rowLoss, logits } = batchRowLoss(model, batch, info, form);
      return [rowLoss, tf.reshape(tf.argMax(logits, 2), [-1])]; // [count * rows] each
    });
    const [rowLoss, predicted] = await Promise.all([lossT.data(), predT.data()]);
    tf.dispose([lossT, predT]);
    for (let i = 0; i < count; i++) {
      const example = start + i;
      for (let j = 0; j < nScored; j++) {
        const row = i * rowsPerExample + (fixedPositions ? j : dataset.positions[example * nScored + j]!);
        slotLoss[j] = slotLoss[j]! + rowLoss[row]!;
        if (predicted[row] === dataset.targets[example * nScored + j]) slotCorrect[j] = slotCorrect[j]! + 1;
      }
    }
  }
  const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
  return {
    loss: sum(slotLoss) / (data.size * nScored),
    accuracy: sum(slotCorrect) / (data.size * nScored),
    slotLoss: slotLoss.map((v) => v / data.size),
    slotAccuracy: slotCorrect.map((v) => v / data.size),
  };
}
