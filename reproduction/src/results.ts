// The compact results of one experiment (docs/results/reproduce/<experiment>/results.json): per point its settings,
// outcome, curves (every evaluation, thinned to at most MAX_CURVE_POINTS), progress measures per checkpoint and the
// summary of its analysis. No checkpoints and no heatmaps: figures and the docs page are drawn from this alone.
import { readFileSync } from 'node:fs';

type Scalar = number | string | boolean;

/** A span of epochs. */
export interface Span {
  start: number;
  end: number;
}

/** Per-evaluation curves (metrics.jsonl), thinned. */
export interface Curves {
  epoch: number[];
  trainLoss: (number | null)[];
  testLoss: (number | null)[];
  testAccuracy: (number | null)[];
  /** The total sum of squared weights, recorded live. */
  sumSquaredWeights: (number | null)[];
  /** Per slot (sum digit) test loss [slot][evaluation], with the slot names. */
  slots: { names: string[]; test: number[][] } | null;
  /** Per answer value test loss [value][evaluation] (max element). */
  targets: { names: string[]; test: number[][] } | null;
}

/** The progress measures at one checkpoint. */
export interface CheckpointRow {
  epoch: number;
  trainLoss: number | null;
  testLoss: number | null;
  excludedLoss: number | null;
  restrictedTestLoss: number | null;
  giniEmbedding: number | null;
  giniUnembed: number | null;
  sumSquaredWeights: number | null;
}

/** The circuit at one checkpoint (modular tasks). */
export interface CircuitRow {
  epoch: number;
  clusterSizes: Record<string, number>;
  unclustered: number | null;
  logitVarianceExplained: number | null;
}

/** One slot's (digit's, target's) phase change. */
export interface SlotChange {
  name: string;
  epoch: number | null;
}

/** The family analyses, compacted. */
export type TaskSummary =
  | { kind: 'digit-addition'; order: string[]; slots: SlotChange[] }
  | { kind: 'max-element'; order: string[]; slots: SlotChange[]; finalMaxAttention: number | null; baseline: number }
  | {
    kind: 'repeated-subsequence'; formedAt: number | null; bestInductionHead: [number, number]; bestPreviousTokenHead: [number, number];
    points: { epoch: number; induction: number; previousToken: number; repeatedLoss: number; nonRepeatedLoss: number }[];
    baseline: { induction: number; previousToken: number };
  };

/** One point (one run) of an experiment. */
export interface PointResult {
  sweep: string;
  id: string;
  /** The swept values (seed included). */
  settings: Record<string, Scalar>;
  status: 'queued' | 'running' | 'done' | 'failed';
  error: string | null;
  wallSeconds: number | null;
  grokkedEpoch: number | null;
  finalEpoch: number | null;
  finalTrainLoss: number | null;
  finalTestLoss: number | null;
  finalTestAccuracy: number | null;
  keyFrequencies: number[] | null;
  phases: { detected: boolean; reason: string | null; memorisation: Span | null; circuitFormation: Span | null; cleanup: Span | null } | null;
  logitFitVarianceExplained: number | null;
  neuronsInClusters: number | null;
  neurons: number | null;
  /** Neurons per key-frequency cluster at the final checkpoint. */
  clusterSizes: Record<string, number> | null;
  /** The final embedding's norm per frequency (k = 1..floor(p/2)). */
  embeddingFreqNorms: number[] | null;
  curves: Curves | null;
  /**
   * The epoch of the steep fall (phase change) of the train and of the test loss, from every evaluation, by the rule
   * of findPhases (at least 10x); null where the curve has none.
   */
  lossFalls: { train: number | null; test: number | null };
  /** Train-loss spikes after memorising (lossSpikes of @grokking/progress-measures, from every evaluation). */
  spikes: { count: number; peaks: number[] };
  checkpoints: CheckpointRow[];
  circuit: CircuitRow[];
  task: TaskSummary | null;
}

/** A crossover search's outcome. */
export interface CrossoverResult {
  variable: string;
  budget: number;
  below: number | null;
  above: number | null;
  probes: { value: number; grokked: boolean; epochs: (number | null)[] }[];
}

/** One experiment's results file. */
export interface ExperimentResults {
  format: 1;
  experiment: string;
  date: string;
  machine: { cpu: string; cores: number; node: string };
  /** The `grok` commands that produced the runs. */
  commands: string[];
  points: PointResult[];
  crossover: CrossoverResult | null;
}

/** Curves keep at most this many evaluations (evenly spaced, always the first and the last). */
export const MAX_CURVE_POINTS = 1000;

/**
 * Reads a results file.
 *
 * @example
 * readResults('docs/results/reproduce/seed-run/results.json').points.length; // 3
 * @throws naming the file when it is missing or not a results file of format 1.
 */
export function readResults(path: string): ExperimentResults {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: cannot read the results (${(err as Error).message}); run pnpm reproduce for it`);
  }
  const r = parsed as Partial<ExperimentResults>;
  if (r.format !== 1 || !Array.isArray(r.points) || typeof r.experiment !== 'string') {
    throw new Error(`${path} is not a results file of format 1 (format ${JSON.stringify(r.format)})`);
  }
  return r as ExperimentResults;
}
