// The Gini coefficient against hand values and its pairwise definition.
import { giniCoefficient } from './gini';

/** Reference: the definition, mean absolute difference over all ordered pairs over twice the mean. */
function pairwiseGini(values: number[]): number {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  let sum = 0;
  for (const a of values) for (const b of values) sum += Math.abs(a - b);
  return sum / (2 * n * n * mean);
}

describe('giniCoefficient', () => {
  it('is 0 for uniform values and for all zeros', () => {
    expect(giniCoefficient([3, 3, 3, 3, 3])).toBe(0);
    expect(giniCoefficient([0, 0])).toBe(0);
    expect(giniCoefficient([7])).toBe(0);
  });

  it('is (n-1)/n for one spike, tending to 1', () => {
    expect(giniCoefficient([0, 0, 0, 5])).toBeCloseTo(0.75, 12);
    const spike = new Float32Array(1000);
    spike[17] = 2;
    expect(giniCoefficient(spike)).toBeCloseTo(0.999, 12);
  });

  it('matches hand values and the pairwise definition', () => {
    // |differences| over ordered pairs of [1, 2, 3, 4] sum to 20; 2 n² mean = 80
    expect(giniCoefficient([4, 1, 3, 2])).toBeCloseTo(0.25, 12);
    const values = [0.3, 5, 1.2, 0, 2.2, 9.1, 0.7];
    expect(giniCoefficient(values)).toBeCloseTo(pairwiseGini(values), 12);
  });

  it('rejects empty, negative and non-finite input, naming the value', () => {
    expect(() => giniCoefficient([])).toThrow('giniCoefficient needs at least one value, got none');
    expect(() => giniCoefficient([1, -2])).toThrow('giniCoefficient needs finite non-negative values, got -2 at index 1');
    expect(() => giniCoefficient([NaN])).toThrow('got NaN at index 0');
  });
});
