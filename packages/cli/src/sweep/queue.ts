// Beyond one machine: a sweep's points as BullMQ jobs on Redis, taken by `grok worker`s anywhere (worker.ts). Each
// point's job id is derived from the sweep directory and the point's arguments (plan.ts's jobId), so resubmitting a
// sweep adds no duplicate and a rerun coordinator re-attaches to the jobs already queued, running or finished. A
// job's return value is the point's result, so the coordinator's sweep.json is complete without a shared filesystem.
import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { emptySummary } from './summarize';
import { jobId, type PointJob } from './plan';
import { isStackJob } from './stacks';
import type { Executor, PointReport } from './executor';

/** The BullMQ queue every `grok sweep --queue` and `grok worker` uses. */
export const QUEUE_NAME = 'grok-points';

/** How long Redis keeps a finished job (and so its result) for a rerun to re-attach to: 7 days. */
export const KEEP_FINISHED_S = 7 * 24 * 3600;

/** Retries for a point whose run was killed by a signal it was not sent (a crash, not a failure of the point). */
const JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'fixed', delay: 1000 },
  removeOnComplete: { age: KEEP_FINISHED_S },
  removeOnFail: { age: KEEP_FINISHED_S },
};

/** Where Redis is: options both ioredis and BullMQ take. */
export interface RedisTarget {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: object;
  maxRetriesPerRequest: null;
}

/**
 * ioredis options from a `redis://[user:password@]host[:port][/db]` URL (`rediss://` for TLS).
 *
 * @example
 * redisOptions('redis://127.0.0.1:6380/2'); // { host: '127.0.0.1', port: 6380, db: 2, maxRetriesPerRequest: null }
 * @throws naming the URL when it is not a redis:// URL.
 */
export function redisOptions(url: string): RedisTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`--queue must be a URL like redis://HOST:PORT, got ${JSON.stringify(url)}`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`--queue must be a redis:// or rediss:// URL, got ${JSON.stringify(url)}`);
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new Error(`--queue: the database in ${url} must be a number, got ${JSON.stringify(db)}`);
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    // BullMQ's workers need commands to wait for a reconnect rather than fail.
    maxRetriesPerRequest: null,
  };
}

/**
 * Connects to Redis once and pings it, so an unreachable queue fails before any work with a clear message.
 *
 * @example
 * await checkRedis('redis://127.0.0.1:6379');
 * @throws `cannot reach Redis at redis://...: connect ECONNREFUSED ...`
 */
export async function checkRedis(url: string, timeoutMs = 3000): Promise<void> {
  const redis = new Redis({ ...redisOptions(url), lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0,
    retryStrategy: () => null, enableOfflineQueue: false });
  // The socket's own error (ECONNREFUSED, ENOTFOUND) says more than connect()'s "Connection is closed".
  let cause: Error | null = null;
  redis.on('error', (err: Error) => { cause ??= err; });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new Error(`cannot reach Redis at ${url}: ${(cause ?? (err as Error)).message}; start redis-server there or fix --queue`);
  } finally {
    redis.disconnect();
  }
}

/** Where a point's job stands in the queue. */
export type JobStanding =
  | { state: 'missing' | 'waiting' | 'active' }
  | { state: 'finished'; report: PointReport };

/** A point's report from its finished job: the worker's return value, or BullMQ's failure reason. */
function finishedReport(job: { returnvalue: unknown; failedReason?: string; attemptsStarted?: number; processedBy?: string }, failed: boolean): PointReport {
  const attempts = job.attemptsStarted ?? 1;
  if (!failed && job.returnvalue && typeof job.returnvalue === 'object') return { ...(job.returnvalue as PointReport), attempts };
  return { ...emptySummary(), outcome: 'failed', error: `the queue gave up on it: ${job.failedReason ?? 'no result'}`, wallSeconds: 0,
    host: job.processedBy ?? 'unknown', attempts, stack: null };
}

