// Each task family's own analysis for analysis.json: which circuit forms, and when. The families are a mapped type
// over @grokking/tasks' names, so a new task does not compile until it is given one. The analyses themselves are the
// pure functions of @grokking/progress-measures; this file only feeds them the run's curves and checkpoints.
import type { Model } from '@grokking/model';
import {
  attentionPatterns,
  digitCarries,
  inductionFormation,
  measureInduction,
  measureMaxElementAttention,
  progressMeasuresPlugin,
  sumSquaredWeights,
  slotPhaseChanges,
  type SlotPhaseOptions,
  targetLossCurves,
  type DigitCarries,
  type InductionBaselines,
  type MeasureSeries,
  type SlotCurves,
  type SlotPhases,
} from '@grokking/progress-measures';
import { selectExamples, type Dataset, type Task, type TaskInfo, type TaskName } from '@grokking/tasks';
import type { Metric } from '@grokking/trainer';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The families of tasks, each with its own analysis. `modular-group`: the operation is addition in a cyclic group
 * (after re-indexing), so the Fourier analysis reads it; `modular`: other polynomials, progress measures only.
 */
export type TaskFamily = 'modular-group' | 'modular' | 'digit-addition' | 'repeated-subsequence' | 'max-element';

/** Each task's family. */
export const TASK_FAMILY: { readonly [K in TaskName]: TaskFamily } = {
  'modular-addition': 'modular-group',
  'modular-subtraction': 'modular-group',
  'modular-multiplication': 'modular-group',
  'modular-division': 'modular-group',
  'modular-x2+y2': 'modular',
  'modular-x2+xy+y2': 'modular',
  'digit-addition': 'digit-addition',
  'repeated-subsequence': 'repeated-subsequence',
  'max-element': 'max-element',
};

/** Digit addition: one phase change per sum digit, in an order, and how often each digit needs a carry. */
export interface DigitAdditionAnalysis {
  kind: 'digit-addition';
  /** Each digit's phase change on its train and test loss curves (from every evaluation in metrics.jsonl). */
  slotPhases: { train: SlotPhases | null; test: SlotPhases | null };
  /** The fraction of test examples that need a carry (and a chained carry) into each sum digit. */
  carries: DigitCarries;
}

/** Max element: one phase change per answer value (skip trigram), and attention from END to the max. */
export interface MaxElementAnalysis {
  kind: 'max-element';
  /** Each answer value's phase change on its test loss curve. */
  targetPhases: SlotPhases | null;
  /** Per checkpoint: attention from the answer position to the max, per layer and head; baseline: uniform attention. */
  maxAttention: { epoch: number; byLayer: number[][] }[];
  baseline: number;
}

/** Repeated subsequences: the induction head forming, per head and checkpoint. */
export interface InductionAnalysis {
  kind: 'repeated-subsequence';
  /** Per checkpoint: previous-token and induction scores [layer][head], and loss on repeated vs other positions. */
  points: { epoch: number; previousToken: number[][]; induction: number[][]; repeatedLoss: number; nonRepeatedLoss: number }[];
  baseline: InductionBaselines;
  /** When the induction circuit forms: the steepest rise of the best induction head's score (null: none). */
  formedAt: number | null;
  /** The final checkpoint's best heads, as [layer, head]. */
  bestInductionHead: [number, number];
  bestPreviousTokenHead: [number, number];
  /** Their attention patterns [query][key] on one test sequence (its tokens given), at the final checkpoint. */
  sample: { tokens: number[]; induction: number[][]; previousToken: number[][] };
}

/** A task family's analysis (modular tasks keep theirs in `fourier` and `circuit`). */
export type TaskAnalysis = DigitAdditionAnalysis | MaxElementAnalysis | InductionAnalysis;

/** What a family's analysis reads. */
export interface TaskAnalysisInput {
  task: Task;
  test: Dataset;
  metrics: Record<string, unknown>[];
  series: MeasureSeries;
  epochs: number[];
  load: (epoch: number) => Promise<Model>;
}

