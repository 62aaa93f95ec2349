// Parameters as plain data, by TransformerLens name: for saving, inspecting, and copying between models.
import * as tf from '@tensorflow/tfjs-core';
import type { Model } from './model';

/** One parameter as plain data: shape and float32 values, row-major. */
export interface StateDictEntry {
  shape: number[];
  data: Float32Array;
}

/** Parameters by name. */
export type StateDict = Record<string, StateDictEntry>;

/**
 * A copy of the model's parameters (synchronous read; on GPU backends prefer {@link stateDictAsync}).
 *
 * @example
 * stateDict(model)['embed.W_E'].shape; // [d_vocab, d_model]
 */
export function stateDict(model: Model): StateDict {
  const out: StateDict = {};
  for (const [name, v] of Object.entries(model.params)) out[name] = { shape: [...v.shape], data: Float32Array.from(v.dataSync()) };
  return out;
}

/**
 * {@link stateDict} without blocking: reads every parameter with `data()`.
 *
 * @example
 * const dict = await stateDictAsync(model);
 */
export async function stateDictAsync(model: Model): Promise<StateDict> {
  const entries = await Promise.all(
    Object.entries(model.params).map(async ([name, v]): Promise<[string, StateDictEntry]> => [name, { shape: [...v.shape], data: Float32Array.from(await v.data()) }]),
  );
  return Object.fromEntries(entries);
}

/**
 * Checks that a dict has exactly the given parameters, with these shapes, and returns nothing or throws an error
 * naming every problem, e.g. `blocks.0.attn.W_Q has shape [4,128,16], expected [4,128,32] for this config`.
 *
 * @example
 * checkStateDict(dict, Object.fromEntries(Object.entries(model.params).map(([n, v]) => [n, v.shape])));
 */
export function checkStateDict(
  dict: Readonly<Record<string, { shape: readonly number[]; data?: { length: number } }>>,
  expected: Readonly<Record<string, readonly number[]>>,
): void {
  const problems: string[] = [];
  for (const [name, shape] of Object.entries(expected)) {
    const entry = dict[name];
    if (entry === undefined) {
      problems.push(`missing ${name} [${shape.join(',')}]`);
      continue;
    }
    if (entry.shape.length !== shape.length || entry.shape.some((d, i) => d !== shape[i])) {
      problems.push(`${name} has shape [${entry.shape.join(',')}], expected [${shape.join(',')}] for this config`);
      continue;
    }
    const count = shape.reduce((a, b) => a * b, 1);
    if (entry.data !== undefined && entry.data.length !== count) {
      problems.push(`${name} has ${entry.data.length} values, expected ${count} for shape [${shape.join(',')}]`);
    }
  }
  for (const name of Object.keys(dict)) {
    if (!Object.prototype.hasOwnProperty.call(expected, name)) problems.push(`unexpected ${name}`);
  }
  if (problems.length > 0) throw new Error(`state dict does not fit this model: ${problems.join('; ')}`);
}

/**
 * Copies values into the model's parameters, after checking that the names and shapes match exactly.
 *
 * @throws naming every missing, unexpected or mis-shaped parameter; nothing is changed then.
 * @example
 * loadStateDict(model, stateDict(otherModelOfTheSameConfig));
 */
export function loadStateDict(model: Model, dict: Readonly<StateDict>): void {
  const params = model.params as Record<string, tf.Variable>;
  checkStateDict(dict, Object.fromEntries(Object.entries(params).map(([n, v]) => [n, v.shape])));
  for (const [name, v] of Object.entries(params)) {
    const { data, shape } = dict[name]!;
    tf.tidy(() => v.assign(tf.tensor(data, shape, 'float32')));
  }
}
