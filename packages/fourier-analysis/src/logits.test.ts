// fitCosXPlusYMinusZ against logits built from chosen α, partial fits and random logits.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { fitCosXPlusYMinusZ } from './logits';
import { fourier2dNorms } from './transform';
import { fourierBasisNames } from './basis';
import { cosW, overInputs, noLeak } from './test-fixtures';

beforeAll(async () => {
  await readyBackend('cpu');
});

describe('fitCosXPlusYMinusZ', () => {
  const p = 113;
  const alpha = new Map([
    [14, 3],
    [35, 2],
    [41, 1],
  ]);
  const freqs = [...alpha.keys()];
  // Σ α_w cos(w(x+y-z)) plus a per-input constant (softmax ignores it; the fit must too)
  const ideal = (x: number, y: number, z: number) =>
    freqs.reduce((s, w) => s + alpha.get(w)! * cosW(p, w, x + y - z), 0) + 0.1 * x - 0.02 * y * y;

  it('recovers the chosen α with all variance explained', () => {
    const logits = overInputs(p, p, ideal);
    const fit = noLeak(() => fitCosXPlusYMinusZ(logits, p, freqs));
    logits.dispose();
    expect(fit.freqs).toEqual(freqs);
    fit.alphas.forEach((a, i) => expect(a).toBeCloseTo(alpha.get(freqs[i]!)!, 4));
    expect(fit.fractionOfVarianceExplained).toBeCloseTo(1, 5);
    // shares ∝ α²: 9, 4, 1 of 14
    expect(fit.fractionExplained.map((f) => Number(f.toFixed(4)))).toEqual([9 / 14, 4 / 14, 1 / 14].map((f) => Number(f.toFixed(4))));
  });

  it('gives the closed-form fraction when part of the logits is not of that form, ignoring extra outputs', () => {
    // p = 59: Σ α_w cos(w(x+y-z)) for α = 3, 2, 1 at 4, 11, 20, + 0.5 cos(3x) cos(5z), orthogonal to every
    // cos(w(x+y-z)), with energy 0.25 p³/4 against Σ α² p³/2 = 7 p³; an extra output column (`=`) must be ignored
    const q = 59;
    const fitted = [4, 11, 20];
    const logits = overInputs(q, q + 1, (x, y, z) =>
      z === q ? 50 : fitted.reduce((s, w, i) => s + (3 - i) * cosW(q, w, x + y - z), 0) + 0.5 * cosW(q, 3, x) * cosW(q, 5, z),
    );
    const fit = fitCosXPlusYMinusZ(logits, q, fitted);
    logits.dispose();
    fit.alphas.forEach((a, i) => expect(a).toBeCloseTo(3 - i, 4));
    expect(fit.fractionOfVarianceExplained).toBeCloseTo(7 / (7 + 0.25 / 4), 5);
  });

  it('fits every frequency by default, giving ~0 to those absent', () => {
    const logits = tf.reshape(overInputs(p, p, ideal), [p, p, p]);
    const fit = fitCosXPlusYMinusZ(logits, p);
    logits.dispose();
    expect(fit.freqs).toEqual(Array.from({ length: 56 }, (_, i) => i + 1));
    fit.alphas.forEach((a, i) => expect(a).toBeCloseTo(alpha.get(i + 1) ?? 0, 4));
    expect(fit.fractionOfVarianceExplained).toBeCloseTo(1, 5);
  });

  it('fits the Nyquist frequency of even p', () => {
    const q = 10;
    const logits = overInputs(q, q, (x, y, z) => 2 * cosW(q, 5, x + y - z) + cosW(q, 2, x + y - z));
    const fit = fitCosXPlusYMinusZ(logits, q, [5, 2]);
    logits.dispose();
    expect(fit.alphas[0]).toBeCloseTo(2, 5);
    expect(fit.alphas[1]).toBeCloseTo(1, 5);
    expect(fit.fractionOfVarianceExplained).toBeCloseTo(1, 5);
  });

  it('explains almost nothing of random logits', () => {
    const logits = tf.randomNormal([p * p, p], 0, 1, 'float32', 7);
    const fit = fitCosXPlusYMinusZ(logits, p, freqs);
    logits.dispose();
    expect(fit.fractionOfVarianceExplained).toBeLessThan(0.01);
    expect(fitCosXPlusYMinusZ(tf.zeros([p * p, p]), p, []).fractionOfVarianceExplained).toBe(0);
  });

  it('rejects logits with too few outputs', () => {
    const logits = tf.zeros([p * p, 5]);
    expect(() => fitCosXPlusYMinusZ(logits, p, freqs)).toThrow('d_vocab_out >= p = 113, got [12769, 5]');
    logits.dispose();
  });
});

describe('logits in the 2D Fourier basis', () => {
  it('are non-zero only in uniform 2x2 blocks of same-frequency products, α p^1.5 / 2^1.5 each', () => {
    const p = 59;
    const alpha = new Map([
      [4, 2],
      [17, 1],
    ]);
    const logits = overInputs(p, p, (x, y, z) => [...alpha].reduce((s, [w, a]) => s + a * cosW(p, w, x + y - z), 0));
    const norms = noLeak(() => fourier2dNorms(logits, p));
    logits.dispose();
    const names = fourierBasisNames(p);
    const frequencyOf = (i: number) => (i === 0 ? 0 : Math.ceil(i / 2));
    norms.forEach((row, i) =>
      row.forEach((v, j) => {
        const w = frequencyOf(i);
        const want = w === frequencyOf(j) && alpha.has(w) ? (alpha.get(w)! * p ** 1.5) / 2 ** 1.5 : 0;
        if (Math.abs(v - want) > 1e-2) throw new Error(`norm at ${names[i]} x ${names[j]} is ${v}, expected ${want}`);
      }),
    );
  });
});
