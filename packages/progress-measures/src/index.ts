// @grokking/progress-measures: the measures that see grokking coming (excluded and restricted loss, Gini
// coefficients, weight norms, per-slot losses), for one checkpoint, a checkpoint series or live during training, and
// the phases of grokking they reveal.
export {
  type MeasureName,
  type CheckpointMeasures,
  type LossMeasure,
  type SlotLossMeasure,
  type TargetLossMeasure,
  type ExcludedLossMeasure,
  type RestrictedLossMeasure,
  type GiniMeasure,
  type SumSquaredWeightsMeasure,
  MEASURE_NAMES,
  FOURIER_MEASURES,
} from './types';
export { measureCheckpoint, defaultMeasures, resolveMeasures, type MeasureCheckpointOptions, type MeasuredSets } from './measure-checkpoint';
export { measureSeries, type SeriesEntry, type KeyFrequencyChoice, type MeasureSeriesOptions, type MeasureSeries } from './series';
export { progressMeasuresPlugin, measureGroups, type PluginOptions, type PluginContext, type ProgressMetric } from './plugin';
export { findPhases, seriesCurves, type PhaseCurves, type PhaseOptions, type Phases, type Span } from './phases';
export {
  slotPhaseChanges,
  slotLossCurves,
  targetLossCurves,
  type SlotCurves,
  type SlotPhaseOptions,
  type SlotPhaseChange,
  type SlotPhases,
} from './slot-phases';
export { lossSpikes, type LossSpike, type LossSpikeOptions } from './loss-spikes';
export { digitCarries, type DigitCarries } from './digit-carries';
export { attentionPatterns, type AttentionPattern, type AttentionPatternOptions } from './attention-patterns';
export {
  previousTokenScores,
  inductionScores,
  inductionBaselines,
  headScores,
  type HeadScores,
  type InductionBaselines,
} from './induction-scores';
export { repeatLoss, type RepeatLoss } from './repeat-loss';
export { measureInduction, type InductionMeasure } from './measure-induction';
export { inductionFormation, type InductionFormationOptions } from './induction-formation';
export { maxElementAttention, maxAttentionBaseline, measureMaxElementAttention, type MaxAttention } from './max-element-attention';
export { excludedLoss, restrictedLoss, type FourierLossInputs } from './fourier-losses';
export {
  groupOperationOf,
  operationFourierInputs,
  operationExcludedLoss,
  operationRestrictedLoss,
  type OperationLossInputs,
} from './operation-losses';
export { sumSquaredWeights, giniOfModel, fourierMaps, type FourierMaps } from './weights';
export {
  findKeyFrequencies,
  keyFrequenciesFromActs,
  neuronHook,
  type KeyFrequencySource,
  type FindKeyFrequencyOptions,
} from './key-frequencies';
export { datasetLoss, type DatasetLoss } from './dataset-loss';
export { scoredLogits, type ScoredLogits, type ScoredLogitsOptions } from './scored-logits';
export { rowCrossEntropy } from './cross-entropy';
export { analyzeModel, modulusOf, type ModelAnalysis, type ActivationSamples, type AnalyzeModelOptions } from './model-analysis';
export { circuitPoint, circuitSeries, type CircuitPoint } from './circuit';
