// Running a stack of points (stacks.ts): `grok train-stack` in one child process for all of them, then each member
// analysed and reported as a point alone is (run-point.ts). A member's row records the stack's wall time.
import { readMemberEnds } from '../commands/train-stack';
import { errorMessage, finishPoint, pointResult, resumeEpoch, runChild, type PointResult, type RunPointOptions } from './run-point';
import type { StackJob } from './stacks';

/**
 * Trains a stack's members together (each resumed from its run directory when it has one), then analyses and reports
 * each; returns a result per member, in member order.
 *
 * @example
 * const results = await runStack({ id: 'a+b', members: [a, b] }, { threads: 1 });
 */
export async function runStack(job: StackJob, options: RunPointOptions = {}): Promise<PointResult[]> {
  const t0 = performance.now();
  const resumed = await Promise.all(job.members.map(async (m) => {
    const epoch = await resumeEpoch(m.dir);
    return epoch === null || epoch < 0 ? null : epoch;
  }));
  const members = job.members.map((m) => ({ dir: m.dir, args: m.args }));
  const end = await runChild(['train-stack', JSON.stringify(members)], options,
    (pid) => options.onStart?.({ pid, resumedFrom: resumed[0] ?? null }));
  const ends = readMemberEnds(end.stderr);
  const results: PointResult[] = [];
  // One member after another: each analysis is a child process of its own, and the pool counts the stack as one run.
  for (const [k, member] of job.members.entries()) {
    const result = pointResult(member, t0, resumed[k]!, job.id);
    const own = ends.get(member.dir);
    if (end.signal) results.push(result(options.signal?.aborted ? 'interrupted' : 'crashed', errorMessage(end, 'grok train-stack')));
    else if (end.code !== 0) results.push(result('failed', errorMessage(end, 'grok train-stack')));
    else if (!own) results.push(result('failed', `grok train-stack did not report how ${member.dir} ended`));
    else if (own.stopped === 'interrupted' || options.signal?.aborted) results.push(result('interrupted', null));
    else results.push(await finishPoint(member, options, result));
  }
  return results;
}
