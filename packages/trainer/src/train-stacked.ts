// Training K models of one shape at once: a StackedTransformer (@grokking/model) takes one batched step for all its
// members, on the same batches or (full batch) each on its own train set, with one optimiser over the stacked
// parameters (AdamW and the others are elementwise, so each member's update is the one it would get alone; a member
// may have its own weight decay). What may differ between members is stacked-members.ts'. Each member gets its own
// evaluation records and its own checkpoint store, and its checkpoints are exactly those of a run of that member
// alone (same format, same trajectory settings), so `train` (or `grok train --resume`, `grok analyze`) can pick a
// member up where the stack left it. The order of each epoch's work is epoch-loop.ts', as for `train`.
import * as tf from '@tensorflow/tfjs-core';
import type { Model, StackedTransformer } from '@grokking/model';
import { createRng, rngFromState, type Rng } from '@grokking/tasks';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from './checkpoint';
import { stackedMeanLoss, type Batch, type StackedBatch } from './data';
import { runEpochs } from './epoch-loop';
import { evalRecord } from './eval-record';
import { NonFiniteError, createFiniteWatch, nonFiniteError, nonFiniteParams } from './finite';
import { latestCheckpoint, type SkippedCheckpoint } from './latest-checkpoint';
import { createOptimizer, type Optimizer } from './optimizer';
import { resolveTrainOptions, type CheckpointOptions, type EvalRecord, type TrainData, type TrainOptions } from './options';
import { checkMemberOptions, stackMembers, type StackMembers, type StackedTrainData } from './stacked-members';
import { optimizerStep } from './step';
import type { CheckpointStore } from './store';
import type { TrainResult } from './train';
import { captureCheckpoint, checkResumable } from './train-state';

/**
 * The options of {@link trainStacked}: those of `train`, with a stack for the model, a store per member, and what may
 * differ between members (the weight decay, the trainer seed, the train set).
 */
export interface StackedTrainOptions extends Omit<TrainOptions, 'model' | 'checkpoint' | 'onEval' | 'data'> {
  model: StackedTransformer;
  /**
   * The data: one `TrainData` for every member, or one `{ train, test }` per member in member order (full-batch
   * training only; the train sets of one size). Member k is then a run on its own train set.
   */
  data: StackedTrainData;
  /** Checkpoints: one store per member, in member order, each holding that member's run. */
  checkpoint?: Omit<CheckpointOptions, 'store'> & { stores: readonly CheckpointStore[] };
  /** Called with each member's record at every evaluation, members in order. */
  onEval?: (record: EvalRecord, member: number) => void | Promise<void>;
  /**
   * AdamW only: each member's weight decay, in member order, in place of `optimizer.weightDecay`. Member k then trains
   * (and is checkpointed) as a run with `weightDecay: memberWeightDecay[k]`.
   */
  memberWeightDecay?: readonly number[];
  /**
   * Each member's trainer seed, in member order, in place of `seed` (full-batch training only, where the seed draws
   * nothing: it is what a member's checkpoints record as its run's seed).
   */
  memberSeeds?: readonly number[];
}

/** How a stacked run ended: as `train`'s result, with the last record and the skipped checkpoints per member. */
export interface StackedTrainResult extends Omit<TrainResult, 'final' | 'skippedCheckpoints'> {
  final: EvalRecord[];
  skippedCheckpoints: SkippedCheckpoint[][];
}

/**
 * Trains the members of a stack together, each as `train` would train it alone (to float32 rounding: the stack runs
 * the general path, with batched products). Metrics run on each member. A NaN or Inf in any member stops them all.
 *
 * @throws {NonFiniteError} when a loss or weight becomes NaN or Inf; as `train` for bad options; when the number of
 *   stores is not the number of members.
 * @example
 * const stack = createStackedTransformer(modularAdditionConfig(113), [0, 1, 2, 3]);
 * await trainStacked({
 *   model: stack, info: task.info, data: { train, test }, epochs: 10000,
 *   checkpoint: { stores: [0, 1, 2, 3].map((s) => createFileStore(`runs/seed=${s}`)), every: 1000 }, resume: true,
 *   onEval: (r, member) => console.log(member, r.epoch, r.testLoss),
 * });
 */
