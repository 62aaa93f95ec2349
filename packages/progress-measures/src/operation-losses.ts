// Excluded and restricted loss for subtraction, multiplication and division: the logits over a modular task's pairs
// are re-indexed onto its group (fourier-analysis' operationGroup: x - y = x + (-y) in Z_p; x·y and x/y through
// discrete logarithms in Z_{p-1}), where the operation is c = a + b, and then measured exactly as for addition
// (fourier-losses.ts) with p := m. The directions removed or kept are cos(w(a+b)) and sin(w(a+b)): cos(w(x-y)) for
// subtraction, cos(2πw(log_g x ± log_g y)/(p-1)) for multiplication and division. For multiplication and division the
// pairs with x = 0 or y = 0 (answer 0 by a rule of their own, no group element) are left out of both the fit and the
// losses; the answer 0 stays among the logits (last, after the group's answers), so each loss is still over every
// output.
import * as tf from '@tensorflow/tfjs-core';
import { GROUP_OPERATIONS, groupIndexOrder, groupInputOrder, operationGroup, reindexInputs, reindexOutputs, type GroupOperation, type OperationGroup } from '@grokking/fourier-analysis';
import { isModularTask, modularArithmetic, type ModularTask, type Task } from '@grokking/tasks';
import { excludedLoss, restrictedLoss, type FourierLossInputs } from './fourier-losses';
import type { ExcludedLossMeasure, RestrictedLossMeasure } from './types';

/** Logits of a model over every pair of a modular task, and which pairs are train and test. */
export interface OperationLossInputs {
  task: ModularTask;
  /** [pairCount, d_vocab_out]: row i is pair i of `task.all()`. The caller owns it. */
  logits: tf.Tensor;
  /** Rows of the train pairs, e.g. the task's split's `trainIndices`. */
  trainIndices: ArrayLike<number>;
  /** Rows of the test pairs (omit or leave empty for none). */
  testIndices?: ArrayLike<number>;
}

/**
 * The task as a modular task of subtraction, multiplication or division over all its pairs (whose excluded and
 * restricted loss are read in its group), or null for any other task (addition has its own path).
 *
 * @example
 * groupOperationTask(modularArithmetic({ p: 113, operation: 'subtract' })); // the task
 * groupOperationTask(modularArithmetic({ p: 113 })); // null
 */
export function groupOperationTask(task: Task): ModularTask | null {
  if (!isModularTask(task) || task.info.name === 'modular-addition') return null;
  return namedOperation(task.info.name) ? task : null;
}

/** The group operation whose task has this name, if any. */
function namedOperation(name: string): GroupOperation | undefined {
  // Names come from the tasks package (p = 3 is prime, so every operation builds); none is copied here.
  return GROUP_OPERATIONS.find((op) => modularArithmetic({ p: 3, operation: op }).info.name === name);
}

/**
 * The group operation of a modular task (add, subtract, multiply or divide), matched by its name.
 *
 * @throws for another operation (x²+y², a custom function), which is no group addition.
 * @example
 * groupOperationOf(modularArithmetic({ p: 113, operation: 'divide' })); // 'divide'
 */
export function groupOperationOf(task: ModularTask): GroupOperation {
  const operation = namedOperation(task.info.name);
  if (!operation) throw new Error(`the Fourier measures need addition, subtraction, multiplication or division, got task ${task.info.name}`);
  return operation;
}

/**
 * The inputs of excludedLoss / restrictedLoss in the operation's group: logits [m*m, d_vocab_out] on the group grid
 * with the answers in group order, targets as group answers, and the train and test rows mapped onto the grid
 * (pairs outside the group dropped). `fourier.logits` is a new tensor the caller owns.
 *
 * @example
 * const { group, fourier } = operationFourierInputs({ task, logits, trainIndices });
 * await excludedLoss(fourier, [5, 17]); // frequencies of Z_m
 * fourier.logits.dispose();
 */
export function operationFourierInputs(inputs: OperationLossInputs): { group: OperationGroup; fourier: FourierLossInputs } {
  const { task, logits } = inputs;
  const group = operationGroup(task.p, groupOperationOf(task));
  const { x, y } = task.pairs();
  const all = task.all();
  if (logits.rank !== 2 || logits.shape[0] !== task.pairCount) {
    throw new Error(`logits must be [${task.pairCount}, d_vocab_out] (one row per pair of all()), got [${logits.shape.join(', ')}]`);
  }
  const order = groupInputOrder(group, x, y); // [m*m]: the pair in each cell
  const cellOf = new Int32Array(task.pairCount).fill(-1);
  order.forEach((row, cell) => (cellOf[row] = cell));
  const columns = groupIndexOrder(group.z, logits.shape[1]!); // new column -> answer
  const columnOf = new Int32Array(columns.length);
  columns.forEach((answer, column) => (columnOf[answer] = column));
  const cells = (rows: ArrayLike<number>, what: string) => {
    const out: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (!Number.isInteger(row) || row < 0 || row >= task.pairCount) throw new Error(`${what}[${i}] must be an integer in [0, ${task.pairCount - 1}], got ${row}`);
      if (cellOf[row]! >= 0) out.push(cellOf[row]!);
    }
    return out;
  };
  const fourier: FourierLossInputs = {
    logits: tf.tidy(() => reindexOutputs(reindexInputs(logits, group, x, y), group)), // [m*m, d_vocab_out]
    p: group.m,
    targets: Int32Array.from(order, (row) => columnOf[all.targets[row]!]!),
    trainIndices: cells(inputs.trainIndices, 'trainIndices'),
    testIndices: cells(inputs.testIndices ?? [], 'testIndices'),
  };
  return { group, fourier };
}

/**
 * Excluded loss of a modular operation: train loss with the key frequencies' cos/sin(w(a+b)) components removed in
 * its group (frequencies of Z_m), all together and each alone. No tensor is left behind.
 *
 * @example
 * await operationExcludedLoss({ task, logits, trainIndices }, [5, 17]); // { all, byFrequency }
 */
export async function operationExcludedLoss(inputs: OperationLossInputs, keyFrequencies: readonly number[]): Promise<ExcludedLossMeasure> {
  const { fourier } = operationFourierInputs(inputs);
  try {
    return await excludedLoss(fourier, keyFrequencies);
  } finally {
    fourier.logits.dispose();
  }
}

/**
 * Restricted loss of a modular operation: train and test loss of the logits kept to the key frequencies'
 * cos/sin(w(a+b)) components in its group plus each output's mean. No tensor is left behind.
 *
 * @example
 * await operationRestrictedLoss({ task, logits, trainIndices, testIndices }, [5, 17]); // { train, test }
 */
export async function operationRestrictedLoss(inputs: OperationLossInputs, keyFrequencies: readonly number[]): Promise<RestrictedLossMeasure> {
  const { fourier } = operationFourierInputs(inputs);
  try {
    return await restrictedLoss(fourier, keyFrequencies);
  } finally {
    fourier.logits.dispose();
  }
}
