// trainStacked against train: each member of a stack trained together ends where it ends trained alone on the general
// path (records and weights), its checkpoints continue under plain `train`, and a stack stopped between two members'
// checkpoint writes resumes from the epoch all members reached, exactly. On cpu and wasm.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createStackedTransformer, createTransformer, defineTransformerConfig, modularAdditionConfig, type HookedTransformer } from '@grokking/model';
import { modularArithmetic, repeatedSubsequence } from '@grokking/tasks';
import { decodeCheckpoint } from './checkpoint';
import type { EvalRecord, TrainOptions } from './options';
import { createMemoryStore, type CheckpointStore } from './store';
import { train } from './train';
import { trainStacked, type StackedTrainOptions } from './train-stacked';

const task = modularArithmetic({ p: 11 });
const split = task.split({ trainFraction: 0.5, seed: 0 });
const config = modularAdditionConfig(task.info, { dModel: 16, nHeads: 2, dMlp: 32, seed: 0 });
const SEEDS = [1, 2, 3];

type Mode = 'full' | 'sampled';
const dataFor = (mode: Mode): Pick<TrainOptions, 'data' | 'batchSize'> =>
  mode === 'sampled'
    ? { data: { sample: (n, rng) => task.sample(n, rng), test: split.test }, batchSize: 16 }
    : { data: { train: split.train, test: split.test } };
const common = { info: task.info, evalEvery: 5, seed: 3, optimizer: { lr: 1e-2, weightDecay: 1 } } as const;

/** A member trained alone on the general path (the path the stack runs), with its records. */
async function alone(seed: number, mode: Mode, epochs: number, extra: Partial<TrainOptions> = {}) {
  const model = createTransformer({ ...config, seed });
  model.fastPath = false;
  const records: EvalRecord[] = [];
  await train({ model, ...common, ...dataFor(mode), epochs, onEval: (r) => void records.push(r), ...extra });
  return { model, records };
}

/**
 * The largest |a - b| / (1 + |b|) over the parameters of two models of one config, but the key bias: its gradient is
 * zero in exact arithmetic (it shifts all of a query's scores equally, which the softmax ignores), so in float32 it is
 * rounding noise, which Adam scales up to steps of about lr whatever their size. Paths that round differently (the
 * stack's batched products on wasm) move it differently.
 */
function weightGap(a: Record<string, tf.Tensor>, b: HookedTransformer): number {
  let worst = 0;
  for (const [name, t] of Object.entries(a)) {
    if (name.endsWith('attn.b_K')) continue;
    const x = t.dataSync();
    const y = b.params[name]!.dataSync();
    for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!) / (1 + Math.abs(y[i]!)));
  }
  return worst;
}

/** Each member's weights as bits, for exact comparisons. */
const bitsOf = (params: Readonly<Record<string, tf.Tensor>>) =>
  Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.from(new Uint32Array(Float32Array.from(v.dataSync()).buffer))]));

jest.setTimeout(120_000);

