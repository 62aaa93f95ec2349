// A run directory's metrics as training goes, for `grok train` and `grok train-stack`: on resume, the evaluations up
// to the checkpoint resumed from are kept (the trainer evaluates that epoch again; it is written once), the stop rules'
// streaks carry on from them, and each new evaluation is appended as one metrics.jsonl line.
import { cleanupStop, grokStop, type EvalRecord } from '@grokking/trainer';
import { appendMetrics, readMetrics, rewriteMetrics } from '../run-dir';
import type { RunConfig } from '../config';

/** Why a run's own stop rule ends it. */
export type StopReason = 'grokked' | 'cleaned up';

/** What one evaluation did to the log. */
export interface LoggedEval {
  /** False for an epoch the log already held (the epoch resumed from). */
  fresh: boolean;
  /** The stop rule that this evaluation met, or null. */
  stop: StopReason | null;
}

/** A run directory's metrics log. */
export interface RunLog {
  /** Appends a new evaluation and runs the stop rules on it. */
  record(record: EvalRecord): LoggedEval;
}

/**
 * Opens the metrics log of the run in `dir`, resumed from the checkpoint at `resumedFrom` (null: a fresh start, the
 * log emptied).
 *
 * @example
 * const log = openRunLog(dir, config, resumedFrom);
 * onEval: (record) => { if (log.record(record).stop) controller.abort(); }
 */
export function openRunLog(dir: string, config: RunConfig, resumedFrom: number | null): RunLog {
  const kept = resumedFrom === null ? [] : readMetrics(dir, resumedFrom);
  rewriteMetrics(dir, kept);
  const written = resumedFrom ?? -1;
  const grokked = grokStop(config.trainer.stopWhenGrokked);
  const cleanedUp = config.trainer.stopAfterCleanup ? cleanupStop() : () => false;
  // The stop rules' streaks continue as if uninterrupted.
  for (const line of kept) {
    grokked(cleanupRecord(line));
    cleanedUp(cleanupRecord(line));
  }
  return {
    record(record) {
      if (record.epoch <= written) return { fresh: false, stop: null };
      const line = flattenRecord(record);
      appendMetrics(dir, line);
      // Both rules see every evaluation, so their streaks stay whole.
      const isGrokked = grokked(record);
      const isCleanedUp = cleanedUp(cleanupRecord(line));
      return { fresh: true, stop: isGrokked ? 'grokked' : isCleanedUp ? 'cleaned up' : null };
    },
  };
}

/** What the stop rules read from a metrics.jsonl line: the live `sumSquaredWeights` group's total. */
function cleanupRecord(line: Record<string, unknown>) {
  const ssw = line.sumSquaredWeights as { total?: unknown } | undefined;
  return {
    epoch: line.epoch as number,
    testAccuracy: typeof line.testAccuracy === 'number' ? line.testAccuracy : undefined,
    sumSquaredWeights: typeof ssw?.total === 'number' ? ssw.total : undefined,
  };
}

/** One metrics.jsonl line: the record's fields at the top level, metrics flattened into it. */
function flattenRecord(record: EvalRecord): Record<string, unknown> {
  const { metrics, ...rest } = record;
  return { ...rest, ...(metrics ?? {}) };
}
