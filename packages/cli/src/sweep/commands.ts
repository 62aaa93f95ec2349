// The sweep commands on the `grok` command line: sweep, worker and crossover. `grok sweep` and `grok crossover` take
// every `grok train` flag as a fixed setting (the same definitions, TRAIN_FLAGS).
import { InvalidArgumentError, type Command } from 'commander';
import { TRAIN_FLAGS } from '../flags';
import { addTrainFlags } from '../flags';
import { crossoverCommand, crossoverLine } from './crossover-command';
import { readSweepSpecFile, type SweepSpecParts } from './spec';
import { sweepCommand, sweepStatus, type RunnerOptions } from './sweep-command';
import { workerCommand } from './worker';
import type { Scalar } from './values';

const int = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
};
const positive = (name: string) => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number, got ${JSON.stringify(value)}`);
  return n;
};

/** Members per stack for a bare `grok sweep --stack`. */
const DEFAULT_STACK = 8;

/** The options that say how points run, shared by sweep and crossover. */
function addRunnerOptions(command: Command): Command {
  return command
    .option('--out <dir>', 'the sweep directory (default: sweeps/ or crossovers/<preset or task>-<spec hash>)')
    .option('--workers <n>', 'local pool: runs at once (default: one more than cores)', int('--workers'))
    .option('--threads <n>', 'wasm threads per run (default: 1 when several run at once)', int('--threads'))
    .option('--queue <url>', 'send the points to BullMQ on the Redis at redis://HOST:PORT, for `grok worker`s to run')
    .option('--retry-failed', 'run the points that failed in an earlier run of this sweep again')
    .option('--poll <ms>', 'with --queue: how often to read the queue (default 1000)', int('--poll'))
    .option('--quiet', 'no progress display');
}

/** The `grok train` flags that were given, by flag name (a bare --stop-when-grokked is true). */
function fixedSettings(command: Command, opts: Record<string, unknown>): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  for (const f of TRAIN_FLAGS) {
    const option = command.options.find((o) => o.long === `--${f.flag}`);
    const value = option ? opts[option.attributeName()] : undefined;
    if (value !== undefined) out[f.flag] = value as Scalar;
  }
  return out;
}

function runnerOptions(opts: Record<string, unknown>): RunnerOptions {
  return {
    out: opts.out as string | undefined, workers: opts.workers as number | undefined, threads: opts.threads as number | undefined,
    queue: opts.queue as string | undefined, analyze: opts.analyze !== false, retryFailed: Boolean(opts.retryFailed),
    quiet: Boolean(opts.quiet), pollMs: opts.poll as number | undefined,
  };
}

/**
 * Adds `grok sweep`, `grok worker` and `grok crossover` to the program.
 *
 * @example
 * addSweepCommands(new Command('grok')).parseAsync(['sweep', '--grid', 'weight-decay=0.3,1', '--seeds', '0-2'], { from: 'user' });
 */
export function addSweepCommands(program: Command): void {
  const sweep = addRunnerOptions(addTrainFlags(program.command('sweep')
    .description('train every point of a grid of grok train settings and seeds; sweep.json and sweep.html in the sweep directory')
    .option('--preset <name>', 'start every point from this preset (see `grok presets`)')
    .option('--grid <flag=values>', 'a swept grok train flag: a list (0.1,0.3,1) or a range start:stop:step; repeatable',
      (v: string, acc: string[] = []) => [...acc, v])
    .option('--seeds <list>', 'seeds to run every point with: 0-4 or 0,2,7')
    .option('--spec <file>', 'a JSON sweep spec: { preset, settings, grid, seeds }; flags add to it')
    .option('--no-analyze', 'skip grok analyze on each point (its report is still written)')
    .option('--stack [members]', 'train points that differ only in weight decay and (full batch) seed as stacks of models, up to this many per stack (bare flag: 8; local pool only)', int('--stack'))
    .option('--status', 'show where the points of this sweep stand, and run nothing')));
  sweep.action(async (opts: Record<string, unknown>) => {
    const file: SweepSpecParts = opts.spec ? readSweepSpecFile(opts.spec as string) : {};
    const grid = [...(file.grid ?? [])];
    for (const g of (opts.grid as string[] | undefined) ?? []) {
      // A flag given on the command line replaces the file's values for it.
      const flag = g.slice(0, g.indexOf('=')).replace(/^--/, '');
      const at = grid.findIndex((d) => (typeof d === 'string' ? d.slice(0, d.indexOf('=')) : d.flag) === flag);
      if (at >= 0) grid.splice(at, 1);
      grid.push(g);
    }
    const parts: SweepSpecParts = {
      preset: (opts.preset as string | undefined) ?? file.preset,
      settings: { ...(file.settings ?? {}), ...fixedSettings(sweep, opts) },
      grid,
      seeds: (opts.seeds as string | undefined) ?? file.seeds,
    };
    const stack = opts.stack === true ? DEFAULT_STACK : (opts.stack as number | undefined);
    const options = { parts, ...runnerOptions(opts), stack };
    if (opts.status) {
      console.log(await sweepStatus(options));
      return;
    }
    const { dir, rows, interrupted } = await sweepCommand(options);
    console.error(`${interrupted ? 'interrupted' : 'finished'}: ${rows.filter((r) => r.status === 'done').length} of ${rows.length} points done; ${dir}/sweep.json, ${dir}/sweep.html`);
    if (interrupted) process.exitCode = 130;
  });

  program.command('worker')
    .description('take sweep points from a BullMQ queue and run them, until Ctrl-C (points in progress go back to the queue)')
    .requiredOption('--queue <url>', 'the Redis of the sweeps: redis://HOST:PORT')
    .option('--concurrency <n>', 'points at once (default: one more than cores)', int('--concurrency'))
    .option('--threads <n>', 'wasm threads per point (default: 1 when several run at once)', int('--threads'))
    .option('--lock-duration <ms>', 'a job lock\'s lifetime: a dead worker\'s points are taken again after it (default 30000)', int('--lock-duration'))
    .option('--stalled-interval <ms>', 'how often to look for the points of dead workers (default 30000)', int('--stalled-interval'))
    .action(async (opts: { queue: string; concurrency?: number; threads?: number; lockDuration?: number; stalledInterval?: number }) => {
      await workerCommand(opts);
    });

  const crossover = addRunnerOptions(addTrainFlags(program.command('crossover')
    .description('bisect the train fraction (modular tasks) or train size (sampled tasks) for the smallest that groks within --budget epochs')
    .option('--preset <name>', 'start every probe from this preset')
    .requiredOption('--budget <epochs>', 'epochs each run gets; a run groks within it or does not', int('--budget'))
    .option('--seeds <list>', 'seeds per probe, run in parallel: 0-2 or 0,1,2', '0-2')
    .option('--need <n>', 'seeds that must grok for a probe to count (default: more than half)', int('--need'))
    .option('--low <value>', 'bottom of the search range (default 0.05, or 16 examples)', positive('--low'))
    .option('--high <value>', 'top of the search range (default 0.95, or 4096 examples)', positive('--high'))
    .option('--tolerance <value>', 'stop when the bracket is this narrow (default 0.02, or 1/64 of the range)', positive('--tolerance'))
    .option('--analyze', 'run grok analyze on every probe run (default: no)')));
  crossover.action(async (opts: Record<string, unknown>) => {
    const { dir, record } = await crossoverCommand({
      ...runnerOptions(opts), analyze: opts.analyze === true,
      preset: opts.preset as string | undefined, settings: fixedSettings(crossover, opts), seeds: opts.seeds as string,
      budget: opts.budget as number, low: opts.low as number | undefined, high: opts.high as number | undefined,
      tolerance: opts.tolerance as number | undefined, need: opts.need as number | undefined,
    });
    console.log(record.interrupted ? 'crossover: interrupted; run the same command again to carry on' : crossoverLine(record.variable, record.budget, record));
    for (const p of record.probes) console.log(`  ${record.variable} ${p.value}: ${p.grokked ? 'grokked' : 'did not grok'} (${p.points.map((q) => q.grokkedEpoch ?? '-').join(', ')})`);
    console.error(`probes: ${dir}/crossover.json, ${dir}/sweep.html`);
  });
}
