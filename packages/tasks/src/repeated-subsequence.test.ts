import fc from 'fast-check';
import { allocateDataset } from './dataset';
import { createRng } from './random';
import { repeatedSubsequence, writeRepeat } from './repeated-subsequence';
import type { Dataset, TaskInfo } from './types';

/**
 * Checks example r independently of the generator: its slots are consecutive positions from some `second`; each
 * target is the next input token; and an earlier, non-overlapping copy equals the whole repeat, so every target is
 * the earlier copy's token at the same offset.
 */
function checkRepeat(dataset: Dataset, info: TaskInfo, r: number): void {
  const { nCtx, nScored } = info;
  const L = nScored + 1;
  const vocabSize = info.dVocabOut;
  const tokens = Array.from(dataset.tokens.subarray(r * nCtx, (r + 1) * nCtx));
  const positions = Array.from(dataset.positions.subarray(r * nScored, (r + 1) * nScored));
  const targets = Array.from(dataset.targets.subarray(r * nScored, (r + 1) * nScored));
  expect(tokens[nCtx - 1]).toBe(vocabSize); // END
  expect(tokens.slice(0, nCtx - 1).every((t) => t >= 0 && t < vocabSize)).toBe(true);
  const second = positions[0]!;
  expect(positions).toEqual(Array.from({ length: nScored }, (_, j) => second + j));
  expect(second + L).toBeLessThanOrEqual(nCtx - 1); // the copy ends before END
  expect(targets).toEqual(positions.map((q) => tokens[q + 1]));
  const repeat = tokens.slice(second, second + L);
  const earlier = Array.from({ length: Math.max(0, second - L + 1) }, (_, first) => first).filter((first) =>
    repeat.every((t, k) => tokens[first + k] === t),
  );
  expect(earlier.length).toBeGreaterThan(0);
  for (const first of earlier) expect(targets).toEqual(tokens.slice(first + 1, first + L));
}

describe('repeatedSubsequence', () => {
  it("defaults to the write-up's format: 14 tokens of 10 values, a repeat of 4, then END", () => {
    const { info } = repeatedSubsequence();
    expect(info).toMatchObject({ name: 'repeated-subsequence', dVocab: 11, dVocabOut: 10, nCtx: 15, nScored: 3 });
    expect(info.fixedPositions).toBeNull();
    expect(info.tokenNames[10]).toBe('END');
    expect(info.slotNames).toEqual(['copy token 1', 'copy token 2', 'copy token 3']);
  });

  it("writes the write-up's example 7 2 8 3 1 9 3 8 3 1 9 9 2 5 END", () => {
    const { info } = repeatedSubsequence();
    const dataset = allocateDataset(1, info);
    // The second copy's slots start as zeros: writeRepeat must fill them from the first copy (positions 2..5).
    writeRepeat([7, 2, 8, 3, 1, 9, 3, 0, 0, 0, 0, 9, 2, 5], 2, 7, 4, 10, dataset, 0);
    expect(Array.from(dataset.tokens, (t) => info.tokenNames[t]).join(' ')).toBe('7 2 8 3 1 9 3 8 3 1 9 9 2 5 END');
    // Position 7 holds the copy's 8 and predicts 3, position 8 predicts 1, position 9 predicts 9.
    expect(Array.from(dataset.positions)).toEqual([7, 8, 9]);
    expect(Array.from(dataset.targets)).toEqual([3, 1, 9]);
  });

  it('lets the copies touch: first = 0, second = repeatLength', () => {
    const { info } = repeatedSubsequence({ vocabSize: 5, length: 4, repeatLength: 2 });
    const dataset = allocateDataset(1, info);
    writeRepeat([4, 1, 0, 0], 0, 2, 2, 5, dataset, 0);
    expect(Array.from(dataset.tokens)).toEqual([4, 1, 4, 1, 5]);
    expect(Array.from(dataset.positions)).toEqual([2]);
    expect(Array.from(dataset.targets)).toEqual([1]);
  });

  it('always scores targets equal to the earlier copy (property over options and seeds)', () => {
    const options = fc
      .record({ vocabSize: fc.integer({ min: 2, max: 40 }), length: fc.integer({ min: 4, max: 40 }) })
      .chain((o) => fc.record({
        vocabSize: fc.constant(o.vocabSize),
        length: fc.constant(o.length),
        repeatLength: fc.integer({ min: 2, max: Math.floor(o.length / 2) }),
      }));
    fc.assert(
      fc.property(options, fc.integer(), (o, seed) => {
        const task = repeatedSubsequence(o);
        expect(task.info.nCtx).toBe(o.length + 1);
        expect(task.info.nScored).toBe(o.repeatLength - 1);
        const batch = task.sample(10, createRng(seed));
        for (let r = 0; r < batch.size; r++) checkRepeat(batch, task.info, r);
      }),
      { numRuns: 200 },
    );
  });

  it('places the copies uniformly over all non-overlapping placements', () => {
    // length 6, repeat 2: placements (first, second) are (0,2) (0,3) (0,4) (1,3) (1,4) (2,4), so second is 2, 3 or 4
    // with probabilities 1/6, 2/6, 3/6.
    const batch = repeatedSubsequence({ vocabSize: 50, length: 6, repeatLength: 2 }).sample(30000, createRng(4));
    const counts = [0, 0, 0];
    for (let r = 0; r < batch.size; r++) counts[batch.positions[r]! - 2]!++;
    const expected = [5000, 10000, 15000];
    counts.forEach((c, i) => expect(Math.abs(c - expected[i]!)).toBeLessThan(400)); // > 4 standard deviations
  });

  it('splits into 512 train and 1000 test examples with distinct inputs, deterministically', () => {
    const task = repeatedSubsequence();
    const { train, test } = task.split({ seed: 7 });
    expect(train.size).toBe(512);
    expect(test.size).toBe(1000);
    const keys = new Set<string>();
    for (const set of [train, test]) {
      for (let r = 0; r < set.size; r++) {
        keys.add(set.tokens.subarray(r * 15, (r + 1) * 15).join());
        checkRepeat(set, task.info, r);
      }
    }
    expect(keys.size).toBe(1512);
    expect(task.split({ seed: 7 }).test.tokens).toEqual(test.tokens);
    expect(task.split({ seed: 8 }).train.tokens).not.toEqual(train.tokens);
  });

  it('rejects bad arguments, naming the argument, its value and what is allowed', () => {
    expect(() => repeatedSubsequence({ repeatLength: 8 })).toThrow(
      'repeatLength must be an integer in [2, 7] (two copies must fit in length 14), got 8',
    );
    expect(() => repeatedSubsequence({ length: 10, repeatLength: 20 })).toThrow('in [2, 5]');
    expect(() => repeatedSubsequence({ repeatLength: 1 })).toThrow('got 1');
    expect(() => repeatedSubsequence({ vocabSize: 1 })).toThrow('vocabSize must be an integer >= 2, got 1');
    expect(() => repeatedSubsequence({ length: 3 })).toThrow('length must be an integer >= 4, got 3');
    expect(() => repeatedSubsequence({ length: NaN })).toThrow('length must be an integer >= 4, got NaN');
    expect(() => repeatedSubsequence({ seqLength: 20 } as object)).toThrow('unknown option "seqLength"');
    expect(() => repeatedSubsequence().split({ seed: 0, trainFraction: 0.5 })).toThrow('trainFraction does not apply');
  });
});
