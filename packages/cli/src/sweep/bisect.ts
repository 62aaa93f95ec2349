// Bisection for the crossover data size: the smallest value (train fraction or train size) at which a run groks
// within its epoch budget, assuming more data never makes grokking slower than the budget allows once it is enough.

/** One probe: a value tried and whether it grokked. */
export interface Probe {
  value: number;
  grokked: boolean;
}

/** The bracket found and every probe, in the order tried. */
export interface BisectResult {
  /** The largest value probed that did not grok (null when even `low` grokked). */
  below: number | null;
  /** The smallest value probed that grokked (null when even `high` did not). */
  above: number | null;
  probes: Probe[];
}

/** The search range and when to stop. */
export interface BisectOptions {
  low: number;
  high: number;
  /** Stop once the bracket is at most this wide. */
  tolerance: number;
  /** Integer values (a train size) rather than fractions. */
  integer: boolean;
}

const places = (x: number) => Math.max(0, -Math.floor(Math.log10(x))) + 1;

/**
 * Bisects [low, high] for the smallest value that groks: probes `high` (if it does not grok there is no crossover in
 * range), then `low` (if it groks, the crossover is at or below it), then midpoints until the bracket is within
 * `tolerance`. Midpoints of fractions are rounded one decimal finer than the tolerance, of sizes to integers.
 *
 * @example
 * await bisect(async (f) => f >= 0.37, { low: 0.1, high: 0.9, tolerance: 0.05, integer: false });
 * // { below: 0.35, above: 0.4, probes: [{ value: 0.9, grokked: true }, { value: 0.1, grokked: false }, { value: 0.5, ... }, ...] }
 * @throws when low >= high or the tolerance is not positive.
 */
export async function bisect(groks: (value: number) => Promise<boolean>, o: BisectOptions): Promise<BisectResult> {
  if (!(o.low < o.high)) throw new Error(`the search range needs low < high, got low ${o.low} and high ${o.high}`);
  if (!(o.tolerance > 0)) throw new Error(`the tolerance must be positive, got ${o.tolerance}`);
  const probes: Probe[] = [];
  const probe = async (value: number) => {
    const grokked = await groks(value);
    probes.push({ value, grokked });
    return grokked;
  };
  if (!(await probe(o.high))) return { below: o.high, above: null, probes };
  if (await probe(o.low)) return { below: null, above: o.low, probes };
  let below = o.low;
  let above = o.high;
  // (1 + 1e-9): 0.4 - 0.35 is 0.05000000000000002 in floating point, and that bracket is within 0.05.
  while (above - below > o.tolerance * (1 + 1e-9)) {
    const mid = o.integer ? Math.floor((below + above) / 2) : Number(((below + above) / 2).toFixed(places(o.tolerance)));
    if (mid <= below || mid >= above) break;
    if (await probe(mid)) above = mid;
    else below = mid;
  }
  return { below, above, probes };
}
