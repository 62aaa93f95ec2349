// `grok train`: resolve and check the configuration, train with checkpoints and metrics, then analyse and report.
import { readyBackend } from '@grokking/backend';
import { cleanupStop, grokStop, latestCheckpoint, train, type EvalRecord } from '@grokking/trainer';
import { createFileStore } from '@grokking/trainer/node';
import { buildData, buildRun, buildTask, presetByName, taskSpec, trainOptions } from '@grokking/experiments';
import { isTaskName } from '@grokking/tasks';
import { mergeConfig, resolveConfig, type RunConfig, type RunConfigInput } from '../config';
import { flagsToConfig } from '../flags';
import { appendMetrics, readMetrics, readRunConfig, rewriteMetrics, runPaths, writeRunConfig } from '../run-dir';
import { createProgress } from '../progress';
import { versions } from '../versions';
import { liveMetrics } from '../analysis/task-analysis';
import { bestNodeBackend } from '../best-backend';

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

  // The trainer evaluates again at the epoch it resumes from; metrics.jsonl already holds every evaluation up to that
  // checkpoint (an evaluation is written before its checkpoint), so keep those and skip the repeats: each epoch once.
  const resumedFrom = resume ? ((await latestCheckpoint(store)).checkpoint?.epoch ?? null) : null;
  const kept = resumedFrom === null ? [] : readMetrics(dir, resumedFrom);
  rewriteMetrics(dir, kept);
  const written = resumedFrom ?? -1;

  const controller = new AbortController();
  let reason = 'completed';
  const onSigint = () => { reason = 'interrupted'; controller.abort(); };
  process.once('SIGINT', onSigint);
  const progress = options.quiet ? { start() {}, update() {}, stop() {} } : createProgress();
  const grokked = grokStop(config.trainer.stopWhenGrokked);
  const cleanedUp = config.trainer.stopAfterCleanup ? cleanupStop() : () => false;
  // The stop rules' streaks continue as if uninterrupted.
  for (const record of kept) {
    grokked(record);
    cleanedUp(cleanupRecord(record));
  }
  try {
    // Epochs per second count only this process's epochs.
    progress.start(config.trainer.epochs, resumedFrom ?? 0);
    const result = await train({
      model, info: task.info, data: data.train, ...trainOptions(config, store), metrics: liveMetrics(task),
      resume, signal: controller.signal,
      onEval: (record: EvalRecord) => {
        if (record.epoch <= written) return;
        const line = flattenRecord(record);
        appendMetrics(dir, line);
        progress.update(record);
        if (grokked(record) && !controller.signal.aborted) { reason = 'grokked'; controller.abort(); }
        if (cleanedUp(cleanupRecord(line)) && !controller.signal.aborted) { reason = 'cleaned up'; controller.abort(); }
      },
    });
    return { dir, stopped: result.stopped === 'completed' ? 'completed' : reason, epoch: result.epoch };
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
    model.dispose();
  }
}

/** What the cleanup rule reads from a metrics.jsonl line: the live `sumSquaredWeights` group's total. */
function cleanupRecord(line: Record<string, unknown>) {
  const ssw = line.sumSquaredWeights as { total?: unknown } | undefined;
  return {
    epoch: line.epoch as number,
    testAccuracy: typeof line.testAccuracy === 'number' ? line.testAccuracy : undefined,
    sumSquaredWeights: typeof ssw?.total === 'number' ? ssw.total : undefined,
  };
}

/** One metrics.jsonl line: the record's fields at the top level, metrics flattened into it. */
function flattenRecord(record: EvalRecord): Record<string, unknown> {
  const { metrics, ...rest } = record;
  return { ...rest, ...(metrics ?? {}) };
}
