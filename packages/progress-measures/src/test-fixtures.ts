// Shared helpers of this package's tests: reference losses in float64, leak checks and hand-built models.
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '@grokking/model';
import type { Dataset, TaskInfo } from '@grokking/tasks';

/** Cross-entropy of one row in float64: logsumexp(z) - z[target]. */
export function referenceLoss(row: ArrayLike<number>, target: number): number {
  let m = -Infinity;
  for (let j = 0; j < row.length; j++) m = Math.max(m, row[j]!);
  let s = 0;
  for (let j = 0; j < row.length; j++) s += Math.exp(row[j]! - m);
  return m + Math.log(s) - row[target]!;
}

/** Mean float64 cross-entropy of rows of a [rows, vocab] table (row-major) at the given rows. */
export function referenceMeanLoss(table: ArrayLike<number>, vocab: number, rows: ArrayLike<number>, targets: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    sum += referenceLoss(Array.from({ length: vocab }, (_, j) => table[r * vocab + j]!), targets[r]!);
  }
  return sum / rows.length;
}

/** Runs fn and checks that it leaves the number of live tensors unchanged. */
export async function noLeak<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

/** Expects |a - b| <= tol · max(1, |b|). */
export function expectClose(a: number, b: number, tol = 1e-5): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
}

/**
 * A model that looks its answers up: for every example of the datasets given, the logits at each scored position are
 * `margin(example tokens, slot, target)` on the target and 0 elsewhere (0 everywhere at other positions). Its one
 * parameter `w` holds the given values, for weight measures.
 */
export function lookupModel(
  datasets: Dataset[],
  info: TaskInfo,
  margin: (slot: number, target: number) => number,
  weights: number[] = [1, 2],
): Model<'lookup', null> {
  const { nCtx, nScored, dVocabOut } = info;
  const table = new Map<string, Float32Array>(); // tokens -> [nCtx, dVocabOut]
  for (const d of datasets) {
    for (let i = 0; i < d.size; i++) {
      const key = d.tokens.subarray(i * nCtx, (i + 1) * nCtx).join(',');
      const logits = new Float32Array(nCtx * dVocabOut);
      for (let j = 0; j < nScored; j++) {
        const position = d.positions[i * nScored + j]!;
        const target = d.targets[i * nScored + j]!;
        logits[position * dVocabOut + target] = margin(j, target);
      }
      table.set(key, logits);
    }
  }
  const params = { w: tf.variable(tf.tensor1d(weights)) };
  return {
    kind: 'lookup',
    config: null,
    params,
    forward(tokens: tf.Tensor2D, positions?: readonly number[]): tf.Tensor3D {
      const [batch, n] = tokens.shape;
      const rows = tokens.arraySync();
      const wanted = positions ?? Array.from({ length: n }, (_, i) => i);
      const out = new Float32Array(batch * wanted.length * dVocabOut);
      rows.forEach((row, b) => {
        const logits = table.get(row.join(','));
        if (!logits) throw new Error(`lookupModel has no entry for ${row.join(',')}`);
        wanted.forEach((pos, k) => out.set(logits.subarray(pos * dVocabOut, (pos + 1) * dVocabOut), (b * wanted.length + k) * dVocabOut));
      });
      return tf.tensor3d(out, [batch, wanted.length, dVocabOut]);
    },
    dispose() {
      params.w.dispose();
    },
  };
}

/** cos(2πk·x/p) in float64. */
export function cosW(p: number, k: number, x: number): number {
  return Math.cos((2 * Math.PI * (((k * x) % p) + p)) / p);
}

/** sin(2πk·x/p) in float64. */
export function sinW(p: number, k: number, x: number): number {
  return Math.sin((2 * Math.PI * (((k * x) % p) + p)) / p);
}
