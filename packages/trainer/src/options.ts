// The options of a training run, their defaults and their checks. What shapes the trajectory (data, batch size, loss,
// seed, optimiser) is recorded in every checkpoint and must match on resume.
import type { Dataset, Rng, TaskInfo } from '@grokking/tasks';
import { crc32 } from './crc32';
import type { LossForm, Model } from '@grokking/model';
import { resolveOptimizerConfig, type OptimizerConfig, type ResolvedOptimizerConfig } from './optimizer';
import type { CheckpointStore } from './store';

/** A fixed train set (full-batch or minibatch training) or a sampler of fresh examples (infinite data). */
export type TrainData =
  | { train: Dataset; test?: Dataset }
  | { sample: (count: number, rng: Rng) => Dataset; test?: Dataset };

/** What an evaluation reports, streamed to `onEval` as soon as it is computed. */
export interface EvalRecord {
  /** Epochs completed: the metrics describe the weights after this many epochs (0 = initial weights). */
  epoch: number;
  /** Optimiser steps taken. */
  step: number;
  /** Mean loss over the training set (with sampled data: over the batch the next step trains on, not seen yet). */
  trainLoss: number;
  trainAccuracy: number;
  /** Present when there is a test set. */
  testLoss?: number;
  testAccuracy?: number;
  /** Per-slot losses and accuracies (e.g. per sum digit), present when the task scores more than one slot. */
  trainSlotLoss?: number[];
  testSlotLoss?: number[];
  trainSlotAccuracy?: number[];
  testSlotAccuracy?: number[];
  /** Values of the caller's metrics, by metric name, at the epochs they run. */
  metrics?: Record<string, number | Record<string, number>>;
}

/** What a metric gets. */
export interface MetricContext {
  epoch: number;
  step: number;
  model: Model;
  info: TaskInfo;
  /** The training set (with sampled data: the next training batch). */
  train: Dataset;
  test: Dataset | null;
  /** The record so far (losses and accuracies). */
  record: Readonly<EvalRecord>;
}

/** A caller's metric (a progress measure, a weight norm, ...): a number or named numbers. Dispose its tensors. */
export type Metric = (context: MetricContext) =>
  | number
  | Record<string, number>
  | Promise<number | Record<string, number>>;

/** When and where to checkpoint. */
export interface CheckpointOptions {
  store: CheckpointStore;
  /** Checkpoint every this many epochs (epoch 0 included); the final epoch is always checkpointed. */
  every: number;
  /** Also checkpoint at epochs 1, 2, 4, 8, ... below `every`, for the fast early changes. Default false. */
  logSpacedEarly?: boolean;
}

/** The options of {@link train}. */
export interface TrainOptions {
  model: Model;
  info: TaskInfo;
  data: TrainData;
  /** Epochs to run to (a resumed run continues up to this count). With a fixed train set an epoch is one pass. */
  epochs: number;
  /** Examples per step. Default: the whole train set (full batch, the write-up's setting); required for sampled data. */
  batchSize?: number;
  optimizer?: OptimizerConfig;
  /** Default `'precise'`; `'naive'` reproduces the write-up's float32 slingshots. Evaluation uses the same form. */
  loss?: LossForm;
  /** Seed of the trainer's generator (minibatch order, sampled data). Default 0. */
  seed?: number;
  /** Evaluate every this many epochs (and at the end). Default 100. */
  evalEvery?: number;
  /** Examples per evaluation forward pass. Default 4096. */
  evalBatchSize?: number;
  metrics?: Record<string, Metric>;
  /** Run the metrics every this many epochs: a multiple of evalEvery (and at the end). Default evalEvery. */
  metricsEvery?: number;
  checkpoint?: CheckpointOptions;
  /** Continue from the newest good checkpoint in `checkpoint.store`, if any. Default false. */
  resume?: boolean;
  /** Stops the run after the current epoch, with an evaluation and a final checkpoint. */
  signal?: AbortSignal;
  onEval?: (record: EvalRecord) => void | Promise<void>;
  /** Read the NaN/Inf record back at least every this many epochs (it is also read before evaluations and
   * checkpoints; the epoch reported is exact either way). Default 100. */
  nanCheckEvery?: number;
}

