// The Fourier analysis of a modular-addition checkpoint: its key frequencies, neuron clusters and logit fit.
// `node analyze-checkpoint.mjs path/to/epoch-0040000.safetensors` analyses a checkpoint of `grok train`; without an
// argument it trains a small model (p = 23) for 800 epochs, checkpointing in memory, and analyses the last checkpoint.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readyBackend } from '@grokking/backend';
import { modularArithmetic } from '@grokking/tasks';
import { createTransformer, modularAdditionConfig } from '@grokking/model';
import { createMemoryStore, decodeCheckpoint, modelFromCheckpoint, train } from '@grokking/trainer';
import { analyzeModel } from '@grokking/progress-measures';

await readyBackend('wasm', { threads: 1 });
let bytes;
if (process.argv[2]) {
  bytes = new Uint8Array(readFileSync(process.argv[2])); // a plain Uint8Array (Buffer.slice shares memory)
} else {
  const task = modularArithmetic({ p: 23 });
  const { train: trainSet, test } = task.split({ trainFraction: 0.8, seed: 0 });
  const store = createMemoryStore();
  const fresh = createTransformer(modularAdditionConfig(23, { dModel: 32, seed: 0 }));
  await train({ model: fresh, info: task.info, data: { train: trainSet, test }, epochs: 800,
    optimizer: { lr: 0.03, weightDecay: 1 }, evalEvery: 200, checkpoint: { store, every: 800 } });
  fresh.dispose();
  bytes = await store.read((await store.list()).at(-1));
}

const checkpoint = decodeCheckpoint(bytes);
const model = modelFromCheckpoint(checkpoint);
// Every pair (x, y) through the model, then the whole Fourier analysis of what comes out.
const analysis = await analyzeModel(model);
model.dispose();

const { keyFrequencies, neurons, logits: fit, embedding } = analysis;
console.log(`epoch ${checkpoint.epoch}: key frequencies ${keyFrequencies.join(', ')} (from ${analysis.keyFrequencySource})`);
console.log(`clusters: ${neurons.clusters.clusters.map((c) => `freq ${c.freq}: ${c.neurons.length} neurons`).join('; ')}; ${neurons.clusters.unclustered.length} unclustered`);
console.log(`cos(w(x+y-z)) on the key frequencies explains ${(100 * fit.fit.fractionOfVarianceExplained).toFixed(1)}% of the logits' variance`);

assert.ok(keyFrequencies.length > 0, 'a trained model should have key frequencies');
// Independent evidence: the embedding's largest Fourier norms are at the key frequencies.
const top = embedding.norms.freqNorms.map((n, i) => [n, i + 1]).sort((a, b) => b[0] - a[0]).slice(0, keyFrequencies.length);
assert.deepEqual(top.map(([, k]) => k).sort((a, b) => a - b), keyFrequencies, 'key frequencies should carry the largest embedding norms');
assert.ok(fit.fit.fractionOfVarianceExplained > 0.8, 'the logits should be mostly cos(w(x+y-z)) on the key frequencies');
