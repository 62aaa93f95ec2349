// Checkpoints for the explorer test, made in Node: a small modular-addition model (p = 23) trained until it uses a
// few frequencies, saved as a trainer checkpoint and as a saveModel file, and the key frequencies of its embedding.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readyBackend } from '@grokking/backend';
import { modularArithmetic } from '@grokking/tasks';
import { createTransformer, modularAdditionConfig, saveModel } from '@grokking/model';
import { createMemoryStore, train } from '@grokking/trainer';
import { embeddingKeyFrequencies } from '@grokking/fourier-analysis';

export async function makeFixtures(dir) {
  await readyBackend('wasm', { threads: 1 });
  const p = 23;
  const task = modularArithmetic({ p });
  const { train: trainSet, test } = task.split({ trainFraction: 0.8, seed: 0 });
  const model = createTransformer(modularAdditionConfig(p, { dModel: 32, seed: 0 }));
  const store = createMemoryStore();
  await train({ model, info: task.info, data: { train: trainSet, test }, epochs: 300, optimizer: { lr: 0.03 },
    evalEvery: 300, checkpoint: { store, every: 300 } });
  const checkpoint = join(dir, 'p23-epoch-300.safetensors');
  const saved = join(dir, 'p23-model.safetensors');
  writeFileSync(checkpoint, await store.read(300));
  writeFileSync(saved, saveModel(model));
  const keyFrequencies = embeddingKeyFrequencies(model.params['embed.W_E'], p);
  model.dispose();
  return { checkpoint, saved, keyFrequencies };
}
