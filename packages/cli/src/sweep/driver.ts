// Driving a sweep: keep sweep.json's rows in step with the executor's events, skip what an earlier run of the same
// sweep finished, show progress. `grok sweep` and `grok crossover` both drive their points through here.
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { emptyRow, readSweepFile, writeSweepFile, type SweepFile, type SweepRow } from './sweep-file';
import { countsLine, createSweepProgress, type SweepCounts } from './sweep-progress';
import type { Executor } from './executor';
import type { PlannedPoint, PointJob } from './plan';
import type { SweepJob } from './stacks';

/** An open sweep directory: its file, kept in memory and saved after each change. */
export interface SweepState {
  dir: string;
  file: SweepFile;
  save(): void;
}

/**
 * Opens the sweep directory `dir` for a sweep with this spec: a new sweep.json, or the existing one when it records
 * the same sweep (a rerun re-attaches).
 *
 * @example
 * const state = openSweep('sweeps/wd', 'sweep', spec, specHash(spec));
 * @throws when `dir` holds a different sweep.
 */
export function openSweep(dir: string, kind: SweepFile['kind'], spec: unknown, hash: string): SweepState {
  const existing = readSweepFile(dir);
  if (existing && (existing.kind !== kind || existing.specHash !== hash)) {
    throw new Error(`${dir} holds another ${existing.kind} (spec ${existing.specHash}, this one is ${hash}); choose another --out, or remove ${dir}`);
  }
  const file: SweepFile = existing ?? { format: 1, kind, specHash: hash, spec, updatedAt: new Date().toISOString(), rows: [] };
  const state: SweepState = {
    dir, file,
    save() {
      file.updatedAt = new Date().toISOString();
      writeSweepFile(dir, file);
    },
  };
  state.save();
  return state;
}

/**
 * The pid of the live local `grok sweep` that holds the sweep directory (its `sweep.lock`), or null when none does
 * (no lock, or one left by a coordinator that was killed).
 *
 * @example
 * lockHolder('sweeps/wd'); // 12345
 */
export function lockHolder(dir: string): number | null {
  const path = join(dir, 'sweep.lock');
  if (!existsSync(path)) return null;
  const [host, pid] = readFileSync(path, 'utf8').trim().split(' ');
  if (host !== hostname() || !pid || Number(pid) === process.pid) return null;
  try {
    process.kill(Number(pid), 0);
    return Number(pid);
  } catch {
    return null;
  }
}

/**
 * Takes the sweep directory for this process (`sweep.lock`), so two local coordinators never run the same points;
 * returns the release function.
 *
 * @example
 * const release = lockSweep('sweeps/wd'); try { ... } finally { release(); }
 * @throws naming the process that holds it.
 */
export function lockSweep(dir: string): () => void {
  const holder = lockHolder(dir);
  if (holder !== null) throw new Error(`another grok sweep (pid ${holder}) is running the sweep in ${dir}; wait for it or stop it`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'sweep.lock');
  writeFileSync(path, `${hostname()} ${process.pid}\n`);
  return () => rmSync(path, { force: true });
}

/** Counts rows by status. */
export function countRows(rows: readonly Pick<SweepRow, 'status'>[]): SweepCounts {
  const c: SweepCounts = { done: 0, failed: 0, running: 0, queued: 0 };
  for (const r of rows) c[r.status] += 1;
  return c;
}

/** What to run and how. */
export interface DriveOptions {
  executor: Executor;
  /** Run failed points again (resuming from their checkpoints). */
  retryFailed?: boolean;
  /** Groups the points left to run into what the executor runs (stacks.ts' groupStacks); default: each alone. */
  group?: (jobs: PointJob[]) => SweepJob[];
  /** Aborted by Ctrl-C: stop (see Executor.run). */
  signal: AbortSignal;
  quiet?: boolean;
}

/**
 * Runs the planned points that are not finished yet and returns their rows (in the planned order). Points `grok train`
 * refuses are recorded as failed with its message without running; points an earlier run finished are kept as they
 * are.
 *
 * @example
 * const rows = await drivePoints(state, planPoints(spec, sweepPoints(spec), dir, true), { executor, signal });
 */
export async function drivePoints(state: SweepState, planned: PlannedPoint[], options: DriveOptions): Promise<SweepRow[]> {
  const rows = state.file.rows;
  const byId = new Map(rows.map((r) => [r.id, r]));
  const todo = [];
  for (const p of planned) {
    let row = byId.get(p.job.id);
    if (!row) {
      row = emptyRow(p.job.id, relative(state.dir, p.job.dir), p.settings, 'queued');
      rows.push(row);
      byId.set(row.id, row);
    }
    if (p.planError !== null) {
      Object.assign(row, { status: 'failed', error: `grok train refuses it: ${p.planError}` });
    } else if (row.status !== 'done' && (row.status !== 'failed' || options.retryFailed)) {
      Object.assign(row, { status: 'queued', error: null });
      todo.push(p.job);
    }
  }
  state.save();
  const mine = planned.map((p) => byId.get(p.job.id)!);
  const finishedBefore = mine.filter((r) => r.status === 'done' || r.status === 'failed').length;
  const progress = options.quiet ? null : createSweepProgress(mine.length, finishedBefore, options.executor.description);
  const update = () => progress?.update(countRows(mine));
  const tick = setInterval(update, 5000);
  const set = (id: string, change: Partial<SweepRow>) => {
    Object.assign(byId.get(id)!, change);
    state.save();
    update();
  };
  try {
    await options.executor.run(options.group ? options.group(todo) : todo, {
      started: (id) => set(id, { status: 'running' }),
      requeued: (id) => set(id, { status: 'queued' }),
      finished: (id, report) => {
        const { outcome, attempts, ...results } = report;
        const row = byId.get(id)!;
        const status = outcome === 'done' ? 'done' : outcome === 'interrupted' ? 'queued' : 'failed';
        set(id, { ...results, status, attempts: row.attempts + attempts });
      },
    }, options.signal);
  } finally {
    clearInterval(tick);
    // Points still marked running were interrupted with their runner (Ctrl-C): a rerun resumes them.
    for (const r of mine) if (r.status === 'running') r.status = 'queued';
    state.save();
    progress?.stop();
  }
  if (!options.quiet) console.error(`sweep: ${countsLine(countRows(mine))}`);
  return mine;
}
