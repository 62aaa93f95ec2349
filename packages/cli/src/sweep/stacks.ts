// `grok sweep --stack`: points that differ only in weight decay train together as one stack of models, one child
// process (`grok train-stack`) for the stack. Each member keeps its own run directory and its own row in sweep.json.
import type { PlannedPoint, PointJob } from './plan';

/** Points trained as one stack: its members, each a point with its own run directory. */
export interface StackJob {
  /** The members' ids joined, for progress lines. */
  id: string;
  members: PointJob[];
}

/** What an executor runs: a point alone, or a stack of points. */
export type SweepJob = PointJob | StackJob;

/** Whether a job is a stack. */
export function isStackJob(job: SweepJob): job is StackJob {
  return 'members' in job;
}

/**
 * Groups the jobs left to run into stacks of at most `size` members, by their planned stack key, in planned order;
 * a point that has no partner (or no key) runs alone.
 *
 * @example
 * groupStacks(todo, planned, 8); // [{ id: 'weight-decay=0.1_seed=0+weight-decay=1_seed=0', members: [...] }, ...]
 * @throws when size is not a positive integer.
 */
export function groupStacks(jobs: readonly PointJob[], planned: readonly PlannedPoint[], size: number): SweepJob[] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`--stack must be a positive integer, got ${size}`);
  const keyOf = new Map(planned.map((p) => [p.job.id, p.stackKey]));
  const groups = new Map<string, PointJob[][]>();
  const out: (PointJob | PointJob[])[] = [];
  for (const job of jobs) {
    const key = keyOf.get(job.id) ?? null;
    if (key === null || size === 1) {
      out.push(job);
      continue;
    }
    const open = groups.get(key) ?? [];
    groups.set(key, open);
    let group = open[open.length - 1];
    if (!group || group.length === size) {
      group = [];
      open.push(group);
      out.push(group);
    }
    group.push(job);
  }
  return out.map((g) => {
    if (!Array.isArray(g)) return g;
    if (g.length === 1) return g[0]!;
    return { id: g.map((j) => j.id).join('+'), members: g };
  });
}
