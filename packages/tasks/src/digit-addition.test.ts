import fc from 'fast-check';
import { allocateDataset } from './dataset';
import { digitAddition, writeAddition } from './digit-addition';
import { createRng } from './random';
import type { Dataset, TaskInfo } from './types';

/** The full string `a + b = s` of example r: the input's token names, then its last target. */
function fullString(dataset: Dataset, info: TaskInfo, r: number): string {
  const input = Array.from(dataset.tokens.subarray(r * info.nCtx, (r + 1) * info.nCtx), (t) => info.tokenNames[t]);
  return [...input, info.outputNames[dataset.targets[(r + 1) * info.nScored - 1]!]].join('|');
}

/** Checks example r against BigInt addition of the operands read back from its tokens. */
function checkSum(dataset: Dataset, info: TaskInfo, r: number, n: number): void {
  const tokens = Array.from(dataset.tokens.subarray(r * info.nCtx, (r + 1) * info.nCtx));
  const a = BigInt(tokens.slice(0, n).join(''));
  const b = BigInt(tokens.slice(n + 1, 2 * n + 1).join(''));
  const sum = (a + b).toString().padStart(n + 1, '0').split('').map(Number);
  const targets = Array.from(dataset.targets.subarray(r * (n + 1), (r + 1) * (n + 1)));
  const positions = Array.from(dataset.positions.subarray(r * (n + 1), (r + 1) * (n + 1)));
  expect(targets).toEqual(sum);
  expect(positions).toEqual(Array.from({ length: n + 1 }, (_, k) => 2 * n + 1 + k));
  expect(tokens[n]).toBe(10);
  expect(tokens[2 * n + 1]).toBe(11);
  expect(tokens.slice(2 * n + 2)).toEqual(sum.slice(0, n)); // the model reads the sum so far (teacher forcing)
}

