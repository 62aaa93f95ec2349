// attentionFrequencies against heads built from waves of known frequency, and a constant head.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { attentionFrequencies } from './attention';
import { cosW, sinW, overInputs, noLeak } from './test-fixtures';

beforeAll(async () => {
  await readyBackend('cpu');
});

describe('attentionFrequencies', () => {
  const p = 59;

  it('names the frequency each head uses, and none for a constant head', () => {
    // head 0: 0.5 + 0.2 cos(9x) cos(9y) + 0.1 sin(9x); head 1: frequency 23 with 10% of its variance on 2;
    // head 2: constant
    const pattern = overInputs(p, 3, (x, y, h) => {
      if (h === 0) return 0.5 + 0.2 * cosW(p, 9, x) * cosW(p, 9, y) + 0.1 * sinW(p, 9, x);
      if (h === 1) return 0.4 + 0.3 * cosW(p, 23, x) * sinW(p, 23, y) + 0.1 * Math.sqrt(0.5 / 9) * cosW(p, 2, y) * 3;
      return 0.25;
    });
    const { heads, fractions } = noLeak(() => attentionFrequencies(pattern, p));
    pattern.dispose();
    expect(heads[0]).toEqual({ head: 0, freq: 9, fraction: expect.closeTo(1, 4) });
    // head 1: variances 0.09 p²/4 (23) and 0.1² · 0.5 · p²/2 (2) -> 0.0225 : 0.0025 -> 0.9
    expect(heads[1]).toEqual({ head: 1, freq: 23, fraction: expect.closeTo(0.9, 4) });
    expect(heads[2]).toEqual({ head: 2, freq: null, fraction: 0 });
    expect(fractions[1]![1]).toBeCloseTo(0.1, 4);
  });

  it('takes a single head as [p, p]', () => {
    const pattern = tf.reshape(overInputs(p, 1, (x) => cosW(p, 4, x)), [p, p]);
    expect(attentionFrequencies(pattern, p).heads).toEqual([{ head: 0, freq: 4, fraction: expect.closeTo(1, 4) }]);
    pattern.dispose();
  });
});
