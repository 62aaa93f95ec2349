// The write-up's experiments as named presets: each is a partial run configuration that flags may override.
import type { RunConfigInput } from './config';

/** A named experiment. */
export interface Preset {
  name: string;
  /** One line for `grok presets`. */
  summary: string;
  config: RunConfigInput;
}

/** The 1-layer transformer of the write-up: no LayerNorm, d_model 128, 4 heads of 32, d_mlp 512, ReLU. */
const oneLayer = { kind: 'transformer', nLayers: 1, dModel: 128, nHeads: 4, dHead: 32, dMlp: 512, actFn: 'relu',
  normalizationType: 'none', attnOnly: false } as const;

/** The 2-layer attention-only transformer of the repeated-subsequence (induction) experiments. */
const twoLayerAttnOnly = { ...oneLayer, nLayers: 2, attnOnly: true } as const;

/** Every preset, in the order `grok presets` lists them. */
export const PRESETS: readonly Preset[] = [
  {
    name: 'modular-addition',
    summary: 'The seed run: 1L transformer on (x + y) mod 113 with 30% of pairs, AdamW wd 1, full batch, 40k epochs; it groks.',
    config: { task: { name: 'modular-addition', p: 113, trainFraction: 0.3 }, model: oneLayer,
      trainer: { epochs: 40_000 } },
  },
  {
    name: 'modular-addition-95',
    summary: 'The same with 95% of pairs: a phase change in train and test loss together, without grokking.',
    config: { task: { name: 'modular-addition', p: 113, trainFraction: 0.95 }, model: oneLayer,
      trainer: { epochs: 10_000 } },
  },
  {
    name: 'slingshot',
    summary: 'The seed run with the naive float32 log-softmax loss, whose rounding to 0 near 1e-7 causes slingshot spikes.',
    config: { task: { name: 'modular-addition', p: 113, trainFraction: 0.3 }, model: oneLayer,
      trainer: { epochs: 40_000, loss: 'naive' } },
  },
  {
    name: 'mlp-modular-addition',
    summary: 'A 2-layer MLP (width 256) on the sum of one-hot x and y, mod 113: it groks with the same Fourier algorithm.',
    config: { task: { name: 'modular-addition', p: 113, trainFraction: 0.3 },
      model: { kind: 'mlp', dHidden: 256, actFn: 'relu' }, trainer: { epochs: 40_000 } },
  },
  {
    name: 'digit-addition',
    summary: '5-digit addition on 700 training examples: grokking, one phase change per output digit.',
    config: { task: { name: 'digit-addition', digits: 5, trainSize: 700, testSize: 2000 }, model: oneLayer,
      trainer: { epochs: 30_000 } },
  },
  {
    name: 'digit-addition-infinite',
    summary: '5-digit addition on fresh batches every step (infinite data): a phase change per digit, no grokking.',
    config: { task: { name: 'digit-addition', digits: 5, infinite: true, batchSize: 256, testSize: 2000 },
      model: oneLayer, trainer: { epochs: 5_000, weightDecay: 0.1 } },
  },
  {
    name: 'repeated-subsequence',
    summary: 'Repeated subsequences on 512 sequences with a 2L attention-only transformer: induction heads, by grokking.',
    config: { task: { name: 'repeated-subsequence', trainSize: 512, testSize: 1000 },
      model: twoLayerAttnOnly,
      trainer: { epochs: 20_000 } },
  },
  {
    name: 'repeated-subsequence-infinite',
    summary: 'Repeated subsequences on fresh batches (infinite data): the induction-head phase change.',
    config: { task: { name: 'repeated-subsequence', infinite: true, batchSize: 128, testSize: 1000 },
      model: twoLayerAttnOnly,
      trainer: { epochs: 5_000, weightDecay: 0.1 } },
  },
  {
    name: 'max-element',
    summary: 'The max element after END with a 1L attention-only transformer (infinite data): skip trigrams, one phase change each.',
    config: { task: { name: 'max-element', infinite: true, batchSize: 128, testSize: 1000 },
      model: { ...twoLayerAttnOnly, nLayers: 1 },
      trainer: { epochs: 3_000, weightDecay: 0.1 } },
  },
];

/**
 * The preset of a given name.
 *
 * @example
 * presetByName('modular-addition').config.task; // { name: 'modular-addition', p: 113, trainFraction: 0.3 }
 */
export function presetByName(name: string): Preset {
  const preset = PRESETS.find((p) => p.name === name);
  if (!preset) throw new Error(`preset must be one of ${PRESETS.map((p) => p.name).join(', ')}; got ${JSON.stringify(name)}`);
  return preset;
}
