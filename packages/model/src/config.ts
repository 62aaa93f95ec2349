// Model configurations, with TransformerLens' names in camelCase. A config holds every size explicitly; the
// define* helpers compute the derived ones (d_head = d_model / n_heads, ...) when the config is made.

/** The MLP activation: ReLU, or GELU in its exact (erf) form, which is TransformerLens' `gelu`. */
export type ActFn = 'relu' | 'gelu';

/** `LN` is TransformerLens' LayerNorm (with weight and bias); `none` is no normalisation. */
export type NormalizationType = 'none' | 'LN';

/** A transformer's shape. Field names follow TransformerLens' HookedTransformerConfig. */
export interface TransformerConfig {
  /** Number of blocks (n_layers). */
  nLayers: number;
  /** Residual stream width (d_model). */
  dModel: number;
  /** Attention heads per block (n_heads). */
  nHeads: number;
  /** Width of each head's query, key and value (d_head). */
  dHead: number;
  /** MLP hidden width (d_mlp); unused when attnOnly. */
  dMlp: number;
  /** MLP activation (act_fn). */
  actFn: ActFn;
  /** Normalisation before attention, before the MLP and before the unembed (normalization_type). */
  normalizationType: NormalizationType;
  /** Blocks without an MLP (attn_only). */
  attnOnly: boolean;
  /** Context length; the size of the learned positional embedding (n_ctx). */
  nCtx: number;
  /** Input vocabulary size (d_vocab). */
  dVocab: number;
  /** Output vocabulary size (d_vocab_out). */
  dVocabOut: number;
  /** Seed of the weight initialisation. */
  seed: number;
}

/** The options of {@link defineTransformerConfig}: the required sizes, and anything else to override. */
export type TransformerOptions = Pick<TransformerConfig, 'nLayers' | 'dModel' | 'nHeads' | 'nCtx' | 'dVocab'> &
  Partial<TransformerConfig>;

/** LayerNorm's epsilon, TransformerLens' default (`eps`). @example toTransformerLensConfig(config).eps === LN_EPS; // true */
export const LN_EPS = 1e-5;

/**
 * Makes a complete transformer config, computing what is not given:
 * dHead = dModel / nHeads, dMlp = 4 dModel, dVocabOut = dVocab; actFn `relu`, normalizationType `none`,
 * attnOnly false and seed 0 unless given.
 *
 * @throws when a size is not a positive integer or dModel is not divisible by nHeads (and dHead is not given).
 * @example
 * const config = defineTransformerConfig({ nLayers: 1, dModel: 128, nHeads: 4, nCtx: 3, dVocab: 114, dVocabOut: 113 });
 * config.dHead; // 32
 * config.dMlp; // 512
 */
export function defineTransformerConfig(options: TransformerOptions): TransformerConfig {
  const { dModel, nHeads } = options;
  if (options.dHead === undefined && Number.isInteger(dModel) && Number.isInteger(nHeads) && dModel % nHeads !== 0) {
    throw new Error(`dModel (${dModel}) must be divisible by nHeads (${nHeads}) when dHead is not given`);
  }
  return validateTransformerConfig({
    nLayers: options.nLayers,
    dModel,
    nHeads,
    dHead: options.dHead ?? dModel / nHeads,
    dMlp: options.dMlp ?? 4 * dModel,
    actFn: options.actFn ?? 'relu',
    normalizationType: options.normalizationType ?? 'none',
    attnOnly: options.attnOnly ?? false,
    nCtx: options.nCtx,
    dVocab: options.dVocab,
    dVocabOut: options.dVocabOut ?? options.dVocab,
    seed: options.seed ?? 0,
  });
}

const SIZE_FIELDS = ['nLayers', 'dModel', 'nHeads', 'dHead', 'dMlp', 'nCtx', 'dVocab', 'dVocabOut'] as const;

/**
 * Checks every field of a transformer config and returns a clean copy (unknown fields dropped).
 *
 * @throws naming the first bad field, e.g. `dModel must be a positive integer, got 12.5`.
 * @example
 * validateTransformerConfig(JSON.parse(text)); // a TransformerConfig, or a clear error
 */
