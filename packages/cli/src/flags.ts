// `grok train` flags: each maps a kebab-case flag onto one field of the run configuration.
import { InvalidArgumentError, type Command } from 'commander';
import { taskNames } from '@grokking/tasks';
import type { DeepPartial, RunConfigInput } from './config';

type Parse = 'int' | 'number' | 'string' | 'bool';
type Input = Required<RunConfigInput>;
/** Every field name a flag may set, per section: a flag naming a field the configuration lacks does not compile. */
type Keys = {
  task: keyof Input['task'];
  model: keyof Extract<Input['model'], { kind: 'transformer' }> | keyof Extract<Input['model'], { kind: 'mlp' }>;
  trainer: keyof NonNullable<Input['trainer']>;
  root: 'seed' | 'backend';
};

/** One flag: its name, the configuration field it sets, how its value is read, and its help line. */
type Flag = { [S in keyof Keys]: { flag: string; section: S; key: Keys[S]; parse: Parse; help: string } }[keyof Keys];

/** Every configuration flag of `grok train`, documented in the CLI's README. Stable: scripts depend on them. */
export const TRAIN_FLAGS: readonly Flag[] = [
  { flag: 'task', section: 'task', key: 'name', parse: 'string', help: `task: ${taskNames.join(', ')}` },
  { flag: 'p', section: 'task', key: 'p', parse: 'int', help: 'modulus of a modular task (default 113)' },
  { flag: 'digits', section: 'task', key: 'digits', parse: 'int', help: 'digits per operand for digit-addition (default 5)' },
  { flag: 'train-fraction', section: 'task', key: 'trainFraction', parse: 'number', help: 'fraction of all pairs to train on, modular tasks (default 0.3)' },
  { flag: 'train-size', section: 'task', key: 'trainSize', parse: 'int', help: 'training examples, sampled tasks' },
  { flag: 'test-size', section: 'task', key: 'testSize', parse: 'int', help: 'test examples, sampled tasks' },
  { flag: 'infinite', section: 'task', key: 'infinite', parse: 'bool', help: 'train on fresh samples every step' },
  { flag: 'batch-size', section: 'task', key: 'batchSize', parse: 'int', help: 'examples per step (default: full batch on finite data)' },
  { flag: 'model', section: 'model', key: 'kind', parse: 'string', help: 'model: transformer or mlp' },
  { flag: 'n-layers', section: 'model', key: 'nLayers', parse: 'int', help: 'transformer layers (default 1)' },
  { flag: 'd-model', section: 'model', key: 'dModel', parse: 'int', help: 'residual stream width (default 128)' },
  { flag: 'n-heads', section: 'model', key: 'nHeads', parse: 'int', help: 'attention heads per layer (default 4)' },
  { flag: 'd-head', section: 'model', key: 'dHead', parse: 'int', help: 'width of each head (default 32)' },
  { flag: 'd-mlp', section: 'model', key: 'dMlp', parse: 'int', help: 'MLP hidden width (default 512)' },
  { flag: 'd-hidden', section: 'model', key: 'dHidden', parse: 'int', help: 'hidden width of the 2-layer MLP model (default 256)' },
  { flag: 'act-fn', section: 'model', key: 'actFn', parse: 'string', help: 'activation: relu or gelu' },
  { flag: 'layer-norm', section: 'model', key: 'normalizationType', parse: 'string', help: 'normalisation: none or LN' },
  { flag: 'attn-only', section: 'model', key: 'attnOnly', parse: 'bool', help: 'attention-only transformer (no MLPs)' },
  { flag: 'optimizer', section: 'trainer', key: 'optimizer', parse: 'string', help: 'adamw, adam or sgd (default adamw)' },
  { flag: 'lr', section: 'trainer', key: 'lr', parse: 'number', help: 'learning rate (default 1e-3)' },
  { flag: 'weight-decay', section: 'trainer', key: 'weightDecay', parse: 'number', help: 'weight decay: decoupled for adamw (default 1), L2 for adam and sgd (default 0)' },
  { flag: 'beta1', section: 'trainer', key: 'beta1', parse: 'number', help: 'Adam beta1 (default 0.9)' },
  { flag: 'beta2', section: 'trainer', key: 'beta2', parse: 'number', help: 'Adam beta2 (default 0.98)' },
  { flag: 'momentum', section: 'trainer', key: 'momentum', parse: 'number', help: 'SGD momentum (default 0)' },
  { flag: 'eps', section: 'trainer', key: 'eps', parse: 'number', help: 'Adam epsilon (default 1e-8)' },
  { flag: 'warmup-steps', section: 'trainer', key: 'warmupSteps', parse: 'int', help: 'linear learning-rate warm-up steps (default 10)' },
  { flag: 'epochs', section: 'trainer', key: 'epochs', parse: 'int', help: 'epochs (steps on infinite data)' },
  { flag: 'loss', section: 'trainer', key: 'loss', parse: 'string', help: 'precise (default) or naive (float32 log-softmax: slingshots)' },
  { flag: 'eval-every', section: 'trainer', key: 'evalEvery', parse: 'int', help: 'epochs between evaluations (default 100)' },
  { flag: 'checkpoint-every', section: 'trainer', key: 'checkpointEvery', parse: 'int', help: 'epochs between checkpoints (default 1000; also at epochs 1, 2, 4, ..., 512 before the first)' },
  { flag: 'stop-when-grokked', section: 'trainer', key: 'stopWhenGrokked', parse: 'int', help: 'stop once this many consecutive evaluations have grokked (test accuracy >= 99.9%; default 0: never; bare flag: 5)' },
  { flag: 'stop-after-cleanup', section: 'trainer', key: 'stopAfterCleanup', parse: 'bool', help: 'stop at the end of cleanup: once grokked, when the sum of squared weights fell by less than 2% over the last 1,000 epochs' },
  { flag: 'seed', section: 'root', key: 'seed', parse: 'int', help: 'seed of the split, initialisation and sampling (default 0)' },
  { flag: 'backend', section: 'root', key: 'backend', parse: 'string', help: 'cpu, wasm, tensorflow, tensorflow-gpu (default: the best installed: tensorflow-gpu, tensorflow, then wasm)' },
];

