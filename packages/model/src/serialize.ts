// Models as safetensors files, in the layout of weights-format.ts: every parameter as F32 under its TransformerLens
// name and the model's description in the metadata, so Python can read the weights with safetensors.torch.load_file
// and rebuild the config.
import type { ModelKind, Model } from './model';
import type { HookedMlp } from './mlp-model';
import { modelFromStateDict } from './rebuild';
import { type DecodeOptions, decodeSafetensors } from './safetensors/decode';
import { encodeSafetensors } from './safetensors/encode';
import { stateDict } from './state-dict';
import type { HookedTransformer } from './transformer';
import { modelMetadata, readModelMetadata, weightTensors, weightsOf } from './weights-format';

/**
 * Encodes a model as safetensors: its parameters (F32, row-major, TransformerLens names) and, in the metadata,
 * `grokking_model` (kind and config as JSON), `transformer_lens_config` (transformers only) and `format: "pt"`.
 *
 * @example
 * const bytes = saveModel(model);
 * const again = loadModel(bytes); // same config, same weights
 */
export function saveModel(model: Model<ModelKind>): Uint8Array {
  return encodeSafetensors(weightTensors(stateDict(model)), modelMetadata(model));
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
  return modelFromStateDict(readModelMetadata(metadata), weightsOf(tensors));
}
