// One phase change per slot: the write-up sees a separate phase change in the loss of each sum digit of 5-digit
// addition, and of each skip trigram (target value) of max element. Each curve's phase change is its steep fall by
// the rule of findPhases (phases.ts), read on log(loss) by default, or on the loss itself (`scale: 'linear'`) for
// noisy curves: on infinite data the per-digit losses jitter by 2-10x once small, and on a log scale that jitter is
// steeper than the phase change itself; on a linear scale the fall from the plateau dominates:
// - the steep fall is the stretch around the curve's steepest descent where the slope stays at least `steepness`
//   (default 0.1) of the steepest slope; the phase-change epoch is the evaluation of steepest descent;
// - it counts only when loss falls by at least `minFall` (default 10x) across that stretch; otherwise (a flat curve,
//   a rising one, a slow drift) the slot has no phase change (null);
// - slots are learned in the order of their phase-change epochs (ties in slot order); those with none are left out.
// A loss of exactly 0 (possible only for a logit margin past float32's range) is read as 1e-38, the smallest loss the
// precise cross-entropy reports, so that log(loss) stays finite.
import { movingMedian, steepFall, type Span } from './phases';
import type { MeasureSeries } from './series';

/** Loss curves of named slots sampled at increasing epochs: `losses[i][e]` is slot `names[i]`'s loss at `epochs[e]`. */
export interface SlotCurves {
  epochs: readonly number[];
  names: readonly string[];
  losses: readonly (readonly number[])[];
}

/** Thresholds of {@link slotPhaseChanges}, as in findPhases. */
export interface SlotPhaseOptions {
  /** A steep fall lasts while the slope is at least this fraction of the steepest slope, in (0, 1); default 0.1. */
  steepness?: number;
  /** A phase change must cut the loss by at least this factor; default 10. */
  minFall?: number;
  /** Window (an odd number of evaluations) of the moving median taken over the curve first; default 1 (none). */
  smoothing?: number;
  /** Where the steep fall is read: on log(loss) (default) or on the loss itself, for curves that are noisy when small. */
  scale?: 'log' | 'linear';
}

/** One slot's phase change, or nulls when its loss never falls steeply by minFall. */
export interface SlotPhaseChange {
  name: string;
  /** The epoch of steepest descent of log-loss. */
  epoch: number | null;
  /** The steep fall around it. */
  span: Span | null;
  /** The factor by which loss falls across the span (>= minFall). */
  fall: number | null;
}

/** Every slot's phase change, and the order in which slots are learned. */
export interface SlotPhases {
  slots: SlotPhaseChange[];
  /** Names of the slots with a phase change, by ascending phase-change epoch. */
  order: string[];
}

/** The smallest loss read, so log(loss) stays finite. */
const MIN_LOSS = 1e-38;

/**
 * Each slot's phase change (the steep fall of its log-loss curve by the rule of findPhases, at least `minFall`) and
 * the order in which the slots are learned. Pure: plain arrays in, plain data out.
 *
 * @throws when epochs do not increase, there are fewer than 3, a curve's length differs, or a loss is negative or
 *   not finite.
 * @example
 * const phases = slotPhaseChanges(slotLossCurves(series, 'test'));
 * phases.slots[5]; // { name: 'digit 5', epoch: 1200, span: { start: 900, end: 1500 }, fall: 310 }
 * phases.order; // e.g. ['digit 0', 'digit 1', 'digit 5', ...]
 */
