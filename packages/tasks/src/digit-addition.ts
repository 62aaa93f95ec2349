// n-digit addition in the write-up's format `1|3|4|5|2|+|5|8|3|2|1|=|0|7|1|7|7|3`: two n-digit numbers (leading
// zeros allowed), most significant digit first, then their n+1 digit sum (its leading digit 0 or 1). The model reads
// the string without its last token and predicts each sum digit at the position before it (next-token convention).
import type { Dataset, TaskInfo } from './types';
import type { Rng } from './random';
import { sampledTask } from './sampled-task';
import type { Task } from './task';
import { checkInteger, checkKeys } from './validate';

/** Options of {@link digitAddition}. */
export interface DigitAdditionOptions {
  /** Digits per operand, an integer >= 1. Default 5, as in the write-up. */
  digits?: number;
}

const plusToken = 10;
const equalsToken = 11;

/**
 * Writes `a + b` (digit arrays of length n, most significant first) as row `row` of `dataset`: input
 * `a1..an + b1..bn = s0..s(n-1)` (nCtx 3n+2), positions 2n+1..3n+1, targets s0..sn.
 */
export function writeAddition(a: ArrayLike<number>, b: ArrayLike<number>, dataset: Dataset, row: number): void {
  const n = a.length;
  const nCtx = 3 * n + 2;
  const tokens = dataset.tokens.subarray(row * nCtx, (row + 1) * nCtx);
  const positions = dataset.positions.subarray(row * (n + 1), (row + 1) * (n + 1));
  const targets = dataset.targets.subarray(row * (n + 1), (row + 1) * (n + 1));
  for (let i = 0; i < n; i++) {
    tokens[i] = a[i]!;
    tokens[n + 1 + i] = b[i]!;
  }
  tokens[n] = plusToken;
  tokens[2 * n + 1] = equalsToken;
  // Sum digit k (k = 0 the leading 0/1) is the target of position 2n+1+k, computed right to left with a carry.
  let carry = 0;
  for (let i = n - 1; i >= 0; i--) {
    const total = a[i]! + b[i]! + carry;
    targets[i + 1] = total % 10;
    carry = total >= 10 ? 1 : 0;
  }
  targets[0] = carry;
  for (let k = 0; k <= n; k++) {
    positions[k] = 2 * n + 1 + k;
    if (k < n) tokens[2 * n + 2 + k] = targets[k]!;
  }
}

/**
 * n-digit addition. Input vocabulary: digits 0-9, `+` (10), `=` (11); output vocabulary: digits 0-9. Each example's
 * operands have uniform random digits (leading zeros allowed), so there are 10^(2n) inputs. The n+1 sum digits are
 * scored separately (slots `digit 0`..`digit n`, `digit 0` the leading 0 or 1) for per-digit loss curves.
 * Split defaults: trainSize 700 (the write-up's grokking run), testSize 1000.
 *
 * @example
 * const task = digitAddition({ digits: 5 });
 * task.info.nCtx; // 17
 * task.info.fixedPositions; // [11, 12, 13, 14, 15, 16]
 * const { train, test } = task.split({ trainSize: 700, testSize: 1000, seed: 0 });
 */
export function digitAddition(options: DigitAdditionOptions = {}): Task {
  checkKeys('digitAddition options', options, ['digits']);
  const n = checkInteger('digits', options.digits ?? 5, 1);
  const digitNames = Array.from({ length: 10 }, (_, i) => String(i));
  const info: TaskInfo = {
    name: 'digit-addition',
    dVocab: 12,
    dVocabOut: 10,
    nCtx: 3 * n + 2,
    nScored: n + 1,
    fixedPositions: Array.from({ length: n + 1 }, (_, k) => 2 * n + 1 + k),
    tokenNames: [...digitNames, '+', '='],
    outputNames: digitNames,
    slotNames: Array.from({ length: n + 1 }, (_, k) => `digit ${k}`),
  };
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  return sampledTask({
    info,
    universe: 10 ** (2 * n),
    defaultTrainSize: 700,
    defaultTestSize: 1000,
    write(rng: Rng, dataset: Dataset, row: number) {
      for (let i = 0; i < n; i++) a[i] = rng.int(10);
      for (let i = 0; i < n; i++) b[i] = rng.int(10);
      writeAddition(a, b, dataset, row);
    },
  });
}
