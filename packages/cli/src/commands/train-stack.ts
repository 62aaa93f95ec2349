// `grok train-stack`: several `grok train` runs that differ only in weight decay and, with full-batch training, in seed
// (hence in initial weights and train set), trained as one stack of models (@grokking/trainer's trainStacked: one
// batched step for all of them). Each member writes its own run directory, in the format `grok train` writes
// (config.json, metrics.jsonl, checkpoints), so `grok analyze`, `grok report` and `grok train --resume` treat it as
// any other run. `grok sweep --stack` starts it; a member is the same run as alone,
// to float32 rounding (a stack runs the general path, with batched products).
//
// A member's own stop rule (--stop-when-grokked, --stop-after-cleanup) ends that member alone: the stack stops at the
// epoch a run alone would stop at (all members checkpointed there), and the others go on as a smaller stack, resumed
// from those checkpoints.
import { existsSync } from 'node:fs';
import { readyBackend } from '@grokking/backend';
import { createStackedTransformer, HookedTransformer } from '@grokking/model';
import { stackResumeEpoch, trainStacked, type FixedData } from '@grokking/trainer';
import { createFileStore } from '@grokking/trainer/node';
import { buildData, buildRun, trainOptions } from '@grokking/experiments';
import { runPaths, writeRunConfig } from '../run-dir';
import { versions } from '../versions';
import { liveMetrics } from '../analysis/task-analysis';
import { bestNodeBackend } from '../best-backend';
import type { RunConfig } from '../config';
import { openRunLog, type StopReason } from './run-log';
import { checkTrainArgs, planRun } from './train';

/** One member: its run directory and, for a new run, its `grok train` arguments (without --out). */
export interface StackMember {
  dir: string;
  args: string[];
}

/** How a member's run ended. */
export interface StackMemberEnd {
  dir: string;
  stopped: 'completed' | 'interrupted' | StopReason;
  epoch: number;
}

/**
 * What runs may share a stack: runs whose configurations are equal but for the weight decay (AdamW: each member's
 * decay is its own) and, when they train full batch on a finite train set, the seed (each member's initial weights and
 * train set are its own); transformers only. Two runs with the same key train as one stack; null for a run that
 * cannot be stacked.
 *
 * @example
 * stackKey(configA) === stackKey(configB); // true when A and B differ only in weight decay and seed
 */
export function stackKey(config: RunConfig): string | null {
  if (config.model.kind !== 'transformer' || config.trainer.optimizer !== 'adamw') return null;
  const { weightDecay: _wd, ...trainer } = config.trainer;
  const fullBatch = !config.task.infinite && config.task.batchSize === undefined;
  const { seed, ...rest } = config;
  return JSON.stringify({ ...rest, trainer, ...(fullBatch ? {} : { seed }) });
}

/**
 * Trains the members as one stack to the end (or Ctrl-C): a member with a run directory resumes it (to the epoch
 * every member's checkpoints reached), a new one starts from its flags.
 *
 * @throws before any work when a member's arguments are bad, or the members are not one stack (naming the first that
 *   differs in more than its weight decay).
 * @example
 * await trainStackCommand([{ dir: 'sweeps/wd/points/wd=0.3', args: ['--p', '23', '--weight-decay', '0.3'] }, ...]);
 */