/** Options with defaults filled in and checked. */
export interface ResolvedTrainOptions extends Required<Omit<TrainOptions, 'batchSize' | 'checkpoint' | 'signal' | 'onEval' | 'optimizer'>> {
  batchSize: number | null;
  optimizer: ResolvedOptimizerConfig;
  checkpoint: Required<CheckpointOptions> | null;
  signal: AbortSignal | null;
  onEval: TrainOptions['onEval'] | null;
  /** The settings that determine the weights, stored in checkpoints and compared on resume. */
  trajectory: Record<string, unknown>;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * Fills in defaults and checks every option, naming a bad value and what was expected.
 *
 * @example
 * resolveTrainOptions({ model, info, data: { train }, epochs: 1000 }).evalEvery; // 100
 */
export function resolveTrainOptions(options: TrainOptions): ResolvedTrainOptions {
  const { model, info, data } = options;
  if (!model || typeof model.forward !== 'function' || !model.params) throw new Error('model must have params and forward()');
  if (Object.keys(model.params).length === 0) throw new Error('model has no parameters to train');
  const sampled = 'sample' in data;
  if (!sampled && !('train' in data)) throw new Error('data must hold a train set ({ train }) or a sampler ({ sample })');
  if (!Number.isSafeInteger(options.epochs) || options.epochs < 0) {
    throw new Error(`epochs must be a non-negative integer, got ${options.epochs}`);
  }
  const batchSize = options.batchSize === undefined ? null : positiveInteger('batchSize', options.batchSize);
  if (sampled && batchSize === null) throw new Error('batchSize is required when training on sampled data');
  const loss = options.loss ?? 'precise';
  if (loss !== 'precise' && loss !== 'naive') throw new Error(`loss must be 'precise' or 'naive', got ${JSON.stringify(loss)}`);
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be a safe integer, got ${seed}`);
  const evalEvery = positiveInteger('evalEvery', options.evalEvery ?? 100);
  const metricsEvery = positiveInteger('metricsEvery', options.metricsEvery ?? evalEvery);
  if (metricsEvery % evalEvery !== 0) {
    throw new Error(`metricsEvery must be a multiple of evalEvery (${evalEvery}), got ${metricsEvery}`);
  }
  let checkpoint: Required<CheckpointOptions> | null = null;
  if (options.checkpoint) {
    const { store, every, logSpacedEarly = false } = options.checkpoint;
    if (!store || typeof store.write !== 'function') throw new Error('checkpoint.store must be a CheckpointStore');
    checkpoint = { store, every: positiveInteger('checkpoint.every', every), logSpacedEarly };
  }
  if (options.resume && !checkpoint) throw new Error('resume needs checkpoint.store to resume from');
  const optimizer = resolveOptimizerConfig(options.optimizer);
  const trajectory: Record<string, unknown> = {
    data: sampled ? 'sampled' : 'dataset',
    trainSize: sampled ? null : data.train.size,
    dataChecksum: sampled ? null : datasetChecksum(data.train),
    batchSize,
    loss,
    seed,
    optimizer,
  };
  return {
    model, info, data, epochs: options.epochs, batchSize, optimizer, loss, seed, evalEvery,
    evalBatchSize: positiveInteger('evalBatchSize', options.evalBatchSize ?? 4096),
    metrics: options.metrics ?? {},
    metricsEvery,
    checkpoint,
    resume: options.resume ?? false,
    signal: options.signal ?? null,
    onEval: options.onEval ?? null,
    nanCheckEvery: positiveInteger('nanCheckEvery', options.nanCheckEvery ?? 100),
    trajectory,
  };
}

/**
 * CRC-32 of a dataset's tokens, positions and targets, as 8 hex digits: a resume must train on the same data.
 *
 * @example
 * datasetChecksum(split.train); // e.g. '3fa9c012', stored in checkpoints as trainer.dataChecksum
 */
export function datasetChecksum(dataset: Dataset): string {
  let c = 0;
  for (const a of [dataset.tokens, dataset.positions, dataset.targets]) {
    c = crc32(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), c);
  }
  return c.toString(16).padStart(8, '0');
}

/**
 * Whether an epoch gets a scheduled checkpoint: a multiple of `every`, or (log-spaced) a power of two below it.
 *
 * @example
 * isCheckpointEpoch(64, { store, every: 1000, logSpacedEarly: true }); // true
 * isCheckpointEpoch(1024, { store, every: 1000, logSpacedEarly: true }); // false
 */
export function isCheckpointEpoch(epoch: number, checkpoint: Required<CheckpointOptions>): boolean {
  if (epoch % checkpoint.every === 0) return true;
  return checkpoint.logSpacedEarly && epoch < checkpoint.every && (epoch & (epoch - 1)) === 0;
}
