// The order of a run's work, epoch by epoch, shared by `train` and `trainStacked`: at each epoch, in order, check
// for NaN/Inf (before an evaluation, before a checkpoint, and every `nanCheckEvery` epochs), evaluate (every
// `evalEvery` epochs and at the end), checkpoint (at scheduled epochs and at the end, never the epoch resumed from),
// then train the epoch; yield to the event loop now and then so an abort signal or a worker message can arrive.
import type { Rng, RngState } from '@grokking/tasks';
import { isCheckpointEpoch, type ResolvedTrainOptions } from './options';

/** What a run does at each point of the loop. */
export interface EpochWork {
  /** Reads the NaN/Inf record and throws if a value went non-finite. */
  checkFinite(): Promise<void>;
  /** Evaluates the weights after `epoch` epochs; `last` at the final evaluation. */
  evaluate(epoch: number, last: boolean): Promise<void>;
  /** Checkpoints the state after `epoch` epochs, with the generator as it was at the start of the next epoch. */
  checkpoint(epoch: number, rng: RngState): Promise<void>;
  /** Trains one epoch (epoch + 1 after it). */
  trainEpoch(epoch: number): void;
}

/** Yield to the event loop at least this often, so an abort signal or a worker message can arrive. */
const YIELD_MS = 50;

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * Runs epochs from `start` up to `o.epochs` (or until `o.signal` aborts), and returns the epoch it stopped at.
 *
 * @example
 * const { epoch, aborted } = await runEpochs(o, resumedFrom, rng, work);
 */
export async function runEpochs(
  o: Pick<ResolvedTrainOptions, 'epochs' | 'evalEvery' | 'nanCheckEvery' | 'checkpoint' | 'signal'>,
  resumedFrom: number | null,
  rng: Rng,
  work: EpochWork,
): Promise<{ epoch: number; aborted: boolean }> {
  let epoch = resumedFrom ?? 0;
  let lastYield = now();
  for (;;) {
    const rngAtEpochStart = rng.state();
    const aborted = o.signal?.aborted ?? false;
    const last = aborted || epoch >= o.epochs;
    const evalDue = last || epoch % o.evalEvery === 0;
    const checkpointDue = o.checkpoint !== null && epoch !== resumedFrom && (last || isCheckpointEpoch(epoch, o.checkpoint));
    if (evalDue || checkpointDue || epoch % o.nanCheckEvery === 0) await work.checkFinite();
    if (evalDue) await work.evaluate(epoch, last);
    if (checkpointDue) await work.checkpoint(epoch, rngAtEpochStart);
    if (last) return { epoch, aborted };
    work.trainEpoch(epoch);
    epoch += 1;
    if (now() - lastYield > YIELD_MS) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      lastYield = now();
    }
  }
}
