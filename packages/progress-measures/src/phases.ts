// The phases of grokking read off the loss curves: memorisation, circuit formation and cleanup (Nanda et al. 2023;
// the write-up's memorisation / interpolation / cleaning-up narrative). Losses span many decades, so every curve is
// read as log(loss) against epoch.
//
// The rule. A "steep fall" of a log-loss curve is the contiguous run of epochs around its steepest descent where the
// slope stays at least `steepness` (default 0.1) of that steepest slope; its start and end are where the slope
// crosses that level (interpolated between evaluations). For a logistic step in log-loss with width w centred at t0,
// log L(t) = a - Δ·σ((t - t0)/w), the fall spans t0 ± 3.64 w (where σ(1-σ) = 0.1/4).
// - cleanup = the steep fall of test loss (its steepest over the run): test loss drops as the memorised solution is
//   removed. It must drop test loss by at least `minFall` (10x).
// - memorisation = from the first evaluation to the end of train loss's steepest fall before cleanup starts: the
//   model fits the train set, and train loss levels out.
// - circuit formation = from the end of memorisation to the start of cleanup: train and test loss are flat while the
//   generalising circuit forms (excluded loss rises, restricted loss falls: see the measures).
// Grokking is detected only when memorisation came first: when cleanup starts, train loss must be at least
// `minGap` (10x) below test loss, and memorisation must end before cleanup starts. Train and test falling together
// (enough data, no grokking) or a test loss that never falls (memorised, not yet grokked) give `detected: false`.
// The restricted-loss fall, where the generalising circuit's own loss falls steeply (the write-up's phase change in
// trig loss), is reported beside the phases when that curve is given.
// Slingshot spikes (a loss jumping up for an evaluation or two) would make false steep falls; `smoothing` takes a
// centred moving median of log-loss over that many evaluations first, which removes spikes shorter than half the
// window and leaves any monotone stretch of a curve unchanged. Boundaries are reported to the nearest epoch.
import type { MeasureSeries } from './series';

/** Loss curves sampled at increasing epochs. */
export interface PhaseCurves {
  epochs: readonly number[];
  trainLoss: readonly number[];
  testLoss: readonly number[];
  /** Restricted loss on the train set, optional. */
  restrictedLoss?: readonly number[];
}

/** Thresholds of {@link findPhases}. */
export interface PhaseOptions {
  /** A steep fall lasts while the slope is at least this fraction of the steepest slope, in (0, 1); default 0.1. */
  steepness?: number;
  /** Cleanup must cut test loss by at least this factor; default 10. */
  minFall?: number;
  /** At cleanup's start train loss must be below test loss by at least this factor; default 10. */
  minGap?: number;
  /** Window (an odd number of evaluations) of the moving median taken over log-loss first; default 1 (none). */
  smoothing?: number;
}

/** An epoch range. */
export interface Span {
  start: number;
  end: number;
}

/** The phases found; each span is null when grokking is not detected. */
export interface Phases {
  detected: boolean;
  /** Why grokking was not detected, or null. */
  reason: string | null;
  memorisation: Span | null;
  circuitFormation: Span | null;
  cleanup: Span | null;
  /** The steep fall of restricted loss (by at least minFall), when that curve is given and has one. */
  restrictedLossFall: Span | null;
}

/** A steep fall: its span in epochs and the indices of the evaluations inside it. */
export interface Fall extends Span {
  first: number;
  last: number;
  /** The epoch of the steepest descent (an evaluation's epoch). */
  steepest: number;
  /** The curve's value where the span starts (log-loss for the phases). */
  startValue: number;
  /** The curve's value fallen across the span (log-loss for the phases). */
  drop: number;
}

/**
 * Finds the phases of grokking from loss curves by the rule above (see the README for the same rule in words).
 *
 * @example
 * const phases = findPhases({ epochs, trainLoss, testLoss, restrictedLoss }, { smoothing: 5 });
 * phases.detected; // true for a grokking run
 * phases.cleanup; // e.g. { start: 9400, end: 13000 }
 */