export async function trainStacked(options: StackedTrainOptions): Promise<StackedTrainResult> {
  const stack = options.model;
  if (!stack || stack.kind !== 'stacked-transformer') throw new Error('model must be a StackedTransformer (createStackedTransformer)');
  const stores = options.checkpoint?.stores ?? null;
  if (stores && (!Array.isArray(stores) || stores.length !== stack.size)) {
    throw new Error(`checkpoint.stores must hold one store per member (${stack.size}), got ${Array.isArray(stores) ? stores.length : String(stores)}`);
  }
  checkMemberOptions(options, stack.size);
  const decays = options.memberWeightDecay;
  // The shared options are member 0's: its data and seed stand for every member's in the checks.
  const o = resolveTrainOptions({
    ...options,
    model: stack as unknown as Model, // resolveTrainOptions checks params and forward, which a stack has
    data: Array.isArray(options.data) ? options.data[0]! : (options.data as TrainData),
    seed: options.memberSeeds?.[0] ?? options.seed,
    checkpoint: options.checkpoint && { ...options.checkpoint, store: stores![0]! },
    onEval: undefined,
  });
  const { info } = o;
  const optimizer = createOptimizer(stack.params, o.optimizer, decays ? { memberWeightDecay: decays } : {});
  let members: StackMembers;
  try {
    members = stackMembers(options, o);
  } catch (err) {
    optimizer.dispose();
    throw err;
  }
  const watch = createFiniteWatch(stack.params);
  const describe = (k: number) => ({ kind: 'transformer', config: stack.configs[k]! });
  try {
    let rng: Rng = createRng(o.seed);
    let resumedFrom: number | null = null;
    let skippedCheckpoints: SkippedCheckpoint[][] = stack.configs.map(() => []);
    if (o.resume && stores) {
      const found = await commonCheckpoints(stores);
      skippedCheckpoints = found.skipped;
      if (found.checkpoints) {
        const epoch = found.checkpoints[0]!.epoch;
        if (epoch > o.epochs) throw new Error(`the members' newest common checkpoint is at epoch ${epoch}, past epochs = ${o.epochs}`);
        rng = restoreMembers(found.checkpoints, stack, optimizer, members, describe);
        resumedFrom = epoch;
      }
    }

    let epoch = resumedFrom ?? 0;
    const takeStep = optimizerStep(stack.params, optimizer, watch);
    const step = (batch: Batch | StackedBatch): void => takeStep(epoch, () => stackedMeanLoss(stack, batch, info, o.loss));
    let final: EvalRecord[] = [];
    const end = await runEpochs(o, resumedFrom, rng, {
      async checkFinite() {
        const bad = await watch.firstBad();
        if (bad) throw nonFiniteError(bad, await nonFiniteParams(stack.params));
      },
      async evaluate(at, last) {
        final = [];
        for (let k = 0; k < stack.size; k++) {
          const member = stack.member(k);
          try {
            final.push(await evalRecord(member, members.source(k), rng, o, at, optimizer.step, last));
          } finally {
            member.dispose();
          }
          await options.onEval?.(final[k]!, k);
        }
      },
      async checkpoint(at, rngState) {
        const bad = await nonFiniteParams(stack.params);
        if (bad.length) {
          const message = `weights are NaN or Inf at epoch ${at} (non-finite parameters: ${bad.join(', ')}); the run stopped without checkpointing them, checkpoints already written are intact`;
          throw new NonFiniteError(message, at, 'weights', bad);
        }
        for (let k = 0; k < stack.size; k++) {
          const params = stack.memberParams(k);
          const slots = memberSlots(optimizer, k);
          const trainer = { ...members.trajectory(k), epochs: o.epochs, evalEvery: o.evalEvery };
          const checkpointed = { config: members.optimizer(k), step: optimizer.step, slots: () => slots };
          try {
            const state = await captureCheckpoint(at, { ...describe(k), params }, checkpointed, members.rngState(k, rngState), trainer);
            await stores![k]!.write(at, encodeCheckpoint(state));
          } finally {
            tf.dispose([...Object.values(params), ...Object.values(slots)]);
          }
        }
      },
      trainEpoch(at) {
        epoch = at;
        members.trainEpoch(rng, step);
      },
    });
    return {
      epoch: end.epoch, step: optimizer.step, stopped: end.aborted ? 'aborted' : 'completed', final, resumedFrom, skippedCheckpoints,
    };
  } finally {
    members.dispose();
    optimizer.dispose();
    watch.dispose();
  }
}

