// Attention to the max element in the max-element task (the write-up's skip trigrams `14 .. END -> 14`: a 1-layer
// attention-only model solves it by attending from END to the largest value and copying it). For a layer's pattern
// P[b, h, q, k], head h's max attention is the mean over examples b of Σ_{k ∈ M_b} P[b, h, q_b, k], where q_b is the
// scored (END) position and M_b = { k <= q_b : tokens[b, k] = target_b } the position(s) of the answer, the max (one
// position in this task). Uniform causal attention scores the baseline, the mean of |M_b| / (q_b + 1): 1/13 for the
// default task.
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '@grokking/model';
import type { Dataset, TaskInfo } from '@grokking/tasks';
import { attentionPatterns, checkPatternFits, readPattern, type AttentionPattern } from './attention-patterns';

/** Attention from the query position to the max, per layer and head, and its uniform baseline. */
export interface MaxAttention {
  /** byLayer[layer][head]: mean attention mass on the max. */
  byLayer: number[][];
  baseline: number;
}

/**
 * Each head's mean attention from the scored position to the position of the max element (the answer). The pattern
 * is [batch, head, query, key] with every query position (query axis nCtx), or only the scored one (query axis 1,
 * as the last layer gives when run at the scored position).
 *
 * @example
 * maxElementAttention(cache.get('blocks.0.attn.hook_pattern'), batch, task.info); // e.g. [0.91, 0.4, ...]
 */
export function maxElementAttention(pattern: AttentionPattern, dataset: Dataset, info: TaskInfo): number[] {
  const { values, shape } = readPattern(pattern);
  checkPatternFits(shape, dataset, info, 'pattern');
  const [batch, heads, queries, keys] = shape;
  if (queries !== keys && queries !== 1) throw new Error(`pattern must have every query position (${keys}) or only the scored one, got ${queries}`);
  const sums = new Array<number>(heads).fill(0);
  forEachMaxKey(dataset, info, (b, q, k) => {
    const row = queries === 1 ? 0 : q;
    for (let h = 0; h < heads; h++) sums[h] = sums[h]! + values[((b * heads + h) * queries + row) * keys + k]!;
  });
  return sums.map((s) => s / batch);
}

/**
 * The max attention of uniform causal attention on a dataset: what a head that ignores the values scores.
 *
 * @example
 * maxAttentionBaseline(batch, maxElement().info); // 1/13
 */
export function maxAttentionBaseline(dataset: Dataset, info: TaskInfo): number {
  let sum = 0;
  forEachMaxKey(dataset, info, (_b, q) => (sum += 1 / (q + 1)));
  return sum / dataset.size;
}

/**
 * Runs a transformer on max-element examples (in batches, default 1000) and returns every layer's and head's mean
 * attention from the scored position to the max, with the uniform baseline. No tensor is left behind.
 *
 * @example
 * const task = maxElement();
 * const { byLayer } = await measureMaxElementAttention(model, task.sample(1000, createRng(1)), task.info);
 * byLayer[0]; // per head of the 1-layer model
 */
export async function measureMaxElementAttention(model: Model, dataset: Dataset, info: TaskInfo, options: { batchSize?: number } = {}): Promise<MaxAttention> {
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  const { nCtx, nScored, fixedPositions } = info;
  if (nScored !== 1 || !fixedPositions) throw new Error(`max attention needs one fixed scored position; task ${info.name} has ${nScored} slots`);
  if (dataset.size === 0) throw new Error('dataset must hold at least one example, got none');
  let sums: number[][] | null = null;
  for (let start = 0; start < dataset.size; start += batchSize) {
    const count = Math.min(batchSize, dataset.size - start);
    const batch: Dataset = {
      size: count,
      tokens: dataset.tokens.subarray(start * nCtx, (start + count) * nCtx),
      positions: dataset.positions.subarray(start, start + count),
      targets: dataset.targets.subarray(start, start + count),
    };
    const tokens = tf.tensor2d(batch.tokens, [count, nCtx], 'int32'); // [count, nCtx]
    let run: ReturnType<typeof attentionPatterns>;
    try {
      run = attentionPatterns(model, tokens, { positions: fixedPositions }); // last layer [count, n_heads, 1, nCtx]
    } finally {
      tokens.dispose();
    }
    try {
      const part = run.patterns.map((p) => maxElementAttention(p, batch, info).map((v) => v * count));
      sums = sums ? sums.map((row, l) => row.map((v, h) => v + part[l]![h]!)) : part;
    } finally {
      tf.dispose([...run.patterns, run.logits]);
    }
  }
  return { byLayer: sums!.map((row) => row.map((v) => v / dataset.size)), baseline: maxAttentionBaseline(dataset, info) };
}

/** Calls fn(b, q, k) for every example b, its scored position q and every key k <= q holding its target. */
function forEachMaxKey(dataset: Dataset, info: TaskInfo, fn: (b: number, q: number, k: number) => void): void {
  const { nCtx, nScored } = info;
  if (nScored !== 1) throw new Error(`max attention needs one scored position per example; task ${info.name} has ${nScored}`);
  if (dataset.tokens.length !== dataset.size * nCtx || dataset.positions.length !== dataset.size) {
    throw new Error(`dataset does not match task ${info.name}: size ${dataset.size}, nCtx ${nCtx}, nScored ${nScored}`);
  }
  if (dataset.size === 0) throw new Error('dataset must hold at least one example, got none');
  for (let b = 0; b < dataset.size; b++) {
    const q = dataset.positions[b]!;
    const target = dataset.targets[b]!;
    let found = false;
    for (let k = 0; k <= q; k++) {
      if (dataset.tokens[b * nCtx + k] !== target) continue;
      found = true;
      fn(b, q, k);
    }
    if (!found) throw new Error(`example ${b}'s answer ${target} is not among its tokens up to position ${q}`);
  }
}
