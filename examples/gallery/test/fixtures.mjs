// The explorer test's checkpoint, committed in fixtures/: a small modular-addition model (p = 23, d_model 32) trained
// in Node until its neurons cluster on two frequencies, and the Node side of the test: the same file analysed by
// @grokking/progress-measures' analyzeModel, whose key frequencies the explorer page must show.
//
// `node test/fixtures.mjs` trains the model again and rewrites the file. It refuses a model whose key frequencies
// would change if any neuron's best fraction of variance moved by MARGIN across the clustering threshold: a GPU's
// float32 rounding (~1e-6 here) must not decide the answer the test compares.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readyBackend } from '@grokking/backend';
import { modularArithmetic } from '@grokking/tasks';
import { createTransformer, loadModel, modularAdditionConfig } from '@grokking/model';
import { createMemoryStore, decodeCheckpoint, modelFromCheckpoint, train } from '@grokking/trainer';
import { analyzeModel } from '@grokking/progress-measures';
import { CLUSTER_THRESHOLD, defaultMinNeurons } from '@grokking/fourier-analysis';

const EPOCHS = 1000;
const MARGIN = 0.01;

/** The committed trainer checkpoint. */
export const CHECKPOINT = fileURLToPath(new URL(`./fixtures/p23-epoch-${EPOCHS}.safetensors`, import.meta.url));

/** The model in a trainer checkpoint file or a saveModel file. */
export function readModel(file, format) {
  const bytes = new Uint8Array(readFileSync(file));
  return format === 'checkpoint' ? modelFromCheckpoint(decodeCheckpoint(bytes)) : loadModel(bytes);
}

/** analyzeModel of a model file on the cpu backend in Node: what the explorer page must agree with. */
export async function nodeAnalysis(file, format) {
  await readyBackend('cpu');
  const model = readModel(file, format);
  try {
    return await analyzeModel(model);
  } finally {
    model.dispose();
  }
}

/** The key frequencies when every neuron's best fraction is moved by `shift` (neurons' cluster rule, clusters.ts). */
function keyFrequenciesShifted(fractions, shift) {
  const counts = new Map();
  for (const row of fractions) {
    const best = Math.max(...row);
    if (best + shift >= CLUSTER_THRESHOLD) counts.set(row.indexOf(best) + 1, (counts.get(row.indexOf(best) + 1) ?? 0) + 1);
  }
  const min = defaultMinNeurons(fractions.length);
  return [...counts].filter(([, n]) => n >= min).map(([k]) => k).sort((a, b) => a - b);
}

async function makeCheckpoint() {
  await readyBackend('wasm', { threads: 1 });
  const p = 23;
  const task = modularArithmetic({ p });
  const { train: trainSet, test } = task.split({ trainFraction: 0.8, seed: 0 });
  const model = createTransformer(modularAdditionConfig(p, { dModel: 32, seed: 0 }));
  const store = createMemoryStore();
  await train({ model, info: task.info, data: { train: trainSet, test }, epochs: EPOCHS, optimizer: { lr: 0.03 },
    evalEvery: EPOCHS, checkpoint: { store, every: EPOCHS } });
  model.dispose();
  const bytes = await store.read(EPOCHS);
  const tmp = `${CHECKPOINT}.tmp`;
  writeFileSync(tmp, bytes);
  const analysis = await nodeAnalysis(tmp, 'checkpoint');
  unlinkSync(tmp);
  const fractions = analysis.neurons.fractions;
  const [lo, hi] = [keyFrequenciesShifted(fractions, -MARGIN), keyFrequenciesShifted(fractions, MARGIN)];
  if (lo.join() !== analysis.keyFrequencies.join() || hi.join() !== analysis.keyFrequencies.join()) {
    throw new Error(`key frequencies ${analysis.keyFrequencies} change within ±${MARGIN} of the threshold (${lo} / ${hi}); not writing ${CHECKPOINT}`);
  }
  writeFileSync(CHECKPOINT, bytes);
  console.log(`wrote ${CHECKPOINT}: key frequencies ${analysis.keyFrequencies} (from ${analysis.keyFrequencySource}), the same within ±${MARGIN} of the threshold`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await makeCheckpoint();
