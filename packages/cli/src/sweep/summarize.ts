// A point's results as read from its run directory: what a worker sends back as the job's return value, so the
// coordinator's sweep.json is complete even when it cannot see the run directories.
import { existsSync, readFileSync } from 'node:fs';
import { grokEpoch } from '@grokking/trainer';
import { readMetrics, runPaths } from '../run-dir';
import type { SweepRow } from './sweep-file';

/** The results part of a row. */
export type RunSummary = Pick<SweepRow, 'grokkedEpoch' | 'finalEpoch' | 'trainLoss' | 'testLoss' | 'trainAccuracy' | 'testAccuracy' | 'keyFrequencies'>;

/**
 * A summary with no results: a point that never ran.
 *
 * @example
 * emptySummary().grokkedEpoch; // null
 */
export function emptySummary(): RunSummary {
  return { grokkedEpoch: null, finalEpoch: null, trainLoss: null, testLoss: null, trainAccuracy: null, testAccuracy: null, keyFrequencies: null };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Summarises a run directory: the grokking epoch, the last evaluation, and the key frequencies when analysed.
 *
 * @example
 * summarizeRun('sweeps/wd/points/weight-decay=1_seed=0'); // { grokkedEpoch: 420, finalEpoch: 500, testAccuracy: 1, ... }
 */
export function summarizeRun(dir: string): RunSummary {
  const metrics = readMetrics(dir);
  const last = metrics[metrics.length - 1] ?? {};
  let keyFrequencies: number[] | null = null;
  const analysis = runPaths(dir).analysis;
  if (existsSync(analysis)) {
    try {
      const parsed = JSON.parse(readFileSync(analysis, 'utf8')) as { keyFrequencies?: unknown };
      if (Array.isArray(parsed.keyFrequencies)) keyFrequencies = parsed.keyFrequencies.filter((k): k is number => typeof k === 'number');
    } catch {
      // a damaged analysis.json: the row simply has no key frequencies
    }
  }
  return {
    grokkedEpoch: grokEpoch(metrics),
    finalEpoch: num(last.epoch),
    trainLoss: num(last.trainLoss),
    testLoss: num(last.testLoss),
    trainAccuracy: num(last.trainAccuracy),
    testAccuracy: num(last.testAccuracy),
    keyFrequencies,
  };
}
