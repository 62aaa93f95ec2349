// Loss on the repeated and the non-repeated positions of the repeated-subsequence task. A model predicts the next
// token at every position; only the repeat (the second copy, from its first to its second-to-last token) is
// predictable, by induction, and the rest are uniform random tokens, whose best loss is log(vocabSize). An induction
// circuit shows as repeated loss falling far below non-repeated loss, which stays near log(vocabSize).
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset, TaskInfo } from '@grokking/tasks';
import { mean, rowStats } from './cross-entropy';

/** Mean loss and accuracy of next-token prediction on the repeated and the non-repeated positions. */
export interface RepeatLoss {
  repeated: number;
  nonRepeated: number;
  repeatedAccuracy: number;
  nonRepeatedAccuracy: number;
}

/**
 * Loss on repeated vs non-repeated positions, from logits at every position [batch, nCtx, d_vocab_out] (the caller
 * owns them). Repeated positions are the task's scored ones (target: the next copy token); non-repeated positions are
 * every other position q whose next token is a random token (q = 0..nCtx-3: the last two predict END and nothing),
 * with target tokens[q + 1]. No tensor is left behind.
 *
 * @example
 * const logits = model.forward(tf.tensor2d(batch.tokens, [batch.size, task.info.nCtx], 'int32')); // [batch, nCtx, vocab]
 * const { repeated, nonRepeated } = await repeatLoss(logits, batch, task.info); // e.g. 0.01 and 2.3 once induction works
 */
export async function repeatLoss(logits: tf.Tensor, dataset: Dataset, info: TaskInfo): Promise<RepeatLoss> {
  const { nCtx, nScored, dVocabOut } = info;
  if (logits.rank !== 3 || logits.shape[0] !== dataset.size || logits.shape[1] !== nCtx || logits.shape[2] !== dVocabOut) {
    throw new Error(`logits must be [${dataset.size}, ${nCtx}, ${dVocabOut}] (every position of every example), got [${logits.shape.join(', ')}]`);
  }
  if (dataset.tokens.length !== dataset.size * nCtx || dataset.targets.length !== dataset.size * nScored) {
    throw new Error(`dataset does not match task ${info.name}: size ${dataset.size}, nCtx ${nCtx}, nScored ${nScored}`);
  }
  if (dataset.size === 0 || nCtx < 3) throw new Error(`repeatLoss needs examples with at least 3 positions, got ${dataset.size} of ${nCtx}`);
  const repeatedRows: number[] = [];
  const repeatedTargets: number[] = [];
  const otherRows: number[] = [];
  const otherTargets: number[] = [];
  for (let b = 0; b < dataset.size; b++) {
    const scored = new Set<number>();
    for (let j = 0; j < nScored; j++) {
      const q = dataset.positions[b * nScored + j]!;
      scored.add(q);
      repeatedRows.push(b * nCtx + q);
      repeatedTargets.push(dataset.targets[b * nScored + j]!);
    }
    for (let q = 0; q <= nCtx - 3; q++) {
      if (scored.has(q)) continue;
      otherRows.push(b * nCtx + q);
      otherTargets.push(dataset.tokens[b * nCtx + q + 1]!);
    }
  }
  const statsOf = async (rows: number[], targets: number[]) => {
    if (rows.length === 0) return { loss: NaN, accuracy: NaN };
    const picked = tf.tidy(() => tf.gather(tf.reshape(logits, [dataset.size * nCtx, dVocabOut]), Int32Array.from(rows)) as tf.Tensor2D); // [rows, d_vocab_out]
    try {
      const { losses, correct } = await rowStats(picked, Int32Array.from(targets));
      return { loss: mean(losses), accuracy: mean(correct) };
    } finally {
      picked.dispose();
    }
  };
  const repeated = await statsOf(repeatedRows, repeatedTargets);
  const other = await statsOf(otherRows, otherTargets);
  return { repeated: repeated.loss, nonRepeated: other.loss, repeatedAccuracy: repeated.accuracy, nonRepeatedAccuracy: other.accuracy };
}
