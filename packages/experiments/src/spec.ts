// A run's recipe: the task and its data, the model, the trainer's settings and the seed. Defaults and checks live here
// once; what another package owns is filled in by that package (derived model widths by @grokking/model, optimiser
// defaults by @grokking/trainer, split sizes by the task itself), so a resolved spec never disagrees with them.
import { z } from 'zod';
import { isModularTaskName, taskNames, type TaskName } from '@grokking/tasks';
import { ARCHITECTURES, MLP_ARCHITECTURE, defineTransformerConfig } from '@grokking/model';
import { resolveOptimizerConfig } from '@grokking/trainer';

const positiveInt = z.number().int().positive();
const seedInt = z.number().int().nonnegative();

/** The task and its data: a finite split, or fresh batches every step (`infinite`). */
export const TaskSection = z.object({
  /** A task name from @grokking/tasks (`modular-addition`, `digit-addition`, ...). */
  name: z.enum(taskNames as [TaskName, ...TaskName[]]),
  /** Modular tasks: the modulus (the task's default, 113, when absent). */
  p: positiveInt.optional(),
  /** Digit addition: digits per operand (the task's default, 5, when absent). */
  digits: positiveInt.optional(),
  /** Modular tasks: the fraction of all pairs used for training (the task's default, 0.3, when absent). */
  trainFraction: z.number().gt(0).lte(1).optional(),
  /** Sampled tasks, finite data: training examples (the task's default when absent). */
  trainSize: positiveInt.optional(),
  /** Sampled tasks: test examples (the task's default when absent). */
  testSize: positiveInt.optional(),
  /** Train on fresh samples each step instead of a finite split (sampled tasks only). */
  infinite: z.boolean().default(false),
  /** Examples per step: required with infinite data; full batch when absent on finite data. */
  batchSize: positiveInt.optional(),
}).strict();

const arch = ARCHITECTURES.modularAddition;

/** A transformer (TransformerLens names); dHead = dModel / nHeads and dMlp = 4 dModel when left out. */
const TransformerSection = z.object({
  kind: z.literal('transformer'),
  nLayers: positiveInt.default(arch.nLayers),
  dModel: positiveInt.default(arch.dModel),
  nHeads: positiveInt.default(arch.nHeads),
  dHead: positiveInt.optional(),
  dMlp: positiveInt.optional(),
  actFn: z.enum(['relu', 'gelu']).default(arch.actFn),
  normalizationType: z.enum(['none', 'LN']).default(arch.normalizationType),
  attnOnly: z.boolean().default(arch.attnOnly),
}).strict().transform((m, ctx) => {
  try {
    // The model package derives the widths; the task's sizes do not change them.
    const { dHead, dMlp } = defineTransformerConfig({ ...m, nCtx: 1, dVocab: 1 });
    return { ...m, dHead, dMlp };
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message, path: ['dModel'] });
    return z.NEVER;
  }
});

/** The write-up's 2-layer MLP on one-hot x and y. */
const MlpSection = z.object({
  kind: z.literal('mlp'),
  dHidden: positiveInt.default(MLP_ARCHITECTURE.dHidden),
  actFn: z.enum(['relu', 'gelu']).default(MLP_ARCHITECTURE.actFn),
}).strict();

/** The model: a transformer or the 2-layer MLP. */
export const ModelSection = z.discriminatedUnion('kind', [TransformerSection, MlpSection]);

/**
 * The optimiser, loss and schedule. Optimiser settings left out take @grokking/trainer's defaults for the chosen
 * optimiser (AdamW: lr 1e-3, weight decay 1, betas 0.9/0.98, the write-up's; Adam and SGD: weight decay 0).
 */
