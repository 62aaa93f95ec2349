// Embedding Fourier norms and key frequencies against embeddings built from known waves, and random ones.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { embeddingFourierNorms, embeddingKeyFrequencies } from './embedding';
import { sparseKeyFrequencies } from './sparse';
import { cosW, sinW, matrix, noLeak } from './test-fixtures';

beforeAll(async () => {
  await readyBackend('cpu');
});

describe('embeddingFourierNorms', () => {
  const p = 113;
  // W_E [p + 1, 6]: column pairs carry a cos and a sin wave of 14, 35 and 41 with amplitudes 3, 2, 1; the extra row
  // (the `=` token) is huge and must be ignored.
  const amplitude = [3, 2, 1];
  const freqs = [14, 35, 41];
  const build = () =>
    matrix(p + 1, 6, (x, c) => {
      if (x === p) return 1000;
      const i = Math.floor(c / 2);
      return amplitude[i]! * (c % 2 === 0 ? cosW(p, freqs[i]!, x) : sinW(p, freqs[i]!, x));
    });

  it('peaks exactly at the frequencies the embedding is made of, with closed-form norms', () => {
    const W_E = build();
    const { names, componentNorms, freqNorms } = noLeak(() => embeddingFourierNorms(W_E, p));
    W_E.dispose();
    expect(names).toHaveLength(p);
    expect(componentNorms).toHaveLength(p);
    expect(freqNorms).toHaveLength(56);
    // a wave a·cos(kx) in one column has coefficient a·sqrt(p/2) on `cos k` and 0 elsewhere
    freqs.forEach((k, i) => {
      expect(componentNorms[names.indexOf(`cos ${k}`)]).toBeCloseTo(amplitude[i]! * Math.sqrt(p / 2), 3);
      expect(componentNorms[names.indexOf(`sin ${k}`)]).toBeCloseTo(amplitude[i]! * Math.sqrt(p / 2), 3);
      expect(freqNorms[k - 1]).toBeCloseTo(amplitude[i]! * Math.sqrt(p), 3);
    });
    const others = freqNorms.filter((_, i) => !freqs.includes(i + 1));
    expect(Math.max(...others)).toBeLessThan(1e-3);
    expect(componentNorms[0]).toBeLessThan(1e-3);
  });

  it('finds those frequencies as key, also with small noise', () => {
    const W_E = build();
    const noisy = tf.tidy(() => tf.add(W_E, tf.randomNormal(W_E.shape, 0, 0.05, 'float32', 3)));
    expect(embeddingKeyFrequencies(W_E, p)).toEqual(freqs);
    expect(noLeak(() => embeddingKeyFrequencies(noisy, p))).toEqual(freqs);
    tf.dispose([W_E, noisy]);
  });

  it.each([2, 16, 128])('finds no key frequencies in a random Gaussian embedding (d_model = %i)', (dModel) => {
    for (const seed of [1, 2, 3]) {
      const W_E = tf.randomNormal([p + 1, dModel], 0, 1, 'float32', seed);
      expect(embeddingKeyFrequencies(W_E, p)).toEqual([]);
      W_E.dispose();
    }
  });

  it('rejects an embedding with fewer than p rows', () => {
    const W_E = tf.zeros([100, 4]);
    expect(() => embeddingFourierNorms(W_E, p)).toThrow('W_E must be a matrix with at least p = 113 rows, got shape [100, 4]');
    W_E.dispose();
  });
});

describe('sparseKeyFrequencies', () => {
  it('keeps frequencies with energy at least ratio x the median', () => {
    expect(sparseKeyFrequencies([0.1, 2, 0.1, 0.12, 0.09])).toEqual([2]);
    // energies 1, 4, 1, 9, 1: median 1; ratio 4 keeps 4 and 9
    expect(sparseKeyFrequencies([1, 2, 1, 3, 1], { ratio: 4 })).toEqual([2, 4]);
    expect(sparseKeyFrequencies([1, 1, 1])).toEqual([]);
    expect(sparseKeyFrequencies([0, 0, 0])).toEqual([]);
    expect(() => sparseKeyFrequencies([1], { ratio: 1 })).toThrow('ratio must be greater than 1, got 1');
  });
});
