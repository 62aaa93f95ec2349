// The fused one-layer path against the general path (itself checked against PyTorch in gradients.test.ts): logits,
// loss and the gradient of every parameter, for random weights (biases included) and random tokens in any order.
// On cpu the examples go through tfjs ops (examples.ts), on wasm through the row-mix kernels (mixed.ts).
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createRng } from '@grokking/tasks';
import { defineTransformerConfig, type TransformerConfig, type TransformerOptions } from '../config';
import { modularAdditionConfig } from '../presets';
import { loadStateDict, type StateDict } from '../state-dict';
import { createTransformer, type HookedTransformer } from '../transformer';
import { ROW_MIX } from '@grokking/wasm-kernels';
import { fastPathApplies } from './one-layer';

/** A model whose every parameter (biases too) is random, N(0, 0.5^2). */
function randomModel(config: TransformerConfig, seed: number): HookedTransformer {
  const model = createTransformer(config);
  const rng = createRng(seed);
  const dict: StateDict = {};
  for (const [name, v] of Object.entries(model.params)) {
    dict[name] = { shape: [...v.shape], data: Float32Array.from({ length: v.size }, () => 0.5 * rng.normal()) };
  }
  loadStateDict(model, dict);
  return model;
}

/** Random int32 tokens [batch, pos] anywhere in [0, dVocab): no x|y|= structure. */
function randomTokens(batch: number, pos: number, dVocab: number, seed: number): tf.Tensor2D {
  const rng = createRng(seed);
  return tf.tensor2d(Int32Array.from({ length: batch * pos }, () => rng.int(dVocab)), [batch, pos], 'int32');
}

/** A loss that weights every logit differently (so every logit gets its own gradient) plus a cross-entropy. */
function lossOf(logits: tf.Tensor3D, weights: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  const linear = tf.mean(tf.mul(logits, weights)); // weights [batch, 1, vocab]
  const logProbs = tf.logSoftmax(logits); // [batch, 1, vocab]
  const ce = tf.neg(tf.mean(tf.sum(tf.mul(logProbs, targets), -1))); // targets: one-hot [batch, 1, vocab]
  return tf.add(linear, ce) as tf.Scalar;
}

/** max |a - b| / max(max |b|, floor): an error relative to the tensor's scale, robust to float32 reassociation. */
function scaledError(a: tf.Tensor, b: tf.Tensor, floor = 1e-12): number {
  const x = a.dataSync();
  const y = b.dataSync();
  let diff = 0;
  let scale = floor;
  for (let i = 0; i < y.length; i++) {
    diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
    scale = Math.max(scale, Math.abs(y[i]!));
  }
  return diff / scale;
}

/** |a - b| / max(1, |b|) for two scalars. */
function relativeDiff(a: tf.Tensor, b: tf.Tensor): number {
  const [x, y] = [a.dataSync()[0]!, b.dataSync()[0]!];
  return Math.abs(x - y) / Math.max(1, Math.abs(y));
}

/** The largest |gradient| over all parameters. */
function largest(grads: Record<string, tf.Tensor>): number {
  return Math.max(...Object.values(grads).map((g) => tf.tidy(() => tf.max(tf.abs(g)).dataSync()[0]!)));
}

/**
 * Checks every gradient against the general path's, relative to its own scale or, for gradients that are zero in
 * exact arithmetic (b_K: softmax ignores a shift shared by all keys), to 1% of the largest gradient.
 */
function expectSameGrads(fast: Record<string, tf.Tensor>, general: Record<string, tf.Tensor>, label: string): void {
  const floor = 0.01 * largest(general);
  for (const name of Object.keys(general)) {
    const err = scaledError(fast[name]!, general[name]!, floor);
    if (!(err < 1e-4)) throw new Error(`${label}: ${name} gradient differs from the general path's by ${err} of its scale`);
  }
  // The closed form: shifting every key of a head by b_K leaves the softmax unchanged, so its gradient is 0.
  expect(largest({ b_K: fast['blocks.0.attn.b_K']! })).toBeLessThan(1e-5 * largest(general));
}

