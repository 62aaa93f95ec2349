// The embedded default: a pool of child `grok train` processes on this machine, a few at a time.
import { availableParallelism } from 'node:os';
import { runPoint, type RunPointOptions } from './run-point';
import { runStack } from './run-stack';
import { isStackJob } from './stacks';
import type { Executor } from './executor';

/** The pool's size and each run's wasm threads. */
export interface PoolSize {
  size: number;
  /** GROKKING_WASM_THREADS per run; undefined leaves the backend's own default (every core). */
  threads: number | undefined;
}

/**
 * The default pool for a machine: one more run than cores, each with one wasm thread; a single core runs one run with
 * the backend's default threads. Measured on a 2-core machine (`pnpm bench:sweeps`, docs/results/sweep-throughput.json,
 * the table in docs/guide/sweeps.md): two wasm threads per run were slower than one, and pools of 3 and 4 one-thread
 * runs gave about 10% more runs per hour than 2, 4 level with 3 within the noise.
 *
 * @example
 * defaultPool(2);  // { size: 3, threads: 1 }
 * defaultPool(1);  // { size: 1, threads: undefined }
 */
export function defaultPool(cores: number = availableParallelism()): PoolSize {
  return cores > 1 ? { size: cores + 1, threads: 1 } : { size: 1, threads: undefined };
}

/**
 * The pool's size and threads from `--workers` and `--threads` (either may be left out): several runs at once get one
 * thread each unless told otherwise.
 *
 * @example
 * poolSize(undefined, undefined, 2); // { size: 3, threads: 1 }
 * poolSize(1, undefined, 2);         // { size: 1, threads: undefined }
 * @throws when a count is not a positive integer.
 */
export function poolSize(workers: number | undefined, threads: number | undefined, cores: number = availableParallelism()): PoolSize {
  for (const [name, v] of [['--workers', workers], ['--threads', threads]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new Error(`${name} must be a positive integer, got ${v}`);
  }
  const size = workers ?? defaultPool(cores).size;
  return { size, threads: threads ?? (size > 1 ? 1 : undefined) };
}

/**
 * A local pool of `size` child processes; a stack of points (stacks.ts) takes one of them.
 *
 * @example
 * const pool = createPool({ size: 2, threads: 1 });
 * await pool.run(jobs, events, new AbortController().signal);
 */
export function createPool(pool: PoolSize, options: Pick<RunPointOptions, 'bin'> = {}): Executor {
  return {
    description: `local pool of ${pool.size}${pool.threads ? ` (${pool.threads} wasm thread${pool.threads > 1 ? 's' : ''} each)` : ''}`,
    async run(jobs, events, signal) {
      let next = 0;
      const slot = async () => {
        while (!signal.aborted && next < jobs.length) {
          const job = jobs[next++]!;
          const points = isStackJob(job) ? job.members : [job];
          const run = { ...options, threads: pool.threads, signal, onStart: () => points.forEach((p) => events.started(p.id)) };
          const results = isStackJob(job) ? await runStack(job, run) : [await runPoint(job, run)];
          results.forEach(({ resumedFrom: _r, ...result }, k) => events.finished(points[k]!.id, { ...result, attempts: 1 }));
        }
      };
      await Promise.all(Array.from({ length: Math.min(pool.size, jobs.length) }, slot));
    },
    async close() {},
  };
}
