// Plain Node, no jest: run in place, it checks the built @grokking/backend and the tfjs-backend-wasm this workspace
// installs; copied into the root of another install (its node_modules beside it) and run there, the ones installed
// there. It readies cpu, then wasm with readyBackend's default thread count (GROKKING_WASM_THREADS), multiplies the
// same matrices on both, prints one JSON line and simply returns: the process must exit by itself, so the pthread
// workers must not keep it alive.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { readyBackend } from '@grokking/backend';

const require = createRequire(import.meta.url);
const bundle = require.resolve('@tensorflow/tfjs-backend-wasm'); // its Node bundle, which the hooks leave unchanged
const bundleSha256 = createHash('sha256').update(readFileSync(bundle)).digest('hex');

// Big enough for XNNPACK to split across threads.
const [m, k, n] = [96, 80, 72];
const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i * 0.37));
const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.11));

async function product() {
  const before = tf.memory().numTensors;
  const c = tf.tidy(() => tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n]))); // [m, n]
  const values = await c.data();
  c.dispose();
  return { values, leaked: tf.memory().numTensors - before };
}

await readyBackend('cpu');
const onCpu = await product();
const info = await readyBackend('wasm');
const onWasm = await product();
let maxDiff = 0;
for (let i = 0; i < m * n; i++) maxDiff = Math.max(maxDiff, Math.abs(onCpu.values[i] - onWasm.values[i]));

console.log(JSON.stringify({
  info,
  threadsCount: wasm.getThreadsCount(),
  multithreadFlag: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'),
  // The threaded build's memory is a SharedArrayBuffer; the single-threaded build's is not.
  sharedMemory: tf.backend().wasm.wasmMemory?.buffer instanceof SharedArrayBuffer,
  bundleSha256,
  maxDiff,
  leaked: onCpu.leaked + onWasm.leaked,
}));
