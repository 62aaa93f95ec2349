// A hooked transformer in the TransformerLens layout: embed + pos_embed, blocks of (LN) attention and (LN) MLP
// on a residual stream, (LN) and unembed.
import * as tf from '@tensorflow/tfjs-core';
import { type TransformerConfig, validateTransformerConfig } from './config';
import { type AttentionParams, attention } from './components/attention';
import { embedTokens, positionEmbedding, stackedEmbedding } from './components/embed';
import { stackedModels } from './components/stack';
import { type LayerNormParams, layerNorm } from './components/layer-norm';
import { type MlpParams, mlp } from './components/mlp';
import { checkPositions, isAllPositions, selectPositions } from './components/positions';
import { unembed } from './components/unembed';
import {
  ActivationCache, type HookFilter, type HookMap, type HookName, type HookRunner, NO_HOOKS, makeHookRunner,
  transformerHookNames, withCacheCleanup,
} from './hooks';
import { initialValues, transformerParamSpecs } from './init';
import { fastPathApplies, oneLayerForward } from './fast/one-layer';
import type { Model } from './model';

/** Options of {@link HookedTransformer.runWithCache}. */
export interface RunWithCacheOptions {
  /** Which hooks to cache (default: all). */
  names?: HookFilter;
  /** Hooks to run as well; the cache records their outputs. */
  hooks?: HookMap;
  /** Positions whose logits to compute (default: all); the last block's query-side hooks then cover only these. */
  positions?: readonly number[];
}

/** What {@link HookedTransformer.runWithCache} returns. The caller disposes both (`cache.dispose()`). */
export interface CachedRun {
  logits: tf.Tensor3D;
  cache: ActivationCache;
}

/**
 * A transformer with TransformerLens' parameter names and hook points. Make one with {@link createTransformer}.
 *
 * @example
 * const model = createTransformer(modularAdditionConfig(113));
 * model.params['blocks.0.attn.W_Q'].shape; // [4, 128, 32]
 * model.hookNames.includes('blocks.0.mlp.hook_post'); // true
 */
export class HookedTransformer implements Model<'transformer'> {
  readonly kind = 'transformer' as const;
  readonly config: TransformerConfig;
  readonly params: Readonly<Record<string, tf.Variable>>;
  /** Every hook name of this model, in forward order. */
  readonly hookNames: readonly HookName[];
  /**
   * Whether `forward` may use the fused implementation (src/fast) for 1-layer models without LayerNorm when one
   * position is asked for; it computes the same logits and gradients (to float32 rounding), several times faster.
   * Set false to force the general path. runWithCache and runWithHooks always take the general path.
   *
   * @example
   * model.fastPath = false; // model.forward(tokens, [2]) now runs the general path
   */
  fastPath = true;

  /** @internal Use {@link createTransformer}. */
  constructor(config: TransformerConfig, values: Record<string, Float32Array>) {
    this.config = validateTransformerConfig(config);
    const params: Record<string, tf.Variable> = {};
    for (const spec of transformerParamSpecs(this.config)) {
      const initial = tf.tensor(values[spec.name]!, spec.shape, 'float32'); // the variable shares its data
      params[spec.name] = tf.variable(initial, true);
      initial.dispose();
    }
    this.params = Object.freeze(params);
    this.hookNames = Object.freeze(transformerHookNames(this.config));
  }

