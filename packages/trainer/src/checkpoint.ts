// The checkpoint file: one safetensors file holding the model's parameters under their TransformerLens names (so
// `safetensors.torch.load_file` gives a state dict directly), the optimiser's buffers under `optimizer.<buffer>.<name>`
// (`optimizer.m.embed.W_E`, `optimizer.v.embed.W_E`, or `optimizer.momentum.<name>` for SGD), and string metadata
// with everything else a resume needs. The model is described by the same metadata entries `saveModel` writes
// (`grokking_model`, and `transformer_lens_config` for transformers), so `modelFromCheckpoint` hands the weights to
// `loadModel`. A CRC-32 over names, data and metadata catches damage the safetensors structure would not.
import {
  MODEL_METADATA_KEY,
  TRANSFORMER_LENS_METADATA_KEY,
  decodeSafetensors,
  encodeSafetensors,
  loadModel,
  toTransformerLensConfig,
  type SafetensorsTensor,
  type TransformerConfig,
} from '@grokking/model';
import type { RngState } from '@grokking/tasks';
import { crc32 } from './crc32';
import type { ResolvedOptimizerConfig } from './optimizer';

/**
 * The value of the `grokking.format` metadata key in every checkpoint this version writes.
 *
 * @example
 * decodeSafetensors(bytes).metadata['grokking.format'] === CHECKPOINT_FORMAT; // true for our checkpoints
 */
export const CHECKPOINT_FORMAT = 'grokking-trainer-checkpoint/1';

/**
 * The prefix of optimiser buffers among the checkpoint's tensors.
 *
 * @example
 * const stateDict = Object.keys(tensors).filter((name) => !name.startsWith(OPTIMIZER_PREFIX)); // model weights only
 */
export const OPTIMIZER_PREFIX = 'optimizer.';

/** The version of `@grokking/model`'s model description (`grokking_model` metadata) that checkpoints write. */
const MODEL_FORMAT = 1;

/** A float32 tensor as stored in a checkpoint. */
export interface StoredTensor {
  shape: number[];
  data: Float32Array;
}

/** Everything in a checkpoint. */
export interface Checkpoint {
  /** Epochs completed when it was taken. */
  epoch: number;
  /** Optimiser steps taken. */
  step: number;
  /** The trainer's generator state at the start of the next epoch (data order, sampled batches). */
  rng: RngState;
  /** Model parameters by TransformerLens name. */
  params: Record<string, StoredTensor>;
  /** Optimiser buffers, keyed as `Optimizer.slots()` (`m.<name>`, `v.<name>`, `momentum.<name>`). */
  optimizerState: Record<string, StoredTensor>;
  /** The optimiser's settings. */
  optimizer: ResolvedOptimizerConfig;
  /** The model's kind and config, as JSON-compatible values. */
  model: { kind: string; config: unknown };
  /** The trainer settings that shape the run (JSON-compatible). */
  trainer: Record<string, unknown>;
}

/**
 * A checkpoint that cannot be read: bad bytes, a missing field or a checksum mismatch.
 *
 * @example
 * try { decodeCheckpoint(bytes); } catch (err) { if (err instanceof CheckpointError) console.warn(err.message); }
 */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

/**
 * Encodes a checkpoint as safetensors bytes.
 *
 * Metadata keys: `format` (`pt`), `grokking.format`, `epoch`, `step`, `rng` (JSON array of four uint32), `optimizer`
 * and `trainer` (JSON), `grokking_model` (JSON `{ format: 1, kind, config }`, as `saveModel` writes it),
 * `transformer_lens_config` (transformers: HookedTransformerConfig keyword arguments), `checksum` (CRC-32, 8 hex).
 *
 * @example
 * const bytes = encodeCheckpoint({ epoch: 100, step: 100, rng, params, optimizerState, optimizer, model, trainer });
 * decodeCheckpoint(bytes).epoch; // 100
 */
export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const [name, t] of Object.entries(checkpoint.params)) {
    if (name.startsWith(OPTIMIZER_PREFIX)) {
      throw new Error(`parameter name ${name} clashes with the optimizer state prefix "${OPTIMIZER_PREFIX}"`);
    }
    tensors[name] = { dtype: 'F32', shape: [...t.shape], data: t.data };
  }
  for (const [key, t] of Object.entries(checkpoint.optimizerState)) {
    tensors[OPTIMIZER_PREFIX + key] = { dtype: 'F32', shape: [...t.shape], data: t.data };
  }
  const metadata: Record<string, string> = {
    format: 'pt',
    'grokking.format': CHECKPOINT_FORMAT,
    epoch: String(checkpoint.epoch),
    step: String(checkpoint.step),
    rng: JSON.stringify(checkpoint.rng),
    optimizer: JSON.stringify(checkpoint.optimizer),
    trainer: JSON.stringify(checkpoint.trainer),
    [MODEL_METADATA_KEY]: JSON.stringify({ format: MODEL_FORMAT, ...checkpoint.model }),
  };
  if (checkpoint.model.kind === 'transformer') {
    metadata[TRANSFORMER_LENS_METADATA_KEY] = JSON.stringify(toTransformerLensConfig(checkpoint.model.config as TransformerConfig));
  }
  metadata.checksum = checksumHex(tensors, metadata);
  return encodeSafetensors(tensors, metadata);
}

