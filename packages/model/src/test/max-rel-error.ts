// Test support: the relative error of two float arrays, shared by the jest tests and the browser test bundle.

/**
 * The largest |actual - expected| / (1 + |expected|) over the arrays (0 where both are the same infinity),
 * or Infinity when the lengths differ or only one side is non-finite.
 */
export function maxRelError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (a === e) continue;
    if (!Number.isFinite(a) || !Number.isFinite(e)) return Infinity;
    worst = Math.max(worst, Math.abs(a - e) / (1 + Math.abs(e)));
  }
  return worst;
}
