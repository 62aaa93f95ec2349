// Running an experiment: each of its sweeps is one `grok sweep` (and its crossover one `grok crossover`) into
// runs/reproduce/<experiment>/<sweep>, with the same command line a user would type. grok sweep skips the points a
// previous invocation finished and resumes the interrupted ones from their checkpoints, so this can be stopped and
// started again at any time.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EXPERIMENTS, type CrossoverSpec, type ExperimentName, type SweepSpec } from './catalogue';
import { crossoverDir, sweepDir } from './paths';

/** How the points run: passed through to grok sweep and grok crossover. */
export interface RunnerOptions {
  workers?: number;
  threads?: number;
  queue?: string;
}

/** The built `grok` command's entry point. */
export function grokBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@grokking/cli/package.json')), 'dist', 'bin.js');
}

const flagArgs = (settings: Record<string, number | string | boolean>) =>
  Object.entries(settings).flatMap(([flag, value]) => (value === true ? [`--${flag}`] : value === false ? [] : [`--${flag}`, String(value)]));

/**
 * The `grok sweep` arguments of a sweep (without the runner options).
 *
 * @example
 * sweepArgs({ preset: 'modular-addition', settings: { p: 23 }, seeds: [0, 1] }, 'runs/x');
 * // ['sweep', '--preset', 'modular-addition', '--p', '23', '--seeds', '0,1', '--out', 'runs/x']
 */
export function sweepArgs(spec: SweepSpec, out: string): string[] {
  const grid = Object.entries(spec.grid ?? {}).flatMap(([flag, values]) => ['--grid', `${flag}=${values.join(',')}`]);
  const seeds = spec.seeds ? ['--seeds', spec.seeds.join(',')] : [];
  return ['sweep', '--preset', spec.preset, ...flagArgs(spec.settings), ...grid, ...seeds, '--out', out];
}

/**
 * The `grok crossover` arguments of a search (without the runner options).
 *
 * @example
 * crossoverArgs({ preset: 'modular-addition', settings: { p: 23 }, budget: 3000, seeds: '0-2' }, 'runs/x');
 */
export function crossoverArgs(spec: CrossoverSpec, out: string): string[] {
  return ['crossover', '--preset', spec.preset, ...flagArgs(spec.settings), '--budget', String(spec.budget), '--seeds', spec.seeds, '--out', out];
}

/** The number of runs of a sweep: the grid's product times the seeds. */
export function pointCount(spec: SweepSpec): number {
  return Object.values(spec.grid ?? {}).reduce((n, values) => n * values.length, 1) * (spec.seeds?.length ?? 1);
}

function runnerArgs(options: RunnerOptions, points: number): string[] {
  // A sweep of one run on the local pool: one worker, so it gets grok train's default wasm threads (one per core)
  // instead of the pool's one thread per run.
  if (points === 1 && !options.workers && !options.threads && !options.queue) return ['--workers', '1'];
  return [
    ...(options.workers ? ['--workers', String(options.workers)] : []),
    ...(options.threads ? ['--threads', String(options.threads)] : []),
    ...(options.queue ? ['--queue', options.queue] : []),
  ];
}

/** Runs `grok ARGS` with the terminal; resolves with its exit status. */
function grok(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [grokBin(), ...args], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/**
 * The `grok` commands of an experiment, as a user would type them (`pnpm grok ...` in this repository).
 *
 * @example
 * experimentCommands('seed-run', 'runs/reproduce')[0]; // 'grok sweep --preset modular-addition --stop-after-cleanup ...'
 */
export function experimentCommands(name: ExperimentName, runs: string): string[] {
  const experiment = EXPERIMENTS[name];
  const commands = Object.entries(experiment.sweeps).map(([sweep, spec]) => `grok ${sweepArgs(spec, sweepDir(runs, name, sweep)).join(' ')}`);
  if ('crossover' in experiment) commands.push(`grok ${crossoverArgs(experiment.crossover, crossoverDir(runs, name)).join(' ')}`);
  return commands;
}

/**
 * Runs an experiment's sweeps and crossover to the end. Returns false when one was interrupted or failed to run
 * (a point that fails is recorded by grok sweep and does not stop the others).
 *
 * @example
 * await runExperiment('seed-run', 'runs/reproduce', { workers: 2 });
 */
export async function runExperiment(name: ExperimentName, runs: string, options: RunnerOptions): Promise<boolean> {
  const experiment = EXPERIMENTS[name];
  for (const [sweep, spec] of Object.entries(experiment.sweeps)) {
    console.error(`reproduce ${name}/${sweep}`);
    if (await grok([...sweepArgs(spec, sweepDir(runs, name, sweep)), ...runnerArgs(options, pointCount(spec))]) !== 0) return false;
  }
  if ('crossover' in experiment) {
    console.error(`reproduce ${name}/crossover`);
    if (await grok([...crossoverArgs(experiment.crossover, crossoverDir(runs, name)), ...runnerArgs(options, Infinity)]) !== 0) return false;
  }
  return true;
}
