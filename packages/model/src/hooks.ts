// Hook points at TransformerLens' sites and names. Names are typed with template literal types, so a misspelt
// name fails to compile; which names a given model has (layers, MLP, LayerNorm) is checked when it runs.
import * as tf from '@tensorflow/tfjs-core';
import type { TransformerConfig } from './config';

/** The hooks inside attention, whose activations are rank 4 (every other hook's are rank 3). */
const ATTENTION_HOOKS = ['hook_q', 'hook_k', 'hook_v', 'hook_attn_scores', 'hook_pattern', 'hook_z'] as const;
/** Hooks inside attention. q/k/v/z: [batch, pos, n_heads, d_head]; attn_scores/pattern: [batch, n_heads, query_pos, key_pos]. */
export type AttentionHook = (typeof ATTENTION_HOOKS)[number];
/** LayerNorm hooks. hook_scale: [batch, pos, 1]; hook_normalized: [batch, pos, d_model]. */
export type LayerNormHook = 'hook_scale' | 'hook_normalized';
/** Hooks inside a block, relative to `blocks.{i}.`. */
export type BlockHook =
  | 'hook_resid_pre' | 'hook_attn_out' | 'hook_resid_mid' | 'hook_mlp_out' | 'hook_resid_post'
  | `attn.${AttentionHook}` | 'mlp.hook_pre' | 'mlp.hook_post' | `ln1.${LayerNormHook}` | `ln2.${LayerNormHook}`;
/** Every transformer hook name, e.g. `hook_embed`, `blocks.0.attn.hook_pattern`, `blocks.1.mlp.hook_post`. */
export type HookName = 'hook_embed' | 'hook_pos_embed' | `blocks.${number}.${BlockHook}` | `ln_final.${LayerNormHook}`;

/**
 * The tensor type a hook holds: rank 4 for attention's q/k/v/z/scores/pattern, rank 3 for everything else; any
 * tensor for a name known only as a string.
 */
export type HookTensor<N extends string> = N extends `${string}.attn.${AttentionHook}`
  ? tf.Tensor4D
  : string extends N ? tf.Tensor : tf.Tensor3D;

/** Whether a tensor has the rank its hook's name gives it (see {@link HookTensor}). */
function hasHookRank<N extends string>(name: N, t: tf.Tensor): t is HookTensor<N> {
  return t.rank === (ATTENTION_HOOKS.some((h) => name.endsWith(`.attn.${h}`)) ? 4 : 3);
}

/**
 * A hook: receives an activation and its name; returns a replacement of the same shape, or nothing to leave it.
 * It runs inside the forward's `tf.tidy`, so tensors it makes need no disposal.
 */
export type HookFn<N extends string = HookName> = (activation: HookTensor<N>, name: N) => tf.Tensor | void;

/** Hooks by name, for `runWithHooks`. */
export type HookMap<N extends string = HookName> = { [K in N]?: HookFn<K> };

/**
 * A predicate on hook names. It is a method's type, so it compares bivariantly: a model whose filter takes its own
 * names (HookName) still fits the Model contract, whose names are strings (a name it lacks is a runtime error).
 */
export type HookPredicate<N extends string = HookName> = { test(name: N): boolean }['test'];

/** Which hooks to cache: a list of names or a predicate on names. */
export type HookFilter<N extends string = HookName> = readonly N[] | HookPredicate<N>;

/**
 * The hook names of a transformer with this config, in the order the forward reaches them. Attention-only blocks
 * have no `hook_resid_mid`, `ln2` or MLP hooks (as in TransformerLens); LayerNorm hooks exist only with `LN`.
 *
 * @example
 * transformerHookNames(modularAdditionConfig(113)).length; // 15
 */
export function transformerHookNames(config: TransformerConfig): HookName[] {
  const ln = config.normalizationType === 'LN';
  const names: HookName[] = ['hook_embed', 'hook_pos_embed'];
  for (let i = 0; i < config.nLayers; i++) {
    const b = `blocks.${i}` as const;
    names.push(`${b}.hook_resid_pre`);
    if (ln) names.push(`${b}.ln1.hook_scale`, `${b}.ln1.hook_normalized`);
    names.push(`${b}.attn.hook_q`, `${b}.attn.hook_k`, `${b}.attn.hook_v`, `${b}.attn.hook_attn_scores`,
      `${b}.attn.hook_pattern`, `${b}.attn.hook_z`, `${b}.hook_attn_out`);
    if (!config.attnOnly) {
      names.push(`${b}.hook_resid_mid`);
      if (ln) names.push(`${b}.ln2.hook_scale`, `${b}.ln2.hook_normalized`);
      names.push(`${b}.mlp.hook_pre`, `${b}.mlp.hook_post`, `${b}.hook_mlp_out`);
    }
    names.push(`${b}.hook_resid_post`);
  }
  if (ln) names.push('ln_final.hook_scale', 'ln_final.hook_normalized');
  return names;
}

