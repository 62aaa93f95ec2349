// Running one point: `grok train` in a child process (resumed with --resume when its run directory already holds a
// run, e.g. after a worker died), then `grok analyze`, then the report. A child process keeps each run's tfjs engine,
// backend threads and memory to itself, and dies with its parent (see exit-with-parent.ts), so no orphan keeps
// writing a run directory that another worker resumes.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { createFileStore } from '@grokking/trainer/node';
import { runPaths } from '../run-dir';
import { reportCommand } from '../commands/report';
import { summarizeRun, type RunSummary } from './summarize';
import type { PointJob } from './plan';

/** How a point's attempt ended: `done` (trained; analysed when asked), `failed` (grok train or analyze refused or
 * errored: rerunning would fail again), `interrupted` (stopped on request, resumable), `crashed` (killed by a signal
 * it was not sent: worth retrying). */
export type PointOutcome = 'done' | 'failed' | 'interrupted' | 'crashed';

/** One attempt's result. */
export interface PointResult extends RunSummary {
  outcome: PointOutcome;
  error: string | null;
  wallSeconds: number;
  host: string;
  /** The checkpoint epoch this attempt resumed from, or null for a fresh start. */
  resumedFrom: number | null;
  /** The stack it trained in (stacks.ts), or null when it trained alone. */
  stack: string | null;
}

/** How to run points. */
export interface RunPointOptions {
  /** The `grok` script to run (default: this process's own, process.argv[1]). */
  bin?: string;
  /** GROKKING_WASM_THREADS for the child; left as it is when undefined. */
  threads?: number;
  /** Aborting sends the child SIGINT: it checkpoints and stops, and the point comes back `interrupted`. */
  signal?: AbortSignal;
  /** Called when the training child starts. */
  onStart?: (info: { pid: number; resumedFrom: number | null }) => void;
}

/** How a `grok` child process ended, with the tail of its stderr. */
export interface ChildEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs `grok ARGS` in a child process (see the file's comment) and resolves when it ends. */
export function runChild(args: string[], options: RunPointOptions, onPid?: (pid: number) => void): Promise<ChildEnd> {
  const env = { ...process.env };
  if (options.threads !== undefined) env.GROKKING_WASM_THREADS = String(options.threads);
  // Its own process group (detached), so a terminal's Ctrl-C reaches it once, forwarded by us; an IPC channel, so it
  // exits when we die.
  const child = spawn(process.execPath, [options.bin ?? process.argv[1]!, ...args],
    { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env, detached: true });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-16_384); });
  const onAbort = () => child.kill('SIGINT');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (child.pid !== undefined) onPid?.(child.pid);
  return new Promise((resolve) => {
    child.on('error', (err) => { stderr += `\ngrok: ${err.message}`; });
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ code, signal, stderr });
    });
  });
}

/** The message of a failed `grok` child: what follows its last `grok: ` line, else its last lines. */
export function errorMessage(end: ChildEnd, what: string): string {
  const at = end.stderr.lastIndexOf('grok: ');
  const text = at >= 0 ? end.stderr.slice(at + 'grok: '.length) : end.stderr.split('\n').filter((l) => l.trim()).slice(-5).join('\n');
  return `${what} exited with ${end.signal ?? `code ${end.code}`}: ${text.trim().slice(0, 2000)}`;
}

/** The newest checkpoint epoch of the run in `dir`: null when there is no run there, -1 when it has no checkpoint. */
export async function resumeEpoch(dir: string): Promise<number | null> {
  if (!existsSync(runPaths(dir).config)) return null;
  const epochs = await createFileStore(runPaths(dir).checkpoints).list();
  return epochs.length ? Math.max(...epochs) : -1;
}

/**
 * Runs one point to the end: trains (or resumes) it, analyses it when the job asks, writes its report, and
 * summarises its run directory.
 *
 * @example
 * const result = await runPoint({ id: 'seed=0', dir: '/tmp/s/points/seed=0', args: ['--p', '23'], analyze: false });
 * result.outcome; // 'done'
 */
export async function runPoint(job: PointJob, options: RunPointOptions = {}): Promise<PointResult> {
  const t0 = performance.now();
  // -1: a run directory whose run has no checkpoint yet; resuming it starts from scratch with its saved configuration.
  const existing = await resumeEpoch(job.dir);
  const resumedFrom = existing === null || existing < 0 ? null : existing;
  const trainArgs = existing === null ? ['train', ...job.args, '--out', job.dir] : ['train', '--resume', job.dir];
  const end = await runChild([...trainArgs, '--quiet', '--no-analyze'], options, (pid) => options.onStart?.({ pid, resumedFrom }));
  const result = pointResult(job, t0, resumedFrom);

  const stopped = /(completed|grokked|interrupted) at epoch \d+/.exec(end.stderr)?.[1];
  if (end.signal) return result(options.signal?.aborted ? 'interrupted' : 'crashed', errorMessage(end, 'grok train'));
  if (end.code !== 0) return result('failed', errorMessage(end, 'grok train'));
  if (stopped === 'interrupted' || options.signal?.aborted) return result('interrupted', null);
  return finishPoint(job, options, result);
}

/** Makes a point's result from its run directory as it stands, timed from t0. */
export function pointResult(job: PointJob, t0: number, resumedFrom: number | null, stack: string | null = null) {
  return (outcome: PointOutcome, error: string | null): PointResult => ({
    ...summarizeRun(job.dir), outcome, error, wallSeconds: (performance.now() - t0) / 1000, host: hostname(), resumedFrom, stack,
  });
}

/** After a point's training ended: `grok analyze` when the job asks, then the report; the point is done. */
export async function finishPoint(
  job: PointJob, options: RunPointOptions, result: (outcome: PointOutcome, error: string | null) => PointResult,
): Promise<PointResult> {
  let error: string | null = null;
  if (job.analyze) {
    const analysis = await runChild(['analyze', job.dir], options);
    if (analysis.signal) return result(options.signal?.aborted ? 'interrupted' : 'crashed', errorMessage(analysis, 'grok analyze'));
    // The run is trained: a failed analysis is noted on the row, and the row still counts as done.
    if (analysis.code !== 0) error = errorMessage(analysis, 'grok analyze');
  }
  try {
    await reportCommand(job.dir);
  } catch (err) {
    error = `${error ? `${error}; ` : ''}grok report failed: ${(err as Error).message}`;
  }
  return result('done', error);
}
