// Child process: times one tfjs backend on one formulation and prints one JSON line (a fresh process per backend,
// so peak RSS and the thread pool belong to that measurement alone). Usage:
//   node dist/tfjs-child.js --backend wasm --formulation last [--runner trainer] [--matmul] [--epochs 3:30:10]
import * as tf from '@tensorflow/tfjs-core';
import { readyBackend } from '@grokking/backend';
import { RUNNERS } from './runners';
import { makeData, SEED_RUN, type Formulation } from './setup';
import { median, timeEpochs } from './timing';
import { arg } from './child-args';

/** What one child reports. */
export interface TfjsResult {
  backend: string;
  threads: number | null;
  simd: boolean | null;
  runner: string;
  formulation: Formulation;
  medianS: number;
  timesS: number[];
  firstLoss: number;
  lastLoss: number;
  /** The child's peak resident memory; null where it cannot be read (the browser row). */
  peakRssMb: number | null;
  /** Live tfjs tensors after the timed epochs (the runner's own state), and how many more than before the first. */
  tensors: { live: number; leaked: number };
  matmulGflops: number | null;
}


// Float32 matmul rate of the active backend, [n, n] @ [n, n]: the best of a few products, as for PyTorch's sgemm.
async function matmulGflops(n = 1024): Promise<number> {
  const a = tf.randomNormal([n, n]); // [n, n]
  const b = tf.randomNormal([n, n]); // [n, n]
  const once = async (): Promise<number> => {
    const t = performance.now();
    const c = tf.matMul(a, b); // [n, n]
    await c.data();
    c.dispose();
    return (performance.now() - t) / 1000;
  };
  await once();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 3 || (times.length < 15 && performance.now() - start < 3000)) times.push(await once());
  a.dispose();
  b.dispose();
  return (2 * n ** 3) / Math.min(...times) / 1e9;
}

async function main(): Promise<void> {
  const backend = arg('backend');
  const formulation = arg('formulation') as Formulation;
  if (formulation !== 'all' && formulation !== 'last') throw new Error(`--formulation must be all or last; got ${formulation}`);
  const runnerName = arg('runner', 'trainer');
  const makeRunner = RUNNERS[runnerName];
  if (!makeRunner) throw new Error(`--runner must be one of ${Object.keys(RUNNERS).join(', ')}; got ${runnerName}`);
  const [minEpochs, maxEpochs, budgetS] = arg('epochs', '3:30:10').split(':').map(Number) as [number, number, number];

  const info = await readyBackend(backend);
  const runner = await makeRunner({ run: SEED_RUN, data: makeData(SEED_RUN, 0), formulation, seed: 0 });
  const afterSetup = tf.memory().numTensors;
  const { times, first, last } = await timeEpochs(() => runner.epoch(), { warmup: 2, minEpochs, maxEpochs, budgetS });
  const afterRun = tf.memory().numTensors;
  runner.dispose();
  const result: TfjsResult = {
    backend: info.active,
    threads: info.threads ?? null,
    simd: info.simd ?? null,
    runner: runner.label,
    formulation,
    medianS: median(times),
    timesS: times,
    firstLoss: first,
    lastLoss: last,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    tensors: { live: afterRun, leaked: afterRun - afterSetup },
    matmulGflops: process.argv.includes('--matmul') ? await matmulGflops() : null,
  };
  console.log(JSON.stringify(result));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
