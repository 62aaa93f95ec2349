// The Fourier analysis of a whole model trained on modular addition: every pair (x, y) goes through the model once,
// the neurons, attention and weight maps the analysis reads are collected, and @grokking/fourier-analysis takes it
// from there. Shared by the CLI's analysis.json, the gallery's checkpoint explorer and the examples.
import * as tf from '@tensorflow/tfjs-core';
import {
  analyzeModularAddition,
  analyzeModularOperation,
  type AnalysisOptions,
  type GroupOperation,
  type GroupSummary,
  type ModularAdditionAnalysis,
} from '@grokking/fourier-analysis';
import { isModelKind, type Model } from '@grokking/model';
import { modularArithmetic } from '@grokking/tasks';
import { canCache } from './scored-logits';
import { fourierMaps } from './weights';

/** A few activations over all p² inputs (x-major), for heatmaps. */
export interface ActivationSamples {
  /** The first neuron of each of the largest clusters (or neuron 0 when none): its activation at every (x, y). */
  neurons: { neuron: number; freq: number | null; values: number[] }[];
  /** Per head of the last layer: attention from `=` to the x token at every (x, y); empty for the MLP. */
  attention: { head: number; values: number[] }[];
}

/**
 * {@link analyzeModel}'s result: the Fourier analysis plus the sampled activations; for an operation other than
 * addition, the group it was read in (its frequencies are those of the group's a + b) and no samples.
 */
export type ModelAnalysis = ModularAdditionAnalysis & { samples: ActivationSamples; group?: GroupSummary };

/** Options of {@link analyzeModel}. */
export interface AnalyzeModelOptions extends AnalysisOptions {
  /** Neurons sampled for heatmaps (default 4). */
  maxNeurons?: number;
  /** Examples per forward pass (default 4096). */
  batchSize?: number;
  /**
   * The model's operation (default `add`). Subtraction, multiplication and division are read after re-indexing the
   * inputs so the operation is addition in a cyclic group (analyzeModularOperation of @grokking/fourier-analysis).
   */
  operation?: GroupOperation;
}

/**
 * The modulus of a model of modular addition: an MLP's `p`, or a transformer's d_vocab_out when it reads `x y =`
 * (n_ctx 3, d_vocab = d_vocab_out + 1).
 *
 * @throws naming the config when the model does not fit.
 * @example
 * modulusOf(createTransformer(modularAdditionConfig(113))); // 113
 */
export function modulusOf(model: Model): number {
  if (isModelKind(model, 'mlp')) return model.config.p;
  if (!isModelKind(model, 'transformer')) throw new Error(`expected a modular-addition model (a transformer or the MLP), got a ${model.kind} model`);
  const c = model.config;
  if (c.nCtx !== 3 || c.dVocab !== c.dVocabOut + 1) {
    throw new Error(`expected a modular-addition model (n_ctx 3, d_vocab = d_vocab_out + 1), got n_ctx ${c.nCtx}, d_vocab ${c.dVocab}, d_vocab_out ${c.dVocabOut}`);
  }
  return c.dVocabOut;
}

// 4 significant digits is plenty for a heatmap and keeps JSON small.
const round = (v: number) => Number(v.toPrecision(4));

function column(values: Float32Array, cols: number, j: number): number[] {
  return Array.from({ length: values.length / cols }, (_, i) => round(values[i * cols + j]!));
}

/**
 * Runs all p² pairs through a modular-addition model (a transformer or the MLP of `@grokking/model`) and returns its
 * whole Fourier analysis: key frequencies, W_E norms and circles, neuron clusters and 2D norms, the logits' 2D norms
 * and Σ α cos(w(x+y-z)) fit, W_L, attention frequencies, and sampled neuron and attention maps. Outputs are read back
 * asynchronously (WebGPU-friendly); no tensor is left behind.
 *
 * @example
 * const analysis = await analyzeModel(modelFromCheckpoint(decodeCheckpoint(bytes)));
 * analysis.keyFrequencies; // e.g. [14, 35, 41, 42, 52]
 */
