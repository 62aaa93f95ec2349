import { naiveTfjsRunner, type EpochRunner, type RunnerSetup } from './tfjs-epoch';
import { generalPathRunner, trainerRunner } from './trainer-epoch';

/**
 * The tfjs training epochs the benchmark can time, by name: `trainer` is the project's own model, loss and optimiser
 * (what `grok train` runs); `trainer-general` the same with the model's fused path off (`model.fastPath = false`);
 * `naive-tfjs` is the model written directly with tfjs-core ops, the baseline.
 *
 * @example
 * const runner = await RUNNERS.trainer!({ run: SEED_RUN, data: makeData(SEED_RUN), formulation: 'last', seed: 0 });
 */
export const RUNNERS: Record<string, (setup: RunnerSetup) => Promise<EpochRunner>> = {
  trainer: trainerRunner,
  'trainer-general': generalPathRunner,
  'naive-tfjs': naiveTfjsRunner,
};
