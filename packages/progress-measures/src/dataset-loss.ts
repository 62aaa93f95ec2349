// Loss and accuracy of a model on a dataset: overall, per scored slot (one curve per sum digit in digit addition)
// and per target token (one curve per skip trigram in max element, whose answer names the trigram).
import type { Model } from '@grokking/model';
import type { Dataset, TaskInfo } from '@grokking/tasks';
import { rowStats, type RowStats } from './cross-entropy';
import { scoredLogits } from './scored-logits';

/** Loss and accuracy of one dataset, every mean taken in float64. */
export interface DatasetLoss {
  /** Mean cross-entropy over every scored slot of every example. */
  loss: number;
  /** Fraction of scored slots whose arg-max logit is the target. */
  accuracy: number;
  /** Mean loss per slot, [nScored]. */
  slotLoss: number[];
  /** Accuracy per slot, [nScored]. */
  slotAccuracy: number[];
  /** Mean loss over the slots whose target is each output token, keyed by `info.outputNames`; only targets that occur. */
  targetLoss: Record<string, number>;
}

/**
 * Aggregates per-row losses and correctness (rows example-major, slot-minor, as {@link scoredLogits} orders them)
 * into overall, per-slot and per-target means.
 *
 * @example
 * const stats = summarizeRows(await rowStats(logits, dataset.targets), dataset.targets, task.info);
 */
export function summarizeRows(rows: RowStats, targets: Int32Array, info: TaskInfo): DatasetLoss {
  const { nScored, outputNames } = info;
  const n = targets.length;
  if (rows.losses.length !== n || n % nScored !== 0) {
    throw new Error(`expected one loss per target (${n}, a multiple of nScored = ${nScored}), got ${rows.losses.length}`);
  }
  const slotSum = new Array<number>(nScored).fill(0);
  const slotCorrect = new Array<number>(nScored).fill(0);
  const targetSum = new Map<number, number>();
  const targetCount = new Map<number, number>();
  let sum = 0;
  let correct = 0;
  for (let r = 0; r < n; r++) {
    const loss = rows.losses[r]!;
    const j = r % nScored;
    const t = targets[r]!;
    sum += loss;
    correct += rows.correct[r]!;
    slotSum[j] = slotSum[j]! + loss;
    slotCorrect[j] = slotCorrect[j]! + rows.correct[r]!;
    targetSum.set(t, (targetSum.get(t) ?? 0) + loss);
    targetCount.set(t, (targetCount.get(t) ?? 0) + 1);
  }
  const examples = n / nScored;
  const targetLoss: Record<string, number> = {};
  for (const t of [...targetSum.keys()].sort((a, b) => a - b)) {
    targetLoss[outputNames[t] ?? String(t)] = targetSum.get(t)! / targetCount.get(t)!;
  }
  return {
    loss: sum / n,
    accuracy: correct / n,
    slotLoss: slotSum.map((s) => s / examples),
    slotAccuracy: slotCorrect.map((c) => c / examples),
    targetLoss,
  };
}

/**
 * Loss and accuracy of a model on a dataset, overall, per slot and per target, from one batched forward pass.
 *
 * @example
 * const { loss, slotLoss } = await datasetLoss(model, test, digitAddition({ digits: 5 }).info); // slotLoss: 6 digits
 */
export async function datasetLoss(model: Model, dataset: Dataset, info: TaskInfo, batchSize?: number): Promise<DatasetLoss> {
  const { logits } = scoredLogits(model, dataset, info, { batchSize });
  try {
    return summarizeRows(await rowStats(logits, dataset.targets), dataset.targets, info);
  } finally {
    logits.dispose();
  }
}
