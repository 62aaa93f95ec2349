import { datasetMask, scoredMask, selectExamples } from './dataset';
import { digitAddition } from './digit-addition';
import { maxElement } from './max-element';
import { modularArithmetic } from './modular';
import { createRng } from './random';
import { repeatedSubsequence } from './repeated-subsequence';

describe('scoredMask', () => {
  it('marks the fixed scored positions', () => {
    expect(Array.from(scoredMask(modularArithmetic().info))).toEqual([0, 0, 1]);
    // 2-digit addition: a1 a2 + b1 b2 = s0 s1 (nCtx 8); the `=` (5) and the two sum digits read (6, 7) predict.
    expect(Array.from(scoredMask(digitAddition({ digits: 2 }).info))).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
    expect(Array.from(scoredMask(maxElement({ length: 3 }).info))).toEqual([0, 0, 0, 0, 1]);
  });

  it('refuses a task whose positions vary, pointing to datasetMask', () => {
    expect(() => scoredMask(repeatedSubsequence().info)).toThrow('use datasetMask(dataset, info)');
  });
});

describe('datasetMask', () => {
  it('marks each example\'s own scored positions', () => {
    const task = repeatedSubsequence();
    const batch = task.sample(50, createRng(3));
    const mask = datasetMask(batch, task.info);
    expect(mask).toHaveLength(50 * 15);
    for (let r = 0; r < 50; r++) {
      const row = Array.from(mask.subarray(r * 15, (r + 1) * 15));
      const second = batch.positions[r * 3]!;
      expect(row).toEqual(Array.from({ length: 15 }, (_, q) => (q >= second && q < second + 3 ? 1 : 0)));
    }
  });

  it('repeats scoredMask for fixed-position tasks', () => {
    const task = digitAddition();
    const batch = task.sample(4, createRng(0));
    expect(Array.from(datasetMask(batch, task.info))).toEqual([0, 1, 2, 3].flatMap(() => Array.from(scoredMask(task.info))));
  });
});

describe('selectExamples', () => {
  it('copies the chosen rows in order, repeats allowed', () => {
    const task = modularArithmetic({ p: 5 });
    const all = task.all();
    const picked = selectExamples(all, task.info, [task.pairIndex(4, 3), task.pairIndex(0, 1), task.pairIndex(4, 3)]);
    expect(picked.size).toBe(3);
    expect(Array.from(picked.tokens)).toEqual([4, 3, 5, 0, 1, 5, 4, 3, 5]);
    expect(Array.from(picked.targets)).toEqual([2, 1, 2]);
    expect(Array.from(picked.positions)).toEqual([2, 2, 2]);
    picked.tokens[0] = 0;
    expect(all.tokens[3 * task.pairIndex(4, 3)]).toBe(4); // a copy, not a view
  });

  it('rejects out-of-range indices and a dataset of another task', () => {
    const task = modularArithmetic({ p: 5 });
    expect(() => selectExamples(task.all(), task.info, [25])).toThrow('indices[0] must be an integer in [0, 24], got 25');
    expect(() => selectExamples(task.all(), digitAddition().info, [0])).toThrow('dataset does not match task digit-addition');
  });
});
