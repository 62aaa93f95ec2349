// Attention patterns, TransformerLens' `blocks.{layer}.attn.hook_pattern` [batch, head, query, key]: read from a
// model with its cache, or given as nested arrays or tensors, and read back as one flat array for the head scores
// (induction-scores.ts, max-element-attention.ts).
import * as tf from '@tensorflow/tfjs-core';
import { isModelKind, type Model } from '@grokking/model';
import type { Dataset, TaskInfo } from '@grokking/tasks';
import { canCache } from './scored-logits';

/** One layer's attention pattern [batch, head, query, key]: a tensor, or nested arrays in that order. */
export type AttentionPattern = tf.Tensor | number[][][][];

/** A pattern read back: its values row-major and its shape [batch, head, query, key]. */
export interface PatternValues {
  values: ArrayLike<number>;
  shape: [number, number, number, number];
}

/**
 * A pattern's values and shape, checked to be rank 4 (internal; tensors are read with dataSync).
 *
 * @example
 * readPattern([[[[1]]]]).shape; // [1, 1, 1, 1]
 */
export function readPattern(pattern: AttentionPattern, what = 'pattern'): PatternValues {
  if (pattern instanceof tf.Tensor) {
    if (pattern.rank !== 4) throw new Error(`${what} must be [batch, head, query, key], got shape [${pattern.shape.join(', ')}]`);
    return { values: pattern.dataSync(), shape: pattern.shape as [number, number, number, number] };
  }
  const batch = pattern.length;
  const heads = pattern[0]?.length ?? 0;
  const queries = pattern[0]?.[0]?.length ?? 0;
  const keys = pattern[0]?.[0]?.[0]?.length ?? 0;
  const values = new Float64Array(batch * heads * queries * keys);
  pattern.forEach((example, b) => {
    if (example.length !== heads) throw new Error(`${what}[${b}] has ${example.length} heads, expected ${heads}`);
    example.forEach((head, h) => {
      if (head.length !== queries) throw new Error(`${what}[${b}][${h}] has ${head.length} queries, expected ${queries}`);
      head.forEach((row, q) => {
        if (row.length !== keys) throw new Error(`${what}[${b}][${h}][${q}] has ${row.length} keys, expected ${keys}`);
        values.set(row, ((b * heads + h) * queries + q) * keys);
      });
    });
  });
  return { values, shape: [batch, heads, queries, keys] };
}

/**
 * Checks a pattern against a dataset: one row per example, keys over the whole context.
 *
 * @example
 * checkPatternFits(readPattern(pattern).shape, dataset, info, 'pattern'); // throws on a mismatch
 */
export function checkPatternFits(shape: readonly number[], dataset: Dataset, info: TaskInfo, what: string): void {
  const [batch, , , keys] = shape;
  if (batch !== dataset.size) throw new Error(`${what} has ${batch} examples, but the dataset has ${dataset.size}`);
  if (keys !== info.nCtx) throw new Error(`${what} has ${keys} keys; task ${info.name} has nCtx ${info.nCtx}`);
  if (dataset.tokens.length !== dataset.size * info.nCtx || dataset.positions.length !== dataset.size * info.nScored) {
    throw new Error(`dataset does not match task ${info.name}: size ${dataset.size}, nCtx ${info.nCtx}, nScored ${info.nScored}`);
  }
}

/** Options of {@link attentionPatterns}. */
export interface AttentionPatternOptions {
  /**
   * Query positions of the last layer (default all). Earlier layers always cover every position, so the last layer's
   * pattern is then [batch, head, positions.length, key] and the others [batch, head, pos, key].
   */
  positions?: readonly number[];
}

/**
 * Runs a transformer with its cache and returns every layer's attention pattern (`blocks.{l}.attn.hook_pattern`,
 * [batch, head, query, key]) and the logits, as tensors the caller owns.
 *
 * @throws for a model that is not a transformer with runWithCache.
 * @example
 * const { patterns, logits } = attentionPatterns(model, tokens); // patterns[1]: layer 1, [batch, n_heads, pos, pos]
 * tf.dispose([...patterns, logits]);
 */
export function attentionPatterns(model: Model, tokens: tf.Tensor2D, options: AttentionPatternOptions = {}): { patterns: tf.Tensor4D[]; logits: tf.Tensor3D } {
  if (!isModelKind(model, 'transformer') || !canCache(model)) throw new Error(`attention patterns need a transformer with runWithCache, got a ${model.kind} model`);
  const names = Array.from({ length: model.config.nLayers }, (_, l) => `blocks.${l}.attn.hook_pattern`);
  const { logits, cache } = model.runWithCache(tokens, { names, positions: options.positions }); // logits [batch, q, d_vocab_out]
  try {
    return { patterns: names.map((n) => tf.clone(cache.get(n)) as tf.Tensor4D), logits };
  } finally {
    cache.dispose();
  }
}
