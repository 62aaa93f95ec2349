// The write-up's architectures: one table of named shapes, read by the preset functions below and by the run recipes
// of @grokking/experiments. Sizes the write-up states are used as given; where it says nothing (the attention-only
// models' widths, the digit-addition model) we chose 128 wide with 4 heads of 32, no LayerNorm, like the seed run.
// Vocabulary sizes and context length always come from the task; d_head and d_mlp are derived from d_model.
import type { TaskInfo } from '@grokking/tasks';
import { type MlpConfig, type TransformerConfig, defineMlpConfig, defineTransformerConfig } from './config';

/** What a preset needs from a task. */
export type TaskShape = Pick<TaskInfo, 'dVocab' | 'dVocabOut' | 'nCtx'>;

/** A transformer's shape without what the task and the seed give; dHead and dMlp are derived when left out. */
export type TransformerArchitecture = Pick<TransformerConfig, 'nLayers' | 'dModel' | 'nHeads' | 'actFn' | 'normalizationType' | 'attnOnly'> &
  Partial<Pick<TransformerConfig, 'dHead' | 'dMlp'>>;

/** The 2-layer MLP's shape without the modulus and the seed. */
export type MlpArchitecture = Pick<MlpConfig, 'dHidden' | 'actFn'>;

/** The 1-layer transformer of the write-up's seed run: d_model 128, 4 heads (of 32), d_mlp 512 (4 d_model), ReLU. */
const oneLayer: TransformerArchitecture = { nLayers: 1, dModel: 128, nHeads: 4, actFn: 'relu', normalizationType: 'none', attnOnly: false };

/**
 * Every named architecture. `digitAddition` is the seed run's shape: the write-up's notebook used d_model 512 (16x
 * the compute), too slow for 30k epochs on a laptop; pass `{ dModel: 512 }` for it.
 */
export const ARCHITECTURES = {
  /** 1L transformer for modular arithmetic (the seed run). */
  modularAddition: oneLayer,
  /** 1L transformer for n-digit addition. */
  digitAddition: oneLayer,
  /** 2L attention-only transformer for repeated subsequences (it needs induction heads). */
  repeatedSubsequence: { ...oneLayer, nLayers: 2, attnOnly: true },
  /** 1L attention-only transformer for the max element (it needs skip trigrams). */
  maxElement: { ...oneLayer, attnOnly: true },
} as const satisfies Record<string, TransformerArchitecture>;

/** The write-up's 2-layer MLP for modular arithmetic: width 256, ReLU. */
export const MLP_ARCHITECTURE: MlpArchitecture = { dHidden: 256, actFn: 'relu' };

/** Overrides for a preset: any config field, or just a seed. */
export type PresetOverrides = Partial<TransformerConfig> | number;

function withOverrides(base: TransformerArchitecture, shape: TaskShape, overrides: PresetOverrides = {}): TransformerConfig {
  const extra = typeof overrides === 'number' ? { seed: overrides } : overrides;
  return defineTransformerConfig({ ...base, ...shape, ...extra });
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
  return withOverrides(ARCHITECTURES.modularAddition, shape, overrides);
}

/**
 * The 2-layer attention-only transformer for predicting repeated subsequences (it needs induction heads).
 *
 * @example
 * repeatedSubsequenceConfig(taskInfo, { seed: 3 });
 */
export function repeatedSubsequenceConfig(task: TaskShape, overrides?: PresetOverrides): TransformerConfig {
  return withOverrides(ARCHITECTURES.repeatedSubsequence, pickShape(task), overrides);
}

/**
 * The 1-layer attention-only transformer for finding the max element (it needs skip trigrams).
 *
 * @example
 * maxElementConfig(taskInfo);
 */
export function maxElementConfig(task: TaskShape, overrides?: PresetOverrides): TransformerConfig {
  return withOverrides(ARCHITECTURES.maxElement, pickShape(task), overrides);
}

/**
 * The 1-layer transformer for n-digit addition: the seed run's shape (d_model 128). The write-up's notebook used
 * d_model 512, 4 heads of 128, d_mlp 2048: pass `{ dModel: 512 }`.
 *
 * @example
 * digitAdditionConfig(taskInfo, { dModel: 512 }); // the notebook's size: heads of 128, d_mlp 2048
 */
export function digitAdditionConfig(task: TaskShape, overrides?: PresetOverrides): TransformerConfig {
  return withOverrides(ARCHITECTURES.digitAddition, pickShape(task), overrides);
}

/**
 * The write-up's 2-layer MLP for modular arithmetic mod p (width 256 unless given).
 *
 * @example
 * modularAdditionMlpConfig(113, { dHidden: 512 });
 */
export function modularAdditionMlpConfig(p: number, overrides: Partial<MlpConfig> | number = {}): MlpConfig {
  const extra = typeof overrides === 'number' ? { seed: overrides } : overrides;
  return defineMlpConfig({ ...MLP_ARCHITECTURE, ...extra, p });
}

function pickShape(task: TaskShape): TaskShape {
  if (task === null || typeof task !== 'object') throw new Error(`expected a task's sizes { dVocab, dVocabOut, nCtx }, got ${String(task)}`);
  return { dVocab: task.dVocab, dVocabOut: task.dVocabOut, nCtx: task.nCtx };
}
