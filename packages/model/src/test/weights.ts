// Test support: building a model with hand-chosen weights.
import { createTransformer, type HookedTransformer } from '../transformer';
import { defineTransformerConfig, type TransformerOptions } from '../config';
import { loadStateDict, type StateDict } from '../state-dict';
import { transformerParamSpecs } from '../init';

/**
 * A transformer whose parameters are all zero except those given (nested arrays, in TransformerLens' shapes);
 * LayerNorm weights default to one.
 */
export function handBuilt(options: TransformerOptions, values: Record<string, unknown>): HookedTransformer {
  const config = defineTransformerConfig(options);
  const model = createTransformer(config);
  const dict: StateDict = {};
  for (const spec of transformerParamSpecs(config)) {
    const given = values[spec.name];
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const data = given === undefined ? new Float32Array(size).fill(spec.init === 'ones' ? 1 : 0) : Float32Array.from((given as unknown[]).flat(3) as number[]);
    if (data.length !== size) throw new Error(`${spec.name}: gave ${data.length} values, shape [${spec.shape}] needs ${size}`);
    dict[spec.name] = { shape: spec.shape, data };
  }
  for (const name of Object.keys(values)) if (!(name in dict)) throw new Error(`no parameter ${name}`);
  loadStateDict(model, dict);
  return model;
}

/** The n x n identity as nested arrays. */
export function eye(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}
