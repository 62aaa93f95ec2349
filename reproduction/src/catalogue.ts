// The write-up's experiments as this project reproduces them: each is one or more `grok sweep` specs (a preset, fixed
// `grok train` flags, swept flags and seeds), with the claim it tests. Sizes are chosen so the whole set fits in a few
// hours of a 2-core machine; where they differ from the write-up's (a smaller p, fewer epochs), the docs page says so.

/** A `grok sweep --spec` file's content: a preset, fixed settings by flag name, a grid and seeds. */
export interface SweepSpec {
  preset: string;
  settings: Record<string, number | string | boolean>;
  grid?: Record<string, (number | string | boolean)[]>;
  seeds?: number[];
}

/** A `grok crossover` search: its preset and fixed settings, the epoch budget and the seeds per probe. */
export interface CrossoverSpec {
  preset: string;
  settings: Record<string, number | string | boolean>;
  budget: number;
  seeds: string;
}

/** One experiment: what the write-up claims, and the runs that test it. */
export interface Experiment {
  title: string;
  /** The write-up's statement, in short, with its number where it gives one. */
  claim: string;
  /** The sweeps, by name (a sweep's run directories are runs/reproduce/<experiment>/<sweep>/points/<point>). */
  sweeps: Record<string, SweepSpec>;
  crossover?: CrossoverSpec;
}

/** The small modular-addition model of the many-run experiments: p = 23, d_model 32, lr 0.01 (it groks in 100s of epochs). */
const SMALL_MODULAR = {
  p: 23, 'd-model': 32, 'n-heads': 4, 'd-mlp': 64, lr: 0.01, 'eval-every': 25, 'checkpoint-every': 500, backend: 'wasm',
} as const;

/**
 * Adam's eps for the grid sweeps: at the default 1e-8 these small runs' train loss slingshots once memorised and most
 * seeds do not grok within thousands of epochs; at 1e-6 it levels out and they do (found while choosing the CLI's
 * end-to-end run). The slingshot experiment keeps the default, where the spikes are.
 */
const SWEEP_EPS = 1e-6;

