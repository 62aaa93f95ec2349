// The write-up's models. Sizes the write-up (and its notebooks) state are used as given; where it says nothing
// (the attention-only models' widths) we chose 128 wide with 4 heads of 32, no LayerNorm, like the others.
// Vocabulary sizes and context length always come from the task.
import type { TaskInfo } from '@grokking/tasks';
import { type MlpConfig, type TransformerConfig, defineMlpConfig, defineTransformerConfig } from './config';

/** What a preset needs from a task. */
export type TaskShape = Pick<TaskInfo, 'dVocab' | 'dVocabOut' | 'nCtx'>;

/** Overrides for a preset: any config field, or just a seed. */
export type PresetOverrides = Partial<TransformerConfig> | number;

function withOverrides(base: Parameters<typeof defineTransformerConfig>[0], overrides: PresetOverrides = {}): TransformerConfig {
  const extra = typeof overrides === 'number' ? { seed: overrides } : overrides;
  return defineTransformerConfig({ ...base, ...extra });
}

/**
 * The modular-addition transformer: 1 layer, d_model 128, 4 heads of 32, d_mlp 512, ReLU, no LayerNorm, learned
 * positional embeddings; input x|y|= (vocab p + 1, the last token is '='), output p classes.
 *
 * @param task a modulus p, or the task's sizes (dVocab, dVocabOut, nCtx).
 * @param overrides a seed, or config fields to change.
 * @example
 * modularAdditionConfig(113, 0); // { nLayers: 1, dModel: 128, ..., dVocab: 114, dVocabOut: 113, nCtx: 3, seed: 0 }
 */
export function modularAdditionConfig(task: number | TaskShape, overrides?: PresetOverrides): TransformerConfig {
  const shape = typeof task === 'number' ? { dVocab: task + 1, dVocabOut: task, nCtx: 3 } : pickShape(task);
  // d_head = d_model / n_heads = 32 and d_mlp = 4 d_model = 512 are derived, so they follow an overridden d_model.
  return withOverrides({ nLayers: 1, dModel: 128, nHeads: 4, actFn: 'relu', normalizationType: 'none', ...shape }, overrides);
}

/**
 * The 2-layer attention-only transformer for predicting repeated subsequences (it needs induction heads).
 *
 * @example
 * repeatedSubsequenceConfig(taskInfo, { seed: 3 });
 */
export function repeatedSubsequenceConfig(task: TaskShape, overrides?: PresetOverrides): TransformerConfig {
  return withOverrides({ nLayers: 2, dModel: 128, nHeads: 4, attnOnly: true, ...pickShape(task) }, overrides);
}

/**
 * The 1-layer attention-only transformer for finding the max element (it needs skip trigrams).
 *
 * @example
 * maxElementConfig(taskInfo);
 */
export function maxElementConfig(task: TaskShape, overrides?: PresetOverrides): TransformerConfig {
  return withOverrides({ nLayers: 1, dModel: 128, nHeads: 4, attnOnly: true, ...pickShape(task) }, overrides);
}

/**
 * The 1-layer transformer for n-digit addition, as in the write-up's notebook: d_model 512, 4 heads of 128,
 * d_mlp 2048, ReLU, no LayerNorm.
 *
 * @example
 * digitAdditionConfig(taskInfo, { dModel: 128 }); // a smaller variant: heads of 32, d_mlp 512
 */
export function digitAdditionConfig(task: TaskShape, overrides?: PresetOverrides): TransformerConfig {
  return withOverrides({ nLayers: 1, dModel: 512, nHeads: 4, actFn: 'relu', normalizationType: 'none', ...pickShape(task) }, overrides);
}

/**
 * The write-up's 2-layer MLP for modular arithmetic mod p (width 256 unless given).
 *
 * @example
 * modularAdditionMlpConfig(113, { dHidden: 512 });
 */
export function modularAdditionMlpConfig(p: number, overrides: Partial<MlpConfig> | number = {}): MlpConfig {
  const extra = typeof overrides === 'number' ? { seed: overrides } : overrides;
  return defineMlpConfig({ ...extra, p });
}

function pickShape(task: TaskShape): TaskShape {
  if (task === null || typeof task !== 'object') throw new Error(`expected a task's sizes { dVocab, dVocabOut, nCtx }, got ${String(task)}`);
  return { dVocab: task.dVocab, dVocabOut: task.dVocabOut, nCtx: task.nCtx };
}