/** Member k's slice of every optimiser buffer, as new tensors. */
function memberSlots(optimizer: Optimizer, k: number): Record<string, tf.Tensor> {
  return tf.tidy(() => Object.fromEntries(
    Object.entries(optimizer.slots()).map(([key, slot]) => [key, tf.squeeze(tf.slice(slot, [k], [1]), [0])]),
  ));
}

/**
 * The checkpoints to resume a stack from: the newest epoch every member's store holds in good order. Members are
 * checkpointed one after another, so a run stopped between two writes leaves the first members one checkpoint
 * ahead; they go back to the epoch the others reached. Null when some member has no good checkpoint (a fresh start).
 */
async function commonCheckpoints(stores: readonly CheckpointStore[]): Promise<{ checkpoints: Checkpoint[] | null; skipped: SkippedCheckpoint[][] }> {
  const latest = await Promise.all(stores.map((store) => latestCheckpoint(store)));
  const skipped = latest.map((l) => l.skipped);
  const epoch = commonEpoch(latest);
  if (epoch === null) return { checkpoints: null, skipped };
  const checkpoints = await Promise.all(latest.map(async (l, k) => {
    if (l.checkpoint!.epoch === epoch) return l.checkpoint!;
    try {
      return decodeCheckpoint(await stores[k]!.read(epoch));
    } catch (err) {
      throw new Error(`member ${k} has no readable checkpoint at epoch ${epoch}, the newest epoch all members reached: ${(err as Error).message}`);
    }
  }));
  return { checkpoints, skipped };
}

/** The newest epoch every member's newest good checkpoint reached, or null when some member has none. */
function commonEpoch(latest: ReadonlyArray<{ checkpoint: Checkpoint | null }>): number | null {
  if (latest.some((l) => l.checkpoint === null)) return null;
  return Math.min(...latest.map((l) => l.checkpoint!.epoch));
}

/**
 * The epoch `trainStacked` with `resume` starts from over these stores (one per member): the newest epoch every
 * member's newest good checkpoint reached, or null for a fresh start.
 *
 * @example
 * await stackResumeEpoch(stores); // 3000 when the members' newest checkpoints are at 3000 and 4000
 */
export async function stackResumeEpoch(stores: readonly CheckpointStore[]): Promise<number | null> {
  return commonEpoch(await Promise.all(stores.map((store) => latestCheckpoint(store))));
}

/** Loads each member's checkpoint into the stack and the optimiser, after checking them all; returns the generator. */
function restoreMembers(
  checkpoints: readonly Checkpoint[],
  stack: StackedTransformer,
  optimizer: Optimizer,
  members: Pick<StackMembers, 'trajectory'>,
  describe: (k: number) => { kind: string; config: unknown },
): Rng {
  const shapes = Object.fromEntries(Object.entries(stack.params).map(([n, v]) => [n, { shape: v.shape.slice(1) }]));
  checkpoints.forEach((c, k) => {
    try {
      checkResumable(c, { ...describe(k), params: shapes }, members.trajectory(k));
      for (const key of Object.keys(optimizer.slots())) {
        if (!c.optimizerState[key]) throw new Error(`optimizer state ${key} missing from the checkpoint at epoch ${c.epoch}`);
      }
    } catch (err) {
      throw new Error(`member ${k}: ${(err as Error).message}`);
    }
    // Each member's generator is its own seed's (checked with the trajectory); the step is common to all.
    if (c.step !== checkpoints[0]!.step) {
      throw new Error(`member ${k}'s checkpoint at epoch ${c.epoch} has step ${c.step}, member 0's ${checkpoints[0]!.step}; the members' runs have diverged`);
    }
  });
  const slots: Record<string, tf.Tensor> = {};
  try {
    for (const key of Object.keys(optimizer.slots())) {
      slots[key] = tf.tidy(() => tf.stack(checkpoints.map((c) => tf.tensor(c.optimizerState[key]!.data, c.optimizerState[key]!.shape, 'float32'))));
    }
    optimizer.restore(checkpoints[0]!.step, slots);
  } finally {
    tf.dispose(Object.values(slots));
  }
  stack.loadMembers(checkpoints.map((c) => c.params));
  return rngFromState(checkpoints[0]!.rng);
}
