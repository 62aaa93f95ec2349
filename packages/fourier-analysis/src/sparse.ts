// Key frequencies as those that stand out of a per-frequency norm plot (a ratio to the median).
/** Options for {@link sparseKeyFrequencies}. */
export interface SparseKeyOptions {
  /** A frequency is key when its energy (squared norm) is at least this many times the median energy (default 10). */
  ratio?: number;
}

/** The default for {@link SparseKeyOptions.ratio}. */
export const SPARSE_KEY_RATIO = 10;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * The frequencies that stand out in a per-frequency norm plot (freqNorms[k - 1] for k = 1..floor(p/2)): those whose
 * energy norm² is at least `ratio` times the median energy over all frequencies. The median comes from the many
 * frequencies a trained model throws away, so it holds when key frequencies are a minority (fewer than half, as in
 * every grokked model: 5 of 56 in the write-up). For a random matrix with m columns each energy is chi-squared
 * with 2m degrees of freedom, so with the default ratio 10 and p = 113 the chance that any of the 56 frequencies
 * passes is about 5e-5 for m = 2, 6e-11 for m = 4 and nil for a real width (m = 128); only m = 1 (~5%) is unsafe.
 * Ascending.
 *
 * @example
 * sparseKeyFrequencies([0.1, 2, 0.1, 0.12, 0.09]); // [2]
 */
export function sparseKeyFrequencies(freqNorms: ArrayLike<number>, options: SparseKeyOptions = {}): number[] {
  const ratio = options.ratio ?? SPARSE_KEY_RATIO;
  if (!(ratio > 1)) throw new Error(`ratio must be greater than 1, got ${ratio}`);
  const energies = Array.from(freqNorms, (n) => n * n);
  const threshold = ratio * median(energies);
  const keys: number[] = [];
  energies.forEach((energy, i) => {
    if (energy > 0 && energy >= threshold) keys.push(i + 1);
  });
  return keys;
}
