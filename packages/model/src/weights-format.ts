// The safetensors layout of a model's weights, the one owner of it: every parameter as F32 under its TransformerLens
// name (so `safetensors.torch.load_file` gives a state dict), and string metadata describing the model: `format: "pt"`,
// `grokking_model` (JSON `{ format, kind, config }`) and, for transformers, `transformer_lens_config` (the keyword
// arguments of HookedTransformerConfig). saveModel writes exactly this; the trainer's checkpoints add their own tensors
// and metadata on top.
import { toTransformerLensConfig } from './config';
import { isModelKind, type ModelDescription } from './model';
import type { SafetensorsTensor } from './safetensors/dtypes';
import type { StateDict } from './state-dict';

/**
 * The version of the model description (`grokking_model`) this package writes and reads.
 *
 * @example
 * JSON.parse(decodeSafetensors(saveModel(model)).metadata[MODEL_METADATA_KEY]).format === MODEL_FORMAT_VERSION; // true
 */
export const MODEL_FORMAT_VERSION = 1;

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

/**
 * The metadata entries that describe a model: `format: "pt"`, `grokking_model` and, for a transformer,
 * `transformer_lens_config`. Any kind is described (a checkpoint of a hand-written model records it too).
 *
 * @example
 * encodeSafetensors(weightTensors(stateDict(model)), modelMetadata(model)); // what saveModel writes
 */
export function modelMetadata(described: ModelDescription): { format: 'pt'; [key: string]: string } {
  const { kind, config } = described;
  const metadata: { format: 'pt'; [key: string]: string } = {
    format: 'pt',
    [MODEL_METADATA_KEY]: JSON.stringify({ format: MODEL_FORMAT_VERSION, kind, config }),
  };
  if (isModelKind(described, 'transformer')) {
    metadata[TRANSFORMER_LENS_METADATA_KEY] = JSON.stringify(toTransformerLensConfig(described.config));
  }
  return metadata;
}

/**
 * The model description a file's metadata holds, checked for its format version; the config is not validated here
 * (building the model does that), so any kind reads back.
 *
 * @throws naming the problem: no `grokking_model` entry, not JSON, another format version, no kind or config.
 * @example
 * readModelMetadata(decodeSafetensors(bytes).metadata); // { kind: 'transformer', config: { nLayers: 1, ... } }
 */
export function readModelMetadata(metadata: Readonly<Record<string, string>>): ModelDescription {
  const described = metadata[MODEL_METADATA_KEY];
  if (described === undefined) throw new Error(`not a saved model: the safetensors metadata has no "${MODEL_METADATA_KEY}" entry`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(described);
  } catch (err) {
    throw new Error(`metadata "${MODEL_METADATA_KEY}" is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object') throw new Error(`metadata "${MODEL_METADATA_KEY}" must be a JSON object`);
  const format = 'format' in parsed ? parsed.format : undefined;
  if (format !== MODEL_FORMAT_VERSION) {
    throw new Error(`metadata "${MODEL_METADATA_KEY}" has format ${JSON.stringify(format)}; this version reads format ${MODEL_FORMAT_VERSION}`);
  }
  if (!('kind' in parsed) || typeof parsed.kind !== 'string' || !('config' in parsed)) {
    throw new Error(`metadata "${MODEL_METADATA_KEY}" must hold { format, kind, config }`);
  }
  return { kind: parsed.kind, config: parsed.config };
}

/**
 * A state dict as safetensors tensors: F32, row-major, under the parameters' names (in the dict's order).
 *
 * @example
 * encodeSafetensors(weightTensors(stateDict(model)), modelMetadata(model));
 */
export function weightTensors(dict: Readonly<StateDict>): Record<string, SafetensorsTensor> {
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const [name, { shape, data }] of Object.entries(dict)) tensors[name] = { dtype: 'F32', shape: [...shape], data };
  return tensors;
}

/**
 * The state dict of decoded weight tensors, which must all be F32.
 *
 * @throws naming a tensor of another dtype, e.g. `unembed.b_U has dtype F64; saved models hold F32 parameters`.
 * @example
 * const dict = weightsOf(decodeSafetensors(bytes).tensors);
 */
export function weightsOf(tensors: Readonly<Record<string, SafetensorsTensor>>): StateDict {
  const dict: StateDict = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (t.dtype !== 'F32') throw new Error(`${name} has dtype ${t.dtype}; saved models hold F32 parameters`);
    dict[name] = { shape: t.shape, data: t.data };
  }
  return dict;
}
