// Exact resume where users run: the real transformer on the wasm backend with its fused kernels, at 1 and 2 threads
// (jest keeps wasm to one thread, so each runs the built package in a child process). A run trained to epoch 30,
// checkpointed, and resumed by a fresh model to epoch 60 must end with the uninterrupted run's weights, bit for bit.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

const SCRIPT = `
import { readyBackend } from '@grokking/backend';
import { modularArithmetic } from '@grokking/tasks';
import { createTransformer, modularAdditionConfig } from '@grokking/model';
import { createMemoryStore, train } from './dist/index.js';
const info = await readyBackend('wasm', { threads: Number(process.argv[1]) });
const task = modularArithmetic({ p: 23 });
const { train: trainSet, test } = task.split({ seed: 1, trainFraction: 0.5 });
const base = { info: task.info, data: { train: trainSet, test }, evalEvery: 10, seed: 1, optimizer: { lr: 3e-3 } };
const weights = (m) => Object.keys(m.params).sort().map((k) => Array.from(new Uint32Array(m.params[k].dataSync().slice().buffer)));
const straight = createTransformer(modularAdditionConfig(23, 1));
await train({ ...base, model: straight, epochs: 60 });
const store = createMemoryStore();
const first = createTransformer(modularAdditionConfig(23, 1));
await train({ ...base, model: first, epochs: 30, checkpoint: { store, every: 10 } });
const resumed = createTransformer(modularAdditionConfig(23, 1));
const result = await train({ ...base, model: resumed, epochs: 60, checkpoint: { store, every: 10 }, resume: true });
const a = weights(straight), b = weights(resumed);
const differing = a.reduce((n, w, i) => n + w.filter((bits, j) => bits !== b[i][j]).length, 0);
console.log(JSON.stringify({ threads: info.threads, fastPath: resumed.fastPath, resumedFrom: result.resumedFrom, differing, moved: JSON.stringify(weights(first)) !== JSON.stringify(b) }));
`;

function resumeOnWasm(threads: number) {
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT, String(threads)], {
    cwd: join(__dirname, '..'), encoding: 'utf8', env: { ...process.env, GROKKING_WASM_THREADS: '' }, timeout: 240_000,
  });
  if (out.status !== 0) throw new Error(`child failed:\n${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop()!);
}

describe('resume on wasm with the fused kernels', () => {
  it('is bit for bit at 1 thread', () => {
    expect(resumeOnWasm(1)).toEqual({ threads: 1, fastPath: true, resumedFrom: 30, differing: 0, moved: true });
  }, 240_000);

  // The threaded backend needs two cores (readyBackend uses at most the machine's).
  (availableParallelism() >= 2 ? it : it.skip)('is bit for bit at 2 threads (the threaded kernels are deterministic)', () => {
    expect(resumeOnWasm(2)).toEqual({ threads: 2, fastPath: true, resumedFrom: 30, differing: 0, moved: true });
  }, 240_000);
});
