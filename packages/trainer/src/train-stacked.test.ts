// trainStacked against train: each member of a stack trained together ends where it ends trained alone on the general
// path (records and weights), its checkpoints continue under plain `train`, and a stack stopped between two members'
// checkpoint writes resumes from the epoch all members reached, exactly. On cpu and wasm.
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { createStackedTransformer, createTransformer, modularAdditionConfig, type HookedTransformer } from '@grokking/model';
import { modularArithmetic } from '@grokking/tasks';
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
});
