// The batched product kernel on wasm against a float64 product written out here, for every transpose and for sizes
// with and without edges (n not a multiple of 4 or 16), its gradients against tfjs' own matMul gradient, and its checks.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createRng } from '@grokking/tasks';
import { batchMatMul, batchMatMulAvailable } from './batch-matmul';

/** op(a) @ op(b) in float64, one product at a time, from the row-major data. */
function reference(a: Float32Array, b: Float32Array, batch: number, m: number, k: number, n: number, tA: boolean, tB: boolean): Float64Array {
  const out = new Float64Array(batch * m * n);
  for (let i = 0; i < batch; i++) {
    for (let r = 0; r < m; r++) {
      for (let c = 0; c < n; c++) {
        let sum = 0;
        for (let p = 0; p < k; p++) {
          const x = a[i * m * k + (tA ? p * m + r : r * k + p)]!;
          const y = b[i * k * n + (tB ? c * k + p : p * n + c)]!;
          sum += x * y;
        }
        out[(i * m + r) * n + c] = sum;
      }
    }
  }
  return out;
}

function normal(size: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: size }, () => rng.normal());
}

describe('batched product kernel on wasm', () => {
  beforeAll(async () => {
    await readyBackend('wasm', { threads: 1 });
  });

  const sizes: Array<[number, number, number, number]> = [[1, 1, 1, 1], [3, 2, 5, 3], [2, 15, 15, 32], [4, 15, 32, 15], [3, 6, 17, 32], [2, 32, 6, 17], [1, 7, 9, 36]];
  const flags: Array<[boolean, boolean]> = [[false, false], [false, true], [true, false], [true, true]];

  it.each(sizes)('multiplies batch %i of [%i, %i] @ [%i, n] with every transpose, as float64 does to float32 rounding', (batch, m, k, n) => {
    expect(batchMatMulAvailable()).toBe(true);
    for (const [tA, tB] of flags) {
      const a = normal(batch * m * k, 1);
      const b = normal(batch * k * n, 2);
      const A = tf.tensor3d(a, tA ? [batch, k, m] : [batch, m, k]);
      const B = tf.tensor3d(b, tB ? [batch, n, k] : [batch, k, n]);
      const before = tf.memory().numTensors;
      const C = batchMatMul(A, B, tA, tB);
      expect(C.shape).toEqual([batch, m, n]);
      const got = C.dataSync();
      const want = reference(a, b, batch, m, k, n, tA, tB);
      const worst = Math.max(...Array.from(want, (w, i) => Math.abs(got[i]! - w) / (1 + Math.abs(w))));
      expect(worst).toBeLessThan(1e-5 * Math.sqrt(k));
      C.dispose();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([A, B]);
    }
  });

  it.each(flags)('has the gradients of tf.matMul (transposeA %s, transposeB %s)', (tA, tB) => {
    const [batch, m, k, n] = [3, 5, 7, 6];
    const A = tf.tensor3d(normal(batch * m * k, 3), tA ? [batch, k, m] : [batch, m, k]);
    const B = tf.tensor3d(normal(batch * k * n, 4), tB ? [batch, n, k] : [batch, k, n]);
    const W = tf.tensor3d(normal(batch * m * n, 5), [batch, m, n]);
    const before = tf.memory().numTensors;
    const ours = tf.grads((a, b) => tf.sum(tf.mul(batchMatMul(a as tf.Tensor3D, b as tf.Tensor3D, tA, tB), W)))([A, B]);
    const theirs = tf.grads((a, b) => tf.sum(tf.mul(tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D, tA, tB), W)))([A, B]);
    for (const i of [0, 1]) {
      expect(ours[i]!.shape).toEqual(theirs[i]!.shape);
      const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(ours[i]!, theirs[i]!))).dataSync()[0]!);
      expect(gap).toBeLessThan(1e-5);
    }
    tf.dispose([...ours, ...theirs]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([A, B, W]);
  });

  it('multiplies two matrices without a batch axis, with their gradients', () => {
    const a = tf.tensor2d([[1, 2, 3], [4, 5, 6]]); // [2, 3]
    const b = tf.tensor2d([[1, 0], [0, 1], [1, -1]]); // [3, 2]
    expect(batchMatMul(a, b).arraySync()).toEqual([[4, -1], [10, -1]]);
    expect(batchMatMul(a, a, false, true).arraySync()).toEqual([[14, 32], [32, 77]]); // a a^T
    const w = tf.tensor2d([[1, 10], [100, 1000]]); // weights on the product
    const [da, db] = tf.grads((x, y) => tf.sum(tf.mul(batchMatMul(x as tf.Tensor2D, y as tf.Tensor2D), w)))([a, b]);
    expect(da!.arraySync()).toEqual([[1, 10, -9], [100, 1000, -900]]); // W b^T
    expect(db!.arraySync()).toEqual([[401, 4010], [502, 5020], [603, 6030]]); // a^T W
    tf.dispose([a, b, w, da!, db!]);
  });

  it('gives zeros for an empty inner size and an empty result for an empty batch', () => {
    const zeros = batchMatMul(tf.zeros([2, 3, 0]) as tf.Tensor3D, tf.zeros([2, 0, 5]) as tf.Tensor3D);
    expect(zeros.shape).toEqual([2, 3, 5]);
    expect(Array.from(zeros.dataSync()).every((x) => x === 0)).toBe(true);
    const empty = batchMatMul(tf.zeros([0, 3, 4]) as tf.Tensor3D, tf.zeros([0, 4, 5]) as tf.Tensor3D);
    expect(empty.shape).toEqual([0, 3, 5]);
    tf.dispose([zeros, empty]);
  });

  it('names shapes that do not multiply', () => {
    const a = tf.zeros([2, 3, 4]) as tf.Tensor3D;
    const b = tf.zeros([2, 5, 6]) as tf.Tensor3D;
    const c = tf.zeros([3, 4, 6]) as tf.Tensor3D;
    expect(() => batchMatMul(a, b)).toThrow('batchMatMul: needs float32 a [batch, m, k] and b [batch, k, n], or both without the batch (after the transposes false, false); got float32 [2,3,4] and float32 [2,5,6]');
    expect(() => batchMatMul(a, tf.zeros([4, 6]) as tf.Tensor as tf.Tensor3D)).toThrow('got float32 [2,3,4] and float32 [4,6]');
    expect(() => batchMatMul(a, c)).toThrow('got float32 [2,3,4] and float32 [3,4,6]');
    expect(() => batchMatMul(a, tf.zeros([2, 4, 6], 'int32') as tf.Tensor3D)).toThrow('int32 [2,4,6]');
    tf.dispose([a, b, c]);
  });
});
