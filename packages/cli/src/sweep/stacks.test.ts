// Grouping a sweep's points into stacks: by their planned stack key, in planned order, up to a size.
import { groupStacks, isStackJob } from './stacks';
import type { PlannedPoint, PointJob } from './plan';

const job = (id: string): PointJob => ({ id, dir: `/s/points/${id}`, args: [], analyze: false });
const planned = (id: string, stackKey: string | null): PlannedPoint => ({ job: job(id), settings: {}, planError: null, stackKey });

describe('groupStacks', () => {
  const points = [planned('a0', 'seed0'), planned('a1', 'seed1'), planned('b0', 'seed0'), planned('b1', 'seed1'), planned('c0', 'seed0'), planned('mlp', null)];
  const jobs = points.map((p) => p.job);
  const shape = (size: number) => groupStacks(jobs, points, size).map((j) => (isStackJob(j) ? j.members.map((m) => m.id) : j.id));

  it('stacks the points with the same key, in planned order, up to the size', () => {
    expect(shape(8)).toEqual([['a0', 'b0', 'c0'], ['a1', 'b1'], 'mlp']);
    expect(shape(2)).toEqual([['a0', 'b0'], ['a1', 'b1'], 'c0', 'mlp']);
    expect(shape(1)).toEqual(['a0', 'a1', 'b0', 'b1', 'c0', 'mlp']);
  });

  it('names a stack by its members and groups only the jobs left to run', () => {
    const left = groupStacks([jobs[0]!, jobs[4]!, jobs[5]!], points, 8);
    expect(left.map((j) => j.id)).toEqual(['a0+c0', 'mlp']);
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => groupStacks(jobs, points, 0)).toThrow('--stack must be a positive integer, got 0');
  });
});
