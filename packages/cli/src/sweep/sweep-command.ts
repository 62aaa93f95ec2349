// `grok sweep`: every point of a grid of `grok train` settings and seeds, on a local pool of processes (the default) or
// through a BullMQ queue to `grok worker`s; sweep.json as it goes, sweep.html at the end. Everything that can be
// checked (flags, values, combinations, the queue) is checked before any work starts.
import { join } from 'node:path';
import { writeFileAtomic } from '../run-dir';
import { buildSweepSpec, specHash, sweepPoints, type SweepSpec, type SweepSpecParts } from './spec';
import { planPoints, type PlannedPoint, type PointJob } from './plan';
import { groupStacks } from './stacks';
import { countRows, drivePoints, lockHolder, lockSweep, openSweep, type SweepState } from './driver';
import { createPool, poolSize } from './pool';
import { checkRedis, createQueueExecutor, openSweepQueue } from './queue';
import { countsLine } from './sweep-progress';
import { readSweepFile, type SweepRow } from './sweep-file';
import { renderSweepHtml } from './sweep-html';
import type { Executor } from './executor';

/** How to run a sweep's points: the options `grok sweep` and `grok crossover` share. */
export interface RunnerOptions {
  /** Sweep directory (default `sweeps/<preset or task>-<spec hash>`). */
  out?: string;
  /** Local pool size and wasm threads per run (see poolSize). */
  workers?: number;
  threads?: number;
  /** `redis://HOST:PORT`: send the points to `grok worker`s instead of the local pool. */
  queue?: string;
  /** Run `grok analyze` on each point (default true). */
  analyze?: boolean;
  retryFailed?: boolean;
  quiet?: boolean;
  /** How often the queue is read (ms, default 1000). */
  pollMs?: number;
}

/** `grok sweep`'s options: the spec's pieces (from flags and --spec) and how to run. */
export interface SweepCommandOptions extends RunnerOptions {
  parts: SweepSpecParts;
  /** Train points that differ only in weight decay as stacks of up to this many (local pool only). */
  stack?: number;
}

/** A sweep planned and checked, nothing run yet. */
export interface PlannedSweep {
  spec: SweepSpec;
  hash: string;
  dir: string;
  planned: PlannedPoint[];
}

/**
 * Builds and checks a sweep: its spec, directory and points. Throws before any work when the spec is bad or
 * `grok train` would refuse every point; a point refused alone is recorded as failed when the sweep runs.
 *
 * @example
 * planSweep({ parts: { preset: 'modular-addition', grid: ['weight-decay=0.1,1'], seeds: '0-1' } }).planned.length; // 4
 */
export function planSweep(options: SweepCommandOptions): PlannedSweep {
  const spec = buildSweepSpec(options.parts);
  const hash = specHash(spec);
  const name = spec.preset ?? String(spec.settings.task ?? 'sweep');
  const dir = options.out ?? join('sweeps', `${name}-${hash}`);
  const planned = planPoints(spec, sweepPoints(spec), dir, options.analyze ?? true);
  const refused = planned.filter((p) => p.planError !== null);
  if (refused.length === planned.length) throw new Error(`grok train refuses every point of this sweep; the first: ${refused[0]!.planError}`);
  return { spec, hash, dir, planned };
}

/**
 * The executor the options ask for (the queue is checked to be reachable first), with the lock a local pool takes.
 *
 * @example
 * const { executor, release } = await openExecutor({ workers: 2 }, 'sweeps/wd');
 */
export async function openExecutor(options: RunnerOptions, dir: string): Promise<{ executor: Executor; release: () => void }> {
  if (options.queue) {
    if (options.workers !== undefined || options.threads !== undefined) {
      throw new Error('--workers and --threads size the local pool; with --queue give them to each grok worker (--concurrency, --threads)');
    }
    await checkRedis(options.queue);
    return { executor: createQueueExecutor(options.queue, { pollMs: options.pollMs, retryFailed: options.retryFailed }), release: () => {} };
  }
  const release = lockSweep(dir);
  return { executor: createPool(poolSize(options.workers, options.threads)), release };
}

