// sweep.json: the record of a sweep, one row per point, rewritten atomically after every change. A rerun of the same
// sweep reads it to skip the points already finished; `grok sweep --status` and sweep.html read it too.
//
//   DIR/sweep.json        { format, kind, specHash, spec, updatedAt, rows: [SweepRow, ...] }
//   DIR/sweep.html        written at the end (sweep-html.ts)
//   DIR/points/<id>/      one ordinary run directory per point (see run-dir.ts)
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseOrExplain } from '@grokking/experiments';
import { writeFileAtomic } from '../run-dir';
import { emptySummary } from './summarize';

const ScalarSchema = z.union([z.number(), z.string(), z.boolean()]);
const num = z.number().nullable();

/** Where a point stands. `queued` and `running` points are run (or resumed) again when the sweep is rerun. */
export const ROW_STATUSES = ['queued', 'running', 'done', 'failed'] as const;

/** One point's row. */
export const SweepRow = z.object({
  /** The point's id and its run directory's name under points/. */
  id: z.string(),
  /** The run directory, relative to the sweep directory. */
  dir: z.string(),
  /** The swept flags' values. */
  settings: z.record(z.string(), ScalarSchema),
  status: z.enum(ROW_STATUSES),
  /** The grokking epoch (@grokking/trainer's grokEpoch), or null when it did not grok. */
  grokkedEpoch: num,
  /** The last evaluation: its epoch, losses and accuracies. */
  finalEpoch: num,
  trainLoss: num,
  testLoss: num,
  trainAccuracy: num,
  testAccuracy: num,
  /** Key frequencies from `grok analyze` (modular addition), else null. */
  keyFrequencies: z.array(z.number()).nullable(),
  /** Seconds the point's last attempt took (training, analysis and report). */
  wallSeconds: num,
  /** Why the point failed (or, for a done point, why its analysis did); null when nothing went wrong. */
  error: z.string().nullable(),
  /** Attempts that ran it (more than one when a worker died and another resumed it). */
  attempts: z.number().int().nonnegative(),
  /** The machine that finished it. */
  host: z.string().nullable(),
  /** The stack it trained in with `grok sweep --stack` (its members' ids joined by +), or null when it trained alone. */
  stack: z.string().nullable().default(null),
});
export type SweepRow = z.infer<typeof SweepRow>;

/** The whole file. */
export const SweepFile = z.object({
  format: z.literal(1),
  /** `sweep` (a grid) or `crossover` (bisection probes; see crossover.json beside it). */
  kind: z.enum(['sweep', 'crossover']),
  /** Hash of the spec: a rerun into the same directory must have the same. */
  specHash: z.string(),
  spec: z.unknown(),
  updatedAt: z.string(),
  rows: z.array(SweepRow),
});
export type SweepFile = z.infer<typeof SweepFile>;

/**
 * A row with no results yet.
 *
 * @example
 * emptyRow('seed=0', 'points/seed=0', { seed: 0 }, 'queued');
 */
export function emptyRow(id: string, dir: string, settings: SweepRow['settings'], status: SweepRow['status']): SweepRow {
  return { id, dir, settings, status, ...emptySummary(), wallSeconds: null, error: null, attempts: 0, host: null, stack: null };
}

/** Path of DIR/sweep.json. */
export const sweepFilePath = (dir: string) => join(dir, 'sweep.json');

/**
 * Reads DIR/sweep.json, or null when there is none.
 *
 * @example
 * readSweepFile('sweeps/wd')?.rows.filter((r) => r.status === 'done').length;
 * @throws when the file is not a sweep file.
 */
export function readSweepFile(dir: string): SweepFile | null {
  const path = sweepFilePath(dir);
  if (!existsSync(path)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  return parseOrExplain(SweepFile, raw, `sweep file ${path}`);
}

/**
 * Writes DIR/sweep.json atomically (a crash leaves the old file or the new one), creating DIR.
 *
 * @example
 * writeSweepFile('sweeps/wd', { format: 1, kind: 'sweep', specHash, spec, updatedAt: new Date().toISOString(), rows });
 */
export function writeSweepFile(dir: string, file: SweepFile): void {
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(sweepFilePath(dir), `${JSON.stringify(file, null, 2)}\n`);
}
