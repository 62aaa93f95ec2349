// Plain Node, no jest: the patched wasm backend with THREADS threads computes a matmul, prints its thread count and
// the largest error against a float64 reference, then simply returns. The process must exit by itself: the pthread
// workers must not keep it alive.
import * as tf from '@tensorflow/tfjs-core';
import * as wasm from '@tensorflow/tfjs-backend-wasm';

const threads = Number(process.env.THREADS);
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', wasm.NODE_THREADS_SUPPORTED === true && threads > 1);
wasm.setThreadsCount(threads);
if (!(await tf.setBackend('wasm')) || tf.getBackend() !== 'wasm') throw new Error(`wasm did not start: ${tf.getBackend()}`);
const [m, k, n] = [96, 80, 72];
const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i * 0.37));
const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.11));
const got = await tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])).data(); // [m, n]
let maxError = 0;
for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
  let s = 0;
  for (let t = 0; t < k; t++) s += a[i * k + t] * b[t * n + j];
  maxError = Math.max(maxError, Math.abs(s - got[i * n + j]));
}
console.log(JSON.stringify({ threads: wasm.getThreadsCount(), patched: wasm.NODE_THREADS_SUPPORTED === true, maxError }));