/** Every experiment, in the order `pnpm reproduce` runs them (the seed run first, then the cheapest). */
export const EXPERIMENTS = {
  'seed-run': {
    title: 'The seed run: grokking modular addition, its phases and its algorithm',
    claim: 'A 1L transformer trained on 30% of the pairs (x + y) mod 113 with AdamW, weight decay 1, memorises, then groks; '
      + 'it uses a few key frequencies, the fitted cos(w(x+y-z)) logits explain 95% of the variance, and training splits into '
      + 'memorisation (0-1.4k), circuit formation (1.4k-9.4k) and cleanup (9.4k-13.3k). Frequencies vary between seeds.',
    sweeps: {
      seeds: {
        preset: 'modular-addition',
        settings: { 'stop-after-cleanup': true, epochs: 20_000, 'checkpoint-every': 500, backend: 'wasm' },
        seeds: [0, 1, 2],
      },
    },
  },
  'train-fraction': {
    title: 'Grokking against the amount of data',
    claim: 'Grokking needs limited data: the less of it, the later the model generalises, and below some fraction it does not within the budget.',
    sweeps: {
      fractions: {
        preset: 'modular-addition',
        settings: { ...SMALL_MODULAR, eps: SWEEP_EPS, epochs: 3000, 'stop-when-grokked': 3 },
        grid: { 'train-fraction': [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] },
        seeds: [0, 1, 2],
      },
    },
    crossover: { preset: 'modular-addition', settings: { ...SMALL_MODULAR, eps: SWEEP_EPS, 'stop-when-grokked': 3 }, budget: 3000, seeds: '0-2' },
  },
  'weight-decay': {
    title: 'Grokking against weight decay',
    claim: 'Lower weight decay delays grokking rather than preventing it: with weight decay 0.01 the seed run groks, 60x later than with 1.',
    sweeps: {
      decays: {
        preset: 'modular-addition',
        settings: { ...SMALL_MODULAR, eps: SWEEP_EPS, 'train-fraction': 0.6, epochs: 6000, 'stop-when-grokked': 3 },
        grid: { 'weight-decay': [0, 0.03, 0.1, 0.3, 1, 3] },
        seeds: [0, 1, 2],
      },
    },
  },
  slingshot: {
    title: 'Slingshots come from float32 rounding in the loss',
    claim: 'With log-softmax in float32, losses below about 1.19e-7 round to 0 and their gradients vanish: the loss spikes '
      + '(slingshots). Computed precisely, the spikes go; they are not needed for grokking.',
    sweeps: {
      losses: {
        preset: 'modular-addition',
        settings: { ...SMALL_MODULAR, 'train-fraction': 0.6, epochs: 6000, 'eval-every': 10 },
        grid: { loss: ['naive', 'precise'] },
        seeds: [0, 1, 2],
      },
    },
  },
  'max-element': {
    title: 'Max element: one phase change per skip trigram',
    claim: 'A 1L attention-only transformer learns to output the max element after END with skip trigrams; each target value '
      + 'has its own phase change, at about the same time.',
    sweeps: {
      infinite: { preset: 'max-element', settings: { 'eval-every': 10, backend: 'wasm' }, seeds: [0] },
    },
  },
  'data-95': {
    title: 'With 95% of the data: a phase change without grokking',
    claim: 'Trained on 95% of the pairs, modular addition shows a phase change in train and test loss together instead of grokking.',
    sweeps: {
      run: { preset: 'modular-addition-95', settings: { epochs: 3000, 'eval-every': 20, 'checkpoint-every': 500, backend: 'wasm' }, seeds: [0] },
    },
  },
  mlp: {
    title: 'A 2-layer MLP groks modular addition with the same algorithm',
    claim: 'A 2L MLP (width 256) groks modular addition and learns the same algorithm: neurons form a cluster for every key frequency, 3-7 neurons each.',
    sweeps: {
      run: { preset: 'mlp-modular-addition', settings: { 'stop-after-cleanup': true, epochs: 20_000, 'checkpoint-every': 500, backend: 'wasm' }, seeds: [0] },
    },
  },
  'digit-addition': {
    title: '5-digit addition: a phase change per digit, and grokking on 700 examples',
    claim: 'On infinite data each of the 6 sum digits has its own phase change, in an order not stable between runs (digits 0 and 1 '
      + 'tend to come first); on 700 examples with weight decay the model groks.',
    sweeps: {
      infinite: { preset: 'digit-addition-infinite', settings: { epochs: 3000, 'eval-every': 10, backend: 'wasm' }, seeds: [0] },
      finite: { preset: 'digit-addition', settings: { epochs: 8000, 'stop-when-grokked': 5, backend: 'wasm' }, seeds: [0] },
    },
  },
  'repeated-subsequence': {
    title: 'Repeated subsequences: induction heads form in a phase change',
    claim: 'A 2L attention-only transformer predicting repeated random subsequences forms an induction circuit (previous-token '
      + 'head + induction head) in a phase change on infinite data, and groks it on limited data.',
    sweeps: {
      infinite: { preset: 'repeated-subsequence-infinite', settings: { epochs: 3000, 'eval-every': 20, backend: 'wasm' }, seeds: [0] },
      finite: { preset: 'repeated-subsequence', settings: { epochs: 8000, 'stop-when-grokked': 5, backend: 'wasm' }, seeds: [0] },
    },
  },
  subtraction: {
    title: 'Modular subtraction: the same algorithm in its group',
    claim: '(x - y) mod 113 groks like addition, with cos/sin(w(x - y)) in place of w(x + y).',
    sweeps: {
      run: { preset: 'modular-subtraction', settings: { 'stop-after-cleanup': true, epochs: 20_000, 'checkpoint-every': 500, backend: 'wasm' }, seeds: [0] },
    },
  },
} as const satisfies Record<string, Experiment>;

/** An experiment's name. */
export type ExperimentName = keyof typeof EXPERIMENTS;

/** Every experiment name, in run order. */
export const experimentNames = Object.keys(EXPERIMENTS) as ExperimentName[];

/**
 * Checks a list of experiment names (from --only).
 *
 * @example
 * checkExperimentNames(['seed-run']); // ['seed-run']
 * @throws naming the unknown name and the known ones.
 */
export function checkExperimentNames(names: readonly string[]): ExperimentName[] {
  for (const name of names) {
    if (!Object.hasOwn(EXPERIMENTS, name)) throw new Error(`unknown experiment ${JSON.stringify(name)}; expected one of ${experimentNames.join(', ')}`);
  }
  return names as ExperimentName[];
}
