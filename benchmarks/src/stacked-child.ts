// Child process: times K models of one workload's shape trained at once (trainStacked's step) against one model
// trained alone (the trainer's step, fused where the model has a fused path), in one fresh process, and prints one
// JSON line. Usage:
//   node dist/stacked-child.js --backend wasm --workload modular-addition --models 1,4,16 [--epochs 3:30:10]
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { presetNames } from '@grokking/experiments';
import type { EpochRunner } from './tfjs-epoch';
import { median, timeEpochs, WORKLOAD_WARMUP_S, type TimingPlan } from './timing';
import { stackedRunner, workloadRunner } from './workload-epoch';
import { VARIANTS, workload, type WorkloadSource } from './workloads';
import { arg } from './child-args';

/** One timed step: its label, median seconds, every timed step's seconds, and the loss before the first and last. */
export interface TimedStep {
  label: string;
  medianS: number;
  timesS: number[];
  firstLoss: number;
  lastLoss: number;
}

/** What one child reports. */
export interface StackedTfjsResult {
  workload: WorkloadSource;
  backend: string;
  threads: number | null;
  simd: boolean | null;
  /** One model alone, as `grok train` steps it. */
  single: TimedStep;
  /** K models at once, for each K asked. */
  stacked: (TimedStep & { models: number })[];
  peakRssMb: number;
  tensors: { live: number; leaked: number };
}


async function timed(runner: EpochRunner, plan: TimingPlan): Promise<TimedStep> {
  try {
    const { times, first, last } = await timeEpochs(() => runner.epoch(), plan);
    return { label: runner.label, medianS: median(times), timesS: times, firstLoss: first, lastLoss: last };
  } finally {
    runner.dispose();
  }
}

async function main(): Promise<void> {
  const name = arg('workload');
  const names: readonly string[] = [...presetNames, ...Object.keys(VARIANTS)];
  if (!names.includes(name)) throw new Error(`--workload must be one of ${names.join(', ')}; got ${name}`);
  const models = arg('models', '1,4,16').split(',').map(Number);
  for (const k of models) if (!Number.isInteger(k) || k < 1) throw new Error(`--models: expected whole numbers >= 1, got ${arg('models')}`);
  const [minEpochs, maxEpochs, budgetS] = arg('epochs', '3:30:10').split(':').map(Number) as [number, number, number];
  const plan = { warmup: 2, warmupS: WORKLOAD_WARMUP_S, minEpochs, maxEpochs, budgetS };
  const info = await readyBackend(arg('backend'));
  const w = workload(name as WorkloadSource);
  const before = tf.memory().numTensors;
  const single = await timed(await workloadRunner(w), plan);
  const stacked: StackedTfjsResult['stacked'] = [];
  for (const k of models) stacked.push({ models: k, ...(await timed(stackedRunner(w, k), plan)) });
  const live = tf.memory().numTensors;
  const result: StackedTfjsResult = {
    workload: w.name,
    backend: info.active,
    threads: info.threads ?? null,
    simd: info.simd ?? null,
    single,
    stacked,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    tensors: { live, leaked: live - before },
  };
  console.log(JSON.stringify(result));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
