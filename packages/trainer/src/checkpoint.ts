// The checkpoint file: @grokking/model's weights file (every parameter as F32 under its TransformerLens name, so
// `safetensors.torch.load_file` gives a state dict, and the model's description in the metadata: see its
// weights-format.ts) with the run's state on top: the optimiser's buffers as tensors under `optimizer.<buffer>.<name>`
// (`optimizer.m.embed.W_E`, `optimizer.v.embed.W_E`, or `optimizer.momentum.<name>` for SGD), string metadata with
// everything else a resume needs, and a CRC-32 over names, data and metadata that catches damage the safetensors
// structure would not.
import {
  decodeSafetensors,
  encodeSafetensors,
  modelFromStateDict,
  modelMetadata,
  readModelMetadata,
  weightTensors,
  weightsOf,
  type HookedMlp,
  type HookedTransformer,
  type ModelDescription,
  type SafetensorsTensor,
  type StateDict,
} from '@grokking/model';
import type { RngState } from '@grokking/tasks';
import { crc32 } from './crc32';
import type { ResolvedOptimizerConfig } from './optimizer';

/**
 * The value of the `grokking.format` metadata key in every checkpoint this version writes: the version of what the
 * trainer adds to the model's file (the model's own part has its version, MODEL_FORMAT_VERSION).
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

/** Everything in a checkpoint. */
export interface Checkpoint {
  /** Epochs completed when it was taken. */
  epoch: number;
  /** Optimiser steps taken. */
  step: number;
  /** The trainer's generator state at the start of the next epoch (data order, sampled batches). */
  rng: RngState;
  /** Model parameters by TransformerLens name. */
  params: StateDict;
  /** Optimiser buffers, keyed as `Optimizer.slots()` (`m.<name>`, `v.<name>`, `momentum.<name>`). */
  optimizerState: StateDict;
  /** The optimiser's settings. */
  optimizer: ResolvedOptimizerConfig;
  /** The model's kind and config, as JSON-compatible values. */
  model: ModelDescription;
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
 * Encodes a checkpoint as safetensors bytes: the model's weights file (tensors and metadata from @grokking/model's
 * weightTensors and modelMetadata) plus the optimiser's buffers and the run's metadata.
 *
 * Metadata keys: the model's (`format`: `pt`, `grokking_model`, and `transformer_lens_config` for transformers), then
 * `grokking.format`, `epoch`, `step`, `rng` (JSON array of four uint32), `optimizer` and `trainer` (JSON), and
 * `checksum` (CRC-32, 8 hex).
 *
 * @example
 * const bytes = encodeCheckpoint({ epoch: 100, step: 100, rng, params, optimizerState, optimizer, model, trainer });
 * decodeCheckpoint(bytes).epoch; // 100
 */
export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const clash = Object.keys(checkpoint.params).find((name) => name.startsWith(OPTIMIZER_PREFIX));
  if (clash !== undefined) throw new Error(`parameter name ${clash} clashes with the optimizer state prefix "${OPTIMIZER_PREFIX}"`);
  const tensors = weightTensors(checkpoint.params);
  for (const [key, t] of Object.entries(weightTensors(checkpoint.optimizerState))) tensors[OPTIMIZER_PREFIX + key] = t;
  // The run's entries sit between the model's `format` and its description: the order the first version wrote.
  const { format, ...description } = modelMetadata(checkpoint.model);
  const metadata: Record<string, string> = {
    format,
    'grokking.format': CHECKPOINT_FORMAT,
    epoch: String(checkpoint.epoch),
    step: String(checkpoint.step),
    rng: JSON.stringify(checkpoint.rng),
    optimizer: JSON.stringify(checkpoint.optimizer),
    trainer: JSON.stringify(checkpoint.trainer),
    ...description,
  };
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
  const params: StateDict = {};
  const optimizerState: StateDict = {};
  for (const [name, entry] of Object.entries(modelPart(() => weightsOf(tensors)))) {
    if (name.startsWith(OPTIMIZER_PREFIX)) optimizerState[name.slice(OPTIMIZER_PREFIX.length)] = entry;
    else params[name] = entry;
  }
  return {
    epoch: integerField(metadata, 'epoch'),
    step: integerField(metadata, 'step'),
    rng: jsonField(metadata, 'rng') as RngState,
    params,
    optimizerState,
    optimizer: jsonField(metadata, 'optimizer') as ResolvedOptimizerConfig,
    model: modelPart(() => readModelMetadata(metadata)),
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

/** Reads the model's part of the file with @grokking/model, its errors as CheckpointErrors. */
function modelPart<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw new CheckpointError((err as Error).message);
  }
}

/**
 * Rebuilds the checkpoint's model (a transformer or MLP of `@grokking/model`) with a copy of its weights, through
 * `modelFromStateDict`, which validates the config and checks every name and shape against it.
 *
 * @example
 * const model = modelFromCheckpoint(decodeCheckpoint(await store.read(40000)));
 * model.forward(tokens, [2]); // the trained model's logits
 */
export function modelFromCheckpoint(checkpoint: Checkpoint): HookedTransformer | HookedMlp {
  return modelFromStateDict(checkpoint.model, checkpoint.params);
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
