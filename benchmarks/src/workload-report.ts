// The workloads' part of the results: per workload what was timed, each implementation's seconds per step, its ratio
// to PyTorch's and how far its loss at the initial weights is from PyTorch's (both start from the same weights on the
// same examples, so that gap is float32 rounding, and a large one says the two compute different models).
import type { WorkloadName } from './workloads';

/** One timed implementation of one workload. */
export interface WorkloadRow {
  implementation: string;
  /** Backend and threads, as in the seed run's rows. */
  backend: string;
  medianS: number;
  timesS: number[];
  /** The loss before the first step (at the initial weights) and before the last timed one. */
  firstLoss: number;
  lastLoss: number;
  peakRssMb: number;
  tensors?: { live: number; leaked: number } | undefined;
  reference?: boolean;
}

/** One workload's results. */
export interface WorkloadResult {
  /** The preset. */
  name: WorkloadName;
  /** The model in a few words (workloads.ts' describeModel). */
  model: string;
  /** Training examples: the full batch of every step. */
  examples: number;
  /** Which positions a step computes and the loss reads (describePositions). */
  positions: string;
  rows: (WorkloadRow & { stepsPerS: number; vsTorch?: number; initLossRelDiff?: number })[];
}

/**
 * Adds each row's steps per second, its time divided by PyTorch's and |loss at init − PyTorch's| / PyTorch's.
 *
 * @example
 * workloadResult({ name: 'digit-addition', model: '…', examples: 700, positions: '…' }, rows).rows[1].vsTorch;
 */
export function workloadResult(about: Omit<WorkloadResult, 'rows'>, rows: WorkloadRow[]): WorkloadResult {
  const torch = rows.find((r) => r.reference);
  return {
    ...about,
    rows: rows.map((r) => ({
      ...r,
      stepsPerS: 1 / r.medianS,
      ...(torch ? { vsTorch: r.medianS / torch.medianS, initLossRelDiff: Math.abs(r.firstLoss - torch.firstLoss) / torch.firstLoss } : {}),
    })),
  };
}

const num = (x: number | undefined, digits = 3): string => (x === undefined ? '–' : x.toPrecision(digits));

/** The workloads as a markdown table for results/latest.md. */
export function workloadLines(workloads: readonly WorkloadResult[]): string[] {
  if (workloads.length === 0) return [];
  return [
    '',
    'Other presets, one training step each: full batch, or one sampled batch for an infinite-data preset (both sides from the same initial weights on the same examples):',
    '',
    '| Preset | Implementation | Backend | s / step (median) | steps / s | ÷ PyTorch | loss at init | its distance from PyTorch\'s (relative) | peak RSS (MB) | tfjs tensors live (leaked) |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...workloads.flatMap((w) => w.rows.map((r) =>
      `| \`${w.name}\` | ${r.implementation} | ${r.backend} | ${num(r.medianS)} | ${num(r.stepsPerS)} | ${num(r.vsTorch)} | ${r.firstLoss.toFixed(5)} | ${r.reference || r.initLossRelDiff === undefined ? '–' : r.initLossRelDiff.toExponential(1)} | ${r.peakRssMb.toFixed(0)} | ${r.tensors ? `${r.tensors.live} (${r.tensors.leaked})` : '–'} |`)),
    '',
    ...workloads.map((w) => `\`${w.name}\`: ${w.model}; ${w.examples} examples; ${w.positions}.`),
  ];
}
