// How often each sum digit of n-digit addition needs a carry: the write-up's per-digit phase changes differ because
// some digits are harder, and a digit is harder when it depends on the digits to its right through a carry.
// With A, B the operands and sum digit k (k = 0 the leading 0/1 digit, k = n the units; the task's slot `digit k`),
// the carry into sum digit k is
//   c_k = floor((A mod 10^(n-k) + B mod 10^(n-k)) / 10^(n-k)),
// whether the n-k operand columns right of it overflow (c_0 is the leading digit itself; c_n = 0). A carry is
// chained when it passes through a column whose digits sum to 9: it exists only because of a carry from further
// right, so the digit depends on more than one column below it (the cascades that make some digits hard).
// For uniform random digits P(c_k = 1) = (1 - 10^-(n-k)) / 2 and P(chained) = (1 - 10^-(n-k-1)) / 20 for k < n.
import type { Dataset, TaskInfo } from '@grokking/tasks';

/** Per sum digit (slot `digit k`), the fraction of examples with a carry into it, and with a chained carry. */
export interface DigitCarries {
  /** The slot names, `digit 0` .. `digit n`. */
  names: string[];
  /** carry[k]: the fraction of examples whose operand columns right of sum digit k overflow into it. */
  carry: number[];
  /** chainedCarry[k]: the fraction whose carry into sum digit k passes through a column summing to 9. */
  chainedCarry: number[];
  /** Examples counted. */
  size: number;
}

/**
 * The fraction of a digit-addition dataset's examples that need a carry into each sum digit, and a chained carry
 * (see the file header for the definitions). Reads the operands from the input tokens `a1..an + b1..bn = ...`.
 *
 * @throws for a task other than digit addition, or a dataset that does not fit its info.
 * @example
 * const task = digitAddition({ digits: 5 });
 * const { carry } = digitCarries(task.split({ seed: 0 }).test, task.info);
 * carry; // ≈ [0.5, 0.5, 0.5, 0.495, 0.45, 0] for uniform digits
 */
export function digitCarries(dataset: Dataset, info: TaskInfo): DigitCarries {
  if (info.name !== 'digit-addition') throw new Error(`digitCarries needs the digit-addition task, got ${info.name}`);
  const { nCtx, nScored } = info;
  const n = nScored - 1;
  if (nCtx !== 3 * n + 2) throw new Error(`digit addition with ${n} digits has nCtx ${3 * n + 2}, got ${nCtx}`);
  if (dataset.tokens.length !== dataset.size * nCtx) throw new Error(`dataset tokens must be [${dataset.size}, ${nCtx}], got ${dataset.tokens.length} values`);
  if (dataset.size === 0) throw new Error('dataset must hold at least one example, got none');
  const carries = new Array<number>(n + 1).fill(0);
  const chained = new Array<number>(n + 1).fill(0);
  for (let row = 0; row < dataset.size; row++) {
    const tokens = dataset.tokens.subarray(row * nCtx, (row + 1) * nCtx);
    let carry = 0; // into the current column, from the right
    for (let i = n - 1; i >= 0; i--) {
      const a = tokens[i]!;
      const b = tokens[n + 1 + i]!;
      if (!(a >= 0 && a <= 9 && b >= 0 && b <= 9)) throw new Error(`example ${row} has operand digits ${a} and ${b} in column ${i}; expected digits 0-9`);
      const out = a + b + carry >= 10 ? 1 : 0;
      // Column i's carry goes into sum digit i (sum digit i + 1 is column i's own digit).
      carries[i] = carries[i]! + out;
      chained[i] = chained[i]! + (out && a + b === 9 ? 1 : 0);
      carry = out;
    }
  }
  const fraction = (counts: number[]) => counts.map((c) => c / dataset.size);
  return { names: [...info.slotNames], carry: fraction(carries), chainedCarry: fraction(chained), size: dataset.size };
}
