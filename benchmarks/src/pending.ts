/**
 * Timings the benchmark will take once the packages they need exist. Each is listed in the results as pending, with
 * no number, until its TODO is done.
 */
export const PENDING = [
  {
    name: 'Time to grok (pnpm bench --grok)',
    needs: '@grokking/trainer',
    // TODO(trainer): run the seed run with the trainer on the default backend until test accuracy >= 99.9%, and
    // report the wall time, the epoch it happened at and the peak RSS. This is the long mode only.
    todo: 'train the seed run until test accuracy >= 99.9% and report the wall time',
  },
] as const;
