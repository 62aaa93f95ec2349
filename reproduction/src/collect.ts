// From run directories to compact results: each point's sweep row, its metrics.jsonl (thinned) and its analysis.json
// (summarised). Pure reading; the runs are left as they are.
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { readMetrics, readSweepFile, type SweepRow } from '@grokking/cli';
import { lossSpikes, slotPhaseChanges } from '@grokking/progress-measures';
import { EXPERIMENTS, type ExperimentName } from './catalogue';
import { crossoverDir, sweepDir } from './paths';
import { MAX_CURVE_POINTS, type CheckpointRow, type CircuitRow, type CrossoverResult, type Curves, type ExperimentResults, type PointResult, type TaskSummary } from './results';
import { experimentCommands } from './run';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- analysis.json as read

/**
 * Indices of at most `max` evenly spaced items of `n`, always the first and the last.
 *
 * @example
 * thinIndices(5, 3); // [0, 2, 4]
 */
export function thinIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const out = new Set<number>();
  for (let k = 0; k < max; k++) out.add(Math.round((k * (n - 1)) / (max - 1)));
  return [...out];
}

/**
 * The curves of a run's metrics.jsonl, thinned to MAX_CURVE_POINTS evaluations.
 *
 * @example
 * curvesOf(readMetrics('runs/x'), ['0', '1']).testLoss.length;
 */
export function curvesOf(metrics: Record<string, unknown>[], slotNames: string[] | null, max = MAX_CURVE_POINTS): Curves | null {
  if (metrics.length === 0) return null;
  const rows = thinIndices(metrics.length, max).map((i) => metrics[i]!);
  const ssw = (r: Record<string, unknown>) => num((r.sumSquaredWeights as { total?: unknown } | undefined)?.total);
  const slotRows = rows.filter((r) => Array.isArray(r.testSlotLoss));
  const slots = slotRows.length === rows.length && rows.length > 0
    ? (() => {
      const width = (rows[0]!.testSlotLoss as number[]).length;
      const names = slotNames && slotNames.length === width ? slotNames : Array.from({ length: width }, (_, j) => `slot ${j}`);
      return { names, test: names.map((_, j) => rows.map((r) => (r.testSlotLoss as number[])[j]!)) };
    })()
    : null;
  const targetKeys = [...new Set(rows.flatMap((r) => Object.keys((r.targetLoss as object | undefined) ?? {})))].filter((k) => k.startsWith('test '));
  const targets = targetKeys.length > 0
    ? { names: targetKeys.map((k) => k.slice(5)), test: targetKeys.map((k) => rows.map((r) => num((r.targetLoss as Record<string, unknown> | undefined)?.[k]) ?? NaN)) }
    : null;
  return {
    epoch: rows.map((r) => r.epoch as number),
    trainLoss: rows.map((r) => num(r.trainLoss)),
    testLoss: rows.map((r) => num(r.testLoss)),
    testAccuracy: rows.map((r) => num(r.testAccuracy)),
    sumSquaredWeights: rows.map(ssw),
    slots,
    targets: targets && targets.test.every((c) => c.every(Number.isFinite)) ? targets : null,
  };
}

/**
 * The epochs of the train and test losses' steep falls (slotPhaseChanges on the two curves), null where none.
 *
 * @example
 * lossFallsOf(readMetrics('runs/x')); // { train: 140, test: 150 }
 */
export function lossFallsOf(metrics: Record<string, unknown>[]): { train: number | null; test: number | null } {
  const rows = metrics.filter((r) => typeof r.trainLoss === 'number' && typeof r.testLoss === 'number');
  if (rows.length < 3) return { train: null, test: null };
  try {
    const { slots } = slotPhaseChanges({ epochs: rows.map((r) => r.epoch as number), names: ['train', 'test'], losses: [rows.map((r) => r.trainLoss as number), rows.map((r) => r.testLoss as number)] });
    return { train: slots[0]!.epoch, test: slots[1]!.epoch };
  } catch {
    return { train: null, test: null };
  }
}

/**
 * The train loss's spikes after memorising (lossSpikes), as a count and the peaks' epochs.
 *
 * @example
 * spikesOf(readMetrics('runs/naive')); // { count: 4, peaks: [2210, 3050, 4400, 5120] }
 */
export function spikesOf(metrics: Record<string, unknown>[]): { count: number; peaks: number[] } {
  const rows = metrics.filter((r) => typeof r.trainLoss === 'number' && Number.isFinite(r.trainLoss));
  const spikes = lossSpikes(rows.map((r) => r.epoch as number), rows.map((r) => r.trainLoss as number));
  return { count: spikes.length, peaks: spikes.map((s) => s.peak) };
}

/** The progress measures per checkpoint from analysis.json's series. */
function checkpointsOf(analysis: Json | null): CheckpointRow[] {
  return ((analysis?.series?.points ?? []) as Json[]).map((p) => ({
    epoch: p.epoch,
    trainLoss: num(p.loss?.train),
    testLoss: num(p.loss?.test),
    excludedLoss: num(p.excludedLoss?.all),
    restrictedTestLoss: num(p.restrictedLoss?.test),
    giniEmbedding: num(p.gini?.embedding),
    giniUnembed: num(p.gini?.unembed),
    sumSquaredWeights: num(p.sumSquaredWeights?.total),
  }));
}

function circuitOf(analysis: Json | null): CircuitRow[] {
  return ((analysis?.circuit?.points ?? []) as Json[]).map((p) => ({
    epoch: p.epoch, clusterSizes: p.clusterSizes ?? {}, unclustered: num(p.unclustered), logitVarianceExplained: num(p.logitVarianceExplained),
  }));
}

