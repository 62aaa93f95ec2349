// `grok worker --queue redis://HOST:PORT`: takes sweep points from the queue and runs them, a few at a time, each in a
// child process (run-point.ts), returning each point's result as the job's return value. Start one on every machine
// that should help; they need to reach Redis and, for the run directories, the sweep directory's path.
//
// A worker that dies (even by SIGKILL) takes its children with it; BullMQ's stalled-job check then gives its jobs to
// another worker, which resumes each point from its run directory's last checkpoint. Ctrl-C (or SIGTERM) stops the
// running points at a checkpoint and puts their jobs back in the queue at once.
import { Worker, WaitingError, type Job } from 'bullmq';
import { QUEUE_NAME, checkRedis, redisOptions } from './queue';
import { poolSize } from './pool';
import { runPoint } from './run-point';
import type { PointJob } from './plan';
import type { PointReport } from './executor';

/** `grok worker`'s options. */
export interface WorkerOptions {
  queue: string;
  /** Points at once (default: the local pool's default for this machine). */
  concurrency?: number;
  /** GROKKING_WASM_THREADS per point (default: 1 when several run at once). */
  threads?: number;
  /** How long a job's lock lasts without renewal (ms); a dead worker's jobs are taken again after it (BullMQ default 30000). */
  lockDuration?: number;
  /** How often stalled jobs are looked for (ms; BullMQ default 30000). */
  stalledInterval?: number;
  /** Where progress lines go (default stderr). */
  log?: (line: string) => void;
  /** The `grok` script the children run (default this process's). */
  bin?: string;
}

function checkJob(data: unknown): PointJob {
  const d = data as Partial<PointJob>;
  if (typeof d?.id !== 'string' || typeof d.dir !== 'string' || !Array.isArray(d.args) || typeof d.analyze !== 'boolean') {
    throw new Error(`not a grok sweep point: ${JSON.stringify(data).slice(0, 200)}`);
  }
  return d as PointJob;
}

/**
 * Runs a worker until SIGINT or SIGTERM; resolves once it has put its running points back and closed.
 *
 * @example
 * await workerCommand({ queue: 'redis://10.0.0.5:6379', concurrency: 2 });
 */
export async function workerCommand(options: WorkerOptions): Promise<void> {
  const log = options.log ?? ((line: string) => console.error(line));
  await checkRedis(options.queue);
  const pool = poolSize(options.concurrency, options.threads);
  const stopping = new AbortController();

  const processor = async (job: Job, token?: string): Promise<PointReport> => {
    const point = checkJob(job.data);
    const result = await runPoint(point, {
      bin: options.bin, threads: pool.threads, signal: stopping.signal,
      onStart: ({ pid, resumedFrom }) => log(`worker: start ${point.id} (pid ${pid}, attempt ${job.attemptsStarted}${resumedFrom === null ? '' : `, resuming from epoch ${resumedFrom}`})`),
    });
    const { resumedFrom: _r, ...report } = result;
    if (result.outcome === 'interrupted') {
      // Back to the queue now, rather than after the lock expires; its next worker resumes it.
      await job.moveToWait(token);
      log(`worker: ${point.id} interrupted at a checkpoint, back in the queue`);
      throw new WaitingError();
    }
    if (result.outcome === 'crashed') throw new Error(result.error ?? 'the run was killed'); // retried by BullMQ
    log(`worker: ${result.outcome} ${point.id} in ${result.wallSeconds.toFixed(1)} s${result.error ? `: ${result.error.slice(0, 200)}` : ''}`);
    return { ...report, attempts: job.attemptsStarted };
  };

  const worker = new Worker(QUEUE_NAME, processor, {
    connection: redisOptions(options.queue),
    concurrency: pool.size,
    ...(options.lockDuration ? { lockDuration: options.lockDuration } : {}),
    ...(options.stalledInterval ? { stalledInterval: options.stalledInterval } : {}),
    // A point may be taken again after a few worker deaths before it counts as failed.
    maxStalledCount: 5,
  });
  worker.on('error', (err) => log(`worker: ${err.message}`));
  log(`worker: taking points from ${options.queue}, ${pool.size} at a time${pool.threads ? `, ${pool.threads} wasm thread(s) each` : ''}`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log(`worker: ${signal}: interrupting the running points; they go back to the queue`);
      stopping.abort();
      void worker.close().then(resolve, resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
