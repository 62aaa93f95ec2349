// Opening a checkpoint (a trainer checkpoint or a saveModel file), running every pair (x, y) through the model, and
// the Fourier analysis of what comes out.
import * as tf from '@tensorflow/tfjs-core';
import { decodeSafetensors, loadModel, type HookedMlp, type HookedTransformer, type TransformerConfig } from '@grokking/model';
import { CHECKPOINT_FORMAT, decodeCheckpoint, modelFromCheckpoint } from '@grokking/trainer';
import { analyzeModularAddition, type ModularAdditionAnalysis } from '@grokking/fourier-analysis';
import { fourierMaps } from '@grokking/progress-measures';
import { modularArithmetic } from '@grokking/tasks';

/** A model read from a file. */
export interface OpenedModel {
  model: HookedTransformer | HookedMlp;
  format: 'trainer checkpoint' | 'saved model';
  epoch: number | null;
}

/** Reads a trainer checkpoint (model, optimiser and RNG state) or a `saveModel` file. */
export function openModel(bytes: Uint8Array): OpenedModel {
  const { metadata } = decodeSafetensors(bytes);
  if (metadata['grokking.format'] === CHECKPOINT_FORMAT) {
    const checkpoint = decodeCheckpoint(bytes);
    return { model: modelFromCheckpoint(checkpoint), format: 'trainer checkpoint', epoch: checkpoint.epoch };
  }
  return { model: loadModel(bytes), format: 'saved model', epoch: null };
}

/** The modulus of a modular-addition model, or an error naming what does not fit. */
export function modulusOf(model: HookedTransformer | HookedMlp): number {
  if (model.kind === 'mlp') return model.config.p;
  const c: TransformerConfig = model.config;
  if (c.nCtx !== 3 || c.dVocab !== c.dVocabOut + 1) {
    throw new Error(`expected a modular-addition transformer (n_ctx 3, d_vocab = d_vocab_out + 1), got n_ctx ${c.nCtx}, d_vocab ${c.dVocab}, d_vocab_out ${c.dVocabOut}`);
  }
  return c.dVocabOut;
}

/** A tensor read back to the CPU. */
interface Host {
  shape: number[];
  values: Float32Array;
}

/** What the analysis needs, read back from the model's backend, so it can run on another. */
export interface ModelOutputs {
  p: number;
  W_E: Host;
  W_L: Host | null;
  logits: Host;
  neuronActs: Host | null;
  attnPattern: Host | null;
}

async function toHost(t: tf.Tensor): Promise<Host> {
  return { shape: [...t.shape], values: (await t.data()) as Float32Array };
}

/** Runs every pair through the model on its backend and reads the outputs back (asynchronously, as WebGPU wants). */
export async function modelOutputs(model: HookedTransformer | HookedMlp): Promise<ModelOutputs> {
  const p = modulusOf(model);
  const all = modularArithmetic({ p }).all();
  const last = model.kind === 'transformer' ? `blocks.${model.config.nLayers - 1}.` : '';
  const hasMlp = model.kind === 'mlp' || !model.config.attnOnly;
  const neuronHook = `${last}mlp.hook_post`;
  const patternHook = `${last}attn.hook_pattern`;
  const names = [...(hasMlp ? [neuronHook] : []), ...(model.kind === 'transformer' ? [patternHook] : [])];
  const tokens = tf.tensor2d(all.tokens, [all.size, 3], 'int32'); // [p*p, 3]: x | y | =
  const { logits, cache } = (model as HookedTransformer).runWithCache(tokens, { names: names as never, positions: [2] }); // [p*p, 1, d_vocab_out]
  const { W_E, W_L } = fourierMaps(model.params); // [d_vocab, d_model], [d_mlp, d_vocab_out]
  const made: Record<'logits' | 'neuronActs' | 'attnPattern', tf.Tensor | null> = {
    logits: tf.reshape(logits, [all.size, -1]), // [p*p, d_vocab_out]
    neuronActs: hasMlp ? tf.reshape(cache.get(neuronHook as never), [all.size, -1]) : null, // [p*p, d_mlp]
    // Attention from the final token (=) to the x token, per head.
    attnPattern: cache.has(patternHook as never)
      ? tf.tidy(() => tf.reshape(tf.slice(cache.get(patternHook as never), [0, 0, 0, 0], [-1, -1, 1, 1]), [all.size, -1])) // [p*p, n_heads]
      : null,
  };
  try {
    return {
      p, W_E: await toHost(W_E), W_L: W_L ? await toHost(W_L) : null, logits: await toHost(made.logits!),
      neuronActs: made.neuronActs ? await toHost(made.neuronActs) : null,
      attnPattern: made.attnPattern ? await toHost(made.attnPattern) : null,
    };
  } finally {
    tf.dispose([tokens, logits, W_E, ...(W_L ? [W_L] : []), ...Object.values(made).filter((t): t is tf.Tensor => t !== null)]);
    cache.dispose();
  }
}

/** The analysis and the raw activations the explorer's heatmaps show. */
export interface Exploration {
  p: number;
  analysis: ModularAdditionAnalysis;
  /** A few neurons' activations over the p x p inputs (x-major): the first neuron of each of the largest clusters. */
  neurons: { neuron: number; freq: number | null; values: Float32Array }[];
  /** Per head: attention from `=` to x over the p x p inputs; null for the MLP model. */
  attention: Float32Array[] | null;
}

/** The Fourier analysis of a model's outputs, on the active backend. */
export function analyzeOutputs(o: ModelOutputs, maxNeurons = 4): Exploration {
  const { p } = o;
  const t = (h: Host | null) => (h ? tf.tensor(h.values, h.shape) : undefined);
  const inputs = { p, W_E: t(o.W_E), W_L: t(o.W_L), logits: t(o.logits), neuronActs: t(o.neuronActs), attnPattern: t(o.attnPattern) };
  try {
    const analysis = analyzeModularAddition(inputs);
    const column = (h: Host, j: number) => Float32Array.from({ length: p * p }, (_, i) => h.values[i * h.shape[1]! + j]!);
    const picked = (analysis.neurons?.clusters.clusters ?? [])
      .slice().sort((a, b) => b.neurons.length - a.neurons.length)
      .slice(0, maxNeurons).map((c) => ({ neuron: c.neurons[0]!, freq: c.freq as number | null }));
    if (!picked.length && o.neuronActs) picked.push({ neuron: 0, freq: null });
    const neurons = picked.map(({ neuron, freq }) => ({ neuron, freq, values: column(o.neuronActs!, neuron) }));
    const attention = o.attnPattern ? Array.from({ length: o.attnPattern.shape[1]! }, (_, h) => column(o.attnPattern!, h)) : null;
    return { p, analysis, neurons, attention };
  } finally {
    tf.dispose(Object.values(inputs).filter((v): v is tf.Tensor => v instanceof tf.Tensor));
  }
}
