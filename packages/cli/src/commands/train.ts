// `grok train`: resolve and check the configuration, train with checkpoints and metrics, then analyse and report.
import { readyBackend } from '@grokking/backend';
import { train, type EvalRecord } from '@grokking/trainer';
import { createFileStore } from '@grokking/trainer/node';
import { latestCheckpoint } from '@grokking/trainer';
import { mergeConfig, resolveConfig, type RunConfig, type RunConfigInput } from '../config';
import { flagsToConfig } from '../flags';
import { presetByName } from '../presets';
import { buildData, buildModel, buildTask } from '../build';
import { appendMetrics, readMetrics, readRunConfig, rewriteMetrics, runPaths, writeRunConfig } from '../run-dir';
import { createProgress } from '../progress';
import { versions } from '../versions';
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
    const saved = resolveConfig(stripMeta(readRunConfig(options.resume)));
    const allowed = new Set(['epochs', 'evalEvery', 'checkpointEvery', 'stopWhenGrokked']);
    for (const [section, values] of Object.entries(flags)) {
      const keys = typeof values === 'object' && values !== null ? Object.keys(values) : [section];
      for (const key of keys) {
        if (section === 'backend') continue;
        if (section !== 'trainer' || !allowed.has(key)) {
          throw new Error(`--resume keeps the run's configuration; only --epochs, --eval-every, --checkpoint-every, --stop-when-grokked and --backend may change (got ${section}.${key})`);
        }
      }
    }
    const config = resolveConfig(mergeConfig(saved as RunConfigInput, flags));
    config.backend ??= bestNodeBackend();
    return { config, dir: options.resume, resume: true };
  }
  const base: RunConfigInput = options.preset
    ? presetByName(options.preset).config
    : { task: { name: 'modular-addition', p: 113, trainFraction: 0.3 }, model: { kind: 'transformer' } };
  const config = resolveConfig(mergeConfig(base, flags));
  config.backend ??= bestNodeBackend();
  // Building the task and data now checks task options (p, digits, sizes) before any training starts.
  buildData(config, buildTask(config));
  const dir = options.out ?? `runs/${options.preset ?? config.task.name}-seed${config.seed}`;
  return { config, dir, resume: false };
}

function stripMeta(saved: unknown): unknown {
  const { versions: _v, backendInfo: _b, ...rest } = saved as Record<string, unknown>;
  return rest;
}

/**
 * Runs `grok train` to the end (or until Ctrl-C or --stop-when-grokked), writing the run directory.
 * Returns the run directory.
 */
export async function trainCommand(options: TrainCommandOptions): Promise<{ dir: string; stopped: string; epoch: number }> {
  const { config, dir, resume } = planRun(options);
  const backendInfo = await readyBackend(config.backend ?? bestNodeBackend());
  const task = buildTask(config);
  const data = buildData(config, task);
  const model = buildModel(config, task.info);
  const paths = runPaths(dir);
  writeRunConfig(dir, { ...config, versions: versions(), backendInfo });
  const store = createFileStore(paths.checkpoints);

  // Metrics after the checkpoint we resume from would be recomputed: drop them so metrics.jsonl has each epoch once.
  if (resume) {
    const { checkpoint } = await latestCheckpoint(store);
    rewriteMetrics(dir, readMetrics(dir, checkpoint?.epoch ?? -1));
  } else {
    rewriteMetrics(dir, []);
  }

  const controller = new AbortController();
  let reason = 'completed';
  const onSigint = () => { reason = 'interrupted'; controller.abort(); };
  process.once('SIGINT', onSigint);
  const progress = options.quiet ? { start() {}, update() {}, stop() {} } : createProgress();
  let perfect = 0;
  const t = config.trainer;
  try {
    progress.start(t.epochs, 0);
    const result = await train({
      model, info: task.info, data, epochs: t.epochs,
      batchSize: config.task.batchSize,
      optimizer: { name: t.optimizer, lr: t.lr, weightDecay: t.weightDecay, betas: [t.beta1, t.beta2], momentum: t.momentum, warmupSteps: t.warmupSteps },
      loss: t.loss, seed: config.seed, evalEvery: t.evalEvery,
      checkpoint: { store, every: t.checkpointEvery, logSpacedEarly: t.logSpacedCheckpoints },
      resume, signal: controller.signal,
      onEval: (record: EvalRecord) => {
        appendMetrics(dir, flattenRecord(record));
        progress.update(record);
        if (t.stopWhenGrokked > 0 && record.testAccuracy === 1) {
          if (++perfect >= t.stopWhenGrokked && !controller.signal.aborted) { reason = 'grokked'; controller.abort(); }
        } else {
          perfect = 0;
        }
      },
    });
    return { dir, stopped: result.stopped === 'completed' ? 'completed' : reason, epoch: result.epoch };
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
    model.dispose();
  }
}

/** One metrics.jsonl line: the record's fields at the top level, metrics flattened into it. */
function flattenRecord(record: EvalRecord): Record<string, unknown> {
  const { metrics, ...rest } = record;
  return { ...rest, ...(metrics ?? {}) };
}
