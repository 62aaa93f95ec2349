/** How many epochs to time: at least `minEpochs`, then more until `budgetS` seconds or `maxEpochs`. */
export interface TimingPlan {
  warmup: number;
  /** Then more warm-up epochs until this many seconds have passed since the first began (default 0). */
  warmupS?: number;
  minEpochs: number;
  maxEpochs: number;
  budgetS: number;
}

/**
 * The workloads' warm-up in seconds, on both sides: a step of a few milliseconds needs hundreds of steps before V8's
 * optimising compilers (JavaScript and WebAssembly) have tiered it up, and a training run takes thousands.
 */
export const WORKLOAD_WARMUP_S = 1;

/** The median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Runs `step` for warm-up (`warmup` epochs and until `warmupS` seconds have passed; one epoch only when the first takes
 * over 2 s), then times epochs one by one under the plan
 * (at most 2 when the first took over 5 s: the slow backends, where a few percent do not matter). Returns each timed
 * epoch's seconds and the first and last values `step` resolved to.
 */
export async function timeEpochs(step: () => Promise<number>, plan: TimingPlan): Promise<{ times: number[]; first: number; last: number }> {
  let t = performance.now();
  const first = await step();
  const firstS = (performance.now() - t) / 1000;
  for (let i = 1; i < plan.warmup && firstS < 2; i++) await step();
  while (firstS < 2 && (performance.now() - t) / 1000 < (plan.warmupS ?? 0)) await step();
  const times: number[] = [];
  let last = first;
  const start = performance.now();
  const minEpochs = firstS > 5 ? Math.min(plan.minEpochs, 2) : plan.minEpochs;
  while (times.length < plan.maxEpochs && (times.length < minEpochs || (performance.now() - start) / 1000 < plan.budgetS)) {
    t = performance.now();
    last = await step();
    times.push((performance.now() - t) / 1000);
  }
  return { times, first, last };
}
