// When the induction circuit forms, read off an induction score measured over training (measureInduction, per
// checkpoint): the score's steepest rise, by the steep-fall rule of findPhases applied to what the head still misses,
// 1 - score, on a linear scale (slot-phases.ts). The loss on repeated tokens is not read for this: it also falls in
// the first steps, as the model learns which tokens are common, and that fall is steeper than the circuit's.
import { slotPhaseChanges, type SlotPhaseChange } from './slot-phases';

/** Thresholds of {@link inductionFormation}. */
export interface InductionFormationOptions {
  /** A steep rise lasts while the slope is at least this fraction of the steepest slope, in (0, 1); default 0.1. */
  steepness?: number;
  /** 1 - score must fall by at least this factor across the rise; default 3 (e.g. from 0.82 to 0.27 or less). */
  minFall?: number;
}

/**
 * The epoch at which an induction score rises most steeply, with the span of its steep rise, or null when it never
 * rises enough (1 - score does not fall by `minFall` across the rise). Pure: plain arrays in, plain data out.
 *
 * @throws when epochs do not increase, there are fewer than 3, the lengths differ, or a score lies outside [0, 1].
 * @example
 * const scores = series.map((p) => p.induction[1][0]); // layer 1, head 0 at each checkpoint
 * inductionFormation(epochs, scores); // e.g. { epoch: 500, span: { start: 310, end: 840 }, fall: 3.6 }
 */
export function inductionFormation(
  epochs: readonly number[], scores: readonly number[], options: InductionFormationOptions = {},
): Omit<SlotPhaseChange, 'name'> | null {
  scores.forEach((s, i) => {
    if (!(s >= 0 && s <= 1)) throw new Error(`scores[${i}] must be an attention score in [0, 1], got ${s}`);
  });
  const missed = scores.map((s) => 1 - s);
  const [change] = slotPhaseChanges({ epochs, names: ['induction'], losses: [missed] }, { scale: 'linear', steepness: options.steepness, minFall: options.minFall ?? 3 }).slots;
  if (!change || change.epoch === null) return null;
  return { epoch: change.epoch, span: change.span, fall: change.fall };
}
