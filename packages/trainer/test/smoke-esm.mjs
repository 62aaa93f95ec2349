// Plain Node ESM against the built package: train a small transformer with checkpoints in a directory, resume it,
// and load the final checkpoint back as a model.
import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readyBackend } from '@grokking/backend';
import { createTransformer, modularAdditionConfig } from '@grokking/model';
import { modularArithmetic } from '@grokking/tasks';
import { decodeCheckpoint, modelFromCheckpoint, train } from '@grokking/trainer';
import { createFileStore } from '@grokking/trainer/node';

await readyBackend('cpu');
const dir = await mkdtemp(join(tmpdir(), 'trainer-smoke-'));
try {
  const task = modularArithmetic({ p: 7 });
  const { train: trainSet, test } = task.split({ trainFraction: 0.5, seed: 0 });
  const store = createFileStore(dir);
  const run = (epochs, resume) => {
    const model = createTransformer(modularAdditionConfig(task.info, { dModel: 16, nHeads: 2, seed: 0 }));
    return train({ model, info: task.info, data: { train: trainSet, test }, epochs, evalEvery: 5, resume,
      checkpoint: { store, every: 5 } }).then((result) => ({ model, result }));
  };
  const first = await run(10, false);
  const second = await run(20, true);
  if (second.result.resumedFrom !== 10 || second.result.epoch !== 20) throw new Error(`resume: ${JSON.stringify(second.result)}`);
  const loaded = modelFromCheckpoint(decodeCheckpoint(await store.read(20)));
  const tokens = tf.tensor2d(test.tokens, [test.size, 3], 'int32');
  const [a, b] = [second.model.forward(tokens, [2]), loaded.forward(tokens, [2])];
  if (a.dataSync().some((v, i) => v !== b.dataSync()[i])) throw new Error('the loaded checkpoint gives other logits');
  console.log(`esm smoke: trained to 20 epochs (resumed from 10), test loss ${second.result.final.testLoss.toFixed(4)}, checkpoints ${(await store.list()).join(',')} ok`);
  tf.dispose([tokens, a, b]);
  [first.model, second.model, loaded].forEach((m) => m.dispose());
} finally {
  await rm(dir, { recursive: true, force: true });
}
