// The split and sampler shared by the tasks whose universe is too large to enumerate (digit addition, repeated
// subsequence, max element): examples are drawn one at a time from a seeded generator, and a finite split keeps the
// first trainSize distinct inputs for training and the next testSize distinct inputs for testing.
import { allocateDataset } from './dataset';
import { createRng, type Rng } from './random';
import type { Split, Task } from './task';
import type { Dataset, TaskInfo } from './types';
import { checkInteger, checkSplitOptions } from './validate';

/** How a sampled task draws one example, and its split defaults. */
export interface ExampleSource {
  info: TaskInfo;
  /** The number of distinct inputs the task can produce (an upper bound is fine; Infinity when it overflows). */
  universe: number;
  /** Default sizes when a split does not give them. */
  defaultTrainSize: number;
  defaultTestSize: number;
  /** Draws one example with `rng` and writes it as row `row` of `dataset`. */
  write(rng: Rng, dataset: Dataset, row: number): void;
}

/** Copies row `from` of `source` to row `to` of `target` (same task). */
function copyRow(source: Dataset, from: number, target: Dataset, to: number, info: TaskInfo): void {
  const { nCtx, nScored } = info;
  target.tokens.set(source.tokens.subarray(from * nCtx, (from + 1) * nCtx), to * nCtx);
  target.positions.set(source.positions.subarray(from * nScored, (from + 1) * nScored), to * nScored);
  target.targets.set(source.targets.subarray(from * nScored, (from + 1) * nScored), to * nScored);
}

/**
 * Draws `trainSize` then `testSize` examples with distinct inputs (`tokens` rows) from `createRng(seed)`. Duplicates
 * of an earlier input are skipped, so train and test share no input and neither repeats one. Deterministic: the same
 * seed and sizes give the same sets; the training set for a seed does not depend on testSize.
 */
function distinctSplit(source: ExampleSource, seed: number, trainSize: number, testSize: number): Split {
  const { info } = source;
  const needed = trainSize + testSize;
  if (needed > source.universe) {
    throw new Error(
      `trainSize + testSize must be at most ${source.universe} (the number of distinct ${info.name} inputs), got ${needed}`,
    );
  }
  const train = allocateDataset(trainSize, info);
  const test = allocateDataset(testSize, info);
  const scratch = allocateDataset(1, info);
  const rng = createRng(seed);
  const seen = new Set<string>();
  // Enough draws to collect every example of a universe barely larger than `needed` (coupon collector, ~n ln n).
  const maxDraws = Math.ceil(2 * needed * (Math.log(needed + 1) + 1)) + 1000;
  let kept = 0;
  for (let draws = 0; kept < needed; draws++) {
    if (draws === maxDraws) {
      throw new Error(`could not draw ${needed} distinct ${info.name} examples in ${maxDraws} draws; ask for fewer`);
    }
    source.write(rng, scratch, 0);
    const key = scratch.tokens.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    if (kept < trainSize) copyRow(scratch, 0, train, kept, info);
    else copyRow(scratch, 0, test, kept - trainSize, info);
    kept++;
  }
  return { train, test };
}

/** A {@link Task} from an example source: the split draws distinct examples, the sampler draws with replacement. */
export function sampledTask(source: ExampleSource): Task {
  const { info } = source;
  return {
    info,
    split(options) {
      const what = `${info.name} split options`;
      const seed = checkSplitOptions(what, options, ['seed', 'trainSize', 'testSize', 'trainFraction']);
      if (options.trainFraction !== undefined) {
        throw new Error(
          `trainFraction does not apply to ${info.name}: its ${source.universe} possible inputs make a fraction useless; ` +
            `give trainSize (default ${source.defaultTrainSize}) and testSize (default ${source.defaultTestSize})`,
        );
      }
      const trainSize = checkInteger('trainSize', options.trainSize ?? source.defaultTrainSize, 1);
      const testSize = checkInteger('testSize', options.testSize ?? source.defaultTestSize, 0);
      return distinctSplit(source, seed, trainSize, testSize);
    },
    sample(count, rng) {
      checkInteger('count', count, 0);
      const dataset = allocateDataset(count, info);
      for (let row = 0; row < count; row++) source.write(rng, dataset, row);
      return dataset;
    },
  };
}
