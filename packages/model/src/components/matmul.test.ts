// The matmul helper's own gradient, against closed forms: d/dA sum(W ⊙ AB) = W B^T and d/dB = A^T W.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { linear, matmul } from './matmul';

describe.each(['cpu', 'wasm'] as const)('matmul on %s', (backend) => {
  beforeAll(async () => {
    await readyBackend(backend, backend === 'wasm' ? { threads: 1 } : {});
  });

  it('multiplies and differentiates 2-D matrices', () => {
    const a = tf.tensor2d([[1, 2], [3, 4], [5, 6]]); // [3, 2]
    const b = tf.tensor2d([[1, 0, 2], [0, 1, -1]]); // [2, 3]
    const w = tf.tensor2d([[1, 0, 0], [0, 2, 0], [0, 0, 3]]); // [3, 3] weights on the product
    expect(matmul(a, b).arraySync()).toEqual([[1, 2, 0], [3, 4, 2], [5, 6, 4]]);
    const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(matmul(x as tf.Tensor2D, y as tf.Tensor2D), w)))([a, b]);
    // W B^T = [[1, 0], [0, 2], [6, -3]]; A^T W = [[1, 6, 15], [2, 8, 18]].
    expect(da!.arraySync()).toEqual([[1, 0], [0, 2], [6, -3]]);
    expect(db!.arraySync()).toEqual([[1, 6, 15], [2, 8, 18]]);
    tf.dispose([a, b, w, da!, db!]);
  });

  it('multiplies and differentiates batches of matrices', () => {
    const a = tf.tensor3d([[[1, 2]], [[3, 4]]]); // [2, 1, 2]
    const b = tf.tensor3d([[[1], [1]], [[2], [-1]]]); // [2, 2, 1]
    expect(matmul(a, b).arraySync()).toEqual([[[3]], [[2]]]);
    const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(matmul(x as tf.Tensor3D, y as tf.Tensor3D)))([a, b]);
    expect(da!.arraySync()).toEqual([[[1, 1]], [[2, -1]]]); // d/dA sum(AB) = 1 B^T per batch
    expect(db!.arraySync()).toEqual([[[1], [2]], [[3], [4]]]); // A^T 1 per batch
    expect(() => matmul(a, tf.ones([3, 2, 1]) as tf.Tensor3D)).toThrow('matmul needs two 2-D or two 3-D tensors with the same batch, got [2,1,2] and [3,2,1]');
    tf.dispose([a, b, da!, db!]);
  });

  it('multiplies by the transpose of b, with the gradients of the product', () => {
    const a = tf.tensor3d([[[1, 2]], [[3, 4]]]); // [2, 1, 2]
    const bT = tf.tensor3d([[[1, 1], [0, 2]], [[2, -1], [1, 0]]]); // [2, 2, 2]: b^T per batch, rows are b's columns
    expect(matmul(a, bT, true).arraySync()).toEqual([[[3, 4]], [[2, 3]]]);
    const w = tf.tensor3d([[[1, 10]], [[100, 1000]]]); // [2, 1, 2] weights on the product
    const [da, dbT] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(matmul(x as tf.Tensor3D, y as tf.Tensor3D, true), w)))([a, bT]);
    expect(da!.arraySync()).toEqual([[[1, 21]], [[1200, -100]]]); // W (b^T) per batch: [1, 10] @ [[1, 1], [0, 2]] = [1, 21]
    expect(dbT!.arraySync()).toEqual([[[1, 2], [10, 20]], [[300, 400], [3000, 4000]]]); // W^T A per batch
    tf.dispose([a, bT, w, da!, dbT!]);
  });

  it.each([[2, 40, 16, 24], [2, 512, 64, 128]])('gives each of %i stacked models its own product and gradients (%i rows, %i -> %i)', (models, rows, dIn, dOut) => {
    // the second size is past the one-kernel limit on wasm, so each model's product runs on its own there
    const x = tf.randomNormal([models * rows, dIn], 0, 1, 'float32', 1) as tf.Tensor2D; // model-major [K * rows, d_in]
    const w = tf.randomNormal([models, dIn, dOut], 0, 1, 'float32', 2) as tf.Tensor3D;
    const g = tf.randomNormal([models * rows, dOut], 0, 1, 'float32', 3) as tf.Tensor2D; // weights on the output
    const before = tf.memory().numTensors;
    const [y, dx, dw] = tf.tidy(() => {
      const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(linear(a as tf.Tensor2D, b as tf.Tensor3D), g));
      const [gx, gw] = tf.grads(f)([x, w]);
      return [linear(x, w), gx!, gw!];
    });
    for (let k = 0; k < models; k++) {
      tf.tidy(() => {
        const xk = tf.slice(x, [k * rows, 0], [rows, dIn]) as tf.Tensor2D;
        const wk = tf.squeeze(tf.slice(w, [k], [1]), [0]) as tf.Tensor2D;
        const gk = tf.slice(g, [k * rows, 0], [rows, dOut]) as tf.Tensor2D;
        const wants = [tf.matMul(xk, wk), tf.matMul(gk, wk, false, true), tf.matMul(xk, gk, true, false)]; // y, dx, dw of model k
        const gots = [tf.slice(y, [k * rows, 0], [rows, dOut]), tf.slice(dx, [k * rows, 0], [rows, dIn]), tf.squeeze(tf.slice(dw, [k], [1]), [0])];
        wants.forEach((want, i) => expect(tf.max(tf.abs(tf.sub(gots[i]!, want))).dataSync()[0]!).toBeLessThan(1e-3));
      });
    }
    tf.dispose([y, dx, dw]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w, g]);
  });

  it('applies an affine map on the last axis of any rank', () => {
    const x = tf.tensor3d([[[1, 2], [3, 4]]]); // [1, 2, 2]
    const y = linear(x, tf.tensor2d([[1, 1, 0], [0, 1, 1]]), tf.tensor1d([0, 0, 10]));
    expect(y.arraySync()).toEqual([[[1, 3, 12], [3, 7, 14]]]);
  });
});
