// Loss spikes (slingshots): after a run has memorised, an evaluation whose loss rises above `factor` times the lowest
// loss seen so far starts a spike; it lasts until the loss is back under that bound. Counting them tells a run with
// slingshots (the naive float32 loss) from one without (the precise loss). Pure: plain arrays in, plain data out.

/** One spike: where it rose, peaked and ended, and how high it went. */
export interface LossSpike {
  /** The first evaluation above the bound. */
  start: number;
  /** The evaluation of the highest loss in the spike. */
  peak: number;
  /** The last evaluation above the bound (the run's last evaluation if it never came back). */
  end: number;
  peakLoss: number;
  /** The lowest loss before the spike: the bound is `factor` times it. */
  floor: number;
}

/** Thresholds of {@link lossSpikes}. */
export interface LossSpikeOptions {
  /** A spike is a rise above this multiple of the lowest loss so far; default 10. */
  factor?: number;
  /** Spikes count only once the loss has been below this (the run has memorised); default 1e-3. */
  armedBelow?: number;
}

/**
 * The spikes of a loss curve.
 *
 * @throws when the lengths differ, epochs do not increase, or a loss is negative or not finite.
 * @example
 * lossSpikes([0, 10, 20, 30, 40], [1, 1e-6, 1e-3, 1e-6, 1e-6]).map((s) => s.peak); // [20]
 */
export function lossSpikes(epochs: readonly number[], losses: readonly number[], options: LossSpikeOptions = {}): LossSpike[] {
  const factor = options.factor ?? 10;
  const armedBelow = options.armedBelow ?? 1e-3;
  if (!(factor > 1)) throw new Error(`factor must be greater than 1, got ${factor}`);
  if (!(armedBelow > 0)) throw new Error(`armedBelow must be positive, got ${armedBelow}`);
  if (epochs.length !== losses.length) throw new Error(`epochs (${epochs.length}) and losses (${losses.length}) must have the same length`);
  const spikes: LossSpike[] = [];
  let floor = Infinity;
  let armed = false;
  let current: LossSpike | null = null;
  for (let i = 0; i < losses.length; i++) {
    const loss = losses[i]!;
    const epoch = epochs[i]!;
    if (!(loss >= 0) || !Number.isFinite(loss)) throw new Error(`losses[${i}] must be a finite non-negative number, got ${loss}`);
    if (i > 0 && !(epoch > epochs[i - 1]!)) throw new Error(`epochs must increase, got ${epochs[i - 1]} then ${epoch} at index ${i}`);
    if (armed && loss > factor * floor) {
      if (!current) current = { start: epoch, peak: epoch, end: epoch, peakLoss: loss, floor };
      current.end = epoch;
      if (loss > current.peakLoss) Object.assign(current, { peak: epoch, peakLoss: loss });
      continue;
    }
    if (current) {
      spikes.push(current);
      current = null;
    }
    floor = Math.min(floor, loss);
    if (loss < armedBelow) armed = true;
  }
  if (current) spikes.push(current);
  return spikes;
}