export function slotPhaseChanges(curves: SlotCurves, options: SlotPhaseOptions = {}): SlotPhases {
  const steepness = options.steepness ?? 0.1;
  const minFall = options.minFall ?? 10;
  const smoothing = options.smoothing ?? 1;
  const scale = options.scale ?? 'log';
  if (scale !== 'log' && scale !== 'linear') throw new Error(`scale must be 'log' or 'linear', got ${String(scale)}`);
  if (!(steepness > 0 && steepness < 1)) throw new Error(`steepness must be in (0, 1), got ${steepness}`);
  if (!(minFall > 1)) throw new Error(`minFall must be greater than 1, got ${minFall}`);
  if (!Number.isInteger(smoothing) || smoothing < 1 || smoothing % 2 === 0) throw new Error(`smoothing must be an odd integer >= 1, got ${smoothing}`);
  const { epochs, names, losses } = curves;
  if (epochs.length < 3) throw new Error(`slotPhaseChanges needs at least 3 evaluations, got ${epochs.length}`);
  epochs.forEach((e, i) => {
    if (!Number.isFinite(e)) throw new Error(`epochs[${i}] must be a finite number, got ${e}`);
    if (i > 0 && !(e > epochs[i - 1]!)) throw new Error(`epochs must increase, got ${epochs[i - 1]} then ${e} at index ${i}`);
  });
  if (names.length !== losses.length) throw new Error(`names (${names.length}) and losses (${losses.length}) must have one entry per slot`);

  const slots = names.map((name, i): SlotPhaseChange => {
    const curve = losses[i]!;
    if (curve.length !== epochs.length) throw new Error(`losses of ${name} must have one value per epoch (${epochs.length}), got ${curve.length}`);
    const logLoss = curve.map((v, e) => {
      if (!(v >= 0) || !Number.isFinite(v)) throw new Error(`loss of ${name} at epoch ${epochs[e]} must be a finite loss >= 0, got ${v}`);
      return Math.log(Math.max(v, MIN_LOSS));
    });
    const read = scale === 'log' ? logLoss : curve;
    const fall = steepFall(epochs, movingMedian(read, smoothing), 0, epochs.length - 1, steepness);
    // The factor across the span: on a linear scale, the smoothed loss where the span starts over where it ends.
    const factor = !fall ? 0 : scale === 'log' ? Math.exp(fall.drop) : fall.startValue / Math.max(fall.startValue - fall.drop, MIN_LOSS);
    if (!fall || !(factor >= minFall)) return { name, epoch: null, span: null, fall: null };
    return { name, epoch: fall.steepest, span: { start: fall.start, end: fall.end }, fall: factor };
  });
  const order = slots
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.epoch !== null)
    .sort((a, b) => a.s.epoch! - b.s.epoch! || a.i - b.i)
    .map(({ s }) => s.name);
  return { slots, order };
}

/**
 * The per-slot loss curves of a measured series (measure `slotLoss`), on the train or the test set: one curve per
 * slot name, e.g. per sum digit of digit addition.
 *
 * @throws when a point lacks the slotLoss measure or that set (train is null with infinite data).
 * @example
 * slotPhaseChanges(slotLossCurves(series, 'test')).order; // the digits in the order they are learned
 */
export function slotLossCurves(series: MeasureSeries, set: 'train' | 'test'): SlotCurves {
  const { points } = series;
  const names = points[0]?.slotLoss?.names ?? [];
  const losses = names.map(() => [] as number[]);
  for (const m of points) {
    const values = m.slotLoss?.[set];
    if (!values) throw new Error(`the point at epoch ${m.epoch} has no ${set} slot loss; measure 'slotLoss'${set === 'train' ? ' with a fixed train set' : ''}`);
    values.forEach((v, i) => losses[i]?.push(v));
  }
  return { epochs: points.map((m) => m.epoch ?? NaN), names, losses };
}

/**
 * The per-target loss curves of a measured series (measure `targetLoss`), on the train or the test set: one curve per
 * output token, e.g. per skip trigram (top value) of max element. Only targets measured at every point are kept
 * (a target absent from a set has no loss there), in the order of their first appearance.
 *
 * @throws when a point lacks the targetLoss measure or that set.
 * @example
 * slotPhaseChanges(targetLossCurves(series, 'test')).slots; // one phase change per top value
 */
export function targetLossCurves(series: MeasureSeries, set: 'train' | 'test'): SlotCurves {
  const { points } = series;
  const tables = points.map((m) => {
    const table = m.targetLoss?.[set];
    if (!table) throw new Error(`the point at epoch ${m.epoch} has no ${set} target loss; measure 'targetLoss'${set === 'train' ? ' with a fixed train set' : ''}`);
    return table;
  });
  const names = Object.keys(tables[0] ?? {}).filter((name) => tables.every((t) => t[name] !== undefined));
  return { epochs: points.map((m) => m.epoch ?? NaN), names, losses: names.map((name) => tables.map((t) => t[name]!)) };
}
