// The shapes the measures take and give. Results are plain JSON-serialisable data.

/**
 * The measures, by name:
 * - `loss`: mean cross-entropy and accuracy on the train and test sets (every task);
 * - `slotLoss`: loss and accuracy per scored slot, e.g. per sum digit (every task);
 * - `targetLoss`: loss per target token, e.g. per skip trigram of max element (every task);
 * - `excludedLoss`: train loss with the key frequencies' cos/sin(w(x+y)) logit components removed (modular addition);
 * - `restrictedLoss`: train and test loss of the logits kept to those components plus their mean (modular addition);
 * - `gini`: Gini coefficients of the Fourier-component norms of W_E and W_L (modular addition);
 * - `sumSquaredWeights`: Σ w² in total and per parameter (every task).
 */
export const MEASURE_NAMES = Object.freeze([
  'loss',
  'slotLoss',
  'targetLoss',
  'excludedLoss',
  'restrictedLoss',
  'gini',
  'sumSquaredWeights',
] as const);

/** A measure's name: one of {@link MEASURE_NAMES}, in the order results list them. */
export type MeasureName = (typeof MEASURE_NAMES)[number];

/** The measures defined through the Fourier basis of Z_p: modular addition only. */
export const FOURIER_MEASURES: readonly MeasureName[] = Object.freeze(['excludedLoss', 'restrictedLoss', 'gini'] as const);

/** Loss and accuracy on the train and test sets; train is null with infinite data (no fixed train set). */
export interface LossMeasure {
  train: number | null;
  test: number | null;
  trainAccuracy: number | null;
  testAccuracy: number | null;
}

/** Loss and accuracy per scored slot (slot names from the task's `slotNames`). */
export interface SlotLossMeasure {
  names: string[];
  train: number[] | null;
  test: number[] | null;
  trainAccuracy: number[] | null;
  testAccuracy: number[] | null;
}

/** Mean loss per target token, keyed by the task's `outputNames`; only targets that occur are listed. */
export interface TargetLossMeasure {
  train: Record<string, number> | null;
  test: Record<string, number> | null;
}

/** Excluded loss: all key frequencies removed together, and each alone (keyed by the frequency, e.g. `"14"`). */
export interface ExcludedLossMeasure {
  all: number;
  byFrequency: Record<string, number>;
}

/** Restricted (trig) loss on the train and test sets. */
export interface RestrictedLossMeasure {
  train: number;
  test: number | null;
}

/** Gini coefficients of the non-constant Fourier-component norms; `unembed` is null for a model with no W_L. */
export interface GiniMeasure {
  embedding: number;
  unembed: number | null;
}

/** Sum of squared weights over every parameter, and per parameter. */
export interface SumSquaredWeightsMeasure {
  total: number;
  byParam: Record<string, number>;
}

/** Each measure's result type: a name in MEASURE_NAMES without an entry here does not compile. */
export interface MeasureResults {
  loss: LossMeasure;
  slotLoss: SlotLossMeasure;
  targetLoss: TargetLossMeasure;
  excludedLoss: ExcludedLossMeasure;
  restrictedLoss: RestrictedLossMeasure;
  gini: GiniMeasure;
  sumSquaredWeights: SumSquaredWeightsMeasure;
}

/** Every measure of one checkpoint; a measure not computed is absent. Plain data: `JSON.stringify` keeps it all. */
export type CheckpointMeasures = {
  /** The checkpoint's epoch, when known. */
  epoch: number | null;
  /** The key frequencies the Fourier measures used; null when no Fourier measure was computed. */
  keyFrequencies: number[] | null;
} & { [K in MeasureName]?: MeasureResults[K] };
