// Many runs at once, in the results: per workload, one model's step alone against K models' step stacked, as seconds
// and as runs per hour. K separate runs are counted one after another, each with the whole machine (the backend's
// threads), which is how `grok sweep` runs them on a machine with as many cores as a run's threads.
import type { MachineInfo } from './machine';
import type { StackedTfjsResult, TimedStep } from './stacked-child';

/** The run length the runs-per-hour figures assume. Both sides scale with it alike, so their ratio does not. */
export const RUN_EPOCHS = 10_000;

/** One K: the stack's step, K separate steps, and what each gives in runs per hour. */
export interface StackedRow extends TimedStep {
  models: number;
  /** K × one model's step: K runs one after another. */
  separateS: number;
  /** separateS / the stack's step: above 1 the stack is faster. */
  speedup: number;
  /** K runs of RUN_EPOCHS epochs per hour of stacked steps. */
  runsPerHour: number;
  /** Runs of RUN_EPOCHS epochs per hour, one after another. */
  separateRunsPerHour: number;
}

/** One workload's many-runs results. */
export interface StackedResult {
  workload: string;
  /** The model in a few words. */
  model: string;
  examples: number;
  backend: string;
  /** The run length of the runs-per-hour figures (RUN_EPOCHS). */
  runEpochs: number;
  single: TimedStep;
  rows: StackedRow[];
  /** The smallest K measured at which the stack beats K separate runs, or null when it never does. */
  crossover: number | null;
}

/**
 * The runs-per-hour view of one child's timings.
 *
 * @example
 * stackedResult(child, { model: '1L, d_model 32', examples: 264, backend: 'tfjs-wasm, 2 threads, SIMD' }).crossover; // 4
 */
export function stackedResult(r: StackedTfjsResult, about: { model: string; examples: number; backend: string }): StackedResult {
  const perHour = (runs: number, s: number) => (runs * 3600) / (s * RUN_EPOCHS);
  const rows = r.stacked.map((s): StackedRow => {
    const separateS = s.models * r.single.medianS;
    return { ...s, separateS, speedup: separateS / s.medianS, runsPerHour: perHour(s.models, s.medianS), separateRunsPerHour: perHour(1, r.single.medianS) };
  });
  const crossover = rows.find((row) => row.speedup > 1)?.models ?? null;
  return { workload: r.workload, ...about, runEpochs: RUN_EPOCHS, single: r.single, rows, crossover };
}

/** A `pnpm bench --many` run as results/stacked.json holds it (and latest.json, under `stacked`). */
export interface StackedRecord {
  date: string;
  command: string;
  /** The machine, with its 1-minute load average before and after. */
  machine: MachineInfo;
  results: StackedResult[];
}

/** The many-runs results as markdown for results/latest.md. */
export function stackedLines(results: readonly StackedResult[]): string[] {
  if (results.length === 0) return [];
  const lines = [
    '',
    `Many runs at once: K models of one shape in one stacked step (trainStacked) against K runs one after another (the trainer's step, fused where it applies); runs per hour for runs of ${RUN_EPOCHS.toLocaleString('en')} epochs:`,
  ];
  for (const s of results) {
    lines.push('', `${s.workload} (${s.model}, ${s.examples} examples, ${s.backend}): one model alone ${s.single.medianS.toFixed(4)} s/step; crossover ${s.crossover === null ? 'none measured' : `K = ${s.crossover}`}`, '');
    lines.push('| K | stacked s/step | K separate s/step | speed-up | runs/hour stacked | runs/hour separate |', '|---|---|---|---|---|---|');
    for (const row of s.rows) {
      lines.push(`| ${row.models} | ${row.medianS.toFixed(4)} | ${row.separateS.toFixed(4)} | ${row.speedup.toFixed(2)}× | ${row.runsPerHour.toFixed(1)} | ${row.separateRunsPerHour.toFixed(1)} |`);
    }
  }
  return lines;
}
