// The common shape of every task: its metadata, a finite seeded train/test split and an infinite-data sampler.
import type { Rng } from './random';
import type { Dataset, TaskInfo } from './types';

/**
 * How to split a task into train and test sets. Which fields apply depends on the task:
 * - modular tasks take `trainFraction` (of all p² pairs, default 0.3) and nothing else;
 * - sampled tasks (digit addition, repeated subsequence, max element) take `trainSize` and `testSize`: their universes
 *   are astronomically large (10^10 pairs of 5-digit numbers), so a fraction of them is not a useful knob, and
 *   `trainFraction` is rejected with an error saying so.
 *
 * @example
 * const options: SplitOptions = { trainFraction: 0.3, seed: 0 };
 */
export interface SplitOptions {
  /** Seed of the split's generator (any safe integer). The same seed gives the same split on every platform. */
  seed: number;
  /** Modular tasks: the fraction of all pairs used for training, in (0, 1]. */
  trainFraction?: number;
  /** Sampled tasks: the number of distinct training examples. */
  trainSize?: number;
  /** Sampled tasks: the number of distinct test examples, none of which has the input of a training example. */
  testSize?: number;
}

/**
 * A train/test split. The two sets share no input.
 *
 * @example
 * const { train, test } = digitAddition().split({ seed: 0 });
 */
export interface Split {
  train: Dataset;
  test: Dataset;
}

/**
 * A task: what a model needs to know about it, a finite split and an infinite-data sampler.
 *
 * @example
 * const task = maxElement();
 * const batch = task.sample(64, createRng(1)); // 64 fresh examples
 * batch.tokens.length === 64 * task.info.nCtx; // true
 */
export interface Task {
  /** Vocabulary sizes, sequence length, scored positions and names. */
  readonly info: TaskInfo;
  /** A deterministic, disjoint train/test split; see {@link SplitOptions} for which fields apply. */
  split(options: SplitOptions): Split;
  /**
   * `count` examples drawn with `rng` (independently, with replacement), for training on infinite data. Advances
   * `rng`, so successive calls give fresh examples.
   */
  sample(count: number, rng: Rng): Dataset;
}
