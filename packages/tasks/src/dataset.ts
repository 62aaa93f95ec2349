// Small operations on Datasets that every consumer needs: allocating, selecting rows, and the mask of scored positions.
import type { Dataset, TaskInfo } from './types';

/** A zero-filled Dataset of `size` examples shaped for `info`. */
export function allocateDataset(size: number, info: Pick<TaskInfo, 'nCtx' | 'nScored'>): Dataset {
  return {
    size,
    tokens: new Int32Array(size * info.nCtx), // [size, nCtx]
    positions: new Int32Array(size * info.nScored), // [size, nScored]
    targets: new Int32Array(size * info.nScored), // [size, nScored]
  };
}

/**
 * The examples at `indices` (in that order, repeats allowed), copied into a new Dataset: for minibatches, or for
 * filtering by target.
 *
 * @example
 * const task = modularArithmetic({ p: 5 });
 * const firstRow = selectExamples(task.all(), task.info, [0, 1, 2, 3, 4]); // the pairs (0, y), y = 0..4
 */
export function selectExamples(dataset: Dataset, info: TaskInfo, indices: ArrayLike<number>): Dataset {
  const { nCtx, nScored } = info;
  if (dataset.tokens.length !== dataset.size * nCtx || dataset.targets.length !== dataset.size * nScored) {
    throw new Error(`dataset does not match task ${info.name}: size ${dataset.size}, nCtx ${nCtx}, nScored ${nScored}`);
  }
  const out = allocateDataset(indices.length, info);
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i]!;
    if (!Number.isInteger(row) || row < 0 || row >= dataset.size) {
      throw new Error(`indices[${i}] must be an integer in [0, ${dataset.size - 1}], got ${row}`);
    }
    out.tokens.set(dataset.tokens.subarray(row * nCtx, (row + 1) * nCtx), i * nCtx);
    out.positions.set(dataset.positions.subarray(row * nScored, (row + 1) * nScored), i * nScored);
    out.targets.set(dataset.targets.subarray(row * nScored, (row + 1) * nScored), i * nScored);
  }
  return out;
}

/**
 * The positions every example scores, as a 0/1 mask over the input, [nCtx]. Only for tasks with fixed positions
 * (modular arithmetic, digit addition, max element); for per-example positions use {@link datasetMask}.
 *
 * @example
 * scoredMask(modularArithmetic().info); // Uint8Array [0, 0, 1]: only the `=` position is scored
 */
export function scoredMask(info: TaskInfo): Uint8Array {
  if (info.fixedPositions === null) {
    throw new Error(`task ${info.name} scores different positions in each example; use datasetMask(dataset, info)`);
  }
  const mask = new Uint8Array(info.nCtx); // [nCtx]
  for (const position of info.fixedPositions) mask[position] = 1;
  return mask;
}

/**
 * A 0/1 mask of the scored positions of every example, [size, nCtx], row-major.
 *
 * @example
 * const task = repeatedSubsequence();
 * const batch = task.sample(2, createRng(0));
 * datasetMask(batch, task.info); // 2 · 15 entries, 3 ones in each row
 */
export function datasetMask(dataset: Dataset, info: TaskInfo): Uint8Array {
  const { nCtx, nScored } = info;
  const mask = new Uint8Array(dataset.size * nCtx); // [size, nCtx]
  for (let i = 0; i < dataset.size; i++) {
    for (let j = 0; j < nScored; j++) mask[i * nCtx + dataset.positions[i * nScored + j]!] = 1;
  }
  return mask;
}
