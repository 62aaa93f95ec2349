// K transformers of one shape as one: each parameter holds every member's copy on a leading model axis, and the
// forward runs all K on the same tokens (or a batch each) through the general path's code (transformer.ts), one product op per weight
// for all of them (components/stack.ts; on wasm a 2-D product per model inside it, components/matmul.ts). Members
// differ only in their seed. Training the stack trains each member exactly as it would train alone (the members share
// no weight, so the gradient of the summed loss for a member's weights is that member's own); a member comes out as an
// ordinary HookedTransformer to analyse, save or train on alone.
import * as tf from '@tensorflow/tfjs-core';
import { type TransformerConfig, validateTransformerConfig } from './config';
import { NO_HOOKS } from './hooks';
import { initialValues, transformerParamSpecs } from './init';
import { checkStateDict, type StateDict } from './state-dict';
import { createTransformer, HookedTransformer, runTransformer } from './transformer';

/**
 * K transformers of one config, differing only in their seeds, with stacked parameters. Make one with
 * {@link createStackedTransformer} or {@link stackTransformers}.
 *
 * @example
 * const stack = createStackedTransformer(modularAdditionConfig(113), [0, 1, 2, 3]);
 * stack.params['blocks.0.mlp.W_in'].shape; // [4, 128, 512]
 * stack.forward(tokens, [2]).shape; // [4, batch, 1, 113]
 */
export class StackedTransformer {
  readonly kind = 'stacked-transformer' as const;
  /** Each member's config (the shared config with the member's seed). */
  readonly configs: readonly TransformerConfig[];
  /** Every parameter of every member, by TransformerLens name: [K, ...the member's shape]. */
  readonly params: Readonly<Record<string, tf.Variable>>;

  /** @internal Use {@link createStackedTransformer} or {@link stackTransformers}. */
  constructor(configs: readonly TransformerConfig[], values: ReadonlyArray<Record<string, Float32Array>>) {
    this.configs = Object.freeze(configs.map((c) => ({ ...c })));
    const params: Record<string, tf.Variable> = {};
    for (const spec of transformerParamSpecs(configs[0]!)) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(configs.length * size);
      values.forEach((member, k) => data.set(member[spec.name]!, k * size));
      const initial = tf.tensor(data, [configs.length, ...spec.shape], 'float32'); // [K, ...shape]
      params[spec.name] = tf.variable(initial, true);
      initial.dispose();
    }
    this.params = Object.freeze(params);
  }

  /** How many models are stacked (K). */
  get size(): number {
    return this.configs.length;
  }

  /**
   * tokens int32 [batch, pos] (the same for every member) or [K, batch, pos] (member k's batch at k) -> logits
   * [K, batch, positions.length, d_vocab_out]: each member's logits, equal to its own `forward` on the general path
   * (to float32 rounding).
   *
   * @example
   * stack.forward(tokens, [2]); // [K, batch, 1, d_vocab_out]
   * stack.forward(tf.stack([tokensA, tokensB, tokensC, tokensD]) as tf.Tensor3D, [2]); // the same, a batch each
   */
  forward(tokens: tf.Tensor2D | tf.Tensor3D, positions?: readonly number[]): tf.Tensor4D {
    return tf.tidy(() => {
      const logits = runTransformer(this.params, this.configs[0]!, tokens, positions, NO_HOOKS); // [K * batch, q, d_vocab_out]
      const [rows, q, vocab] = logits.shape;
      return tf.reshape(logits, [this.size, rows / this.size, q, vocab]) as tf.Tensor4D;
    });
  }

  /**
   * Member k's parameters, as new tensors the caller disposes (each [...the member's shape]).
   *
   * @example
   * const w = stack.memberParams(1); // w['embed.W_E'].shape: [d_vocab, d_model]
   */
  memberParams(k: number): Record<string, tf.Tensor> {
    this.#checkMember(k);
    return tf.tidy(() => Object.fromEntries(Object.entries(this.params).map(([name, v]) => [name, memberSlice(v, k)])));
  }

  /**
   * A standalone copy of member k: a HookedTransformer with its config and current weights (disposed by the caller).
   *
   * @example
   * const model = stack.member(2); // analyse, save or train it like any other
   */
  member(k: number): HookedTransformer {
    const model = createTransformer(this.#checkMember(k));
    const values = this.memberParams(k);
    tf.tidy(() => {
      for (const [name, v] of Object.entries(model.params)) v.assign(values[name]!);
    });
    tf.dispose(Object.values(values));
    return model;
  }

  /**
   * Replaces every member's weights, one state dict per member (as saved from a member alone).
   *
   * @throws when the number of dicts is not K, or a dict misses a parameter or has another shape (naming the member).
   * @example
   * stack.loadMembers(checkpoints.map((c) => c.params));
   */
  loadMembers(dicts: readonly StateDict[]): void {
    if (dicts.length !== this.size) throw new Error(`expected ${this.size} state dicts (one per member), got ${dicts.length}`);
    const shapes = Object.fromEntries(Object.entries(this.params).map(([n, v]) => [n, v.shape.slice(1)]));
    dicts.forEach((dict, k) => {
      try {
        checkStateDict(dict, shapes);
      } catch (err) {
        throw new Error(`member ${k}: ${(err as Error).message}`);
      }
    });
    tf.tidy(() => {
      for (const [name, v] of Object.entries(this.params)) {
        v.assign(tf.stack(dicts.map((d) => tf.tensor(d[name]!.data, d[name]!.shape, 'float32')))); // [K, ...shape]
      }
    });
  }

  /** Disposes the parameters. @example stack.dispose(); */
  dispose(): void {
    for (const v of Object.values(this.params)) v.dispose();
  }

  /** Member k's config, after checking k. */
  #checkMember(k: number): TransformerConfig {
    if (!Number.isInteger(k) || k < 0 || k >= this.size) throw new Error(`member must be an integer in [0, ${this.size}), got ${k}`);
    return this.configs[k]!;
  }
}

