// Saving and loading models as safetensors: identical logits after a round trip, TransformerLens' names, and clear
// errors for files that do not fit.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { defineMlpConfig, defineTransformerConfig } from './config';
import { createMlp } from './mlp-model';
import { modularAdditionConfig } from './presets';
import { decodeSafetensors, SafetensorsError } from './safetensors/decode';
import { encodeSafetensors } from './safetensors/encode';
import { loadModel, saveModel } from './serialize';
import { stateDict } from './state-dict';
import { createTransformer } from './transformer';

beforeAll(async () => {
  await readyBackend('cpu');
});

/** Re-encodes a saved file after changing its tensors and metadata. */
function edit(bytes: Uint8Array, change: (file: ReturnType<typeof decodeSafetensors>) => void): Uint8Array {
  const file = decodeSafetensors(bytes);
  change(file);
  return encodeSafetensors(file.tensors, file.metadata);
}

describe('saveModel / loadModel', () => {
  it('round-trips a transformer: same config, same weights, identical logits', () => {
    const config = defineTransformerConfig({ nLayers: 2, dModel: 8, nHeads: 2, nCtx: 5, dVocab: 7, dVocabOut: 6, normalizationType: 'LN', actFn: 'gelu', seed: 11 });
    const model = createTransformer(config);
    const loaded = loadModel(saveModel(model));
    expect(loaded.kind).toBe('transformer');
    expect(loaded.config).toEqual(config);
    expect(stateDict(loaded)).toEqual(stateDict(model));
    const tokens = tf.tensor2d([[1, 2, 3, 4, 5], [6, 0, 6, 0, 6]], [2, 5], 'int32');
    expect(loaded.forward(tokens).dataSync()).toEqual(model.forward(tokens).dataSync());
    tokens.dispose();
    model.dispose();
    loaded.dispose();
  });

  it('round-trips the MLP', () => {
    const model = createMlp(defineMlpConfig({ p: 5, dHidden: 8, actFn: 'gelu', seed: 2 }));
    const loaded = loadModel(saveModel(model));
    expect(loaded.kind).toBe('mlp');
    expect(loaded.config).toEqual(model.config);
    const tokens = tf.tensor2d([[1, 2, 5], [4, 4, 5]], [2, 3], 'int32');
    expect(loaded.forward(tokens).dataSync()).toEqual(model.forward(tokens).dataSync());
    tokens.dispose();
    model.dispose();
    loaded.dispose();
  });

  it('writes F32 tensors under TransformerLens names, and both configs in the metadata', () => {
    const model = createTransformer(modularAdditionConfig(7, { dModel: 8, nHeads: 2, seed: 1 }));
    const { tensors, metadata } = decodeSafetensors(saveModel(model));
    expect(Object.fromEntries(Object.entries(tensors).map(([n, t]) => [n, [t.dtype, t.shape]]))).toEqual({
      'embed.W_E': ['F32', [8, 8]],
      'pos_embed.W_pos': ['F32', [3, 8]],
      'blocks.0.attn.W_Q': ['F32', [2, 8, 4]],
      'blocks.0.attn.W_K': ['F32', [2, 8, 4]],
      'blocks.0.attn.W_V': ['F32', [2, 8, 4]],
      'blocks.0.attn.W_O': ['F32', [2, 4, 8]],
      'blocks.0.attn.b_Q': ['F32', [2, 4]],
      'blocks.0.attn.b_K': ['F32', [2, 4]],
      'blocks.0.attn.b_V': ['F32', [2, 4]],
      'blocks.0.attn.b_O': ['F32', [8]],
      'blocks.0.mlp.W_in': ['F32', [8, 32]],
      'blocks.0.mlp.b_in': ['F32', [32]],
      'blocks.0.mlp.W_out': ['F32', [32, 8]],
      'blocks.0.mlp.b_out': ['F32', [8]],
      'unembed.W_U': ['F32', [8, 7]],
      'unembed.b_U': ['F32', [7]],
    });
    expect(metadata.format).toBe('pt');
    expect(JSON.parse(metadata.grokking_model!)).toEqual({ format: 1, kind: 'transformer', config: model.config });
    expect(JSON.parse(metadata.transformer_lens_config!)).toEqual({
      n_layers: 1, d_model: 8, n_heads: 2, d_head: 4, d_mlp: 32, act_fn: 'relu', normalization_type: null, attn_only: false,
      n_ctx: 3, d_vocab: 8, d_vocab_out: 7, positional_embedding_type: 'standard', eps: 1e-5, seed: 1,
    });
    model.dispose();
  });

  it('names a tensor whose shape does not fit the config', () => {
    const saved = saveModel(createTransformer(modularAdditionConfig(113, { dHead: 16 })));
    const lying = edit(saved, (f) => {
      f.metadata.grokking_model = JSON.stringify({ format: 1, kind: 'transformer', config: modularAdditionConfig(113) });
    });
    expect(() => loadModel(lying)).toThrow('blocks.0.attn.W_Q has shape [4,128,16], expected [4,128,32] for this config');
  });

  it('rejects files that are not saved models, or do not fit their config, with clear errors', () => {
    const model = createTransformer(defineTransformerConfig({ nLayers: 1, dModel: 4, nHeads: 1, nCtx: 2, dVocab: 3 }));
    const saved = saveModel(model);
    const meta = (value: unknown) => edit(saved, (f) => { f.metadata.grokking_model = JSON.stringify(value); });
    expect(() => loadModel(edit(saved, (f) => { delete f.metadata.grokking_model; }))).toThrow('not a saved model: the safetensors metadata has no "grokking_model" entry');
    expect(() => loadModel(edit(saved, (f) => { f.metadata.grokking_model = '{'; }))).toThrow(/"grokking_model" is not valid JSON/);
    expect(() => loadModel(meta({ format: 2, kind: 'transformer', config: model.config }))).toThrow('has format 2; this version reads format 1');
    expect(() => loadModel(meta({ format: 1, kind: 'rnn', config: model.config }))).toThrow('has kind "rnn"; expected "transformer" or "mlp"');
    expect(() => loadModel(meta({ format: 1, kind: 'transformer', config: { ...model.config, dModel: -4 } }))).toThrow('dModel must be a positive integer, got -4');
    // An absurd layer count is caught by counting tensors, before any per-layer work.
    expect(() => loadModel(meta({ format: 1, kind: 'transformer', config: { ...model.config, nLayers: 1e12 } }))).toThrow(/the weights have 16 tensors; this config \(1000000000000 layers\) has/);
    expect(() => loadModel(edit(saved, (f) => { delete f.tensors['blocks.0.mlp.b_in']; }))).toThrow(/have 15 tensors/);
    const renamed = edit(saved, (f) => {
      f.tensors['blocks.0.mlp.b_inn'] = f.tensors['blocks.0.mlp.b_in']!;
      delete f.tensors['blocks.0.mlp.b_in'];
    });
    expect(() => loadModel(renamed)).toThrow('state dict does not fit this model: missing blocks.0.mlp.b_in [16]; unexpected blocks.0.mlp.b_inn');
    const f64 = edit(saved, (f) => {
      const t = f.tensors['unembed.b_U']!;
      f.tensors['unembed.b_U'] = { dtype: 'F64', shape: t.shape, data: Float64Array.from(t.data as Float32Array) };
    });
    expect(() => loadModel(f64)).toThrow('unembed.b_U has dtype F64; saved models hold F32 parameters');
    expect(() => loadModel(saved.subarray(0, saved.length - 1))).toThrow(SafetensorsError);
    model.dispose();
  });
});
