// The precise and naive cross-entropy against a float64 reference, forward and backward, on cpu and wasm (where the
// precise form runs through @grokking/wasm-kernels): the trainer optimises it and the progress measures measure it.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { CROSS_ENTROPY, CROSS_ENTROPY_GRAD } from '@grokking/wasm-kernels';
import { crossEntropy, naiveCrossEntropy, preciseCrossEntropy } from './loss';

/** Float64 cross-entropy and its gradient (softmax - onehot), computed in JS as an independent reference. */
function reference(z: number[], c: number): { loss: number; grad: number[] } {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m)); // exp(z_j - max)
  const rest = e.reduce((a, v, j) => (j === c ? a : a + v), 0); // sum_{j != c}, never formed as total - e_c
  const total = e[c]! + rest;
  // log(sum_j exp(z_j - z_c)) = (m - z_c) + log(total); with c the arg-max, e_c - 1 = 0 and log1p keeps precision.
  const loss = m - z[c]! + Math.log1p(e[c]! - 1 + rest);
  const grad = e.map((v, j) => (j === c ? -rest / total : v / total));
  return { loss, grad };
}

function lossAndGrad(form: 'precise' | 'naive', rows: number[][], targets: number[]): { loss: number[]; grad: number[][] } {
  return tf.tidy(() => {
    const z = tf.tensor2d(rows); // [rows, vocab]
    const y = tf.cast(tf.oneHot(tf.tensor1d(targets, 'int32'), rows[0]!.length), 'float32'); // [rows, vocab]
    const f = (x: tf.Tensor) => tf.sum(crossEntropy(x as tf.Tensor2D, y as tf.Tensor2D, form));
    const grad = tf.grad(f)(z);
    const loss = crossEntropy(z, y as tf.Tensor2D, form);
    return { loss: Array.from(loss.dataSync()), grad: grad.arraySync() as number[][] };
  });
}

describe.each(['cpu', 'wasm'])('cross-entropy on %s', (backend) => {
  beforeAll(async () => {
    await readyBackend(backend, { threads: 1 });
  });

  it('naive log-softmax gives exactly 0 loss and 0 gradient on the target where the precise form does not', () => {
    // p = 13 classes, the correct logit 20 above the 12 others: the true loss is log1p(12 e^-20) ~ 2.47e-8, below
    // float32's 2^-24 relative step at 1, so log-softmax rounds it (and the target's gradient) to exactly zero.
    const p = 13;
    const z = Array.from({ length: p }, (_, j) => (j === 4 ? 20 : 0));
    const ref = reference(z, 4);
    expect(Math.abs(ref.loss / ((p - 1) * Math.exp(-20)) - 1)).toBeLessThan(1e-7); // log1p(x) = x - x^2/2 + ...

    const naive = lossAndGrad('naive', [z], [4]);
    expect(Math.abs(naive.loss[0]!)).toBe(0); // -0 in float32
    expect(Math.abs(naive.grad[0]![4]!)).toBe(0);

    const precise = lossAndGrad('precise', [z], [4]);
    expect(precise.loss[0]).toBeGreaterThan(0);
    expect(Math.abs(precise.loss[0]! - ref.loss) / ref.loss).toBeLessThan(1e-6);
    const g = precise.grad[0]!;
    expect(g[4]).toBeLessThan(0);
    g.forEach((v, j) => expect(Math.abs(v - ref.grad[j]!)).toBeLessThan(1e-6 * Math.abs(ref.grad[j]!)));
    // A proper softmax gradient sums to zero; the naive one no longer does (the target's share is lost).
    expect(Math.abs(g.reduce((a, b) => a + b, 0))).toBeLessThan(1e-12);
    expect(naive.grad[0]!.reduce((a, b) => a + b, 0)).toBeGreaterThan(1e-8);
  });

  it('stays accurate down to losses near 1e-30, where the naive form is 0', () => {
    // Margin m over three others: the loss is log1p(3 e^-m), from ~1.2e-7 (m = 17) down to ~1.2e-30 (m = 70).
    for (const margin of [17, 25, 30, 50, 70]) {
      const z = [0, margin, 0, 0];
      const ref = reference(z, 1);
      const precise = lossAndGrad('precise', [z], [1]);
      expect(Math.abs(precise.loss[0]! - ref.loss) / ref.loss).toBeLessThan(1e-6);
      if (margin >= 25) expect(Math.abs(lossAndGrad('naive', [z], [1]).loss[0]!)).toBe(0); // 3 e^-m < 2^-25
    }
  });

  it('agrees with the float64 reference on ordinary and hugely wrong logits', () => {
    const rows = [
      [0.3, -1.2, 2.5, 0.7, -0.4],
      [1, 1, 1, 1, 1],
      [-3, 4, 0.5, 2, 2],
      [100, -100, 0, 50, 99], // target 1 is 200 below the max: no overflow
    ];
    const targets = [2, 0, 3, 1];
    for (const form of ['precise', 'naive'] as const) {
      const { loss, grad } = lossAndGrad(form, rows, targets);
      rows.forEach((z, i) => {
        const ref = reference(z, targets[i]!);
        expect(Math.abs(loss[i]! - ref.loss)).toBeLessThan(1e-5 * Math.max(1, ref.loss));
        grad[i]!.forEach((v, j) => expect(Math.abs(v - ref.grad[j]!)).toBeLessThan(1e-6));
      });
    }
  });

  it('leaves no tensors behind, forward or backward', () => {
    const z = tf.tensor2d([[1, 2, 3], [3, 2, 1]]);
    const y = tf.tensor2d([[0, 0, 1], [0, 1, 0]]);
    const w = tf.tidy(() => tf.variable(tf.ones([3])));
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => tf.mean(preciseCrossEntropy(tf.mul(z, w), y)) as tf.Scalar, [w]);
    tf.dispose([value, grads]);
    tf.dispose(tf.grad((x) => tf.sum(preciseCrossEntropy(x as tf.Tensor2D, y)))(z));
    tf.dispose(naiveCrossEntropy(z, y));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([z, y, w]);
  });

  it('runs the precise loss through the fused kernels on wasm only, forward and backward', async () => {
    const z = tf.tensor2d([[1, 2, 3], [3, 2, 1]]);
    const y = tf.tensor2d([[0, 0, 1], [0, 1, 0]]);
    const info = await tf.profile(() => tf.grad((x) => tf.sum(preciseCrossEntropy(x as tf.Tensor2D, y)))(z));
    const names = info.kernels.map((k) => k.name);
    const fused = [CROSS_ENTROPY, CROSS_ENTROPY_GRAD].map((k) => names.includes(k));
    expect(fused).toEqual(backend === 'wasm' ? [true, true] : [false, false]);
    tf.dispose([z, y]);
  });

  it('names a bad loss form', () => {
    expect(() => tf.tidy(() => crossEntropy(tf.zeros([1, 2]), tf.zeros([1, 2]), 'float64' as never))).toThrow(
      "loss must be 'precise' or 'naive', got \"float64\"",
    );
  });
});
