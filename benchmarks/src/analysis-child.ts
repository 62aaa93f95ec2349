// Child process: times the analysis of one p 113 checkpoint of the write-up's model on one backend and prints one JSON
// line: the whole Fourier analysis (analyzeModel: every pair through the model, then key frequencies, clusters, 2D
// norms, the logit fit, W_L, attention) and the progress measures (measureCheckpoint: losses, excluded and restricted
// loss, Gini, sum of squared weights). Usage: node dist/analysis-child.js --backend wasm [--repeats 5]
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createTransformer, modularAdditionConfig } from '@grokking/model';
import { analyzeModularAddition } from '@grokking/fourier-analysis';
import { analyzeModel, fourierMaps, measureCheckpoint, scoredLogits } from '@grokking/progress-measures';
import { modularArithmetic } from '@grokking/tasks';
import { median } from './timing';
import { arg } from './child-args';

/** What the analysis child reports. */
export interface AnalysisResult {
  backend: string;
  threads: number | null;
  /** analyzeModel: the forward pass over all p² pairs and the whole Fourier analysis. */
  fourierS: number[];
  /** analyzeModularAddition alone, given the activations, logits and weight maps (no forward pass). */
  activationsS: number[];
  /** measureCheckpoint: every progress measure of the checkpoint. */
  measuresS: number[];
  tensorsLeaked: number;
}


async function timed(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return (performance.now() - t) / 1000;
}

async function main(): Promise<void> {
  const info = await readyBackend(arg('backend', 'wasm'));
  const repeats = Number(arg('repeats', '5'));
  const task = modularArithmetic({ p: 113 });
  const split = task.split({ trainFraction: 0.3, seed: 0 });
  // A freshly initialised checkpoint does the same arithmetic as a trained one; key frequencies are then given, so
  // the excluded and restricted losses run over as many frequencies as the write-up's model uses.
  const model = createTransformer(modularAdditionConfig(113, 0));
  const keyFrequencies = [14, 35, 41, 42, 52];
  const before = tf.memory().numTensors;
  const all = task.all();
  const { logits, acts } = scoredLogits(model, all, task.info, { hook: 'blocks.0.mlp.hook_post' }); // [p*p, p], [p*p, d_mlp]
  const { W_E, W_L } = fourierMaps(model.params); // [p+1, d_model], [d_mlp, p]
  const fourierS: number[] = [];
  const activationsS: number[] = [];
  const measuresS: number[] = [];
  for (let i = 0; i <= repeats; i++) {
    const f = await timed(() => analyzeModel(model));
    const a = await timed(async () => analyzeModularAddition({ p: 113, W_E, W_L: W_L!, logits, neuronActs: acts! }));
    const m = await timed(() => measureCheckpoint({ model, task, split, keyFrequencies }));
    if (i > 0) { fourierS.push(f); activationsS.push(a); measuresS.push(m); } // the first run warms up
  }
  tf.dispose([logits, acts!, W_E, W_L!]);
  const result: AnalysisResult = { backend: info.active, threads: info.threads ?? null, fourierS, activationsS, measuresS,
    tensorsLeaked: tf.memory().numTensors - before };
  model.dispose();
  console.error(`analysis on ${info.active}: Fourier ${median(fourierS).toFixed(3)} s (of activations ${median(activationsS).toFixed(3)} s), measures ${median(measuresS).toFixed(3)} s`);
  console.log(JSON.stringify(result));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
