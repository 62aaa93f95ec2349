import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digitAddition, modularArithmetic, type Dataset } from '@grokking/tasks';
import { decodeCheckpoint } from './checkpoint';
import { createFileStore } from './file-store';
import { NonFiniteError } from './finite';
import type { EvalRecord, TrainOptions } from './options';
import { checkpointFileName, createMemoryStore, type CheckpointStore } from './store';
import { createTinyModel } from './tiny-model.fixture';
import { train } from './train';

const task = modularArithmetic({ p: 11 });
const split = task.split({ trainFraction: 0.5, seed: 0 });
const makeModel = (seed = 1) =>
  createTinyModel({ dVocab: task.info.dVocab, dVocabOut: task.info.dVocabOut, nCtx: task.info.nCtx, dModel: 8, dMlp: 16, seed });
type Model = ReturnType<typeof makeModel>;

/** Each parameter's float32 bits, so equality means bit for bit. */
const bitsOf = (model: Model): Record<string, number[]> =>
  Object.fromEntries(Object.entries(model.params).map(([k, v]) => [k, Array.from(new Uint32Array(Float32Array.from(v.dataSync()).buffer))]));

type Mode = 'full' | 'minibatch' | 'sampled';
const dataFor = (mode: Mode): Pick<TrainOptions, 'data' | 'batchSize'> =>
  mode === 'sampled'
    ? { data: { sample: (n, rng) => task.sample(n, rng), test: split.test }, batchSize: 16 }
    : { data: { train: split.train, test: split.test }, batchSize: mode === 'minibatch' ? 16 : undefined };

/** Runs training on a fresh model and returns it with the streamed records (the caller disposes the model). */
async function run(mode: Mode, epochs: number, extra: Partial<TrainOptions> = {}) {
  const model = makeModel();
  const records: EvalRecord[] = [];
  const result = await train({
    model, info: task.info, ...dataFor(mode), epochs, evalEvery: 5, seed: 3,
    optimizer: { lr: 1e-2, weightDecay: 1 },
    onEval: (r) => void records.push(r),
    ...extra,
  });
  return { model, records, result };
}

jest.setTimeout(60_000);

