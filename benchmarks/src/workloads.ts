// The benchmark's other workloads: more of the write-up's models, read from @grokking/experiments' presets so the
// benchmark times the runs `grok train --preset <name>` trains, and the small model of the many-run experiments (a
// preset with settings changed, as `grok sweep` runs it). Each is timed as one training step: a full-batch step (an
// epoch of its finite train set), or for an infinite-data preset a step on one batch of its size, drawn once by the
// task's sampler (the drawing is not timed). Both tfjs (workload-epoch.ts) and PyTorch (torch/reference_workload.py)
// step from the same initial weights on the same examples (workload-file.ts hands them to PyTorch).
import {
  buildData, buildTask, mergeRunSpec, presetByName, resolveRunSpec, type DeepPartial, type PresetName, type RunSpec, type RunSpecInput,
} from '@grokking/experiments';
import { defineTransformerConfig, type TransformerConfig } from '@grokking/model';
import { createRng, type Dataset, type TaskInfo } from '@grokking/tasks';

/**
 * Workloads that change a preset, by name: the preset and what is changed. `modular-addition-p23` is the model of
 * the reproduction's data-fraction and weight-decay sweeps (p = 23, d_model 32, 4 heads, d_mlp 64, lr 0.01) on half
 * the pairs: a step so small that the time per op, not the arithmetic, decides its speed.
 */
export const VARIANTS = {
  'modular-addition-p23': {
    preset: 'modular-addition',
    change: { task: { p: 23, trainFraction: 0.5 }, model: { dModel: 32, nHeads: 4, dMlp: 64 }, trainer: { lr: 0.01 } },
  },
} as const satisfies Record<string, { preset: PresetName; change: DeepPartial<RunSpecInput> }>;

/** The workloads timed, in the order the results list them: finite presets, variants, then infinite-data presets. */
export const WORKLOAD_NAMES = [
  'repeated-subsequence', 'digit-addition', 'modular-addition-p23', 'repeated-subsequence-infinite', 'digit-addition-infinite', 'max-element',
] as const;

/** A workload's name: its preset's, or a variant's. */
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

/** What {@link workload} takes: a preset or a variant. */
export type WorkloadSource = PresetName | keyof typeof VARIANTS;

/** A preset's run, as far as one training step needs it. */
export interface Workload<N extends WorkloadSource = WorkloadName> {
  name: N;
  spec: RunSpec;
  info: TaskInfo;
  /** The batch of every step: the preset's finite train set, or one batch drawn by an infinite-data preset's sampler. */
  train: Dataset;
  /** The transformer @grokking/experiments' buildModel makes for the spec (same sizes, same seed). */
  config: TransformerConfig;
}

/** Whether a string names a workload. @example isWorkloadName('digit-addition'); // true */
export function isWorkloadName(name: string): name is WorkloadName {
  return (WORKLOAD_NAMES as readonly string[]).includes(name);
}

/** A preset's spec, or a variant's: its preset's spec with the change merged in, then resolved. */
function sourceSpec(name: WorkloadSource): RunSpec {
  const variant = Object.hasOwn(VARIANTS, name) ? VARIANTS[name as keyof typeof VARIANTS] : undefined;
  if (!variant) return resolveRunSpec(presetByName(name).spec);
  return resolveRunSpec(mergeRunSpec<RunSpecInput>(presetByName(variant.preset).spec, variant.change));
}

/**
 * A workload's spec, task, batch and model config, built without tfjs tensors (so the harness's parent process can
 * write the PyTorch side's file). Any transformer preset trained full batch or on infinite data works (the tests also
 * check the seed run's), and any variant; the benchmark times {@link WORKLOAD_NAMES}.
 *
 * @throws when the preset is not a transformer, or trains on minibatches of a finite train set.
 * @example
 * workload('digit-addition').train.size; // 700
 * workload('max-element').train.size; // 128: one batch of fresh examples
 */
export function workload<N extends WorkloadSource>(name: N): Workload<N> {
  const spec = sourceSpec(name);
  if (spec.model.kind !== 'transformer') throw new Error(`workload ${name}: the benchmark times transformers, got ${spec.model.kind}`);
  if (!spec.task.infinite && spec.task.batchSize !== undefined) {
    throw new Error(`workload ${name}: one step is timed on the full finite train set or one sampled batch; this preset trains on minibatches`);
  }
  const task = buildTask(spec);
  // An infinite-data run's step: one batch of its size from the task's sampler, with the run's seed.
  const trainSet = spec.task.infinite ? task.sample(spec.task.batchSize!, createRng(spec.seed)) : buildData(spec, task).trainSet;
  if (!trainSet) throw new Error(`workload ${name}: the preset has no finite train set`);
  // As buildModel does: the preset's architecture on the task's sizes, seeded by the run's seed.
  const { kind: _kind, ...architecture } = spec.model;
  const { info } = task;
  const config = defineTransformerConfig({ ...architecture, nCtx: info.nCtx, dVocab: info.dVocab, dVocabOut: info.dVocabOut, seed: spec.seed });
  return { name, spec, info, train: trainSet, config };
}

/**
 * The model in a few words, e.g. `2-layer attention-only transformer, d_model 128, 4 heads of 32`.
 *
 * @example
 * describeModel(workload('digit-addition').config); // '1-layer transformer, d_model 128, 4 heads of 32, d_mlp 512 (ReLU)'
 */
export function describeModel(c: TransformerConfig): string {
  const kind = c.attnOnly ? 'attention-only transformer' : 'transformer';
  const mlp = c.attnOnly ? '' : `, d_mlp ${c.dMlp} (${c.actFn === 'relu' ? 'ReLU' : 'GELU'})`;
  const ln = c.normalizationType === 'LN' ? ', LayerNorm' : '';
  return `${c.nLayers}-layer ${kind}, d_model ${c.dModel}, ${c.nHeads} heads of ${c.dHead}${mlp}${ln}`;
}

/**
 * Which positions one step computes and the loss reads, in a few words.
 *
 * @example
 * describePositions(workload('digit-addition').info); // 'the last block at the 6 scored positions of 17 (11–16)'
 */
export function describePositions(info: TaskInfo): string {
  if (info.fixedPositions) {
    const f = info.fixedPositions;
    return `the last block at the ${f.length} scored positions of ${info.nCtx} (${f[0]}–${f[f.length - 1]})`;
  }
  return `all ${info.nCtx} positions; the loss reads ${info.nScored} per example, which vary`;
}
