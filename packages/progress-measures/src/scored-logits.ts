// A model's logits at the scored slots of a dataset, computed in batches: the one forward pass every loss measure
// of a checkpoint shares.
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '@grokking/model';
import type { Dataset, TaskInfo } from '@grokking/tasks';

/** Options of {@link scoredLogits}. */
export interface ScoredLogitsOptions {
  /** Examples per forward pass (default 4096). */
  batchSize?: number;
  /**
   * Also record this hook's activations at the scored position (tasks with one fixed scored position only), e.g.
   * `blocks.0.mlp.hook_post`; the model must have `runWithCache`.
   */
  hook?: string;
}

/** Logits at the scored slots (and a hook's activations there), as tensors the caller owns. */
export interface ScoredLogits {
  /** [size * nScored, d_vocab_out]: row i * nScored + j is example i's slot j. */
  logits: tf.Tensor2D;
  /** [size, width] when a hook was asked for, else null. */
  acts: tf.Tensor2D | null;
}

/**
 * Whether a model has the Model contract's optional `runWithCache`, to record hook activations (both of
 * @grokking/model's models do; internal).
 *
 * @example
 * canCache(createTransformer(config)); // true
 */
export function canCache(model: Model): model is Model & Required<Pick<Model, 'runWithCache'>> {
  return typeof model.runWithCache === 'function';
}

/**
 * The model's logits at every scored slot of a dataset: with fixed positions (`info.fixedPositions`) only those are
 * computed (`model.forward(tokens, fixedPositions)`); otherwise every position is, and each example's scored
 * positions are picked out.
 *
 * @example
 * const { logits } = scoredLogits(model, task.all(), task.info); // [p*p, p] for modular addition
 * logits.dispose();
 */
export function scoredLogits(model: Model, dataset: Dataset, info: TaskInfo, options: ScoredLogitsOptions = {}): ScoredLogits {
  const batchSize = options.batchSize ?? 4096;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  const { nCtx, nScored } = info;
  if (dataset.tokens.length !== dataset.size * nCtx || dataset.targets.length !== dataset.size * nScored) {
    throw new Error(`dataset does not match task ${info.name}: size ${dataset.size}, nCtx ${nCtx}, nScored ${nScored}`);
  }
  if (dataset.size === 0) throw new Error('dataset must hold at least one example, got none');
  const recording = options.hook === undefined ? null : recordingOf(model, options.hook, info);
  const logitParts: tf.Tensor2D[] = [];
  const actParts: tf.Tensor2D[] = [];
  try {
    for (let start = 0; start < dataset.size; start += batchSize) {
      const count = Math.min(batchSize, dataset.size - start);
      const tokens = tf.tensor2d(dataset.tokens.subarray(start * nCtx, (start + count) * nCtx), [count, nCtx], 'int32'); // [count, nCtx]
      try {
        if (recording) {
          const { model: caching, hook, positions } = recording;
          const { logits, cache } = caching.runWithCache(tokens, { names: [hook], positions });
          try {
            logitParts.push(tf.reshape(logits, [count, -1])); // [count, d_vocab_out]
            actParts.push(tf.reshape(cache.get(hook), [count, -1])); // [count, width]
          } finally {
            logits.dispose();
            cache.dispose();
          }
        } else {
          logitParts.push(tf.tidy(() => batchLogits(model, tokens, dataset, info, start))); // [count * nScored, d_vocab_out]
        }
      } finally {
        tokens.dispose();
      }
    }
    const logits = logitParts.length === 1 ? logitParts.pop()! : (tf.concat(logitParts) as tf.Tensor2D); // [size * nScored, d_vocab_out]
    const acts = actParts.length === 0 ? null : actParts.length === 1 ? actParts.pop()! : (tf.concat(actParts) as tf.Tensor2D); // [size, width]
    return { logits, acts };
  } finally {
    tf.dispose([...logitParts, ...actParts]);
  }
}

/** The model, hook and position of a recording run, checked: one fixed scored position and a model that caches. */
function recordingOf(model: Model, hook: string, info: TaskInfo): { model: Required<Pick<Model, 'runWithCache'>>; hook: string; positions: readonly number[] } {
  const { fixedPositions, nScored } = info;
  if (!fixedPositions || nScored !== 1) throw new Error(`hook activations need one fixed scored position; task ${info.name} has ${nScored} slots`);
  if (!canCache(model)) throw new Error(`reading ${hook} needs a model with runWithCache; this ${model.kind} model has none`);
  return { model, hook, positions: fixedPositions };
}

/** One batch's scored logits, [count * nScored, d_vocab_out]. */
function batchLogits(model: Model, tokens: tf.Tensor2D, dataset: Dataset, info: TaskInfo, start: number): tf.Tensor2D {
  const { nCtx, nScored, fixedPositions } = info;
  const count = tokens.shape[0];
  if (fixedPositions) {
    const logits = model.forward(tokens, fixedPositions); // [count, nScored, d_vocab_out]
    return tf.reshape(logits, [count * nScored, -1]); // [count * nScored, d_vocab_out]
  }
  const logits = model.forward(tokens); // [count, nCtx, d_vocab_out]
  const rows = new Int32Array(count * nScored);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < nScored; j++) rows[i * nScored + j] = i * nCtx + dataset.positions[(start + i) * nScored + j]!;
  }
  return tf.gather(tf.reshape(logits, [count * nCtx, -1]), rows) as tf.Tensor2D; // [count * nScored, d_vocab_out]
}
