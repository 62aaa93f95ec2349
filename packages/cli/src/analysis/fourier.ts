// The Fourier analysis of one trained model on modular addition: run it on all p² inputs, read the neurons,
// attention and weights it needs, and hand them to @grokking/fourier-analysis.
import * as tf from '@tensorflow/tfjs-core';
import { analyzeModularAddition, type ModularAdditionAnalysis } from '@grokking/fourier-analysis';
import type { Model } from '@grokking/model';
import { fourierMaps, neuronHook, scoredLogits } from '@grokking/progress-measures';
import type { ModularTask } from '@grokking/tasks';

interface CachingModel {
  runWithCache(tokens: tf.Tensor2D, options: { names?: readonly string[]; positions?: readonly number[] }):
    { logits: tf.Tensor3D; cache: { get(name: string): tf.Tensor; dispose(): void } };
}

/**
 * Attention from the scored (`=`) position to the x token, per head: [p*p, n_heads], x-major. Null for the MLP.
 * The last layer's pattern is read, [batch, n_heads, 1, n_ctx] at the scored position.
 */
function attentionToX(model: Model, tokens: Int32Array, count: number, nCtx: number, positions: readonly number[]): tf.Tensor2D | null {
  if (model.kind !== 'transformer') return null;
  const nLayers = (model.config as { nLayers: number }).nLayers;
  const name = `blocks.${nLayers - 1}.attn.hook_pattern`;
  const t = tf.tensor2d(tokens, [count, nCtx], 'int32'); // [count, n_ctx]
  try {
    const { logits, cache } = (model as unknown as CachingModel).runWithCache(t, { names: [name], positions });
    logits.dispose();
    try {
      return tf.tidy(() => {
        const pattern = cache.get(name); // [count, n_heads, 1, n_ctx]
        return tf.reshape(tf.slice(pattern, [0, 0, 0, 0], [-1, -1, 1, 1]), [count, -1]) as tf.Tensor2D; // [count, n_heads]
      });
    } finally {
      cache.dispose();
    }
  } finally {
    t.dispose();
  }
}

/** A few activations over all p² inputs (x-major), kept for the report's heatmaps. */
export interface ActivationSamples {
  /** One neuron from each of the largest clusters (up to four): its activation at every (x, y). */
  neurons: { neuron: number; freq: number | null; values: number[] }[];
  /** Each head's attention from `=` to the x token at every (x, y). */
  attention: { head: number; values: number[] }[];
}

/** The model's Fourier analysis plus the samples the report draws. */
export type ModelAnalysis = ModularAdditionAnalysis & { samples: ActivationSamples };

// 4 significant digits is plenty for a heatmap and keeps analysis.json small.
const round = (v: number) => Number(v.toPrecision(4));

function columns(t: tf.Tensor2D | null, picks: number[]): number[][] {
  if (!t || picks.length === 0) return [];
  const [rows, cols] = t.shape;
  const data = t.dataSync();
  return picks.map((c) => Array.from({ length: rows }, (_, r) => round(data[r * cols + c]!)));
}

/**
 * The whole Fourier analysis of a model trained on modular addition mod p (key frequencies, embedding norms and circles,
 * neuron clusters, 2D Fourier norms of neurons and logits, the cos(w(x+y-z)) fit, W_L, attention frequencies).
 *
 * @example
 * const analysis = analyzeModel(model, modularArithmetic({ p: 113 }));
 * analysis.keyFrequencies; // e.g. [14, 35, 41, 42, 52]
 */
export function analyzeModel(model: Model, task: ModularTask): ModelAnalysis {
  const all = task.all();
  const { info, p } = task;
  const positions = info.fixedPositions!;
  const hook = neuronHook(model);
  const { logits, acts } = scoredLogits(model, all, info, { hook: hook ?? undefined }); // [p*p, p], [p*p, d_mlp]
  const maps = fourierMaps(model.params);
  const attn = attentionToX(model, all.tokens, all.size, info.nCtx, positions);
  try {
    const analysis = analyzeModularAddition({
      p,
      W_E: maps.W_E,
      W_L: maps.W_L ?? undefined,
      neuronActs: acts ?? undefined,
      logits,
      attnPattern: attn ?? undefined,
    });
    const clusters = [...(analysis.neurons?.clusters.clusters ?? [])].sort((a, b) => b.neurons.length - a.neurons.length).slice(0, 4);
    const picked: { neuron: number; freq: number | null }[] = clusters.map((c) => ({ neuron: c.neurons[0]!, freq: c.freq }));
    if (picked.length === 0 && acts) picked.push({ neuron: 0, freq: null });
    const neuronValues = columns(acts, picked.map((n) => n.neuron));
    const heads = attn ? Array.from({ length: attn.shape[1] }, (_, h) => h) : [];
    const attnValues = columns(attn, heads);
    return {
      ...analysis,
      samples: {
        neurons: picked.map((n, i) => ({ ...n, values: neuronValues[i]! })),
        attention: heads.map((h) => ({ head: h, values: attnValues[h]! })),
      },
    };
  } finally {
    tf.dispose([logits, ...(acts ? [acts] : []), ...(attn ? [attn] : []), maps.W_E, ...(maps.W_L ? [maps.W_L] : [])]);
  }
}
