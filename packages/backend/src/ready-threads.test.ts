import * as tf from '@tensorflow/tfjs-core';
import { availableParallelism } from 'node:os';
import { readyBackend } from './ready';
import { runConformance } from './conformance';

// tfjs-backend-wasm as npm ships it, which this workspace installs, started with threads by the hooks of
// node-wasm-threads.ts; they work inside jest's module sandbox too. ready-unpatched.test.ts runs the same in plain
// Node child processes, which must exit by themselves.
// XNNPACK's pool holds at most 8 threads; node-core-cap.ts lifts tfjs' cap of half the logical cores to all of them.
const expectedThreads = (asked: number): number => Math.min(asked, availableParallelism(), 8);

/** The wasm backend's memory, as the wasm-kernels package reads it. */
const wasmMemory = (): unknown =>
  (tf.backend() as unknown as { wasm: { wasmMemory?: { buffer: unknown } } }).wasm.wasmMemory?.buffer;

describe('the wasm backend with threads (own test file: the backend starts once per module registry)', () => {
  it('runs the threaded build through the hooks: the threads flag on, a shared memory, the Worker hook in place', async () => {
    await readyBackend('wasm', { threads: 2 });
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(true);
    expect(wasmMemory()).toBeInstanceOf(SharedArrayBuffer);
    expect(Object.getOwnPropertyDescriptor(globalThis, 'Worker')?.get).toBeDefined();
  });

  it('uses the threads asked for, up to the logical cores', async () => {
    const info = await readyBackend('wasm', { threads: 2 });
    expect(info.active).toBe('wasm');
    expect(info.simd).toBe(true);
    expect(info.threads).toBe(expectedThreads(2));
  });

  it('computes a matmul big enough to be split across threads, and its gradient, like a float64 reference', async () => {
    await readyBackend('wasm', { threads: 2 });
    const before = tf.memory().numTensors;
    const [m, k, n] = [130, 70, 90];
    const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i * 0.37));
    const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.11));
    const [c, gradA] = tf.tidy(() => {
      const at = tf.tensor2d(a, [m, k]); // [m, k]
      const bt = tf.tensor2d(b, [k, n]); // [k, n]
      const out = tf.matMul(at, bt); // [m, n]
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.matMul(x as tf.Tensor2D, bt)))(at); // [m, k]: row sums of b, for every row
      return [out.dataSync(), g.dataSync()];
    });
    let maxError = 0;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += a[i * k + t]! * b[t * n + j]!;
      maxError = Math.max(maxError, Math.abs(s - c[i * n + j]!));
    }
    expect(maxError).toBeLessThan(1e-4);
    for (let t = 0; t < k; t++) {
      let rowSum = 0;
      for (let j = 0; j < n; j++) rowSum += b[t * n + j]!;
      expect(gradA[5 * k + t]).toBeCloseTo(rowSum, 4);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('passes the conformance checks with threads', async () => {
    await readyBackend('wasm', { threads: 2 });
    const report = await runConformance();
    expect(report.checks.filter((c) => !c.pass)).toEqual([]);
  });
});
