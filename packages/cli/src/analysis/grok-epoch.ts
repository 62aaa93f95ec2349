// When a run grokked: read from its evaluations, not guessed from a curve's shape.

/**
 * The first evaluated epoch from which test accuracy stays at least `threshold` (default 99.9%) for every later
 * evaluation, or null when it never does (or the run has no test set).
 *
 * @example
 * grokEpoch([{ epoch: 0, testAccuracy: 0.01 }, { epoch: 100, testAccuracy: 1 }, { epoch: 200, testAccuracy: 1 }]); // 100
 */
export function grokEpoch(records: readonly Record<string, unknown>[], threshold = 0.999): number | null {
  let since: number | null = null;
  for (const r of records) {
    const acc = r.testAccuracy;
    if (typeof acc !== 'number' || typeof r.epoch !== 'number') continue;
    if (acc >= threshold) since ??= r.epoch;
    else since = null;
  }
  return since;
}