/** Examples of the test set the per-checkpoint attention measures read (plenty for means of attention mass). */
const SAMPLE = 500;

/**
 * The trainer metrics recorded live at every evaluation: the sum of squared weights (total and per parameter, which
 * the cleanup stop rule reads), and max element's per-target loss, so their curves have one point per evaluation.
 *
 * @example
 * train({ ...options, metrics: liveMetrics(task) });
 */
export function liveMetrics(task: Task): Record<string, Metric> {
  const weights: Metric = ({ model }) => {
    const { total, byParam } = sumSquaredWeights(model.params);
    return { total, ...byParam };
  };
  if (TASK_FAMILY[task.info.name as TaskName] !== 'max-element') return { sumSquaredWeights: weights };
  return { sumSquaredWeights: weights, ...(progressMeasuresPlugin({ task, measures: ['targetLoss'] }) as Record<string, Metric>) };
}

/**
 * The task family's analysis of a run, or null for modular tasks.
 *
 * @example
 * const taskAnalysis = await analyzeTask({ task, test: data.test, metrics, series, epochs, load });
 */
export async function analyzeTask(input: TaskAnalysisInput): Promise<TaskAnalysis | null> {
  const family = TASK_FAMILY[input.task.info.name as TaskName];
  switch (family) {
    case 'modular-group':
    case 'modular':
      return null;
    case 'digit-addition':
      return digitAdditionAnalysis(input);
    case 'max-element':
      return maxElementAnalysis(input);
    case 'repeated-subsequence':
      return inductionAnalysis(input);
  }
}

/** Slot curves from metrics.jsonl's per-evaluation arrays (e.g. `testSlotLoss`), or null with fewer than 3. */
export function curvesFromMetrics(metrics: Record<string, unknown>[], key: string, names: readonly string[]): SlotCurves | null {
  const rows = metrics.filter((r) => Array.isArray(r[key]) && typeof r.epoch === 'number');
  if (rows.length < 3) return null;
  return {
    epochs: rows.map((r) => r.epoch as number),
    names,
    losses: names.map((_, i) => rows.map((r) => (r[key] as number[])[i]!)),
  };
}

/** Per-target curves from metrics.jsonl's live `targetLoss` group (`test <value>` keys), or null. */
export function targetCurvesFromMetrics(metrics: Record<string, unknown>[], set: 'train' | 'test'): SlotCurves | null {
  const rows = metrics.filter((r) => typeof r.targetLoss === 'object' && r.targetLoss !== null);
  if (rows.length < 3) return null;
  const prefix = `${set} `;
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.targetLoss as object).filter((k) => k.startsWith(prefix))))]
    .map((k) => k.slice(prefix.length)).sort((a, b) => Number(a) - Number(b));
  // Only the targets seen at every evaluation make a curve.
  const seen = names.filter((n) => rows.every((r) => typeof (r.targetLoss as Record<string, unknown>)[prefix + n] === 'number'));
  if (seen.length === 0) return null;
  return {
    epochs: rows.map((r) => r.epoch as number),
    names: seen,
    losses: seen.map((n) => rows.map((r) => (r.targetLoss as Record<string, number>)[prefix + n]!)),
  };
}

function phasesOf(curves: SlotCurves | null, options?: SlotPhaseOptions): SlotPhases | null {
  return curves ? slotPhaseChanges(curves, options) : null;
}

/**
 * How the per-digit phase changes are read. On infinite data a digit's loss jitters 2-10x between evaluations once
 * small, steeper on a log scale than its phase change, so they are read on the loss itself, after a moving median of 5
 * evaluations. There the steep stretch ends while the loss still has a long slow tail, so the factor across it is
 * smaller than on a log scale: 3x is asked for (the reproduction's infinite run: 3.2-14x for the six phase changes,
 * at most 2.1x for the jitter after them).
 */
const DIGIT_PHASES: SlotPhaseOptions = { scale: 'linear', smoothing: 5, minFall: 3 };

