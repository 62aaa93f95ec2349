// The row-mix kernels as tfjs ops on the wasm backend, against the closed form in float64; their checks; and that
// other backends are told to use something else.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createRng } from '@grokking/tasks';
import { rowMix, rowMixAvailable, rowMixBackward } from './row-mix';
import { mixBackwardReference, mixReference, scaledError, type MixCase } from './row-mix-reference';

/** Random data; rows repeat (small R) so gradients of shared rows add up. */
function randomCase(B: number, k: number, W: number, R: number, Vb: number, G: number, seed: number): MixCase {
  const rng = createRng(seed);
  const floats = (size: number) => Float32Array.from({ length: size }, () => rng.normal());
  return {
    tables: Array.from({ length: G }, () => floats(R * W)),
    base: floats(Vb * W),
    baseIdx: Int32Array.from({ length: B }, () => rng.int(Vb)),
    rows: Int32Array.from({ length: B * k }, () => rng.int(R)),
    weights: floats(B * k),
    B, k, W, R, Vb,
  };
}

/** The tables end to end, as a [G, R, W] tensor's data. */
function concatFloats(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

function tensorsOf(c: MixCase) {
  return {
    tables: tf.tensor3d(concatFloats(c.tables), [c.tables.length, c.R, c.W]),
    base: tf.tensor2d(c.base, [c.Vb, c.W]),
    baseIdx: tf.tensor1d(c.baseIdx, 'int32'),
    rows: tf.tensor2d(c.rows, [c.B, c.k], 'int32'),
    weights: tf.tensor2d(c.weights, [c.B, c.k]),
  };
}

describe('row-mix kernels on wasm', () => {
  beforeAll(async () => {
    await readyBackend('wasm', { threads: 1 });
  });

  it('is available on wasm', () => {
    expect(rowMixAvailable()).toBe(true);
  });

  // label, B, k, W (16-float blocks, 4-float blocks and single floats), R, Vb, tables
  const cases: Array<[string, number, number, number, number, number, number]> = [
    ['one table, W a multiple of 16', 9, 3, 32, 4, 3, 1],
    ['three tables, W = 16 + 4 + 3', 7, 6, 23, 5, 2, 3],
    ['W below 4', 5, 4, 3, 2, 4, 2],
    ['the write-up size: 4 heads x 3 positions, W = 113', 40, 12, 113, 342, 114, 4],
  ];

  it.each(cases)('%s: forward equals the closed form, with and without ReLU', (_label, B, k, W, R, Vb, G) => {
    const c = randomCase(B, k, W, R, Vb, G, B * 31 + W);
    const t = tensorsOf(c);
    const before = tf.memory().numTensors;
    for (const relu of [false, true]) {
      const out = rowMix(t.tables, t.base, t.baseIdx, t.rows, t.weights, relu);
      expect(out.shape).toEqual([B, W]);
      expect(scaledError(out.dataSync(), mixReference(c, relu))).toBeLessThan(1e-6);
      out.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(t).flat());
  });

  it.each(cases)('%s: backward equals the closed form, with and without the ReLU mask', (_label, B, k, W, R, Vb, G) => {
    const c = randomCase(B, k, W, R, Vb, G, B * 17 + W);
    const t = tensorsOf(c);
    const rng = createRng(W);
    const dOutData = Float32Array.from({ length: B * W }, () => rng.normal());
    const dOut = tf.tensor2d(dOutData, [B, W]);
    const post = rowMix(t.tables, t.base, t.baseIdx, t.rows, t.weights, true);
    const before = tf.memory().numTensors;
    for (const mask of [null, post]) {
      const got = rowMixBackward(t.tables, t.base, t.baseIdx, t.rows, t.weights, dOut, mask);
      const want = mixBackwardReference(c, dOutData, mask ? (mask.dataSync() as Float32Array) : null);
      expect(got.dWeights.shape).toEqual([B, k]);
      expect(got.dBase.shape).toEqual([Vb, W]);
      expect(got.dTables.shape).toEqual([G, R, W]);
      expect(scaledError(got.dWeights.dataSync(), want.dWeights)).toBeLessThan(1e-5);
      expect(scaledError(got.dBase.dataSync(), want.dBase)).toBeLessThan(1e-5);
      const dTables = got.dTables.dataSync();
      want.dTables.forEach((d, g) => expect(scaledError(dTables.subarray(g * R * W, (g + 1) * R * W), d)).toBeLessThan(1e-5));
      tf.dispose([got.dWeights, got.dBase, got.dTables]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...Object.values(t).flat(), dOut, post]);
  });

  it('names an index outside its table, and shapes that disagree', () => {
    const c = randomCase(3, 2, 5, 4, 2, 1, 1);
    c.rows[3] = 4; // R = 4: one past the end
    const t = tensorsOf(c);
    expect(() => rowMix(t.tables, t.base, t.baseIdx, t.rows, t.weights, false)).toThrow('index 4 at 3 is outside [0, 4)');
    const wide = tf.zeros([2, 6]) as tf.Tensor2D;
    expect(() => rowMix(t.tables, wide, t.baseIdx, t.rows, t.weights, false)).toThrow(/must share their width/);
    const three = tf.zeros([3, 3]);
    const two = tf.concat([t.tables, t.tables]) as tf.Tensor3D; // [2, R, W]: k = 2 entries, 3 weights
    expect(() => rowMix(two, t.base, t.baseIdx, t.rows, three, false)).toThrow(/disagree/);
    const flat = tf.zeros([4, 5]) as unknown as tf.Tensor3D;
    expect(() => rowMix(flat, t.base, t.baseIdx, t.rows, t.weights, false)).toThrow('the tables [G, R, W] and base [Vb, W] must share their width; got [4,5]');
    const dOut = tf.zeros([3, 4]) as tf.Tensor2D;
    expect(() => rowMixBackward(t.tables, t.base, t.baseIdx, t.rows, t.weights, dOut, null)).toThrow('dOut must be float32 [3, 5]');
    tf.dispose([...Object.values(t).flat(), wide, three, two, flat, dOut]);
  });
});

describe('row-mix kernels elsewhere', () => {
  beforeAll(async () => {
    await readyBackend('cpu');
  });

  it('are not available on cpu, and say so', () => {
    expect(rowMixAvailable()).toBe(false);
    const c = randomCase(2, 1, 4, 2, 2, 1, 2);
    const t = tensorsOf(c);
    expect(() => rowMix(t.tables, t.base, t.baseIdx, t.rows, t.weights, false)).toThrow('the active backend is cpu');
    tf.dispose(Object.values(t).flat());
  });
});
