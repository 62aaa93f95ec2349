// Datasets as backend tensors, made once per dataset (never per epoch), and the loss of a model on a batch.
//
// Scored rows: when the task scores the same positions in every example (`info.fixedPositions`), the model computes
// only those and row j of an example is slot j. Otherwise the model computes every position, each position is a row
// with a one-hot target and a weight (1 where scored, 0 elsewhere), so no gather is needed in the backward pass (the
// wasm backend has no gradient for gather); a position may then be scored at most once per example.
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset, TaskInfo } from '@grokking/tasks';
import { crossEntropy, type LossForm, type Model, type StackedTransformer } from '@grokking/model';

/** A batch on the backend. */
export interface Batch {
  /** Input tokens, int32 [batch, nCtx]. */
  tokens: tf.Tensor2D;
  /** One-hot targets per row, float32 [batch, rows, dVocabOut]; rows = nScored (fixed positions) or nCtx. */
  oneHot: tf.Tensor3D;
  /** 1 at scored rows, float32 [batch, nCtx]; null with fixed positions (every row is scored). */
  weight: tf.Tensor2D | null;
}

/** K batches of one size on the backend, member k's at index k of each tensor (see `stackBatches`). */
export interface StackedBatch {
  /** Input tokens, int32 [K, batch, nCtx]. */
  tokens: tf.Tensor3D;
  /** One-hot targets per row, float32 [K, batch, rows, dVocabOut]. */
  oneHot: tf.Tensor4D;
  /** 1 at scored rows, float32 [K, batch, nCtx]; null with fixed positions. */
  weight: tf.Tensor3D | null;
}

/**
 * Stacks K batches of one size into one (new tensors, owned by the caller or a tidy).
 *
 * @throws when the batches differ in size, naming both.
 * @example
 * const batch = stackBatches([trainA, trainB]); // batch.tokens: [2, size, nCtx]
 */
export function stackBatches(batches: readonly Batch[]): StackedBatch {
  const size = batches[0]!.tokens.shape[0];
  batches.forEach((b, k) => {
    if (b.tokens.shape[0] !== size) throw new Error(`member ${k}'s batch has ${b.tokens.shape[0]} examples, member 0's ${size}; a stack needs batches of one size`);
  });
  return {
    tokens: tf.stack(batches.map((b) => b.tokens)) as tf.Tensor3D, // [K, batch, nCtx]
    oneHot: tf.stack(batches.map((b) => b.oneHot)) as tf.Tensor4D, // [K, batch, rows, dVocabOut]
    weight: batches[0]!.weight ? tf.stack(batches.map((b) => b.weight!)) as tf.Tensor3D : null, // [K, batch, nCtx]
  };
}

/** A dataset on the backend, with what evaluation needs to map rows back to slots. */
export interface DeviceData extends Batch {
  /** Number of examples. */
  size: number;
  /** The dataset it came from. */
  dataset: Dataset;
  /** Rows per example: nScored with fixed positions, else nCtx. */
  rowsPerExample: number;
  /** Frees the tensors. */
  dispose(): void;
}

/**
 * Checks a dataset against the task's shapes and vocabularies, naming the first problem.
 *
 * @example
 * validateDataset(split.train, task.info, 'train'); // throws e.g. 'train.targets[5] must be in [0, 113), got 113'
 */
