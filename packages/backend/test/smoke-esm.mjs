// Plain Node ESM, no jest, no transform: the built package readies each Node backend and computes a gradient.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { runConformance, formatConformance } from '@grokking/backend/conformance';
import { availableParallelism } from 'node:os';

// Outside jest, wasm takes every logical core (XNNPACK holds at most 8) unless told: tfjs-backend-wasm as npm ships it,
// started with threads by @grokking/backend's hooks. More than one thread runs the threaded build, on a shared memory.
const fromEnv = Number(process.env.GROKKING_WASM_THREADS || 0);
const expectedThreads = Math.min(fromEnv || availableParallelism(), 8);

for (const name of ['cpu', 'wasm']) {
  const info = await readyBackend(name);
  const g = tf.grad((x) => tf.sum(tf.square(x)))(tf.tensor1d([1, -2, 3]));
  const got = Array.from(await g.data());
  if (JSON.stringify(got) !== JSON.stringify([2, -4, 6])) throw new Error(`ESM gradient on ${name}: ${got}`);
  const report = await runConformance();
  console.log(formatConformance(report));
  if (!report.pass) throw new Error(`conformance failed on ${name}`);
  if (name === 'wasm' && info.threads !== expectedThreads) throw new Error(`wasm threads ${info.threads}, expected ${expectedThreads}`);
  const shared = name === 'wasm' && tf.backend().wasm.wasmMemory?.buffer instanceof SharedArrayBuffer;
  if (name === 'wasm' && shared !== expectedThreads > 1) throw new Error(`wasm memory shared: ${shared}, with ${expectedThreads} threads`);
  console.log(`esm smoke: ${info.active} gradient ${got.join(',')}${name === 'wasm' ? ` threads ${info.threads}` : ''} ok`);
}
