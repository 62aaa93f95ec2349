import * as tf from '@tensorflow/tfjs-core';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { readyBackend } from './ready';
import { runConformance } from './conformance';

// Node runs the wasm backend's threads only with this workspace's patch (patches/, applied by pnpm's
// patchedDependencies), which marks itself. This workspace always installs it, so its absence is a failure here;
// ready-unpatched.test.ts covers the backend as npm ships it.
const patched = (wasm as { NODE_THREADS_SUPPORTED?: boolean }).NODE_THREADS_SUPPORTED === true;
// XNNPACK's pool holds at most 8 threads; the patch lifts tfjs' cap of half the logical cores to all of them.
const expectedThreads = (asked: number): number => Math.min(asked, availableParallelism(), 8);

describe('the wasm backend with threads (own test file: the backend starts once per module registry)', () => {
  it("is this workspace's patched build of tfjs-backend-wasm (patches/; run pnpm install if it is missing)", () => {
    expect(patched).toBe(true);
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

  it.each([1, 2])('lets a plain Node process with %i thread(s) exit by itself after computing', (threads) => {
    const child = spawnSync(process.execPath, [join(__dirname, '..', 'test', 'threads-child.mjs')], {
      env: { ...process.env, THREADS: String(threads) },
      encoding: 'utf8',
      timeout: 60_000, // a hang, not a speed limit: a normal run takes about a second
    });
    expect(child.error).toBeUndefined();
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const out = JSON.parse(child.stdout) as { threads: number; patched: boolean; maxError: number };
    expect(out.patched).toBe(true);
    expect(out.threads).toBe(expectedThreads(threads));
    expect(out.maxError).toBeLessThan(1e-4);
  });
});
