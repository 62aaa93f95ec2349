// Bundled for the browser (browser-child.ts): times the seed run's training epoch, the trainer runner (runners.ts),
// on tfjs' wasm backend in the page, with its binaries served beside the page (wasm/) and, the page being
// cross-origin isolated, its threaded build on as many threads as tfjs-wasm allows. Leaves what it measured in
// `window.result`, or the error.
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { readyBackend } from '@grokking/backend';
import { RUNNERS } from '../runners';
import { makeData, SEED_RUN, type Formulation } from '../setup';
import { median, timeEpochs } from '../timing';
import type { TfjsResult } from '../tfjs-child';

/** What the page measured: a TfjsResult but for what Node knows (browser-child.ts adds it), and two checks. */
export type BrowserResult = Omit<TfjsResult, 'backend' | 'peakRssMb' | 'matmulGflops'> & {
  crossOriginIsolated: boolean;
  /** The project's own wasm kernels (@grokking/wasm-kernels) the run registered, by tfjs kernel name. */
  kernels: string[];
};

const page = globalThis as unknown as { result?: BrowserResult | { error: string } };

async function main(): Promise<BrowserResult> {
  const query = new URLSearchParams(location.search);
  const formulation = (query.get('formulation') ?? 'last') as Formulation;
  const runnerName = query.get('runner') ?? 'trainer';
  const makeRunner = RUNNERS[runnerName];
  if (!makeRunner) throw new Error(`runner must be one of ${Object.keys(RUNNERS).join(', ')}; got ${runnerName}`);
  const [minEpochs, maxEpochs, budgetS] = (query.get('epochs') ?? '3:30:10').split(':').map(Number) as [number, number, number];
  setWasmPaths('./wasm/');
  const info = await readyBackend('wasm', { threads: navigator.hardwareConcurrency });
  const runner = await makeRunner({ run: SEED_RUN, data: makeData(SEED_RUN, 0), formulation, seed: 0 });
  const afterSetup = tf.memory().numTensors;
  const { times, first, last } = await timeEpochs(() => runner.epoch(), { warmup: 2, minEpochs, maxEpochs, budgetS });
  const afterRun = tf.memory().numTensors;
  runner.dispose();
  return {
    threads: info.threads ?? null, simd: info.simd ?? null, crossOriginIsolated: globalThis.crossOriginIsolated === true,
    runner: runner.label, formulation, medianS: median(times), timesS: times, firstLoss: first, lastLoss: last,
    tensors: { live: afterRun, leaked: afterRun - afterSetup },
    kernels: tf.getKernelsForBackend('wasm').map((k) => k.kernelName).filter((n) => n.startsWith('Grokking')),
  };
}

main().then(
  (result) => { page.result = result; },
  (err: unknown) => { page.result = { error: String((err as Error).stack ?? err) }; },
);