describe('digitAddition', () => {
  it('describes 5-digit addition', () => {
    const { info } = digitAddition();
    expect(info).toMatchObject({ name: 'digit-addition', dVocab: 12, dVocabOut: 10, nCtx: 17, nScored: 6 });
    expect(info.fixedPositions).toEqual([11, 12, 13, 14, 15, 16]);
    expect(info.slotNames).toEqual(['digit 0', 'digit 1', 'digit 2', 'digit 3', 'digit 4', 'digit 5']);
    expect(info.tokenNames.slice(9)).toEqual(['9', '+', '=']);
  });

  it("writes the write-up's example 13452 + 58321 = 071773", () => {
    const task = digitAddition();
    const dataset = allocateDataset(1, task.info);
    writeAddition([1, 3, 4, 5, 2], [5, 8, 3, 2, 1], dataset, 0);
    expect(fullString(dataset, task.info, 0)).toBe('1|3|4|5|2|+|5|8|3|2|1|=|0|7|1|7|7|3');
    expect(Array.from(dataset.targets)).toEqual([0, 7, 1, 7, 7, 3]);
    expect(Array.from(dataset.positions)).toEqual([11, 12, 13, 14, 15, 16]);
  });

  it('carries through every digit: 99999 + 99999 = 199998, 50000 + 50000 = 100000', () => {
    const { info } = digitAddition();
    const dataset = allocateDataset(2, info);
    writeAddition([9, 9, 9, 9, 9], [9, 9, 9, 9, 9], dataset, 0);
    writeAddition([5, 0, 0, 0, 0], [5, 0, 0, 0, 0], dataset, 1);
    expect(fullString(dataset, info, 0)).toBe('9|9|9|9|9|+|9|9|9|9|9|=|1|9|9|9|9|8');
    expect(fullString(dataset, info, 1)).toBe('5|0|0|0|0|+|5|0|0|0|0|=|1|0|0|0|0|0');
  });

  it('gets every sum right for arbitrary operands (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }).chain((n) =>
          fc.tuple(fc.constant(n), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }),
            fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n })),
        ),
        ([n, a, b]) => {
          const { info } = digitAddition({ digits: n });
          const dataset = allocateDataset(1, info);
          writeAddition(a, b, dataset, 0);
          checkSum(dataset, info, 0, n);
          expect(dataset.tokens.slice(0, n)).toEqual(Int32Array.from(a));
        },
      ),
    );
  });

  it('samples correct sums with uniform digits (property over seeds and sizes)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer(), (n, seed) => {
        const task = digitAddition({ digits: n });
        const batch = task.sample(20, createRng(seed));
        for (let r = 0; r < batch.size; r++) checkSum(batch, task.info, r, n);
      }),
      { numRuns: 50 },
    );
    const batch = digitAddition().sample(4000, createRng(9));
    const counts = new Array(10).fill(0);
    for (let r = 0; r < batch.size; r++) counts[batch.tokens[r * 17]!]++; // the first digit of a
    for (const c of counts) expect(Math.abs(c - 400)).toBeLessThan(80); // ~4 standard deviations
    expect(digitAddition().sample(5, createRng(9)).tokens).toEqual(batch.tokens.slice(0, 5 * 17));
  });

  it('splits into 700 train and 1000 test examples with distinct inputs, deterministically', () => {
    const task = digitAddition();
    const { train, test } = task.split({ seed: 0 });
    expect(train.size).toBe(700);
    expect(test.size).toBe(1000);
    const keys = new Set<string>();
    for (const set of [train, test]) {
      for (let r = 0; r < set.size; r++) {
        keys.add(set.tokens.subarray(r * 17, (r + 1) * 17).join());
        checkSum(set, task.info, r, 5);
      }
    }
    expect(keys.size).toBe(1700);
    const again = task.split({ trainSize: 700, testSize: 1000, seed: 0 });
    expect(again.train.tokens).toEqual(train.tokens);
    expect(again.test.targets).toEqual(test.targets);
    expect(task.split({ trainSize: 700, testSize: 3, seed: 0 }).train.tokens).toEqual(train.tokens);
    expect(task.split({ seed: 1 }).train.tokens).not.toEqual(train.tokens);
  });

  it('covers the whole universe of 1-digit sums when asked for all 100', () => {
    const task = digitAddition({ digits: 1 });
    const { train, test } = task.split({ trainSize: 60, testSize: 40, seed: 2 });
    const pairs = new Set<number>();
    for (const set of [train, test]) for (let r = 0; r < set.size; r++) pairs.add(set.tokens[r * 5]! * 10 + set.tokens[r * 5 + 2]!);
    expect(pairs.size).toBe(100);
    expect(() => task.split({ seed: 2 })).toThrow(
      'trainSize + testSize must be at most 100 (the number of distinct digit-addition inputs), got 1700',
    );
  });

  it('rejects bad arguments, naming the argument, its value and what is allowed', () => {
    expect(() => digitAddition({ digits: 0 })).toThrow('digits must be an integer >= 1, got 0');
    expect(() => digitAddition({ digits: 2.5 })).toThrow('digits must be an integer >= 1, got 2.5');
    expect(() => digitAddition({ digits: NaN })).toThrow('digits must be an integer >= 1, got NaN');
    expect(() => digitAddition({ digit: 3 } as object)).toThrow('unknown option "digit"; allowed: digits');
    const task = digitAddition();
    expect(() => task.split({ seed: 0, trainFraction: 0.3 })).toThrow('trainFraction does not apply to digit-addition');
    expect(() => task.split({ seed: 0, trainSize: 0 })).toThrow('trainSize must be an integer >= 1, got 0');
    expect(() => task.split({ seed: 0, testSize: -1 })).toThrow('testSize must be an integer >= 0, got -1');
    expect(() => task.split({ seed: NaN })).toThrow('seed must be a safe integer, got NaN');
    expect(() => task.split(undefined as never)).toThrow('must be an object with a seed');
  });
});
