// End to end with the real models: a small modular-addition transformer memorises, then generalises; its
// checkpoints load back into @grokking/model. Runs on the wasm backend (about 10x faster than cpu here).
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createTransformer, modularAdditionConfig, type Model } from '@grokking/model';
import { modularArithmetic } from '@grokking/tasks';
import { decodeCheckpoint, modelFromCheckpoint } from './checkpoint';
import type { EvalRecord } from './options';
import { createMemoryStore } from './store';
import { train } from './train';

jest.setTimeout(120_000);

describe('grokking modular addition with the real transformer', () => {
  beforeAll(async () => {
    await readyBackend('wasm', { threads: 1 });
  });

  it('memorises first (train accuracy 100%, test far below) and generalises later (test accuracy 100%)', async () => {
    // p = 23, 60% of the pairs for training; 1 layer, d_model 32, 4 heads of 8, d_mlp 64, no LayerNorm; AdamW with
    // the write-up's betas and warm-up, lr 1e-2, weight decay 1. Train accuracy reaches 100% in ~75 epochs while the
    // test loss climbs (memorisation); the test accuracy reaches 100% a few hundred epochs later.
    const p = 23;
    const task = modularArithmetic({ p });
    const { train: trainSet, test } = task.split({ trainFraction: 0.6, seed: 0 });
    const model = createTransformer(modularAdditionConfig(task.info, { dModel: 32, nHeads: 4, dMlp: 64, seed: 1 }));
    const before = tf.memory().numTensors;
    const records: EvalRecord[] = [];
    const controller = new AbortController();
    const result = await train({
      model, info: task.info, data: { train: trainSet, test }, epochs: 3000, evalEvery: 25, signal: controller.signal,
      optimizer: { name: 'adamw', lr: 1e-2, weightDecay: 1, betas: [0.9, 0.98], warmupSteps: 10 },
      onEval: (r) => {
        records.push(r);
        if (r.testAccuracy === 1) controller.abort(); // generalised: no need to run on
      },
    });
    const memorised = records.find((r) => r.trainAccuracy === 1);
    const generalised = records.find((r) => r.testAccuracy === 1);
    expect(memorised).toBeDefined();
    expect(generalised).toBeDefined();
    expect(memorised!.epoch).toBeLessThan(generalised!.epoch);
    expect(memorised!.testAccuracy!).toBeLessThan(0.8); // at memorisation the test set is far from solved
    // Memorisation makes the test loss rise above its initial value before it falls.
    const initialTestLoss = records[0]!.testLoss!;
    expect(Math.max(...records.filter((r) => r.epoch <= memorised!.epoch + 100).map((r) => r.testLoss!))).toBeGreaterThan(initialTestLoss);
    expect(generalised!.epoch - memorised!.epoch).toBeGreaterThanOrEqual(100);
    expect(result.stopped).toBe('aborted');
    expect(result.final.testLoss!).toBeLessThan(0.1);
    expect(tf.memory().numTensors).toBe(before); // the trainer leaves nothing behind
    model.dispose();
  });

  it('writes checkpoints that @grokking/model loads back into the same model', async () => {
    const task = modularArithmetic({ p: 7 });
    const { train: trainSet } = task.split({ trainFraction: 0.5, seed: 0 });
    const model = createTransformer(modularAdditionConfig(task.info, { dModel: 16, nHeads: 2, seed: 3 }));
    const asTrainable: Model = model; // the trainer takes any Model
    const store = createMemoryStore();
    await train({ model: asTrainable, info: task.info, data: { train: trainSet }, epochs: 5, checkpoint: { store, every: 5 } });
    const checkpoint = decodeCheckpoint(await store.read(5));
    expect(Object.keys(checkpoint.params).sort()).toEqual(Object.keys(model.params).sort());
    expect(Object.keys(checkpoint.optimizerState).sort()).toEqual(
      Object.keys(model.params).flatMap((n) => [`m.${n}`, `v.${n}`]).sort(),
    );
    expect(checkpoint.model).toEqual({ kind: 'transformer', config: model.config });
    const loaded = modelFromCheckpoint(checkpoint);
    const tokens = tf.tensor2d(trainSet.tokens, [trainSet.size, 3], 'int32');
    const [a, b] = [model.forward(tokens, [2]), loaded.forward(tokens, [2])];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([tokens, a, b]);
    loaded.dispose();
    model.dispose();
  });
});
