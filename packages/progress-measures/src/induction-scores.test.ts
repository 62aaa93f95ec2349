// previousTokenScores, inductionScores and inductionBaselines on hand-built attention patterns with known scores.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createRng, repeatedSubsequence, type Dataset } from '@grokking/tasks';
import { headScores, inductionBaselines, inductionScores, previousTokenScores } from './induction-scores';
import { noLeak } from './test-fixtures';

const task = repeatedSubsequence({ vocabSize: 10, length: 14, repeatLength: 4 });
const { nCtx, nScored } = task.info; // 15, 3

/** Examples with known copies: random tokens, [first, first+4) copied to [second, second+4), END; and where the copies start. */
function examples(size: number, seed: number): { data: Dataset; first: number[]; second: number[] } {
  const rng = createRng(seed);
  const data = task.sample(size, rng); // the right shapes; rewritten below so the copies' starts are known
  const first: number[] = [];
  const second: number[] = [];
  for (let b = 0; b < size; b++) {
    const f = rng.int(3);
    const s = f + 4 + rng.int(14 - 8 - f + 1);
    const t = data.tokens.subarray(b * nCtx, (b + 1) * nCtx);
    for (let i = 0; i < 14; i++) t[i] = rng.int(10);
    for (let k = 0; k < 4; k++) t[s + k] = t[f + k]!;
    t[14] = 10;
    for (let j = 0; j < nScored; j++) {
      data.positions[b * nScored + j] = s + j;
      data.targets[b * nScored + j] = t[s + j + 1]!;
    }
    first.push(f);
    second.push(s);
  }
  return { data, first, second };
}

/** A pattern [batch, heads, nCtx, nCtx] with all of each query's mass on key(b, h, q). */
function onePerQuery(batch: number, heads: number, key: (b: number, h: number, q: number) => number): number[][][][] {
  return Array.from({ length: batch }, (_, b) =>
    Array.from({ length: heads }, (_, h) =>
      Array.from({ length: nCtx }, (_, q) => Array.from({ length: nCtx }, (_, k) => (k === key(b, h, q) ? 1 : 0))),
    ),
  );
}

/** Uniform causal attention [batch, 1, nCtx, nCtx]. */
const uniform = (batch: number) =>
  Array.from({ length: batch }, () => [Array.from({ length: nCtx }, (_, q) => Array.from({ length: nCtx }, (_, k) => (k <= q ? 1 / (q + 1) : 0)))]);

beforeAll(async () => {
  await readyBackend('cpu');
});

describe('induction and previous-token scores', () => {
  const { data, first, second } = examples(40, 3);
  const isRepeat = (b: number, q: number) => q >= second[b]! && q < second[b]! + nScored;
  // Head 0: every query on its previous token; head 1: repeated queries on the token after the earlier copy, the
  // rest on the previous token; head 2: every query on itself.
  const pattern = onePerQuery(40, 3, (b, h, q) => {
    if (h === 2) return q;
    if (h === 1 && isRepeat(b, q)) return first[b]! + (q - second[b]!) + 1;
    return Math.max(0, q - 1);
  });

  it('scores exact heads 1, and other heads by the chance repeats that put their key in S', () => {
    expect(previousTokenScores(pattern)).toEqual([1, 1 - nScored / (nCtx - 1), 0]); // head 1 leaves 3 of 14 queries
    const scores = inductionScores(pattern, data, task.info);
    expect(scores[1]).toBe(1);
    // Key q-1 (head 0) is in S(b, q) only when tokens[q-2] repeats q's token by chance; key q (head 2) when tokens[q-1] does.
    const chance = (offset: number) => {
      let count = 0;
      for (let b = 0; b < 40; b++) {
        for (let j = 0; j < nScored; j++) {
          const q = second[b]! + j;
          count += data.tokens[b * nCtx + q - offset] === data.tokens[b * nCtx + q] ? 1 : 0;
        }
      }
      return count / (40 * nScored);
    };
    expect(chance(2)).toBeGreaterThan(0); // the seed has chance repeats of both kinds, so these checks bite
    expect(chance(1)).toBeGreaterThan(0);
    expect(scores[0]).toBeCloseTo(chance(2), 12);
    expect(scores[2]).toBeCloseTo(chance(1), 12);
  });

  it('scores uniform causal attention at the baselines, with the closed-form previous-token baseline', () => {
    const baseline = inductionBaselines(data, task.info);
    let h = 0;
    for (let q = 1; q < nCtx; q++) h += 1 / (q + 1);
    expect(baseline.previousToken).toBeCloseTo(h / (nCtx - 1), 12);
    // Brute force: |S(b, q)| / (q + 1) over the repeated positions, S counted from the tokens.
    let expected = 0;
    for (let b = 0; b < 40; b++) {
      for (let j = 0; j < nScored; j++) {
        const q = second[b]! + j;
        let size = 0;
        for (let k = 1; k <= q; k++) size += data.tokens[b * nCtx + k - 1] === data.tokens[b * nCtx + q] ? 1 : 0;
        expected += size / (q + 1);
      }
    }
    expect(baseline.induction).toBeCloseTo(expected / (40 * nScored), 12);
    const scores = headScores([uniform(40)], data, task.info);
    expect(scores.previousToken[0]![0]).toBeCloseTo(baseline.previousToken, 12);
    expect(scores.induction[0]![0]).toBeCloseTo(baseline.induction, 12);
  });

  it('reads tensors as arrays, leaving no tensor behind', async () => {
    const t = tf.tensor4d(pattern.flat(3), [40, 3, nCtx, nCtx]);
    const scores = await noLeak(() => headScores([t, t], data, task.info));
    t.dispose();
    expect(scores.induction[1]![1]).toBe(1);
    expect(scores.previousToken[0]).toEqual([1, 1 - nScored / (nCtx - 1), 0]);
  });

  it('names patterns that do not fit', () => {
    expect(() => inductionScores(pattern.slice(0, 39), data, task.info)).toThrow(/pattern has 39 examples, but the dataset has 40/);
    expect(() => previousTokenScores([[[[1, 0]]]])).toThrow(/need every query position and at least 2, got pattern \[1, 1, 1, 2\]/);
    expect(() => previousTokenScores(tf.zeros([2, 2]))).toThrow(/must be \[batch, head, query, key\], got shape \[2, 2\]/);
  });
});