export function findPhases(curves: PhaseCurves, options: PhaseOptions = {}): Phases {
  const steepness = options.steepness ?? 0.1;
  const minFall = options.minFall ?? 10;
  const minGap = options.minGap ?? 10;
  const smoothing = options.smoothing ?? 1;
  if (!(steepness > 0 && steepness < 1)) throw new Error(`steepness must be in (0, 1), got ${steepness}`);
  if (!(minFall > 1)) throw new Error(`minFall must be greater than 1, got ${minFall}`);
  if (!(minGap > 1)) throw new Error(`minGap must be greater than 1, got ${minGap}`);
  if (!Number.isInteger(smoothing) || smoothing < 1 || smoothing % 2 === 0) throw new Error(`smoothing must be an odd integer >= 1, got ${smoothing}`);
  const t = checkEpochs(curves.epochs);
  const read = (name: string, values: readonly number[]) => movingMedian(logLosses(name, values, t.length), smoothing);
  const train = read('trainLoss', curves.trainLoss);
  const test = read('testLoss', curves.testLoss);
  const restricted = curves.restrictedLoss ? read('restrictedLoss', curves.restrictedLoss) : null;

  const restrictedFall = restricted ? steepFall(t, restricted, 0, t.length - 1, steepness) : null;
  const restrictedLossFall = restrictedFall && restrictedFall.drop >= Math.log(minFall) ? span(restrictedFall) : null;
  const none = (reason: string): Phases => ({ detected: false, reason, memorisation: null, circuitFormation: null, cleanup: null, restrictedLossFall });

  const cleanup = steepFall(t, test, 0, t.length - 1, steepness);
  if (!cleanup || cleanup.drop < Math.log(minFall)) return none(`test loss never falls steeply by ${minFall}x: no generalisation`);
  const gap = valueAt(t, test, cleanup.start) - valueAt(t, train, cleanup.start);
  if (gap < Math.log(minGap)) {
    return none(`train loss was not ${minGap}x below test loss when test loss began to fall: no memorisation came first`);
  }
  const memorised = cleanup.first > 0 ? steepFall(t, train, 0, cleanup.first - 1, steepness) : null;
  if (!memorised || memorised.end >= cleanup.start) return none('train loss did not level out before test loss began to fall');
  return {
    detected: true,
    reason: null,
    memorisation: { start: t[0]!, end: memorised.end },
    circuitFormation: { start: memorised.end, end: cleanup.start },
    cleanup: span(cleanup),
    restrictedLossFall,
  };
}

/**
 * The curves of a measured series, for {@link findPhases}: train and test loss (and restricted loss on the train
 * set when measured) by epoch.
 *
 * @throws when a point lacks the loss measure or a test loss.
 * @example
 * findPhases(seriesCurves(await measureSeries(checkpoints, { task, split })));
 */
export function seriesCurves(series: MeasureSeries): PhaseCurves {
  const { points } = series;
  const trainLoss: number[] = [];
  const testLoss: number[] = [];
  for (const m of points) {
    if (!m.loss || m.loss.test === null) throw new Error(`the point at epoch ${m.epoch} has no train and test loss; measure 'loss' with a test set`);
    if (m.loss.train === null) throw new Error('no train set (infinite data): phases of grokking need a fixed train set to memorise');
    trainLoss.push(m.loss.train);
    testLoss.push(m.loss.test);
  }
  const curves: PhaseCurves = { epochs: points.map((m) => m.epoch ?? NaN), trainLoss, testLoss };
  if (points.every((m) => m.restrictedLoss)) curves.restrictedLoss = points.map((m) => m.restrictedLoss!.train);
  return curves;
}

function span(fall: Fall): Span {
  return { start: fall.start, end: fall.end };
}

