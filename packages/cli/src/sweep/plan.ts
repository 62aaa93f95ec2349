// Planning a sweep's points before any work: each point's `grok train` arguments are parsed by the same flag
// definitions and planned by the same planRun as `grok train` itself, so a point that `grok train` would reject
// (a bad value, a bad combination) is known, with `grok train`'s message, before anything runs.
import { createHash } from 'node:crypto';
import { resolve, join } from 'node:path';
import { checkTrainArgs } from '../commands/train';
import { stackKey } from '../commands/train-stack';
import { pointArgs, type SweepPoint, type SweepSpec } from './spec';
import type { Scalar } from './values';

/** What a worker needs to run a point: where, and the `grok train` arguments. Travels as a queue job's data. */
export interface PointJob {
  /** The point's id, unique in its sweep. */
  id: string;
  /** Absolute path of the point's run directory. */
  dir: string;
  /** `grok train` arguments, without --out. */
  args: string[];
  /** Run `grok analyze` after training. */
  analyze: boolean;
}

/** A planned point: its job, its swept values, and the reason `grok train` would refuse it (null when it would not). */
export interface PlannedPoint {
  job: PointJob;
  settings: Record<string, Scalar>;
  planError: string | null;
  /** Points with the same key may train as one stack (see stackKey in commands/train-stack.ts); null: alone. */
  stackKey: string | null;
}

/** The run directories of a sweep live under DIR/points/. */
export const POINTS_DIR = 'points';

/**
 * Plans every point of a sweep in `sweepDir`: its run directory `sweepDir/points/<id>`, its arguments, and whether
 * `grok train` accepts them.
 *
 * @example
 * planPoints(spec, sweepPoints(spec), '/data/sweeps/wd', true)[0].job.dir; // '/data/sweeps/wd/points/weight-decay=0.1_seed=0'
 */
export function planPoints(spec: SweepSpec, points: SweepPoint[], sweepDir: string, analyze: boolean): PlannedPoint[] {
  const root = resolve(sweepDir);
  return points.map((point) => {
    const job: PointJob = { id: point.id, dir: join(root, POINTS_DIR, point.id), args: pointArgs(spec, point), analyze };
    let planError: string | null = null;
    let key: string | null = null;
    try {
      key = stackKey(checkTrainArgs(job.args, job.dir).config);
    } catch (err) {
      planError = (err as Error).message.replace(/^error: /, '');
    }
    return { job, settings: point.settings, planError, stackKey: key };
  });
}

/**
 * A queue job id for a point: the same point of the same sweep (same run directory, same arguments) always gets the
 * same id, so submitting a sweep again adds no duplicate (whether or not it asks for analysis: one run directory, one
 * job).
 *
 * @example
 * jobId(job); // 'grok-5e0c1f9a2b7d4e61c3a8f0d2'
 */
export function jobId(job: PointJob): string {
  return `grok-${createHash('sha256').update([job.dir, ...job.args].join('\0')).digest('hex').slice(0, 24)}`;
}
