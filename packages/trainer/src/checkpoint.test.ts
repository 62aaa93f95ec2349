import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readyBackend } from '@grokking/backend';
import {
  createTransformer, decodeSafetensors, isModelKind, MODEL_FORMAT_VERSION, MODEL_METADATA_KEY, modelMetadata, stateDict,
} from '@grokking/model';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, modelFromCheckpoint, type Checkpoint } from './checkpoint';
import { crc32 } from './crc32';
import { latestCheckpoint } from './latest-checkpoint';
import { resolveOptimizerConfig } from './optimizer';
import { checkpointFileName, createMemoryStore, epochFromFileName } from './store';

function sampleCheckpoint(epoch: number): Checkpoint {
  return {
    epoch,
    step: epoch * 2,
    rng: [1, 2, 3, 0xffffffff],
    params: {
      'embed.W_E': { shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, epoch) },
      'unembed.W_U': { shape: [3], data: Float32Array.of(-1, 0.5, 1e-30) },
    },
    optimizerState: {
      'm.embed.W_E': { shape: [2, 3], data: new Float32Array(6).fill(0.25) },
      'v.embed.W_E': { shape: [2, 3], data: new Float32Array(6).fill(0.5) },
      'm.unembed.W_U': { shape: [3], data: new Float32Array(3) },
      'v.unembed.W_U': { shape: [3], data: new Float32Array(3) },
    },
    optimizer: resolveOptimizerConfig({}),
    model: { kind: 'tiny', config: { dModel: 3, seed: 7 } },
    trainer: { seed: 0, loss: 'precise' },
  };
}

describe('crc32', () => {
  it('matches the standard check value and chains', () => {
    const bytes = new TextEncoder().encode('123456789');
    expect(crc32(bytes)).toBe(0xcbf43926); // the CRC-32/ISO-HDLC check value
    expect(crc32(bytes.subarray(4), crc32(bytes.subarray(0, 4)))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('checkpoint files', () => {
  it('round-trips every field exactly', () => {
    const original = sampleCheckpoint(100);
    expect(decodeCheckpoint(encodeCheckpoint(original))).toEqual(original);
  });

  it('is a plain safetensors state dict: parameters by name, optimiser state under optimizer.*, string metadata', () => {
    const { tensors, metadata } = decodeSafetensors(encodeCheckpoint(sampleCheckpoint(100)));
    expect(Object.keys(tensors).sort()).toEqual([
      'embed.W_E', 'optimizer.m.embed.W_E', 'optimizer.m.unembed.W_U', 'optimizer.v.embed.W_E', 'optimizer.v.unembed.W_U',
      'unembed.W_U',
    ]);
    expect(tensors['embed.W_E']).toEqual({ dtype: 'F32', shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 100) });
    expect(metadata).toMatchObject({ format: 'pt', 'grokking.format': 'grokking-trainer-checkpoint/1', epoch: '100', step: '200' });
    expect(JSON.parse(metadata.rng!)).toEqual([1, 2, 3, 0xffffffff]);
    expect(JSON.parse(metadata.optimizer!)).toMatchObject({ name: 'adamw', lr: 0.001, weightDecay: 1, betas: [0.9, 0.98] });
    expect(JSON.parse(metadata.grokking_model!)).toEqual({ format: 1, kind: 'tiny', config: { dModel: 3, seed: 7 } });
    expect(metadata.transformer_lens_config).toBeUndefined(); // only for transformers
    expect(metadata.checksum).toMatch(/^[0-9a-f]{8}$/);
  });

  it('rejects truncated, damaged and foreign files, saying why', () => {
    const bytes = encodeCheckpoint(sampleCheckpoint(5));
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 4))).toThrow(CheckpointError);
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 4))).toThrow('not a readable safetensors file');
    expect(() => decodeCheckpoint(bytes.subarray(0, 3))).toThrow('not a readable safetensors file');
    const flipped = bytes.slice();
    flipped[flipped.length - 1]! ^= 0x01; // one bit of the last tensor's data: still valid safetensors
    expect(() => decodeSafetensors(flipped)).not.toThrow();
    expect(() => decodeCheckpoint(flipped)).toThrow('checksum mismatch');
    const edited = encodeCheckpoint({ ...sampleCheckpoint(5), epoch: 6 });
    expect(decodeCheckpoint(edited).epoch).toBe(6);
    expect(() => encodeCheckpoint({ ...sampleCheckpoint(5), params: { 'optimizer.x': { shape: [1], data: new Float32Array(1) } } }))
      .toThrow('parameter name optimizer.x clashes with the optimizer state prefix');
  });
});

