// What may differ between the members of a stack (trainStacked): the weight decay (AdamW), the trainer seed and the
// data. Everything else is shared. Each member's optimiser settings, trajectory (recorded in its checkpoints and
// compared on resume) and generator state are those of a run of that member alone, so `train` can go on from its
// checkpoints. A batch per member (its own train set) needs full-batch training: a minibatch order or a sampled batch
// would come from each member's own generator.
import * as tf from '@tensorflow/tfjs-core';
import { createRng, type Rng, type RngState } from '@grokking/tasks';
import { stackBatches, type Batch, type StackedBatch } from './data';
import { datasetChecksum, type ResolvedTrainOptions, type TrainData } from './options';
import type { ResolvedOptimizerConfig } from './optimizer';
import { createDataSource, type DataSource } from './source';

/** A fixed train set and its test set. */
export type FixedData = Extract<TrainData, { train: unknown }>;

/** The data of a stack: one `TrainData` for all members, or one fixed train set (and test set) per member. */
export type StackedTrainData = TrainData | readonly FixedData[];

/** What differs between members, as given to trainStacked (each list in member order, one entry per member). */
export interface MemberOptions {
  data: StackedTrainData;
  memberWeightDecay?: readonly number[];
  memberSeeds?: readonly number[];
}

/** Each member's settings, data and batches. */
export interface StackMembers {
  /** Member k's optimiser settings: the shared ones, with its own weight decay. */
  optimizer(k: number): ResolvedOptimizerConfig;
  /** Member k's trajectory: the shared one with its own decay, seed and train set. */
  trajectory(k: number): Record<string, unknown>;
  /** The generator state member k's checkpoint records, given the shared generator's. */
  rngState(k: number, shared: RngState): RngState;
  /** Member k's data, for its evaluations. */
  source(k: number): DataSource;
  /** Calls `step` on each batch of an epoch, for all members at once. */
  trainEpoch(rng: Rng, step: (batch: Batch | StackedBatch) => void): void;
  dispose(): void;
}

/**
 * Checks the per-member options against a stack of `size` members.
 *
 * @throws naming the option and what was expected.
 */
export function checkMemberOptions(options: MemberOptions, size: number): void {
  const lists = { memberWeightDecay: options.memberWeightDecay, memberSeeds: options.memberSeeds, data: Array.isArray(options.data) ? options.data : undefined };
  for (const [name, list] of Object.entries(lists)) {
    if (list !== undefined && (!Array.isArray(list) || list.length !== size)) {
      throw new Error(`${name} must hold one entry per member (${size}), got ${Array.isArray(list) ? `${list.length} entries` : JSON.stringify(list)}`);
    }
  }
  options.memberSeeds?.forEach((seed, k) => {
    if (!Number.isSafeInteger(seed)) throw new Error(`memberSeeds[${k}] must be a safe integer, got ${seed}`);
  });
  if (Array.isArray(options.data)) {
    (options.data as ReadonlyArray<{ train?: unknown }>).forEach((d, k) => {
      if (!d || typeof d !== 'object' || !('train' in d)) throw new Error(`data[${k}] must hold a fixed train set ({ train, test }); a stack samples no data per member`);
    });
  }
}

/**
 * Resolves each member's settings from the shared options (resolved from member 0's data and seed) and uploads its
 * data (shared data once).
 *
 * @throws when a batch per member or a seed per member is asked for without full-batch training, or the members' train
 *   sets differ in size.
 */
export function stackMembers(options: MemberOptions, o: ResolvedTrainOptions): StackMembers {
  const decays = options.memberWeightDecay ?? null;
  const seeds = options.memberSeeds ?? null;
  const perMember = Array.isArray(options.data) ? (options.data as readonly FixedData[]) : null;
  const fullBatch = (trainSize: number) => o.batchSize === null || o.batchSize >= trainSize;
  if (perMember || seeds) {
    const sizes = (perMember ?? [o.data as Partial<FixedData>]).map((d) => d.train?.size);
    if (sizes.some((n) => n === undefined || !fullBatch(n))) {
      throw new Error('a train set or a seed per member needs full-batch training on fixed train sets (no batchSize below the train size, no sampled data)');
    }
    if (sizes.some((n) => n !== sizes[0])) throw new Error(`the members' train sets must be one size, got ${sizes.join(', ')} examples`);
  }
  const sources: DataSource[] = [];
  try {
    for (const d of perMember ?? [o.data]) sources.push(createDataSource(d, o.info, o.batchSize));
  } catch (err) {
    for (const s of sources) s.dispose();
    throw err;
  }
  const rngs = seeds?.map((seed) => createRng(seed)) ?? null;
  let stacked: StackedBatch | null = null;
  const trajectories = new Map<number, Record<string, unknown>>();
  const optimizer = (k: number) => (decays ? { ...o.optimizer, weightDecay: decays[k]! } : o.optimizer);
  return {
    optimizer,
    trajectory(k) {
      // Made once per member (a train set's checksum reads all of it), then given at every checkpoint.
      let own = trajectories.get(k);
      if (!own) {
        own = { ...o.trajectory, optimizer: optimizer(k) };
        if (seeds) own.seed = seeds[k];
        if (perMember) Object.assign(own, { trainSize: perMember[k]!.train.size, dataChecksum: datasetChecksum(perMember[k]!.train) });
        trajectories.set(k, own);
      }
      return own;
    },
    // Full-batch training never draws from the generator, so a member's own stays as its seed made it.
    rngState: (k, shared) => (rngs ? rngs[k]!.state() : shared),
    source: (k) => sources[perMember ? k : 0]!,
    trainEpoch(rng, step) {
      if (!perMember) {
        sources[0]!.trainEpoch(rng, step);
        return;
      }
      stacked ??= stackBatches(sources.map((s) => s.trainEval(rng))); // made once: every epoch is the whole train set
      step(stacked);
    },
    dispose() {
      for (const s of sources) s.dispose();
      if (stacked) tf.dispose([stacked.tokens, stacked.oneHot, ...(stacked.weight ? [stacked.weight] : [])]);
    },
  };
}
