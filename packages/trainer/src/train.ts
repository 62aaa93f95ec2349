// The training loop of one model (the order of each epoch's work is epoch-loop.ts'). Data tensors are
// made once; a step (step.ts) is one forward and backward pass and an in-place optimiser update, with no
// read-back to JS: NaN/Inf checks accumulate on the backend and are read every `nanCheckEvery` epochs, before every
// evaluation and before every checkpoint (see finite.ts).
import { createRng, type Rng } from '@grokking/tasks';
import { encodeCheckpoint } from './checkpoint';
import { meanLoss, type Batch } from './data';
import { runEpochs } from './epoch-loop';
import { evalRecord } from './eval-record';
import { NonFiniteError, createFiniteWatch, nonFiniteError, nonFiniteParams } from './finite';
import { latestCheckpoint, type SkippedCheckpoint } from './latest-checkpoint';
import { createOptimizer } from './optimizer';
import { resolveTrainOptions, type EvalRecord, type TrainOptions } from './options';
import { createDataSource } from './source';
import { optimizerStep } from './step';
import { captureCheckpoint, restoreCheckpoint } from './train-state';

/** How a run ended (a NaN or Inf throws a `NonFiniteError` instead). */
export interface TrainResult {
  /** Epochs completed. */
  epoch: number;
  /** Optimiser steps taken. */
  step: number;
  /** `completed` after `epochs`; `aborted` when the signal stopped it early. */
  stopped: 'completed' | 'aborted';
  /** The last evaluation (of the final weights). */
  final: EvalRecord;
  /** The epoch of the checkpoint the run resumed from, or null for a fresh start. */
  resumedFrom: number | null;
  /** Newer checkpoints that could not be read when resuming, newest first. */
  skippedCheckpoints: SkippedCheckpoint[];
}

/**
 * Trains a model on a task: full batch by default (the write-up's setting), minibatch with `batchSize`, or on fresh
 * sampled data. Deterministic for a given model seed and trainer seed (bit for bit on the cpu backend), resumable
 * exactly from its checkpoints.
 *
 * @throws {NonFiniteError} when the loss or the weights become NaN or Inf, naming the first bad epoch.
 * @example
 * const task = modularArithmetic({ p: 113 });
 * const { train: trainSet, test } = task.split({ trainFraction: 0.3, seed: 0 });
 * const model = createTransformer(defineTransformerConfig({ nLayers: 1, dModel: 128, nHeads: 4, nCtx: 3,
 *   dVocab: 114, dVocabOut: 113 }));
 * const result = await train({
 *   model, info: task.info, data: { train: trainSet, test }, epochs: 40000,
 *   optimizer: { name: 'adamw', lr: 1e-3, weightDecay: 1, betas: [0.9, 0.98], warmupSteps: 10 },
 *   evalEvery: 100, checkpoint: { store: createFileStore('runs/p113'), every: 1000 }, resume: true,
 *   onEval: (r) => console.log(r.epoch, r.trainLoss, r.testLoss),
 * });
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const o = resolveTrainOptions(options);
  const { model, info, checkpoint } = o;
  const source = createDataSource(o.data, info, o.batchSize);
  const optimizer = createOptimizer(model.params, o.optimizer);
  const watch = createFiniteWatch(model.params);
  try {
    let rng: Rng = createRng(o.seed);
    let resumedFrom: number | null = null;
    let skippedCheckpoints: SkippedCheckpoint[] = [];
    if (o.resume && checkpoint) {
      const latest = await latestCheckpoint(checkpoint.store);
      skippedCheckpoints = latest.skipped;
      if (latest.checkpoint) {
        if (latest.checkpoint.epoch > o.epochs) {
          throw new Error(`the newest checkpoint is at epoch ${latest.checkpoint.epoch}, past epochs = ${o.epochs}`);
        }
        rng = restoreCheckpoint(latest.checkpoint, model, optimizer, o.trajectory);
        resumedFrom = latest.checkpoint.epoch;
      }
    }

    let epoch = resumedFrom ?? 0;
    const takeStep = optimizerStep(model.params, optimizer, watch);
    const step = (batch: Batch): void => takeStep(epoch, () => meanLoss(model, batch, info, o.loss));
    let final: EvalRecord | null = null;
    const end = await runEpochs(o, resumedFrom, rng, {
      async checkFinite() {
        const bad = await watch.firstBad();
        if (bad) throw nonFiniteError(bad, await nonFiniteParams(model.params));
      },
      async evaluate(at, last) {
        final = await evalRecord(model, source, rng, o, at, optimizer.step, last);
        await o.onEval?.(final);
      },
      async checkpoint(at, rngState) {
        const bad = await nonFiniteParams(model.params); // also catches weights changed outside the loop
        if (bad.length) {
          const message = `weights are NaN or Inf at epoch ${at} (non-finite parameters: ${bad.join(', ')}); the run stopped without checkpointing them, checkpoints already written are intact`;
          throw new NonFiniteError(message, at, 'weights', bad);
        }
        const state = await captureCheckpoint(at, model, optimizer, rngState, {
          ...o.trajectory, epochs: o.epochs, evalEvery: o.evalEvery,
        });
        await checkpoint!.store.write(at, encodeCheckpoint(state));
      },
      trainEpoch(at) {
        epoch = at;
        source.trainEpoch(rng, step);
      },
    });
    return {
      epoch: end.epoch, step: optimizer.step, stopped: end.aborted ? 'aborted' : 'completed', final: final!, resumedFrom, skippedCheckpoints,
    };
  } finally {
    source.dispose();
    optimizer.dispose();
    watch.dispose();
  }
}
