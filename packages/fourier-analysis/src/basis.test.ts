// The Fourier basis: orthonormality, closed-form rows for odd and even p, names, and bad arguments.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { fourierBasis, fourierBasisNames, frequencyRows, nFrequencies, checkFrequency } from './basis';
import { cosW, sinW, noLeak } from './test-fixtures';

beforeAll(async () => {
  await readyBackend('cpu');
});

describe('fourierBasis', () => {
  it.each([2, 3, 4, 7, 8, 113])('is orthonormal for p = %i (B Bᵀ = I)', (p) => {
    const gram = noLeak(() =>
      tf.tidy(() => {
        const { basis } = fourierBasis(p);
        return tf.matMul(basis, tf.transpose(basis)).arraySync() as number[][];
      }),
    );
    const worst = Math.max(...gram.flatMap((row, i) => row.map((v, j) => Math.abs(v - (i === j ? 1 : 0)))));
    expect(worst).toBeLessThan(1e-5);
  });

  it.each([3, 7, 113])('holds the constant, then cos k and sin k scaled by sqrt(2/p), for odd p = %i', (p) => {
    const { basis, names } = fourierBasis(p);
    const rows = basis.arraySync();
    basis.dispose();
    expect(rows).toHaveLength(p);
    rows[0]!.forEach((v) => expect(v).toBeCloseTo(1 / Math.sqrt(p), 6));
    let worst = 0;
    for (let k = 1; k <= (p - 1) / 2; k++) {
      expect(names[2 * k - 1]).toBe(`cos ${k}`);
      expect(names[2 * k]).toBe(`sin ${k}`);
      for (let x = 0; x < p; x++) {
        worst = Math.max(worst, Math.abs(rows[2 * k - 1]![x]! - Math.sqrt(2 / p) * cosW(p, k, x)));
        worst = Math.max(worst, Math.abs(rows[2 * k]![x]! - Math.sqrt(2 / p) * sinW(p, k, x)));
      }
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it.each([2, 4, 8])('ends with the Nyquist cosine (-1)^x / sqrt(p) and no sine for even p = %i', (p) => {
    const { basis, names } = fourierBasis(p);
    const rows = basis.arraySync();
    basis.dispose();
    expect(names).toHaveLength(p);
    expect(names[p - 1]).toBe(`cos ${p / 2}`);
    expect(names).not.toContain(`sin ${p / 2}`);
    for (let x = 0; x < p; x++) expect(rows[p - 1]![x]).toBeCloseTo((x % 2 === 0 ? 1 : -1) / Math.sqrt(p), 6);
  });

  it('names rows for plots and places each frequency', () => {
    expect(fourierBasisNames(5)).toEqual(['const', 'cos 1', 'sin 1', 'cos 2', 'sin 2']);
    expect(fourierBasisNames(4)).toEqual(['const', 'cos 1', 'sin 1', 'cos 2']);
    expect(frequencyRows(113, 14)).toEqual({ cos: 27, sin: 28 });
    expect(frequencyRows(8, 4)).toEqual({ cos: 7, sin: null });
    expect(nFrequencies(113)).toBe(56);
    expect(nFrequencies(8)).toBe(4);
  });

  it('rejects a bad modulus or frequency, naming the value', () => {
    expect(() => fourierBasis(1)).toThrow('p must be an integer >= 2, got 1');
    expect(() => fourierBasis(2.5)).toThrow('got 2.5');
    expect(() => checkFrequency(113, 57)).toThrow('frequency must be an integer in 1..56 for p = 113, got 57');
    expect(() => checkFrequency(113, 0)).toThrow('got 0');
  });
});
