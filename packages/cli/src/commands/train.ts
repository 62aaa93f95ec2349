// `grok train`: resolve and check the configuration, train with checkpoints and metrics, then analyse and report.
import { Command } from 'commander';
import { readyBackend } from '@grokking/backend';
import { latestCheckpoint, train, type EvalRecord } from '@grokking/trainer';
import { createFileStore } from '@grokking/trainer/node';
import { buildData, buildRun, buildTask, presetByName, taskSpec, trainOptions } from '@grokking/experiments';
import { isTaskName } from '@grokking/tasks';
import { mergeConfig, resolveConfig, type RunConfig, type RunConfigInput } from '../config';
import { addTrainFlags, flagsToConfig } from '../flags';
import { readRunConfig, runPaths, writeRunConfig } from '../run-dir';
import { createProgress } from '../progress';
import { versions } from '../versions';
import { liveMetrics } from '../analysis/task-analysis';
import { bestNodeBackend } from '../best-backend';
import { openRunLog } from './run-log';

/** What `grok train` was asked. */
export interface TrainCommandOptions {
  preset?: string;
  out?: string;
  resume?: string;
  quiet?: boolean;
  /** Parsed configuration flags (commander's camelCase option values). */
  flags: Record<string, unknown>;
}

/** Resolves the configuration from a preset, flags, or a run to resume; everything is checked before work starts. */
export function planRun(options: TrainCommandOptions): { config: RunConfig; dir: string; resume: boolean } {
  const flags = flagsToConfig(options.flags);
  if (options.resume) {
    if (options.preset) throw new Error('--resume continues the run in its directory; it takes no --preset');
    const saved = readRunConfig(options.resume);
    const allowed = new Set(['trainer.epochs', 'trainer.evalEvery', 'trainer.checkpointEvery', 'trainer.stopWhenGrokked', 'trainer.stopAfterCleanup']);
    for (const [section, values] of Object.entries(flags)) {
      const fields = typeof values === 'object' && values !== null ? Object.keys(values).map((key) => `${section}.${key}`) : [section];
      for (const field of fields) {
        if (field === 'backend') continue;
        if (!allowed.has(field)) {
          throw new Error(`--resume keeps the run's configuration; only --epochs, --eval-every, --checkpoint-every, --stop-when-grokked, --stop-after-cleanup and --backend may change (got ${field})`);
        }
      }
    }
    const config = resolveConfig(mergeConfig(saved as RunConfigInput, flags));
    config.backend ??= bestNodeBackend();
    return { config, dir: options.resume, resume: true };
  }
  const config = resolveConfig(mergeConfig(baseConfig(options.preset, flags), flags));
  config.backend ??= bestNodeBackend();
  // Building the task and data now checks task options (p, digits, sizes) before any training starts.
  buildData(config, buildTask(config));
  const dir = options.out ?? `runs/${options.preset ?? config.task.name}-seed${config.seed}`;
  return { config, dir, resume: false };
}

/**
 * Parses `grok train` arguments as `grok train` does and plans the run (configuration resolved, task and data built,
 * nothing trained).
 *
 * @example
 * checkTrainArgs(['--preset', 'modular-addition', '--p', '23'], '/tmp/x').config.task.p; // 23
 * @throws with `grok train`'s message for a bad flag, value or combination.
 */
export function checkTrainArgs(args: string[], out: string) {
  const command = addTrainFlags(new Command('train').option('--preset <name>'))
    .exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} }).allowExcessArguments(false);
  command.parse(args, { from: 'user' });
  const { preset, ...flags } = command.opts() as Record<string, unknown>;
  return planRun({ preset: preset as string | undefined, out, flags });
}

/**
 * Where a new run starts: the preset if one is named; else the default preset of the task named by --task
 * (TASK_PRESETS in @grokking/experiments); else the seed run.
 */
function baseConfig(preset: string | undefined, flags: ReturnType<typeof flagsToConfig>): RunConfigInput {
  if (preset) return presetByName(preset).spec;
  const name = flags.task?.name;
  // An unknown name falls through to the seed run, whose check then names it.
  return name !== undefined && isTaskName(name) ? taskSpec(name) : presetByName('modular-addition').spec;
}

/**
 * Runs `grok train` to the end (or until Ctrl-C or --stop-when-grokked), writing the run directory.
 * Returns the run directory.
 */
export async function trainCommand(options: TrainCommandOptions): Promise<{ dir: string; stopped: string; epoch: number }> {
  const { config, dir, resume } = planRun(options);
  const backendInfo = await readyBackend(config.backend ?? bestNodeBackend());
  const { task, data, model } = buildRun(config);
  const paths = runPaths(dir);
  writeRunConfig(dir, { ...config, versions: versions(), backendInfo });
  const store = createFileStore(paths.checkpoints);

  // metrics.jsonl holds every evaluation up to the checkpoint resumed from (an evaluation is written before its
  // checkpoint); the log keeps those and writes each epoch once.
  const resumedFrom = resume ? ((await latestCheckpoint(store)).checkpoint?.epoch ?? null) : null;
  const log = openRunLog(dir, config, resumedFrom);

  const controller = new AbortController();
  let reason = 'completed';
  const onSigint = () => { reason = 'interrupted'; controller.abort(); };
  process.once('SIGINT', onSigint);
  const progress = options.quiet ? { start() {}, update() {}, stop() {} } : createProgress();
  try {
    // Epochs per second count only this process's epochs.
    progress.start(config.trainer.epochs, resumedFrom ?? 0);
    const result = await train({
      model, info: task.info, data: data.train, ...trainOptions(config, store), metrics: liveMetrics(task),
      resume, signal: controller.signal,
      onEval: (record: EvalRecord) => {
        const { fresh, stop } = log.record(record);
        if (fresh) progress.update(record);
        if (stop && !controller.signal.aborted) { reason = stop; controller.abort(); }
      },
    });
    return { dir, stopped: result.stopped === 'completed' ? 'completed' : reason, epoch: result.epoch };
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
    model.dispose();
  }
}
