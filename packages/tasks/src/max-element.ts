// The max element of a sequence, the write-up's skip-trigram task: `START 0 4 7 2 4 14 9 7 2 5 3 END` has exactly
// one element from the top range (14); the model outputs it after END. A 1-layer attention-only model solves it
// with one skip trigram per top value (`14 .. END -> 14`).
import type { Rng } from './random';
import { sampledTask } from './sampled-task';
import type { Task } from './task';
import type { Dataset, TaskInfo } from './types';
import { checkInteger, checkKeys } from './validate';

/** Options of {@link maxElement}; the defaults are the write-up's (11 elements, 10 low and 10 top values). */
export interface MaxElementOptions {
  /** Elements between START and END, an integer >= 2. Default 11. */
  length?: number;
  /** The other elements are uniform in [0, lowValues); an integer >= 1. Default 10. */
  lowValues?: number;
  /** The max is uniform in [lowValues, lowValues + topValues); an integer >= 1. Default 10. */
  topValues?: number;
}

/**
 * Writes `START values END` as row `row` of `dataset`, scored at END (position values.length + 1) with target
 * max(values). START and END are the tokens valueCount and valueCount + 1.
 */
export function writeMaxElement(values: ArrayLike<number>, valueCount: number, dataset: Dataset, row: number): void {
  const nCtx = values.length + 2;
  const tokens = dataset.tokens.subarray(row * nCtx, (row + 1) * nCtx);
  tokens[0] = valueCount;
  let max = -1;
  for (let i = 0; i < values.length; i++) {
    tokens[i + 1] = values[i]!;
    max = Math.max(max, values[i]!);
  }
  tokens[nCtx - 1] = valueCount + 1;
  dataset.positions[row] = nCtx - 1;
  dataset.targets[row] = max;
}

/**
 * Max element. Construction of one example: pick the max's position uniformly among the `length` elements and its
 * value uniformly from the top range [lowValues, lowValues + topValues); draw every other element uniformly from
 * [0, lowValues). So exactly one element lies in the top range, above all the others, and the answer is it.
 *
 * Input vocabulary: values 0..V-1 (V = lowValues + topValues), START (= V), END (= V + 1); output vocabulary: the
 * values 0..V-1 (only the top ones are ever targets); nCtx = length + 2; one scored slot, at END. `outputNames`
 * are the values, so per-trigram loss filters a batch by target (`outputNames[target] === '14'`).
 * Split defaults: trainSize 1000 and testSize 1000 (the write-up gives no training-set size for this task).
 *
 * @example
 * const task = maxElement();
 * task.info.fixedPositions; // [12]
 * const batch = task.sample(64, createRng(0));
 * batch.targets[0] >= 10; // true: the max is from the top range 10..19
 */
export function maxElement(options: MaxElementOptions = {}): Task {
  checkKeys('maxElement options', options, ['length', 'lowValues', 'topValues']);
  const length = checkInteger('length', options.length ?? 11, 2);
  const lowValues = checkInteger('lowValues', options.lowValues ?? 10, 1);
  const topValues = checkInteger('topValues', options.topValues ?? 10, 1);
  const valueCount = lowValues + topValues;
  const valueNames = Array.from({ length: valueCount }, (_, i) => String(i));
  const info: TaskInfo = {
    name: 'max-element',
    dVocab: valueCount + 2,
    dVocabOut: valueCount,
    nCtx: length + 2,
    nScored: 1,
    fixedPositions: [length + 1],
    tokenNames: [...valueNames, 'START', 'END'],
    outputNames: valueNames,
    slotNames: ['max'],
  };
  const values = new Int32Array(length);
  return sampledTask({
    info,
    universe: length * topValues * lowValues ** (length - 1),
    defaultTrainSize: 1000,
    defaultTestSize: 1000,
    write(rng: Rng, dataset: Dataset, row: number) {
      const maxPosition = rng.int(length);
      for (let i = 0; i < length; i++) values[i] = i === maxPosition ? lowValues + rng.int(topValues) : rng.int(lowValues);
      writeMaxElement(values, valueCount, dataset, row);
    },
  });
}