/** A checkpoint written by the first version (before the model's part moved to @grokking/model): test/fixtures. */
function firstVersionFile(epoch: 0 | 2): Uint8Array {
  return new Uint8Array(readFileSync(join(__dirname, '..', 'test', 'fixtures', `checkpoint-v1-epoch-${epoch}.safetensors`)));
}

describe('the model part of a checkpoint', () => {
  beforeAll(async () => {
    await readyBackend('cpu');
  });

  it('is @grokking/model\'s weights file: its metadata entries, its one format version', () => {
    const checkpoint = sampleCheckpoint(3);
    const { metadata } = decodeSafetensors(encodeCheckpoint(checkpoint));
    expect(metadata).toMatchObject(modelMetadata(checkpoint.model));
    expect(JSON.parse(metadata[MODEL_METADATA_KEY]!).format).toBe(MODEL_FORMAT_VERSION);
  });

  it('reads files of the first version, and writes them again byte for byte', () => {
    for (const epoch of [0, 2] as const) {
      const bytes = firstVersionFile(epoch);
      const checkpoint = decodeCheckpoint(bytes);
      expect(checkpoint.epoch).toBe(epoch);
      expect(encodeCheckpoint(checkpoint)).toEqual(bytes);
    }
  });

  it('rebuilds the model straight from the decoded weights: equal weights, copied', () => {
    // Epoch 0 holds the initial weights, which createTransformer makes again from the config alone.
    const checkpoint = decodeCheckpoint(firstVersionFile(0));
    if (!isModelKind(checkpoint.model, 'transformer')) throw new Error(`the fixture holds a ${checkpoint.model.kind}`);
    const expected = createTransformer(checkpoint.model.config);
    const model = modelFromCheckpoint(checkpoint);
    expect(model.kind).toBe('transformer');
    expect(stateDict(model)).toEqual(stateDict(expected));
    expect(stateDict(model)).toEqual(checkpoint.params);
    checkpoint.params['embed.W_E']!.data.fill(0); // the checkpoint's arrays, not the model's weights
    expect(stateDict(model)).toEqual(stateDict(expected));
    const trained = decodeCheckpoint(firstVersionFile(2));
    const later = modelFromCheckpoint(trained);
    expect(stateDict(later)).toEqual(trained.params);
    expect(stateDict(later)['embed.W_E']).not.toEqual(stateDict(expected)['embed.W_E']); // two epochs of training
    for (const m of [expected, model, later]) m.dispose();
  });
});

describe('checkpoint stores', () => {
  it('names files so they sort by epoch, and parses only real checkpoint names', () => {
    expect(checkpointFileName(100)).toBe('epoch-0000100.safetensors');
    expect(checkpointFileName(12345678)).toBe('epoch-12345678.safetensors');
    const names = [5, 40, 100, 3000].map(checkpointFileName);
    expect([...names].sort()).toEqual(names);
    expect(epochFromFileName('epoch-0000100.safetensors')).toBe(100);
    expect(epochFromFileName('.epoch-0000100.safetensors.tmp-1-abc')).toBeNull();
    expect(epochFromFileName('epoch-100.safetensors')).toBeNull();
    expect(() => checkpointFileName(-1)).toThrow('epoch must be a non-negative integer, got -1');
  });

  it('keeps copies in memory', async () => {
    const store = createMemoryStore();
    const bytes = Uint8Array.of(1, 2, 3);
    await store.write(20, bytes);
    await store.write(3, Uint8Array.of(9));
    bytes[0] = 7;
    expect(await store.list()).toEqual([3, 20]);
    expect(await store.read(20)).toEqual(Uint8Array.of(1, 2, 3));
    await expect(store.read(4)).rejects.toThrow('no checkpoint for epoch 4');
  });

  it('finds the newest checkpoint that reads back whole, skipping damaged newer ones', async () => {
    const store = createMemoryStore();
    for (const epoch of [0, 10, 20]) await store.write(epoch, encodeCheckpoint(sampleCheckpoint(epoch)));
    const good = encodeCheckpoint(sampleCheckpoint(30));
    await store.write(30, good.subarray(0, good.length - 100)); // truncated
    await store.write(40, encodeCheckpoint(sampleCheckpoint(41))); // stored under the wrong epoch
    const { checkpoint, skipped } = await latestCheckpoint(store);
    expect(checkpoint?.epoch).toBe(20);
    expect(checkpoint).toEqual(sampleCheckpoint(20));
    expect(skipped.map((s) => s.epoch)).toEqual([40, 30]);
    expect(skipped[0]!.reason).toContain('records epoch 41 but is stored as epoch 40');
    expect(skipped[1]!.reason).toContain('not a readable safetensors file');
    expect(await latestCheckpoint(createMemoryStore())).toEqual({ checkpoint: null, skipped: [] });
  });
});
