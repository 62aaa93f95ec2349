// Repeated subsequences, the write-up's induction task: `7 2 8 3 1 9 3 8 3 1 9 9 2 5 END` is uniform random tokens in
// which one subsequence (`8 3 1 9`) appears again later. Only the repeat is predictable, and only from its second
// token on (by an induction circuit: find the earlier copy of the current token, predict the token after it).
import type { Rng } from './random';
import { sampledTask } from './sampled-task';
import type { Task } from './task';
import type { Dataset, TaskInfo } from './types';
import { checkInteger, checkKeys } from './validate';

/** Options of {@link repeatedSubsequence}; the defaults are those of the write-up's example sequence. */
export interface RepeatedSubsequenceOptions {
  /** Number of random token values (END excluded), an integer >= 2. Default 10. */
  vocabSize?: number;
  /** Number of random tokens before END, an integer >= 4. Default 14. */
  length?: number;
  /** Length of the repeated subsequence, an integer in [2, floor(length / 2)]. Default 4. */
  repeatLength?: number;
}

/**
 * Writes one example as row `row` of `dataset`: `base` (length random tokens) with `base[first .. first+L)` copied
 * over `[second .. second+L)` (second >= first + L), then END (= vocabSize). Slot j (j = 0..L-2) is position
 * second + j, whose next token is copy token j+1, the target.
 */
export function writeRepeat(
  base: ArrayLike<number>,
  first: number,
  second: number,
  repeatLength: number,
  vocabSize: number,
  dataset: Dataset,
  row: number,
): void {
  const length = base.length;
  const nCtx = length + 1;
  const nScored = repeatLength - 1;
  const tokens = dataset.tokens.subarray(row * nCtx, (row + 1) * nCtx);
  for (let i = 0; i < length; i++) tokens[i] = base[i]!;
  for (let k = 0; k < repeatLength; k++) tokens[second + k] = tokens[first + k]!;
  tokens[length] = vocabSize;
  for (let j = 0; j < nScored; j++) {
    dataset.positions[row * nScored + j] = second + j;
    dataset.targets[row * nScored + j] = tokens[second + j + 1]!;
  }
}

/**
 * Repeated subsequences for a 2-layer attention-only model (the write-up's induction task). Construction of one
 * example: draw `length` tokens uniformly from [0, vocabSize); choose the two copies' starts `first < second`
 * uniformly among all non-overlapping placements (second >= first + repeatLength, second + repeatLength <= length;
 * copies may touch); overwrite the second copy with the first; append END. Tokens outside the copies are untouched,
 * so they may repeat by chance, as in the write-up.
 *
 * Input vocabulary: 0..vocabSize-1 and END (= vocabSize); output vocabulary 0..vocabSize-1; nCtx = length + 1. The
 * scored slots are the second copy's positions from its first to its second-to-last token, each predicting the next
 * copy token (`copy token 1` .. `copy token L-1`); positions vary per example (`fixedPositions` null). Defaults: the
 * write-up's format (10 token values, 14 tokens, repeat of 4: 3 scored slots), small enough to train in a browser tab.
 * Split defaults: trainSize 512 (the write-up's grokking run), testSize 1000.
 *
 * @example
 * const task = repeatedSubsequence({ vocabSize: 10, length: 14, repeatLength: 4 });
 * task.info.nCtx; // 15
 * const batch = task.sample(32, createRng(0)); // infinite data: fresh examples on every call
 * const mask = datasetMask(batch, task.info); // [32, 15], three ones per row
 */
export function repeatedSubsequence(options: RepeatedSubsequenceOptions = {}): Task {
  checkKeys('repeatedSubsequence options', options, ['vocabSize', 'length', 'repeatLength']);
  const vocabSize = checkInteger('vocabSize', options.vocabSize ?? 10, 2);
  const length = checkInteger('length', options.length ?? 14, 4);
  const maxRepeat = Math.floor(length / 2);
  const why = ` (two copies must fit in length ${length})`;
  const repeatLength = checkInteger('repeatLength', options.repeatLength ?? 4, 2, maxRepeat, why);
  const slack = length - 2 * repeatLength; // free tokens outside the two copies
  const valueNames = Array.from({ length: vocabSize }, (_, i) => String(i));
  const info: TaskInfo = {
    name: 'repeated-subsequence',
    dVocab: vocabSize + 1,
    dVocabOut: vocabSize,
    nCtx: length + 1,
    nScored: repeatLength - 1,
    fixedPositions: null,
    tokenNames: [...valueNames, 'END'],
    outputNames: valueNames,
    slotNames: Array.from({ length: repeatLength - 1 }, (_, j) => `copy token ${j + 1}`),
  };
  const base = new Int32Array(length);
  return sampledTask({
    info,
    // Placements times the free tokens: an upper bound, since one input can arise from two placements.
    universe: (((slack + 1) * (slack + 2)) / 2) * vocabSize ** (length - repeatLength),
    defaultTrainSize: 512,
    defaultTestSize: 1000,
    write(rng: Rng, dataset: Dataset, row: number) {
      for (let i = 0; i < length; i++) base[i] = rng.int(vocabSize);
      // Uniform over placements: first in [0, slack], gap in [0, slack - first], by rejection from the square.
      let first: number;
      let gap: number;
      do {
        first = rng.int(slack + 1);
        gap = rng.int(slack + 1);
      } while (first + gap > slack);
      writeRepeat(base, first, first + repeatLength + gap, repeatLength, vocabSize, dataset, row);
    },
  });
}