function digitAdditionAnalysis({ task, test, metrics }: TaskAnalysisInput): DigitAdditionAnalysis {
  const names = task.info.slotNames;
  return {
    kind: 'digit-addition',
    slotPhases: {
      train: phasesOf(curvesFromMetrics(metrics, 'trainSlotLoss', names), DIGIT_PHASES),
      test: phasesOf(curvesFromMetrics(metrics, 'testSlotLoss', names), DIGIT_PHASES),
    },
    carries: digitCarries(test, task.info),
  };
}

/** The first `count` examples of a dataset (all of them when it has fewer). */
function head(dataset: Dataset, count: number, info: TaskInfo): Dataset {
  return selectExamples(dataset, info, Array.from({ length: Math.min(count, dataset.size) }, (_, i) => i));
}

async function eachCheckpoint<T>(epochs: number[], load: (epoch: number) => Promise<Model>, fn: (model: Model, epoch: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (const epoch of epochs) {
    const model = await load(epoch);
    try {
      out.push(await fn(model, epoch));
    } finally {
      model.dispose();
    }
  }
  return out;
}

async function maxElementAnalysis({ task, test, metrics, series, epochs, load }: TaskAnalysisInput): Promise<MaxElementAnalysis> {
  const { info } = task;
  const sample = head(test, SAMPLE, info);
  let baseline = 0;
  const maxAttention = await eachCheckpoint(epochs, load, async (model, epoch) => {
    const m = await measureMaxElementAttention(model, sample, info);
    baseline = m.baseline;
    return { epoch, byLayer: m.byLayer };
  });
  const curves = targetCurvesFromMetrics(metrics, 'test') ?? (series.points.length >= 3 ? targetLossCurves(series, 'test') : null);
  return { kind: 'max-element', targetPhases: phasesOf(curves), maxAttention, baseline };
}

function argmax(scores: number[][]): [number, number] {
  let best: [number, number] = [0, 0];
  scores.forEach((row, l) => row.forEach((v, h) => { if (v > scores[best[0]]![best[1]]!) best = [l, h]; }));
  return best;
}

async function inductionAnalysis({ task, test, epochs, load }: TaskAnalysisInput): Promise<InductionAnalysis> {
  const { info } = task;
  const sample = head(test, SAMPLE, info);
  let baseline: InductionBaselines = { previousToken: 0, induction: 0 };
  const points = await eachCheckpoint(epochs, load, async (model, epoch) => {
    const m = await measureInduction(model, sample, info);
    baseline = m.baseline;
    return { epoch, previousToken: m.previousToken, induction: m.induction, repeatedLoss: m.loss.repeated, nonRepeatedLoss: m.loss.nonRepeated };
  });
  const last = points[points.length - 1]!;
  const bestInductionHead = argmax(last.induction);
  const bestPreviousTokenHead = argmax(last.previousToken);
  const [layer, h] = bestInductionHead;
  const formed = points.length >= 3
    ? inductionFormation(points.map((p) => p.epoch), points.map((p) => p.induction[layer]![h]!))?.epoch ?? null
    : null;
  const one = head(test, 1, info);
  const model = await load(last.epoch);
  try {
    const tokens = tf.tensor2d(one.tokens, [1, info.nCtx], 'int32'); // [1, nCtx]
    const run = attentionPatterns(model, tokens);
    tokens.dispose();
    try {
      const pattern = async ([layer, h]: [number, number]) => ((await run.patterns[layer]!.array()) as number[][][][])[0]![h]!;
      return {
        kind: 'repeated-subsequence', points, baseline, formedAt: formed, bestInductionHead, bestPreviousTokenHead,
        sample: { tokens: Array.from(one.tokens), induction: await pattern(bestInductionHead), previousToken: await pattern(bestPreviousTokenHead) },
      };
    } finally {
      tf.dispose([...run.patterns, run.logits]);
    }
  } finally {
    model.dispose();
  }
}
