// embeddingPca on single-frequency embeddings (a circle) and closed-form variance ratios.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { embeddingPca } from './pca';
import { cosW, sinW, matrix, noLeak } from './test-fixtures';

beforeAll(async () => {
  await readyBackend('cpu');
});

describe('embeddingPca', () => {
  const p = 113;

  it('puts the tokens of a single-frequency embedding on a circle ordered by w·x mod p', () => {
    // columns u and v orthonormal-ish directions (e1 and e2 of a 4-dim space), plus an unrelated frequency in e3
    const W_E = matrix(p + 1, 4, (x, c) => (x === p ? 5 : c === 0 ? cosW(p, 14, x) : c === 1 ? sinW(p, 14, x) : c === 2 ? 0.5 * cosW(p, 3, x) : 0));
    const circle = noLeak(() => embeddingPca(W_E, p, { freq: 14 }));
    W_E.dispose();
    expect(circle.freq).toBe(14);
    expect(circle.explainedVarianceRatio[0]).toBeCloseTo(0.5, 4);
    expect(circle.explainedVarianceRatio[1]).toBeCloseTo(0.5, 4);
    // radius 1 for every token, and the angle advances by 2π·14/p per token
    const angles = circle.coordinates.map(([a, b]) => {
      expect(Math.hypot(a!, b!)).toBeCloseTo(1, 4);
      return Math.atan2(b!, a!);
    });
    for (let x = 1; x < p; x++) {
      const step = (angles[x]! - angles[x - 1]! + 4 * Math.PI) % (2 * Math.PI);
      expect(Math.min(step, 2 * Math.PI - step)).toBeCloseTo((2 * Math.PI * 14) / p, 4);
    }
  });

  it('ranks components by variance with closed-form ratios, via the covariance (d_model < p) and Gram (d_model > p) paths', () => {
    // columns 3·cos(5x) and 1·sin(9x): variances 9 p/2 and p/2, so ratios 0.9 and 0.1; coordinates ±3 cos(5x), ±sin(9x)
    for (const dModel of [4, 130]) {
      const W_E = matrix(p, dModel, (x, c) => (c === 1 ? 3 * cosW(p, 5, x) : c === dModel - 1 ? sinW(p, 9, x) : 0));
      const { coordinates, explainedVarianceRatio } = embeddingPca(W_E, p, { nComponents: 3 });
      W_E.dispose();
      expect(explainedVarianceRatio[0]).toBeCloseTo(0.9, 4);
      expect(explainedVarianceRatio[1]).toBeCloseTo(0.1, 4);
      expect(explainedVarianceRatio[2]).toBeCloseTo(0, 4);
      const sign0 = Math.sign(coordinates[0]![0]!);
      const sign1 = Math.sign(coordinates[1]![1]!);
      for (let x = 0; x < p; x++) {
        expect(coordinates[x]![0]).toBeCloseTo(sign0 * 3 * cosW(p, 5, x), 3);
        expect(coordinates[x]![1]).toBeCloseTo(sign1 * sinW(p, 9, x), 3);
      }
    }
  });

  it('rejects too many components', () => {
    const W_E = tf.zeros([p, 3]);
    expect(() => embeddingPca(W_E, p, { nComponents: 4 })).toThrow('nComponents must be an integer in 1..3 (min of p and d_model), got 4');
    W_E.dispose();
  });
});
