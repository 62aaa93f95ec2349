// symmetricEigen against closed forms and matrices of known spectrum.
import { symmetricEigen } from './eigen';

/** A · diag(d) · Aᵀ for the orthogonal A = H_1 H_2 H_3, a product of Householder reflections I - 2hhᵀ/hᵀh. */
function knownSpectrum(d: number[]): { matrix: number[]; Q: number[][] } {
  const n = d.length;
  let Q: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (const seed of [1, 2, 3]) {
    const h = Array.from({ length: n }, (_, i) => Math.sin(seed * (i + 1) * 1.7) + 0.3 * seed);
    const hh = h.reduce((s, x) => s + x * x, 0);
    Q = Q.map((row) => {
      const dot = row.reduce((s, x, j) => s + x * h[j]!, 0);
      return row.map((x, j) => x - (2 * dot * h[j]!) / hh);
    });
  }
  const matrix: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) matrix.push(d.reduce((s, dk, k) => s + Q[i]![k]! * dk * Q[j]![k]!, 0));
  }
  return { matrix, Q };
}

describe('symmetricEigen', () => {
  it('solves a 2x2 matrix in closed form', () => {
    const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(vectors[0]![0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[0]![1]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(Math.abs(vectors[1]![0]!)).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('recovers the spectrum and eigenvectors of Q diag(d) Qᵀ for a known orthogonal Q', () => {
    const d = [7, -2, 3.5, 0, 1];
    const { matrix, Q } = knownSpectrum(d);
    const { values, vectors } = symmetricEigen(matrix, 5);
    expect(values.map((v) => Number(v.toFixed(10)))).toEqual([7, 3.5, 1, 0, -2]);
    [0, 2, 4, 3, 1].forEach((k, i) => {
      const dot = vectors[i]!.reduce((s, x, r) => s + x * Q[r]![k]!, 0);
      expect(Math.abs(dot)).toBeCloseTo(1, 10);
    });
  });

  it('handles a larger matrix with repeated and zero eigenvalues: spectrum, residuals, orthonormality', () => {
    const n = 60;
    const d = Array.from({ length: n }, (_, i) => (i < 10 ? 0 : i < 20 ? 4 : i - 25));
    const { matrix } = knownSpectrum(d);
    const { values, vectors } = symmetricEigen(matrix, n);
    const sorted = [...d].sort((a, b) => b - a);
    values.forEach((v, i) => expect(v).toBeCloseTo(sorted[i]!, 9));
    let worst = 0;
    vectors.forEach((vec, i) => {
      for (let r = 0; r < n; r++) {
        const Av = vec.reduce((s, x, c) => s + matrix[r * n + c]! * x, 0);
        worst = Math.max(worst, Math.abs(Av - values[i]! * vec[r]!));
      }
      vectors.forEach((other, j) => {
        const dot = vec.reduce((s, x, r) => s + x * other[r]!, 0);
        worst = Math.max(worst, Math.abs(dot - (i === j ? 1 : 0)));
      });
    });
    expect(worst).toBeLessThan(1e-9);
    expect(symmetricEigen(matrix, n, false).values).toEqual(values);
  });

  it('takes a diagonal, a 1x1 and an already tridiagonal matrix', () => {
    expect(symmetricEigen([3, 0, 0, 0, -1, 0, 0, 0, 2], 3).values).toEqual([3, 2, -1]);
    expect(symmetricEigen([5], 1)).toEqual({ values: [5], vectors: [[1]] });
    // [[2, -1, 0], [-1, 2, -1], [0, -1, 2]]: eigenvalues 2 - sqrt(2), 2, 2 + sqrt(2)
    const { values } = symmetricEigen([2, -1, 0, -1, 2, -1, 0, -1, 2], 3);
    expect(values[0]).toBeCloseTo(2 + Math.SQRT2, 12);
    expect(values[1]).toBeCloseTo(2, 12);
    expect(values[2]).toBeCloseTo(2 - Math.SQRT2, 12);
  });

  it('rejects a matrix of the wrong size', () => {
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow('matrix must have n*n = 4 entries, got 3');
  });
});
