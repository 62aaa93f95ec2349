/* global AbortController */
// Infinite data: the max element of a sequence (`START a1..a11 END`, the answer after END), learned by a 1-layer
// attention-only transformer from fresh batches every step, so nothing can be memorised. Checked on held-out sequences.
import assert from 'node:assert/strict';
import { readyBackend } from '@grokking/backend';
import { maxElement } from '@grokking/tasks';
import { createTransformer, maxElementConfig } from '@grokking/model';
import { train } from '@grokking/trainer';

await readyBackend('wasm', { threads: 1 });
const task = maxElement(); // 11 elements: ten from 0-9, one from 10-19
const { test } = task.split({ trainSize: 1, testSize: 500, seed: 1 }); // only the test set is used
const model = createTransformer(maxElementConfig(task.info, { dModel: 32, seed: 0 }));

const stop = new AbortController();
const result = await train({
  model, info: task.info, epochs: 500, batchSize: 128, // on sampled data an epoch is one step
  data: { sample: (count, rng) => task.sample(count, rng), test },
  optimizer: { lr: 0.01, weightDecay: 0.1 }, evalEvery: 25, seed: 0, signal: stop.signal,
  onEval: (r) => {
    console.log(`step ${r.epoch}: batch loss ${r.trainLoss.toFixed(4)}, test accuracy ${r.testAccuracy}`);
    if (r.testAccuracy >= 0.99) stop.abort();
  },
});
model.dispose();

assert.ok(result.final.testAccuracy >= 0.99, `test accuracy should reach 99%, got ${result.final.testAccuracy}`);
console.log(`infinite-data: ${(100 * result.final.testAccuracy).toFixed(1)}% of ${test.size} held-out sequences after ${result.step} steps`);
