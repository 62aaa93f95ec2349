// Models as safetensors files: every parameter as F32 under its TransformerLens name, and the config as JSON in
// the metadata, so Python can read the weights with safetensors.torch.load_file and rebuild the config.
import { type MlpConfig, type TransformerConfig, toTransformerLensConfig, validateMlpConfig, validateTransformerConfig } from './config';
import { type ParamSpec, mlpParamSpecs, transformerParamSpecs } from './init';
import { HookedMlp } from './mlp-model';
import type { Model } from './model';
import { type DecodeOptions, decodeSafetensors } from './safetensors/decode';
import { encodeSafetensors } from './safetensors/encode';
import type { SafetensorsTensor } from './safetensors/dtypes';
import { checkStateDict, stateDict } from './state-dict';
import { HookedTransformer } from './transformer';

/**
 * Metadata key of the model description: JSON `{ "format": 1, "kind": "transformer" | "mlp", "config": {...} }`.
 *
 * @example
 * JSON.parse(decodeSafetensors(saveModel(model)).metadata[MODEL_METADATA_KEY]).kind; // 'transformer'
 */
export const MODEL_METADATA_KEY = 'grokking_model';
/**
 * Metadata key of the HookedTransformerConfig keyword arguments (JSON), for transformers.
 *
 * @example
 * JSON.parse(decodeSafetensors(saveModel(model)).metadata[TRANSFORMER_LENS_METADATA_KEY]).d_model; // 128
 */
export const TRANSFORMER_LENS_METADATA_KEY = 'transformer_lens_config';
const FORMAT_VERSION = 1;

/**
 * Encodes a model as safetensors: its parameters (F32, row-major, TransformerLens names) and, in the metadata,
 * `grokking_model` (kind and config as JSON), `transformer_lens_config` (transformers only) and `format: "pt"`.
 *
 * @example
 * const bytes = saveModel(model);
 * const again = loadModel(bytes); // same config, same weights
 */
export function saveModel(model: Model): Uint8Array {
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const [name, { shape, data }] of Object.entries(stateDict(model))) tensors[name] = { dtype: 'F32', shape, data };
  const metadata: Record<string, string> = {
    format: 'pt',
    [MODEL_METADATA_KEY]: JSON.stringify({ format: FORMAT_VERSION, kind: model.kind, config: model.config }),
  };
  if (model.kind === 'transformer') {
    metadata[TRANSFORMER_LENS_METADATA_KEY] = JSON.stringify(toTransformerLensConfig(model.config as TransformerConfig));
  }
  return encodeSafetensors(tensors, metadata);
}

/**
 * Decodes a model saved by {@link saveModel} (or written elsewhere in the same layout). The file is validated as
 * safetensors first; then the config, and every tensor's name, dtype (F32) and shape against that config.
 *
 * @throws a clear error for a corrupt file, a missing or invalid config, or tensors that do not fit it, e.g.
 *   `blocks.0.attn.W_Q has shape [4,128,16], expected [4,128,32] for this config`.
 * @example
 * const model = loadModel(new Uint8Array(fs.readFileSync('model.safetensors')));
 * model.kind; // 'transformer'
 */
export function loadModel(bytes: Uint8Array, options: DecodeOptions = {}): HookedTransformer | HookedMlp {
  const { tensors, metadata } = decodeSafetensors(bytes, options);
  const described = metadata[MODEL_METADATA_KEY];
  if (described === undefined) throw new Error(`not a saved model: the safetensors metadata has no "${MODEL_METADATA_KEY}" entry`);
  let parsed: { format?: unknown; kind?: unknown; config?: unknown };
  try {
    parsed = JSON.parse(described);
  } catch (err) {
    throw new Error(`metadata "${MODEL_METADATA_KEY}" is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object') throw new Error(`metadata "${MODEL_METADATA_KEY}" must be a JSON object`);
  if (parsed.format !== FORMAT_VERSION) {
    throw new Error(`metadata "${MODEL_METADATA_KEY}" has format ${JSON.stringify(parsed.format)}; this version reads format ${FORMAT_VERSION}`);
  }
  const count = Object.keys(tensors).length;
  if (parsed.kind === 'transformer') {
    const config = validateTransformerConfig(parsed.config as TransformerConfig);
    // Count before listing the specs, so an absurd nLayers in a hostile file cannot make a huge list.
    const expectedCount = transformerParamCount(config);
    if (expectedCount !== count) throw new Error(`the file has ${count} tensors; this config (${describe(config)}) has ${expectedCount} parameters`);
    return new HookedTransformer(config, valuesFor(transformerParamSpecs(config), tensors));
  }
  if (parsed.kind === 'mlp') {
    const config = validateMlpConfig(parsed.config as MlpConfig);
    return new HookedMlp(config, valuesFor(mlpParamSpecs(config), tensors));
  }
  throw new Error(`metadata "${MODEL_METADATA_KEY}" has kind ${JSON.stringify(parsed.kind)}; expected "transformer" or "mlp"`);
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

function valuesFor(specs: ParamSpec[], tensors: Record<string, SafetensorsTensor>): Record<string, Float32Array> {
  for (const [name, t] of Object.entries(tensors)) {
    if (t.dtype !== 'F32') throw new Error(`${name} has dtype ${t.dtype}; saved models hold F32 parameters`);
  }
  checkStateDict(tensors, Object.fromEntries(specs.map((s) => [s.name, s.shape])));
  return Object.fromEntries(specs.map((s) => [s.name, tensors[s.name]!.data as Float32Array]));
}
