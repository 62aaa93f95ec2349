// The whole Fourier analysis for subtraction, multiplication and division (and addition): the tensors re-indexed by
// the operation's group (reindex.ts), then analyzeModularAddition over Z_m.
import type * as tf from '@tensorflow/tfjs-core';
import { analyzeModularAddition, type AnalysisOptions, type ModularAdditionAnalysis } from './analyze';
import { operationGroup, type GroupOperation } from './operation-group';
import { reindexInputs, reindexOutputs, reindexTokens } from './reindex';
import { tidyData } from './tidy';

/** Tensors of one checkpoint of a modular operation; every one is optional, as in analyzeModularAddition. */
export interface ModularOperationInputs {
  p: number;
  operation: GroupOperation;
  /** The operands of each input row (e.g. a modular task's `pairs()`, for tensors over its `all()`). */
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  /** [d_vocab, d_model], rows indexed by token. */
  W_E?: tf.Tensor;
  /** MLP activations at the final token, [rows, d_mlp]. */
  neuronActs?: tf.Tensor;
  /** Final-token logits [rows, d_vocab_out]. */
  logits?: tf.Tensor;
  /** W_out·W_U [d_mlp, d_vocab_out]. */
  W_L?: tf.Tensor;
  /** Attention of the final token to the x token per head, [rows, n_heads]. */
  attnPattern?: tf.Tensor;
}

/** The operation's group, as plain data. */
export interface GroupSummary {
  operation: GroupOperation;
  p: number;
  m: number;
  generator: number | null;
  formula: string;
}

/** analyzeModularAddition's result over Z_m (its `p` is m; frequencies are of a + b), and the group. */
export type ModularOperationAnalysis = ModularAdditionAnalysis & { group: GroupSummary };

/**
 * The Fourier analysis of a model of x ∘ y mod p, for ∘ one of add, subtract, multiply, divide: inputs are re-indexed
 * onto the group grid Z_m x Z_m (rows with x or y outside the group, 0 for multiply and divide, are left out),
 * answers and tokens into group order, and analyzeModularAddition reads them with p = m. Its frequencies are then
 * those of a + b: of x - y for subtraction, of log_g x ± log_g y over Z_{p-1} for multiplication and division (the
 * generator g is reported). Inputs stay the caller's; no tensor is left behind.
 *
 * @example
 * const { x, y } = task.pairs(); // modularArithmetic({ p: 113, operation: 'multiply' })
 * const analysis = analyzeModularOperation({ p: 113, operation: 'multiply', xs: x, ys: y, W_E, logits, neuronActs });
 * analysis.group; // { operation: 'multiply', p: 113, m: 112, generator: 3, formula: 'log x + log y' }
 * analysis.keyFrequencies; // frequencies of Z_112
 */
export function analyzeModularOperation(inputs: ModularOperationInputs, options: AnalysisOptions = {}): ModularOperationAnalysis {
  const group = operationGroup(inputs.p, inputs.operation);
  const { xs, ys } = inputs;
  return tidyData(() => {
    const rows = (t: tf.Tensor | undefined) => (t ? reindexInputs(t, group, xs, ys) : undefined); // [m*m, ...]
    const analysis = analyzeModularAddition(
      {
        p: group.m,
        W_E: inputs.W_E ? reindexTokens(inputs.W_E, group) : undefined, // [d_vocab, d_model], group rows first
        neuronActs: rows(inputs.neuronActs), // [m*m, d_mlp]
        logits: inputs.logits ? reindexOutputs(rows(inputs.logits)!, group) : undefined, // [m*m, d_vocab_out], group answers first
        W_L: inputs.W_L ? reindexOutputs(inputs.W_L, group) : undefined, // [d_mlp, d_vocab_out]
        attnPattern: rows(inputs.attnPattern), // [m*m, n_heads]
      },
      options,
    );
    const { operation, p, m, generator, formula } = group;
    return { ...analysis, group: { operation, p, m, generator, formula } };
  });
}
