// The fully resolved configuration of a run: what config.json holds, so a run can be resumed and reproduced.
import { z } from 'zod';

const positiveInt = z.number().int().positive();
const nonNegative = z.number().nonnegative();

/** The task and its data: a finite split, or fresh batches every step (`infinite`). */
export const TaskSection = z.object({
  /** A task name from @grokking/tasks (`modular-addition`, `digit-addition`, ...). */
  name: z.string(),
  /** Modular tasks: the modulus. */
  p: positiveInt.optional(),
  /** Digit addition: digits per operand. */
  digits: positiveInt.optional(),
  /** Modular tasks: the fraction of all pairs used for training. */
  trainFraction: z.number().gt(0).lte(1).optional(),
  /** Sampled tasks: training examples (finite data). */
  trainSize: positiveInt.optional(),
  /** Sampled tasks: test examples. */
  testSize: positiveInt.optional(),
  /** Train on fresh samples each step instead of a finite split. */
  infinite: z.boolean().default(false),
  /** Infinite data or minibatches: examples per step (full batch when absent on finite data). */
  batchSize: positiveInt.optional(),
}).strict();

/** The model: a transformer (TransformerLens-style config) or the 2-layer MLP. */
export const ModelSection = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('transformer'),
    nLayers: positiveInt.default(1),
    dModel: positiveInt.default(128),
    nHeads: positiveInt.default(4),
    dHead: positiveInt.default(32),
    dMlp: positiveInt.default(512),
    actFn: z.enum(['relu', 'gelu']).default('relu'),
    normalizationType: z.enum(['none', 'LN']).default('none'),
    attnOnly: z.boolean().default(false),
  }).strict(),
  z.object({
    kind: z.literal('mlp'),
    dHidden: positiveInt.default(256),
    actFn: z.enum(['relu', 'gelu']).default('relu'),
  }).strict(),
]);

/** The optimiser, loss and schedule. Defaults are the write-up's: AdamW, lr 1e-3, weight decay 1, betas 0.9/0.98. */
export const TrainerSection = z.object({
  optimizer: z.enum(['adamw', 'adam', 'sgd']).default('adamw'),
  lr: z.number().positive().default(1e-3),
  weightDecay: nonNegative.default(1),
  beta1: z.number().min(0).lt(1).default(0.9),
  beta2: z.number().min(0).lt(1).default(0.98),
  momentum: z.number().min(0).lt(1).default(0.9),
  warmupSteps: z.number().int().nonnegative().default(10),
  epochs: positiveInt.default(40_000),
  loss: z.enum(['precise', 'naive']).default('precise'),
  evalEvery: positiveInt.default(100),
  checkpointEvery: positiveInt.default(1000),
  /** Also checkpoint at log-spaced early epochs (1, 2, 5, 10, 20, 50, ...), where the curves move fastest. */
  logSpacedCheckpoints: z.boolean().default(true),
  /** Stop once test accuracy has been 100% for this many consecutive evaluations (0: never stop early). */
  stopWhenGrokked: z.number().int().nonnegative().default(0),
}).strict();

/** A complete run configuration. */
export const RunConfig = z.object({
  task: TaskSection,
  model: ModelSection,
  trainer: TrainerSection.default(TrainerSection.parse({})),
  seed: z.number().int().nonnegative().default(0),
  /** Default: the best installed in Node (see bestNodeBackend), chosen when the run is planned and saved with it. */
  backend: z.enum(['cpu', 'wasm', 'webgl', 'webgpu', 'tensorflow', 'tensorflow-gpu']).optional(),
});

/** A resolved run configuration. */
export type RunConfig = z.infer<typeof RunConfig>;
/** A run configuration before defaults: what presets and flags give. */
export type RunConfigInput = z.input<typeof RunConfig>;

/**
 * Checks and completes a configuration; an error lists every bad field with its value and what was expected.
 *
 * @example
 * resolveConfig({ task: { name: 'modular-addition', p: 113 }, model: { kind: 'transformer' } }).trainer.lr; // 0.001
 */
export function resolveConfig(input: unknown): RunConfig {
  const result = RunConfig.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = issue.path.join('.');
    const value = issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k as PropertyKey], input);
    return `  ${path}: ${issue.message} (got ${JSON.stringify(value)})`;
  });
  throw new Error(`invalid run configuration:\n${lines.join('\n')}`);
}

/** Merges overrides into a base configuration section by section (later wins; undefined never overrides). */
export function mergeConfig(base: RunConfigInput, ...overrides: DeepPartial<RunConfigInput>[]): RunConfigInput {
  const out: Record<string, unknown> = structuredClone(base) as Record<string, unknown>;
  for (const o of overrides) {
    for (const [section, value] of Object.entries(o)) {
      if (value === undefined) continue;
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        const prev = (out[section] ?? {}) as Record<string, unknown>;
        const next = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
        // A different model kind replaces the section rather than mixing fields of two kinds.
        out[section] = section === 'model' && 'kind' in next && next.kind !== prev.kind ? next : { ...prev, ...next };
      } else {
        out[section] = value;
      }
    }
  }
  return out as RunConfigInput;
}

/** Every field optional, one level into each section. */
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };
