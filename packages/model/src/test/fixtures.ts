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

/**
 * The largest |actual - expected| / (1 + |expected|) over the arrays (0 where both are the same infinity),
 * or Infinity when the lengths differ or only one side is non-finite.
 */
export function maxRelError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (a === e) continue;
    if (!Number.isFinite(a) || !Number.isFinite(e)) return Infinity;
    worst = Math.max(worst, Math.abs(a - e) / (1 + Math.abs(e)));
  }
  return worst;
}