export async function trainStackCommand(members: readonly StackMember[]): Promise<StackMemberEnd[]> {
  if (members.length === 0) throw new Error('a stack needs at least one member');
  const configs = members.map((m) => (existsSync(runPaths(m.dir).config)
    ? planRun({ resume: m.dir, flags: {} })
    : checkTrainArgs(m.args, m.dir)).config);
  const key = stackKey(configs[0]!);
  if (key === null) throw new Error(`${members[0]!.dir}: only AdamW transformer runs can be stacked`);
  configs.forEach((c, k) => {
    if (stackKey(c) !== key) throw new Error(`${members[k]!.dir} differs from ${members[0]!.dir} in more than its weight decay and seed; it cannot share its stack`);
  });
  const config = configs[0]!;
  const backendInfo = await readyBackend(config.backend ?? bestNodeBackend());
  const { task, data, model } = buildRun(config);
  if (!(model instanceof HookedTransformer)) throw new Error(`${members[0]!.dir}: only transformers can be stacked`);
  const modelConfig = model.config;
  model.dispose();
  // One train set for all, or (seeds differ: full batch, by stackKey) each member's own, as its run alone builds it.
  const seeds = configs.map((c) => c.seed);
  const ownData = seeds.some((s) => s !== config.seed) ? configs.map((c) => buildData(c, task).train as FixedData) : null;
  const stores = members.map((m, k) => {
    writeRunConfig(m.dir, { ...configs[k], versions: versions(), backendInfo });
    return createFileStore(runPaths(m.dir).checkpoints);
  });

  const ends: (StackMemberEnd | null)[] = members.map(() => null);
  let interrupted = false;
  const controller = { current: new AbortController() };
  const onSigint = () => { interrupted = true; controller.current.abort(); };
  process.once('SIGINT', onSigint);
  try {
    for (;;) {
      const active = members.map((_, k) => k).filter((k) => ends[k] === null);
      if (active.length === 0) break;
      controller.current = new AbortController();
      const activeStores = active.map((k) => stores[k]!);
      const resumedFrom = await stackResumeEpoch(activeStores);
      const logs = active.map((k) => openRunLog(members[k]!.dir, configs[k]!, resumedFrom));
      const stops: (StopReason | null)[] = active.map(() => null);
      const stack = createStackedTransformer(modelConfig, active.map((k) => seeds[k]!));
      try {
        const result = await trainStacked({
          model: stack, info: task.info, ...trainOptions(config), metrics: liveMetrics(task),
          data: ownData ? active.map((k) => ownData[k]!) : data.train,
          ...(ownData ? { memberSeeds: active.map((k) => seeds[k]!) } : {}),
          checkpoint: { every: config.trainer.checkpointEvery, logSpacedEarly: config.trainer.logSpacedCheckpoints, stores: activeStores },
          memberWeightDecay: active.map((k) => configs[k]!.trainer.weightDecay),
          resume: true, signal: controller.current.signal,
          onEval: (record, i) => {
            const { stop } = logs[i]!.record(record);
            if (stop && !stops[i]) {
              stops[i] = stop;
              controller.current.abort(); // the stack stops where this member alone would; the rest go on
            }
          },
        });
        active.forEach((k, i) => {
          const stopped = stops[i] ?? (result.stopped === 'completed' ? 'completed' : interrupted ? 'interrupted' : null);
          if (stopped) ends[k] = { dir: members[k]!.dir, stopped, epoch: result.epoch };
        });
        if (interrupted) {
          members.forEach((m, k) => { ends[k] ??= { dir: m.dir, stopped: 'interrupted', epoch: result.epoch }; });
        }
      } finally {
        stack.dispose();
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  return ends as StackMemberEnd[];
}

/**
 * The line `grok train-stack` prints for each member's end, which `grok sweep` reads back.
 *
 * @example
 * memberEndLine({ dir: 'points/wd=1', stopped: 'grokked', epoch: 1201 }); // 'member points/wd=1: grokked at epoch 1201'
 */
export function memberEndLine(end: StackMemberEnd): string {
  return `member ${end.dir}: ${end.stopped} at epoch ${end.epoch}`;
}

/**
 * The members' ends from `grok train-stack`'s stderr (the lines memberEndLine writes), by run directory.
 *
 * @example
 * readMemberEnds('member a: grokked at epoch 900\n').get('a'); // { dir: 'a', stopped: 'grokked', epoch: 900 }
 */
export function readMemberEnds(stderr: string): Map<string, StackMemberEnd> {
  const ends = new Map<string, StackMemberEnd>();
  for (const line of stderr.split('\n')) {
    const m = /^member (.+): (completed|interrupted|grokked|cleaned up) at epoch (\d+)$/.exec(line);
    if (m) ends.set(m[1]!, { dir: m[1]!, stopped: m[2] as StackMemberEnd['stopped'], epoch: Number(m[3]) });
  }
  return ends;
}

/**
 * The members of `grok train-stack`'s argument: a JSON list of { dir, args }.
 *
 * @example
 * parseStackMembers('[{"dir":"a","args":["--weight-decay","1"]}]'); // [{ dir: 'a', args: ['--weight-decay', '1'] }]
 * @throws naming the argument when it is not such a list.
 */
export function parseStackMembers(json: string): StackMember[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    value = undefined;
  }
  const ok = Array.isArray(value) && value.length > 0 && value.every((m: unknown) => {
    const member = m as Partial<StackMember> | null;
    return typeof member?.dir === 'string' && Array.isArray(member.args) && member.args.every((a) => typeof a === 'string');
  });
  if (!ok) throw new Error(`train-stack takes a JSON list of members, [{ "dir": "...", "args": ["..."] }, ...], got ${json.slice(0, 200)}`);
  return (value as StackMember[]).map((m) => ({ dir: m.dir, args: [...m.args] }));
}
