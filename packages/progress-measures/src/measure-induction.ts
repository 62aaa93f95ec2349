// The induction measures of one checkpoint of the repeated-subsequence task: every head's previous-token and
// induction score (induction-scores.ts) and the loss on repeated vs non-repeated positions (repeat-loss.ts), from one
// cached forward pass per batch. Measured over a series of checkpoints, the induction score's rise is the induction
// head forming; inductionFormation (induction-formation.ts) reads its epoch.
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '@grokking/model';
import type { Dataset, TaskInfo } from '@grokking/tasks';
import { attentionPatterns } from './attention-patterns';
import { headScores, type HeadScores } from './induction-scores';
import { repeatLoss, type RepeatLoss } from './repeat-loss';

/** One checkpoint's induction measures: head scores per layer and head, baselines, and the repeat losses. */
export type InductionMeasure = HeadScores & { loss: RepeatLoss };

/**
 * Measures a transformer on repeated-subsequence examples: every layer's and head's previous-token and induction
 * score, the uniform baselines, and the loss on repeated vs non-repeated positions, all as plain data. Examples go
 * through the model in batches (default 1000); scores and losses are means over all examples (every example has the
 * same number of positions of each kind, so batch means weigh by batch size). No tensor is left behind.
 *
 * @example
 * const task = repeatedSubsequence();
 * const m = await measureInduction(model, task.sample(1000, createRng(1)), task.info);
 * m.induction[1]; // layer 1's heads, e.g. [0.93, 0.12]
 */
export async function measureInduction(model: Model, dataset: Dataset, info: TaskInfo, options: { batchSize?: number } = {}): Promise<InductionMeasure> {
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  if (dataset.size === 0) throw new Error('dataset must hold at least one example, got none');
  const { nCtx, nScored } = info;
  let total: InductionMeasure | null = null;
  for (let start = 0; start < dataset.size; start += batchSize) {
    const count = Math.min(batchSize, dataset.size - start);
    const batch: Dataset = {
      size: count,
      tokens: dataset.tokens.subarray(start * nCtx, (start + count) * nCtx),
      positions: dataset.positions.subarray(start * nScored, (start + count) * nScored),
      targets: dataset.targets.subarray(start * nScored, (start + count) * nScored),
    };
    const tokens = tf.tensor2d(batch.tokens, [count, nCtx], 'int32'); // [count, nCtx]
    const { patterns, logits } = (() => {
      try {
        return attentionPatterns(model, tokens); // patterns [count, n_heads, nCtx, nCtx] per layer; logits [count, nCtx, d_vocab_out]
      } finally {
        tokens.dispose();
      }
    })();
    try {
      const part: InductionMeasure = { ...headScores(patterns, batch, info), loss: await repeatLoss(logits, batch, info) };
      total = total ? addWeighted(total, part, start, count) : part;
    } finally {
      tf.dispose([...patterns, logits]);
    }
  }
  return total!;
}

/** The running mean of `sum` (over `before` examples) with `part` (over `count` more). */
function addWeighted(sum: InductionMeasure, part: InductionMeasure, before: number, count: number): InductionMeasure {
  const w = count / (before + count);
  const mix = (a: number, b: number) => a + (b - a) * w;
  const mixGrid = (a: number[][], b: number[][]) => a.map((row, l) => row.map((v, h) => mix(v, b[l]![h]!)));
  const mixAll = <T extends object>(a: T, b: T): T => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, mix(v as number, (b as Record<string, number>)[k]!)])) as T;
  return {
    previousToken: mixGrid(sum.previousToken, part.previousToken),
    induction: mixGrid(sum.induction, part.induction),
    baseline: mixAll(sum.baseline, part.baseline),
    loss: mixAll(sum.loss, part.loss),
  };
}
