// The Gini coefficient, the sparsity score of Fourier-component norms.
/**
 * The Gini coefficient of non-negative values, a sparsity score: mean |a_i - a_j| over all ordered pairs divided by
 * twice the mean. 0 when all values are equal (and for all zeros), (n-1)/n -> 1 when one value holds everything.
 * Used on the Fourier-component norms of W_E and W_L, which grow sparse as a model groks. Computed in O(n log n) as
 * (2 Σ_i i·a_(i)) / (n Σ a) - (n+1)/n over the values sorted ascending (i from 1).
 *
 * @example
 * giniCoefficient([1, 1, 1, 1]); // 0
 * giniCoefficient([1, 2, 3, 4]); // 0.25
 * giniCoefficient([0, 0, 0, 5]); // 0.75
 */
export function giniCoefficient(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) throw new Error('giniCoefficient needs at least one value, got none');
  const sorted = Array.from(values);
  sorted.forEach((v, i) => {
    if (!(v >= 0) || !Number.isFinite(v)) throw new Error(`giniCoefficient needs finite non-negative values, got ${v} at index ${i}`);
  });
  sorted.sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  if (sum === 0) return 0;
  const weighted = sorted.reduce((acc, v, i) => acc + (i + 1) * v, 0);
  return (2 * weighted) / (n * sum) - (n + 1) / n;
}
