// frequencyFractions against single-frequency neurons and a direct float64 reference.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { frequencyFractions } from './neurons';
import { cosW, sinW, overInputs, noLeak, argmax } from './test-fixtures';

beforeAll(async () => {
  await readyBackend('cpu');
});

/**
 * Reference: the share of f's centred sum of squares on the 8 functions of frequency k (cos kx, sin kx, cos ky,
 * sin ky and their 4 products), computed directly in float64 with trig calls. For 2k ≠ p these are orthogonal, so
 * the projection is a sum of <f, g>² / <g, g>.
 */
function referenceFraction(p: number, f: (x: number, y: number) => number, k: number): number {
  const one = () => 1;
  const xs = [one, (x: number) => cosW(p, k, x), (x: number) => sinW(p, k, x)];
  let mean = 0;
  for (let x = 0; x < p; x++) for (let y = 0; y < p; y++) mean += f(x, y) / (p * p);
  let total = 0;
  for (let x = 0; x < p; x++) for (let y = 0; y < p; y++) total += (f(x, y) - mean) ** 2;
  let explained = 0;
  xs.forEach((gx, i) =>
    xs.forEach((gy, j) => {
      if (i === 0 && j === 0) return;
      let dot = 0;
      let norm = 0;
      for (let x = 0; x < p; x++) {
        for (let y = 0; y < p; y++) {
          const g = gx(x) * gy(y);
          dot += f(x, y) * g;
          norm += g * g;
        }
      }
      explained += (dot * dot) / norm;
    }),
  );
  return explained / total;
}

describe('frequencyFractions', () => {
  const p = 59;
  const relu = (v: number) => Math.max(v, 0);
  const neurons: ((x: number, y: number) => number)[] = [
    // exact same-frequency products and linear terms of frequency 14: fraction 1 there
    (x, y) => cosW(p, 14, x) * cosW(p, 14, y) - sinW(p, 14, x) * sinW(p, 14, y) + 0.5 * sinW(p, 14, x) + 3,
    (x, y) => 2 * sinW(p, 21, x) * cosW(p, 21, y) + cosW(p, 21, y),
    // 80% / 20% of variance on frequencies 5 / 9 by construction: (α²p²/4) / (α²p²/4 + β²p²/2) with α² = 3.2, β² = 0.4
    (x, y) => Math.sqrt(3.2) * cosW(p, 5, x) * cosW(p, 5, y) + Math.sqrt(0.4) * cosW(p, 9, y),
    // a ReLU of waves: frequency 7 plus harmonics; the answer comes from the float64 reference
    (x, y) => relu(cosW(p, 7, x) + cosW(p, 7, y)),
    // a product of different frequencies belongs to none of them
    (x, y) => cosW(p, 3, x) * cosW(p, 8, y),
    // constant: no variance
    () => 4,
  ];
  const acts = () => overInputs(p, neurons.length, (x, y, c) => neurons[c]!(x, y));

  it('gives exactly 1 for neurons made of one frequency, and 0 elsewhere', () => {
    const t = acts();
    const fractions = noLeak(() => frequencyFractions(t, p));
    t.dispose();
    expect(fractions).toHaveLength(neurons.length);
    expect(fractions[0]).toHaveLength(29);
    expect(fractions[0]![13]).toBeCloseTo(1, 4);
    expect(fractions[1]![20]).toBeCloseTo(1, 4);
    expect(fractions[0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(fractions[2]![4]).toBeCloseTo(0.8, 4);
    expect(fractions[2]![8]).toBeCloseTo(0.2, 4);
  });

  it('matches a direct float64 reference for a ReLU neuron and a cross-frequency product', () => {
    const t = acts();
    const fractions = frequencyFractions(t, p);
    t.dispose();
    for (const n of [3, 4]) {
      for (const k of [1, 3, 7, 8, 14, 29]) expect(fractions[n]![k - 1]).toBeCloseTo(referenceFraction(p, neurons[n]!, k), 4);
    }
    expect(argmax(fractions[3]!) + 1).toBe(7);
    expect(Math.max(...fractions[4]!)).toBeCloseTo(0, 5);
  });

  it('gives 0 for a constant neuron', () => {
    const t = acts();
    const fractions = frequencyFractions(t, p);
    t.dispose();
    expect(fractions[5]!.every((f) => f === 0)).toBe(true);
  });

  it('handles the Nyquist frequency of even p, and [p, p, c] input', () => {
    const q = 10;
    const t = tf.reshape(overInputs(q, 2, (x, y, c) => (c === 0 ? (x % 2 ? -1 : 1) * cosW(q, 5, y) + (x % 2 ? 1 : -1) : cosW(q, 2, x))), [q, q, 2]);
    const fractions = frequencyFractions(t, q);
    tf.dispose(t);
    expect(fractions[0]).toHaveLength(5);
    expect(fractions[0]![4]).toBeCloseTo(1, 5);
    expect(fractions[1]![1]).toBeCloseTo(1, 5);
  });

  it('spreads a random neuron over all frequencies (no frequency near the 0.85 cut)', () => {
    const t = tf.tidy(() => tf.relu(tf.add(tf.randomNormal([p, 1, 16], 0, 1, 'float32', 1), tf.randomNormal([1, p, 16], 0, 1, 'float32', 2))));
    const fractions = frequencyFractions(t, p);
    t.dispose();
    const best = Math.max(...fractions.flat());
    expect(best).toBeLessThan(0.3);
    expect(best).toBeGreaterThan(0);
  });
});
