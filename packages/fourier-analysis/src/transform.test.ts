// The 1D and 2D Fourier transforms against functions built from known basis terms.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { fourier1d, fourier2d, fourier2dNorms, fourier2dGrid, fourier2dCoefficients } from './transform';
import { fourierBasis, fourierBasisNames } from './basis';
import { cosW, sinW, overInputs, noLeak } from './test-fixtures';

beforeAll(async () => {
  await readyBackend('cpu');
});

describe('fourier1d', () => {
  it.each([
    [59, 5],
    [8, 2],
  ])('recovers the components a signal is built from (p = %i)', (p, k) => {
    // f(x) = 3 + 2 cos(kx) - sin(3x) (+ 0.5 (-1)^x for even p): coefficients are the amplitudes times the row norms.
    const nyquist = p % 2 === 0;
    const signal = tf.tensor1d(
      Array.from({ length: p }, (_, x) => 3 + 2 * cosW(p, k, x) - sinW(p, 3, x) + (nyquist ? 0.5 * (x % 2 ? -1 : 1) : 0)),
    );
    const coefficients = noLeak(() => fourier1d(signal, p));
    const got = Array.from(coefficients.dataSync());
    tf.dispose([signal, coefficients]);
    const names = fourierBasisNames(p);
    const expected = new Map<string, number>([
      ['const', 3 * Math.sqrt(p)],
      [`cos ${k}`, 2 * Math.sqrt(p / 2)],
      ['sin 3', -Math.sqrt(p / 2)],
    ]);
    if (nyquist) expected.set(`cos ${p / 2}`, 0.5 * Math.sqrt(p));
    names.forEach((name, i) => expect(got[i]).toBeCloseTo(expected.get(name) ?? 0, 4));
  });

  it('keeps trailing axes and rejects a wrong leading axis', () => {
    const t = tf.ones([7, 2, 3]);
    const out = fourier1d(t, 7);
    expect(out.shape).toEqual([7, 2, 3]);
    expect(out.arraySync()).toEqual(expect.any(Array));
    expect(() => fourier1d(t, 5)).toThrow('leading axis has length p = 5, got shape [7, 2, 3]');
    tf.dispose([t, out]);
  });
});

describe('fourier2d', () => {
  const p = 31;
  // Two channels: 4 cos(7x) sin(7y) - 2 sin(3x) and 1.5 cos(2x)cos(11y) + 0.25.
  const channel = (x: number, y: number, c: number) =>
    c === 0 ? 4 * cosW(p, 7, x) * sinW(p, 7, y) - 2 * sinW(p, 3, x) : 1.5 * cosW(p, 2, x) * cosW(p, 11, y) + 0.25;

  it('recovers exactly the 2D terms a function is built from, per channel', () => {
    const acts = overInputs(p, 2, channel); // [p*p, 2]
    const coefficients = noLeak(() => fourier2d(acts, p));
    expect(coefficients.shape).toEqual([p * p, 2]);
    const got = coefficients.arraySync() as number[][];
    tf.dispose([acts, coefficients]);
    const names = fourierBasisNames(p);
    const at = (i: string, j: string) => names.indexOf(i) * p + names.indexOf(j);
    // |cos| = |sin| = sqrt(p/2) and |const| = sqrt(p) per axis, so a product term's coefficient is amplitude x norms.
    const expected: [number, number, number][] = [
      [at('cos 7', 'sin 7'), 0, 4 * (p / 2)],
      [at('sin 3', 'const'), 0, -2 * Math.sqrt(p / 2) * Math.sqrt(p)],
      [at('cos 2', 'cos 11'), 1, 1.5 * (p / 2)],
      [at('const', 'const'), 1, 0.25 * p],
    ];
    const want = Array.from({ length: p * p }, () => [0, 0]);
    for (const [row, c, value] of expected) want[row]![c] = value;
    let worst = 0;
    got.forEach((row, i) => row.forEach((v, c) => (worst = Math.max(worst, Math.abs(v - want[i]![c]!)))));
    expect(worst).toBeLessThan(1e-3);
  });

  it('gives the same answer for [p, p, c] and [p*p, c] and keeps the shape', () => {
    const flat = overInputs(p, 2, channel);
    const square = tf.reshape(flat, [p, p, 2]);
    const a = fourier2d(flat, p);
    const b = fourier2d(square, p);
    expect(b.shape).toEqual([p, p, 2]);
    expect(tf.max(tf.abs(tf.sub(tf.reshape(a, [p, p, 2]), b))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([flat, square, a, b]);
  });

  it('keeps the sum of squares (orthonormal) and gives norms over channels', () => {
    const acts = overInputs(p, 2, channel);
    const norms = noLeak(() => fourier2dNorms(acts, p));
    const energy = tf.sum(tf.square(acts)).dataSync()[0]!;
    acts.dispose();
    const total = norms.flat().reduce((s, v) => s + v * v, 0);
    expect(total / energy).toBeCloseTo(1, 5);
    const names = fourierBasisNames(p);
    expect(norms[names.indexOf('cos 7')]![names.indexOf('sin 7')]).toBeCloseTo(4 * (p / 2), 2);
  });

  it('rejects a tensor not indexed by the inputs', () => {
    const t = tf.zeros([30, 2]);
    expect(() => fourier2d(t, p)).toThrow('fourier2d input must have shape [p, p, ...] or [p*p, ...] with p = 31, got [30, 2]');
    t.dispose();
  });
});

describe('fourier2dGrid', () => {
  it('gives the same numbers by the batched and the transpose paths, in their layouts', () => {
    const p = 13;
    const grid = tf.randomNormal([p, p, 5], 0, 1, 'float32', 4) as tf.Tensor3D;
    const { basis } = fourierBasis(p);
    const batched = fourier2dGrid(grid, basis, 'batched');
    const transposed = fourier2dGrid(grid, basis, 'transpose');
    expect(tf.max(tf.abs(tf.sub(batched, transposed))).dataSync()[0]).toBeLessThan(1e-5);
    const rowsFirst = fourier2dCoefficients(grid, basis, 'batched');
    const channelsFirst = fourier2dCoefficients(grid, basis, 'transpose');
    expect(rowsFirst.layout).toBe('inputsFirst');
    expect(channelsFirst.layout).toBe('channelsFirst');
    expect(channelsFirst.values.shape).toEqual([5, p * p]);
    expect(tf.max(tf.abs(tf.sub(rowsFirst.values, tf.transpose(channelsFirst.values)))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([grid, basis, batched, transposed, rowsFirst.values, channelsFirst.values]);
  });
});