function checkEpochs(epochs: readonly number[]): number[] {
  if (epochs.length < 3) throw new Error(`findPhases needs at least 3 evaluations, got ${epochs.length}`);
  epochs.forEach((e, i) => {
    if (!Number.isFinite(e)) throw new Error(`epochs[${i}] must be a finite number, got ${e}`);
    if (i > 0 && !(e > epochs[i - 1]!)) throw new Error(`epochs must increase, got ${epochs[i - 1]} then ${e} at index ${i}`);
  });
  return [...epochs];
}

function logLosses(name: string, values: readonly number[], n: number): number[] {
  if (values.length !== n) throw new Error(`${name} must have one value per epoch (${n}), got ${values.length}`);
  return values.map((v, i) => {
    if (!(v > 0) || !Number.isFinite(v)) throw new Error(`${name}[${i}] must be a positive finite loss, got ${v}`);
    return Math.log(v);
  });
}

/**
 * Centred moving median over `window` values, the window shrinking symmetrically at the ends (internal).
 *
 * @example
 * movingMedian([1, 2, 3, 100, 5, 6, 7], 3); // [1, 2, 3, 5, 6, 6, 7]
 */
export function movingMedian(values: readonly number[], window: number): number[] {
  const half = (window - 1) / 2;
  return values.map((_, i) => {
    const h = Math.min(half, i, values.length - 1 - i);
    const slice = values.slice(i - h, i + h + 1).sort((a, b) => a - b);
    return slice[h]!;
  });
}

/** Slope of y against t at each point: central differences inside, one-sided at the ends. */
function slopes(t: readonly number[], y: readonly number[]): number[] {
  const n = t.length;
  return y.map((_, i) => {
    const a = Math.max(0, i - 1);
    const b = Math.min(n - 1, i + 1);
    return (y[b]! - y[a]!) / (t[b]! - t[a]!);
  });
}

/** Linear interpolation of y at epoch e (inside t's range). */
function valueAt(t: readonly number[], y: readonly number[], e: number): number {
  let i = 0;
  while (i < t.length - 2 && t[i + 1]! < e) i++;
  const f = (e - t[i]!) / (t[i + 1]! - t[i]!);
  return y[i]! + Math.min(1, Math.max(0, f)) * (y[i + 1]! - y[i]!);
}

/**
 * The steep fall around the steepest descent of y (log-loss) among indices from..to, or null when y never falls
 * there: the rule above, shared with the per-slot phase changes (slot-phases.ts).
 *
 * @example
 * steepFall(epochs, logLoss, 0, epochs.length - 1, 0.1); // { start, end, first, last, steepest, drop } or null
 */
export function steepFall(t: readonly number[], y: readonly number[], from: number, to: number, steepness: number): Fall | null {
  const s = slopes(t, y);
  let k = from;
  for (let i = from; i <= to; i++) if (s[i]! < s[k]!) k = i;
  if (!(s[k]! < 0)) return null;
  const level = steepness * s[k]!; // steep means slope <= level (both negative)
  let first = k;
  while (first > 0 && s[first - 1]! <= level) first--;
  let last = k;
  while (last < t.length - 1 && s[last + 1]! <= level) last++;
  // Where the slope crosses the level, interpolated between the flat neighbour and the first (last) steep point.
  const cross = (flat: number, steep: number) => t[flat]! + ((level - s[flat]!) / (s[steep]! - s[flat]!)) * (t[steep]! - t[flat]!);
  const start = first > 0 ? cross(first - 1, first) : t[first]!;
  const end = last < t.length - 1 ? cross(last + 1, last) : t[last]!;
  // Reported to the nearest epoch; the drop is measured at the interpolated crossings.
  const startValue = valueAt(t, y, start);
  return { start: Math.round(start), end: Math.round(end), first, last, steepest: t[k]!, startValue, drop: startValue - valueAt(t, y, end) };
}
