import * as tf from '@tensorflow/tfjs-core';

/** One conformance check: the largest absolute error against the float64 reference, and whether it is in tolerance. */
export interface ConformanceCheck {
  name: string;
  maxError: number;
  tolerance: number;
  pass: boolean;
}

/** The checks run on one backend. */
export interface ConformanceReport {
  backend: string;
  checks: ConformanceCheck[];
  pass: boolean;
}

// Small fixed inputs from a hashed sequence, so every backend sees the same numbers without a seeded RNG.
function fixed(n: number, salt: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sin(12.9898 * (i + 1) + 78.233 * salt) * 1.5;
  return out;
}

// Reference matmul in float64: a [m, k] @ b [k, n] -> [m, n].
function matmulRef(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < k; t++) s += a[i * k + t]! * b[t * n + j]!;
    c[i * n + j] = s;
  }
  return c;
}

// Reference mean softmax cross-entropy in float64 of logits [m, n] against integer labels.
function xentRef(z: Float64Array, labels: number[], m: number, n: number): number {
  let total = 0;
  for (let i = 0; i < m; i++) {
    let max = -Infinity;
    for (let j = 0; j < n; j++) max = Math.max(max, z[i * n + j]!);
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.exp(z[i * n + j]! - max);
    total += max + Math.log(s) - z[i * n + labels[i]!]!;
  }
  return total / m;
}

// Central finite differences of a float64 scalar function.
function finiteDiff(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const up = Float64Array.from(x); up[i]! += h;
    const dn = Float64Array.from(x); dn[i]! -= h;
    g[i] = (f(up) - f(dn)) / (2 * h);
  }
  return g;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function check(name: string, got: ArrayLike<number>, want: ArrayLike<number>, tolerance: number): ConformanceCheck {
  const maxError = maxAbsDiff(got, want);
  return { name, maxError, tolerance, pass: maxError <= tolerance };
}

/**
 * Runs the same small checks on whatever backend is active: a matmul and a softmax cross-entropy forward, and their
 * gradients, each against a float64 computation in plain JavaScript (finite differences for the gradients).
 * Leaves no tensors behind.
 *
 * @example
 * await readyBackend('wasm');
 * const report = await runConformance();
 * report.pass; // true
 */
export async function runConformance(): Promise<ConformanceReport> {
  const [m, k, n] = [5, 7, 4];
  const a = fixed(m * k, 1);
  const b = fixed(k * n, 2);
  const labels = [0, 3, 1, 2, 3];
  const checks: ConformanceCheck[] = [];

  // The loss both gradient checks use: mean cross-entropy of (a @ b) against the labels.
  const lossRef = (av: Float64Array, bv: Float64Array) => xentRef(matmulRef(av, bv, m, k, n), labels, m, n);

  const before = tf.memory().numTensors;
  const [prod, loss, dA, dB] = tf.tidy(() => {
    const at = tf.tensor2d(Float32Array.from(a), [m, k]);
    const bt = tf.tensor2d(Float32Array.from(b), [k, n]);
    const onehot = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), n), 'float32');
    const f = (x: tf.Tensor, y: tf.Tensor) => tf.losses.softmaxCrossEntropy(onehot, tf.matMul(x, y)) as tf.Scalar;
    const grads = tf.grads(f)([at, bt]);
    return [tf.matMul(at, bt), f(at, bt), grads[0]!, grads[1]!];
  });
  const [prodV, lossV, dAV, dBV] = await Promise.all([prod.data(), loss.data(), dA.data(), dB.data()]);
  tf.dispose([prod, loss, dA, dB]);

  checks.push(check('matmul forward', prodV, matmulRef(a, b, m, k, n), 1e-5));
  checks.push(check('softmax cross-entropy forward', lossV, [lossRef(a, b)], 1e-5));
  checks.push(check('matmul + cross-entropy gradient (a)', dAV, finiteDiff((x) => lossRef(x, b), a), 1e-5));
  checks.push(check('matmul + cross-entropy gradient (b)', dBV, finiteDiff((y) => lossRef(a, y), b), 1e-5));
  const leaked = tf.memory().numTensors - before;
  checks.push({ name: 'no leaked tensors', maxError: leaked, tolerance: 0, pass: leaked === 0 });

  return { backend: tf.getBackend(), checks, pass: checks.every((c) => c.pass) };
}

/** One line per check, for logs: `wasm  pass  matmul forward  max error 2.4e-7 (tolerance 1e-5)`. */
export function formatConformance(report: ConformanceReport): string {
  return report.checks
    .map((c) => `${report.backend.padEnd(7)} ${c.pass ? 'pass' : 'FAIL'}  ${c.name.padEnd(38)} max error ${c.maxError.toExponential(1)} (tolerance ${c.tolerance})`)
    .join('\n');
}
