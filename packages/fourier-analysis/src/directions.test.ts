// The cos(w(x+y)) and sin(w(x+y)) directions against closed forms, and projections onto their span.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { cosXPlusY, sinXPlusY, xPlusYBasis, projectOntoXPlusY } from './directions';
import { fourier2d } from './transform';
import { fourierBasisNames } from './basis';
import { cosW, sinW, overInputs, noLeak } from './test-fixtures';

beforeAll(async () => {
  await readyBackend('cpu');
});

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

describe('cosXPlusY / sinXPlusY', () => {
  const p = 113;

  it('are the unit waves cos(w(x+y)) and sin(w(x+y)) over the inputs, x-major', () => {
    const c = noLeak(() => cosXPlusY(p, 14));
    const s = sinXPlusY(p, 14);
    const want = overInputs(p, 2, (x, y, k) => (Math.SQRT2 / p) * (k === 0 ? cosW(p, 14, x + y) : sinW(p, 14, x + y)));
    expect(c.shape).toEqual([p * p]);
    expect(maxAbsDiff(tf.stack([c, s], 1), want)).toBeLessThan(1e-6);
    expect(tf.tidy(() => tf.sum(tf.square(c)).dataSync()[0])).toBeCloseTo(1, 5);
    expect(tf.tidy(() => tf.sum(tf.mul(c, s)).dataSync()[0])).toBeCloseTo(0, 5);
    tf.dispose([c, s, want]);
  });

  it('are (cos⊗cos - sin⊗sin)/√2 and (sin⊗cos + cos⊗sin)/√2 in the 2D Fourier basis', () => {
    const names = fourierBasisNames(p);
    const at = (i: string, j: string) => names.indexOf(i) * p + names.indexOf(j);
    const c = cosXPlusY(p, 35);
    const s = sinXPlusY(p, 35);
    const fc = fourier2d(c, p).dataSync();
    const fs = fourier2d(s, p).dataSync();
    tf.dispose([c, s]);
    const h = Math.SQRT1_2;
    expect(fc[at('cos 35', 'cos 35')]).toBeCloseTo(h, 5);
    expect(fc[at('sin 35', 'sin 35')]).toBeCloseTo(-h, 5);
    expect(fs[at('sin 35', 'cos 35')]).toBeCloseTo(h, 5);
    expect(fs[at('cos 35', 'sin 35')]).toBeCloseTo(h, 5);
    const rest = (f: Float32Array | Int32Array | Uint8Array, keep: number[]) => Math.max(...Array.from(f).map((v, i) => (keep.includes(i) ? 0 : Math.abs(v))));
    expect(rest(fc, [at('cos 35', 'cos 35'), at('sin 35', 'sin 35')])).toBeLessThan(1e-5);
    expect(rest(fs, [at('sin 35', 'cos 35'), at('cos 35', 'sin 35')])).toBeLessThan(1e-5);
  });

  it('handle the Nyquist frequency of even p: cos is (-1)^(x+y)/p and sin is refused', () => {
    const c = cosXPlusY(10, 5);
    const want = overInputs(10, 1, (x, y) => ((x + y) % 2 ? -1 : 1) / 10);
    expect(maxAbsDiff(tf.reshape(c, [100, 1]), want)).toBeLessThan(1e-6);
    tf.dispose([c, want]);
    expect(() => sinXPlusY(10, 5)).toThrow('sin(w(x+y)) is zero everywhere at the Nyquist frequency w = p/2 = 5');
    expect(() => cosXPlusY(10, 6)).toThrow('frequency must be an integer in 1..5 for p = 10, got 6');
  });
});

describe('xPlusYBasis', () => {
  it.each([
    [113, [14, 35, 41], 6],
    [10, [2, 5], 3],
  ])('has orthonormal columns for p = %i, freqs %j', (p, freqs, n) => {
    const Q = noLeak(() => xPlusYBasis(p, freqs));
    expect(Q.shape).toEqual([p * p, n]);
    const gram = tf.tidy(() => tf.matMul(tf.transpose(Q), Q));
    const eye = tf.eye(n);
    expect(maxAbsDiff(gram, eye)).toBeLessThan(1e-5);
    tf.dispose([Q, gram, eye]);
    expect(() => xPlusYBasis(p, [2, 2])).toThrow('freqs must be distinct, got 2 twice');
  });
});

describe('projectOntoXPlusY', () => {
  const p = 59;
  const w = 14;
  // per output z: 2 cos(w(x+y-z)) (in the span) plus terms orthogonal to it: a constant, cos(wx), cos(w(x-y)),
  // cos(9(x+y)) (another frequency)
  const inSpan = (x: number, y: number, z: number) => 2 * cosW(p, w, x + y - z);
  const outside = (x: number, y: number, z: number) => 1 + 0.7 * cosW(p, w, x) + 0.3 * cosW(p, w, x - y) + 0.5 * cosW(p, 9, x + y) * (z + 1);
  const logits = () => overInputs(p, p, (x, y, z) => inSpan(x, y, z) + outside(x, y, z));

  it('keeps exactly the part of each output that is a wave in x+y at the given frequencies', () => {
    const L = logits();
    const kept = noLeak(() => projectOntoXPlusY(L, p, [w]));
    const excluded = tf.sub(L, kept);
    const wantKept = overInputs(p, p, inSpan);
    const wantExcluded = overInputs(p, p, outside);
    expect(kept.shape).toEqual([p * p, p]);
    expect(maxAbsDiff(kept, wantKept)).toBeLessThan(1e-4);
    expect(maxAbsDiff(excluded, wantExcluded)).toBeLessThan(1e-4);
    const both = projectOntoXPlusY(L, p, [w, 9]);
    const wantBoth = overInputs(p, p, (x, y, z) => inSpan(x, y, z) + 0.5 * cosW(p, 9, x + y) * (z + 1));
    expect(maxAbsDiff(both, wantBoth)).toBeLessThan(1e-4);
    tf.dispose([L, kept, excluded, wantKept, wantExcluded, both, wantBoth]);
  });

  it('keeps the [p, p, q] shape, gives zeros for no frequencies, and rejects bad frequencies', () => {
    const L = tf.reshape(logits(), [p, p, p]);
    const kept = projectOntoXPlusY(L, p, [w]);
    expect(kept.shape).toEqual([p, p, p]);
    const none = projectOntoXPlusY(L, p, []);
    expect(none.shape).toEqual([p, p, p]);
    expect(tf.tidy(() => tf.max(tf.abs(none)).dataSync()[0])).toBe(0);
    expect(() => projectOntoXPlusY(L, p, [30])).toThrow('frequency must be an integer in 1..29 for p = 59, got 30');
    tf.dispose([L, kept, none]);
  });

  it('projects onto the Nyquist direction alone for even p', () => {
    const q = 10;
    const L = overInputs(q, 3, (x, y, z) => (z + 1) * ((x + y) % 2 ? -1 : 1) + sinW(q, 2, x + y));
    const kept = projectOntoXPlusY(L, q, [5]);
    const want = overInputs(q, 3, (x, y, z) => (z + 1) * ((x + y) % 2 ? -1 : 1));
    expect(maxAbsDiff(kept, want)).toBeLessThan(1e-5);
    tf.dispose([L, kept, want]);
  });
});