describe('train', () => {
  beforeAll(async () => {
    await readyBackend('cpu');
  });

  it.each(['full', 'minibatch', 'sampled'] as const)('is deterministic bit for bit (%s)', async (mode) => {
    const a = await run(mode, 12);
    const b = await run(mode, 12);
    expect(bitsOf(b.model)).toEqual(bitsOf(a.model));
    expect(b.records).toEqual(a.records);
    expect(a.result).toMatchObject({ epoch: 12, step: mode === 'minibatch' ? 12 * Math.ceil(split.train.size / 16) : 12, stopped: 'completed' });
    if (mode !== 'full') {
      const c = await run(mode, 12, { seed: 4 }); // another data order / other samples
      expect(bitsOf(c.model)).not.toEqual(bitsOf(a.model));
      c.model.dispose();
    }
    a.model.dispose();
    b.model.dispose();
  });

  it.each(['full', 'minibatch', 'sampled'] as const)(
    'resumes to exactly the uninterrupted run: same weights bit for bit, same metrics (%s)',
    async (mode) => {
      const straight = await run(mode, 30, { checkpoint: { store: createMemoryStore(), every: 10 } });
      const store = createMemoryStore();
      const first = await run(mode, 17, { checkpoint: { store, every: 10 } }); // stops at 17 and checkpoints it
      expect(await store.list()).toEqual([0, 10, 17]);
      const resumed = await run(mode, 30, { checkpoint: { store, every: 10 }, resume: true });
      expect(resumed.result.resumedFrom).toBe(17);
      expect(resumed.result.step).toBe(straight.result.step);
      expect(bitsOf(resumed.model)).toEqual(bitsOf(straight.model));
      expect(first.records.at(-1)!.epoch).toBe(17); // the first run's final evaluation
      expect(resumed.records).toEqual(straight.records.filter((r) => r.epoch > 17));
      expect(await store.list()).toEqual([0, 10, 17, 20, 30]);
      [straight, first, resumed].forEach((r) => r.model.dispose());
    },
  );

  it('survives a crash mid-write: a leftover temp file and a truncated newest file fall back to the last good one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trainer-crash-'));
    try {
      const store = createFileStore(dir);
      (await run('minibatch', 25, { checkpoint: { store, every: 10 } })).model.dispose();
      expect(await store.list()).toEqual([0, 10, 20, 25]);
      // What a kill can leave: the newest file cut short (a store without atomic writes, a disk fault) and a temp
      // file from a write killed before its rename.
      await truncate(join(dir, checkpointFileName(25)), 1000);
      await writeFile(join(dir, `.${checkpointFileName(30)}.tmp-99-zz`), Uint8Array.of(1, 2, 3));
      const resumed = await run('minibatch', 40, { checkpoint: { store, every: 10 }, resume: true });
      expect(resumed.result.resumedFrom).toBe(20);
      expect(resumed.result.skippedCheckpoints).toEqual([{ epoch: 25, reason: expect.stringContaining('not a readable safetensors file') }]);
      const straight = await run('minibatch', 40);
      expect(bitsOf(resumed.model)).toEqual(bitsOf(straight.model));
      expect(await store.list()).toEqual([0, 10, 20, 25, 30, 40]); // the damaged 25 stays, passed over for newer ones
      expect((await readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([`.${checkpointFileName(30)}.tmp-99-zz`]);
      [resumed, straight].forEach((r) => r.model.dispose());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports per-slot losses when the task scores several slots', async () => {
    const addition = digitAddition({ digits: 2 });
    const { train: trainSet, test } = addition.split({ seed: 0, trainSize: 50, testSize: 20 });
    const { info } = addition;
    const model = createTinyModel({ dVocab: info.dVocab, dVocabOut: info.dVocabOut, nCtx: info.nCtx, dModel: 8, dMlp: 16, seed: 1 });
    const { final } = await train({ model, info, data: { train: trainSet, test }, epochs: 3, evalEvery: 1 });
    expect(final.trainSlotLoss).toHaveLength(3);
    expect(final.testSlotLoss).toHaveLength(3);
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(final.trainSlotLoss!)).toBeCloseTo(final.trainLoss, 10);
    expect(mean(final.testSlotLoss!)).toBeCloseTo(final.testLoss!, 10);
    expect(mean(final.trainSlotAccuracy!)).toBeCloseTo(final.trainAccuracy, 10);
    expect(mean(final.testSlotAccuracy!)).toBeCloseTo(final.testAccuracy!, 10);
    model.dispose();
  });

  it('streams loss and accuracy every evalEvery epochs, and a final record', async () => {
    const { model, records, result } = await run('full', 12);
    expect(records.map((r) => r.epoch)).toEqual([0, 5, 10, 12]);
    expect(result.final).toEqual(records.at(-1));
    for (const r of records) {
      expect(r.step).toBe(r.epoch);
      expect(r.trainAccuracy).toBeGreaterThanOrEqual(0);
      expect(r.testLoss).toBeGreaterThan(0);
      expect(r.trainSlotLoss).toBeUndefined(); // one scored slot
    }
    // At epoch 0 the loss is that of the initial weights: recompute it in float64 from the model's logits.
    const fresh = makeModel();
    const logits = tf.tidy(() => fresh.forward(tf.tensor2d(split.train.tokens, [split.train.size, 3], 'int32'), [2]).arraySync());
    let sum = 0;
    logits.forEach((row, i) => {
      const z = row[0]!;
      const m = Math.max(...z);
      const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
      sum += lse - z[split.train.targets[i]!]!;
    });
    expect(records[0]!.trainLoss).toBeCloseTo(sum / split.train.size, 5);
    model.dispose();
    fresh.dispose();
  });

  it('runs metrics at metricsEvery epochs and the end, with the model and the data', async () => {
    const seen: number[] = [];
    const { model, records } = await run('full', 22, {
      evalEvery: 5,
      metricsEvery: 10,
      metrics: {
        sumOfSquares: ({ model: m, epoch }) => {
          seen.push(epoch);
          return tf.tidy(() => tf.addN(Object.values(m.params).map((p) => tf.sum(tf.square(p)))).dataSync()[0]!);
        },
        sizes: ({ train: t, test }) => ({ train: t.size, test: test?.size ?? -1 }),
      },
    });
    expect(seen).toEqual([0, 10, 20, 22]);
    expect(records.filter((r) => r.metrics).map((r) => r.epoch)).toEqual([0, 10, 20, 22]);
    const final = records.at(-1)!.metrics!;
    const expected = Object.values(model.params).reduce((s, p) => s + Array.from(p.dataSync()).reduce((a, v) => a + v * v, 0), 0);
    expect(final.sumOfSquares as number).toBeCloseTo(expected, 3);
    expect(final.sizes).toEqual({ train: split.train.size, test: split.test.size });
    model.dispose();
  });

  it('leaks no tensors: the count is the same after every epoch and back to the start at the end', async () => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const store = createMemoryStore();
    const { model } = await run('full', 300, {
      evalEvery: 1,
      checkpoint: { store, every: 50, logSpacedEarly: true },
      metrics: { norm: ({ model: m }) => tf.tidy(() => tf.norm(m.params['unembed.W_U']!).dataSync()[0]!) },
      metricsEvery: 10,
      onEval: () => void counts.push(tf.memory().numTensors),
    });
    expect(counts).toHaveLength(301);
    expect(new Set(counts).size).toBe(1);
    expect(await store.list()).toEqual([0, 1, 2, 4, 8, 16, 32, 50, 100, 150, 200, 250, 300]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    for (const mode of ['minibatch', 'sampled'] as const) {
      const modeCounts: number[] = [];
      const other = await run(mode, 40, { evalEvery: 1, onEval: () => void modeCounts.push(tf.memory().numTensors) });
      expect(new Set(modeCounts).size).toBe(1);
      other.model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  }, 180_000); // 400 evaluations and 13 checkpoints: about 15 s alone, several times that on a loaded machine

  it('stops at the first non-finite epoch, naming it, with earlier checkpoints intact', async () => {
    const before = tf.memory().numTensors;
    for (const nanCheckEvery of [1, 100]) {
      const store = createMemoryStore();
      const model = makeModel();
      const poison = (r: EvalRecord) => {
        // A weight turns NaN after the evaluation of epoch 15, so epoch 15's step is the first with a NaN loss.
        if (r.epoch === 15) tf.tidy(() => model.params['mlp.W_in']!.assign(tf.fill(model.params['mlp.W_in']!.shape, NaN)));
      };
      const failure = train({
        model, info: task.info, data: { train: split.train }, epochs: 40, evalEvery: 5, nanCheckEvery,
        checkpoint: { store, every: 10 }, onEval: poison,
      });
      await expect(failure).rejects.toThrow(NonFiniteError);
      await expect(failure).rejects.toThrow(/^training loss became NaN or Inf at epoch 15 \(non-finite parameters: .*mlp\.W_in/);
      const error = await failure.catch((e: NonFiniteError) => e);
      expect(error).toMatchObject({ epoch: 15, what: 'loss' });
      expect(await store.list()).toEqual([0, 10]);
      for (const epoch of [0, 10]) {
        const checkpoint = decodeCheckpoint(await store.read(epoch));
        expect(checkpoint.params['mlp.W_in']!.data.every(Number.isFinite)).toBe(true);
      }
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses to checkpoint non-finite weights', async () => {
    const store = createMemoryStore();
    const model = makeModel();
    const failure = train({
      model, info: task.info, data: { train: split.train }, epochs: 40, evalEvery: 10,
      checkpoint: { store, every: 10 },
      onEval: (r) => {
        if (r.epoch === 20) tf.tidy(() => model.params['unembed.W_U']!.assign(tf.fill(model.params['unembed.W_U']!.shape, Infinity)));
      },
    });
    await expect(failure).rejects.toThrow('weights are NaN or Inf at epoch 20 (non-finite parameters: unembed.W_U); the run stopped without checkpointing them');
    expect(await store.list()).toEqual([0, 10]);
    model.dispose();
  });

  it('stops after the current epoch on abort, with a final checkpoint, and resumes from it exactly', async () => {
    const controller = new AbortController();
    const store = createMemoryStore();
    const epochs: number[] = [];
    const aborted = await run('minibatch', 30, {
      signal: controller.signal,
      checkpoint: { store, every: 10 },
      onEval: (r) => {
        epochs.push(r.epoch);
        if (r.epoch === 15) controller.abort(); // while epoch 15 is under way: it finishes, then the run stops
      },
    });
    expect(aborted.result).toMatchObject({ epoch: 16, stopped: 'aborted' });
    expect(epochs).toEqual([0, 5, 10, 15, 16]);
    expect(await store.list()).toEqual([0, 10, 16]);
    const resumed = await run('minibatch', 30, { checkpoint: { store, every: 10 }, resume: true });
    const straight = await run('minibatch', 30);
    expect(resumed.result.resumedFrom).toBe(16);
    expect(bitsOf(resumed.model)).toEqual(bitsOf(straight.model));
    [aborted, resumed, straight].forEach((r) => r.model.dispose());
  });

  it('hears an abort sent from a timer while it trains', async () => {
    const controller = new AbortController();
    const store: CheckpointStore = createMemoryStore();
    setTimeout(() => controller.abort(), 300);
    const { model, result } = await run('full', 1_000_000, { signal: controller.signal, evalEvery: 1000, checkpoint: { store, every: 1000 } });
    expect(result.stopped).toBe('aborted');
    expect(result.epoch).toBeLessThan(1_000_000);
    expect((await store.list()).at(-1)).toBe(result.epoch);
    expect(decodeCheckpoint(await store.read(result.epoch)).step).toBe(result.epoch);
    model.dispose();
  });

  it('rejects a resume into another model or other settings, naming the difference', async () => {
    const store = createMemoryStore();
    (await run('full', 5, { checkpoint: { store, every: 5 } })).model.dispose();
    const other = createTinyModel({ dVocab: 12, dVocabOut: 11, nCtx: 3, dModel: 8, dMlp: 16, seed: 2 });
    await expect(train({ model: other, info: task.info, data: { train: split.train }, epochs: 10, seed: 3,
      optimizer: { lr: 1e-2, weightDecay: 1 }, checkpoint: { store, every: 5 }, resume: true }))
      .rejects.toThrow(/checkpoint at epoch 5 is for model .*"seed":1.*, but this run trains .*"seed":2/);
    other.dispose();
    await expect(run('full', 10, { checkpoint: { store, every: 5 }, resume: true, loss: 'naive' }))
      .rejects.toThrow('checkpoint at epoch 5 was written with loss = "precise", but this run has loss = "naive"');
    await expect(run('full', 3, { checkpoint: { store, every: 5 }, resume: true }))
      .rejects.toThrow('the newest checkpoint is at epoch 5, past epochs = 3');
  });

  it('validates its options and data, naming the bad value', async () => {
    const model = makeModel();
    const base = { model, info: task.info, data: { train: split.train }, epochs: 1 };
    await expect(train({ ...base, epochs: -1 })).rejects.toThrow('epochs must be a non-negative integer, got -1');
    await expect(train({ ...base, evalEvery: 0 })).rejects.toThrow('evalEvery must be a positive integer, got 0');
    await expect(train({ ...base, evalEvery: 10, metricsEvery: 15 })).rejects.toThrow('metricsEvery must be a multiple of evalEvery (10), got 15');
    await expect(train({ ...base, resume: true })).rejects.toThrow('resume needs checkpoint.store');
    await expect(train({ ...base, data: { sample: (n, rng) => task.sample(n, rng) } })).rejects.toThrow('batchSize is required');
    await expect(train({ ...base, optimizer: { lr: NaN } })).rejects.toThrow('lr must be a finite number >= 0, got NaN');
    const bad: Dataset = { ...split.train, targets: split.train.targets.map((t, i) => (i === 3 ? 11 : t)) };
    await expect(train({ ...base, data: { train: bad } })).rejects.toThrow('train.targets[3] must be in [0, 11), got 11');
    model.dispose();
  });
});
