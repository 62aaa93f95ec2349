// A model rebuilt from what a file records of it, its description (kind and config) and its weights, with every
// name and shape checked against the config. loadModel and the trainer's modelFromCheckpoint both end here.
import { type TransformerConfig, validateMlpConfig, validateTransformerConfig } from './config';
import { type ParamSpec, mlpParamSpecs, transformerParamSpecs } from './init';
import { HookedMlp } from './mlp-model';
import { isModelKind, type Model, type ModelDescription, type ModelKind } from './model';
import { checkStateDict, type StateDict } from './state-dict';
import { HookedTransformer } from './transformer';

/** A builder per kind this package makes: a kind added to ModelConfigs does not compile until it has one. */
const BUILDERS = {
  transformer: (config, dict) => {
    const clean = validateTransformerConfig(config);
    // Count before listing the specs, so an absurd nLayers in a hostile file cannot make a huge list.
    const count = Object.keys(dict).length;
    const expected = transformerParamCount(clean);
    if (expected !== count) throw new Error(`the weights have ${count} tensors; this config (${describe(clean)}) has ${expected} parameters`);
    return new HookedTransformer(clean, valuesFor(transformerParamSpecs(clean), dict));
  },
  mlp: (config, dict) => {
    const clean = validateMlpConfig(config);
    return new HookedMlp(clean, valuesFor(mlpParamSpecs(clean), dict));
  },
} satisfies { [K in ModelKind]: (config: Model<K>['config'], dict: Readonly<StateDict>) => Model<K> };

/**
 * Builds a transformer or MLP from its description and weights. The config is validated and the weights must be
 * exactly its parameters; the values are copied, so the dict stays the caller's.
 *
 * @throws for another kind, an invalid config, or weights that do not fit it, e.g.
 *   `blocks.0.attn.W_Q has shape [4,128,16], expected [4,128,32] for this config`.
 * @example
 * const copy = modelFromStateDict({ kind: model.kind, config: model.config }, stateDict(model));
 */
export function modelFromStateDict(described: ModelDescription, dict: Readonly<StateDict>): HookedTransformer | HookedMlp {
  if (isModelKind(described, 'transformer')) return BUILDERS.transformer(described.config, dict);
  if (isModelKind(described, 'mlp')) return BUILDERS.mlp(described.config, dict);
  const kinds = Object.keys(BUILDERS).map((k) => JSON.stringify(k)).join(' or ');
  throw new Error(`the model has kind ${JSON.stringify(described.kind)}; expected ${kinds}`);
}

/** The number of parameters (tensors) a transformer config has, without listing them. */
function transformerParamCount(config: TransformerConfig): number {
  const ln = config.normalizationType === 'LN' ? 2 : 0;
  const perBlock = ln + 8 + (config.attnOnly ? 0 : ln + 4);
  return 2 + config.nLayers * perBlock + ln + 2;
}

function describe(config: TransformerConfig): string {
  return `${config.nLayers} layers${config.attnOnly ? ', attention only' : ''}${config.normalizationType === 'LN' ? ', LayerNorm' : ''}`;
}

/** Copies of the dict's values for these parameters, after checking that the names and shapes are exactly theirs. */
function valuesFor(specs: ParamSpec[], dict: Readonly<StateDict>): Record<string, Float32Array> {
  checkStateDict(dict, Object.fromEntries(specs.map((s) => [s.name, s.shape])));
  return Object.fromEntries(specs.map((s) => [s.name, Float32Array.from(dict[s.name]!.data)]));
}
