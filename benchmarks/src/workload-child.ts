// Child process: times one workload (workloads.ts) on one tfjs backend and prints one JSON line, in a fresh process
// as tfjs-child.ts does for the seed run. Usage:
//   node dist/workload-child.js --backend wasm --workload digit-addition [--epochs 3:30:10]
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { workloadRunner } from './workload-epoch';
import { isWorkloadName, workload, WORKLOAD_NAMES, type WorkloadName } from './workloads';
import { median, timeEpochs, WORKLOAD_WARMUP_S } from './timing';
import { arg } from './child-args';

/** What one child reports. */
export interface WorkloadTfjsResult {
  workload: WorkloadName;
  backend: string;
  threads: number | null;
  simd: boolean | null;
  runner: string;
  medianS: number;
  timesS: number[];
  firstLoss: number;
  lastLoss: number;
  peakRssMb: number;
  tensors: { live: number; leaked: number };
}


async function main(): Promise<void> {
  const name = arg('workload');
  if (!isWorkloadName(name)) throw new Error(`--workload must be one of ${WORKLOAD_NAMES.join(', ')}; got ${name}`);
  const [minEpochs, maxEpochs, budgetS] = arg('epochs', '3:30:10').split(':').map(Number) as [number, number, number];
  const info = await readyBackend(arg('backend'));
  const runner = await workloadRunner(workload(name));
  const afterSetup = tf.memory().numTensors;
  const { times, first, last } = await timeEpochs(() => runner.epoch(), { warmup: 2, warmupS: WORKLOAD_WARMUP_S, minEpochs, maxEpochs, budgetS });
  const afterRun = tf.memory().numTensors;
  runner.dispose();
  const result: WorkloadTfjsResult = {
    workload: name,
    backend: info.active,
    threads: info.threads ?? null,
    simd: info.simd ?? null,
    runner: runner.label,
    medianS: median(times),
    timesS: times,
    firstLoss: first,
    lastLoss: last,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    tensors: { live: afterRun, leaked: afterRun - afterSetup },
  };
  console.log(JSON.stringify(result));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
