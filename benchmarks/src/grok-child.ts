// Child process of `pnpm bench --grok`: trains the write-up's seed run with @grokking/trainer (the preset
// `modular-addition` of @grokking/experiments, seed 0, built as `grok train` builds it) until the first grokked
// evaluation (test accuracy >= the threshold, by default the trainer's GROKKED_TEST_ACCURACY), and prints one JSON line. No checkpoints are written, so the time is training and evaluation only. Usage:
//   node dist/grok-child.js [--backend wasm] [--threshold 0.999] [--max-epochs 40000] [--eval-every 100]
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { buildRun, trainOptions } from '@grokking/experiments';
import { GROKKED_TEST_ACCURACY, isGrokked, train, type EvalRecord } from '@grokking/trainer';
import { seedRunSpec } from './setup';
import { arg } from './child-args';

/** What the grok child reports. */
export interface GrokResult {
  backend: string;
  threads: number | null;
  /** Whether test accuracy reached the threshold within maxEpochs. */
  grokked: boolean;
  threshold: number;
  evalEvery: number;
  /** The first evaluated epoch at or above the threshold (or the last epoch run). */
  epoch: number;
  /** Wall time from the start of training to that evaluation, evaluations included. */
  wallS: number;
  /** wallS / epoch. */
  sPerEpoch: number;
  /** The first evaluated epoch with train accuracy 100% (memorisation). */
  memorisedEpoch: number | null;
  final: Pick<EvalRecord, 'trainLoss' | 'trainAccuracy'> & { testLoss: number; testAccuracy: number };
  peakRssMb: number;
  /** Live tfjs tensors at each evaluation: the smallest and largest count seen (equal when nothing leaks). */
  tensors: { min: number; max: number };
}


async function main(): Promise<void> {
  const threshold = Number(arg('threshold', String(GROKKED_TEST_ACCURACY)));
  const maxEpochs = Number(arg('max-epochs', '40000'));
  const evalEvery = Number(arg('eval-every', '100'));
  const info = await readyBackend(arg('backend', 'wasm'));
  const spec = seedRunSpec();
  const { task, data, model } = buildRun(spec);
  const controller = new AbortController();
  const counts: number[] = [];
  let memorisedEpoch: number | null = null;
  let reached: { epoch: number; wallS: number; record: EvalRecord } | null = null;
  let last: EvalRecord | null = null;
  const start = performance.now();
  await train({
    model, info: task.info, data: data.train, ...trainOptions(spec), epochs: maxEpochs, evalEvery,
    signal: controller.signal,
    onEval: (record) => {
      const wallS = (performance.now() - start) / 1000;
      counts.push(tf.memory().numTensors);
      last = record;
      if (memorisedEpoch === null && record.trainAccuracy === 1) memorisedEpoch = record.epoch;
      if (record.epoch % 1000 === 0) {
        console.error(`epoch ${record.epoch}  ${wallS.toFixed(0)} s  train loss ${record.trainLoss.toExponential(2)}  test loss ${record.testLoss!.toExponential(2)}  test acc ${(100 * record.testAccuracy!).toFixed(2)}%`);
      }
      if (!reached && isGrokked(record, threshold)) {
        reached = { epoch: record.epoch, wallS, record };
        controller.abort();
      }
    },
  });
  const end = reached as { epoch: number; wallS: number; record: EvalRecord } | null;
  const record = end?.record ?? last!;
  const epoch = end?.epoch ?? record.epoch;
  const wallS = end?.wallS ?? (performance.now() - start) / 1000;
  model.dispose();
  const result: GrokResult = {
    backend: info.active,
    threads: info.threads ?? null,
    grokked: end !== null,
    threshold,
    evalEvery,
    epoch,
    wallS,
    sPerEpoch: wallS / Math.max(epoch, 1),
    memorisedEpoch,
    final: { trainLoss: record.trainLoss, trainAccuracy: record.trainAccuracy, testLoss: record.testLoss!, testAccuracy: record.testAccuracy! },
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    tensors: { min: Math.min(...counts), max: Math.max(...counts) },
  };
  console.log(JSON.stringify(result));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
