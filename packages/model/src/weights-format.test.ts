// The weights' file layout in one place: saveModel writes exactly modelMetadata and weightTensors, the description
// reads back for any kind, and a model rebuilt from a state dict has its weights (copied, not shared).
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { defineMlpConfig } from './config';
import { createMlp } from './mlp-model';
import { modularAdditionConfig } from './presets';
import { modelFromStateDict } from './rebuild';
import { decodeSafetensors } from './safetensors/decode';
import { encodeSafetensors } from './safetensors/encode';
import { saveModel } from './serialize';
import { stateDict } from './state-dict';
import { createTransformer } from './transformer';
import { MODEL_FORMAT_VERSION, MODEL_METADATA_KEY, modelMetadata, readModelMetadata, weightTensors, weightsOf } from './weights-format';

beforeAll(async () => {
  await readyBackend('cpu');
});

describe('the weights file format', () => {
  it('is what saveModel writes, byte for byte, with the one format version', () => {
    const model = createTransformer(modularAdditionConfig(5, 3));
    const bytes = saveModel(model);
    expect(encodeSafetensors(weightTensors(stateDict(model)), modelMetadata(model))).toEqual(bytes);
    const { metadata, tensors } = decodeSafetensors(bytes);
    expect(JSON.parse(metadata[MODEL_METADATA_KEY]!)).toEqual({ format: MODEL_FORMAT_VERSION, kind: 'transformer', config: model.config });
    expect(readModelMetadata(metadata)).toEqual({ kind: 'transformer', config: model.config });
    expect(weightsOf(tensors)).toEqual(stateDict(model));
    model.dispose();
  });

  it('describes and reads back any kind, and only its own format version', () => {
    const tiny = { kind: 'tiny', config: { width: 3, seed: 1 } };
    const metadata = modelMetadata(tiny);
    expect(Object.keys(metadata)).toEqual(['format', MODEL_METADATA_KEY]); // transformer_lens_config only for transformers
    expect(readModelMetadata(metadata)).toEqual(tiny);
    const later = { [MODEL_METADATA_KEY]: JSON.stringify({ format: MODEL_FORMAT_VERSION + 1, ...tiny }) };
    expect(() => readModelMetadata(later)).toThrow(`has format ${MODEL_FORMAT_VERSION + 1}; this version reads format ${MODEL_FORMAT_VERSION}`);
    expect(() => readModelMetadata({ [MODEL_METADATA_KEY]: '{"format":1,"kind":"mlp"}' })).toThrow('must hold { format, kind, config }');
  });
});

describe('modelFromStateDict', () => {
  it('rebuilds a model with equal weights and logits, from a copy of the dict', () => {
    const model = createMlp(defineMlpConfig({ p: 5, dHidden: 4, seed: 2 }));
    const dict = stateDict(model);
    const rebuilt = modelFromStateDict({ kind: model.kind, config: model.config }, dict);
    expect(stateDict(rebuilt)).toEqual(dict);
    dict['mlp.W_in']!.data.fill(0); // the caller's dict, not the model's weights
    expect(stateDict(rebuilt)).toEqual(stateDict(model));
    const tokens = tf.tensor2d([[1, 3, 5]], [1, 3], 'int32');
    const [a, b] = [model.forward(tokens), rebuilt.forward(tokens)];
    expect(b.dataSync()).toEqual(a.dataSync());
    tf.dispose([tokens, a, b]);
    model.dispose();
    rebuilt.dispose();
  });

  it('names a kind it does not build', () => {
    expect(() => modelFromStateDict({ kind: 'tiny', config: {} }, {})).toThrow('the model has kind "tiny"; expected "transformer" or "mlp"');
  });
});
