// The Sweeps guide's table of runs per hour, written from docs/results/sweep-throughput.json, which
// `pnpm bench:sweeps` (scripts/sweep-throughput.mjs) produces by running the sweeps: the guide types none of these numbers.
import { defaultPool } from './pool';

/** What docs/results/sweep-throughput.json holds. */
export interface ThroughputRecord {
  date: string;
  command: string;
  points: number;
  /** Each configuration ran this many times, alternating the order. */
  rounds: number;
  machine: { cpu: string; cores: number; memoryGb: number; node: string };
  results: {
    name: string;
    mode: 'local' | 'queue';
    workers: number;
    threads: number;
    /** Members per stack (`grok sweep --stack`), when the points trained in stacks. */
    stack?: number;
    /** The median wall time of the rounds, and the runs per hour it gives. */
    wallS: number;
    runsPerHour: number;
    /** Each round's wall time. */
    wallsS: number[];
    /** The machine's 1-minute load average as each round of it started (other work on a shared machine). */
    loadBefore: number[];
  }[];
}

/**
 * The markdown table and its provenance line.
 *
 * @example
 * sweepThroughputMarkdown(JSON.parse(readFileSync('docs/results/sweep-throughput.json', 'utf8')));
 */
export function sweepThroughputMarkdown(r: ThroughputRecord): string {
  const best = Math.max(...r.results.map((x) => x.runsPerHour));
  const list = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(', ');
  const pool = defaultPool(r.machine.cores);
  const isDefault = (x: ThroughputRecord['results'][number]) => x.mode === 'local' && !x.stack && x.workers === pool.size && x.threads === (pool.threads ?? x.threads);
  const rows = r.results.map((x) => `| ${x.name}${isDefault(x) ? ' (the default)' : ''} | ${x.workers} | ${x.threads} | ${x.runsPerHour === best ? `**${x.runsPerHour}**` : x.runsPerHour} | ${x.wallS.toFixed(1)} | ${list(x.wallsS)} | ${list(x.loadBefore)} |`);
  return [
    `| how the ${r.points} points ran | processes at once | wasm threads each | runs per hour | wall (s, median) | wall of each round (s) | load as each round began |`,
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGb} GB, Node ${r.machine.node.replace(/^v/, '')}; ${r.date.slice(0, 10)}; ` +
      `${r.rounds} rounds, forward then reverse order. The machine was shared with other work (its 1-minute load average ` +
      'is in the last column), so compare the rows only roughly. The sweep: `' + r.command + '`.',
  ].join('\n');
}
