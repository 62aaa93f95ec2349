// rowCrossEntropy (integer targets into @grokking/model's precise loss) and rowStats, on cpu and wasm.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createRng } from '@grokking/tasks';
import { mean, rowCrossEntropy, rowStats } from './cross-entropy';
import { noLeak, referenceLoss } from './test-fixtures';

// A shared 2-core machine can be slow; these budgets are generous, not timings.
jest.setTimeout(60_000);

describe.each(['cpu', 'wasm'])('rowCrossEntropy on %s', (backend) => {
  beforeAll(async () => {
    await readyBackend(backend, { threads: 1 });
  });

  it('equals logsumexp(z) - z_c computed in float64, for ordinary logits', async () => {
    expect(tf.getBackend()).toBe(backend);
    const rng = createRng(3);
    const rows = 50;
    const vocab = 17;
    const values = Array.from({ length: rows * vocab }, () => 4 * rng.normal());
    const targets = Array.from({ length: rows }, () => rng.int(vocab));
    const got = await noLeak(() =>
      tf.tidy(() => rowCrossEntropy(tf.tensor2d(values, [rows, vocab]), tf.tensor1d(targets, 'int32')).arraySync()),
    );
    expect(got).toHaveLength(rows);
    got.forEach((loss, i) => {
      const want = referenceLoss(values.slice(i * vocab, (i + 1) * vocab), targets[i]!);
      expect(Math.abs(loss - want)).toBeLessThan(1e-5 * Math.max(1, want));
    });
  });

  it('measures with the precise loss: a loss that float32 log-softmax rounds to zero is kept', () => {
    // margin 20 over two others: log1p(2e^-20); margin 30: log1p(2e^-30) ≈ 1.87e-13. The loss itself, down to
    // ~1e-30, is tested with @grokking/model's preciseCrossEntropy; this checks the integer targets reach it.
    const got = tf.tidy(() => rowCrossEntropy(tf.tensor2d([[20, 0, 0], [0, 30, 0]]), tf.tensor1d([0, 1], 'int32')).arraySync());
    expect(got[0]! / (2 * Math.exp(-20))).toBeCloseTo(1, 5);
    expect(got[1]! / (2 * Math.exp(-30))).toBeCloseTo(1, 5);
  });

  it('rejects targets that do not match the rows', () => {
    expect(() => rowCrossEntropy(tf.zeros([3, 4]), tf.tensor1d([0, 1], 'int32'))).toThrow('targets must have shape [3] to match logits [3, 4], got [2]');
  });

  it('gives per-row losses and arg-max correctness, with no tensor left', async () => {
    const logits = tf.tensor2d([[2, 0, 0], [0, 0, 5], [1, 1, 3]]);
    const { losses, correct } = await noLeak(() => rowStats(logits, Int32Array.from([0, 1, 2])));
    expect(Array.from(correct)).toEqual([1, 0, 1]);
    expect(losses[1]).toBeCloseTo(referenceLoss([0, 0, 5], 1), 5);
    expect(mean(losses)).toBeCloseTo((referenceLoss([2, 0, 0], 0) + referenceLoss([0, 0, 5], 1) + referenceLoss([1, 1, 3], 2)) / 3, 5);
    logits.dispose();
  });
});
