// The copy kernels on wasm against tfjs' own slice, pad, concat and gather, their gradients, and their checks.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { concat2d, gatherRows, matrixCopyAvailable, pad2d, slice2d, type MatrixPadding } from './matrix-copy';

const counting = (rows: number, cols: number, dtype: 'float32' | 'int32' = 'float32') =>
  tf.tensor2d(Array.from({ length: rows * cols }, (_, i) => i - 5), [rows, cols], dtype);

describe('copy kernels on wasm', () => {
  beforeAll(async () => {
    await readyBackend('wasm', { threads: 1 });
  });

  it.each([
    ['rows', [7, 5], [2, 0], [3, 5]],
    ['columns', [7, 5], [0, 1], [7, 3]],
    ['a block', [130, 625], [1, 512], [128, 113]],
    ['everything', [4, 4], [0, 0], [4, 4]],
    ['nothing', [4, 4], [2, 2], [0, 2]],
  ] as const)('slices %s as tf.slice does, float32 and int32', (_label, shape, begin, size) => {
    expect(matrixCopyAvailable()).toBe(true);
    for (const dtype of ['float32', 'int32'] as const) {
      const x = counting(shape[0], shape[1], dtype);
      const before = tf.memory().numTensors;
      const got = slice2d(x, [...begin], [...size]);
      const want = tf.slice(x, [...begin], [...size]);
      expect(got.dtype).toBe(dtype);
      expect(got.shape).toEqual([...size]);
      expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
      tf.dispose([got, want]);
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    }
  });

  it.each([
    ['rows', [[2, 1], [0, 0]]], ['columns', [[0, 0], [3, 0]]], ['every side', [[1, 2], [3, 4]]], ['nothing', [[0, 0], [0, 0]]],
  ] as Array<[string, MatrixPadding]>)('pads %s as tf.pad does, float32 and int32, into fresh (zeroed) memory', (_label, paddings) => {
    for (const dtype of ['float32', 'int32'] as const) {
      const x = counting(3, 5, dtype);
      const before = tf.memory().numTensors;
      const dirty = tf.fill([40, 40], 7, dtype); // leaves non-zero bytes behind for the pad's output to reuse
      dirty.dispose();
      const got = pad2d(x, paddings);
      const want = tf.pad(x, paddings);
      expect(got.dtype).toBe(dtype);
      expect(got.arraySync()).toEqual(want.arraySync());
      tf.dispose([got, want]);
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    }
  });

  it('differentiates a pad: the gradient sliced back; names paddings that are not whole numbers', () => {
    const x = counting(2, 2);
    const w = tf.tensor2d([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    const g = tf.grad((a) => tf.sum(tf.mul(pad2d(a as tf.Tensor2D, [[1, 0], [0, 1]]), w)))(x);
    expect(g.arraySync()).toEqual([[4, 5], [7, 8]]);
    expect(() => pad2d(x, [[-1, 0], [0, 0]])).toThrow('pad2d: paddings must be whole numbers of 0 or more; got [[-1,0],[0,0]]');
    tf.dispose([x, w, g]);
  });

  it.each([0, 1] as const)('concatenates along axis %i as tf.concat does', (axis) => {
    const xs = axis === 0 ? [counting(1, 6), counting(4, 6), counting(2, 6)] : [counting(3, 2), counting(3, 5), counting(3, 1)];
    const got = concat2d(xs, axis);
    const want = tf.concat(xs, axis);
    expect(got.shape).toEqual(want.shape);
    expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
    tf.dispose([...xs, got, want]);
  });

  it('differentiates: a slice pads its gradient back, a concatenation splits it', () => {
    const x = counting(3, 4);
    const w = tf.tensor2d([[1, 2], [3, 4]]);
    const gSlice = tf.grad((a) => tf.sum(tf.mul(slice2d(a as tf.Tensor2D, [1, 1], [2, 2]), w)))(x);
    expect(gSlice.arraySync()).toEqual([[0, 0, 0, 0], [0, 1, 2, 0], [0, 3, 4, 0]]);
    const [a, b] = [counting(2, 1), counting(2, 2)];
    const v = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const [ga, gb] = tf.grads((p, q) => tf.sum(tf.mul(concat2d([p as tf.Tensor2D, q as tf.Tensor2D], 1), v)))([a, b]);
    expect(ga!.arraySync()).toEqual([[1], [4]]);
    expect(gb!.arraySync()).toEqual([[2, 3], [5, 6]]);
    tf.dispose([x, w, gSlice, a, b, v, ga!, gb!]);
  });

  it('gathers rows as tf.gather does, float32 and int32, repeated and empty indices too', () => {
    for (const dtype of ['float32', 'int32'] as const) {
      const table = counting(11, 7, dtype);
      for (const picked of [[3, 0, 10, 3, 3], [], [5]]) {
        const indices = tf.tensor1d(picked, 'int32');
        const before = tf.memory().numTensors;
        const got = gatherRows(table, indices);
        const want = tf.gather(table, indices);
        expect(got.dtype).toBe(dtype);
        expect(got.shape).toEqual([picked.length, 7]);
        expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
        tf.dispose([got, want]);
        expect(tf.memory().numTensors).toBe(before);
        indices.dispose();
      }
      table.dispose();
    }
  });

  it('differentiates a gather: each row of the gradient summed back into its table row', () => {
    const table = counting(4, 2);
    const indices = tf.tensor1d([1, 3, 1], 'int32');
    const w = tf.tensor2d([[1, 2], [10, 20], [100, 200]]);
    const g = tf.grad((t) => tf.sum(tf.mul(gatherRows(t as tf.Tensor2D, indices), w)))(table);
    expect(g.arraySync()).toEqual([[0, 0], [101, 202], [0, 0], [10, 20]]);
    tf.dispose([table, indices, w, g]);
  });

  it('names a gather index outside the table and indices that are not an int32 vector', () => {
    const table = counting(4, 2);
    const bad = tf.tensor1d([0, 4], 'int32');
    expect(() => gatherRows(table, bad)).toThrow('gatherRows indices: index 4 at 1 is outside [0, 4)');
    const floats = tf.tensor1d([0, 1]);
    expect(() => gatherRows(table, floats)).toThrow('gatherRows: indices must be an int32 vector; got float32 [2]');
    tf.dispose([table, bad, floats]);
  });

  it('names a block that does not fit and inputs that do not line up', () => {
    const x = counting(3, 4);
    expect(() => slice2d(x, [2, 0], [2, 4])).toThrow('slice2d: begin [2, 0] and size [2, 4] do not fit in [3, 4]');
    const narrow = counting(2, 3);
    expect(() => concat2d([x, narrow], 0)).toThrow(/concat2d: along axis 0 the inputs must share dtype and their other size/);
    tf.dispose([x, narrow]);
  });
});