export function validateDataset(dataset: Dataset, info: TaskInfo, label: string): void {
  const { size, tokens, positions, targets } = dataset;
  const { nCtx, nScored, dVocab, dVocabOut, fixedPositions } = info;
  if (!Number.isInteger(size) || size < 1) throw new Error(`${label}.size must be a positive integer, got ${size}`);
  const lengths = { tokens: [tokens, size * nCtx], positions: [positions, size * nScored], targets: [targets, size * nScored] } as const;
  for (const [name, [array, expected]] of Object.entries(lengths)) {
    if (!(array instanceof Int32Array)) throw new Error(`${label}.${name} must be an Int32Array`);
    if (array.length !== expected) throw new Error(`${label}.${name} must have ${expected} entries, got ${array.length}`);
  }
  checkRange(tokens, dVocab, `${label}.tokens`);
  checkRange(targets, dVocabOut, `${label}.targets`);
  checkRange(positions, nCtx, `${label}.positions`);
  if (fixedPositions) {
    for (let i = 0; i < positions.length; i++) {
      if (positions[i] !== fixedPositions[i % nScored]) {
        throw new Error(`${label}.positions[${i}] must be ${fixedPositions[i % nScored]} (the task's fixed positions), got ${positions[i]}`);
      }
    }
    return;
  }
  for (let i = 0; i < size; i++) {
    const seen = new Set<number>();
    for (let j = 0; j < nScored; j++) {
      const pos = positions[i * nScored + j]!;
      if (seen.has(pos)) throw new Error(`${label} example ${i} scores position ${pos} twice; each position may be scored once`);
      seen.add(pos);
    }
  }
}

function checkRange(array: Int32Array, limit: number, label: string): void {
  for (let i = 0; i < array.length; i++) {
    const v = array[i]!;
    if (v < 0 || v >= limit) throw new Error(`${label}[${i}] must be in [0, ${limit}), got ${v}`);
  }
}

/**
 * Validates a dataset and uploads it as tensors: tokens, one-hot targets per row and (varying positions) weights.
 *
 * @example
 * const train = toDevice(split.train, task.info);
 * train.tokens.shape; // [3830, 3]
 * train.dispose();
 */
export function toDevice(dataset: Dataset, info: TaskInfo, label = 'dataset'): DeviceData {
  validateDataset(dataset, info, label);
  const { size } = dataset;
  const { nCtx, nScored, dVocabOut, fixedPositions } = info;
  const rowsPerExample = fixedPositions ? nScored : nCtx;
  const rowTargets = new Int32Array(size * rowsPerExample).fill(-1); // -1: an unscored row, one-hot all zero
  const weights = fixedPositions ? null : new Float32Array(size * nCtx);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < nScored; j++) {
      const row = fixedPositions ? j : dataset.positions[i * nScored + j]!;
      rowTargets[i * rowsPerExample + row] = dataset.targets[i * nScored + j]!;
      if (weights) weights[i * nCtx + row] = 1;
    }
  }
  const tokens = tf.tensor2d(dataset.tokens, [size, nCtx], 'int32'); // [size, nCtx]
  // int32 one-hot then a cast: tfjs-wasm 4.22's OneHot ignores the dtype argument and returns int32 bits.
  const oneHot = tf.tidy(() => {
    const hot = tf.cast(tf.oneHot(tf.tensor1d(rowTargets, 'int32'), dVocabOut), 'float32'); // [size * rows, dVocabOut]
    return tf.reshape(hot, [size, rowsPerExample, dVocabOut]);
  }) as tf.Tensor3D; // [size, rows, dVocabOut]
  const weight = weights ? tf.tensor2d(weights, [size, nCtx]) : null; // [size, nCtx]
  return {
    tokens,
    oneHot,
    weight,
    size,
    dataset,
    rowsPerExample,
    dispose: () => tf.dispose([tokens, oneHot, ...(weight ? [weight] : [])]),
  };
}

/**
 * The examples at `indices` (int32 [batch]) of device data, as a batch (tensors owned by the caller or a tidy).
 *
 * @example
 * const batch = tf.tidy(() => gatherBatch(train, tf.tensor1d([3, 1, 4], 'int32')));
 */
export function gatherBatch(data: Batch, indices: tf.Tensor1D): Batch {
  return {
    tokens: tf.gather(data.tokens, indices), // [batch, nCtx]
    oneHot: tf.gather(data.oneHot, indices), // [batch, rows, dVocabOut]
    weight: data.weight ? tf.gather(data.weight, indices) : null, // [batch, nCtx]
  };
}