/** Runs forward + gradients with the fast path on or off; returns the loss, logits and gradients by name. */
function run(model: HookedTransformer, fast: boolean, tokens: tf.Tensor2D, q: number, weights: tf.Tensor, targets: tf.Tensor) {
  model.fastPath = fast;
  const names = Object.keys(model.params);
  const logits = model.forward(tokens, [q]);
  const { value, grads } = tf.variableGrads(() => lossOf(model.forward(tokens, [q]), weights, targets), names.map((n) => model.params[n]!));
  const byName = Object.fromEntries(names.map((n) => [n, grads[model.params[n]!.name]!]));
  return { logits, value, grads: byName };
}

const SMALL: TransformerOptions = { nLayers: 1, dModel: 12, nHeads: 3, dMlp: 20, nCtx: 4, dVocab: 9, dVocabOut: 7 };

describe.each(['cpu', 'wasm'] as const)('fused one-layer path on %s', (backend) => {
  beforeAll(async () => {
    await readyBackend(backend, backend === 'wasm' ? { threads: 1 } : {});
  });

  const cases: Array<[string, TransformerOptions, number, number]> = [
    // label, config, batch, sequence length
    ['ReLU, full context', SMALL, 23, 4],
    ['GELU, full context', { ...SMALL, actFn: 'gelu' }, 17, 4],
    ['ReLU, shorter sequences', { ...SMALL, dHead: 5 }, 11, 3],
  ];
  it.each(cases)('%s: logits, loss and every gradient equal the general path at every position', (_label, options, batch, pos) => {
    const config = defineTransformerConfig(options);
    const model = randomModel(config, 1);
    const tokens = randomTokens(batch, pos, config.dVocab, 2);
    const rng = createRng(3);
    const weights = tf.tensor3d(Float32Array.from({ length: batch * config.dVocabOut }, () => rng.normal()), [batch, 1, config.dVocabOut]);
    const targets = tf.cast(tf.oneHot(randomTokens(batch, 1, config.dVocabOut, 4), config.dVocabOut), 'float32');
    const before = tf.memory().numTensors;
    for (let q = 0; q < pos; q++) {
      expect(fastPathApplies(config, tokens, [q])).toBe(true);
      const fast = run(model, true, tokens, q, weights, targets);
      const general = run(model, false, tokens, q, weights, targets);
      expect(fast.logits.shape).toEqual([batch, 1, config.dVocabOut]);
      expect(scaledError(fast.logits, general.logits)).toBeLessThan(1e-5);
      expect(relativeDiff(fast.value, general.value)).toBeLessThan(1e-6);
      expectSameGrads(fast.grads, general.grads, `q = ${q}`);
      tf.dispose([fast.logits, fast.value, general.logits, general.value, ...Object.values(fast.grads), ...Object.values(general.grads)]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([tokens, weights, targets]);
    model.dispose();
  });

  it.each(['relu', 'gelu'] as const)('agrees when one token occurs at the scored position (x|y|= data), %s', async (actFn) => {
    const config = defineTransformerConfig({ ...SMALL, nCtx: 3, actFn });
    const model = randomModel(config, 11);
    const rng = createRng(12);
    const batch = 29;
    const eq = config.dVocab - 1;
    const tokens = tf.tensor2d(Int32Array.from({ length: batch * 3 }, (_, i) => (i % 3 === 2 ? eq : rng.int(eq))), [batch, 3], 'int32');
    const weights = tf.tensor3d(Float32Array.from({ length: batch * config.dVocabOut }, () => rng.normal()), [batch, 1, config.dVocabOut]);
    const targets = tf.cast(tf.oneHot(randomTokens(batch, 1, config.dVocabOut, 13), config.dVocabOut), 'float32');
    const before = tf.memory().numTensors;
    for (let q = 0; q < 3; q++) {
      const fast = run(model, true, tokens, q, weights, targets);
      const general = run(model, false, tokens, q, weights, targets);
      expect(scaledError(fast.logits, general.logits)).toBeLessThan(1e-5);
      expect(relativeDiff(fast.value, general.value)).toBeLessThan(1e-6);
      expectSameGrads(fast.grads, general.grads, `x|y|= at q = ${q}`);
      tf.dispose([fast.logits, fast.value, general.logits, general.value, ...Object.values(fast.grads), ...Object.values(general.grads)]);
    }
    expect(tf.memory().numTensors).toBe(before);
    if (backend === 'wasm') {
      // At q = 2 every example asks at '=', so the query position folds into the base: 2 positions mixed per head.
      model.fastPath = true;
      const info = await tf.profile(() => model.forward(tokens, [2]));
      const mixes = info.kernels.filter((k) => k.name === ROW_MIX);
      expect(mixes.length).toBe(2);
      for (const k of mixes) expect(k.inputShapes).toContainEqual([batch, config.nHeads, 2]);
    }
    tf.dispose([tokens, weights, targets]);
    model.dispose();
  });

  it('agrees on the write-up model (p = 113) with random weights, and forward takes the fused kernels', async () => {
    const config = modularAdditionConfig(113, 0);
    const model = randomModel(config, 5);
    const tokens = randomTokens(40, 3, config.dVocab, 6);
    const weights = tf.randomNormal([40, 1, config.dVocabOut], 0, 1, 'float32', 7);
    const targets = tf.cast(tf.oneHot(randomTokens(40, 1, config.dVocabOut, 8), config.dVocabOut), 'float32');
    const fast = run(model, true, tokens, 2, weights, targets);
    const general = run(model, false, tokens, 2, weights, targets);
    expect(scaledError(fast.logits, general.logits)).toBeLessThan(1e-5);
    expect(relativeDiff(fast.value, general.value)).toBeLessThan(1e-6);
    expectSameGrads(fast.grads, general.grads, 'p = 113');
    tf.dispose([fast.logits, fast.value, general.logits, general.value, ...Object.values(fast.grads), ...Object.values(general.grads)]);
    // Which path ran: only the fused one picks table rows with GatherNd.
    const kernels = async (fastPath: boolean) => {
      model.fastPath = fastPath;
      const info = await tf.profile(() => model.forward(tokens, [2]));
      return info.kernels.map((k) => k.name);
    };
    expect(await kernels(true)).toContain('GatherNd');
    expect(await kernels(false)).not.toContain('GatherNd');
    // On wasm the examples go through the row-mix kernels; elsewhere through tfjs ops.
    if (backend === 'wasm') expect(await kernels(true)).toContain(ROW_MIX);
    else expect(await kernels(true)).not.toContain(ROW_MIX);
    tf.dispose([tokens, weights, targets]);
    model.dispose();
  });

  it('applies only to 1-layer models without LayerNorm, with an MLP, at one valid position', () => {
    const tokens = tf.zeros([2, 4], 'int32') as tf.Tensor2D;
    const config = defineTransformerConfig(SMALL);
    expect(fastPathApplies(config, tokens, [3])).toBe(true);
    expect(fastPathApplies(config, tokens, [2, 3])).toBe(false);
    expect(fastPathApplies(config, tokens, [4])).toBe(false);
    expect(fastPathApplies(config, tokens, [1.5])).toBe(false);
    expect(fastPathApplies({ ...config, nLayers: 2 }, tokens, [3])).toBe(false);
    expect(fastPathApplies({ ...config, normalizationType: 'LN' }, tokens, [3])).toBe(false);
    expect(fastPathApplies({ ...config, attnOnly: true }, tokens, [3])).toBe(false);
    expect(fastPathApplies({ ...config, nCtx: 3 }, tokens, [2])).toBe(false);
    expect(fastPathApplies(config, tf.zeros([2, 4]), [3])).toBe(false);
    tf.dispose(tokens);
  });
});
