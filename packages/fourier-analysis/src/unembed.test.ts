// unembedFourier and effectiveRank against W_L built from known frequencies, and random ones.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { unembedFourier, effectiveRank } from './unembed';
import { cosW, sinW, matrix, noLeak } from './test-fixtures';

beforeAll(async () => {
  await readyBackend('cpu');
});

describe('unembedFourier', () => {
  const p = 113;
  const freqs = [14, 35, 41];
  // W_L [7, p + 1]: neurons 2i and 2i+1 write s·sqrt(2/p)·cos(w_i z) and s·sqrt(2/p)·sin(w_i z) (orthonormal rows
  // times s = 2), plus a constant output bias 0.3 (ignored by the rank) and an extra `=` column (ignored);
  // neuron 6 writes half to frequency 14 and half to 35.
  const build = () =>
    matrix(7, p + 1, (n, z) => {
      if (z === p) return 9;
      const scale = 2 * Math.sqrt(2 / p);
      if (n === 6) return Math.sqrt(0.5) * scale * (cosW(p, 14, z) + sinW(p, 35, z));
      const w = freqs[Math.floor(n / 2)]!;
      return 0.3 + scale * (n % 2 === 0 ? cosW(p, w, z) : sinW(p, w, z));
    });

  it('finds the output frequencies W_L carries, its singular values and effective rank', () => {
    const W_L = build();
    const result = noLeak(() => unembedFourier(W_L, p));
    W_L.dispose();
    expect(result.carriedFrequencies).toEqual(freqs);
    expect(result.norms.freqNorms).toHaveLength(56);
    // frequency 14: neurons 0, 1 (2 each) and half of neuron 6's 2: sqrt(4 + 4 + 2)
    expect(result.norms.freqNorms[13]).toBeCloseTo(Math.sqrt(10), 4);
    expect(result.norms.freqNorms[40]).toBeCloseTo(Math.sqrt(8), 4);
    // rows 0..5 are 2 x orthonormal; row 6 lies in their span, so the rank stays 6
    const nonZero = result.singularValues.filter((s) => s > 1e-3);
    expect(nonZero).toHaveLength(6);
    expect(result.singularValues).toHaveLength(7); // min(d_mlp, p - 1)
  });

  it('gives effective rank 2 per frequency when the singular values are equal, and checks cluster outputs', () => {
    const W_L = matrix(6, p, (n, z) => 2 * Math.sqrt(2 / p) * (n % 2 === 0 ? cosW(p, freqs[n >> 1]!, z) : sinW(p, freqs[n >> 1]!, z)));
    const result = unembedFourier(W_L, p, {
      clusters: [
        { freq: 14, neurons: [0, 1] },
        { freq: 41, neurons: [0, 4, 5] },
      ],
    });
    W_L.dispose();
    expect(result.effectiveRank).toBeCloseTo(6, 4);
    result.singularValues.slice(0, 6).forEach((s) => expect(s).toBeCloseTo(2, 4));
    expect(result.clusterOutputs[0]).toEqual({ freq: 14, ownFraction: expect.closeTo(1, 5) });
    expect(result.clusterOutputs[1]!.ownFraction).toBeCloseTo(2 / 3, 5);
  });

  it('finds no carried frequencies in a random W_L, whose effective rank is high', () => {
    const W_L = tf.randomNormal([64, p], 0, 1, 'float32', 11);
    const result = unembedFourier(W_L, p);
    W_L.dispose();
    expect(result.carriedFrequencies).toEqual([]);
    expect(result.effectiveRank).toBeGreaterThan(40);
  });

  it('rejects a W_L with fewer than p columns', () => {
    const W_L = tf.zeros([4, 100]);
    expect(() => unembedFourier(W_L, p)).toThrow('W_L must be a matrix [d_mlp, d_vocab_out] with d_vocab_out >= p = 113, got shape [4, 100]');
    W_L.dispose();
  });
});

describe('effectiveRank', () => {
  it('is k for k equal singular values, 0 for none, and between for unequal ones', () => {
    expect(effectiveRank([2, 2, 0])).toBeCloseTo(2, 12);
    expect(effectiveRank([1, 1, 1, 1, 1])).toBeCloseTo(5, 12);
    expect(effectiveRank([0, 0])).toBe(0);
    // q = [0.75, 0.25]: exp(-(0.75 ln 0.75 + 0.25 ln 0.25))
    expect(effectiveRank([3, 1])).toBeCloseTo(Math.exp(-(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25))), 12);
  });
});