function slotChanges(phases: Json | null | undefined): { order: string[]; slots: { name: string; epoch: number | null }[] } {
  return { order: phases?.order ?? [], slots: ((phases?.slots ?? []) as Json[]).map((s) => ({ name: String(s.name), epoch: num(s.epoch) })) };
}

const maxOf = (grid: number[][]) => Math.max(...grid.flat());

/** The family analysis, compacted: phase-change epochs per slot, induction scores as the best head's per checkpoint. */
export function taskSummaryOf(task: Json | null | undefined): TaskSummary | null {
  if (!task) return null;
  switch (task.kind) {
    case 'digit-addition':
      return { kind: 'digit-addition', ...slotChanges(task.slotPhases?.test) };
    case 'max-element': {
      const last = (task.maxAttention as { byLayer: number[][] }[]).at(-1);
      return { kind: 'max-element', ...slotChanges(task.targetPhases), finalMaxAttention: last ? maxOf(last.byLayer) : null, baseline: task.baseline };
    }
    case 'repeated-subsequence':
      return {
        kind: 'repeated-subsequence', formedAt: num(task.formedAt), bestInductionHead: task.bestInductionHead, bestPreviousTokenHead: task.bestPreviousTokenHead,
        points: (task.points as Json[]).map((p) => ({
          epoch: p.epoch, induction: maxOf(p.induction), previousToken: maxOf(p.previousToken), repeatedLoss: p.repeatedLoss, nonRepeatedLoss: p.nonRepeatedLoss,
        })),
        baseline: { induction: task.baseline.induction, previousToken: task.baseline.previousToken },
      };
    default:
      return null;
  }
}

function readJson(path: string): Json | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Json;
  } catch {
    return null; // a damaged file: the point is reported without it
  }
}

/**
 * One point's compact result, from its sweep row and run directory.
 *
 * @example
 * collectPoint('seeds', row, 'runs/reproduce/seed-run/seeds/points/seed=0');
 */
export function collectPoint(sweep: string, row: SweepRow, dir: string): PointResult {
  const analysis = readJson(join(dir, 'analysis.json'));
  const fourier = analysis?.fourier as Json | null | undefined;
  const neurons = fourier?.neurons as Json | undefined;
  const clusters = (neurons?.clusters?.clusters ?? null) as { freq: number; neurons: number[] }[] | null;
  const task = taskSummaryOf(analysis?.taskAnalysis);
  const slotNames = task && task.kind === 'digit-addition' ? task.slots.map((s) => s.name) : null;
  const circuit = circuitOf(analysis);
  const metrics = readMetrics(dir);
  return {
    sweep, id: row.id, settings: row.settings, status: row.status, error: row.error, wallSeconds: row.wallSeconds,
    grokkedEpoch: row.grokkedEpoch, finalEpoch: row.finalEpoch, finalTrainLoss: row.trainLoss, finalTestLoss: row.testLoss,
    finalTestAccuracy: row.testAccuracy, keyFrequencies: row.keyFrequencies,
    phases: analysis?.phases
      ? { detected: analysis.phases.detected, reason: analysis.phases.reason, memorisation: analysis.phases.memorisation, circuitFormation: analysis.phases.circuitFormation, cleanup: analysis.phases.cleanup }
      : null,
    logitFitVarianceExplained: num(fourier?.logits?.fit?.fractionOfVarianceExplained),
    neuronsInClusters: neurons ? (neurons.fractions as unknown[]).length - (neurons.clusters.unclustered as unknown[]).length : null,
    neurons: neurons ? (neurons.fractions as unknown[]).length : null,
    clusterSizes: clusters ? Object.fromEntries(clusters.map((c) => [String(c.freq), c.neurons.length])) : null,
    embeddingFreqNorms: (fourier?.embedding?.norms?.freqNorms as number[] | undefined) ?? null,
    curves: curvesOf(metrics, slotNames),
    lossFalls: lossFallsOf(metrics),
    spikes: spikesOf(metrics),
    checkpoints: checkpointsOf(analysis),
    circuit,
    task,
  };
}

/**
 * Every point of a sweep directory, in sweep.json's order (an empty list when the sweep has not started).
 *
 * @example
 * collectSweep('seeds', 'runs/reproduce/seed-run/seeds').map((p) => p.grokkedEpoch);
 */
export function collectSweep(sweep: string, dir: string): PointResult[] {
  const file = readSweepFile(dir);
  return (file?.rows ?? []).map((row) => collectPoint(sweep, row, join(dir, row.dir)));
}

/**
 * A crossover directory's crossover.json, compacted (null when there is none).
 *
 * @example
 * collectCrossover('runs/reproduce/train-fraction/crossover')?.above; // 0.35
 */
export function collectCrossover(dir: string): CrossoverResult | null {
  const record = readJson(join(dir, 'crossover.json'));
  if (!record) return null;
  return {
    variable: record.variable, budget: record.budget, below: num(record.below), above: num(record.above),
    probes: (record.probes as Json[]).map((p) => ({ value: p.value, grokked: p.grokked, epochs: (p.points as Json[]).map((q) => num(q.grokkedEpoch)) })),
  };
}

/**
 * An experiment's results from its run directories under `runs` (null when none of its sweeps has started).
 *
 * @example
 * collectExperiment('seed-run', 'runs/reproduce')?.points.length; // 3
 */
export function collectExperiment(name: ExperimentName, runs: string): ExperimentResults | null {
  const experiment = EXPERIMENTS[name];
  const points = Object.keys(experiment.sweeps).flatMap((sweep) => collectSweep(sweep, sweepDir(runs, name, sweep)));
  const crossover = 'crossover' in experiment ? collectCrossover(crossoverDir(runs, name)) : null;
  if (points.length === 0 && !crossover) return null;
  return {
    format: 1, experiment: name, date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version },
    commands: experimentCommands(name, runs), points, crossover,
  };
}
