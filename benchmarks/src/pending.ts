/**
 * Timings the benchmark will take once the packages they need exist. Each is listed in the results as pending, with
 * no number, until its TODO is done.
 */
export const PENDING = [
  {
    name: 'Fourier analysis of one checkpoint',
    needs: '@grokking/fourier-analysis',
    // TODO(fourier-analysis): train or load a p 113 checkpoint, then time one full analysis (key frequencies,
    // embedding and logit Fourier norms) with its public API, median of a few runs after one warm-up.
    todo: 'time one full Fourier analysis of a p 113 checkpoint',
  },
  {
    name: 'Progress measures of one checkpoint',
    needs: '@grokking/progress-measures',
    // TODO(progress-measures): time the progress measures (restricted and excluded loss, Gini of the Fourier norms,
    // sum of squared weights) for one p 113 checkpoint.
    todo: 'time the progress measures for one checkpoint',
  },
  {
    name: 'Time to grok (pnpm bench --grok)',
    needs: '@grokking/trainer',
    // TODO(trainer): run the seed run with the trainer on the default backend until test accuracy >= 99.9%, and
    // report the wall time, the epoch it happened at and the peak RSS. This is the long mode only.
    todo: 'train the seed run until test accuracy >= 99.9% and report the wall time',
  },
] as const;