export function validateTransformerConfig(config: TransformerConfig): TransformerConfig {
  if (config === null || typeof config !== 'object') throw new Error(`transformer config must be an object, got ${String(config)}`);
  for (const field of SIZE_FIELDS) {
    const v = config[field];
    if (field === 'dMlp' && config.attnOnly === true && v === undefined) continue;
    if (!Number.isSafeInteger(v) || v < 1) throw new Error(`${field} must be a positive integer, got ${JSON.stringify(v)}`);
  }
  if (config.actFn !== 'relu' && config.actFn !== 'gelu') {
    throw new Error(`actFn must be 'relu' or 'gelu', got ${JSON.stringify(config.actFn)}`);
  }
  if (config.normalizationType !== 'none' && config.normalizationType !== 'LN') {
    throw new Error(`normalizationType must be 'none' or 'LN', got ${JSON.stringify(config.normalizationType)}`);
  }
  if (typeof config.attnOnly !== 'boolean') throw new Error(`attnOnly must be a boolean, got ${JSON.stringify(config.attnOnly)}`);
  if (!Number.isSafeInteger(config.seed)) throw new Error(`seed must be a safe integer, got ${JSON.stringify(config.seed)}`);
  const { nLayers, dModel, nHeads, dHead, dMlp, actFn, normalizationType, attnOnly, nCtx, dVocab, dVocabOut, seed } = config;
  return { nLayers, dModel, nHeads, dHead, dMlp: dMlp ?? 4 * dModel, actFn, normalizationType, attnOnly, nCtx, dVocab, dVocabOut, seed };
}

/**
 * The keyword arguments of TransformerLens' `HookedTransformerConfig` for this config, so Python can rebuild the
 * same architecture: `HookedTransformerConfig(**json.loads(metadata["transformer_lens_config"]))`.
 *
 * @example
 * toTransformerLensConfig(config).d_vocab_out; // config.dVocabOut
 */
export function toTransformerLensConfig(config: TransformerConfig): Record<string, unknown> {
  return {
    n_layers: config.nLayers,
    d_model: config.dModel,
    n_heads: config.nHeads,
    d_head: config.dHead,
    d_mlp: config.attnOnly ? null : config.dMlp,
    act_fn: config.actFn,
    normalization_type: config.normalizationType === 'LN' ? 'LN' : null,
    attn_only: config.attnOnly,
    n_ctx: config.nCtx,
    d_vocab: config.dVocab,
    d_vocab_out: config.dVocabOut,
    positional_embedding_type: 'standard',
    eps: LN_EPS,
    seed: config.seed,
  };
}

/** The 2-layer MLP of the write-up: logits = W_out act(W_in (onehot(x) + onehot(y)) + b_in) + b_out. */
export interface MlpConfig {
  /** The modulus: x and y are in [0, p) and there are p output classes. */
  p: number;
  /** Hidden width. */
  dHidden: number;
  /** Hidden activation. */
  actFn: ActFn;
  /** Weight layers: always 2 (input to hidden, hidden to output). */
  nLayers: 2;
  /** Seed of the weight initialisation. */
  seed: number;
}

/**
 * Makes a complete MLP config: dHidden 256 (the write-up's width), actFn `relu` and seed 0 unless given.
 *
 * @throws when p or dHidden is not a positive integer.
 * @example
 * defineMlpConfig({ p: 113 }); // { p: 113, dHidden: 256, actFn: 'relu', nLayers: 2, seed: 0 }
 */
export function defineMlpConfig(options: Pick<MlpConfig, 'p'> & Partial<MlpConfig>): MlpConfig {
  return validateMlpConfig({
    p: options.p,
    dHidden: options.dHidden ?? 256,
    actFn: options.actFn ?? 'relu',
    nLayers: 2,
    seed: options.seed ?? 0,
  });
}

/**
 * Checks every field of an MLP config and returns a clean copy.
 *
 * @throws naming the first bad field.
 * @example
 * validateMlpConfig({ p: 7, dHidden: 16, actFn: 'gelu', nLayers: 2, seed: 1 });
 */
export function validateMlpConfig(config: MlpConfig): MlpConfig {
  if (config === null || typeof config !== 'object') throw new Error(`MLP config must be an object, got ${String(config)}`);
  for (const field of ['p', 'dHidden'] as const) {
    const v = config[field];
    if (!Number.isSafeInteger(v) || v < 1) throw new Error(`${field} must be a positive integer, got ${JSON.stringify(v)}`);
  }
  if (config.actFn !== 'relu' && config.actFn !== 'gelu') {
    throw new Error(`actFn must be 'relu' or 'gelu', got ${JSON.stringify(config.actFn)}`);
  }
  if (config.nLayers !== 2) throw new Error(`nLayers must be 2 for the MLP, got ${JSON.stringify(config.nLayers)}`);
  if (!Number.isSafeInteger(config.seed)) throw new Error(`seed must be a safe integer, got ${JSON.stringify(config.seed)}`);
  return { p: config.p, dHidden: config.dHidden, actFn: config.actFn, nLayers: 2, seed: config.seed };
}
