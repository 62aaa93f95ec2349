// The one model contract: what the trainer trains, the progress measures measure and checkpoints describe. This
// package's transformers and MLPs implement it, and so can a hand-written model (the trainer's tests use a tiny one).
import type * as tf from '@tensorflow/tfjs-core';
import type { MlpConfig, TransformerConfig } from './config';
import type { ActivationCache, HookFilter } from './hooks';

/**
 * The config of each kind of model this package builds, by kind: the one list of its kinds. A model of one of these
 * kinds has that config; any other kind is a hand-written model, whose config is its own business.
 */
export interface ModelConfigs {
  transformer: TransformerConfig;
  mlp: MlpConfig;
}

/** A kind of model this package builds: `transformer` or `mlp`. */
export type ModelKind = keyof ModelConfigs;

/** The config a model of kind K has: this package's config for its kinds, anything (JSON-compatible) for others. */
export type ConfigOf<K extends string> = K extends ModelKind ? ModelConfigs[K] : unknown;

/**
 * A model's kind and config: what a checkpoint or a saved model records of it, enough to rebuild it with its
 * weights. `Model<'transformer'>` must carry a TransformerConfig, `Model<'mlp'>` an MlpConfig.
 *
 * @example
 * const described: ModelDescription = { kind: model.kind, config: model.config };
 */
export interface ModelDescription<Kind extends string = string, Config extends ConfigOf<Kind> = ConfigOf<Kind>> {
  /** Which architecture: `transformer`, `mlp`, or a hand-written model's own name. */
  readonly kind: Kind;
  /** The config it was built from (JSON-compatible, seed included). */
  readonly config: Config;
}

/** What {@link Model.runWithCache} records: the hooks (names or a predicate) and the positions whose logits to compute. */
export interface CacheOptions<Hook extends string = string> {
  /** Which hooks to record (default: all); a name the model does not have is an error. */
  names?: HookFilter<Hook>;
  /** Positions whose logits to compute (default: all). */
  positions?: readonly number[];
}

/**
 * A model: named float32 parameters and a forward pass from tokens to logits, plus its kind and config. `Model` alone
 * is any model; `Model<'transformer'>` has a TransformerConfig (see {@link isModelKind} to narrow one).
 *
 * @example
 * const model: Model = createTransformer(modularAdditionConfig(113));
 * const tiny: Model<'tiny', { width: number }> = { kind: 'tiny', config: { width: 4 }, params, forward, dispose };
 */
export interface Model<Kind extends string = string, Config extends ConfigOf<Kind> = ConfigOf<Kind>>
  extends ModelDescription<Kind, Config> {
  /** Trainable parameters by name (TransformerLens names for this package's models); the trainer optimises these. */
  readonly params: Readonly<Record<string, tf.Variable>>;
  /**
   * tokens int32 [batch, pos] -> logits [batch, positions.length, d_vocab_out]. `positions` (default: every position)
   * selects which positions' logits are computed; where possible only those positions' queries, MLP and unembed run.
   */
  forward(tokens: tf.Tensor2D, positions?: readonly number[]): tf.Tensor3D;
  /**
   * Optional: the forward, also recording hook activations (both of this package's models have it). The caller
   * disposes the logits and the cache.
   */
  runWithCache?(tokens: tf.Tensor2D, options?: CacheOptions): { logits: tf.Tensor3D; cache: ActivationCache<string> };
  /** Disposes the parameters. */
  dispose(): void;
}

/**
 * Whether a model (or a description of one) is of one of this package's kinds, which types its config. The kind
 * decides: a description read from a file still needs its config validated (`validateTransformerConfig`).
 *
 * @example
 * if (isModelKind(model, 'mlp')) model.config.p; // number
 */
export function isModelKind<K extends ModelKind, D extends ModelDescription>(described: D, kind: K): described is D & ModelDescription<K> {
  return described.kind === kind;
}
