// Test-only helpers: closed-form waves and grids in float64, and a leak check. Not exported from the package.
import * as tf from '@tensorflow/tfjs-core';

const tables = new Map<number, { cos: Float64Array; sin: Float64Array }>();
function table(p: number) {
  let t = tables.get(p);
  if (!t) {
    const angles = Array.from({ length: p }, (_, r) => (2 * Math.PI * r) / p);
    t = { cos: Float64Array.from(angles, Math.cos), sin: Float64Array.from(angles, Math.sin) };
    tables.set(p, t);
  }
  return t;
}
const residue = (p: number, n: number) => ((n % p) + p) % p;

/** cos(2πkx/p) for integers k, x, from a table of cos(2πr/p) (not through the package's basis). */
export const cosW = (p: number, k: number, x: number): number => table(p).cos[residue(p, k * x)]!;
/** sin(2πkx/p) for integers k, x, from a table of sin(2πr/p). */
export const sinW = (p: number, k: number, x: number): number => table(p).sin[residue(p, k * x)]!;

/** Values of f over all inputs, x-major, with `channels` outputs each: [p*p, channels]. */
export function overInputs(p: number, channels: number, f: (x: number, y: number, c: number) => number): tf.Tensor2D {
  const values = new Float32Array(p * p * channels);
  for (let x = 0; x < p; x++) {
    for (let y = 0; y < p; y++) {
      for (let c = 0; c < channels; c++) values[(x * p + y) * channels + c] = f(x, y, c);
    }
  }
  return tf.tensor2d(values, [p * p, channels]);
}

/** A matrix [rows, cols] from f(row, col). */
export function matrix(rows: number, cols: number, f: (r: number, c: number) => number): tf.Tensor2D {
  const values = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) values[r * cols + c] = f(r, c);
  return tf.tensor2d(values, [rows, cols]);
}

/** Runs fn and checks it leaves no new live tensor but the one it returns (if it returns a tensor). */
export function noLeak<T>(fn: () => T): T {
  const before = tf.memory().numTensors;
  const result = fn();
  const owned = result instanceof tf.Tensor ? 1 : 0;
  const after = tf.memory().numTensors;
  if (after !== before + owned) throw new Error(`leaked ${after - before - owned} tensors`);
  return result;
}

/** Index of the largest value. */
export function argmax(values: readonly number[]): number {
  return values.reduce((best, v, i) => (v > (values[best] ?? -Infinity) ? i : best), 0);
}