export const TrainerSection = z.object({
  optimizer: z.enum(['adamw', 'adam', 'sgd']).default('adamw'),
  lr: z.number().positive().optional(),
  weightDecay: z.number().nonnegative().optional(),
  beta1: z.number().min(0).lt(1).optional(),
  beta2: z.number().min(0).lt(1).optional(),
  eps: z.number().positive().optional(),
  momentum: z.number().min(0).lt(1).optional(),
  nesterov: z.boolean().optional(),
  warmupSteps: z.number().int().nonnegative().optional(),
  /** Epochs (steps with infinite data). */
  epochs: positiveInt.default(40_000),
  /** `precise` float32 cross-entropy, or `naive` log-softmax (its rounding causes slingshots). */
  loss: z.enum(['precise', 'naive']).default('precise'),
  evalEvery: positiveInt.default(100),
  checkpointEvery: positiveInt.default(1000),
  /** Also checkpoint at the powers of two below `checkpointEvery` (1, 2, 4, ..., 512), where the curves move fastest. */
  logSpacedCheckpoints: z.boolean().default(true),
  /**
   * Stop once this many consecutive evaluations have grokked (test accuracy >= GROKKED_TEST_ACCURACY, see
   * @grokking/trainer's `isGrokked`); 0 never stops early.
   */
  stopWhenGrokked: z.number().int().nonnegative().default(0),
  /**
   * Stop at the end of cleanup: once grokked, when the sum of squared weights fell by less than 2% over the last 1,000
   * epochs (see @grokking/trainer's `cleanupStop`).
   */
  stopAfterCleanup: z.boolean().default(false),
}).strict().transform((t) => {
  const o = resolveOptimizerConfig({
    name: t.optimizer, lr: t.lr, weightDecay: t.weightDecay, eps: t.eps, momentum: t.momentum, nesterov: t.nesterov,
    warmupSteps: t.warmupSteps,
    betas: t.beta1 === undefined && t.beta2 === undefined ? undefined : [t.beta1 ?? 0.9, t.beta2 ?? 0.98],
  });
  return {
    ...t, lr: o.lr, weightDecay: o.weightDecay, beta1: o.betas[0], beta2: o.betas[1], eps: o.eps, momentum: o.momentum,
    nesterov: o.nesterov, warmupSteps: o.warmupSteps,
  };
});

/** A run's recipe: task, model, trainer settings and seed. */
export const RunSpec = z.object({
  task: TaskSection,
  model: ModelSection,
  trainer: TrainerSection.prefault({}),
  /** Seed of the split, the initialisation and the sampling. */
  seed: seedInt.default(0),
}).strict();

/** A resolved run spec: every default filled in. */
export type RunSpec = z.infer<typeof RunSpec>;
/** A run spec before defaults: what presets and overrides give. */
export type RunSpecInput = z.input<typeof RunSpec>;

/**
 * Checks and completes input against a schema; the error lists every bad field with its value and what was expected.
 *
 * @example
 * parseOrExplain(RunSpec, input, 'run spec');
 */
export function parseOrExplain<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = issue.path.join('.');
    const value = issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k as PropertyKey], input);
    return `  ${path}: ${issue.message} (got ${JSON.stringify(value)})`;
  });
  throw new Error(`invalid ${what}:\n${lines.join('\n')}`);
}

/**
 * Checks and completes a run spec; a resolved spec resolves to itself.
 *
 * @example
 * resolveRunSpec({ task: { name: 'modular-addition' }, model: { kind: 'transformer' } }).trainer.weightDecay; // 1
 * resolveRunSpec({ task: { name: 'modular-addition' }, model: { kind: 'transformer' }, trainer: { optimizer: 'sgd' } })
 *   .trainer.weightDecay; // 0
 */
export function resolveRunSpec(input: unknown): RunSpec {
  const spec = parseOrExplain(RunSpec, input, 'run spec');
  checkData(spec);
  return spec;
}

/** Cross-field checks of the task section, before any data is made. */
export function checkData(spec: Pick<RunSpec, 'task'>): void {
  const { name, infinite, batchSize, trainFraction, trainSize, testSize } = spec.task;
  const modular = isModularTaskName(name);
  if (modular && (trainSize !== undefined || testSize !== undefined)) {
    throw new Error(`task.trainSize and task.testSize apply to sampled tasks; ${name} takes task.trainFraction`);
  }
  if (!modular && trainFraction !== undefined) throw new Error(`task.trainFraction applies to modular tasks; ${name} takes task.trainSize`);
  if (infinite && modular) throw new Error(`task.infinite needs a sampled task; ${name} enumerates its pairs`);
  if (infinite && trainSize !== undefined) throw new Error(`task.trainSize is for finite data; with task.infinite every step samples fresh examples (got ${trainSize})`);
  if (infinite && batchSize === undefined) throw new Error('task.batchSize is required with task.infinite (examples per step)');
}

/** Every field optional, one level into each section. */
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };

/**
 * Merges overrides into a base spec section by section (later wins; undefined never overrides). A different model
 * kind replaces the model section instead of mixing the fields of two kinds.
 *
 * @example
 * mergeRunSpec(presetSpec('modular-addition'), { trainer: { epochs: 500 }, seed: 3 });
 */
export function mergeRunSpec<T extends object>(base: T, ...overrides: DeepPartial<T>[]): T {
  const out: Record<string, unknown> = structuredClone(base) as Record<string, unknown>;
  for (const o of overrides) {
    for (const [section, value] of Object.entries(o)) {
      if (value === undefined) continue;
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        const prev = (out[section] ?? {}) as Record<string, unknown>;
        const next = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
        out[section] = section === 'model' && 'kind' in next && next.kind !== prev.kind ? next : { ...prev, ...next };
      } else {
        out[section] = value;
      }
    }
  }
  return out as T;
}