  /**
   * tokens int32 [batch, pos] (pos <= n_ctx) -> logits [batch, positions.length, d_vocab_out]. With `positions`, the
   * last block computes queries, MLP and unembed only there (earlier blocks need every position); the logits equal
   * the full forward's at those positions.
   *
   * @example
   * const logits = model.forward(tokens, [2]); // [batch, 1, d_vocab_out]: the '=' position of x|y|=
   */
  forward(tokens: tf.Tensor2D, positions?: readonly number[]): tf.Tensor3D {
    if (this.fastPath && positions !== undefined && fastPathApplies(this.config, tokens, positions)) {
      return tf.tidy(() => oneLayerForward(this.params, this.config, tokens, positions[0]!));
    }
    return tf.tidy(() => this.#run(tokens, positions, NO_HOOKS));
  }

  /**
   * Runs the forward with hooks that may replace activations (ablation, patching) and returns the logits. Nothing
   * stays attached afterwards. A hook returning nothing leaves its activation unchanged.
   *
   * @throws when a hook name is not one of this model's, or a hook returns a tensor of another shape.
   * @example
   * // Zero-ablate block 0's MLP output:
   * const logits = model.runWithHooks(tokens, { 'blocks.0.hook_mlp_out': (act) => tf.zerosLike(act) });
   * // Keep only head 0's output (z is [batch, pos, n_heads, d_head]):
   * const mask = tf.tensor4d([1, 0, 0, 0], [1, 1, 4, 1]);
   * model.runWithHooks(tokens, { 'blocks.0.attn.hook_z': (z) => tf.mul(z, mask) });
   */
  runWithHooks(tokens: tf.Tensor2D, hooks: HookMap, options: { positions?: readonly number[] } = {}): tf.Tensor3D {
    const { runner } = makeHookRunner(this.hookNames, hooks, false);
    return tf.tidy(() => this.#run(tokens, options.positions, runner));
  }

  /**
   * Runs the forward and returns the logits and a read-only cache of the requested hooks' activations (all by
   * default). Nothing stays attached afterwards. Dispose the logits and `cache.dispose()` when done.
   *
   * @example
   * const { logits, cache } = model.runWithCache(tokens, { names: ['blocks.0.attn.hook_pattern'] });
   * cache.get('blocks.0.attn.hook_pattern'); // [batch, n_heads, pos, pos]
   * logits.dispose(); cache.dispose();
   */
  runWithCache(tokens: tf.Tensor2D, options: RunWithCacheOptions = {}): CachedRun {
    const { runner, cache } = makeHookRunner(this.hookNames, options.hooks, options.names ?? true);
    const logits = withCacheCleanup(cache, () => tf.tidy(() => this.#run(tokens, options.positions, runner)));
    return { logits, cache: new ActivationCache(cache) };
  }

  /** Disposes the parameters. @example model.dispose(); */
  dispose(): void {
    for (const v of Object.values(this.params)) v.dispose();
  }

  #run(tokens: tf.Tensor2D, positions: readonly number[] | undefined, hooks: HookRunner): tf.Tensor3D {
    return runTransformer(this.params, this.config, tokens, positions, hooks);
  }
}

/** Parameters by name: a model's variables, or K models' stacked (see components/stack.ts). */
type Params = Readonly<Record<string, tf.Tensor>>;

/**
 * The general path's forward, on a model's parameters: tokens int32 [batch, pos] -> logits [batch, q, d_vocab_out].
 * With stacked parameters (a leading [K] on each; see components/stack.ts) it runs K models on the same tokens, or on
 * tokens [K, batch, pos] (a batch per model), and returns their logits model-major, [K * batch, q, d_vocab_out]; hooks
 * are not run then.
 *
 * @internal HookedTransformer and StackedTransformer call it.
 */
export function runTransformer(
  p: Params, config: TransformerConfig, tokens: tf.Tensor2D | tf.Tensor3D, positions: readonly number[] | undefined, hooks: HookRunner,
): tf.Tensor3D {
  const { nCtx, nLayers, attnOnly, normalizationType, actFn } = config;
  const models = stackedModels(p['embed.W_E']!, 2);
  const perModel = models !== null && tokens instanceof tf.Tensor && tokens.rank === 3 && tokens.shape[0] === models;
  if (!(tokens instanceof tf.Tensor) || (tokens.rank !== 2 && !perModel) || tokens.dtype !== 'int32') {
    const got = tokens instanceof tf.Tensor ? `${tokens.dtype} of shape [${tokens.shape}]` : String(tokens);
    const stacked = models === null ? '' : ` or [${models}, batch, pos] (a batch per model)`;
    throw new Error(`tokens must be an int32 tensor [batch, pos]${stacked}, got ${got}`);
  }
  const [batch, nPos] = tokens.shape.slice(-2) as [number, number];
  if (nPos < 1 || nPos > nCtx) throw new Error(`tokens have ${nPos} positions; this model takes 1 to ${nCtx} (n_ctx)`);
  const all = Array.from({ length: nPos }, (_, i) => i);
  const wanted = positions ?? all;
  checkPositions(wanted, nPos);
  const subset = !isAllPositions(wanted, nPos);
  const ln = normalizationType === 'LN';
  const norm = (prefix: LayerNormPrefix, x: tf.Tensor3D) =>
    ln ? layerNorm(lnParams(p, prefix), x, (h, t) => hooks.run(`${prefix}.${h}` as HookName, t)) : x;

  if (models !== null && hooks.active) throw new Error('hooks cannot run on stacked models; run a member model instead');
  let resid: tf.Tensor3D; // [batch, pos, d_model] (stacked: [K * batch, pos, d_model])
  if (models !== null) {
    resid = stackedEmbedding(p['embed.W_E'] as tf.Tensor3D, p['pos_embed.W_pos'] as tf.Tensor3D, tokens);
  } else {
    const embed = hooks.run('hook_embed', embedTokens(p['embed.W_E'] as tf.Tensor2D, tokens as tf.Tensor2D)); // [batch, pos, d_model]
    const posEmbed = hooks.active
      ? hooks.run('hook_pos_embed', positionEmbedding(p['pos_embed.W_pos'] as tf.Tensor2D, nPos, batch) as tf.Tensor3D) // [batch, pos, d_model]
      : positionEmbedding(p['pos_embed.W_pos'] as tf.Tensor2D, nPos); // [pos, d_model], broadcast below
    resid = tf.add(embed, posEmbed) as tf.Tensor3D; // [batch, pos, d_model]
  }

  for (let i = 0; i < nLayers; i++) {
    const b = `blocks.${i}` as const;
    const narrow = subset && i === nLayers - 1; // only the last block can skip positions
    const queryPositions = narrow ? wanted : all;
    const residPre = hooks.run(`${b}.hook_resid_pre`, resid); // [batch, pos, d_model]
    const attnIn = norm(`${b}.ln1`, residPre); // [batch, pos, d_model]
    const queryIn = narrow ? selectPositions(attnIn, wanted) : attnIn; // [batch, q, d_model]
    const attnOut = hooks.run(`${b}.hook_attn_out`,
      attention(attnParams(p, b), queryIn, attnIn, queryPositions, (h, t) => hooks.run(`${b}.attn.${h}`, t))); // [batch, q, d_model]
    const residQ = narrow ? selectPositions(residPre, wanted) : residPre; // [batch, q, d_model]
    if (attnOnly) {
      resid = hooks.run(`${b}.hook_resid_post`, tf.add(residQ, attnOut) as tf.Tensor3D); // [batch, q, d_model]
      continue;
    }
    const residMid = hooks.run(`${b}.hook_resid_mid`, tf.add(residQ, attnOut) as tf.Tensor3D); // [batch, q, d_model]
    const mlpIn = norm(`${b}.ln2`, residMid); // [batch, q, d_model]
    const mlpOut = hooks.run(`${b}.hook_mlp_out`,
      mlp(mlpParams(p, b), actFn, mlpIn, (h, t) => hooks.run(`${b}.mlp.${h}`, t))); // [batch, q, d_model]
    resid = hooks.run(`${b}.hook_resid_post`, tf.add(residMid, mlpOut) as tf.Tensor3D); // [batch, q, d_model]
  }
  const final = norm('ln_final', resid); // [batch, q, d_model]
  return unembed(p['unembed.W_U'] as tf.Tensor2D, p['unembed.b_U'] as tf.Tensor1D, final); // [batch, q, d_vocab_out]
}

type LayerNormPrefix = `blocks.${number}.ln1` | `blocks.${number}.ln2` | 'ln_final';

function attnParams(p: Params, block: string): AttentionParams {
  const get = (n: string) => p[`${block}.attn.${n}`]!;
  return {
    W_Q: get('W_Q') as tf.Tensor3D, W_K: get('W_K') as tf.Tensor3D, W_V: get('W_V') as tf.Tensor3D, W_O: get('W_O') as tf.Tensor3D,
    b_Q: get('b_Q') as tf.Tensor2D, b_K: get('b_K') as tf.Tensor2D, b_V: get('b_V') as tf.Tensor2D, b_O: get('b_O') as tf.Tensor1D,
  };
}

function mlpParams(p: Params, block: string): MlpParams {
  const get = (n: string) => p[`${block}.mlp.${n}`]!;
  return { W_in: get('W_in') as tf.Tensor2D, b_in: get('b_in') as tf.Tensor1D, W_out: get('W_out') as tf.Tensor2D, b_out: get('b_out') as tf.Tensor1D };
}

function lnParams(p: Params, prefix: string): LayerNormParams {
  return { w: p[`${prefix}.w`] as tf.Tensor1D, b: p[`${prefix}.b`] as tf.Tensor1D };
}

/**
 * Builds a transformer with freshly initialised weights (seeded by `config.seed`; identical on every backend).
 *
 * @example
 * const model = createTransformer(modularAdditionConfig(113));
 * const logits = model.forward(tf.tensor2d([[3, 5, 113]], [1, 3], 'int32'), [2]); // [1, 1, 113]
 */
export function createTransformer(config: TransformerConfig): HookedTransformer {
  const clean = validateTransformerConfig(config);
  return new HookedTransformer(clean, initialValues(transformerParamSpecs(clean), clean.seed));
}
