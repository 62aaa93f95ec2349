// @grokking/trainer: full-batch AdamW training that groks, with atomic checkpoints and exact resume.
export { train, type TrainResult } from './train';
export { trainStacked, stackResumeEpoch, type StackedTrainOptions, type StackedTrainResult } from './train-stacked';
export type { FixedData, StackedTrainData } from './stacked-members';
export {
  GROKKED_TEST_ACCURACY,
  isGrokked,
  grokEpoch,
  grokStop,
  CLEANUP_WINDOW_EPOCHS,
  CLEANUP_MAX_FALL,
  cleanupStop,
  type CleanupRecord,
} from './grokked';
export {
  resolveTrainOptions,
  datasetChecksum,
  isCheckpointEpoch,
  type TrainOptions,
  type ResolvedTrainOptions,
  type TrainData,
  type EvalRecord,
  type Metric,
  type MetricContext,
  type CheckpointOptions,
} from './options';
export {
  createOptimizer,
  resolveOptimizerConfig,
  type Optimizer,
  type OptimizerConfig,
  type OptimizerName,
  type ResolvedOptimizerConfig,
  type StackedOptimizerOptions,
} from './optimizer';
export { warmupFactor, learningRateAt } from './schedule';
// The loss is @grokking/model's (one implementation, shared with the progress measures); re-exported for trainer users.
export { crossEntropy, preciseCrossEntropy, naiveCrossEntropy, type LossForm } from '@grokking/model';
export { evaluate, type Evaluation } from './evaluate';
export { toDevice, validateDataset, meanLoss, stackedMeanLoss, type DeviceData, type Batch } from './data';
export { NonFiniteError, type NonFinite } from './finite';
export {
  encodeCheckpoint,
  modelFromCheckpoint,
  decodeCheckpoint,
  CheckpointError,
  CHECKPOINT_FORMAT,
  OPTIMIZER_PREFIX,
  type Checkpoint,
} from './checkpoint';
export { latestCheckpoint, type LatestCheckpoint, type SkippedCheckpoint } from './latest-checkpoint';
export { createMemoryStore, checkpointFileName, epochFromFileName, type CheckpointStore } from './store';
