// The write-up's 2-layer MLP for modular arithmetic: the input is onehot(x) + onehot(y) (so W_in's rows for x and
// y summed), one hidden layer, and logits for the answer. It reads x and y from the first two tokens of x|y|=.
import * as tf from '@tensorflow/tfjs-core';
import { type MlpConfig, validateMlpConfig } from './config';
import { embedTokens } from './components/embed';
import { linear } from './components/matmul';
import { activation } from './components/mlp';
import { ActivationCache, type HookFilter, type HookMap, type HookRunner, NO_HOOKS, makeHookRunner, withCacheCleanup } from './hooks';
import { initialValues, mlpParamSpecs } from './init';
import type { Model } from './model';

/** The MLP's hooks: the hidden layer before (`mlp.hook_pre`) and after (`mlp.hook_post`) the activation, [batch, 1, d_hidden]. */
export type MlpHookName = 'mlp.hook_pre' | 'mlp.hook_post';

const MLP_HOOKS: readonly MlpHookName[] = Object.freeze(['mlp.hook_pre', 'mlp.hook_post'] as const);

/**
 * The 2-layer MLP. Make one with {@link createMlp}.
 *
 * @example
 * const model = createMlp(modularAdditionMlpConfig(113));
 * model.params['mlp.W_in'].shape; // [113, 256]
 */
export class HookedMlp implements Model<'mlp'> {
  readonly kind = 'mlp' as const;
  readonly config: MlpConfig;
  readonly params: Readonly<Record<string, tf.Variable>>;
  /** Every hook name of this model, in forward order. */
  readonly hookNames = MLP_HOOKS;

  /** @internal Use {@link createMlp}. */
  constructor(config: MlpConfig, values: Record<string, Float32Array>) {
    this.config = validateMlpConfig(config);
    const params: Record<string, tf.Variable> = {};
    for (const spec of mlpParamSpecs(this.config)) {
      const initial = tf.tensor(values[spec.name]!, spec.shape, 'float32'); // the variable shares its data
      params[spec.name] = tf.variable(initial, true);
      initial.dispose();
    }
    this.params = Object.freeze(params);
  }

  /**
   * tokens int32 [batch, pos] (x at position 0, y at 1, the rest ignored) -> logits [batch, 1, p] for the last
   * position. `positions` may be omitted or `[pos - 1]`.
   *
   * @example
   * mlpModel.forward(tf.tensor2d([[3, 5, 113]], [1, 3], 'int32')); // [1, 1, 113]
   */
  forward(tokens: tf.Tensor2D, positions?: readonly number[]): tf.Tensor3D {
    return tf.tidy(() => this.#run(tokens, positions, NO_HOOKS));
  }

  /**
   * The forward with hooks that may replace the hidden activations. Nothing stays attached afterwards.
   *
   * @example
   * mlpModel.runWithHooks(tokens, { 'mlp.hook_post': (act) => tf.relu(tf.sub(act, 1)) });
   */
  runWithHooks(tokens: tf.Tensor2D, hooks: HookMap<MlpHookName>, options: { positions?: readonly number[] } = {}): tf.Tensor3D {
    const { runner } = makeHookRunner(this.hookNames, hooks, false);
    return tf.tidy(() => this.#run(tokens, options.positions, runner));
  }

  /**
   * The forward, returning logits and a read-only cache of the hidden activations (dispose both when done).
   *
   * @example
   * const { logits, cache } = mlpModel.runWithCache(tokens);
   * cache.get('mlp.hook_post'); // [batch, 1, d_hidden]
   */
  runWithCache(
    tokens: tf.Tensor2D,
    options: { names?: HookFilter<MlpHookName>; hooks?: HookMap<MlpHookName>; positions?: readonly number[] } = {},
  ): { logits: tf.Tensor3D; cache: ActivationCache<MlpHookName> } {
    const { runner, cache } = makeHookRunner(this.hookNames, options.hooks, options.names ?? true);
    const logits = withCacheCleanup(cache, () => tf.tidy(() => this.#run(tokens, options.positions, runner)));
    return { logits, cache: new ActivationCache(cache) };
  }

  /** Disposes the parameters. @example mlpModel.dispose(); */
  dispose(): void {
    for (const v of Object.values(this.params)) v.dispose();
  }

  #run(tokens: tf.Tensor2D, positions: readonly number[] | undefined, hooks: HookRunner<MlpHookName>): tf.Tensor3D {
    if (!(tokens instanceof tf.Tensor) || tokens.rank !== 2 || tokens.dtype !== 'int32' || tokens.shape[1] < 2) {
      const got = tokens instanceof tf.Tensor ? `${tokens.dtype} of shape [${tokens.shape}]` : String(tokens);
      throw new Error(`tokens must be an int32 tensor [batch, pos] with pos >= 2 (x, y, ...), got ${got}`);
    }
    const [batch, nPos] = tokens.shape;
    if (positions !== undefined && (positions.length !== 1 || positions[0] !== nPos - 1)) {
      throw new Error(`the MLP computes logits only at the last position [${nPos - 1}], got positions ${JSON.stringify(positions)}`);
    }
    const p = this.params;
    const xy = tf.slice(tokens, [0, 0], [batch, 2]) as tf.Tensor2D; // [batch, 2]: x and y
    const rows = embedTokens(p['mlp.W_in'] as tf.Variable<tf.Rank.R2>, xy); // [batch, 2, d_hidden]
    const summed = tf.add(tf.sum(rows, 1, true), p['mlp.b_in']!) as tf.Tensor3D; // [batch, 1, d_hidden]: (onehot x + onehot y) W_in + b_in
    const pre = hooks.run('mlp.hook_pre', summed); // [batch, 1, d_hidden]
    const post = hooks.run('mlp.hook_post', activation(this.config.actFn, pre)); // [batch, 1, d_hidden]
    return linear(post, p['mlp.W_out'] as tf.Variable<tf.Rank.R2>, p['mlp.b_out'] as tf.Variable<tf.Rank.R1>); // [batch, 1, p]
  }
}

/**
 * Builds the MLP with freshly initialised weights (seeded by `config.seed`; identical on every backend).
 *
 * @example
 * const model = createMlp(defineMlpConfig({ p: 113 }));
 * model.forward(tf.tensor2d([[3, 5, 113]], [1, 3], 'int32')); // [1, 1, 113]
 */
export function createMlp(config: MlpConfig): HookedMlp {
  const clean = validateMlpConfig(config);
  return new HookedMlp(clean, initialValues(mlpParamSpecs(clean), clean.seed));
}
