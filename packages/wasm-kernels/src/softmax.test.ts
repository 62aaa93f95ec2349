// The softmax kernels on wasm against the float64 closed form, forward and backward (directly and as the registered
// gradient), with masked (-inf) entries; their checks; and that other backends are told to use something else.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createRng } from '@grokking/tasks';
import { softmax, softmaxAvailable, softmaxBackward } from './softmax';

/** softmax of one row in float64 (entries of -inf give 0). */
function softmaxRow(z: number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** The largest |got - want| over max(|want|, 1e-30), entry by entry. */
function relError(got: ArrayLike<number>, want: number[]): number {
  return want.reduce((worst, w, i) => Math.max(worst, Math.abs(got[i]! - w) / Math.max(Math.abs(w), 1e-30)), 0);
}

describe('softmax kernels on wasm', () => {
  beforeAll(async () => {
    await readyBackend('wasm', { threads: 1 });
  });

  it('is available on wasm', () => {
    expect(softmaxAvailable()).toBe(true);
  });

  // shape: attention's [B, H, n] rows, one row, wide rows, a masked causal pattern
  it.each([[[5, 4, 3]], [[7]], [[3, 113]], [[2, 2, 4, 4]]])('softmax and its backward %j equal the float64 closed form', (shape) => {
    const rng = createRng(shape.length * 7 + shape[shape.length - 1]!);
    const width = shape[shape.length - 1]!;
    const size = shape.reduce((a, b) => a * b, 1);
    // a causal mask in the 4-D case: row i of each [4, 4] block sees entries j <= i
    const z = Array.from({ length: size }, (_, i) => (shape.length === 4 && i % width > Math.floor(i / width) % 4 ? -Infinity : Math.fround(rng.normal() * 4)));
    const dy = Array.from({ length: size }, () => Math.fround(rng.normal()));
    const [x, dyT] = [tf.tensor(z, shape), tf.tensor(dy, shape)];
    const before = tf.memory().numTensors;
    const p = softmax(x);
    const dx = softmaxBackward(p, dyT);
    const viaGrad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(softmax(v), dyT)))(x);
    const wantP: number[] = [];
    const wantDx: number[] = [];
    for (let r = 0; r < size / width; r++) {
      const row = softmaxRow(z.slice(r * width, (r + 1) * width));
      const d = dy.slice(r * width, (r + 1) * width);
      const inner = row.reduce((a, v, j) => a + v * d[j]!, 0);
      wantP.push(...row);
      wantDx.push(...row.map((v, j) => v * (d[j]! - inner)));
    }
    expect(p.shape).toEqual(shape);
    expect(relError(p.dataSync(), wantP)).toBeLessThan(1e-5);
    const scale = Math.max(...wantDx.map(Math.abs));
    const absError = (got: ArrayLike<number>) => wantDx.reduce((worst, w, i) => Math.max(worst, Math.abs(got[i]! - w)), 0) / scale;
    expect(absError(dx.dataSync())).toBeLessThan(1e-5);
    expect(Array.from(viaGrad.dataSync())).toEqual(Array.from(dx.dataSync()));
    if (shape.length === 4) expect(Array.from(p.dataSync()).filter((v, i) => z[i] === -Infinity && v !== 0)).toEqual([]);
    tf.dispose([p, dx, viaGrad]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, dyT]);
  });

  it('names bad inputs', () => {
    const ints = tf.tensor1d([1, 2], 'int32');
    expect(() => softmax(ints)).toThrow('softmax: needs a float32 tensor of rank 1 or more; got int32 [2]');
    const p = tf.tensor2d([[0.5, 0.5]]);
    const dy = tf.tensor2d([[1, 2, 3]]);
    expect(() => softmaxBackward(p, dy)).toThrow('softmaxBackward: dy must be float32 [1,2] like the softmax; got float32 [1,3]');
    tf.dispose([ints, p, dy]);
  });
});

describe('softmax kernels elsewhere', () => {
  beforeAll(async () => {
    await readyBackend('cpu');
  });

  it('are not available on cpu, and say so', () => {
    expect(softmaxAvailable()).toBe(false);
    const x = tf.tensor1d([1, 2]);
    expect(() => softmax(x)).toThrow('the active backend is cpu');
    x.dispose();
  });
});
