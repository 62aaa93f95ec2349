// Test support: reading the PyTorch fixtures and comparing float arrays. Not part of the package's API.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { decodeSafetensors } from '../safetensors/decode';
import type { SafetensorsTensor } from '../safetensors/dtypes';

/** The fixture names written by fixtures/make_fixture.py. */
export const FIXTURES = ['ln-gelu-2l', 'modular-p7', 'attn-only-2l', 'mlp-p7'] as const;

/** The bytes of `fixtures/<name>.weights.safetensors`. */
export function fixtureWeights(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(__dirname, '..', '..', 'fixtures', `${name}.weights.safetensors`)));
}

/** The tensors of `fixtures/<name>.expected.safetensors`: tokens, targets, logits, loss, hooks, grad.<param>. */
export function fixtureExpected(name: string): Record<string, SafetensorsTensor> {
  const bytes = new Uint8Array(readFileSync(join(__dirname, '..', '..', 'fixtures', `${name}.expected.safetensors`)));
  return decodeSafetensors(bytes).tensors;
}

/** An int32 tensor from a fixture's I32 entry. */
export function intTensor(t: SafetensorsTensor): tf.Tensor {
  if (t.dtype !== 'I32') throw new Error(`expected I32, got ${t.dtype}`);
  return tf.tensor(t.data, t.shape, 'int32');
}

export { maxRelError } from './max-rel-error';