function camel(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function parser(f: Flag): (value: string) => unknown {
  return (value: string) => {
    if (f.parse === 'string') return value;
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`--${f.flag} must be a number, got ${JSON.stringify(value)}`);
    if (f.parse === 'int' && !Number.isInteger(n)) throw new InvalidArgumentError(`--${f.flag} must be an integer, got ${JSON.stringify(value)}`);
    return n;
  };
}

/** Declares every configuration flag on a commander command. */
export function addTrainFlags(command: Command): Command {
  for (const f of TRAIN_FLAGS) {
    if (f.parse === 'bool') command.option(`--${f.flag}`, f.help);
    else if (f.flag === 'stop-when-grokked') command.option(`--${f.flag} [evaluations]`, f.help, parser(f));
    else command.option(`--${f.flag} <value>`, f.help, parser(f));
  }
  return command;
}

/** The configuration overrides the parsed flags give (only the flags that were passed). */
export function flagsToConfig(options: Record<string, unknown>): DeepPartial<RunConfigInput> {
  const out: Record<string, Record<string, unknown>> = { task: {}, model: {}, trainer: {} };
  const root: Record<string, unknown> = {};
  for (const f of TRAIN_FLAGS) {
    let value = options[camel(f.flag)];
    if (value === undefined) continue;
    if (f.flag === 'stop-when-grokked' && value === true) value = 5;
    if (f.section === 'root') root[f.key] = value;
    else out[f.section]![f.key] = value;
  }
  return { ...root, ...out } as DeepPartial<RunConfigInput>;
}

/**
 * The flag table in Markdown, generated from TRAIN_FLAGS (the CLI README holds it).
 *
 * @example
 * flagsMarkdown().split('\n')[2]; // '| `--task NAME` | task: modular-addition, ... |'
 */
export function flagsMarkdown(): string {
  const usage = (f: Flag) => (f.parse === 'bool' ? `\`--${f.flag}\`` : f.flag === 'stop-when-grokked' ? `\`--${f.flag} [N]\`` : `\`--${f.flag} ${f.parse === 'string' ? 'NAME' : 'N'}\``);
  const rows = TRAIN_FLAGS.map((f) => `| ${usage(f)} | ${f.help.replace(/\|/g, '\\|')} |`);
  return ['| flag | meaning |', '| --- | --- |', ...rows].join('\n');
}

