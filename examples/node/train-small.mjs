/* global AbortController */
// Train the write-up's modular-addition transformer, shrunk to p = 23 and d_model 32, until it gets every held-out
// pair right. With 80% of the pairs and a large learning rate it generalises within a few hundred epochs.
import assert from 'node:assert/strict';
import { readyBackend } from '@grokking/backend';
import { modularArithmetic } from '@grokking/tasks';
import { createTransformer, modularAdditionConfig } from '@grokking/model';
import { train } from '@grokking/trainer';

await readyBackend('wasm', { threads: 1 });
const p = 23;
const task = modularArithmetic({ p, operation: 'add' });
const { train: trainSet, test } = task.split({ trainFraction: 0.8, seed: 0 });
const model = createTransformer(modularAdditionConfig(p, { dModel: 32, seed: 0 })); // 4 heads of 8, d_mlp 128

// Stop as soon as an evaluation sees 100% test accuracy.
const stop = new AbortController();
const result = await train({
  model, info: task.info, data: { train: trainSet, test }, epochs: 2000,
  optimizer: { name: 'adamw', lr: 0.03, weightDecay: 1 }, evalEvery: 50, signal: stop.signal,
  onEval: (r) => {
    console.log(`epoch ${r.epoch}: train loss ${r.trainLoss.toFixed(4)}, test loss ${r.testLoss?.toFixed(4)}, test accuracy ${r.testAccuracy}`);
    if (r.testAccuracy === 1) stop.abort();
  },
});
model.dispose();

assert.equal(result.final.testAccuracy, 1, `test accuracy should reach 100%, got ${result.final.testAccuracy}`);
assert.equal(result.stopped, 'aborted', 'training should stop early, once every test pair is right');
console.log(`train-small: 100% test accuracy on ${test.size} unseen pairs after ${result.epoch} epochs`);