describe.each(['cpu', 'wasm'] as const)('trainStacked on %s', (backend) => {
  beforeAll(async () => {
    await readyBackend(backend, backend === 'wasm' ? { threads: 1 } : {});
  });

  it.each(['full', 'sampled'] as const)('trains each member as it trains alone (%s data)', async (mode) => {
    const before = tf.memory().numTensors;
    const stack = createStackedTransformer(config, SEEDS);
    const records: EvalRecord[][] = SEEDS.map(() => []);
    const result = await trainStacked({
      model: stack, ...common, ...dataFor(mode), epochs: 10, onEval: (r, k) => void records[k]!.push(r),
    });
    expect(result).toMatchObject({ epoch: 10, step: 10, stopped: 'completed', resumedFrom: null });
    expect(result.final.map((r) => r.epoch)).toEqual([10, 10, 10]);
    for (const [k, seed] of SEEDS.entries()) {
      const own = await alone(seed, mode, 10);
      expect(records[k]!.map((r) => r.epoch)).toEqual([0, 5, 10]);
      records[k]!.forEach((r, i) => {
        const o = own.records[i]!;
        expect(Math.abs(r.trainLoss - o.trainLoss) / (1 + o.trainLoss)).toBeLessThan(1e-4);
        expect(Math.abs(r.testLoss! - o.testLoss!) / (1 + o.testLoss!)).toBeLessThan(1e-4);
      });
      expect(records[k]![2]!.trainLoss).toBeLessThan(records[k]![0]!.trainLoss); // it learned something
      const params = stack.memberParams(k);
      expect(weightGap(params, own.model)).toBeLessThan(1e-4);
      tf.dispose(Object.values(params));
      own.model.dispose();
    }
    // The members differ: different seeds, different weights.
    expect(records[0]![2]!.trainLoss).not.toBe(records[1]![2]!.trainLoss);
    stack.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('writes member checkpoints that plain train continues', async () => {
    const stores = SEEDS.map(() => createMemoryStore());
    const stack = createStackedTransformer(config, SEEDS);
    const options: StackedTrainOptions = { model: stack, ...common, ...dataFor('full'), epochs: 6, checkpoint: { stores, every: 3 } };
    await trainStacked(options);
    expect(await Promise.all(stores.map((s) => s.list()))).toEqual(SEEDS.map(() => [0, 3, 6]));
    stack.dispose();
    // Member 1 goes on alone from the stack's checkpoint, and ends where a run of it alone from the start ends.
    const resumed = createTransformer({ ...config, seed: SEEDS[1]! });
    resumed.fastPath = false;
    const result = await train({ model: resumed, ...common, ...dataFor('full'), epochs: 10, checkpoint: { store: stores[1]!, every: 3 }, resume: true });
    expect(result.resumedFrom).toBe(6);
    const straight = await alone(SEEDS[1]!, 'full', 10);
    expect(weightGap(resumed.params, straight.model)).toBeLessThan(1e-4);
    [resumed, straight.model].forEach((m) => m.dispose());
  });

  it('gives each member its own weight decay, and checkpoints it as that member\'s run', async () => {
    const decays = [0, 0.3, 3];
    const stores = decays.map(() => createMemoryStore());
    const stack = createStackedTransformer(config, decays.map(() => 0)); // one seed: the members differ only in decay
    const records: EvalRecord[][] = decays.map(() => []);
    await trainStacked({
      model: stack, ...common, ...dataFor('full'), epochs: 8, memberWeightDecay: decays,
      checkpoint: { stores, every: 4 }, onEval: (r, k) => void records[k]!.push(r),
    });
    for (const [k, weightDecay] of decays.entries()) {
      const own = await alone(0, 'full', 8, { optimizer: { lr: 1e-2, weightDecay } });
      records[k]!.forEach((r, i) => expect(Math.abs(r.trainLoss - own.records[i]!.trainLoss) / (1 + own.records[i]!.trainLoss)).toBeLessThan(1e-4));
      const params = stack.memberParams(k);
      expect(weightGap(params, own.model)).toBeLessThan(1e-4);
      tf.dispose(Object.values(params));
      own.model.dispose();
      expect(decodeCheckpoint(await stores[k]!.read(8)).optimizer.weightDecay).toBe(weightDecay);
    }
    // Decay changes the weights: the members start alike and end apart.
    expect(records[0]![2]!.trainLoss).not.toBe(records[2]![2]!.trainLoss);
    stack.dispose();
    // Member 2 goes on alone with its own decay, and refuses another.
    const resumed = createTransformer(config);
    resumed.fastPath = false;
    const result = await train({
      model: resumed, ...common, optimizer: { lr: 1e-2, weightDecay: 3 }, ...dataFor('full'), epochs: 10,
      checkpoint: { store: stores[2]!, every: 4 }, resume: true,
    });
    expect(result.resumedFrom).toBe(8);
    const straight = await alone(0, 'full', 10, { optimizer: { lr: 1e-2, weightDecay: 3 } });
    expect(weightGap(resumed.params, straight.model)).toBeLessThan(1e-4);
    await expect(train({
      model: resumed, ...common, ...dataFor('full'), epochs: 10, checkpoint: { store: stores[2]!, every: 4 }, resume: true,
    })).rejects.toThrow(/was written with optimizer = .*"weightDecay":3.*but this run has optimizer = .*"weightDecay":1/);
    [resumed, straight.model].forEach((m) => m.dispose());
  });

  it('trains each member on its own train set with its own seed, as a run of it alone', async () => {
    const splits = SEEDS.map((seed) => task.split({ trainFraction: 0.5, seed }));
    const data = splits.map((split) => ({ train: split.train, test: split.test }));
    const stores = SEEDS.map(() => createMemoryStore());
    const stack = createStackedTransformer(config, SEEDS);
    const records: EvalRecord[][] = SEEDS.map(() => []);
    const before = tf.memory().numTensors;
    await trainStacked({
      model: stack, ...common, data, memberSeeds: SEEDS, epochs: 8, checkpoint: { stores, every: 4 },
      onEval: (r, k) => void records[k]!.push(r),
    });
    expect(tf.memory().numTensors).toBe(before);
    const own = (k: number, epochs: number, extra: Partial<TrainOptions> = {}) => {
      const model = createTransformer({ ...config, seed: SEEDS[k]! });
      model.fastPath = false;
      const log: EvalRecord[] = [];
      return train({ model, ...common, seed: SEEDS[k]!, data: data[k]!, epochs, onEval: (r) => void log.push(r), ...extra })
        .then(() => ({ model, log }));
    };
    for (const k of SEEDS.keys()) {
      const alone = await own(k, 8);
      records[k]!.forEach((r, i) => {
        const o = alone.log[i]!;
        expect(Math.abs(r.trainLoss - o.trainLoss) / (1 + o.trainLoss)).toBeLessThan(1e-4);
        expect(Math.abs(r.testLoss! - o.testLoss!) / (1 + o.testLoss!)).toBeLessThan(1e-4);
      });
      const params = stack.memberParams(k);
      expect(weightGap(params, alone.model)).toBeLessThan(1e-4);
      tf.dispose(Object.values(params));
      alone.model.dispose();
    }
    stack.dispose();
    // Member 2's checkpoints are a run of it alone: train goes on from them with its own data and seed.
    const resumed = await own(2, 10, { checkpoint: { store: stores[2]!, every: 4 }, resume: true });
    const straight = await own(2, 10);
    expect(resumed.log.map((r) => r.epoch)).toEqual([10]); // from epoch 8: a fresh run would evaluate at 0 and 5 too
    expect(weightGap(resumed.model.params, straight.model)).toBeLessThan(1e-4);
    [resumed.model, straight.model].forEach((m) => m.dispose());
  });

  it('weights each member\'s own scored positions when they vary per example (a train set each)', async () => {
    const induction = repeatedSubsequence({ vocabSize: 5, length: 8, repeatLength: 3 });
    const small = defineTransformerConfig({ nLayers: 2, dModel: 16, nHeads: 2, dHead: 8, attnOnly: true, nCtx: induction.info.nCtx,
      dVocab: induction.info.dVocab, dVocabOut: induction.info.dVocabOut, seed: 0 });
    const seeds = [4, 5];
    const data = seeds.map((seed) => {
      const split = induction.split({ seed, trainSize: 24, testSize: 8 });
      return { train: split.train, test: split.test };
    });
    const stack = createStackedTransformer(small, seeds);
    const records: EvalRecord[][] = seeds.map(() => []);
    const settings = { info: induction.info, evalEvery: 3, optimizer: { lr: 1e-2 } } as const;
    await trainStacked({ model: stack, ...settings, data, memberSeeds: seeds, epochs: 6, onEval: (r, k) => void records[k]!.push(r) });
    for (const [k, seed] of seeds.entries()) {
      const model = createTransformer({ ...small, seed });
      const own: EvalRecord[] = [];
      await train({ model, ...settings, seed, data: data[k]!, epochs: 6, onEval: (r) => void own.push(r) });
      records[k]!.forEach((r, i) => expect(Math.abs(r.trainLoss - own[i]!.trainLoss) / (1 + own[i]!.trainLoss)).toBeLessThan(1e-4));
      const params = stack.memberParams(k);
      expect(weightGap(params, model)).toBeLessThan(1e-4);
      tf.dispose(Object.values(params));
      model.dispose();
    }
    expect(records[0]![0]!.trainLoss).not.toBe(records[1]![0]!.trainLoss);
    stack.dispose();
  });

  it('resumes from the epoch every member reached when a run stopped between two members\' writes', async () => {
    const straight = createStackedTransformer(config, SEEDS);
    await trainStacked({ model: straight, ...common, ...dataFor('full'), epochs: 9 });

    // Member 2's store fails at epoch 6, after members 0 and 1 wrote theirs: as a run killed between the writes.
    const stores = SEEDS.map(() => createMemoryStore());
    const failing: CheckpointStore = {
      ...stores[2]!,
      write: async (epoch, bytes) => {
        if (epoch === 6) throw new Error('killed');
        await stores[2]!.write(epoch, bytes);
      },
    };
    const first = createStackedTransformer(config, SEEDS);
    await expect(trainStacked({
      model: first, ...common, ...dataFor('full'), epochs: 9, checkpoint: { stores: [stores[0]!, stores[1]!, failing], every: 3 },
    })).rejects.toThrow('killed');
    expect(await Promise.all(stores.map((s) => s.list()))).toEqual([[0, 3, 6], [0, 3, 6], [0, 3]]);
    first.dispose();

    const second = createStackedTransformer(config, SEEDS);
    const result = await trainStacked({
      model: second, ...common, ...dataFor('full'), epochs: 9, checkpoint: { stores, every: 3 }, resume: true,
    });
    expect(result.resumedFrom).toBe(3);
    expect(bitsOf(second.params)).toEqual(bitsOf(straight.params));
    [straight, second].forEach((m) => m.dispose());
  });
});

describe('trainStacked: bad options', () => {
  beforeAll(async () => {
    await readyBackend('cpu');
  });

  it('names a wrong number of stores and a model that is not a stack', async () => {
    const stack = createStackedTransformer(config, [0, 1]);
    await expect(trainStacked({
      model: stack, ...common, ...dataFor('full'), epochs: 1, checkpoint: { stores: [createMemoryStore()], every: 1 },
    })).rejects.toThrow('checkpoint.stores must hold one store per member (2), got 1');
    const single = createTransformer(config);
    await expect(trainStacked({ model: single as never, ...common, ...dataFor('full'), epochs: 1 }))
      .rejects.toThrow('model must be a StackedTransformer (createStackedTransformer)');
    [stack, single].forEach((m) => m.dispose());
  });

  it('names a weight decay per member that does not fit', async () => {
    const stack = createStackedTransformer(config, [0, 1]);
    const run = (extra: Partial<StackedTrainOptions>) => trainStacked({ model: stack, ...common, ...dataFor('full'), epochs: 1, ...extra });
    await expect(run({ memberWeightDecay: [1] })).rejects.toThrow('memberWeightDecay must hold one entry per member (2), got 1 entries');
    await expect(run({ memberWeightDecay: [1, -1] })).rejects.toThrow('memberWeightDecay[1] must be a finite number >= 0, got -1');
    await expect(run({ memberWeightDecay: [1, 1], optimizer: { name: 'adam' } })).rejects.toThrow('a weight decay per model needs the adamw optimizer, got adam');
    stack.dispose();
  });

  it('names data and seeds per member that a stack cannot train', async () => {
    const stack = createStackedTransformer(config, [0, 1]);
    const before = tf.memory().numTensors;
    const run = (extra: Partial<StackedTrainOptions>) => trainStacked({ model: stack, ...common, ...dataFor('full'), epochs: 1, ...extra });
    const own = [task.split({ trainFraction: 0.5, seed: 1 }), task.split({ trainFraction: 0.5, seed: 2 })];
    await expect(run({ data: [own[0]!] })).rejects.toThrow('data must hold one entry per member (2), got 1 entries');
    await expect(run({ memberSeeds: [1, 2.5] })).rejects.toThrow('memberSeeds[1] must be a safe integer, got 2.5');
    await expect(run({ data: own.map((s) => ({ train: s.train })), batchSize: 8 }))
      .rejects.toThrow('a train set or a seed per member needs full-batch training on fixed train sets');
    await expect(run({ ...dataFor('sampled'), memberSeeds: [1, 2] })).rejects.toThrow('a train set or a seed per member needs full-batch training');
    const smaller = task.split({ trainFraction: 0.3, seed: 2 });
    await expect(run({ data: [{ train: own[0]!.train }, { train: smaller.train }] })).rejects.toThrow(/the members' train sets must be one size, got 60, 36 examples/);
    expect(tf.memory().numTensors).toBe(before);
    stack.dispose();
  });
});
