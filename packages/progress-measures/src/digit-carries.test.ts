// digitCarries against the closed form over every pair of 2-digit numbers, and a brute-force count on random data.
import { createRng, digitAddition, maxElement, type Dataset } from '@grokking/tasks';
import { digitCarries } from './digit-carries';

/** Every pair of n-digit operands as a digit-addition dataset (10^(2n) examples), built by the task's own sampler layout. */
function allPairs(n: number): Dataset {
  const task = digitAddition({ digits: n });
  const nCtx = 3 * n + 2;
  const size = 10 ** (2 * n);
  const data = task.sample(size, createRng(0)); // the right shapes; the operands are overwritten below
  for (let r = 0; r < size; r++) {
    const A = Math.floor(r / 10 ** n);
    const B = r % 10 ** n;
    for (let i = 0; i < n; i++) {
      data.tokens[r * nCtx + i] = Math.floor(A / 10 ** (n - 1 - i)) % 10;
      data.tokens[r * nCtx + n + 1 + i] = Math.floor(B / 10 ** (n - 1 - i)) % 10;
    }
  }
  return data;
}

/** The operands of example r, read as numbers. */
function operands(data: Dataset, n: number, r: number): [number, number] {
  const nCtx = 3 * n + 2;
  let A = 0;
  let B = 0;
  for (let i = 0; i < n; i++) {
    A = A * 10 + data.tokens[r * nCtx + i]!;
    B = B * 10 + data.tokens[r * nCtx + n + 1 + i]!;
  }
  return [A, B];
}

describe('digitCarries', () => {
  it('over all pairs of 2-digit numbers, matches the closed form (1 - 10^-(n-k))/2 and (1 - 10^-(n-k-1))/20', () => {
    const n = 2;
    const result = digitCarries(allPairs(n), digitAddition({ digits: n }).info);
    expect(result.names).toEqual(['digit 0', 'digit 1', 'digit 2']);
    expect(result.size).toBe(10000);
    // digit 0: the sum reaches 100 (4950 of 10^4 pairs); digit 1: the units overflow (45 of 100); digit 2: never.
    expect(result.carry).toEqual([0.495, 0.45, 0]);
    expect(result.chainedCarry).toEqual([0.045, 0, 0]); // tens sum 9 (10 of 100) times units carry (45 of 100)
    result.carry.forEach((c, k) => expect(c).toBeCloseTo((1 - 10 ** -(n - k)) / 2, 12));
    result.chainedCarry.slice(0, n).forEach((c, k) => expect(c).toBeCloseTo((1 - 10 ** -(n - k - 1)) / 20, 12));
  });

  it('on random 5-digit data, matches a brute-force count from the operands as numbers', () => {
    const n = 5;
    const task = digitAddition({ digits: n });
    const data = task.sample(3000, createRng(7));
    const result = digitCarries(data, task.info);
    for (let k = 0; k <= n; k++) {
      const m = 10 ** (n - k);
      let count = 0;
      let chained = 0;
      for (let r = 0; r < data.size; r++) {
        const [A, B] = operands(data, n, r);
        const carry = (A % m) + (B % m) >= m;
        count += carry ? 1 : 0;
        // Chained: the top column below digit k sums to 9, so the carry needed the columns below it.
        const top = Math.floor(((A % m) * 10) / m) + Math.floor(((B % m) * 10) / m);
        chained += carry && top === 9 ? 1 : 0;
      }
      expect(result.carry[k]).toBe(count / data.size);
      expect(result.chainedCarry[k]).toBe(chained / data.size);
    }
    expect(result.carry[n]).toBe(0);
    expect(Math.abs(result.carry[4]! - 0.45)).toBeLessThan(0.03); // near the closed form for uniform digits
  });

  it('names a task that is not digit addition', () => {
    const task = maxElement();
    expect(() => digitCarries(task.sample(2, createRng(0)), task.info)).toThrow(/needs the digit-addition task, got max-element/);
  });
});