export async function analyzeModel(model: Model, options: AnalyzeModelOptions = {}): Promise<ModelAnalysis> {
  const { maxNeurons = 4, batchSize = 4096, operation = 'add', ...analysisOptions } = options;
  if (!canCache(model)) throw new Error(`analyzeModel needs a model with runWithCache; this ${model.kind} model has none`);
  const p = modulusOf(model);
  const all = modularArithmetic({ p, operation }).all();
  const transformer = isModelKind(model, 'transformer') ? model.config : null;
  const last = transformer ? `blocks.${transformer.nLayers - 1}.` : '';
  const neuronHook = !transformer?.attnOnly ? `${last}mlp.hook_post` : null;
  const patternHook = transformer ? `${last}attn.hook_pattern` : null;
  const names = [neuronHook, patternHook].filter((n): n is string => n !== null);

  const parts: Record<'logits' | 'acts' | 'attn', tf.Tensor2D[]> = { logits: [], acts: [], attn: [] };
  const made: tf.Tensor[] = [];
  try {
    for (let start = 0; start < all.size; start += batchSize) {
      const count = Math.min(batchSize, all.size - start);
      const tokens = tf.tensor2d(all.tokens.subarray(start * 3, (start + count) * 3), [count, 3], 'int32'); // [count, 3]: x | y | =
      const { logits, cache } = model.runWithCache(tokens, { names, positions: [2] }); // [count, 1, d_vocab_out]
      try {
        parts.logits.push(tf.reshape(logits, [count, -1])); // [count, d_vocab_out]
        if (neuronHook) parts.acts.push(tf.reshape(cache.get(neuronHook), [count, -1])); // [count, d_mlp]
        // Attention of the `=` position to the x token, per head: pattern [count, n_heads, 1, n_ctx] at key 0.
        if (patternHook) parts.attn.push(tf.tidy(() => tf.reshape(tf.slice(cache.get(patternHook), [0, 0, 0, 0], [-1, -1, 1, 1]), [count, -1]))); // [count, n_heads]
      } finally {
        tf.dispose([tokens, logits]);
        cache.dispose();
      }
    }
    const join = (ts: tf.Tensor2D[]) => (ts.length === 0 ? null : ts.length === 1 ? ts[0]! : tf.concat(ts, 0));
    const logits = join(parts.logits)!; // [p*p, d_vocab_out]
    const acts = join(parts.acts); // [p*p, d_mlp] or null
    const attn = join(parts.attn); // [p*p, n_heads] or null
    made.push(logits, ...(acts ? [acts] : []), ...(attn ? [attn] : []));
    const { W_E, W_L } = fourierMaps(model.params); // [d_vocab, d_model], [d_mlp, d_vocab_out]
    made.push(W_E, ...(W_L ? [W_L] : []));

    const inputs = { p, W_E, W_L: W_L ?? undefined, logits, neuronActs: acts ?? undefined, attnPattern: attn ?? undefined };
    if (operation !== 'add') {
      // x and y of every row, read from its tokens [x, y, =]; the heatmap samples are on the p x p grid of addition only.
      const xs = Array.from({ length: all.size }, (_, i) => all.tokens[3 * i]!);
      const ys = Array.from({ length: all.size }, (_, i) => all.tokens[3 * i + 1]!);
      return { ...analyzeModularOperation({ ...inputs, operation, xs, ys }, analysisOptions), samples: { neurons: [], attention: [] } };
    }
    const analysis = analyzeModularAddition(inputs, analysisOptions);
    const picked: { neuron: number; freq: number | null }[] = [...(analysis.neurons?.clusters.clusters ?? [])]
      .sort((a, b) => b.neurons.length - a.neurons.length)
      .slice(0, maxNeurons)
      .map((cl) => ({ neuron: cl.neurons[0]!, freq: cl.freq }));
    if (picked.length === 0 && acts) picked.push({ neuron: 0, freq: null });
    const actValues = acts ? ((await acts.data()) as Float32Array) : null;
    const attnValues = attn ? ((await attn.data()) as Float32Array) : null;
    return {
      ...analysis,
      samples: {
        neurons: actValues ? picked.map((n) => ({ ...n, values: column(actValues, acts!.shape[1], n.neuron) })) : [],
        attention: attnValues ? Array.from({ length: attn!.shape[1] }, (_, head) => ({ head, values: column(attnValues, attn!.shape[1], head) })) : [],
      },
    };
  } finally {
    // A part may also be its joined tensor; disposing a tensor twice is a no-op.
    tf.dispose([...parts.logits, ...parts.acts, ...parts.attn, ...made]);
  }
}
