// What "grokked" means, in one place. A run has grokked at an evaluation when its test accuracy is at least
// GROKKED_TEST_ACCURACY; its grokking epoch is the first evaluation from which that held to the end; the stop rule
// (`stopWhenGrokked: N`) ends a run after N consecutive grokked evaluations; the cleanup rule (`cleanupStop`) ends it
// once grokked and weight decay has stopped shrinking the weights. The phases of grokking (memorisation,
// circuit formation, cleanup) are another thing, read off the loss curves by @grokking/progress-measures' findPhases.
import type { EvalRecord } from './options';

/**
 * Test accuracy at or above which an evaluation counts as grokked: 99.9%, so one or two hard test examples out of
 * thousands do not hide a run that has generalised (on the seed run's 8,939 test pairs, 9 errors).
 */
export const GROKKED_TEST_ACCURACY = 0.999;

/**
 * Whether an evaluation has grokked: it has a test accuracy of at least `threshold` (default GROKKED_TEST_ACCURACY).
 *
 * @example
 * isGrokked({ testAccuracy: 0.9996 }); // true
 * isGrokked({ trainAccuracy: 1 }); // false: no test set
 */
export function isGrokked(record: { testAccuracy?: unknown }, threshold = GROKKED_TEST_ACCURACY): boolean {
  return typeof record.testAccuracy === 'number' && record.testAccuracy >= threshold;
}

/**
 * A run's grokking epoch: the first evaluated epoch from which every later evaluation is grokked, or null when the
 * last one is not (or the run has no test set).
 *
 * @example
 * grokEpoch([{ epoch: 0, testAccuracy: 0.01 }, { epoch: 100, testAccuracy: 1 }, { epoch: 200, testAccuracy: 1 }]); // 100
 */
export function grokEpoch(records: readonly { epoch?: unknown; testAccuracy?: unknown }[], threshold = GROKKED_TEST_ACCURACY): number | null {
  let since: number | null = null;
  for (const r of records) {
    if (typeof r.epoch !== 'number' || typeof r.testAccuracy !== 'number') continue;
    if (isGrokked(r, threshold)) since ??= r.epoch;
    else since = null;
  }
  return since;
}

/**
 * The stop rule: feed it every evaluation; it answers true once `evaluations` consecutive ones have grokked.
 * With 0 it never stops.
 *
 * @example
 * const stop = grokStop(5);
 * onEval: (r) => { if (stop(r)) controller.abort(); }
 */
export function grokStop(evaluations: number): (record: Pick<EvalRecord, 'testAccuracy'>) => boolean {
  if (!Number.isSafeInteger(evaluations) || evaluations < 0) throw new Error(`evaluations must be a non-negative integer, got ${evaluations}`);
  let streak = 0;
  return (record) => {
    streak = isGrokked(record) ? streak + 1 : 0;
    return evaluations > 0 && streak >= evaluations;
  };
}

/** Epochs over which the cleanup stop rule measures the fall in the sum of squared weights. */
export const CLEANUP_WINDOW_EPOCHS = 1000;
/** Cleanup is over when the sum of squared weights fell by less than this fraction over the window: 2%. */
export const CLEANUP_MAX_FALL = 0.02;

/** What the cleanup stop rule reads from an evaluation. */
export interface CleanupRecord {
  epoch: number;
  testAccuracy?: number;
  /** The total sum of squared weights at this evaluation (undefined when not measured: the rule then never stops). */
  sumSquaredWeights?: number;
}

/**
 * The cleanup stop rule: feed it every evaluation; it answers true once the run has grokked and weight decay has
 * finished removing the memorisation, read as "every evaluation of the last `window` epochs has grokked, and the sum
 * of squared weights fell by less than `maxFall` of its value over them". On the seed run (p = 113, 30%) Σw² falls
 * 30-40% per 1,000 epochs through cleanup and below 1% after it; the rule stops it near epoch 7,000
 * (docs/results/seed-run-12k).
 *
 * @example
 * const stop = cleanupStop();
 * onEval: (r) => { if (stop({ ...r, sumSquaredWeights: ssw(r) })) controller.abort(); }
 */
export function cleanupStop(window = CLEANUP_WINDOW_EPOCHS, maxFall = CLEANUP_MAX_FALL): (record: CleanupRecord) => boolean {
  if (!Number.isSafeInteger(window) || window < 1) throw new Error(`window must be a positive integer of epochs, got ${window}`);
  if (!(maxFall > 0 && maxFall < 1)) throw new Error(`maxFall must be a fraction between 0 and 1, got ${maxFall}`);
  // The grokked stretch so far: its evaluations' epochs and sums of squared weights, oldest first.
  let stretch: { epoch: number; ssw: number }[] = [];
  return (record) => {
    const ssw = record.sumSquaredWeights;
    if (!isGrokked(record) || typeof ssw !== 'number' || !Number.isFinite(ssw)) {
      stretch = [];
      return false;
    }
    stretch.push({ epoch: record.epoch, ssw });
    // The latest evaluation at least `window` epochs back, inside the stretch.
    let start: { epoch: number; ssw: number } | undefined;
    for (const s of stretch) if (s.epoch <= record.epoch - window) start = s;
    if (!start) return false;
    return (start.ssw - ssw) / start.ssw < maxFall;
  };
}
