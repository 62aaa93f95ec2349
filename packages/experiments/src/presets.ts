// The write-up's experiments: one table of named run specs, the single source for the `grok` command, the gallery,
// the benchmarks and the docs. Model shapes come from @grokking/model's ARCHITECTURES; a preset adds the task, its
// data and the trainer's settings. Each task has a default preset (TASK_PRESETS), so the compiler asks for one when a
// task is added to @grokking/tasks.
import { ARCHITECTURES, MLP_ARCHITECTURE } from '@grokking/model';
import type { TaskName } from '@grokking/tasks';
import { resolveRunSpec, type RunSpec, type RunSpecInput } from './spec';

/** A named experiment. */
export interface Preset {
  /** One line for `grok presets` and the docs table. */
  summary: string;
  spec: RunSpecInput;
}

const oneLayer = { kind: 'transformer', ...ARCHITECTURES.modularAddition } as const;
const seedTask = { name: 'modular-addition', p: 113, trainFraction: 0.3 } as const;

/** Every preset, in the order `grok presets` lists them. */
export const PRESETS = {
  'modular-addition': {
    summary: 'The seed run: 1L transformer on (x + y) mod 113 with 30% of pairs, AdamW wd 1, full batch, 40k epochs; it groks.',
    spec: { task: seedTask, model: oneLayer, trainer: { epochs: 40_000 } },
  },
  'modular-addition-95': {
    summary: 'The same with 95% of pairs: a phase change in train and test loss together, without grokking.',
    spec: { task: { ...seedTask, trainFraction: 0.95 }, model: oneLayer, trainer: { epochs: 10_000 } },
  },
  'modular-subtraction': {
    summary: 'The seed run on (x - y) mod 113: the same Fourier algorithm with cos/sin(w(x - y)).',
    spec: { task: { ...seedTask, name: 'modular-subtraction' }, model: oneLayer, trainer: { epochs: 40_000 } },
  },
  'slingshot': {
    summary: 'The seed run with the naive float32 log-softmax loss, whose rounding to 0 near 1e-7 causes slingshot spikes.',
    spec: { task: seedTask, model: oneLayer, trainer: { epochs: 40_000, loss: 'naive' } },
  },
  'mlp-modular-addition': {
    summary: 'A 2-layer MLP (width 256) on the sum of one-hot x and y, mod 113: it groks with the same Fourier algorithm.',
    spec: { task: seedTask, model: { kind: 'mlp', ...MLP_ARCHITECTURE }, trainer: { epochs: 40_000 } },
  },
  'digit-addition': {
    summary: '5-digit addition on 700 training examples: grokking, one phase change per output digit.',
    spec: { task: { name: 'digit-addition', digits: 5, trainSize: 700, testSize: 2000 },
      model: { kind: 'transformer', ...ARCHITECTURES.digitAddition }, trainer: { epochs: 30_000 } },
  },
  'digit-addition-infinite': {
    summary: '5-digit addition on fresh batches every step (infinite data): a phase change per digit, no grokking.',
    spec: { task: { name: 'digit-addition', digits: 5, infinite: true, batchSize: 256, testSize: 2000 },
      model: { kind: 'transformer', ...ARCHITECTURES.digitAddition }, trainer: { epochs: 5_000, weightDecay: 0.1 } },
  },
  'repeated-subsequence': {
    summary: 'Repeated subsequences on 512 sequences with a 2L attention-only transformer: induction heads, by grokking.',
    spec: { task: { name: 'repeated-subsequence', trainSize: 512, testSize: 1000 },
      model: { kind: 'transformer', ...ARCHITECTURES.repeatedSubsequence }, trainer: { epochs: 20_000, checkpointEvery: 500 } },
  },
  'repeated-subsequence-infinite': {
    summary: 'Repeated subsequences on fresh batches (infinite data): the induction-head phase change.',
    spec: { task: { name: 'repeated-subsequence', infinite: true, batchSize: 128, testSize: 1000 },
      model: { kind: 'transformer', ...ARCHITECTURES.repeatedSubsequence }, trainer: { epochs: 5_000, weightDecay: 0.1, checkpointEvery: 250 } },
  },
  'max-element': {
    summary: 'The max element after END with a 1L attention-only transformer (infinite data): skip trigrams, one phase change each.',
    spec: { task: { name: 'max-element', infinite: true, batchSize: 128, testSize: 1000 },
      model: { kind: 'transformer', ...ARCHITECTURES.maxElement }, trainer: { epochs: 3_000, weightDecay: 0.1, checkpointEvery: 100 } },
  },
  'max-element-finite': {
    summary: 'The max element on a fixed train set of 1,000 sequences, weight decay 1: finite data, to see its grokking (sizes not yet tuned).',
    spec: { task: { name: 'max-element', trainSize: 1000, testSize: 1000 },
      model: { kind: 'transformer', ...ARCHITECTURES.maxElement }, trainer: { epochs: 10_000, checkpointEvery: 250 } },
  },
} as const satisfies Record<string, Preset>;

/** A preset's name. */
export type PresetName = keyof typeof PRESETS;

/** Every preset name, in table order. */
export const presetNames = Object.keys(PRESETS) as PresetName[];

/**
 * The preset each task starts from when a run names only the task (`grok train --task X`): the task's name replaces
 * the preset's, the rest of the recipe is kept. A mapped type: a task without an entry does not compile.
 */
export const TASK_PRESETS: { readonly [K in TaskName]: PresetName } = {
  'modular-addition': 'modular-addition',
  'modular-subtraction': 'modular-subtraction',
  'modular-multiplication': 'modular-addition',
  'modular-division': 'modular-addition',
  'modular-x2+y2': 'modular-addition',
  'modular-x2+xy+y2': 'modular-addition',
  'digit-addition': 'digit-addition',
  'repeated-subsequence': 'repeated-subsequence',
  'max-element': 'max-element',
};

/**
 * The preset of a given name.
 *
 * @throws naming the bad name and listing the known ones.
 * @example
 * presetByName('modular-addition').spec.task; // { name: 'modular-addition', p: 113, trainFraction: 0.3 }
 */
export function presetByName(name: string): Preset & { name: PresetName } {
  if (!Object.hasOwn(PRESETS, name)) throw new Error(`preset must be one of ${presetNames.join(', ')}; got ${JSON.stringify(name)}`);
  return { name: name as PresetName, ...PRESETS[name as PresetName] };
}

/**
 * The spec a task starts from: its default preset with the task's name.
 *
 * @example
 * taskSpec('modular-division').task; // { name: 'modular-division', p: 113, trainFraction: 0.3 }
 */
export function taskSpec(name: TaskName): RunSpecInput {
  const spec = PRESETS[TASK_PRESETS[name]].spec;
  return { ...spec, task: { ...spec.task, name } };
}

/**
 * A preset's resolved spec, with every default filled in.
 *
 * @example
 * presetSpec('modular-addition').trainer.lr; // 0.001
 */
export function presetSpec(name: PresetName): RunSpec {
  return resolveRunSpec(PRESETS[name].spec);
}