/**
 * Slice k of a stacked tensor [K, ...shape] -> [...shape].
 *
 * @example
 * memberSlice(stack.params['unembed.b_U'], 0); // [d_vocab_out]
 */
export function memberSlice(stacked: tf.Tensor, k: number): tf.Tensor {
  return tf.tidy(() => tf.squeeze(tf.slice(stacked, [k], [1]), [0]));
}

/**
 * K freshly initialised transformers of one config, member k seeded by `seeds[k]`: member k starts with exactly the
 * weights of `createTransformer({ ...config, seed: seeds[k] })`.
 *
 * @throws when `seeds` is empty or holds a value that is not a safe integer.
 * @example
 * const stack = createStackedTransformer(modularAdditionConfig(113), [0, 1, 2, 3]);
 */
export function createStackedTransformer(config: TransformerConfig, seeds: readonly number[]): StackedTransformer {
  if (!Array.isArray(seeds) || seeds.length === 0) throw new Error(`seeds must be a non-empty list, got ${JSON.stringify(seeds)}`);
  const configs = seeds.map((seed) => validateTransformerConfig({ ...config, seed }));
  const specs = transformerParamSpecs(configs[0]!);
  return new StackedTransformer(configs, configs.map((c) => initialValues(specs, c.seed)));
}

/**
 * Stacks copies of existing transformers' weights (the models are left as they are).
 *
 * @throws when the list is empty or the configs differ in anything but the seed.
 * @example
 * const stack = stackTransformers([modelA, modelB]);
 */
export function stackTransformers(models: readonly HookedTransformer[]): StackedTransformer {
  if (models.length === 0) throw new Error('stackTransformers needs at least one model');
  const shape = (c: TransformerConfig) => JSON.stringify({ ...c, seed: 0 });
  models.forEach((m, k) => {
    if (shape(m.config) !== shape(models[0]!.config)) {
      throw new Error(`model ${k} has config ${shape(m.config)}, but model 0 has ${shape(models[0]!.config)}; stacked models differ only in seed`);
    }
  });
  const values = models.map((m) => Object.fromEntries(Object.entries(m.params).map(([n, v]) => [n, Float32Array.from(v.dataSync())])));
  return new StackedTransformer(models.map((m) => m.config), values);
}