/**
 * Activations recorded by `runWithCache`, read-only, in forward order. The caller owns the tensors: call
 * `dispose()` when done (or dispose them one by one).
 *
 * @example
 * const { logits, cache } = model.runWithCache(tokens);
 * for (const name of cache.names()) console.log(name, cache.get(name).shape);
 * cache.dispose();
 */
export class ActivationCache<N extends string = HookName> {
  readonly #tensors: Map<N, tf.Tensor>;

  /** @internal Made by `runWithCache`. */
  constructor(tensors: Map<N, tf.Tensor>) {
    this.#tensors = tensors;
  }

  /**
   * The activation at a hook.
   *
   * @throws when that hook was not cached (the message lists those that were).
   * @example
   * const pattern = cache.get('blocks.0.attn.hook_pattern'); // tf.Tensor4D [batch, n_heads, query_pos, key_pos]
   */
  get<K extends N>(name: K): HookTensor<K> {
    const t = this.#tensors.get(name);
    if (t === undefined) {
      throw new Error(`hook ${name} is not in this cache; cached: ${[...this.#tensors.keys()].join(', ') || 'none'}`);
    }
    if (t.isDisposed) throw new Error(`hook ${name}'s tensor has been disposed`);
    if (!hasHookRank(name, t)) throw new Error(`hook ${name} holds a rank-${t.rank} tensor, not the rank its name gives`);
    return t;
  }

  /** Whether a hook was cached. @example cache.has('hook_embed'); // true */
  has(name: N): boolean {
    return this.#tensors.has(name);
  }

  /** The cached hook names, in forward order. @example cache.names(); // ['hook_embed', ...] */
  names(): N[] {
    return [...this.#tensors.keys()];
  }

  /** The number of cached hooks. @example cache.size; // 16 */
  get size(): number {
    return this.#tensors.size;
  }

  /** Disposes every cached tensor (each once, even where hooks share one). @example cache.dispose(); */
  dispose(): void {
    for (const t of new Set(this.#tensors.values())) t.dispose();
  }
}

/** @internal Runs hooks and records activations during one forward. */
export interface HookRunner<N extends string = HookName> {
  /** False when no hook runs and nothing is cached, so the forward may skip work that only hooks see. */
  readonly active: boolean;
  run<T extends tf.Tensor>(name: N, x: T): T;
}

/** @internal A runner that does nothing (the plain forward). */
export const NO_HOOKS: HookRunner<never> = { active: false, run: (_name, x) => x };

/**
 * @internal Builds the runner for runWithHooks/runWithCache, checking every name against the model's hooks.
 * `record`: false to cache nothing, true for every hook, or a filter. Cached tensors are `tf.keep`-ed so they
 * outlive the forward's tidy.
 */
export function makeHookRunner<N extends string>(
  known: readonly N[],
  hooks: HookMap<N> | undefined,
  record: boolean | HookFilter<N>,
): { runner: HookRunner<N>; cache: Map<N, tf.Tensor> } {
  const knownSet = new Set<string>(known);
  const check = (name: string, where: string) => {
    if (!knownSet.has(name)) throw new Error(`${where}: "${name}" is not a hook of this model; its hooks are ${known.join(', ')}`);
  };
  for (const name of Object.keys(hooks ?? {})) check(name, 'hooks');
  let want: (name: N) => boolean;
  if (typeof record === 'boolean') want = () => record;
  else if (typeof record === 'function') want = record;
  else {
    for (const name of record) check(name, 'cache names');
    const set = new Set<N>(record);
    want = (name) => set.has(name);
  }
  const cache = new Map<N, tf.Tensor>();
  const runner: HookRunner<N> = {
    active: true,
    run<T extends tf.Tensor>(name: N, x: T): T {
      let out = x;
      const fn: HookFn<N> | undefined = hooks?.[name];
      if (fn !== undefined) {
        if (!hasHookRank(name, x)) throw new Error(`hook ${name} got a rank-${x.rank} tensor, not the rank its name gives`);
        const replaced = fn(x, name);
        if (replaced !== undefined) {
          if (!(replaced instanceof tf.Tensor) || !tf.util.arraysEqual(replaced.shape, x.shape)) {
            const got = replaced instanceof tf.Tensor ? `shape [${replaced.shape}]` : String(replaced);
            throw new Error(`hook ${name} returned ${got}, expected a tensor of shape [${x.shape}]`);
          }
          out = (replaced.dtype === x.dtype ? replaced : tf.cast(replaced, x.dtype)) as T;
        }
      }
      if (want(name)) cache.set(name, tf.keep(out));
      return out;
    },
  };
  return { runner, cache };
}

/** @internal Runs a forward that records into `cache`, disposing what was recorded if the forward throws. */
export function withCacheCleanup<T>(cache: Map<string, tf.Tensor>, forward: () => T): T {
  try {
    return forward();
  } catch (err) {
    for (const t of new Set(cache.values())) t.dispose();
    throw err;
  }
}
