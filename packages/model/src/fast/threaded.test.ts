// The fused path on the threaded wasm backend, as Node programs get it by default (2 threads, a shared memory):
// jest keeps wasm to one thread (see @grokking/backend), so this runs the built package in a child process and
// compares the fast path's logits and gradients with the general path's there.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

const SCRIPT = `
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createTransformer, loadStateDict, modularAdditionConfig } from './dist/index.js';
const info = await readyBackend('wasm', { threads: 2 });
const shared = tf.backend().wasm.wasmMemory?.buffer instanceof SharedArrayBuffer;
const p = 23, B = 150;
const model = createTransformer(modularAdditionConfig(p, 0));
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5);
const dict = {};
for (const [name, v] of Object.entries(model.params)) dict[name] = { shape: [...v.shape], data: Float32Array.from({ length: v.size }, rand) };
loadStateDict(model, dict);
const tokens = tf.tensor2d(Int32Array.from({ length: B * 3 }, (_, i) => (i % 3 === 2 ? p : Math.floor((rand() + 0.5) * p))), [B, 3], 'int32');
const targets = tf.oneHot(tf.tensor1d(Int32Array.from({ length: B }, () => Math.floor((rand() + 0.5) * p)), 'int32'), p);
const names = Object.keys(model.params);
const run = (fast) => {
  model.fastPath = fast;
  const loss = () => tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(tf.reshape(model.forward(tokens, [2]), [B, p])), targets), 1)));
  const { value, grads } = tf.variableGrads(loss, names.map((n) => model.params[n]));
  return { value: value.dataSync()[0], grads: names.map((n) => grads[model.params[n].name].dataSync()) };
};
const kernels = (await tf.profile(() => { model.fastPath = true; return model.forward(tokens, [2]); })).kernels.map((k) => k.name);
const fast = run(true), general = run(false);
// Each gradient against its own scale, with a floor of 1% of the largest (b_K's is 0 in exact arithmetic).
const largest = Math.max(...general.grads.map((g) => Math.max(...g.map(Math.abs))));
let err = 0;
fast.grads.forEach((g, i) => {
  const ref = general.grads[i];
  const scale = Math.max(0.01 * largest, ...ref.map(Math.abs));
  g.forEach((v, j) => { err = Math.max(err, Math.abs(v - ref[j]) / scale); });
});
console.log(JSON.stringify({ multithread: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'), threads: info.threads, shared, rowMix: kernels.includes('GrokkingRowMix'), lossDiff: Math.abs(fast.value - general.value) / Math.max(1, Math.abs(general.value)), err }));
`;

// The threaded build (a shared memory) loads whenever more than one thread is asked for; XNNPACK then runs at most
// as many threads as the machine has cores. tfjs-backend-wasm as npm ships it turns threads off in Node;
// @grokking/backend's hooks turn them on, and where they cannot this test fails rather than skipping.
it('agrees with the general path on the threaded wasm backend (shared memory), through the row-mix kernels', () => {
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT], {
    cwd: join(__dirname, '..', '..'), encoding: 'utf8', env: { ...process.env, GROKKING_WASM_THREADS: '' }, timeout: 120_000,
  });
  if (out.status !== 0) throw new Error(`child failed:\n${out.stderr}`);
  const result = JSON.parse(out.stdout.trim().split('\n').pop()!);
  expect(result).toMatchObject({ multithread: true, threads: Math.min(2, availableParallelism()), shared: true, rowMix: true });
  expect(result.lossDiff).toBeLessThan(1e-6); // relative
  expect(result.err).toBeLessThan(1e-4);
});
