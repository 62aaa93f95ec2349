// `grok crossover`: the smallest data size that groks within an epoch budget, by bisection (bisect.ts) over the train
// fraction (modular tasks) or the train size (sampled tasks). Each probe runs its seeds in parallel through the local
// pool or the queue, as sweep points; the crossover directory is a sweep directory (sweep.json, sweep.html, points/)
// plus crossover.json, which records every probe and the bracket.
//
//   DIR/crossover.json  { variable, budget, need, seeds, low, high, tolerance, probes: [...], below, above }
import { join } from 'node:path';
import { isModularTaskName } from '@grokking/tasks';
import { writeFileAtomic } from '../run-dir';
import { bisect, type BisectResult } from './bisect';
import { drivePoints, openSweep } from './driver';
import { checkTrainArgs } from '../commands/train';
import { planPoints } from './plan';
import { hashJson, pointArgs, sortedSettings, sweepPoints, type SweepSpec } from './spec';
import { openExecutor, withInterrupt, writeSweepHtml, type RunnerOptions } from './sweep-command';
import { parseSeeds, type Scalar } from './values';

/** `grok crossover`'s options. */
export interface CrossoverOptions extends RunnerOptions {
  preset?: string;
  /** Fixed `grok train` settings by flag name (not the epochs: the budget sets them). */
  settings: Record<string, Scalar>;
  seeds: string | number[];
  /** Epochs each probe's runs get. */
  budget: number;
  /** Search range and stopping width (defaults: fractions 0.05-0.95 by 0.02; sizes 16-4096 by 1/64 of the range). */
  low?: number;
  high?: number;
  tolerance?: number;
  /** Seeds that must grok for a probe to count as grokking (default: more than half). */
  need?: number;
}

/** One probe as crossover.json records it. */
export interface CrossoverProbe {
  value: number;
  grokked: boolean;
  /** The seeds' grokking epochs (null: did not grok within the budget, or failed), by point id. */
  points: { id: string; grokkedEpoch: number | null; status: string }[];
}

/** crossover.json. */
export interface CrossoverRecord {
  variable: 'train-fraction' | 'train-size';
  budget: number;
  need: number;
  seeds: number[];
  low: number;
  high: number;
  tolerance: number;
  probes: CrossoverProbe[];
  below: number | null;
  above: number | null;
  /** True when Ctrl-C stopped the search before the bracket was found. */
  interrupted: boolean;
}

/**
 * The sentence `grok crossover` prints for a result.
 *
 * @example
 * crossoverLine('train-fraction', 2000, { below: 0.3, above: 0.35, probes: [] }); // 'crossover: within 2000 epochs ...'
 */
export function crossoverLine(variable: string, budget: number, r: Pick<BisectResult, 'below' | 'above'>): string {
  if (r.above === null) return `crossover: no ${variable} up to ${r.below} groks within ${budget} epochs; raise --high or --budget`;
  if (r.below === null) return `crossover: it groks within ${budget} epochs already at ${variable} ${r.above}; lower --low`;
  return `crossover: within ${budget} epochs it groks at ${variable} ${r.above} and not at ${r.below} (bracket [${r.below}, ${r.above}])`;
}

/**
 * Runs the bisection and returns the record written to DIR/crossover.json.
 *
 * @example
 * await crossoverCommand({ preset: 'modular-addition', settings: { p: 23 }, seeds: '0-2', budget: 2000 });
 */
export async function crossoverCommand(options: CrossoverOptions): Promise<{ dir: string; record: CrossoverRecord }> {
  const seeds = typeof options.seeds === 'string' ? parseSeeds(options.seeds) : options.seeds;
  if (!Number.isInteger(options.budget) || options.budget < 1) throw new Error(`--budget must be a positive number of epochs, got ${options.budget}`);
  if ('epochs' in options.settings) throw new Error(`--budget sets the epochs of every probe; drop --epochs (got ${options.settings.epochs})`);
  // Each run stops once it has grokked for a few evaluations: the budget is an upper bound, not the cost of a probe.
  const settings = { 'stop-when-grokked': 3, ...options.settings, epochs: options.budget };
  const { config } = checkTrainArgs(pointArgs({ preset: options.preset, settings, dims: [] }, { id: '', settings: {} }), 'crossover');
  if (config.task.infinite) throw new Error('grok crossover needs finite data (a train size to bisect); the task here is infinite');
  const modular = isModularTaskName(config.task.name);
  const variable = modular ? 'train-fraction' : 'train-size';
  if (variable in settings) throw new Error(`grok crossover varies --${variable} itself; drop it from the fixed settings`);
  const low = options.low ?? (modular ? 0.05 : 16);
  const high = options.high ?? (modular ? 0.95 : 4096);
  const tolerance = options.tolerance ?? (modular ? 0.02 : Math.max(1, Math.round((high - low) / 64)));
  const need = options.need ?? Math.floor(seeds.length / 2) + 1;
  if (!Number.isInteger(need) || need < 1 || need > seeds.length) throw new Error(`--need must be between 1 and the ${seeds.length} seeds, got ${need}`);

  const specRecord = { preset: options.preset ?? null, settings: sortedSettings(settings), variable, low, high, tolerance, seeds, need };
  const hash = hashJson(specRecord);
  const dir = options.out ?? join('crossovers', `${options.preset ?? config.task.name}-${hash}`);
  const { executor, release } = await openExecutor(options, dir);
  const record: CrossoverRecord = { variable, budget: options.budget, need, seeds, low, high, tolerance, probes: [], below: null, above: null, interrupted: false };
  try {
    const state = openSweep(dir, 'crossover', specRecord, hash);
    const save = () => writeFileAtomic(join(dir, 'crossover.json'), `${JSON.stringify(record, null, 2)}\n`);
    await withInterrupt(async (signal) => {
      const groks = async (value: number) => {
        const spec: SweepSpec = { preset: options.preset, settings, dims: [{ flag: variable, values: [value] }, { flag: 'seed', values: seeds }] };
        const rows = await drivePoints(state, planPoints(spec, sweepPoints(spec), dir, options.analyze ?? false), {
          executor, signal, retryFailed: options.retryFailed, quiet: options.quiet,
        });
        if (signal.aborted) throw new Interrupted();
        const grokked = rows.filter((r) => r.status === 'done' && r.grokkedEpoch !== null).length >= need;
        record.probes.push({ value, grokked, points: rows.map((r) => ({ id: r.id, grokkedEpoch: r.grokkedEpoch, status: r.status })) });
        save();
        if (!options.quiet) console.error(`probe ${variable} ${value}: ${grokked ? 'grokked' : 'did not grok'} (${rows.filter((r) => r.grokkedEpoch !== null).length} of ${rows.length} seeds)`);
        return grokked;
      };
      try {
        const result = await bisect(groks, { low, high, tolerance, integer: !modular });
        Object.assign(record, { below: result.below, above: result.above });
      } catch (err) {
        if (!(err instanceof Interrupted)) throw err;
        record.interrupted = true;
      }
      save();
    }, 'grok crossover');
    writeSweepHtml(state, `grok crossover: ${options.preset ?? config.task.name}, ${variable} within ${options.budget} epochs`, [variable, 'seed']);
    return { dir, record };
  } finally {
    await executor.close();
    release();
  }
}

class Interrupted extends Error {}