/**
 * Runs `fn` with an AbortSignal that Ctrl-C (SIGINT) or SIGTERM aborts.
 *
 * @example
 * await withInterrupt((signal) => drivePoints(state, planned, { executor, signal }));
 */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>, what: string): Promise<T> {
  const controller = new AbortController();
  const stop = () => {
    if (!controller.signal.aborted) console.error(`\n${what}: stopping; run the same command again to carry on`);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/**
 * Writes DIR/sweep.html from the state's rows.
 *
 * @example
 * writeSweepHtml(state, 'weight decay sweep', ['weight-decay', 'seed']);
 */
export function writeSweepHtml(state: SweepState, title: string, sweptFlags: string[]): string {
  const path = join(state.dir, 'sweep.html');
  writeFileAtomic(path, renderSweepHtml(title, sweptFlags, state.file.rows));
  return path;
}

/**
 * Runs `grok sweep` to the end (or Ctrl-C) and returns its directory and rows.
 *
 * @example
 * await sweepCommand({ parts: { preset: 'modular-addition', settings: { p: 23 }, grid: ['weight-decay=0.3,1'], seeds: '0-2' } });
 */
export async function sweepCommand(options: SweepCommandOptions): Promise<{ dir: string; rows: SweepRow[]; interrupted: boolean }> {
  const { spec, hash, dir, planned } = planSweep(options);
  const stack = options.stack;
  if (stack !== undefined && options.queue) throw new Error('--stack runs stacks in the local pool; with --queue every point runs alone');
  const group = stack === undefined ? undefined : (jobs: PointJob[]) => groupStacks(jobs, planned, stack);
  const { executor, release } = await openExecutor(options, dir);
  try {
    const state = openSweep(dir, 'sweep', spec, hash);
    const swept = spec.dims.map((d) => d.flag);
    const { rows, interrupted } = await withInterrupt(async (signal) => ({
      rows: await drivePoints(state, planned, { executor, group, signal, retryFailed: options.retryFailed, quiet: options.quiet }),
      interrupted: signal.aborted,
    }), 'grok sweep');
    writeSweepHtml(state, `grok sweep: ${spec.preset ?? spec.settings.task ?? 'sweep'} over ${swept.join(', ')}`, swept);
    return { dir, rows, interrupted };
  } finally {
    await executor.close();
    release();
  }
}

/**
 * `grok sweep --status`: where every point of the sweep these options describe stands. With --queue, read live from
 * the queue; without, from sweep.json.
 *
 * @example
 * console.log(await sweepStatus({ parts, queue: 'redis://127.0.0.1:6379' })); // '3/8 finished, 2 running, 3 queued ...'
 */
export async function sweepStatus(options: SweepCommandOptions): Promise<string> {
  const { dir, planned } = planSweep(options);
  const rows = readSweepFile(dir)?.rows ?? [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const states: { id: string; status: SweepRow['status']; note: string }[] = [];
  if (options.queue) {
    if (options.workers !== undefined || options.threads !== undefined) {
      throw new Error('--workers and --threads size the local pool; with --queue give them to each grok worker (--concurrency, --threads)');
    }
    await checkRedis(options.queue);
    const queue = openSweepQueue(options.queue);
    try {
      for (const p of planned) {
        if (p.planError) { states.push({ id: p.job.id, status: 'failed', note: p.planError }); continue; }
        const s = await queue.standing(p.job);
        if (s.state === 'finished') states.push({ id: p.job.id, status: s.report.outcome === 'done' ? 'done' : 'failed', note: s.report.error ?? '' });
        else if (s.state === 'missing' && byId.get(p.job.id)?.status === 'done') states.push({ id: p.job.id, status: 'done', note: '' });
        else states.push({ id: p.job.id, status: s.state === 'active' ? 'running' : 'queued', note: s.state === 'missing' ? 'not submitted' : '' });
      }
    } finally {
      await queue.close();
    }
  } else {
    for (const p of planned) {
      const r = byId.get(p.job.id);
      states.push({ id: p.job.id, status: r?.status ?? 'queued', note: r?.error ?? (r ? '' : 'not started') });
    }
  }
  const counts = countRows(states);
  const lines = [`${dir}: ${countsLine(counts)}`];
  if (!options.queue && counts.running > 0 && lockHolder(dir) === null) lines.push('  (no grok sweep is running it now: run the same command to carry on)');
  for (const s of states) if (s.status === 'running' || s.status === 'failed') lines.push(`  ${s.status.padEnd(7)} ${s.id}${s.note ? `: ${s.note}` : ''}`);
  return lines.join('\n');
}
