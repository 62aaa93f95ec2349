// Previous-token and induction scores of attention heads, for the repeated-subsequence task (the write-up's induction
// circuit: a previous-token head in layer 0 writes each token's predecessor into its residual; an induction head in
// layer 1 attends from the current token to the token after an earlier copy of it, and copies that token).
// With P[b, h, q, k] a layer's attention pattern (example b, head h, query q, key k; causal, so k <= q):
// - previous-token score of head h = mean over examples b and positions q = 1..nCtx-1 of P[b, h, q, q-1];
// - induction score of head h = mean over examples b and the repeated positions q (the task's scored positions: the
//   second copy's tokens but its last, each predicting the next copy token) of Σ_{k ∈ S(b, q)} P[b, h, q, k], where
//   S(b, q) = { k : 1 <= k <= q, tokens[b, k-1] = tokens[b, q] } are the tokens right after an earlier occurrence of
//   the current token. S holds the token after the earlier copy, and also the tokens after chance repeats of the
//   current token (an induction head matches one token, so it cannot tell them apart).
// Both scores are in [0, 1]: 1 for an exact head. Uniform causal attention (every key k <= q weighted 1/(q+1)) scores
// the baselines: mean 1/(q+1) over q = 1..nCtx-1, and mean |S(b, q)|/(q+1) over the repeated positions.
import type { Dataset, TaskInfo } from '@grokking/tasks';
import { checkPatternFits, readPattern, type AttentionPattern } from './attention-patterns';

/** Scores per layer and head, and what uniform causal attention scores. */
export interface HeadScores {
  /** previousToken[layer][head]. */
  previousToken: number[][];
  /** induction[layer][head]. */
  induction: number[][];
  /** The scores of uniform causal attention on the same examples. */
  baseline: InductionBaselines;
}

/** The previous-token and induction scores of uniform causal attention. */
export interface InductionBaselines {
  previousToken: number;
  induction: number;
}

/**
 * Each head's previous-token score: the mean attention from every position q >= 1 to q - 1. The pattern must cover
 * every query position (query axis = key axis).
 *
 * @example
 * previousTokenScores(cache.get('blocks.0.attn.hook_pattern')); // e.g. [0.98, 0.07]: head 0 is a previous-token head
 */
export function previousTokenScores(pattern: AttentionPattern): number[] {
  const { values, shape } = readPattern(pattern);
  const [batch, heads, queries, keys] = shape;
  if (queries !== keys || keys < 2) throw new Error(`previous-token scores need every query position and at least 2, got pattern [${shape.join(', ')}]`);
  return Array.from({ length: heads }, (_, h) => {
    let sum = 0;
    for (let b = 0; b < batch; b++) {
      const base = (b * heads + h) * queries * keys;
      for (let q = 1; q < queries; q++) sum += values[base + q * keys + q - 1]!;
    }
    return sum / (batch * (queries - 1));
  });
}

/**
 * Each head's induction score on the repeated positions of a repeated-subsequence dataset (see the file header):
 * the mean attention from each repeated position to the tokens right after earlier occurrences of its token. The
 * pattern's examples are the dataset's and it must cover every query position.
 *
 * @example
 * inductionScores(cache.get('blocks.1.attn.hook_pattern'), batch, task.info); // e.g. [0.03, 0.95]
 */
export function inductionScores(pattern: AttentionPattern, dataset: Dataset, info: TaskInfo): number[] {
  const { values, shape } = readPattern(pattern);
  checkPatternFits(shape, dataset, info, 'pattern');
  const [batch, heads, queries, keys] = shape;
  if (queries !== keys) throw new Error(`induction scores need every query position, got pattern [${shape.join(', ')}]`);
  const sums = new Array<number>(heads).fill(0);
  forEachInductionKey(dataset, info, (b, q, k) => {
    for (let h = 0; h < heads; h++) sums[h] = sums[h]! + values[((b * heads + h) * queries + q) * keys + k]!;
  });
  return sums.map((s) => s / (batch * info.nScored));
}

/**
 * The scores of uniform causal attention on a dataset, for comparison: a random head scores about these.
 *
 * @example
 * inductionBaselines(batch, task.info).previousToken; // (H_15 - 1) / 14 = 0.166 for the default task (nCtx 15)
 */
export function inductionBaselines(dataset: Dataset, info: TaskInfo): InductionBaselines {
  const { nCtx, nScored } = info;
  let previousToken = 0;
  for (let q = 1; q < nCtx; q++) previousToken += 1 / (q + 1);
  let induction = 0;
  forEachInductionKey(dataset, info, (_b, q) => (induction += 1 / (q + 1)));
  return { previousToken: previousToken / (nCtx - 1), induction: induction / (dataset.size * nScored) };
}

/**
 * Previous-token and induction scores of every layer and head, from one pattern per layer on the same examples,
 * with the uniform baselines.
 *
 * @example
 * const scores = headScores([pattern0, pattern1], batch, task.info);
 * scores.induction[1][0]; // layer 1, head 0
 */
export function headScores(patterns: readonly AttentionPattern[], dataset: Dataset, info: TaskInfo): HeadScores {
  return {
    previousToken: patterns.map((p) => previousTokenScores(p)),
    induction: patterns.map((p) => inductionScores(p, dataset, info)),
    baseline: inductionBaselines(dataset, info),
  };
}

/** Calls fn(b, q, k) for every repeated position q of every example b and every k in S(b, q). */
function forEachInductionKey(dataset: Dataset, info: TaskInfo, fn: (b: number, q: number, k: number) => void): void {
  const { nCtx, nScored } = info;
  if (dataset.tokens.length !== dataset.size * nCtx || dataset.positions.length !== dataset.size * nScored) {
    throw new Error(`dataset does not match task ${info.name}: size ${dataset.size}, nCtx ${nCtx}, nScored ${nScored}`);
  }
  if (dataset.size === 0 || nScored === 0) throw new Error(`induction scores need at least one repeated position, got ${dataset.size} examples of ${nScored}`);
  for (let b = 0; b < dataset.size; b++) {
    const tokens = dataset.tokens.subarray(b * nCtx, (b + 1) * nCtx);
    for (let j = 0; j < nScored; j++) {
      const q = dataset.positions[b * nScored + j]!;
      if (!(q >= 1 && q < nCtx)) throw new Error(`example ${b}'s repeated position ${j} is ${q}; expected 1..${nCtx - 1}`);
      for (let k = 1; k <= q; k++) if (tokens[k - 1] === tokens[q]) fn(b, q, k);
    }
  }
}