/**
 * Decodes and verifies checkpoint bytes.
 *
 * @throws {CheckpointError} naming what is wrong (not safetensors, truncated, another format, a missing or bad
 *   field, a checksum mismatch).
 * @example
 * const { epoch, params } = decodeCheckpoint(await store.read(100));
 * params['embed.W_E'].shape; // [114, 128]
 */
export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  let decoded;
  try {
    decoded = decodeSafetensors(bytes);
  } catch (err) {
    throw new CheckpointError(`not a readable safetensors file: ${(err as Error).message}`);
  }
  const { tensors, metadata } = decoded;
  if (metadata['grokking.format'] !== CHECKPOINT_FORMAT) {
    throw new CheckpointError(
      `grokking.format must be ${CHECKPOINT_FORMAT}, got ${JSON.stringify(metadata['grokking.format'] ?? null)}`,
    );
  }
  const { checksum, ...rest } = metadata;
  const expected = checksumHex(tensors, rest);
  if (checksum !== expected) {
    throw new CheckpointError(`checksum mismatch: stored ${checksum ?? 'none'}, computed ${expected} (the file is damaged)`);
  }
  const params: Record<string, StoredTensor> = {};
  const optimizerState: Record<string, StoredTensor> = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (t.dtype !== 'F32') throw new CheckpointError(`tensor ${name} must be F32, got ${t.dtype}`);
    const stored = { shape: t.shape, data: t.data };
    if (name.startsWith(OPTIMIZER_PREFIX)) optimizerState[name.slice(OPTIMIZER_PREFIX.length)] = stored;
    else params[name] = stored;
  }
  return {
    epoch: integerField(metadata, 'epoch'),
    step: integerField(metadata, 'step'),
    rng: jsonField(metadata, 'rng') as RngState,
    params,
    optimizerState,
    optimizer: jsonField(metadata, 'optimizer') as ResolvedOptimizerConfig,
    model: modelField(metadata),
    trainer: jsonField(metadata, 'trainer') as Record<string, unknown>,
  };
}

function integerField(metadata: Record<string, string>, key: string): number {
  const value = Number(metadata[key]);
  if (!/^\d+$/.test(metadata[key] ?? '') || !Number.isSafeInteger(value)) {
    throw new CheckpointError(`metadata ${key} must be a non-negative integer, got ${JSON.stringify(metadata[key] ?? null)}`);
  }
  return value;
}

function jsonField(metadata: Record<string, string>, key: string): unknown {
  const text = metadata[key];
  if (text === undefined) throw new CheckpointError(`metadata ${key} is missing`);
  try {
    return JSON.parse(text);
  } catch {
    throw new CheckpointError(`metadata ${key} is not JSON: ${text.slice(0, 80)}`);
  }
}

function modelField(metadata: Record<string, string>): Checkpoint['model'] {
  const value = jsonField(metadata, MODEL_METADATA_KEY) as { format?: unknown; kind?: unknown; config?: unknown } | null;
  if (!value || typeof value.kind !== 'string' || !('config' in value)) {
    throw new CheckpointError(`metadata ${MODEL_METADATA_KEY} must hold { format, kind, config }`);
  }
  return { kind: value.kind, config: value.config };
}

/**
 * Rebuilds the checkpoint's model (a transformer or MLP of `@grokking/model`) with its weights, through `loadModel`,
 * which checks every name and shape against the config.
 *
 * @example
 * const model = modelFromCheckpoint(decodeCheckpoint(await store.read(40000)));
 * model.forward(tokens, [2]); // the trained model's logits
 */
export function modelFromCheckpoint(checkpoint: Checkpoint): ReturnType<typeof loadModel> {
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const [name, t] of Object.entries(checkpoint.params)) tensors[name] = { dtype: 'F32', shape: t.shape, data: t.data };
  const metadata = { [MODEL_METADATA_KEY]: JSON.stringify({ format: MODEL_FORMAT, ...checkpoint.model }) };
  return loadModel(encodeSafetensors(tensors, metadata));
}

/** CRC-32 over every tensor (name, dtype, shape, bytes) in name order, then every metadata entry in key order. */
function checksumHex(tensors: Record<string, SafetensorsTensor>, metadata: Record<string, string>): string {
  const text = new TextEncoder();
  let c = 0;
  for (const name of Object.keys(tensors).sort()) {
    const t = tensors[name]!;
    c = crc32(text.encode(`${name}\u0000${t.dtype}\u0000${t.shape.join(',')}\u0000`), c);
    c = crc32(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), c);
  }
  for (const key of Object.keys(metadata).sort()) c = crc32(text.encode(`${key}\u0000${metadata[key]}\u0000`), c);
  return c.toString(16).padStart(8, '0');
}