/** A connection to the sweep queue: submit points, read where they stand. */
export interface SweepQueue {
  /** Adds the points' jobs (a job already there, in any state, is left as it is). */
  submit(jobs: PointJob[]): Promise<void>;
  /** Removes the failed jobs of these points, so submitting them again runs them again (`--retry-failed`). */
  forget(jobs: PointJob[]): Promise<void>;
  standing(job: PointJob): Promise<JobStanding>;
  close(): Promise<void>;
}

/**
 * Opens the sweep queue on the Redis at `url` (check it first with checkRedis).
 *
 * @example
 * const queue = openSweepQueue('redis://127.0.0.1:6379');
 * await queue.submit(jobs); (await queue.standing(jobs[0])).state; // 'waiting'
 */
export function openSweepQueue(url: string): SweepQueue {
  const queue = new Queue(QUEUE_NAME, { connection: redisOptions(url) });
  return {
    async submit(jobs) {
      if (jobs.length) await queue.addBulk(jobs.map((job) => ({ name: 'point', data: job, opts: { ...JOB_OPTIONS, jobId: jobId(job) } })));
    },
    async forget(jobs) {
      for (const job of jobs) {
        const found = await queue.getJob(jobId(job));
        const state = found ? await found.getState() : 'unknown';
        // A completed job whose point failed (grok train refused it, NaN) counts as failed; one that is done stays.
        const failed = state === 'failed' || (state === 'completed' && (found?.returnvalue as PointReport | undefined)?.outcome !== 'done');
        if (found && failed) await found.remove();
      }
    },
    async standing(job) {
      const found = await queue.getJob(jobId(job));
      if (!found) return { state: 'missing' };
      const state = await found.getState();
      if (state === 'completed' || state === 'failed') return { state: 'finished', report: finishedReport(found, state === 'failed') };
      return { state: state === 'active' ? 'active' : 'waiting' };
    },
    async close() {
      await queue.close();
    },
  };
}

/**
 * An executor that sends the points to the queue and follows them until each has finished (polling every `pollMs`).
 * Aborting stops following: the workers go on, and running `grok sweep` again re-attaches.
 *
 * @example
 * const executor = createQueueExecutor('redis://127.0.0.1:6379');
 * await executor.run(jobs, events, signal);
 */
export function createQueueExecutor(url: string, options: { pollMs?: number; retryFailed?: boolean } = {}): Executor {
  const queue = openSweepQueue(url);
  const pollMs = options.pollMs ?? 1000;
  return {
    description: `queue ${url}`,
    async run(sweepJobs, events, signal) {
      const jobs = sweepJobs.map((j) => {
        if (isStackJob(j)) throw new Error('the queue runs every point alone; --stack runs stacks in the local pool only');
        return j;
      });
      if (options.retryFailed) await queue.forget(jobs);
      await queue.submit(jobs);
      const pending = new Map(jobs.map((j) => [j.id, j]));
      const active = new Set<string>();
      while (pending.size && !signal.aborted) {
        try {
          await follow();
        } catch (err) {
          // Redis went away for a moment: say so and keep following.
          console.error(`grok sweep: reading the queue failed (${(err as Error).message}); retrying`);
        }
        if (pending.size) await new Promise((r) => setTimeout(r, pollMs));
      }

      async function follow() {
        for (const job of [...pending.values()]) {
          const s = await queue.standing(job);
          if (s.state === 'finished') {
            pending.delete(job.id);
            active.delete(job.id);
            events.finished(job.id, s.report);
          } else if (s.state === 'active' && !active.has(job.id)) {
            active.add(job.id);
            events.started(job.id);
          } else if (s.state !== 'active' && active.delete(job.id)) {
            events.requeued(job.id);
          }
          // Removed behind our back (expired, or cleaned by hand): submit it again.
          if (s.state === 'missing') await queue.submit([job]);
        }
      }
    },
    close: () => queue.close(),
  };
}
