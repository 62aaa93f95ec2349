// Excluded and restricted loss of subtraction, multiplication and division, on ideal logits Σ α cos(w(a+b-c)) in the
// operation's group: restricted loss must equal the full loss (computed in float64 on the group's pairs), excluded
// loss must rise to that of logits without the key terms, for p = 7, 11, 13; addition must match excludedLoss itself.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { operationGroup } from '@grokking/fourier-analysis';
import { modularArithmetic, type ModularTask } from '@grokking/tasks';
import { excludedLoss, restrictedLoss } from './fourier-losses';
import { groupOperationOf, operationExcludedLoss, operationRestrictedLoss } from './operation-losses';
import { expectClose, noLeak, referenceLoss } from './test-fixtures';

beforeAll(async () => {
  await readyBackend('cpu');
});

const KEYS: Record<number, number[]> = { 6: [1], 7: [2], 10: [2, 3], 11: [1, 4], 12: [1, 5], 13: [3, 5] };

/** Logits over all() of an operation's task: 8 Σ_w cos(2πw(a+b-c)/m) in group indices, -3 on the answer 0 outside the group. */
function idealLogits(task: ModularTask, operation: 'add' | 'subtract' | 'multiply' | 'divide') {
  const p = task.p;
  const group = operationGroup(p, operation);
  const { x, y } = task.pairs();
  const keys = KEYS[group.m]!;
  const values = new Float64Array(task.pairCount * p);
  for (let row = 0; row < task.pairCount; row++) {
    const [a, b] = [group.x[x[row]!]!, group.y[y[row]!]!];
    for (let z = 0; z < p; z++) {
      const c = group.z[z]!;
      values[row * p + z] = a < 0 || b < 0 ? Math.cos(row + z) : c < 0 ? -3 : keys.reduce((s, w) => s + 8 * Math.cos((2 * Math.PI * w * (a + b - c)) / group.m), 0);
    }
  }
  const inGroup = (row: number) => group.x[x[row]!]! >= 0 && group.y[y[row]!]! >= 0;
  return { values, keys, inGroup };
}

/** Mean float64 cross-entropy over the given rows of a table [rows, p]. */
function meanLoss(values: Float64Array, p: number, rows: number[], targets: Int32Array): number {
  return rows.reduce((s, r) => s + referenceLoss(values.subarray(r * p, (r + 1) * p), targets[r]!), 0) / rows.length;
}

const cases = [7, 11, 13].flatMap((p) => (['subtract', 'multiply', 'divide'] as const).map((op) => [p, op] as const));

describe('operationExcludedLoss and operationRestrictedLoss', () => {
  it.each(cases)('p = %i, %s: restricted loss is the full loss of the group\'s pairs, excluded loss that of no key terms', async (p, operation) => {
    const task = modularArithmetic({ p, operation });
    expect(groupOperationOf(task)).toBe(operation);
    const { trainIndices, testIndices } = task.split({ trainFraction: 0.5, seed: 1 });
    const { values, keys, inGroup } = idealLogits(task, operation);
    const targets = task.all().targets;
    const logits = tf.tensor2d(Float32Array.from(values), [task.pairCount, p]);
    const inputs = { task, logits, trainIndices, testIndices };
    const restricted = await noLeak(() => operationRestrictedLoss(inputs, keys));
    const excluded = await noLeak(() => operationExcludedLoss(inputs, keys));
    logits.dispose();

    const train = [...trainIndices].filter(inGroup);
    const test = [...testIndices].filter(inGroup);
    expectClose(restricted.train, meanLoss(values, p, train, targets), 1e-4);
    expectClose(restricted.test!, meanLoss(values, p, test, targets), 1e-4);
    // Without the key terms every group answer's logit is 0 and the answer 0's is -3.
    const flat = Math.log(p - 1 + Math.exp(-3));
    const noKeys = operation === 'subtract' ? Math.log(p) : flat;
    expectClose(excluded.all, noKeys, 1e-4);
    expect(Object.keys(excluded.byFrequency)).toEqual(keys.map(String));
    expect(excluded.all).toBeGreaterThan(10 * restricted.train);
  });

  it('for addition, is excludedLoss and restrictedLoss on the logits as they are', async () => {
    const p = 7;
    const task = modularArithmetic({ p });
    const { trainIndices, testIndices } = task.split({ trainFraction: 0.5, seed: 1 });
    const { values } = idealLogits(task, 'add');
    const logits = tf.tensor2d(Float32Array.from(values).map((v, i) => v + 0.3 * Math.sin(i)), [p * p, p]);
    const inputs = { task, logits, trainIndices, testIndices };
    const direct = { logits, p, targets: task.all().targets, trainIndices, testIndices };
    expect(await operationExcludedLoss(inputs, [2])).toEqual(await excludedLoss(direct, [2]));
    expect(await operationRestrictedLoss(inputs, [2])).toEqual(await restrictedLoss(direct, [2]));
    logits.dispose();
  });

  it('names an operation that is no group addition', () => {
    expect(() => groupOperationOf(modularArithmetic({ p: 7, operation: 'x2+y2' }))).toThrow(/need addition, subtraction, multiplication or division, got task modular-x2\+y2/);
  });
});