/**
 * Runs the model on a batch and returns the per-row loss [batch * rows] and the logits [batch, rows, dVocabOut].
 * Unscored rows (varying positions) have an all-zero one-hot, hence a meaningless loss; weight them out.
 *
 * @example
 * const { rowLoss } = tf.tidy(() => batchRowLoss(model, batch, info, 'precise'));
 */
export function batchRowLoss(
  model: Model,
  batch: Batch,
  info: TaskInfo,
  form: LossForm,
): { rowLoss: tf.Tensor1D; logits: tf.Tensor3D } {
  const [size, rows, vocab] = batch.oneHot.shape;
  const logits = info.fixedPositions ? model.forward(batch.tokens, info.fixedPositions) : model.forward(batch.tokens);
  const expected = [size, rows, vocab];
  if (!tf.util.arraysEqual(logits.shape, expected)) {
    throw new Error(`model.forward must return logits of shape [${expected}] for this batch, got [${logits.shape}]`);
  }
  const flat = tf.reshape(logits, [size * rows, vocab]) as tf.Tensor2D; // [batch * rows, dVocabOut]
  const targets = tf.reshape(batch.oneHot, [size * rows, vocab]) as tf.Tensor2D; // [batch * rows, dVocabOut]
  return { rowLoss: crossEntropy(flat, targets, form), logits };
}

/**
 * The mean loss over the scored rows of a batch: the training objective.
 *
 * @example
 * const { value, grads } = tf.variableGrads(() => meanLoss(model, batch, info, 'precise'), vars);
 */
export function meanLoss(model: Model, batch: Batch, info: TaskInfo, form: LossForm): tf.Scalar {
  const { rowLoss } = batchRowLoss(model, batch, info, form);
  return tf.reshape(scoredMeans(tf.reshape(rowLoss, [1, -1]), batch, info), []) as tf.Scalar;
}

/**
 * The training objective of K stacked models on one batch for all (`Batch`) or a batch each (`StackedBatch`): the
 * sum of each member's mean loss over its scored rows, so that each member's gradient is the one it would get alone.
 *
 * @example
 * const { value, grads } = tf.variableGrads(() => stackedMeanLoss(stack, batch, info, 'precise'), vars);
 */
export function stackedMeanLoss(stack: StackedTransformer, batch: Batch | StackedBatch, info: TaskInfo, form: LossForm): tf.Scalar {
  const [size, rows, vocab] = batch.oneHot.shape.slice(-3) as [number, number, number];
  const logits = info.fixedPositions ? stack.forward(batch.tokens, info.fixedPositions) : stack.forward(batch.tokens); // [K, batch, rows, dVocabOut]
  const models = logits.shape[0];
  const flat = tf.reshape(logits, [models * size * rows, vocab]) as tf.Tensor2D; // [K * batch * rows, dVocabOut]
  const targets = batch.oneHot.rank === 4
    ? tf.reshape(batch.oneHot, [models * size * rows, vocab]) as tf.Tensor2D // [K * batch * rows, dVocabOut]
    : tf.tile(tf.reshape(batch.oneHot, [size * rows, vocab]), [models, 1]) as tf.Tensor2D; // the same rows for every member
  const rowLoss = tf.reshape(crossEntropy(flat, targets, form), [models, size * rows]) as tf.Tensor2D; // [K, batch * rows]
  return tf.sum(scoredMeans(rowLoss, batch, info));
}

/**
 * Per-row losses of one or more models, [models, batch * rows] -> each model's mean over the scored rows, [models];
 * a stacked batch's weights are each member's own.
 */
function scoredMeans(rowLoss: tf.Tensor2D, batch: Batch | StackedBatch, info: TaskInfo): tf.Tensor1D {
  if (!batch.weight) return tf.mean(rowLoss, 1); // every row scored
  const perMember = batch.weight.rank === 3;
  const weight = tf.reshape(batch.weight, [perMember ? rowLoss.shape[0] : 1, -1]); // [K or 1, batch * nCtx]
  const scored = batch.tokens.shape[perMember ? 1 : 0]! * info.nScored;
  return tf.div(tf.sum(tf.mul(rowLoss, weight), 1), scored);
}
