// Save a model for PyTorch / TransformerLens: a safetensors file with TransformerLens parameter names and the
// HookedTransformerConfig in its metadata. The file is decoded again and checked name by name, and loads back to the
// same logits. In Python: `safetensors.torch.load_file(path)` gives the state dict (see the docs' Python page).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createTransformer, decodeSafetensors, loadModel, modularAdditionConfig, saveModel } from '@grokking/model';

await readyBackend('wasm', { threads: 1 });
const p = 23;
const model = createTransformer(modularAdditionConfig(p, { dModel: 32, seed: 7 }));
const path = join(mkdtempSync(join(tmpdir(), 'grok-export-')), 'model.safetensors');
writeFileSync(path, saveModel(model));

const { tensors, metadata } = decodeSafetensors(new Uint8Array(readFileSync(path)));
const expected = {
  'embed.W_E': [p + 1, 32], 'pos_embed.W_pos': [3, 32],
  'blocks.0.attn.W_Q': [4, 32, 8], 'blocks.0.attn.W_K': [4, 32, 8], 'blocks.0.attn.W_V': [4, 32, 8],
  'blocks.0.attn.W_O': [4, 8, 32], 'blocks.0.attn.b_Q': [4, 8], 'blocks.0.attn.b_K': [4, 8],
  'blocks.0.attn.b_V': [4, 8], 'blocks.0.attn.b_O': [32],
  'blocks.0.mlp.W_in': [32, 128], 'blocks.0.mlp.b_in': [128], 'blocks.0.mlp.W_out': [128, 32], 'blocks.0.mlp.b_out': [32],
  'unembed.W_U': [32, p], 'unembed.b_U': [p],
};
assert.deepEqual(Object.keys(tensors).sort(), Object.keys(expected).sort(), 'TransformerLens parameter names');
for (const [name, shape] of Object.entries(expected)) {
  assert.deepEqual(tensors[name].shape, shape, `shape of ${name}`);
  assert.equal(tensors[name].dtype, 'F32');
}
const cfg = JSON.parse(metadata.transformer_lens_config);
assert.equal(cfg.d_model, 32);
assert.equal(cfg.d_vocab, p + 1);
assert.equal(cfg.n_ctx, 3);

// The file loads back into the same function.
const again = loadModel(new Uint8Array(readFileSync(path)));
const tokens = tf.tensor2d([[3, 5, p], [20, 11, p]], [2, 3], 'int32'); // x | y | =
const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(model.forward(tokens), again.forward(tokens)))).dataSync()[0]);
assert.equal(diff, 0, 'reloaded logits should be identical');
tf.dispose(tokens);
model.dispose();
again.dispose();
console.log(`export-pytorch: ${Object.keys(tensors).length} tensors with TransformerLens names in ${path}`);
