// Plain Node ESM, no jest, no transform: the built package readies each Node backend and computes a gradient.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { runConformance, formatConformance } from '@grokking/backend/conformance';

for (const name of ['cpu', 'wasm']) {
  const info = await readyBackend(name);
  const g = tf.grad((x) => tf.sum(tf.square(x)))(tf.tensor1d([1, -2, 3]));
  const got = Array.from(await g.data());
  if (JSON.stringify(got) !== JSON.stringify([2, -4, 6])) throw new Error(`ESM gradient on ${name}: ${got}`);
  const report = await runConformance();
  console.log(formatConformance(report));
  if (!report.pass) throw new Error(`conformance failed on ${name}`);
  console.log(`esm smoke: ${info.active} gradient ${got.join(',')} ok`);
}
