// A run directory's configuration: the run's recipe (a RunSpec from @grokking/experiments, which owns its defaults
// and checks) plus the backend it trains on. config.json holds it fully resolved, so a run can be resumed and
// reproduced.
import { z } from 'zod';
import { RunSpec, checkData, mergeRunSpec, parseOrExplain, type DeepPartial } from '@grokking/experiments';

/** A run spec and the backend: what config.json holds (besides versions and backend details). */
export const RunConfig = RunSpec.extend({
  /** Default: the best installed in Node (see bestNodeBackend), chosen when the run is planned and saved with it. */
  backend: z.enum(['cpu', 'wasm', 'webgl', 'webgpu', 'tensorflow', 'tensorflow-gpu']).optional(),
});

/** A resolved run configuration. */
export type RunConfig = z.infer<typeof RunConfig>;
/** A run configuration before defaults: what presets and flags give. */
export type RunConfigInput = z.input<typeof RunConfig>;
export type { DeepPartial };

/**
 * Checks and completes a configuration; an error lists every bad field with its value and what was expected.
 *
 * @example
 * resolveConfig({ task: { name: 'modular-addition', p: 113 }, model: { kind: 'transformer' } }).trainer.lr; // 0.001
 */
export function resolveConfig(input: unknown): RunConfig {
  const config = parseOrExplain(RunConfig, input, 'run configuration');
  checkData(config);
  return config;
}

/**
 * Merges overrides into a base configuration section by section (later wins; undefined never overrides).
 *
 * @example
 * mergeConfig(presetByName('modular-addition').spec, flagsToConfig({ epochs: 500 }));
 */
export function mergeConfig(base: RunConfigInput, ...overrides: DeepPartial<RunConfigInput>[]): RunConfigInput {
  return mergeRunSpec(base, ...overrides);
}
